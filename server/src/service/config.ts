/**
 * Configuration: rule severities, defaults for fixes and snippets, and which files they apply to.
 *
 * Precedence for one file, weakest first: the rules' default levels; the `rules` of
 * `iot-policy.config.json`; each entry of its `overrides` whose `files` match the file, in the
 * order written (a later entry wins over an earlier one); then the CLI's `--rule` flags or the
 * editor's `iotPolicy.rules` setting. Files matched by `ignore` or `.iot-policyignore` are not
 * linted at all. Patterns are in `.gitignore` syntax (ignore.ts), relative to the folder of the
 * file that holds them.
 */
import { PathPatterns } from './ignore';
import { nearest } from './text/distance';

export type Level = 'off' | 'error' | 'warning' | 'info' | 'hint';
export const LEVELS: readonly Level[] = ['off', 'error', 'warning', 'info', 'hint'];

/** Rule levels for the files some patterns match. */
export interface ConfigOverride {
  /** Patterns in `.gitignore` syntax, relative to the configuration file's folder. */
  files: string[];
  rules: Record<string, Level>;
}

export interface PolicyConfig {
  /** Severity per rule id. */
  rules: Record<string, Level>;
  defaults: {
    region?: string;
    accountId?: string;
    partition?: string;
  };
  /** Per-file rule levels of a configuration file, later entries winning (see {@link configResolver}). */
  overrides?: ConfigOverride[];
  /** Patterns of files not to lint, in `.gitignore` syntax. */
  ignore?: string[];
}

export const CONFIG_FILE_NAME = 'iot-policy.config.json';
/** The ignore file beside the configuration file (or the workspace folder's root), in `.gitignore` syntax. */
export const IGNORE_FILE_NAME = '.iot-policyignore';

/** The keys a configuration file may have. */
const CONFIG_KEYS = ['$schema', 'rules', 'defaults', 'overrides', 'ignore'];
const OVERRIDE_KEYS = ['files', 'rules'];
const DEFAULT_KEYS = ['region', 'accountId', 'partition'];
/** The forms the schema gives the defaults (a fix writes them into ARNs). */
const DEFAULT_FORMS: Record<string, { re: RegExp; what: string }> = {
  region: { re: /^[a-z]{2}(-[a-z]+)+-\d+$/, what: 'a region name such as eu-west-1' },
  accountId: { re: /^\d{12}$/, what: 'a 12-digit account id' },
  partition: { re: /^aws(-[a-z]+)*$/, what: 'a partition such as aws or aws-cn' },
};

export function emptyConfig(): PolicyConfig {
  return { rules: {}, defaults: {} };
}

export function isLevel(v: unknown): v is Level {
  return typeof v === 'string' && (LEVELS as readonly string[]).includes(v);
}

/** Merges rule levels and defaults left to right; later ones win. (Overrides and ignores are a file's own: see configResolver.) */
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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** ` (did you mean "x"?)` when a known name is near enough to be a typo. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const [best] = nearest(name, known, Math.max(2, Math.floor(name.length / 4)));
  return best !== undefined ? ` (did you mean "${best}"?)` : '';
}

/** Reads a `rules` object into `into`; problems name the key (`where`: `""` or `overrides[1].`). */
function readRules(rules: unknown, where: string, knownRules: ReadonlySet<string> | undefined, into: Record<string, Level>, problems: ConfigProblem[]): void {
  if (!isObject(rules)) {
    problems.push({ message: `"${where}rules" must be an object of rule id to level` });
    return;
  }
  const prefix = where ? `${where}rules: ` : '';
  // A hostile file may hold 200,000 keys: every key is read once, but only so many are named.
  let unnamed = 0;
  const report = (message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ message });
    else unnamed++;
  };
  for (const [id, lvl] of Object.entries(rules)) {
    if (knownRules && !knownRules.has(id)) report(`${prefix}unknown rule id "${id.slice(0, 80)}"${id.length <= 80 ? didYouMean(id, knownRules) : ''}`);
    else if (!isLevel(lvl)) report(`${prefix}rule "${id}": level must be one of ${LEVELS.join(', ')}`);
    else into[id] = lvl;
  }
  if (unnamed) problems.push({ message: `${prefix}${unnamed} more problems not shown` });
}

/** Problems named one by one; past it they are counted. */
const MAX_PROBLEMS = 20;

/** Reads a list of patterns; undefined (and a problem naming `key`) when it is not one. */
function readPatterns(v: unknown, key: string, problems: ConfigProblem[]): string[] | undefined {
  if (!Array.isArray(v) || v.some((p) => typeof p !== 'string' || p.trim() === '')) {
    problems.push({ message: `"${key}" must be an array of patterns (non-empty strings, .gitignore syntax)` });
    return undefined;
  }
  return v as string[];
}

function readOverrides(v: unknown, knownRules: ReadonlySet<string> | undefined, problems: ConfigProblem[]): ConfigOverride[] {
  if (!Array.isArray(v)) {
    problems.push({ message: '"overrides" must be an array of { "files": [...], "rules": {...} }' });
    return [];
  }
  const out: ConfigOverride[] = [];
  v.forEach((o: unknown, i) => {
    const where = `overrides[${i}]`;
    if (!isObject(o)) {
      problems.push({ message: `"${where}" must be an object with "files" and "rules"` });
      return;
    }
    for (const k of Object.keys(o)) if (!OVERRIDE_KEYS.includes(k)) problems.push({ message: `unknown key "${where}.${k}"${didYouMean(k, OVERRIDE_KEYS)}` });
    let files: string[] | undefined;
    if (o.files === undefined) problems.push({ message: `"${where}.files" is missing: the patterns of the files it applies to` });
    else files = readPatterns(o.files, `${where}.files`, problems);
    if (Array.isArray(files) && files.length === 0) problems.push({ message: `"${where}.files" is empty: it would apply to no file` });
    const rules: Record<string, Level> = {};
    if (o.rules !== undefined) readRules(o.rules, `${where}.`, knownRules, rules, problems);
    if (files?.length) out.push({ files, rules });
  });
  return out;
}

function readDefaults(d: unknown, config: PolicyConfig, problems: ConfigProblem[]): void {
  if (!isObject(d)) {
    problems.push({ message: '"defaults" must be an object' });
    return;
  }
  for (const k of Object.keys(d)) if (!DEFAULT_KEYS.includes(k)) problems.push({ message: `unknown key "defaults.${k}"${didYouMean(k, DEFAULT_KEYS)}` });
  for (const k of DEFAULT_KEYS as (keyof PolicyConfig['defaults'])[]) {
    const v = d[k];
    if (v === undefined) continue;
    if (typeof v !== 'string') problems.push({ message: `"defaults.${k}" must be a string` });
    else if (v && !DEFAULT_FORMS[k].re.test(v)) problems.push({ message: `"defaults.${k}": "${v}" is not ${DEFAULT_FORMS[k].what}` });
    else if (v) config.defaults[k] = v;
  }
}

/**
 * Reads a parsed `iot-policy.config.json` (or settings object) into a config, collecting problems
 * instead of throwing; each problem names the key at fault. Unknown rule ids are reported when
 * `knownRules` is given.
 */
export function readConfig(raw: unknown, knownRules?: ReadonlySet<string>): { config: PolicyConfig; problems: ConfigProblem[] } {
  const config = emptyConfig();
  const problems: ConfigProblem[] = [];
  if (raw === undefined || raw === null) return { config, problems };
  if (!isObject(raw)) {
    problems.push({ message: 'the configuration must be a JSON object' });
    return { config, problems };
  }
  for (const k of Object.keys(raw)) if (!CONFIG_KEYS.includes(k)) problems.push({ message: `unknown key "${k}"${didYouMean(k, CONFIG_KEYS)}` });
  if (raw.rules !== undefined) readRules(raw.rules, '', knownRules, config.rules, problems);
  if (raw.defaults !== undefined) readDefaults(raw.defaults, config, problems);
  if (raw.overrides !== undefined) {
    const overrides = readOverrides(raw.overrides, knownRules, problems);
    if (overrides.length) config.overrides = overrides;
  }
  if (raw.ignore !== undefined) {
    const ignore = readPatterns(raw.ignore, 'ignore', problems);
    if (ignore?.length) config.ignore = ignore;
  }
  return { config, problems };
}

/** How a project's configuration applies to each of its files; built once, asked per file. */
export interface ConfigResolver {
  /** The configuration in force for a file, by its `/`-separated path relative to the base folder (undefined: outside it). */
  forFile(relPath: string | undefined): PolicyConfig;
  /** True when the file (or folder) is ignored by `ignore` or the ignore file. */
  ignores(relPath: string | undefined, isDir?: boolean): boolean;
  /** True when some pattern ignores files (discovery then checks folders as it walks). */
  readonly ignoring: boolean;
}

/** Whether a path lies outside the base folder (`..`, or absolute). */
function outside(relPath: string): boolean {
  return relPath === '..' || relPath.startsWith('../') || relPath.startsWith('/') || /^[A-Za-z]:/.test(relPath);
}

/**
 * The resolver of a configuration `file` (its overrides and `ignore`), the lines of an ignore
 * file (relative to the same base folder), and `over`: what wins over the file (CLI flags,
 * editor settings). Configurations are shared between files that match the same overrides.
 */
export function configResolver(file: PolicyConfig | undefined, over?: Partial<PolicyConfig>, ignoreLines: readonly string[] = []): ConfigResolver {
  const base = mergeConfigs(file, over);
  const overrides = (file?.overrides ?? []).map((o) => ({ patterns: new PathPatterns(o.files), rules: o.rules }));
  const ignore = new PathPatterns([...(file?.ignore ?? []), ...ignoreLines]);
  const byMatch = new Map<string, PolicyConfig>();
  return {
    ignoring: ignore.size > 0,
    forFile(relPath) {
      if (!overrides.length || relPath === undefined || outside(relPath)) return base;
      let key = '';
      for (const o of overrides) key += o.patterns.matches(relPath) ? '1' : '0';
      let config = byMatch.get(key);
      if (!config) {
        config = mergeConfigs(file, ...overrides.filter((_, i) => key[i] === '1').map((o) => ({ rules: o.rules })), over);
        byMatch.set(key, config);
      }
      return config;
    },
    ignores(relPath, isDir = false) {
      if (!ignore.size || relPath === undefined || relPath === '' || outside(relPath)) return false;
      return ignore.matches(relPath, isDir);
    },
  };
}
