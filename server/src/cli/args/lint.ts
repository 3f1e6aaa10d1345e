/** `iot-policy lint` arguments: options, rule levels and the inputs to lint. */
import { CONFIG_FILE_NAME, LEVELS, POLICY_FILE_GLOBS, RULE_IDS, isLevel, type Level } from '../../service';
import { editDistance } from '../../service/text/distance';
import { SKIPPED_DIRS } from '../discover';
import { ArgList, splitOption, type Parsed } from './options';

export type OutputFormat = 'text' | 'json' | 'sarif';
const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];

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

export type ParsedLintArgs = Parsed<LintOptions> | { kind: 'list-rules' };

/** Switches that take no value: `--color=yes` is a usage error, not a silent yes. */
const SWITCHES = ['--no-config', '--color', '--no-color'];

export function lintUsage(): string {
  return [
    'Usage: iot-policy lint [options] <files|dirs|globs>...',
    '',
    'Checks AWS IoT Core policies with the same rules as the editor: standalone policy files, and',
    'policies inside CloudFormation, SAM, Serverless and cdk.out templates (YAML or JSON), Terraform',
    'files and CDK stacks (TypeScript, JavaScript, Python). Positions are those of the file.',
    '',
    'Files named on the command line are always linted (a JSON file no host reads, as a policy).',
    `Directories and globs are searched, skipping ${[...SKIPPED_DIRS].join(', ')}, for files`,
    `that hold IoT policies: ${POLICY_FILE_GLOBS.join(' or ')}, JSON with a Statement`,
    'and iot: actions, templates with AWS::IoT::Policy resources, Terraform aws_iot_policy',
    'resources, CDK CfnPolicy constructs and CDK string constants holding such JSON.',
    'Quote globs so the shell does not expand them: iot-policy lint "infra/**/*.yaml"',
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

/** Parses a `--rule` value (`id=level`, or several separated by commas) into `into`. */
function parseRuleFlag(value: string, into: Record<string, Level>): string | undefined {
  for (const part of value.split(',')) {
    const item = part.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    if (eq <= 0) return `--rule "${item}": expected id=level (for example --rule overly-permissive=error)`;
    const id = item.slice(0, eq).trim();
    const level = item.slice(eq + 1).trim();
    if (!RULE_IDS.has(id)) {
      return `--rule "${item}": unknown rule id "${id}"${suggest(id, [...RULE_IDS])} (see iot-policy lint --list-rules)`;
    }
    if (!isLevel(level)) return `--rule "${item}": level must be one of ${LEVELS.join(', ')}`;
    into[id] = level;
  }
  return undefined;
}

/** ` (did you mean "x"?)` for the first nearest id, when it is near enough to be a typo. */
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

export function parseLintArgs(argv: readonly string[]): ParsedLintArgs {
  const options: LintOptions = { format: 'text', rules: {}, noConfig: false, inputs: [] };
  const args = new ArgList(argv);
  for (let arg = args.next(); arg !== undefined; arg = args.next()) {
    if (arg === '--') {
      options.inputs.push(...args.rest());
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (arg === '-') return { kind: 'error', message: 'reading a policy from standard input is not supported; name the file' };
      options.inputs.push(arg);
      continue;
    }
    const option = splitOption(arg);
    const name = option.name;
    switch (name) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--list-rules':
        return { kind: 'list-rules' };
      case '-f':
      case '--format': {
        const v = args.value(option);
        if (v === undefined) return { kind: 'error', message: `${name} needs a value: ${OUTPUT_FORMATS.join(', ')}` };
        if (!(OUTPUT_FORMATS as readonly string[]).includes(v)) {
          return { kind: 'error', message: `unknown format "${v}"; use one of ${OUTPUT_FORMATS.join(', ')}` };
        }
        options.format = v as OutputFormat;
        break;
      }
      case '-r':
      case '--rule': {
        const v = args.value(option);
        if (v === undefined) return { kind: 'error', message: `${name} needs a value: id=level` };
        const problem = parseRuleFlag(v, options.rules);
        if (problem) return { kind: 'error', message: problem };
        break;
      }
      case '-c':
      case '--config': {
        const v = args.value(option);
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
    if (option.inline !== undefined && SWITCHES.includes(name)) {
      return { kind: 'error', message: `option ${name} takes no value` };
    }
  }
  if (options.configFile !== undefined && options.noConfig) {
    return { kind: 'error', message: '--config and --no-config cannot be used together' };
  }
  if (options.inputs.length === 0) return { kind: 'error', message: 'no files, directories or globs to lint' };
  return { kind: 'options', options };
}
