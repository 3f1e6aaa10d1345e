/**
 * The `iotPolicy` settings section and the project file `iot-policy.config.json`, read
 * defensively: a wrong value is ignored (and logged), never thrown.
 */
import { parse, type ParseError } from 'jsonc-parser';
import { isLevel, POLICY_FILE_GLOBS, readConfig, RULE_IDS, type Level, type PolicyConfig } from '../service';

export interface IotPolicySettings {
  /** Globs (matched against the document path) of files that are always IoT policies. */
  files: string[];
  /** Also treat any JSON document whose content is an IoT policy as one. */
  detectByContent: boolean;
  rules: Record<string, Level>;
  defaults: { region?: string; accountId?: string };
}

export function defaultSettings(): IotPolicySettings {
  return { files: [...POLICY_FILE_GLOBS], detectByContent: true, rules: {}, defaults: {} };
}

/** Reads the `iotPolicy` section (as an object; dotted keys are accepted too). */
export function parseSettings(raw: unknown, log?: (message: string) => void): IotPolicySettings {
  const s = defaultSettings();
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return s;
  const o = expandDotted(raw as Record<string, unknown>);
  if (Array.isArray(o.files)) s.files = o.files.filter((g): g is string => typeof g === 'string' && g.length > 0);
  else if (o.files !== undefined) log?.('iotPolicy.files must be an array of globs; using the default');
  if (typeof o.detectByContent === 'boolean') s.detectByContent = o.detectByContent;
  if (o.rules && typeof o.rules === 'object' && !Array.isArray(o.rules)) {
    for (const [id, lvl] of Object.entries(o.rules as Record<string, unknown>)) {
      if (isLevel(lvl)) s.rules[id] = lvl;
      else log?.(`iotPolicy.rules: "${id}" has an unknown level ${JSON.stringify(lvl)}; expected off, error, warning, info or hint`);
    }
  }
  const d = o.defaults;
  if (d && typeof d === 'object' && !Array.isArray(d)) {
    const dd = d as Record<string, unknown>;
    if (typeof dd.region === 'string' && dd.region.trim()) s.defaults.region = dd.region.trim();
    if (typeof dd.accountId === 'string' && dd.accountId.trim()) s.defaults.accountId = dd.accountId.trim();
  }
  return s;
}

/** `{ "defaults.region": "x" }` → `{ defaults: { region: "x" } }` (some editors send flat keys). */
function expandDotted(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const parts = k.split('.');
    if (parts.length === 1 || k.startsWith('rules.')) {
      if (parts[0] === 'rules' && parts.length > 1) {
        const rules = (out.rules ??= {}) as Record<string, unknown>;
        rules[parts.slice(1).join('.')] = v;
      } else if (v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object') {
        Object.assign(out[k] as object, v);
      } else out[k] = v;
      continue;
    }
    let cur = out;
    for (const p of parts.slice(0, -1)) {
      if (!cur[p] || typeof cur[p] !== 'object') cur[p] = {};
      cur = cur[p] as Record<string, unknown>;
    }
    cur[parts[parts.length - 1]] = v;
  }
  return out;
}

export function settingsToConfig(s: IotPolicySettings): Partial<PolicyConfig> {
  return { rules: { ...s.rules }, defaults: { ...s.defaults } };
}

/** Parses the text of an `iot-policy.config.json`; problems are returned, not thrown. */
export function parseConfigFile(text: string): { config: PolicyConfig; problems: string[] } {
  const errors: ParseError[] = [];
  const raw: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const problems: string[] = [];
  if (errors.length) problems.push('the file is not valid JSON');
  const { config, problems: p } = readConfig(raw, RULE_IDS);
  for (const x of p) problems.push(x.message);
  return { config, problems };
}

/**
 * The `/`-separated path of a document inside a workspace folder (both URIs), what the patterns
 * of the folder's configuration are matched against; undefined outside the folder.
 */
export function pathInFolder(folder: string, uri: string): string | undefined {
  const prefix = folder.endsWith('/') ? folder : `${folder}/`;
  if (!uri.startsWith(prefix)) return undefined;
  const rest = uri.slice(prefix.length).replace(/[?#].*$/, '');
  try {
    return rest.split('/').map((s) => decodeURIComponent(s)).join('/');
  } catch {
    return rest;
  }
}
