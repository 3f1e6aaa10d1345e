/** Arguments of `iot-policy diff`, `iot-policy check ...` and `iot-policy explain`. */
import { refProblem } from '../git';
import { emptyInputs, INPUT_USAGE, isInputFlag, readInputFlag, type InputFlags } from './inputs';
import { ArgList, splitOption, type Parsed } from './options';

export type ReviewFormat = 'text' | 'json' | 'markdown' | 'sarif';

/** A policy to read: a file (`FILE[#ID]`), optionally at a git revision. */
export interface PolicySpec {
  /** As written, for messages. */
  written: string;
  /** `FILE[#ID]`. */
  spec: string;
  /** The revision of `git:REF:FILE`, or of a bare `git:REF` paired with a file. */
  ref?: string;
  /** Paired by a bare `git:REF`: a file added since REF had no policy there (it is not an error). */
  paired?: boolean;
}

export interface DiffOptions {
  base: PolicySpec[];
  next: PolicySpec[];
  format: ReviewFormat;
  inputs: InputFlags;
}

export interface ExplainOptions {
  policies: PolicySpec[];
  format: ReviewFormat;
  inputs: InputFlags;
}

export interface AccessNotGrantedOptions extends ExplainOptions {
  action: string;
  resource?: string;
}

const SPEC_USAGE = [
  'Policies:',
  '  FILE                  A policy file, or a file holding one policy (template, Terraform, CDK).',
  '  FILE#ID               One policy of a template, Terraform file or CDK stack: stack.yaml#DevicePolicy,',
  '                        main.tf#aws_iot_policy.device, lib/stack.ts#DevicePolicy.',
  '  git:REF:FILE[#ID]     The file as it is at a git revision (git show REF:FILE).',
];

export function diffUsage(): string {
  return [
    'Usage: iot-policy diff BASE NEW [options]',
    '       iot-policy diff --base BASE... [--new NEW...] [FILE...] [options]',
    '',
    'What NEW allows that BASE does not ("newly allowed"), and what BASE allows that NEW does not',
    '("no longer allowed"), per action: the resource, its conditions, what is carved out, and a',
    'request the two decide differently (checked with the evaluator).',
    '',
    'Options:',
    '  --base SPEC           A base policy; repeat for every policy attached to the principal.',
    '                        `--base git:REF` alone takes each NEW file as it is at REF:',
    '                        iot-policy diff --base git:HEAD device.iot-policy.json',
    '                        (a file added since REF had no policy there: all it allows is new).',
    '  --new SPEC            A new policy (repeatable); `--new git:REF` alone pairs with the FILEs.',
    '  -f, --format text|json|markdown',
    '                        Output format (default text); markdown is for pull request comments.',
    '  -h, --help            Show this help.',
    '',
    ...SPEC_USAGE,
    '',
    ...INPUT_USAGE,
    '  In diff, a value nobody gives is compared as unknown: items that depend on it say "may".',
    '',
    'Exit codes: 0 no difference, 1 a difference (or one that may exist), 2 usage error or unreadable input.',
    '',
  ].join('\n');
}

export function checkUsage(): string {
  return [
    'Usage: iot-policy check no-new-access --base BASE... NEW... [options]',
    '       iot-policy check access-not-granted --action ACTION [--resource PATTERN] POLICY... [options]',
    '',
    'Access checks for CI, with IoT semantics:',
    '  no-new-access         Fails when NEW allows any request BASE does not; prints each item and',
    '                        a request as witness. `--base git:REF` takes each NEW file at REF.',
    '  access-not-granted    Fails when some request of ACTION (a name or a pattern such as iot:*),',
    '                        on a resource matching PATTERN, is allowed under some context. PATTERN',
    '                        is a full ARN pattern or the part after the account (client/admin*).',
    '',
    'Options:',
    '  -f, --format text|json|markdown|sarif',
    '                        Output format (default text); SARIF for code scanning.',
    '  -h, --help            Show this help.',
    '',
    ...SPEC_USAGE,
    '',
    ...INPUT_USAGE,
    '',
    'Exit codes: 0 the check passes, 1 it fails (or may fail), 2 usage error or unreadable input.',
    '',
  ].join('\n');
}

export function explainUsage(): string {
  return [
    'Usage: iot-policy explain POLICY... [--format text|json|markdown] [inputs]',
    '',
    'The effective permissions of the policies attached together: per action, the resources',
    'allowed, their conditions, the Deny statements carved out of them, a request each allows, and',
    'warnings for what matches nothing.',
    '',
    'Options:',
    '  -f, --format text|json|markdown',
    '                        Output format (default text).',
    '  -h, --help            Show this help.',
    '',
    ...SPEC_USAGE,
    '',
    ...INPUT_USAGE,
    '',
    'Exit codes: 0 explained, 2 usage error or unreadable input.',
    '',
  ].join('\n');
}

/** `git:REF:FILE[#ID]` or a plain `FILE[#ID]`; `git:REF` alone gives `ref` and an empty spec. */
function readSpec(written: string): PolicySpec | string {
  if (!written.startsWith('git:')) return { written, spec: written };
  const rest = written.slice(4);
  const colon = rest.indexOf(':');
  const ref = colon === -1 ? rest : rest.slice(0, colon);
  const problem = refProblem(ref);
  if (problem) return problem;
  const file = colon === -1 ? '' : rest.slice(colon + 1);
  return { written, spec: file, ref };
}

interface Common {
  format: ReviewFormat;
  inputs: InputFlags;
  help: boolean;
}

/**
 * Reads the arguments; `named` are the options with values this command takes (besides the
 * format and inputs), collected in order. Every argument is read before `--help` is honoured.
 */
function readArgs(argv: readonly string[], named: readonly string[], formats: readonly ReviewFormat[]):
  { common: Common; values: Map<string, string[]>; positional: string[] } | string {
  const common: Common = { format: 'text', inputs: emptyInputs(), help: false };
  const values = new Map<string, string[]>(named.map((n) => [n, []]));
  const positional: string[] = [];
  const args = new ArgList(argv);
  for (let arg = args.next(); arg !== undefined; arg = args.next()) {
    if (arg === '--') {
      for (const a of args.rest()) positional.push(a);
      break;
    }
    const option = splitOption(arg);
    const flag = option.name;
    if (flag === '-h' || flag === '--help') {
      common.help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const value = args.value(option);
    if (value === undefined && (isInputFlag(flag) || flag === '--format' || flag === '-f' || named.includes(flag))) return `${flag} needs a value`;
    if (isInputFlag(flag)) {
      const problem = readInputFlag(flag, value!, common.inputs);
      if (problem) return problem;
    } else if (flag === '--format' || flag === '-f') {
      if (!(formats as readonly string[]).includes(value!)) return `unknown format "${value}" (use ${formats.join(', ')})`;
      common.format = value as ReviewFormat;
    } else if (named.includes(flag)) values.get(flag)!.push(value!);
    else return `unknown option ${arg}`;
  }
  return { common, values, positional };
}

function specs(list: readonly string[]): PolicySpec[] | string {
  const out: PolicySpec[] = [];
  for (const w of list) {
    const s = readSpec(w);
    if (typeof s === 'string') return s;
    out.push(s);
  }
  return out;
}

/** Pairs bare `git:REF` entries with the files given: one spec per file at that revision. */
function expand(side: PolicySpec[], files: readonly PolicySpec[], name: string): PolicySpec[] | string {
  const out: PolicySpec[] = [];
  for (const s of side) {
    if (s.spec) {
      out.push(s);
      continue;
    }
    if (!files.length) return `${name} ${s.written} needs the files to read at that revision`;
    for (const f of files) {
      if (f.ref !== undefined) return `${name} ${s.written} pairs with files, not with ${f.written}`;
      out.push({ written: `git:${s.ref}:${f.spec}`, spec: f.spec, ref: s.ref, paired: true });
    }
  }
  return out;
}

/** `diff` and `check no-new-access`: the two sides from `--base`, `--new` and the positional arguments. */
export function parseDiffArgs(argv: readonly string[], formats: readonly ReviewFormat[] = ['text', 'json', 'markdown']): Parsed<DiffOptions> {
  const read = readArgs(argv, ['--base', '--new'], formats);
  if (typeof read === 'string') return { kind: 'error', message: read };
  if (read.common.help) return { kind: 'help' };
  const base = specs(read.values.get('--base')!);
  const next = specs(read.values.get('--new')!);
  const positional = specs(read.positional);
  for (const s of [base, next, positional]) if (typeof s === 'string') return { kind: 'error', message: s };
  let b = base as PolicySpec[];
  let n = next as PolicySpec[];
  const files = positional as PolicySpec[];
  if (!b.length && !n.length) {
    if (files.length !== 2) return { kind: 'error', message: 'give BASE and NEW, or --base (and --new) with the files' };
    b = [files[0]];
    n = [files[1]];
  } else {
    const hasBare = (l: PolicySpec[]) => l.some((s) => !s.spec);
    if (!n.length) n = files;
    else if (!b.length) b = files;
    else if (files.length && !hasBare(b) && !hasBare(n)) return { kind: 'error', message: `unexpected argument "${files[0].written}" (both --base and --new are given)` };
    const eb = expand(b, files, '--base');
    const en = expand(n, files, '--new');
    if (typeof eb === 'string') return { kind: 'error', message: eb };
    if (typeof en === 'string') return { kind: 'error', message: en };
    b = eb;
    n = en;
  }
  if (!b.length) return { kind: 'error', message: 'no base policy (give BASE, or --base SPEC)' };
  if (!n.length) return { kind: 'error', message: 'no new policy (give NEW, or --new SPEC)' };
  for (const s of [...b, ...n]) if (!s.spec) return { kind: 'error', message: `${s.written} needs a file: git:REF:FILE, or the files as arguments` };
  return { kind: 'options', options: { base: b, next: n, format: read.common.format, inputs: read.common.inputs } };
}

export function parseExplainArgs(argv: readonly string[]): Parsed<ExplainOptions> {
  const read = readArgs(argv, [], ['text', 'json', 'markdown']);
  if (typeof read === 'string') return { kind: 'error', message: read };
  if (read.common.help) return { kind: 'help' };
  const policies = specs(read.positional);
  if (typeof policies === 'string') return { kind: 'error', message: policies };
  if (!policies.length) return { kind: 'error', message: 'give at least one POLICY' };
  for (const s of policies) if (!s.spec) return { kind: 'error', message: `${s.written} needs a file: git:REF:FILE` };
  return { kind: 'options', options: { policies, format: read.common.format, inputs: read.common.inputs } };
}

export function parseAccessNotGrantedArgs(argv: readonly string[]): Parsed<AccessNotGrantedOptions> {
  const read = readArgs(argv, ['--action', '--resource'], ['text', 'json', 'markdown', 'sarif']);
  if (typeof read === 'string') return { kind: 'error', message: read };
  if (read.common.help) return { kind: 'help' };
  const actions = read.values.get('--action')!;
  const resources = read.values.get('--resource')!;
  if (actions.length !== 1) return { kind: 'error', message: '--action ACTION is required, once' };
  if (resources.length > 1) return { kind: 'error', message: '--resource may be given once' };
  const policies = specs(read.positional);
  if (typeof policies === 'string') return { kind: 'error', message: policies };
  if (!policies.length) return { kind: 'error', message: 'give at least one POLICY' };
  for (const s of policies) if (!s.spec) return { kind: 'error', message: `${s.written} needs a file: git:REF:FILE` };
  return { kind: 'options', options: { policies, format: read.common.format, inputs: read.common.inputs, action: actions[0], ...(resources.length ? { resource: resources[0] } : {}) } };
}
