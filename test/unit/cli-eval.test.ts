/**
 * In-process tests of `iot-policy eval` and `iot-policy test`, through the top-level dispatch, and
 * of every best-practice example (its test file passes, it matches the test-file schema, and it
 * lints without errors or warnings).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import type { CliIo } from '../../server/src/cli/io';
import { main } from '../../server/src/cli/main';
import { runEval } from '../../server/src/cli/eval';
import { parsePolicyTestFile } from '../../server/src/service/testFile';
import { tempProject } from '../util/project';

const REPO = path.resolve(__dirname, '../../..');
const EXAMPLES = path.join(REPO, 'examples/best-practice');
const ARN = 'arn:aws:iot:eu-west-1:493812760155';

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function io(cwd: string, out: { stdout: string; stderr: string }, readFile?: (f: string) => string): CliIo {
  return {
    stdout: (s) => void (out.stdout += s),
    stderr: (s) => void (out.stderr += s),
    readFile: readFile ?? ((f) => fs.readFileSync(f, 'utf8')),
    cwd,
    isTTY: false,
    env: {},
  };
}

async function cli(cwd: string, args: string[]): Promise<RunResult> {
  const out = { stdout: '', stderr: '' };
  const code = await main(args, io(cwd, out));
  return { code, ...out };
}

const project = (files: Record<string, unknown>): string => tempProject(files, { prefix: 'eval' });

const devicePolicy = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:Connection.Thing.ThingName}/*` },
    { Sid: 'NoConfig', Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:Connection.Thing.ThingName}/config` },
  ],
};
const ctx = { 'iot:Connection.Thing.ThingName': 't1' };

describe('iot-policy eval', () => {
  it('prints the decision and the deciding statement with its line (text)', async () => {
    const root = project({ 'p.json': devicePolicy, 'r.json': { action: 'iot:Publish', resource: `${ARN}:topic/t1/config`, context: ctx } });
    const r = await cli(root, ['eval', '--policy', 'p.json', '--request', 'r.json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ExplicitDeny: iot:Publish on /);
    assert.match(r.stdout, /decided by statement 2 \("NoConfig"\) \(Deny\) in p\.json, line 9/);
    assert.match(r.stdout, /also matched statement 1 \(Allow\) in p\.json, line 4/);
  });
  it('prints the JSON shape', async () => {
    const root = project({ 'p.json': devicePolicy, 'r.json': { action: 'iot:Publish', resource: `${ARN}:topic/t1/data`, context: ctx } });
    const r = await cli(root, ['eval', '--policy=p.json', '--request', 'r.json', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.decision, 'Allow');
    assert.deepEqual(out.matched, [{ file: 'p.json', statement: 1, effect: 'Allow', line: 4 }]);
    assert.deepEqual(out.notes, []);
  });
  it('evaluates several policies together; deny wins across them', async () => {
    const root = project({
      'a.json': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] },
      'b.json': { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iot:Connect', Resource: `${ARN}:client/banned` }] },
      'r.json': { action: 'iot:Connect', resource: `${ARN}:client/banned` },
    });
    const r = await cli(root, ['eval', '--policy', 'a.json', '--policy', 'b.json', '--request', 'r.json', '--format', 'json']);
    const out = JSON.parse(r.stdout);
    assert.equal(out.decision, 'ExplicitDeny');
    assert.deepEqual(out.matched.map((m: { file: string }) => m.file), ['a.json', 'b.json']);
  });
  it('reads the request from stdin with -', async () => {
    const root = project({ 'p.json': devicePolicy });
    const out = { stdout: '', stderr: '' };
    const code = await runEval(['--policy', 'p.json', '--request', '-', '--format', 'json'], {
      ...io(root, out),
      readStdin: () => JSON.stringify({ action: 'iot:Publish', resource: `${ARN}:topic/t1/data` }),
    });
    assert.equal(code, 0, out.stderr);
    const res = JSON.parse(out.stdout);
    assert.equal(res.decision, 'ImplicitDeny');
    assert.ok(res.notes.includes('variable iot:Connection.Thing.ThingName has no value in the request, so statement 1 cannot match'), res.notes);
  });
  it('exits 2 with a clear message on bad input', async () => {
    const root = project({
      'p.json': devicePolicy,
      'broken.json': '{"Version": "2012-10-17", "Statement": [',
      'r.json': { action: 'iot:Publish', resource: `${ARN}:topic/t1/x` },
      'bad-request.json': { Action: 'iot:Publish', resource: 'x' },
      'not-json.json': 'nope',
      'bad-context.json': { action: 'iot:Publish', resource: 'x', context: { k: { nested: true } } },
    });
    const cases: [string[], RegExp][] = [
      [['eval'], /at least one --policy FILE is required/],
      [['eval', '--policy', 'p.json'], /--request FILE\|- is required/],
      [['eval', '--policy', 'missing.json', '--request', 'r.json'], /cannot read policy missing\.json: no such file or directory/],
      [['eval', '--policy', 'broken.json', '--request', 'r.json'], /policy broken\.json is not valid JSON: .* at line 1/],
      [['eval', '--policy', 'p.json', '--request', 'missing.json'], /cannot read request missing\.json/],
      [['eval', '--policy', 'p.json', '--request', 'not-json.json'], /request not-json\.json is not valid JSON/],
      [['eval', '--policy', 'p.json', '--request', 'bad-request.json'], /unknown request field "Action": write "action"/],
      [['eval', '--policy', 'p.json', '--request', 'bad-context.json'], /context value of "k"/],
      [['eval', '--policy', 'p.json', '--request', 'r.json', '--format', 'xml'], /unknown format "xml"/],
      [['eval', '--policy', 'p.json', '--request', 'r.json', 'extra'], /unexpected argument "extra"/],
      [['eval', '--policy'], /--policy needs a value/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(root, args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, re, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    }
  });
  it('--help', async () => {
    const r = await cli(REPO, ['eval', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: iot-policy eval --policy FILE/);
  });
});

describe('iot-policy test', () => {
  const testFile = (expectations: [string, string][]) => ({
    policies: ['policies/device.json'],
    cases: expectations.map(([topic, expect]) => ({ name: `publish ${topic}`, request: { action: 'iot:Publish', resource: `${ARN}:topic/${topic}`, context: ctx }, expect })),
  });
  it('prints each case and the summary; exit 0 when all pass', async () => {
    const root = project({
      'policies/device.json': devicePolicy,
      'tests/device.iot-policy-test.json': { ...testFile([['t1/data', 'Allow'], ['t1/config', 'ExplicitDeny'], ['t2/data', 'Deny'], ['t2/data', 'ImplicitDeny']]), policies: ['../policies/device.json'] },
    });
    const r = await cli(root, ['test', 'tests/device.iot-policy-test.json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /PASS {2}publish t1\/data: Allow, decided by statement 1 \(Allow\) in policies\/device\.json, line 4/);
    assert.match(r.stdout, /PASS {2}publish t1\/config: ExplicitDeny/);
    assert.match(r.stdout, /4 passed, 0 failed\n$/);
  });
  it('exit 1 on a failing case, naming the deciding statement', async () => {
    const root = project({ 'policies/device.json': devicePolicy, 't.json': testFile([['t1/config', 'Allow'], ['t1/data', 'ImplicitDeny'], ['t1/data', 'Allow']]) });
    const r = await cli(root, ['test', 't.json']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /FAIL {2}publish t1\/config: expected Allow, got ExplicitDeny, decided by statement 2 \("NoConfig"\) \(Deny\) in policies\/device\.json, line 9/);
    assert.match(r.stdout, /FAIL {2}publish t1\/data: expected ImplicitDeny, got Allow/);
    assert.match(r.stdout, /1 passed, 2 failed\n$/);
  });
  it('exit 2 on bad test files, still running the others', async () => {
    const root = project({
      'policies/device.json': devicePolicy,
      'good.json': testFile([['t1/data', 'Allow']]),
      'no-policy.json': { ...testFile([['t1/data', 'Allow']]), policies: ['policies/missing.json'] },
      'bad-expect.json': testFile([['t1/data', 'allowed']]),
      'broken.json': '{"policies": [',
      'shape.json': { policies: 'policies/device.json', cases: [] },
    });
    const r = await cli(root, ['test', 'good.json', 'no-policy.json', 'bad-expect.json', 'broken.json', 'shape.json', 'absent.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read policy policies\/missing\.json/);
    assert.match(r.stdout, /FAIL {2}publish t1\/data: cannot run: "expect" must be one of Allow, Deny, ExplicitDeny, ImplicitDeny/);
    assert.doesNotMatch(r.stderr, /broken\.json.*"cases" is missing/);
    assert.match(r.stderr, /broken\.json:1:\d+: JSON syntax error/);
    assert.match(r.stderr, /shape\.json:\d+:\d+: "policies" must be a non-empty array/);
    assert.match(r.stderr, /cannot read absent\.json: no such file or directory/);
    assert.match(r.stdout, /PASS {2}publish t1\/data: Allow/);
  });
  it('usage errors', async () => {
    assert.equal((await cli(REPO, ['test'])).code, 2);
    assert.equal((await cli(REPO, ['test', '--bogus'])).code, 2);
    const h = await cli(REPO, ['test', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /Usage: iot-policy test \[inputs\] FILE/);
  });
  it('parsePolicyTestFile gives spans for cases and names', () => {
    const text = JSON.stringify(testFile([['t1/data', 'Allow']]), null, 2);
    const tf = parsePolicyTestFile(text);
    assert.equal(tf.problems.length, 0);
    assert.equal(tf.cases.length, 1);
    assert.equal(text.substr(tf.cases[0].nameSpan.offset, tf.cases[0].nameSpan.length), '"publish t1/data"');
    assert.ok(text.substr(tf.cases[0].span.offset, tf.cases[0].span.length).startsWith('{'));
  });
});

describe('best-practice examples (reference §8)', () => {
  const testFiles = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.iot-policy-test.json')).sort();
  const policyFiles = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.iot-policy.json')).sort();

  it('every policy has a test file with allow and deny cases', () => {
    assert.ok(policyFiles.length >= 9, `${policyFiles.length} policies`);
    for (const p of policyFiles) {
      const t = p.replace(/\.iot-policy\.json$/, '.iot-policy-test.json');
      assert.ok(testFiles.includes(t), `${p} has no ${t}`);
      const tf = parsePolicyTestFile(fs.readFileSync(path.join(EXAMPLES, t), 'utf8'));
      assert.ok(tf.cases.some((c) => c.expect === 'Allow'), `${t} has no Allow case`);
      assert.ok(tf.cases.some((c) => c.expect !== 'Allow'), `${t} has no Deny case`);
    }
  });
  it('iot-policy test passes on every example test file', async () => {
    for (const t of testFiles) {
      const r = await cli(REPO, ['test', path.join('examples/best-practice', t)]);
      assert.equal(r.code, 0, `${t}\n${r.stdout}${r.stderr}`);
      assert.match(r.stdout, / passed, 0 failed\n$/);
    }
    const all = await cli(REPO, ['test', ...testFiles.map((t) => path.join('examples/best-practice', t))]);
    assert.equal(all.code, 0);
  });
  it('every example test file matches the schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(REPO, 'schemas/iot-policy-test.schema.json'), 'utf8')));
    for (const t of testFiles) {
      assert.ok(validate(JSON.parse(fs.readFileSync(path.join(EXAMPLES, t), 'utf8'))), `${t}: ${JSON.stringify(validate.errors)}`);
    }
    assert.equal(validate({ policies: ['p.json'], cases: [{ name: 'x', request: { action: 'iot:Connect', resource: '*' }, expect: 'allow' }] }), false);
  });
  it('every example policy lints without errors or warnings', async () => {
    const r = await cli(REPO, ['lint', '--format', 'json', ...policyFiles.map((p) => path.join('examples/best-practice', p))]);
    const files = JSON.parse(r.stdout) as { file: string; findings: { severity: string; ruleId: string; message: string }[] }[];
    assert.equal(files.length, policyFiles.length);
    const bad = files.flatMap((f) => (f.findings ?? []).filter((x) => x.severity === 'error' || x.severity === 'warning').map((x) => `${f.file}: ${x.ruleId} ${x.message}`));
    assert.deepEqual(bad, []);
  });
});

describe('eval and test on policies in templates', () => {
  const STACK = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Parameters:',
    '  Stage: { Type: String, Default: dev }',
    '  Fleet: { Type: String }',
    'Mappings:',
    '  Roots: { dev: { Topic: sandbox }, prod: { Topic: fleet } }',
    'Conditions:',
    '  IsProd: !Equals [!Ref Stage, prod]',
    'Resources:',
    '  DevicePolicy:',
    '    Type: AWS::IoT::Policy',
    '    Properties:',
    '      PolicyDocument:',
    '        Version: "2012-10-17"',
    '        Statement:',
    '          - Effect: Allow',
    '            Action: iot:Publish',
    '            Resource: !Sub',
    '              - "arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:topic/${Root}/${!iot:ClientId}"',
    '              - Root: !FindInMap [Roots, !Ref Stage, Topic]',
    '          - !If',
    '            - IsProd',
    '            - Effect: Deny',
    '              Action: iot:Publish',
    '              Resource: !Sub "arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/${Fleet}/*"',
    '            - !Ref AWS::NoValue',
    '  AdminPolicy:',
    '    Type: AWS::IoT::Policy',
    '    Properties:',
    '      PolicyDocument:',
    '        Statement: [{ Effect: Allow, Action: "iot:*", Resource: "*" }]',
    '',
  ].join('\n');
  const request = (topic: string): string => JSON.stringify({
    action: 'iot:Publish', resource: `arn:aws:iot:eu-west-1:111122223333:topic/${topic}/c1`, context: { 'iot:ClientId': 'c1' },
  });
  const inputs = ['--region', 'eu-west-1', '--account', '111122223333'];

  it('eval on stack.yaml#DevicePolicy decides a request, with parameter defaults and mappings', async () => {
    const root = project({ 'stack.yaml': STACK, 'req.json': request('sandbox') });
    const r = await cli(root, ['eval', '--policy', 'stack.yaml#DevicePolicy', '--request', 'req.json', ...inputs]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Allow: iot:Publish on .*\n {2}decided by statement 1 \(Allow\) in stack\.yaml#DevicePolicy, line 16\n/);
  });

  it('--parameter takes the other branch of Fn::If and the other mapping', async () => {
    const root = project({ 'stack.yaml': STACK, 'req.json': request('fleet') });
    const r = await cli(root, ['eval', '-p', 'stack.yaml#DevicePolicy', '-r', 'req.json', ...inputs, '--parameter', 'Stage=prod', '--parameter=Fleet=fleet']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ExplicitDeny: /);
  });

  it('every value left unknown is named, with the option that gives it; exit 2', async () => {
    const root = project({ 'stack.yaml': STACK, 'req.json': request('sandbox') });
    const r = await cli(root, ['eval', '-p', 'stack.yaml#DevicePolicy', '-r', 'req.json', '--region', 'eu-west-1', '--parameter', 'Stage=prod']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, [
      'iot-policy eval: policy stack.yaml#DevicePolicy depends on 2 values unknown before deploy; nothing was decided:',
      '  ${AWS::AccountId}: --account',
      '  ${Fleet}: --parameter Fleet=VALUE',
      '',
    ].join('\n'));
  });

  it('a template of several policies needs #ID; a wrong one lists them', async () => {
    const root = project({ 'stack.yaml': STACK, 'req.json': request('sandbox') });
    const none = await cli(root, ['eval', '-p', 'stack.yaml', '-r', 'req.json', ...inputs]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /stack\.yaml holds 2 policies \(DevicePolicy, AdminPolicy\): name one, e\.g\. stack\.yaml#DevicePolicy/);
    const wrong = await cli(root, ['eval', '-p', 'stack.yaml#Nope', '-r', 'req.json', ...inputs]);
    assert.match(wrong.stderr, /stack\.yaml has no policy "Nope"; it holds DevicePolicy, AdminPolicy/);
  });

  it('bad inputs are usage errors', async () => {
    const root = project({ 'stack.yaml': STACK, 'req.json': request('sandbox') });
    for (const [flag, value, message] of [
      ['--account', '12345', /not a 12-digit account ID/],
      ['--region', 'Ireland', /not a region name/],
      ['--parameter', 'Stage', /expected Name=Value/],
      ['--partition', 'mars', /not a partition/],
    ] as const) {
      const r = await cli(root, ['eval', '-p', 'stack.yaml#DevicePolicy', '-r', 'req.json', flag, value]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
    }
  });

  it('test files name template policies and give their inputs; the options are defaults', async () => {
    const root = project({
      'infra/stack.yaml': STACK,
      'tests/device.iot-policy-test.json': {
        policies: ['../infra/stack.yaml#DevicePolicy'],
        inputs: { account: '111122223333', parameters: { Stage: 'prod', Fleet: 'fleet' } },
        cases: [
          { name: 'fleet topic denied in prod', request: JSON.parse(request('fleet')), expect: 'ExplicitDeny' },
          { name: 'sandbox not granted in prod', request: JSON.parse(request('sandbox')), expect: 'ImplicitDeny' },
        ],
      },
    });
    const r = await cli(root, ['test', '--region', 'eu-west-1', '--account', '999999999999', 'tests/device.iot-policy-test.json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /2 passed, 0 failed\n$/);
  });
});

describe('eval on Terraform and CDK policies', () => {
  const request = JSON.stringify({
    action: 'iot:Connect', resource: 'arn:aws:iot:eu-west-1:111122223333:client/t1',
    context: { 'iot:Connection.Thing.ThingName': 't1', 'iot:Connection.Thing.IsAttached': 'true' },
  });
  const TF = [
    'variable "region" {', '  type    = string', '  default = "eu-west-1"', '}',
    'variable "account" {', '  type = string', '}',
    'resource "aws_iot_policy" "device" {', '  name = "device"',
    '  policy = templatefile("${path.module}/device.json.tpl", { region = var.region, account = var.account })', '}', '',
  ].join('\n');
  const TPL = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",\n"Resource": "arn:aws:iot:${region}:${account}:client/$${iot:Connection.Thing.ThingName}"}]}\n';

  it('a templatefile() policy: variable defaults, --var for the rest; lines of the template', async () => {
    const root = project({ 'infra/main.tf': TF, 'infra/device.json.tpl': TPL, 'req.json': request });
    const missing = await cli(root, ['eval', '-p', 'infra/main.tf#aws_iot_policy.device', '-r', 'req.json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /infra\/device\.json\.tpl depends on a value unknown before deploy.*\n {2}\$\{account\}: a Terraform expression: give the variables it reads with --var\n/);
    const r = await cli(root, ['eval', '-p', 'infra/main.tf#aws_iot_policy.device', '-r', 'req.json', '--var', 'account=111122223333']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Allow: iot:Connect on arn:aws:iot:eu-west-1:111122223333:client/t1\n  decided by statement 1 (Allow) in infra/device.json.tpl, line 1\n');
  });

  it('a CDK stack: --region and --account fill in Aws.REGION and this.account', async () => {
    const stack = [
      "import * as cdk from 'aws-cdk-lib';", "import * as iot from 'aws-cdk-lib/aws-iot';",
      'export class S extends cdk.Stack {', '  constructor(scope: cdk.App, id: string) {', '    super(scope, id);',
      "    new iot.CfnPolicy(this, 'DevicePolicy', {", '      policyDocument: {', "        Version: '2012-10-17',",
      "        Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `arn:aws:iot:${cdk.Aws.REGION}:${this.account}:client/\\${iot:Connection.Thing.ThingName}` }],",
      '      },', '    });', '  }', '}', '',
    ].join('\n');
    const root = project({ 'lib/stack.ts': stack, 'req.json': request });
    const none = await cli(root, ['eval', '-p', 'lib/stack.ts', '-r', 'req.json']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /cdk\.Aws\.REGION: --region\n {2}this\.account: --account\n/);
    const r = await cli(root, ['eval', '-p', 'lib/stack.ts#DevicePolicy', '-r', 'req.json', '--region', 'eu-west-1', '--account', '111122223333']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Allow: .*\n {2}decided by statement 1 \(Allow\) in lib\/stack\.ts#DevicePolicy, line 9\n$/);
  });
});

describe('the CLI as a process', () => {
  it('stops quietly when its reader goes away (`iot-policy eval ... | head`)', async () => {
    const { spawn } = await import('node:child_process');
    const root = project({
      'p.json': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/*` }] },
      // The decision line repeats the resource: far more than a pipe holds.
      'r.json': { action: 'iot:Publish', resource: `${ARN}:topic/${'a'.repeat(1_000_000)}`, context: {} },
    });
    const child = spawn(process.execPath, [path.join(REPO, 'bin', 'iot-policy.js'), 'eval', '-p', 'p.json', '-r', 'r.json'], { cwd: root });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });
});
