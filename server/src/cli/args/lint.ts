/** `iot-policy lint` arguments: options, rule levels and the inputs to lint. */
import { CONFIG_FILE_NAME, IGNORE_FILE_NAME, LEVELS, POLICY_FILE_GLOBS, RULE_IDS, isLevel, type Level } from '../../service';
import { editDistance } from '../../service/text/distance';
import { SKIPPED_DIRS } from '../discover';
import type { FixMode } from '../lintFile';
import { ArgList, splitOption, type Parsed } from './options';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'github';
const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github'];

export interface LintOptions {
  format: OutputFormat;
  /** From `--rule id=level`, in order; later flags win. */
  rules: Record<string, Level>;
  configFile?: string;
  noConfig: boolean;
  /** `--ignore-path FILE`: the ignore file to read instead of looking for `.iot-policyignore`. */
  ignorePath?: string;
  /** `--no-ignore`: lint files the configuration and the ignore file leave out. */
  noIgnore: boolean;
  /** Forced colour on/off; undefined = decide from the terminal and NO_COLOR. */
  color?: boolean;
  fix: FixMode;
  /** `--max-warnings N`: more warnings than N fail the run (exit 1). */
  maxWarnings?: number;
  /** `--quiet`: report errors only. */
  quiet: boolean;
  /** `--output-file F`: the report goes to F instead of standard output. */
  outputFile?: string;
  /** `--concurrency N|auto|off`: worker threads besides the main one (undefined: auto). */
  concurrency?: number;
  inputs: string[];
}

export type ParsedLintArgs = Parsed<LintOptions> | { kind: 'list-rules' };

/** Switches that take no value: `--color=yes` is a usage error, not a silent yes. */
const SWITCHES = ['--no-config', '--color', '--no-color', '--fix', '--fix-dry-run', '--quiet', '--no-ignore'];
/** The most worker threads `--concurrency` may ask for. */
const MAX_CONCURRENCY = 64;

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
    '  -f, --format <text|json|sarif|github>',
    '                                  Output format (default: text). github: workflow annotations.',
    '  -r, --rule <id=level>           Set a rule\'s level: off, error, warning, info or hint.',
    '                                  Repeatable; also id=level,id=level. Wins over the config file.',
    `  -c, --config <file>             Configuration file (default: the nearest ${CONFIG_FILE_NAME}`,
    '                                  in the current directory or above it, up to the repository root).',
    '      --no-config                 Do not look for a configuration file.',
    `      --ignore-path <file>        Ignore file (default: the nearest ${IGNORE_FILE_NAME}, found`,
    '                                  like the configuration file), in .gitignore syntax.',
    '      --no-ignore                 Lint the files that ignore patterns leave out.',
    '      --fix                       Apply the safe fixes (the editor\'s Fix all) and report what remains.',
    '      --fix-dry-run               Print the fixes as a unified diff instead of writing them.',
    '      --max-warnings <n>          Fail (exit 1) when there are more than n warnings.',
    '      --quiet                     Report errors only.',
    '  -o, --output-file <file>        Write the report to a file instead of standard output.',
    '      --concurrency <n|auto|off>  Worker threads for many files (default: auto).',
    '      --color, --no-color         Force coloured text output on or off (default: on a terminal',
    '                                  unless NO_COLOR is set).',
    '      --list-rules                Print the rule ids with their default levels and exit.',
    '  -h, --help                      Show this help.',
    '',
    'Exit status: 0 no errors, 1 errors found (or too many warnings), 2 usage error, bad',
    'configuration, or a file that could not be read or fixed.',
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
  const options: LintOptions = { format: 'text', rules: {}, noConfig: false, noIgnore: false, fix: 'off', quiet: false, inputs: [] };
  const args = new ArgList(argv);
  for (let arg = args.next(); arg !== undefined; arg = args.next()) {
    if (arg === '--') {
      // A loop, not push(...rest): spreading 130,000 arguments overflows the call stack.
      for (const a of args.rest()) options.inputs.push(a);
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
      case '--ignore-path': {
        const v = args.value(option);
        if (v === undefined || v === '') return { kind: 'error', message: `${name} needs a file name` };
        options.ignorePath = v;
        break;
      }
      case '--no-ignore':
        options.noIgnore = true;
        break;
      case '--fix':
      case '--fix-dry-run': {
        const mode: FixMode = name === '--fix' ? 'write' : 'dry-run';
        if (options.fix !== 'off' && options.fix !== mode) return { kind: 'error', message: '--fix and --fix-dry-run cannot be used together' };
        options.fix = mode;
        break;
      }
      case '--quiet':
        options.quiet = true;
        break;
      case '--max-warnings': {
        const v = args.value(option);
        if (v === undefined || !/^\d+$/.test(v)) return { kind: 'error', message: `${name} needs a number of warnings (0 or more)` };
        options.maxWarnings = Number(v);
        break;
      }
      case '-o':
      case '--output-file': {
        const v = args.value(option);
        if (v === undefined || v === '') return { kind: 'error', message: `${name} needs a file name` };
        options.outputFile = v;
        break;
      }
      case '--concurrency': {
        const v = args.value(option);
        if (v === 'auto') options.concurrency = undefined;
        else if (v === 'off') options.concurrency = 0;
        else if (v !== undefined && /^\d+$/.test(v) && Number(v) <= MAX_CONCURRENCY) options.concurrency = Number(v);
        else return { kind: 'error', message: `${name} needs auto, off or a number of worker threads (0 to ${MAX_CONCURRENCY})` };
        break;
      }
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
  if (options.ignorePath !== undefined && options.noIgnore) {
    return { kind: 'error', message: '--ignore-path and --no-ignore cannot be used together' };
  }
  if (options.inputs.length === 0) return { kind: 'error', message: 'no files, directories or globs to lint' };
  return { kind: 'options', options };
}
