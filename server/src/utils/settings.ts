/**
 * The `iotPolicy` settings section and the project file `iot-policy.config.json`, read
 * defensively: a wrong value is ignored (and logged), never thrown.
 */
import { didYouMean, isLevel, parseJsonData, POLICY_FILE_GLOBS, readConfig, RULE_IDS, type Level, type PolicyConfig } from '../service';

export interface IotPolicySettings {
  /** Globs (matched against the document path) of files that are always IoT policies. */
  files: string[];
  /** Also treat any JSON document whose content is an IoT policy as one. */
  detectByContent: boolean;
  rules: Record<string, Level>;
  defaults: { region?: string; accountId?: string };
  /** `workspace`: also report the policies of files that are not open (`workspace/diagnostic`). */
  diagnostics: { workspace: boolean };
}

export function defaultSettings(): IotPolicySettings {
  return { files: [...POLICY_FILE_GLOBS], detectByContent: true, rules: {}, defaults: {}, diagnostics: { workspace: true } };
}

/** Globs of `iotPolicy.files` read; more are ignored (each is compiled and matched per document). */
const MAX_FILE_GLOBS = 100;
/** Unknown rule ids named in the log; past it they are counted. */
const MAX_NAMED_PROBLEMS = 10;
/** Keys of one settings object read; past it the rest are ignored (there are fewer than 100 rules). */
const MAX_KEYS = 1000;
/** Keys that would reach an object's prototype if assigned. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The first MAX_KEYS own entries of `o`, without listing all of a huge object first. */
function ownEntries(o: Record<string, unknown>, what: string, log?: (message: string) => void): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
    if (out.length === MAX_KEYS) {
      log?.(`${what} has more than ${MAX_KEYS} keys; the rest are ignored`);
      break;
    }
    out.push([k, o[k]]);
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value for a log line: short, whatever its size or depth (JSON.stringify of a 10,000-deep value throws). */
function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : String(v);
}

/**
 * Reads the `iotPolicy` section (as an object; dotted keys are accepted too). Any client may send
 * anything: values of the wrong type are logged and ignored, unknown rule ids are logged and
 * dropped (so a section with 200,000 keys keeps only the rules there are), keys that would reach a
 * prototype are never assigned, and nothing throws.
 */
export function parseSettings(raw: unknown, log?: (message: string) => void): IotPolicySettings {
  const s = defaultSettings();
  if (!isRecord(raw)) return s;
  try {
    readSettings(expandDotted(raw, log), s, log);
    return s;
  } catch (err) {
    log?.(`The iotPolicy settings could not be read (${err instanceof Error ? err.message : String(err)}); using the defaults.`);
    return defaultSettings();
  }
}

function readSettings(o: Record<string, unknown>, s: IotPolicySettings, log?: (message: string) => void): void {
  if (Array.isArray(o.files)) {
    const globs = o.files.filter((g): g is string => typeof g === 'string' && g.length > 0 && g.length <= 1000);
    if (globs.length > MAX_FILE_GLOBS) log?.(`iotPolicy.files has ${globs.length} globs; the first ${MAX_FILE_GLOBS} are used`);
    s.files = globs.slice(0, MAX_FILE_GLOBS);
  } else if (o.files !== undefined) log?.('iotPolicy.files must be an array of globs; using the default');
  if (typeof o.detectByContent === 'boolean') s.detectByContent = o.detectByContent;
  if (isRecord(o.rules)) {
    const unknown: string[] = [];
    let unknownCount = 0;
    for (const [id, lvl] of ownEntries(o.rules, 'iotPolicy.rules', log)) {
      if (!RULE_IDS.has(id)) {
        if (unknown.length < MAX_NAMED_PROBLEMS) unknown.push(id);
        unknownCount++;
      } else if (isLevel(lvl)) s.rules[id] = lvl;
      else log?.(`iotPolicy.rules: "${id}" has an unknown level ${describe(lvl)}; expected off, error, warning, info or hint`);
    }
    for (const id of unknown) log?.(`iotPolicy.rules: unknown rule id ${describe(id)}${didYouMean(id.slice(0, 80), RULE_IDS)}; it is ignored`);
    if (unknownCount > unknown.length) log?.(`iotPolicy.rules: ${unknownCount - unknown.length} more unknown rule ids ignored`);
  } else if (o.rules !== undefined) log?.('iotPolicy.rules must be an object of rule id to level');
  const diag = o.diagnostics;
  if (isRecord(diag) && diag.workspace !== undefined) {
    if (typeof diag.workspace === 'boolean') s.diagnostics.workspace = diag.workspace;
    else log?.(`iotPolicy.diagnostics.workspace must be true or false, not ${describe(diag.workspace)}; using the default`);
  }
  const d = o.defaults;
  if (isRecord(d)) {
    if (typeof d.region === 'string' && d.region.trim()) s.defaults.region = d.region.trim();
    if (typeof d.accountId === 'string' && d.accountId.trim()) s.defaults.accountId = d.accountId.trim();
  }
}

/**
 * `{ "defaults.region": "x" }` → `{ defaults: { region: "x" } }` (some editors send flat keys).
 * Objects are built without a prototype, and `__proto__`, `constructor` and `prototype` are
 * skipped (and logged): what the client sends is data, never a prototype.
 */
function expandDotted(o: Record<string, unknown>, log?: (message: string) => void): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const child = (parent: Record<string, unknown>, key: string): Record<string, unknown> => {
    const existing = parent[key];
    if (isRecord(existing)) return existing;
    const made = Object.create(null) as Record<string, unknown>;
    parent[key] = made;
    return made;
  };
  for (const [k, v] of ownEntries(o, 'iotPolicy', log)) {
    const parts = k.startsWith('rules.') ? ['rules', k.slice('rules.'.length)] : k.split('.');
    if (parts.some((p) => UNSAFE_KEYS.has(p))) {
      log?.(`iotPolicy: the key ${describe(k)} is ignored`);
      continue;
    }
    let cur = out;
    for (const p of parts.slice(0, -1)) cur = child(cur, p);
    const last = parts[parts.length - 1];
    if (isRecord(v) && isRecord(cur[last])) {
      // `{"rules.x": ...}` and `{"rules": {...}}` together: both count.
      const target = cur[last] as Record<string, unknown>;
      for (const [ik, iv] of ownEntries(v, `iotPolicy.${k}`, log)) if (!UNSAFE_KEYS.has(ik)) target[ik] = iv;
    } else if (isRecord(v)) {
      const copy = child(cur, last);
      for (const [ik, iv] of ownEntries(v, `iotPolicy.${k}`, log)) {
        if (UNSAFE_KEYS.has(ik)) log?.(`iotPolicy: the key ${describe(`${k}.${ik}`)} is ignored`);
        else copy[ik] = iv;
      }
    } else cur[last] = v;
  }
  return out;
}

export function settingsToConfig(s: IotPolicySettings): Partial<PolicyConfig> {
  return { rules: { ...s.rules }, defaults: { ...s.defaults } };
}

/** Parses the text of an `iot-policy.config.json`; problems are returned, not thrown. */
export function parseConfigFile(text: string): { config: PolicyConfig; problems: string[] } {
  const { value: raw, errors } = parseJsonData(text);
  const problems: string[] = [];
  if (errors.length) problems.push(`the file is ${errors[0].message}`);
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
