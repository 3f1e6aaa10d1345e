/**
 * `iot-policy test FILE...` — runs policy test files (`*.iot-policy-test.json`).
 *
 * Prints each case (PASS/FAIL, the decision and the statement that decided it), then
 * `N passed, N failed`. Exit codes: 0 all passed, 1 some case failed, 2 bad input (usage, an
 * unreadable or invalid test file or policy) — the other files still run.
 *
 * Registered in main.ts's dispatch table (loaded there with require('./test'), export `runTest`).
 */
import * as path from 'path';
import type { EvalPolicy } from '../service/eval/evaluate';
import { parsePolicyTestFile, runPolicyTestCases, type CaseResult } from '../service/testFile';
import { fileErrorReason as errorReason } from '../node/files';
import { describeStatement, InputError, lineColumn, loadPolicyFile, type EvalIo } from './eval';

export function testUsage(): string {
  return [
    'Usage: iot-policy test FILE...',
    '',
    'Runs policy test files (*.iot-policy-test.json):',
    '  {"policies": ["device.iot-policy.json"],',
    '   "cases": [{"name": "publishes to its own topic",',
    '              "request": {"action": "iot:Publish", "resource": "arn:aws:iot:REGION:ACCOUNT:topic/t1/x",',
    '                          "context": {"iot:Connection.Thing.ThingName": "t1"}},',
    '              "expect": "Allow"}]}',
    'Policy paths are relative to the test file; the policies are evaluated together.',
    '"expect" is Allow, Deny (explicit or implicit), ExplicitDeny or ImplicitDeny.',
    '',
    'Exit codes: 0 all cases passed, 1 a case failed, 2 bad input.',
    '',
  ].join('\n');
}

function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

export function formatCase(r: CaseResult, texts: ReadonlyMap<string, string>): string {
  const tc = r.testCase;
  if (!r.result) return `  FAIL  ${tc.name}: cannot run: ${tc.problems.join('; ')}\n`;
  const decided = r.result.deciding ? `, decided by ${describeStatement(r.result.deciding, texts).label}` : '';
  if (r.passed) return `  PASS  ${tc.name}: ${r.result.decision}${decided}\n`;
  let s = `  FAIL  ${tc.name}: expected ${tc.expect}, got ${r.result.decision}${decided}\n`;
  for (const n of r.result.notes) s += `        note: ${n}\n`;
  return s;
}

export async function runTest(argv: readonly string[], io: EvalIo): Promise<number> {
  const files: string[] = [];
  for (const a of argv) {
    if (a === '-h' || a === '--help') {
      io.stdout(testUsage());
      return 0;
    }
    if (a.startsWith('-') && a !== '-') {
      io.stderr(`iot-policy test: unknown option ${a}\nRun "iot-policy test --help" for usage.\n`);
      return 2;
    }
    files.push(a);
  }
  if (!files.length) {
    io.stderr('iot-policy test: give at least one test file (*.iot-policy-test.json)\nRun "iot-policy test --help" for usage.\n');
    return 2;
  }
  let passed = 0;
  let failed = 0;
  let badInput = false;
  for (const file of files) {
    const abs = path.resolve(io.cwd, file);
    const display = displayPath(abs, io.cwd);
    try {
      let text: string;
      try {
        text = io.readFile(abs);
      } catch (err) {
        throw new InputError(`cannot read ${display}: ${errorReason(err)}`);
      }
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
      const dir = path.dirname(abs);
      const policies: EvalPolicy[] = tf.policies.map((p) => {
        const pAbs = path.resolve(dir, p.path);
        return loadPolicyFile(displayPath(pAbs, io.cwd), pAbs, io);
      });
      const texts = new Map(policies.map((p) => [p.name, p.model.text]));
      io.stdout(`${display}\n`);
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
