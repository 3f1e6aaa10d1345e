/**
 * `iot-policy eval --policy FILE[#ID]... --request FILE|- [--format text|json] [inputs]`
 *
 * Evaluates one request against the policies together (an explicit Deny in any of them wins),
 * exactly as the library's `evaluate` does. A policy in a template, Terraform file or CDK stack is
 * resolved with the inputs (`--region`, `--parameter`...) first; one that still depends on an
 * unknown value is refused. Exit codes: 0 the request was evaluated (whatever the
 * decision), 2 bad input (usage, unreadable or invalid policy or request) with a clear message.
 */
import * as path from 'path';
import { readStdinSync } from '../node/files';
import { evaluate, type EvalPolicy } from '../service/eval/evaluate';
import { evalUsage, parseEvalArgs } from './args/eval';
import { usageError } from './args/options';
import { toDeployInputs } from './args/inputs';
import { InputError, loadPolicy, parseRequestText, policyTexts, readInput, splitPolicySpec } from './evalInput';
import { formatEvalJson } from './format/json';
import { formatEvalText } from './format/text';
import type { EvalIo } from './io';

/** The request's text: a file, or standard input for `-`. */
function readRequestText(source: string, io: EvalIo): string {
  if (source !== '-') return io.readFile(path.resolve(io.cwd, source));
  return io.readStdin ? io.readStdin() : readStdinSync();
}

export async function runEval(argv: readonly string[], io: EvalIo): Promise<number> {
  const parsed = parseEvalArgs(argv);
  if (parsed.kind === 'error') return usageError(io, 'eval', parsed.message);
  if (parsed.kind === 'help') {
    io.stdout(evalUsage());
    return 0;
  }
  const args = parsed.options;
  try {
    const inputs = toDeployInputs(args.inputs);
    const policies: EvalPolicy[] = [];
    for (const spec of args.policies) {
      const { file, key } = splitPolicySpec(spec);
      policies.push(await loadPolicy(spec, path.resolve(io.cwd, file), key === undefined ? spec : file, io, inputs));
    }
    const display = args.request === '-' ? '(stdin)' : args.request;
    const text = readInput(`request ${display}`, () => readRequestText(args.request, io));
    const request = parseRequestText(text, display);
    const result = evaluate(policies, request);
    const texts = policyTexts(policies);
    io.stdout(args.format === 'json' ? formatEvalJson(result, texts) : formatEvalText(result, request, texts));
    return 0;
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`iot-policy eval: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
