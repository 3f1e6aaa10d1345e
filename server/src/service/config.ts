/**
 * Configuration: rule severities and defaults for fixes and snippets.
 * Sources, later ones winning: rule defaults, `iot-policy.config.json`, editor settings or CLI flags.
 */
export type Level = 'off' | 'error' | 'warning' | 'info' | 'hint';
export const LEVELS: readonly Level[] = ['off', 'error', 'warning', 'info', 'hint'];

export interface PolicyConfig {
  /** Severity per rule id. */
  rules: Record<string, Level>;
  defaults: {
    region?: string;
    accountId?: string;
    partition?: string;
  };
}

export const CONFIG_FILE_NAME = 'iot-policy.config.json';

export function emptyConfig(): PolicyConfig {
  return { rules: {}, defaults: {} };
}

export function isLevel(v: unknown): v is Level {
  return typeof v === 'string' && (LEVELS as readonly string[]).includes(v);
}

/** Merges configs left to right; later rule levels and defaults win. */
export function mergeConfigs(...configs: (Partial<PolicyConfig> | undefined)[]): PolicyConfig {
  const out = emptyConfig();
  for (const c of configs) {
    if (!c) continue;
    Object.assign(out.rules, c.rules ?? {});
    for (const [k, v] of Object.entries(c.defaults ?? {})) if (v) (out.defaults as Record<string, string>)[k] = v;
  }
  return out;
}

export interface ConfigProblem {
  message: string;
}

/**
 * Reads a parsed `iot-policy.config.json` (or settings object) into a config, collecting problems
 * instead of throwing. Unknown rule ids are reported when `knownRules` is given.
 */
export function readConfig(raw: unknown, knownRules?: ReadonlySet<string>): { config: PolicyConfig; problems: ConfigProblem[] } {
  const config = emptyConfig();
  const problems: ConfigProblem[] = [];
  if (raw === undefined || raw === null) return { config, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ message: 'the configuration must be a JSON object' });
    return { config, problems };
  }
  const o = raw as Record<string, unknown>;
  const rules = o.rules;
  if (rules !== undefined) {
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) problems.push({ message: '"rules" must be an object of rule id to level' });
    else
      for (const [id, lvl] of Object.entries(rules)) {
        if (knownRules && !knownRules.has(id)) problems.push({ message: `unknown rule id "${id}"` });
        else if (!isLevel(lvl)) problems.push({ message: `rule "${id}": level must be one of ${LEVELS.join(', ')}` });
        else config.rules[id] = lvl;
      }
  }
  const d = o.defaults;
  if (d !== undefined) {
    if (typeof d !== 'object' || d === null || Array.isArray(d)) problems.push({ message: '"defaults" must be an object' });
    else {
      const dd = d as Record<string, unknown>;
      if (typeof dd.region === 'string' && dd.region) config.defaults.region = dd.region;
      if (typeof dd.accountId === 'string' && dd.accountId) config.defaults.accountId = dd.accountId;
      if (typeof dd.partition === 'string' && dd.partition) config.defaults.partition = dd.partition;
    }
  }
  return { config, problems };
}
