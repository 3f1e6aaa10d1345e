/**
 * `iot-policy lint [--format text|json|sarif] [--rule id=level]... [--config FILE] <files|dirs|globs>...`
 *
 * Runs the same analysis as the language server (parsePolicy + analyze) over files and prints
 * text, JSON or SARIF 2.1.0. Exit codes: 0 no errors, 1 some error finding, 2 usage error,
 * bad configuration or an unreadable file (the other files are still reported).
 *
 * Input selection:
 * - a file named on the command line is always linted as an IoT policy, even when broken or empty;
 * - a directory is searched recursively (skipping node_modules and .git) for `*.json` files that are
 *   IoT policies by the editor's detection (detect.ts): names matching POLICY_FILE_GLOBS, or content
 *   passing mayBeIotPolicyText + looksLikeIotPolicy;
 * - a glob (`*`, `**`, `?`, `{a,b}`) is matched against paths under its static prefix and its matches
 *   go through the same detection.
 *
 * Configuration: `--config FILE`, else the nearest `iot-policy.config.json` found by walking up from
 * the current directory, stopping at the repository root (a directory containing `.git`) or the
 * filesystem root. `--rule id=level` flags win over the file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ALL_RULES,
  CONFIG_FILE_NAME,
  LEVELS,
  POLICY_FILE_GLOBS,
  RULES_BY_ID,
  RULE_IDS,
  analyze,
  compileGlob,
  isLevel,
  looksLikeIotPolicy,
  matchesPolicyGlobs,
  mayBeIotPolicyText,
  mergeConfigs,
  parsePolicy,
  readConfig,
  ruleDocsUrl,
  type AnalyzedFinding,
  type Level,
  type PolicyConfig,
  type PolicyModel,
  type RuleMeta,
  type Severity,
} from '../service';
import { fileErrorReason as errorReason } from '../node/files';
import type { CliIo } from './main';

export type OutputFormat = 'text' | 'json' | 'sarif';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];

export const TOOL_NAME = 'iot-policy';
export const TOOL_INFORMATION_URI = 'https://github.com/iot-policy-tools/iot-policy-language';
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** Directories never searched when expanding directories and globs. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export interface LintOptions {
  format: OutputFormat;
  /** From `--rule id=level`, in order; later flags win. */
  rules: Record<string, Level>;
  configFile?: string;
  noConfig: boolean;
  /** Forced colour on/off; undefined = decide from the terminal and NO_COLOR. */
  color?: boolean;
  inputs: string[];
}

/** One linted document. */
export interface LintedFile {
  /** The path as given on the command line, or as found under a given directory or glob. */
  file: string;
  /** Absolute path. */
  abs: string;
  text: string;
  doc: TextDocument;
  findings: AnalyzedFinding[];
}

/** A file that could not be read. */
export interface UnreadableFile {
  file: string;
  abs: string;
  reason: string;
}

export function lintUsage(): string {
  return [
    'Usage: iot-policy lint [options] <files|dirs|globs>...',
    '',
    'Checks AWS IoT Core policy documents with the same rules as the editor.',
    '',
    'Files named on the command line are always linted as IoT policies. Directories and globs',
    `are searched (skipping ${[...SKIPPED_DIRS].join(' and ')}) for JSON files that are IoT policies:`,
    `names matching ${POLICY_FILE_GLOBS.join(' or ')}, or JSON with a Statement and iot:/iotjobsdata:/greengrass: actions.`,
    'Quote globs so the shell does not expand them: iot-policy lint "policies/**/*.json"',
    '',
    'Options:',
    '  -f, --format <text|json|sarif>  Output format (default: text).',
    '  -r, --rule <id=level>           Set a rule\'s level: off, error, warning, info or hint.',
    '                                  Repeatable; also id=level,id=level. Wins over the config file.',
    `  -c, --config <file>             Configuration file (default: the nearest ${CONFIG_FILE_NAME}`,
    '                                  in the current directory or above it, up to the repository root).',
    '      --no-config                 Do not look for a configuration file.',
    '      --color, --no-color         Force coloured text output on or off (default: on a terminal',
    '                                  unless NO_COLOR is set).',
    '      --list-rules                Print the rule ids with their default levels and exit.',
    '  -h, --help                      Show this help.',
    '',
    'Exit status: 0 no errors, 1 errors found, 2 usage error, bad configuration or unreadable file.',
    '',
  ].join('\n');
}

type ParsedArgs = { kind: 'options'; options: LintOptions } | { kind: 'help' } | { kind: 'list-rules' } | { kind: 'error'; message: string };

/** Parses a `--rule` value (`id=level`, or several separated by commas) into `into`. */
export function parseRuleFlag(value: string, into: Record<string, Level>): string | undefined {
  for (const part of value.split(',')) {
    const item = part.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    if (eq <= 0) return `--rule "${item}": expected id=level (for example --rule overly-permissive=error)`;
    const id = item.slice(0, eq).trim();
    const level = item.slice(eq + 1).trim();
    if (!RULE_IDS.has(id)) return `--rule "${item}": unknown rule id "${id}"${suggest(id, [...RULE_IDS])} (see iot-policy lint --list-rules)`;
    if (!isLevel(level)) return `--rule "${item}": level must be one of ${LEVELS.join(', ')}`;
    into[id] = level;
  }
  return undefined;
}

export function parseLintArgs(argv: readonly string[]): ParsedArgs {
  const options: LintOptions = { format: 'text', rules: {}, noConfig: false, inputs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      options.inputs.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (arg === '-') return { kind: 'error', message: 'reading a policy from standard input is not supported; name the file' };
      options.inputs.push(arg);
      continue;
    }
    let name = arg;
    let inline: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      name = arg.slice(0, eq);
      inline = arg.slice(eq + 1);
    }
    const value = (): string | undefined => {
      if (inline !== undefined) return inline;
      const v = argv[i + 1];
      if (v === undefined) return undefined;
      i++;
      return v;
    };
    switch (name) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--list-rules':
        return { kind: 'list-rules' };
      case '-f':
      case '--format': {
        const v = value();
        if (v === undefined) return { kind: 'error', message: `${name} needs a value: ${OUTPUT_FORMATS.join(', ')}` };
        if (!(OUTPUT_FORMATS as readonly string[]).includes(v)) return { kind: 'error', message: `unknown format "${v}"; use one of ${OUTPUT_FORMATS.join(', ')}` };
        options.format = v as OutputFormat;
        break;
      }
      case '-r':
      case '--rule': {
        const v = value();
        if (v === undefined) return { kind: 'error', message: `${name} needs a value: id=level` };
        const problem = parseRuleFlag(v, options.rules);
        if (problem) return { kind: 'error', message: problem };
        break;
      }
      case '-c':
      case '--config': {
        const v = value();
        if (v === undefined || v === '') return { kind: 'error', message: `${name} needs a file name` };
        options.configFile = v;
        break;
      }
      case '--no-config':
        options.noConfig = true;
        break;
      case '--color':
        options.color = true;
        break;
      case '--no-color':
        options.color = false;
        break;
      default:
        return { kind: 'error', message: `unknown option "${arg}"` };
    }
    if (inline !== undefined && ['--no-config', '--color', '--no-color'].includes(name)) {
      return { kind: 'error', message: `option ${name} takes no value` };
    }
  }
  if (options.configFile !== undefined && options.noConfig) return { kind: 'error', message: '--config and --no-config cannot be used together' };
  if (options.inputs.length === 0) return { kind: 'error', message: 'no files, directories or globs to lint' };
  return { kind: 'options', options };
}

// ---------------------------------------------------------------------------------------------
// Configuration

/**
 * The nearest `iot-policy.config.json` at or above `startDir`. The search stops at the repository
 * root (the first directory that contains `.git`) or at the filesystem root.
 */
export function findConfigFile(startDir: string, exists: (p: string) => boolean = fs.existsSync): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (exists(candidate)) return candidate;
    if (exists(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads and validates a configuration file. Problems are full sentences that name the file. */
export function loadConfigFile(file: string, display: string, io: CliIo): { config?: PolicyConfig; problems: string[] } {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (err) {
    return { problems: [`cannot read configuration file ${display}: ${errorReason(err)}`] };
  }
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const doc = TextDocument.create('config', 'json', 0, text);
    return {
      problems: errors.map((e) => {
        const p = doc.positionAt(e.offset);
        return `${display}:${p.line + 1}:${p.character + 1}: not valid JSON (${printParseErrorCode(e.error)})`;
      }),
    };
  }
  const { config, problems } = readConfig(raw, RULE_IDS);
  return { config, problems: problems.map((p) => `${display}: ${p.message}`) };
}

// ---------------------------------------------------------------------------------------------
// Input discovery

interface Target {
  file: string;
  abs: string;
  /** Already read during detection. */
  text?: string;
  model?: PolicyModel;
}

function statSafe(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}


function hasGlobChars(s: string): boolean {
  return /[*?{]/.test(s);
}

function toPosix(p: string): string {
  return p.replace(/\\/g, '/');
}

/** True when `p` is `dir` or inside it (both real paths). */
function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function realpathSafe(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

interface WalkCallbacks {
  onFile(relPosix: string, abs: string): void;
  onError(abs: string, err: unknown): void;
  /** A file left out on purpose: a symbolic link that leaves the walked folder or ends at no regular file. */
  onSkip(abs: string, reason: string): void;
}

/**
 * Walks `dir` (sorted, skipping node_modules/.git) up to `maxDepth` levels. Symbolic links to
 * directories are never followed (no cycles); links to files are followed only when the file is
 * a regular file inside the walked folder (`root`, a real path), so that a repository cannot make
 * the linter read, and quote, a file elsewhere (`ln -s ~/.aws/credentials x.iot-policy.json`).
 */
function walk(dir: string, rel: string, maxDepth: number, root: string, cb: WalkCallbacks): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    cb.onError(dir, err);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const abs = path.join(dir, e.name);
    const childRel = rel ? `${rel}/${e.name}` : e.name;
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      isDir = false;
      const real = realpathSafe(abs);
      const st = real === undefined ? undefined : statSafe(real);
      if (!st?.isFile()) {
        if (st && !st.isDirectory()) cb.onSkip(abs, 'a symbolic link to something that is not a regular file');
        continue;
      }
      if (!isInside(real!, root)) {
        cb.onSkip(abs, 'a symbolic link to a file outside the linted folder');
        continue;
      }
      isFile = true;
    }
    if (isDir) {
      if (SKIPPED_DIRS.has(e.name)) continue;
      if (maxDepth > 1) walk(abs, childRel, maxDepth - 1, root, cb);
    } else if (isFile) cb.onFile(childRel, abs);
  }
}

/** Anchored matcher for a glob relative to its base directory. */
function anchoredGlob(glob: string): { test(path: string): boolean } {
  return { test: compileGlob(glob, { anchored: true }) };
}

interface Discovery {
  targets: Target[];
  unreadable: UnreadableFile[];
  /** Usage problems: a glob that matches no file. */
  errors: string[];
  /** Notes for stderr: inputs that held no IoT policy, files skipped on purpose. */
  notes: string[];
  /** Files left out on purpose (symbolic links that leave the linted folder), for SARIF notifications. */
  skipped: UnreadableFile[];
}

/** Decides whether a file found under a directory or glob is an IoT policy (the editor's detection). */
function detect(candidate: Target, relPosix: string, io: CliIo, unreadable: UnreadableFile[]): boolean {
  if (matchesPolicyGlobs(relPosix, POLICY_FILE_GLOBS) || matchesPolicyGlobs(candidate.abs, POLICY_FILE_GLOBS)) return true;
  let text: string;
  try {
    text = io.readFile(candidate.abs);
  } catch (err) {
    unreadable.push({ file: candidate.file, abs: candidate.abs, reason: errorReason(err) });
    return false;
  }
  if (!mayBeIotPolicyText(text)) return false;
  const model = parsePolicy(text);
  if (!looksLikeIotPolicy(model)) return false;
  candidate.text = text;
  candidate.model = model;
  return true;
}

export function discoverTargets(inputs: readonly string[], io: CliIo): Discovery {
  const out: Discovery = { targets: [], unreadable: [], errors: [], notes: [], skipped: [] };
  const seen = new Set<string>();
  const add = (t: Target): void => {
    if (seen.has(t.abs)) return;
    seen.add(t.abs);
    out.targets.push(t);
  };
  const onError = (abs: string, err: unknown): void => {
    out.unreadable.push({ file: displayPath(abs, io.cwd), abs, reason: `cannot read directory: ${errorReason(err)}` });
  };
  const onSkip = (abs: string, reason: string): void => {
    const file = displayPath(abs, io.cwd);
    out.skipped.push({ file, abs, reason });
    out.notes.push(`skipped ${file}: ${reason}`);
  };

  for (const input of inputs) {
    const abs = path.resolve(io.cwd, input);
    const st = statSafe(abs);
    if (st?.isDirectory()) {
      let found = 0;
      walk(abs, '', Infinity, realpathSafe(abs) ?? abs, { onError, onSkip, onFile: (rel, fileAbs) => {
        if (!rel.toLowerCase().endsWith('.json')) return;
        const t: Target = { file: path.join(input, rel), abs: fileAbs };
        if (seen.has(fileAbs)) {
          found++;
          return;
        }
        if (detect(t, rel, io, out.unreadable)) {
          found++;
          add(t);
        }
      } });
      if (found === 0) out.notes.push(`no IoT policy found in ${input}`);
      continue;
    }
    if (!st && hasGlobChars(input)) {
      const pattern = toPosix(input);
      const segments = pattern.split('/');
      let staticCount = 0;
      while (staticCount < segments.length - 1 && !hasGlobChars(segments[staticCount])) staticCount++;
      const staticPart = segments.slice(0, staticCount).join('/');
      const rest = segments.slice(staticCount).join('/');
      const baseAbs = staticCount === 0 ? io.cwd : path.resolve(io.cwd, staticPart === '' ? '/' : staticPart);
      const matcher = anchoredGlob(rest);
      const maxDepth = rest.includes('**') ? Infinity : rest.split('/').length;
      let matched = 0;
      let found = 0;
      if (statSafe(baseAbs)?.isDirectory()) {
        walk(baseAbs, '', maxDepth, realpathSafe(baseAbs) ?? baseAbs, { onError, onSkip, onFile: (rel, fileAbs) => {
          if (!matcher.test(rel)) return;
          matched++;
          const file = staticCount === 0 ? rel : staticPart === '' ? `/${rel}` : `${staticPart}/${rel}`;
          const t: Target = { file, abs: fileAbs };
          if (seen.has(fileAbs)) {
            found++;
            return;
          }
          if (detect(t, rel, io, out.unreadable)) {
            found++;
            add(t);
          }
        } });
      }
      if (matched === 0) out.errors.push(`no files match "${input}"`);
      else if (found === 0) out.notes.push(`no IoT policy among the ${matched} file${matched === 1 ? '' : 's'} matching "${input}"`);
      continue;
    }
    // A file named on the command line (or a path that does not exist: reading it reports why).
    add({ file: input, abs });
  }
  return out;
}

function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

// ---------------------------------------------------------------------------------------------
// Analysis

export function lintText(file: string, abs: string, text: string, config: PolicyConfig, model?: PolicyModel): LintedFile {
  const doc = TextDocument.create(pathToFileURL(abs).href, 'json', 0, text);
  let findings: AnalyzedFinding[];
  try {
    findings = analyze(model ?? parsePolicy(text), config);
  } catch (err) {
    // The library must never throw; if it does, say so instead of losing the file.
    findings = [{
      ruleId: 'internal-error',
      severity: 'error',
      span: { offset: 0, length: 0 },
      message: `The analysis failed on this document (${err instanceof Error ? err.message : String(err)}). Please report this.`,
    }];
  }
  return { file, abs, text, doc, findings };
}

// ---------------------------------------------------------------------------------------------
// Output

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  gray: '\u001b[90m',
};

const SEVERITY_COLOR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.cyan, hint: ANSI.gray };

export function useColor(io: CliIo, forced?: boolean): boolean {
  if (forced !== undefined) return forced;
  const noColor = io.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return io.isTTY;
}

function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

export function countSeverities(files: readonly LintedFile[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of files) for (const x of f.findings) counts[x.severity]++;
  return counts;
}

export function summaryLine(files: readonly LintedFile[]): string {
  const c = countSeverities(files);
  const total = c.error + c.warning + c.info + c.hint;
  const parts = [plural(c.error, 'error'), plural(c.warning, 'warning'), plural(c.info, 'info')];
  if (c.hint) parts.push(plural(c.hint, 'hint'));
  return `${plural(total, 'problem')} (${parts.join(', ')}) in ${plural(files.length, 'file')}`;
}

export function formatText(files: readonly LintedFile[], color: boolean): string {
  const paint = (code: string, s: string): string => (color ? `${code}${s}${ANSI.reset}` : s);
  const lines: string[] = [];
  for (const f of files) {
    for (const x of f.findings) {
      const p = f.doc.positionAt(x.span.offset);
      const message = x.message.replace(/\s*\n\s*/g, ' ');
      lines.push(`${paint(ANSI.bold, `${f.file}:${p.line + 1}:${p.character + 1}`)} ${paint(SEVERITY_COLOR[x.severity], x.severity)} ${message} ${paint(ANSI.dim, `[${x.ruleId}]`)}`);
    }
  }
  const c = countSeverities(files);
  const summary = summaryLine(files);
  lines.push(color ? paint(c.error ? ANSI.red + ANSI.bold : c.warning ? ANSI.yellow + ANSI.bold : ANSI.bold, summary) : summary);
  return lines.join('\n') + '\n';
}

export interface JsonFileResult {
  file: string;
  findings: {
    ruleId: string;
    severity: Severity;
    message: string;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
  }[];
}

export function toJsonResults(files: readonly LintedFile[]): JsonFileResult[] {
  return files.map((f) => ({
    file: f.file,
    findings: f.findings.map((x) => {
      const s = f.doc.positionAt(x.span.offset);
      const e = f.doc.positionAt(x.span.offset + x.span.length);
      return {
        ruleId: x.ruleId,
        severity: x.severity,
        message: x.message,
        range: { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } },
      };
    }),
  }));
}

export function formatJson(files: readonly LintedFile[]): string {
  return JSON.stringify(toJsonResults(files), null, 2) + '\n';
}

// SARIF 2.1.0 ----------------------------------------------------------------------------------

export type SarifLevel = 'error' | 'warning' | 'note';
export const SARIF_LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** Rule descriptors for ids that are not in the catalogue of rules (e.g. `internal-error`). */
const EXTRA_RULES: Record<string, RuleMeta> = {
  'internal-error': {
    id: 'internal-error',
    defaultSeverity: 'warning',
    category: 'syntax',
    description: 'A rule failed on this document; the other rules still ran. Please report it.',
  },
};

function pascalCase(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function ruleDescriptor(meta: RuleMeta): Record<string, unknown> {
  const helpUri = ruleDocsUrl(meta.id);
  const tags = new Set(['iot-policy', meta.category]);
  if (meta.deviceDefender) tags.add('security');
  // SARIF requires unique tags.
  const properties: Record<string, unknown> = { tags: [...tags], category: meta.category };
  if (meta.deviceDefender) properties.deviceDefender = { check: meta.deviceDefender.check, reason: meta.deviceDefender.reason };
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: meta.description },
    fullDescription: { text: meta.description },
    helpUri,
    help: {
      text: `${meta.description} See ${helpUri}`,
      markdown: `${meta.description}\n\nSee [${meta.id}](${helpUri}) for a bad and a good example.`,
    },
    defaultConfiguration: { level: SARIF_LEVEL[meta.defaultSeverity] },
    properties,
  };
}

/** The artifact location of `abs`: relative to `cwd` under %SRCROOT% when inside it, else a file URI. */
export function artifactLocation(abs: string, cwd: string): { uri: string; uriBaseId?: string } {
  const rel = path.relative(cwd, abs);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: toPosix(rel).split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(abs).href };
}

function region(doc: TextDocument, offset: number, length: number): Record<string, number> {
  const s = doc.positionAt(offset);
  const e = doc.positionAt(offset + length);
  return { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

export function toSarif(
  files: readonly LintedFile[], unreadable: readonly UnreadableFile[], cwd: string, version: string, skipped: readonly UnreadableFile[] = [],
): Record<string, unknown> {
  const metas: RuleMeta[] = ALL_RULES.map((r) => r.meta);
  const index = new Map<string, number>(metas.map((m, i) => [m.id, i]));
  const ruleIndex = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) {
      const meta = RULES_BY_ID.get(id)?.meta ?? EXTRA_RULES[id] ?? { id, defaultSeverity: 'warning', category: 'syntax', description: `Findings of ${id}.` };
      i = metas.length;
      metas.push(meta);
      index.set(id, i);
    }
    return i;
  };

  const results: Record<string, unknown>[] = [];
  for (const f of files) {
    const artifact = artifactLocation(f.abs, cwd);
    for (const x of f.findings) {
      const result: Record<string, unknown> = {
        ruleId: x.ruleId,
        ruleIndex: ruleIndex(x.ruleId),
        level: SARIF_LEVEL[x.severity],
        message: { text: x.message },
        locations: [{ physicalLocation: { artifactLocation: artifact, region: region(f.doc, x.span.offset, x.span.length) } }],
      };
      if (x.related?.length) {
        result.relatedLocations = x.related.map((r, i) => ({
          id: i + 1,
          message: { text: r.message },
          physicalLocation: { artifactLocation: artifact, region: region(f.doc, r.span.offset, r.span.length) },
        }));
      }
      if (x.severity === 'hint' || x.severity === 'info') result.properties = { severity: x.severity };
      results.push(result);
    }
  }

  const invocation: Record<string, unknown> = { executionSuccessful: unreadable.length === 0 };
  const notifications = [
    ...unreadable.map((u) => ({ level: 'error', text: `Cannot read ${u.file}: ${u.reason}`, abs: u.abs })),
    ...skipped.map((u) => ({ level: 'note', text: `Skipped ${u.file}: ${u.reason}`, abs: u.abs })),
  ];
  if (notifications.length) {
    invocation.toolExecutionNotifications = notifications.map((n) => ({
      level: n.level,
      message: { text: n.text },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(n.abs, cwd) } }],
    }));
  }

  const srcroot = pathToFileURL(cwd).href;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version,
            semanticVersion: /^\d+\.\d+\.\d+/.test(version) ? version : undefined,
            informationUri: TOOL_INFORMATION_URI,
            rules: metas.map(ruleDescriptor),
          },
        },
        invocations: [invocation],
        originalUriBaseIds: { '%SRCROOT%': { uri: srcroot.endsWith('/') ? srcroot : `${srcroot}/` } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function formatSarif(
  files: readonly LintedFile[], unreadable: readonly UnreadableFile[], cwd: string, version: string, skipped: readonly UnreadableFile[] = [],
): string {
  return JSON.stringify(toSarif(files, unreadable, cwd, version, skipped), null, 2) + '\n';
}

let cachedVersion: string | undefined;

/** The package version, read from the package.json above this module (bundled or compiled). */
export function cliVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  cachedVersion = '0.0.0';
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'iot-policy-language' && typeof pkg.version === 'string') {
        cachedVersion = pkg.version;
        break;
      }
    } catch {
      // not here: keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return cachedVersion;
}

function listRules(): string {
  const width = Math.max(...ALL_RULES.map((r) => r.meta.id.length));
  return ALL_RULES.map((r) => `${r.meta.id.padEnd(width)}  ${r.meta.defaultSeverity.padEnd(7)}  ${r.meta.description}`).join('\n') + '\n';
}

function suggest(id: string, ids: readonly string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of ids) {
    const d = editDistance(id, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(id.length / 4)) ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

// ---------------------------------------------------------------------------------------------
// Entry

/** `iot-policy lint ...`: resolves to the exit code. */
export async function runLint(argv: readonly string[], io: CliIo, version?: string): Promise<number> {
  const parsed = parseLintArgs(argv);
  if (parsed.kind === 'help') {
    io.stdout(lintUsage());
    return 0;
  }
  if (parsed.kind === 'list-rules') {
    io.stdout(listRules());
    return 0;
  }
  if (parsed.kind === 'error') {
    io.stderr(`iot-policy lint: ${parsed.message}\nRun "iot-policy lint --help" for usage.\n`);
    return 2;
  }
  const opts = parsed.options;

  // Configuration: file (explicit or discovered), then --rule flags.
  let fileConfig: PolicyConfig | undefined;
  const configPath = opts.configFile !== undefined ? path.resolve(io.cwd, opts.configFile) : opts.noConfig ? undefined : findConfigFile(io.cwd);
  if (configPath) {
    const display = opts.configFile ?? path.relative(io.cwd, configPath);
    const loaded = loadConfigFile(configPath, display, io);
    if (loaded.problems.length) {
      io.stderr(loaded.problems.map((p) => `iot-policy lint: ${p}\n`).join(''));
      return 2;
    }
    fileConfig = loaded.config;
  }
  const config = mergeConfigs(fileConfig, { rules: opts.rules });

  const discovery = discoverTargets(opts.inputs, io);
  if (discovery.errors.length) {
    io.stderr(discovery.errors.map((e) => `iot-policy lint: ${e}\n`).join(''));
    return 2;
  }
  for (const n of discovery.notes) io.stderr(`iot-policy lint: ${n}\n`);

  const unreadable: UnreadableFile[] = [...discovery.unreadable];
  const linted: LintedFile[] = [];
  for (const t of discovery.targets) {
    let text = t.text;
    if (text === undefined) {
      try {
        text = io.readFile(t.abs);
      } catch (err) {
        unreadable.push({ file: t.file, abs: t.abs, reason: errorReason(err) });
        continue;
      }
    }
    linted.push(lintText(t.file, t.abs, text, config, t.model));
  }
  for (const u of unreadable) io.stderr(`iot-policy lint: cannot read ${u.file}: ${u.reason}\n`);

  switch (opts.format) {
    case 'json':
      io.stdout(formatJson(linted));
      break;
    case 'sarif':
      io.stdout(formatSarif(linted, unreadable, io.cwd, version ?? cliVersion(), discovery.skipped));
      break;
    default:
      io.stdout(formatText(linted, useColor(io, opts.color)));
  }

  if (unreadable.length) return 2;
  return linted.some((f) => f.findings.some((x) => x.severity === 'error')) ? 1 : 0;
}
