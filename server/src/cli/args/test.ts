/** `iot-policy test` arguments: the test files to run, and defaults for their inputs. */
import { emptyInputs, INPUT_USAGE, isInputFlag, readInputFlag, type InputFlags } from './inputs';
import { ArgList, splitOption, type Parsed } from './options';

export function testUsage(): string {
  return [
    'Usage: iot-policy test [inputs] FILE...',
    '',
    'Runs policy test files (*.iot-policy-test.json):',
    '  {"policies": ["device.iot-policy.json", "../infra/stack.yaml#FleetPolicy"],',
    '   "inputs": {"region": "eu-west-1", "account": "111122223333", "parameters": {"Stage": "prod"}},',
    '   "cases": [{"name": "publishes to its own topic",',
    '              "request": {"action": "iot:Publish", "resource": "arn:aws:iot:REGION:ACCOUNT:topic/t1/x",',
    '                          "context": {"iot:Connection.Thing.ThingName": "t1"}},',
    '              "expect": "Allow"}]}',
    'Policy paths are relative to the test file; the policies are evaluated together.',
    '"expect" is Allow, Deny (explicit or implicit), ExplicitDeny or ImplicitDeny.',
    '"inputs" (optional) resolve the templates among the policies; they win over the options below.',
    '',
    ...INPUT_USAGE,
    '',
    'Exit codes: 0 all cases passed, 1 a case failed, 2 bad input.',
    '',
  ].join('\n');
}

/** Arguments are read in order: `--help` before a bad option wins, after one it does not. */
export function parseTestArgs(argv: readonly string[]): Parsed<{ files: string[]; inputs: InputFlags }> {
  const files: string[] = [];
  const inputs = emptyInputs();
  const args = new ArgList(argv);
  for (let a = args.next(); a !== undefined; a = args.next()) {
    if (a === '-h' || a === '--help') return { kind: 'help' };
    const option = splitOption(a);
    if (isInputFlag(option.name)) {
      const value = args.value(option);
      if (value === undefined) return { kind: 'error', message: `${option.name} needs a value` };
      const problem = readInputFlag(option.name, value, inputs);
      if (problem) return { kind: 'error', message: problem };
      continue;
    }
    if (a.startsWith('-') && a !== '-') return { kind: 'error', message: `unknown option ${a}` };
    files.push(a);
  }
  if (!files.length) return { kind: 'error', message: 'give at least one test file (*.iot-policy-test.json)' };
  return { kind: 'options', options: { files, inputs } };
}
