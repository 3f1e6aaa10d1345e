/**
 * `iot-policy eval --policy FILE [--policy FILE]... --request FILE|- [--format text|json]`
 *
 * Evaluates one request against the policies together (an explicit Deny in any of them wins),
 * exactly as the library's `evaluate` does. Exit codes: 0 the request was evaluated (whatever the
 * decision), 2 bad input (usage, unreadable or invalid policy or request) with a clear message.
 *
 * Registered in main.ts's dispatch table (loaded there with require('./eval'), export `runEval`).
 */
import * as path from 'path';
import { fileErrorReason as errorReason, readStdinSync } from '../node/files';
import { parsePolicy } from '../service/hosts/json/parse';
import type { PolicyModel } from '../service/policy/model';
import { evaluate, type EvalPolicy, type EvalRequest, type EvalResult, type MatchedStatement } from '../service/eval/evaluate';
import { validateRequest } from '../service/testFile';
import type { CliIo } from './main';

/** The I/O eval/test need: main.ts's CliIo, optionally with a stdin reader (tests inject one). */
export type EvalIo = Pick<CliIo, 'stdout' | 'stderr' | 'readFile' | 'cwd'> & { readStdin?: () => string };

export function evalUsage(): string {
  return [
    'Usage: iot-policy eval --policy FILE [--policy FILE]... --request FILE|- [--format text|json]',
    '',
    'Decides a request locally, the way AWS IoT Core does: default deny, an explicit Deny in any',
    'policy wins, wildcards, policy variables, conditions.',
    '',
    'Options:',
    '  --policy FILE         A policy document; repeat for every policy attached to the principal.',
    '  --request FILE|-      The request as JSON ("-" reads standard input):',
    '                        {"action": "iot:Publish", "resource": "arn:aws:iot:REGION:ACCOUNT:topic/t1/x",',
    '                         "context": {"iot:Connection.Thing.ThingName": "t1", "iot:ConnectAttributes": ["PersistentConnect"]}}',
    '  --format text|json    Output format (default text). JSON: {"decision", "matched": [{"file", "statement", "effect"}], "notes"}.',
    '  -h, --help            Show this help.',
    '',
    'Exit codes: 0 evaluated (any decision), 2 bad input.',
    '',
  ].join('\n');
}

export class InputError extends Error {}

/** 1-based line and column of a document offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}


/** Reads and parses a policy file; throws InputError with a clear message when it cannot be used. */
export function loadPolicyFile(display: string, abs: string, io: Pick<EvalIo, 'readFile'>): EvalPolicy {
  let text: string;
  try {
    text = io.readFile(abs);
  } catch (err) {
    throw new InputError(`cannot read policy ${display}: ${errorReason(err)}`);
  }
  const model: PolicyModel = parsePolicy(text);
  if (model.syntaxErrors.length) {
    const e = model.syntaxErrors[0];
    const { line, column } = lineColumn(text, e.offset);
    throw new InputError(`policy ${display} is not valid JSON: ${e.code} at line ${line}, column ${column}`);
  }
  if (!model.root || model.root.type !== 'object') throw new InputError(`policy ${display} must be a JSON object with "Statement"`);
  if (!model.statementProp) throw new InputError(`policy ${display} has no "Statement"`);
  return { name: display, model };
}

/** Parses request JSON text; throws InputError. */
export function parseRequestText(text: string, display: string): EvalRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`request ${display} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const v = validateRequest(raw);
  if (!v.request) throw new InputError(`invalid request ${display}: ${v.problems.join('; ')}`);
  return v.request;
}

export interface JsonMatched {
  file: string;
  /** One-based statement number. */
  statement: number;
  effect: 'Allow' | 'Deny';
  sid?: string;
  line: number;
}

export interface JsonEvalOutput {
  decision: EvalResult['decision'];
  matched: JsonMatched[];
  notes: string[];
}

export function describeStatement(m: MatchedStatement, texts: ReadonlyMap<string, string>): { line: number; label: string } {
  const text = texts.get(m.policy) ?? '';
  const { line } = lineColumn(text, m.span.offset);
  return { line, label: `statement ${m.statementIndex + 1}${m.sid ? ` ("${m.sid}")` : ''} (${m.effect}) in ${m.policy}, line ${line}` };
}

export function toJsonOutput(result: EvalResult, texts: ReadonlyMap<string, string>): JsonEvalOutput {
  return {
    decision: result.decision,
    matched: result.matched.map((m) => ({
      file: m.policy, statement: m.statementIndex + 1, effect: m.effect, ...(m.sid ? { sid: m.sid } : {}), line: describeStatement(m, texts).line,
    })),
    notes: result.notes,
  };
}

export function formatEvalText(result: EvalResult, request: { action: string; resource: string }, texts: ReadonlyMap<string, string>): string {
  const lines = [`${result.decision}: ${request.action} on ${request.resource}`];
  if (result.deciding) lines.push(`  decided by ${describeStatement(result.deciding, texts).label}`);
  for (const m of result.matched) if (m !== result.deciding) lines.push(`  also matched ${describeStatement(m, texts).label}`);
  for (const n of result.notes) lines.push(`  note: ${n}`);
  return lines.join('\n') + '\n';
}

interface EvalArgs {
  policies: string[];
  request?: string;
  format: 'text' | 'json';
  help: boolean;
}

function parseArgs(argv: readonly string[]): EvalArgs {
  const out: EvalArgs = { policies: [], format: 'text', help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq === -1 ? a : a.slice(0, eq);
    const value = (): string => {
      if (eq !== -1) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new InputError(`${flag} needs a value`);
      return v;
    };
    if (flag === '-h' || flag === '--help') out.help = true;
    else if (flag === '--policy' || flag === '-p') out.policies.push(value());
    else if (flag === '--request' || flag === '-r') {
      if (out.request !== undefined) throw new InputError('--request may be given once');
      out.request = value();
    } else if (flag === '--format' || flag === '-f') {
      const f = value();
      if (f !== 'text' && f !== 'json') throw new InputError(`unknown format "${f}" (use text or json)`);
      out.format = f;
    } else throw new InputError(a.startsWith('-') ? `unknown option ${a}` : `unexpected argument "${a}" (policies are given with --policy FILE)`);
  }
  return out;
}

function readStdin(io: EvalIo): string {
  return io.readStdin ? io.readStdin() : readStdinSync();
}

export async function runEval(argv: readonly string[], io: EvalIo): Promise<number> {
  let args: EvalArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    io.stderr(`iot-policy eval: ${(err as Error).message}\nRun "iot-policy eval --help" for usage.\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(evalUsage());
    return 0;
  }
  if (!args.policies.length || args.request === undefined) {
    io.stderr(`iot-policy eval: ${!args.policies.length ? 'at least one --policy FILE is required' : '--request FILE|- is required'}\nRun "iot-policy eval --help" for usage.\n`);
    return 2;
  }
  try {
    const policies = args.policies.map((p) => loadPolicyFile(p, path.resolve(io.cwd, p), io));
    let requestText: string;
    const display = args.request === '-' ? '(stdin)' : args.request;
    try {
      requestText = args.request === '-' ? readStdin(io) : io.readFile(path.resolve(io.cwd, args.request));
    } catch (err) {
      throw new InputError(`cannot read request ${display}: ${errorReason(err)}`);
    }
    const request = parseRequestText(requestText, display);
    const result = evaluate(policies, request);
    const texts = new Map(policies.map((p) => [p.name, p.model.text]));
    io.stdout(args.format === 'json' ? JSON.stringify(toJsonOutput(result, texts), null, 2) + '\n' : formatEvalText(result, request, texts));
    return 0;
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`iot-policy eval: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
