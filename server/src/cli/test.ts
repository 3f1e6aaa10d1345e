/**
 * `iot-policy test FILE...` — runs policy test files (`*.iot-policy-test.json`).
 *
 * Prints each case (PASS/FAIL, the decision and the statement that decided it), then
 * `N passed, N failed`. Exit codes: 0 all passed, 1 some case failed, 2 bad input (usage, an
 * unreadable or invalid test file or policy) — the other files still run.
 */
import * as path from 'path';
import type { EvalPolicy } from '../service/eval/evaluate';
import { parsePolicyTestFile, runPolicyTestCases, type PolicyTestFile } from '../service/testFile';
import { lineColumn } from '../service/text/lines';
import { usageError } from './args/options';
import { parseTestArgs, testUsage } from './args/test';
import { toDeployInputs } from './args/inputs';
import { InputError, loadPolicy, policyTexts, readInput, splitPolicySpec } from './evalInput';
import { formatCase } from './format/text';
import type { EvalIo } from './io';
import { displayPath } from './paths';
import { printable } from './format/printable';

/**
 * Reads and parses a test file; throws InputError naming every problem of the file as a whole.
 * A problem of one case is left to that case, which fails with it; syntax errors hide the rest.
 */
function loadTestFile(display: string, abs: string, io: Pick<EvalIo, 'readFile'>): PolicyTestFile {
  const text = readInput(display, () => io.readFile(abs));
  const tf = parsePolicyTestFile(text);
  let fileProblems = tf.problems.filter((p) => !tf.cases.some((c) => c.span.offset === p.span.offset && c.problems.length));
  const syntax = fileProblems.filter((p) => p.message.startsWith('JSON syntax error'));
  if (syntax.length) fileProblems = syntax;
  if (fileProblems.length) {
    throw new InputError(fileProblems.map((p) => {
      const { line, column } = lineColumn(text, p.span.offset);
      return `${display}:${line}:${column}: ${p.message}`;
    }).join('\niot-policy test: '));
  }
  return tf;
}

export async function runTest(argv: readonly string[], io: EvalIo): Promise<number> {
  const parsed = parseTestArgs(argv);
  if (parsed.kind === 'help') {
    io.stdout(testUsage());
    return 0;
  }
  if (parsed.kind === 'error') return usageError(io, 'test', parsed.message);
  let passed = 0;
  let failed = 0;
  let badInput = false;
  for (const file of parsed.options.files) {
    const abs = path.resolve(io.cwd, file);
    const display = displayPath(abs, io.cwd);
    try {
      const tf = loadTestFile(display, abs, io);
      const dir = path.dirname(abs);
      const inputs = toDeployInputs(parsed.options.inputs, tf.inputs);
      const policies: EvalPolicy[] = [];
      for (const p of tf.policies) {
        const { file: policyFile } = splitPolicySpec(p.path);
        const pAbs = path.resolve(dir, policyFile);
        policies.push(await loadPolicy(p.path, pAbs, displayPath(pAbs, io.cwd), io, inputs));
      }
      const texts = policyTexts(policies);
      io.stdout(`${printable(display)}\n`);
      for (const r of runPolicyTestCases(tf, policies)) {
        if (!r.result) badInput = true;
        if (r.passed) passed++;
        else failed++;
        io.stdout(formatCase(r, texts));
      }
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      badInput = true;
      io.stderr(`iot-policy test: ${err.message}\n`);
    }
  }
  io.stdout(`${passed} passed, ${failed} failed\n`);
  return badInput ? 2 : failed ? 1 : 0;
}
