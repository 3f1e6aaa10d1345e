/** `iot-policy eval` arguments: the policies, the request and the output format. */
import { emptyInputs, INPUT_USAGE, isInputFlag, readInputFlag, type InputFlags } from './inputs';
import { ArgList, splitOption, type Parsed } from './options';

export interface EvalOptions {
  /** Files, or `FILE#ID` for a policy among several. */
  policies: string[];
  inputs: InputFlags;
  /** A file, or `-` for standard input. */
  request: string;
  format: 'text' | 'json';
}

export function evalUsage(): string {
  return [
    'Usage: iot-policy eval --policy FILE[#ID]... --request FILE|- [--format text|json] [inputs]',
    '',
    'Decides a request locally, the way AWS IoT Core does: default deny, an explicit Deny in any',
    'policy wins, wildcards, policy variables, conditions.',
    '',
    'Options:',
    '  --policy FILE[#ID]    A policy file, or a policy in a template, Terraform file or CDK stack',
    '                        (stack.yaml#DevicePolicy, main.tf#aws_iot_policy.device); repeat for',
    '                        every policy attached to the principal.',
    '  --request FILE|-      The request as JSON ("-" reads standard input):',
    '                        {"action": "iot:Publish", "resource": "arn:aws:iot:REGION:ACCOUNT:topic/t1/x",',
    '                         "context": {"iot:Connection.Thing.ThingName": "t1", "iot:ConnectAttributes": ["PersistentConnect"]}}',
    '  --format text|json    Output format (default text). JSON: {"decision", "matched": [{"file", "statement", "effect"}], "notes"}.',
    '  -h, --help            Show this help.',
    '',
    ...INPUT_USAGE,
    '',
    'Exit codes: 0 evaluated (any decision), 2 bad input.',
    '',
  ].join('\n');
}

/** Every argument is read before `--help` is honoured, so a bad argument is reported even then. */
export function parseEvalArgs(argv: readonly string[]): Parsed<EvalOptions> {
  const policies: string[] = [];
  let request: string | undefined;
  let format: EvalOptions['format'] = 'text';
  const inputs = emptyInputs();
  let help = false;
  const args = new ArgList(argv);
  for (let arg = args.next(); arg !== undefined; arg = args.next()) {
    const option = splitOption(arg);
    const flag = option.name;
    if (flag === '-h' || flag === '--help') {
      help = true;
      continue;
    }
    const isPolicy = flag === '--policy' || flag === '-p';
    const isRequest = flag === '--request' || flag === '-r';
    const isFormat = flag === '--format' || flag === '-f';
    if (isInputFlag(flag)) {
      const value = args.value(option);
      if (value === undefined) return { kind: 'error', message: `${flag} needs a value` };
      const problem = readInputFlag(flag, value, inputs);
      if (problem) return { kind: 'error', message: problem };
      continue;
    }
    if (!isPolicy && !isRequest && !isFormat) {
      const message = arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument "${arg}" (policies are given with --policy FILE)`;
      return { kind: 'error', message };
    }
    if (isRequest && request !== undefined) return { kind: 'error', message: '--request may be given once' };
    const value = args.value(option);
    if (value === undefined) return { kind: 'error', message: `${flag} needs a value` };
    if (isPolicy) policies.push(value);
    else if (isRequest) request = value;
    else if (value !== 'text' && value !== 'json') return { kind: 'error', message: `unknown format "${value}" (use text or json)` };
    else format = value;
  }
  if (help) return { kind: 'help' };
  if (!policies.length) return { kind: 'error', message: 'at least one --policy FILE is required' };
  if (request === undefined) return { kind: 'error', message: '--request FILE|- is required' };
  return { kind: 'options', options: { policies, request, format, inputs } };
}
