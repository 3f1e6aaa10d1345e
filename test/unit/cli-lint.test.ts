/**
 * In-process tests of `iot-policy lint` (and the top-level dispatch): output formats, exit codes,
 * unreadable files, directory and glob discovery. Each test works in its own temporary directory
 * that holds a `.git` folder, so configuration discovery never leaves it.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { nodeIo, type CliIo } from '../../server/src/cli/io';
import type { JsonFileResult } from '../../server/src/cli/format/json';
import { main, SUBCOMMANDS } from '../../server/src/cli/main';
import { RULE_IDS } from '../../server/src/service';
import { tempProject } from '../util/project';

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  isTTY?: boolean;
  env?: Record<string, string | undefined>;
  readFile?: (file: string) => string;
}

async function cli(cwd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    readFile: opts.readFile ?? nodeIo().readFile,
    cwd,
    isTTY: opts.isTTY ?? false,
    env: opts.env ?? {},
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const project = (files: Record<string, unknown>): string => tempProject(files, { prefix: 'cli' });

const ARN = 'arn:aws:iot:eu-west-1:493812760155';

/** A reasonable device policy: must never produce an error. */
const GOOD = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'iot:Connect',
        Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}`,
        Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
      },
      { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/sensors/\${iot:Connection.Thing.ThingName}/telemetry` },
    ],
  },
  null,
  2,
);

/** Line 3 (0-based 2) holds a comment, which strict JSON does not allow. */
const COMMENTED = '{\n  "Version": "2012-10-17",\n  // note\n  "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}]\n}\n';

/** Valid JSON that is an IoT policy by content. */
const DETECTABLE = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Publish","Resource":"' + ARN + ':topic/a"}]}';

function jsonOut(r: RunResult): JsonFileResult[] {
  return JSON.parse(r.stdout) as JsonFileResult[];
}

function files(r: RunResult): string[] {
  return jsonOut(r).map((f) => f.file.split(path.sep).join('/'));
}

describe('iot-policy (dispatch)', () => {
  it('prints usage with --help and exits 0', async () => {
    const r = await cli(os.tmpdir(), ['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: iot-policy <command>/);
    assert.match(r.stdout, /lint/);
  });
  it('prints the package version with --version', async () => {
    const r = await cli(os.tmpdir(), ['--version']);
    assert.equal(r.code, 0);
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string };
    assert.equal(r.stdout.trim(), pkg.version);
  });
  it('exits 2 with usage on no arguments or an unknown command', async () => {
    const none = await cli(os.tmpdir(), []);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Usage/);
    const bad = await cli(os.tmpdir(), ['frobnicate']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown command "frobnicate"/);
  });
  it('`help lint` and `lint --help` print the lint usage', async () => {
    for (const args of [['help', 'lint'], ['lint', '--help']]) {
      const r = await cli(os.tmpdir(), args);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /Usage: iot-policy lint/);
      assert.match(r.stdout, /--format <text\|json\|sarif\|github>/);
    }
  });
  for (const name of ['eval', 'test']) {
    it(`${name}: runs the implementation when present, else says it is not available (exit 2)`, async () => {
      const r = await cli(os.tmpdir(), [name, '--help']);
      if (SUBCOMMANDS[name].run) {
        assert.doesNotMatch(r.stderr, /not available/);
      } else {
        assert.equal(r.code, 2);
        assert.match(r.stderr, new RegExp(`"${name}" command is not available`));
      }
    });
  }
});

describe('iot-policy lint: text format', () => {
  it('reports file:line:col severity message [ruleId] (1-based) and a summary; exit 1 on errors', async () => {
    const root = project({ 'bad.json': COMMENTED });
    const r = await cli(root, ['lint', '--rule', 'json-syntax=error', 'bad.json']);
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    const syntax = lines.filter((l) => l.endsWith('[json-syntax]'));
    assert.equal(syntax.length, 1, r.stdout);
    assert.match(syntax[0], /^bad\.json:3:3 error \S.* \[json-syntax\]$/);
    const summary = lines[lines.length - 1];
    assert.match(summary, /^\d+ problems? \(\d+ errors?, \d+ warnings?, \d+ infos?(, \d+ hints?)?\) in 1 file$/);
    assert.equal(r.stderr, '');
  });
  it('exits 0 with no error on a good policy', async () => {
    const root = project({ 'good.json': GOOD });
    const r = await cli(root, ['lint', 'good.json']);
    assert.equal(r.code, 0, r.stdout);
    assert.doesNotMatch(r.stdout, / error /);
    assert.equal(r.stdout, '0 problems (0 errors, 0 warnings, 0 infos) in 1 file\n');
  });
  it('summary counts files and problems', async () => {
    const root = project({ 'a.json': COMMENTED, 'b.json': COMMENTED, 'c.json': '{"Version": "2012-10-17",}' });
    const r = await cli(root, ['lint', '--rule', 'json-syntax=error', 'a.json', 'b.json', 'c.json']);
    const syntax = r.stdout.split('\n').filter((l) => l.endsWith('[json-syntax]')).length;
    assert.ok(syntax >= 3);
    assert.match(r.stdout, / in 3 files\n$/);
  });
  it('colours only on a terminal without NO_COLOR, unless forced', async () => {
    const root = project({ 'bad.json': COMMENTED });
    const esc = '\u001b[';
    const tty = await cli(root, ['lint', 'bad.json'], { isTTY: true });
    assert.ok(tty.stdout.includes(`${esc}31merror`), JSON.stringify(tty.stdout));
    const noColor = await cli(root, ['lint', 'bad.json'], { isTTY: true, env: { NO_COLOR: '1' } });
    assert.ok(!noColor.stdout.includes(esc));
    const emptyNoColor = await cli(root, ['lint', 'bad.json'], { isTTY: true, env: { NO_COLOR: '' } });
    assert.ok(emptyNoColor.stdout.includes(esc), 'an empty NO_COLOR does not disable colour');
    const pipe = await cli(root, ['lint', 'bad.json'], { isTTY: false });
    assert.ok(!pipe.stdout.includes(esc));
    const forced = await cli(root, ['lint', '--color', 'bad.json'], { isTTY: false });
    assert.ok(forced.stdout.includes(esc));
    const off = await cli(root, ['lint', '--no-color', 'bad.json'], { isTTY: true });
    assert.ok(!off.stdout.includes(esc));
  });
});

describe('iot-policy lint: json format', () => {
  it('prints exactly [{file, findings: [{ruleId, severity, message, range}]}] with 0-based positions', async () => {
    const root = project({ 'bad.json': COMMENTED, 'good.json': GOOD });
    const r = await cli(root, ['lint', '--format', 'json', 'bad.json', 'good.json']);
    assert.equal(r.code, 1);
    const out = jsonOut(r);
    assert.ok(Array.isArray(out));
    assert.deepEqual(out.map((f) => Object.keys(f)), [['file', 'findings'], ['file', 'findings']]);
    assert.deepEqual(out.map((f) => f.file), ['bad.json', 'good.json']);
    for (const f of out) {
      for (const x of f.findings) {
        assert.deepEqual(Object.keys(x), ['ruleId', 'severity', 'message', 'range']);
        assert.ok(['error', 'warning', 'info', 'hint'].includes(x.severity));
        assert.equal(typeof x.message, 'string');
      }
    }
    const syntax = out[0].findings.filter((x) => x.ruleId === 'json-syntax');
    assert.deepEqual(syntax, [
      {
        ruleId: 'json-syntax',
        severity: 'error',
        message: syntax[0].message,
        range: { start: { line: 2, character: 2 }, end: { line: 2, character: 9 } },
      },
    ]);
    assert.ok(!out[1].findings.some((x) => x.severity === 'error'));
  });
  it('--format=json and -f json are accepted', async () => {
    const root = project({ 'good.json': GOOD });
    for (const args of [['--format=json'], ['-f', 'json']]) {
      const r = await cli(root, ['lint', ...args, 'good.json']);
      assert.equal(r.code, 0);
      assert.deepEqual(files(r), ['good.json']);
    }
  });
  it('keeps the path as given', async () => {
    const root = project({ 'sub/dir/p.json': GOOD });
    const r = await cli(path.join(root, 'sub'), ['lint', '-f', 'json', './dir/../dir/p.json', path.join(root, 'sub/dir/p.json')]);
    // The same file twice is linted once, under the first spelling.
    assert.deepEqual(files(r), ['./dir/../dir/p.json']);
  });
});

describe('iot-policy lint: exit codes and usage errors', () => {
  const usageCases: [string, string[], RegExp][] = [
    ['an unknown option', ['--frobnicate', 'x.json'], /unknown option "--frobnicate"/],
    ['an unknown format', ['--format', 'xml', 'x.json'], /unknown format "xml"/],
    ['a missing format value', ['x.json', '--format'], /--format needs a value/],
    ['no inputs', [], /no files, directories or globs/],
    ['a --rule without =', ['--rule', 'json-syntax', 'x.json'], /expected id=level/],
    ['a --rule with an unknown id', ['--rule', 'json-syntaks=off', 'x.json'], /unknown rule id "json-syntaks".*did you mean "json-syntax"/],
    ['a --rule with a bad level', ['--rule', 'json-syntax=fatal', 'x.json'], /level must be one of off, error, warning, info, hint/],
    ['a glob that matches nothing', ['nothing-here/**/*.json'], /no files match "nothing-here\/\*\*\/\*\.json"/],
  ];
  for (const [what, args, message] of usageCases) {
    it(`exits 2 on ${what}`, async () => {
      const root = project({ 'x.json': GOOD });
      const r = await cli(root, ['lint', ...args]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '', 'nothing is linted after a usage error');
    });
  }

  it('exits 2 on a missing file, names it on stderr, and still reports the other files', async () => {
    const root = project({ 'bad.json': COMMENTED, 'good.json': GOOD });
    const r = await cli(root, ['lint', '-f', 'json', 'bad.json', 'missing.json', 'good.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read missing\.json: no such file or directory/);
    assert.deepEqual(files(r), ['bad.json', 'good.json']);
    assert.ok(jsonOut(r)[0].findings.some((x) => x.ruleId === 'json-syntax'));
  });
  it('exits 2 on a file that cannot be read (permission), text output still lists the others', async () => {
    const root = project({ 'locked.json': GOOD, 'bad.json': COMMENTED });
    const readFile = (f: string): string => {
      if (path.basename(f) === 'locked.json') throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return fs.readFileSync(f, 'utf8');
    };
    const r = await cli(root, ['lint', 'locked.json', 'bad.json'], { readFile });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read locked\.json: permission denied/);
    assert.match(r.stdout, /^bad\.json:3:3 error /m);
    assert.match(r.stdout, / in 1 file; 1 file could not be read\n$/);
  });
  it('exits 2 when a named file is missing after a directory, and reports the directory\'s policies', async () => {
    const root = project({ 'd/p.json': DETECTABLE });
    const r = await cli(root, ['lint', '-f', 'json', 'd', 'nope.json']);
    assert.equal(r.code, 2);
    assert.deepEqual(files(r), ['d/p.json']);
  });
  it('exit code follows the final severities: 1 with any error, else 0; --rule lowers and raises', async () => {
    const root = project({ 'bad.json': COMMENTED });
    assert.equal((await cli(root, ['lint', 'bad.json'])).code, 1);
    const lowered = await cli(root, ['lint', '-f', 'json', '--rule', 'json-syntax=warning', 'bad.json']);
    const found = jsonOut(lowered)[0].findings;
    const syntax = found.filter((x) => x.ruleId === 'json-syntax');
    assert.ok(syntax.length > 0 && syntax.every((x) => x.severity === 'warning'));
    assert.equal(lowered.code, found.some((x) => x.severity === 'error') ? 1 : 0);
    const off = await cli(root, ['lint', '-f', 'json', '--rule', 'json-syntax=off', 'bad.json']);
    assert.ok(!jsonOut(off)[0].findings.some((x) => x.ruleId === 'json-syntax'));
    // Everything off: nothing can be an error.
    const all = [...RULE_IDS].map((id) => `${id}=off`).join(',');
    const none = await cli(root, ['lint', '-f', 'json', '--rule', all, 'bad.json']);
    assert.equal(none.code, 0);
    assert.deepEqual(jsonOut(none)[0].findings, []);
    // A clean file with a rule raised to error still exits 0 when nothing fires.
    const raised = await cli(root, ['lint', '--rule', 'json-syntax=error', '--rule', 'json-syntax=hint', '-f', 'json', 'bad.json']);
    assert.ok(jsonOut(raised)[0].findings.filter((x) => x.ruleId === 'json-syntax').every((x) => x.severity === 'hint'), 'the later --rule wins');
  });
  it('lists the rules with --list-rules', async () => {
    const r = await cli(os.tmpdir(), ['lint', '--list-rules']);
    assert.equal(r.code, 0);
    for (const id of RULE_IDS) assert.match(r.stdout, new RegExp(`^${id} `, 'm'));
  });
});

describe('iot-policy lint: which files are linted', () => {
  const tree = {
    'policies/device.json': DETECTABLE,
    'policies/broken.iot-policy.json': '{"Version": "2012-10-17", "Statement": [',
    'policies/legacy.iotpolicy.json': '',
    'policies/nested/deep/gg.json': '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"greengrass:*","Resource":"*"}}',
    'policies/package.json': '{"name": "not-a-policy", "version": "1.0.0"}',
    'policies/iam.json': '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
    'policies/notes.txt': DETECTABLE,
    'policies/node_modules/dep/policy.json': DETECTABLE,
    'policies/.git/policy.json': DETECTABLE,
    'other/iot.json': DETECTABLE,
  };

  it('named files are always linted, even when empty, broken or not a policy', async () => {
    const root = project({ 'empty.json': '', 'package.json': '{"name": "x"}', 'notes.txt': 'not json at all', 'broken.json': '{"Version": ' });
    const r = await cli(root, ['lint', '-f', 'json', 'empty.json', 'package.json', 'notes.txt', 'broken.json']);
    assert.deepEqual(files(r), ['empty.json', 'package.json', 'notes.txt', 'broken.json']);
    assert.ok(jsonOut(r)[2].findings.some((x) => x.ruleId === 'json-syntax'));
    assert.ok(jsonOut(r)[3].findings.some((x) => x.ruleId === 'json-syntax'));
    assert.equal(r.code, 1);
  });
  it('a directory is searched for IoT policies (by name or content), skipping node_modules and .git', async () => {
    const root = project(tree);
    const r = await cli(root, ['lint', '-f', 'json', 'policies']);
    assert.deepEqual(files(r), [
      'policies/broken.iot-policy.json',
      'policies/device.json',
      'policies/legacy.iotpolicy.json',
      'policies/nested/deep/gg.json',
    ]);
  });
  it('"." finds every policy under the current directory, with paths relative to it', async () => {
    const root = project(tree);
    const r = await cli(root, ['lint', '-f', 'json', '.']);
    assert.deepEqual(files(r), [
      'other/iot.json',
      'policies/broken.iot-policy.json',
      'policies/device.json',
      'policies/legacy.iotpolicy.json',
      'policies/nested/deep/gg.json',
    ]);
  });
  it('globs: ** recurses, * stays in one level, detection applies, node_modules skipped', async () => {
    const root = project(tree);
    const deep = await cli(root, ['lint', '-f', 'json', 'policies/**/*.json']);
    assert.deepEqual(files(deep), [
      'policies/broken.iot-policy.json',
      'policies/device.json',
      'policies/legacy.iotpolicy.json',
      'policies/nested/deep/gg.json',
    ]);
    const shallow = await cli(root, ['lint', '-f', 'json', 'policies/*.json']);
    assert.deepEqual(files(shallow), ['policies/broken.iot-policy.json', 'policies/device.json', 'policies/legacy.iotpolicy.json']);
    const byName = await cli(root, ['lint', '-f', 'json', '**/*.{iot-policy,iotpolicy}.json']);
    assert.deepEqual(files(byName), ['policies/broken.iot-policy.json', 'policies/legacy.iotpolicy.json']);
    const noPolicy = await cli(root, ['lint', '-f', 'json', 'policies/package.json', 'policies/*.txt']);
    // A named file is linted; a glob's match goes through detection (notes.txt is a policy by content).
    assert.deepEqual(files(noPolicy), ['policies/package.json', 'policies/notes.txt']);
  });
  it('a directory or glob without policies is not an error, and says so on stderr', async () => {
    const root = project({ 'conf/package.json': '{"name": "x"}', 'conf/tsconfig.json': '{}' });
    const dir = await cli(root, ['lint', 'conf']);
    assert.equal(dir.code, 0);
    assert.match(dir.stderr, /no IoT policy found in conf/);
    assert.match(dir.stdout, /^0 problems \(0 errors, 0 warnings, 0 infos\) in 0 files\n$/);
    const glob = await cli(root, ['lint', 'conf/*.json']);
    assert.equal(glob.code, 0);
    assert.match(glob.stderr, /no IoT policy among the 2 files matching "conf\/\*\.json"/);
  });
  it('files found twice (directory and glob, or named) are linted once', async () => {
    const root = project(tree);
    const r = await cli(root, ['lint', '-f', 'json', 'policies/device.json', 'policies', 'policies/*.json']);
    assert.deepEqual(files(r), [
      'policies/device.json',
      'policies/broken.iot-policy.json',
      'policies/legacy.iotpolicy.json',
      'policies/nested/deep/gg.json',
    ]);
  });
});

/** The CLI reports the rule set's findings with their rule ids. */
describe('iot-policy lint: findings of the rule set', () => {
  it('invalid-version on a bad Version', async () => {
    const root = project({ 'p.json': GOOD.replace('2012-10-17', '2012-10-18') });
    const r = await cli(root, ['lint', '-f', 'json', 'p.json']);
    assert.equal(r.code, 1);
    assert.ok(jsonOut(r)[0].findings.some((x) => x.ruleId === 'invalid-version' && x.severity === 'error'));
  });
  it('unknown-action on iot:PublishRetain', async () => {
    const root = project({ 'p.json': GOOD.replace('"iot:Publish"', '"iot:PublishRetain"') });
    const r = await cli(root, ['lint', '-f', 'json', 'p.json']);
    assert.equal(r.code, 1);
    assert.ok(jsonOut(r)[0].findings.some((x) => x.ruleId === 'unknown-action'));
  });
  it('warnings alone exit 0; --rule raises them to errors (exit 1)', async () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/*` }] }, null, 2);
    const root = project({ 'p.json': text });
    const r = await cli(root, ['lint', 'p.json']);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^p\.json:\d+:\d+ warning .+ \[overly-permissive\]$/m);
    assert.match(r.stdout, /\(0 errors, [1-9]\d* warnings?, /);
    const raised = await cli(root, ['lint', '--rule', 'overly-permissive=error', 'p.json']);
    assert.equal(raised.code, 1);
    assert.match(raised.stdout, /^p\.json:\d+:\d+ error .+ \[overly-permissive\]$/m);
  });
  it('resource-type-mismatch on Subscribe to a topic/ ARN', async () => {
    const root = project({ 'p.json': GOOD.replace('"iot:Publish"', '"iot:Subscribe"') });
    const r = await cli(root, ['lint', '-f', 'json', 'p.json']);
    assert.equal(r.code, 1);
    assert.ok(jsonOut(r)[0].findings.some((x) => x.ruleId === 'resource-type-mismatch'));
  });
});

describe('iot-policy lint: templates', () => {
  const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'templates');
  const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  const templates = (): string => project({
    'infra/device-policy.yaml': fixture('device-policy.yaml'),
    'infra/template.json': fixture('template.json'),
    'infra/serverless.yml': fixture('serverless.yml'),
    'infra/docker-compose.yml': 'services:\n  web:\n    image: nginx\n',
    'infra/buckets.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  B:\n    Type: AWS::S3::Bucket\n',
    'cdk.out/DeviceStack.template.json': fixture('cdk.out/DeviceStack.template.json'),
  });

  it('--format json gives template lines and columns, the logical id, for old and new rules', async () => {
    const r = await cli(templates(), ['lint', '-f', 'json', 'infra/device-policy.yaml']);
    assert.equal(r.code, 1);
    const out = jsonOut(r)[0].findings.map((f) => `${f.ruleId} ${f.range.start.line + 1}:${f.range.start.character + 1} ${f.policy}`);
    assert.deepEqual(out, [
      'sub-variable-not-escaped 26:102 DevicePolicy',
      'resource-type-mismatch 29:87 DevicePolicy',
      'pseudo-parameter-outside-sub 32:35 DevicePolicy',
      'pseudo-parameter-outside-sub 32:50 DevicePolicy',
      'escape-outside-sub 32:74 DevicePolicy',
    ]);
  });

  it('a directory finds templates by content; other YAML, and cdk.out, are left alone', async () => {
    const r = await cli(templates(), ['lint', '-f', 'json', '.']);
    assert.deepEqual(files(r), ['infra/device-policy.yaml', 'infra/serverless.yml', 'infra/template.json']);
  });

  it('cdk.out, named, is linted; SARIF names the logical id and the construct path', async () => {
    const r = await cli(templates(), ['lint', '-f', 'sarif', 'cdk.out']);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { locations: { logicalLocations?: unknown[] }[] }[] }[] };
    const results = sarif.runs[0].results;
    assert.ok(results.length > 0, 'the synthesized template has findings');
    assert.deepEqual(results[0].locations[0].logicalLocations, [{ name: 'DevicePolicy6D8B6F2C', fullyQualifiedName: 'DeviceStack/DevicePolicy', kind: 'resource' }]);
  });

  it('a named YAML file or template that holds no policy is said so, not read as JSON', async () => {
    const r = await cli(templates(), ['lint', 'infra/docker-compose.yml', 'infra/buckets.yaml']);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /no IoT policy in infra\/docker-compose\.yml\n.*no IoT policy in infra\/buckets\.yaml\n/);
    assert.match(r.stdout, /^0 problems .* in 0 files\n$/);
  });
});

describe('iot-policy lint: Terraform and CDK, and the files they name', () => {
  const TF = [
    'variable "region" {', '  default = "eu-west-1"', '}',
    'resource "aws_iot_policy" "base" {', '  name   = "base"', '  policy = file("${path.module}/policies/base.json")', '}',
    'resource "aws_iot_policy" "secret" {', '  name   = "secret"', '  policy = file("../outside.json")', '}',
    'resource "aws_iot_policy" "inline" {', '  name = "inline"',
    '  policy = jsonencode({', '    Version = "2012-10-17"',
    '    Statement = [{ Effect = "Allow", Action = "iot:Subscribe", Resource = "arn:aws:iot:${var.region}:493812760155:topic/${iot:ClientId}" }]',
    '  })', '}', '',
  ].join('\n');
  const BASE = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publsh", "Resource": "arn:aws:iot:eu-west-1:493812760155:topic/a"}]}';

  it('a directory: the .tf, the policy file it names (once, under its own path), positions of each file', async () => {
    const root = project({ 'infra/main.tf': TF, 'infra/policies/base.json': BASE, 'outside.json': BASE });
    const r = await cli(path.join(root, 'infra'), ['lint', '-f', 'json', '.']);
    const out = jsonOut(r).map((f) => [f.file.split(path.sep).join('/'), f.findings.map((x) => `${x.ruleId} ${x.range.start.line + 1}:${x.range.start.character + 1}${x.policy ? ` ${x.policy}` : ''}`)]);
    assert.deepEqual(out, [
      ['main.tf', [
        'missing-dependent-action 16:48 aws_iot_policy.inline',
        'resource-type-mismatch 16:115 aws_iot_policy.inline',
        'terraform-variable-not-escaped 16:121 aws_iot_policy.inline',
      ]],
      ['policies/base.json', ['unknown-action 1:72']],
    ]);
    // The policy outside the working directory is not read, and the user is told.
    assert.match(r.stderr, /main\.tf: not reading \S*outside\.json, outside the working directory/);
  });
});
