/** `iot-policy test` arguments: the test files to run. */
import type { Parsed } from './options';

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

/** Arguments are read in order: `--help` before a bad option wins, after one it does not. */
export function parseTestArgs(argv: readonly string[]): Parsed<{ files: string[] }> {
  const files: string[] = [];
  for (const a of argv) {
    if (a === '-h' || a === '--help') return { kind: 'help' };
    if (a.startsWith('-') && a !== '-') return { kind: 'error', message: `unknown option ${a}` };
    files.push(a);
  }
  if (!files.length) return { kind: 'error', message: 'give at least one test file (*.iot-policy-test.json)' };
  return { kind: 'options', options: { files } };
}
