/**
 * In-process tests of `iot-policy diff`, `iot-policy check` and `iot-policy explain`, through the
 * top-level dispatch: exit codes, the text, JSON, markdown and SARIF outputs, policies in
 * templates, Terraform and CDK, `git:REF` (a repository made here with git), and usage errors.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import type { ReviewIo } from '../../server/src/cli/reviewInput';
import { main } from '../../server/src/cli/main';
import { tempProject } from '../util/project';

const A = 'arn:aws:iot:eu-west-1:123456789012';
const THING = '${iot:Connection.Thing.ThingName}';

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(cwd: string, args: string[], git?: ReviewIo['git']): Promise<RunResult> {
  const out = { stdout: '', stderr: '' };
  const io: ReviewIo = {
    stdout: (s) => void (out.stdout += s),
    stderr: (s) => void (out.stderr += s),
    readFile: (f) => fs.readFileSync(f, 'utf8'),
    cwd,
    isTTY: false,
    env: {},
    ...(git ? { git } : {}),
  };
  const code = await main(args, io);
  return { code, ...out };
}

const project = (files: Record<string, unknown>): string => tempProject(files, { prefix: 'review', git: false });

const policy = (...statements: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement: statements });
const own = policy({ Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/${THING}` });
const any = policy({ Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/*` });

describe('iot-policy diff', () => {
  it('client/${thing} to client/*: newly allowed iot:Connect with a witness, exit 1', async () => {
    const root = project({ 'base.json': own, 'new.json': any });
    const r = await cli(root, ['diff', 'base.json', 'new.json']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^iot:Connect$/m);
    assert.match(r.stdout, /\+ newly allowed: `iot:Connect` on client IDs that differ from the connecting thing's name/);
    assert.match(r.stdout, /except {4}client\/\$\{iot:Connection\.Thing\.ThingName\}: already allowed by statement 1 of base\.json, line 4/);
    assert.match(r.stdout, /witness {3}iot:Connect on arn:aws:iot:eu-west-1:123456789012:client\/x\n {16}context \{"iot:Connection\.Thing\.ThingName":"thing-1","iot:ClientId":"x"\}\n {16}base ImplicitDeny, new Allow/);
    assert.match(r.stdout, /1 newly allowed, 0 no longer allowed \(1 action\)\n$/);
  });

  it('no difference: exit 0', async () => {
    const root = project({ 'base.json': own, 'new.json': { ...own, Id: 'renamed' } });
    const r = await cli(root, ['diff', 'base.json', 'new.json']);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /No difference in access\./);
  });

  it('JSON: the items with their statements, lines and witness', async () => {
    const root = project({ 'base.json': own, 'new.json': any });
    const r = await cli(root, ['diff', '--format', 'json', 'base.json', 'new.json']);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.base, ['base.json']);
    assert.equal(out.exact, true);
    const [item] = out.items;
    assert.equal(item.change, 'newly-allowed');
    assert.deepEqual(item.statement, { policy: 'new.json', statement: 1, line: 4 });
    assert.equal(item.witness.action, 'iot:Connect');
    assert.deepEqual(item.witness.decisions, { base: 'ImplicitDeny', new: 'Allow' });
  });

  it('markdown: a table with headers per action, for a pull request comment', async () => {
    const root = project({ 'base.json': own, 'new.json': any });
    const r = await cli(root, ['diff', '-f', 'markdown', 'base.json', 'new.json']);
    assert.match(r.stdout, /^## IoT policy access changes$/m);
    assert.match(r.stdout, /^### `iot:Connect`$/m);
    assert.match(r.stdout, /^\| Change \| Resource \| When \| Except \| From \| Witness \|$/m);
    assert.match(r.stdout, /^\| ➕ newly allowed \| `arn:aws:iot:eu-west-1:123456789012:client\/\*` \|/m);
  });

  it('several policies per side with --base and --new', async () => {
    const root = project({
      'allow.json': policy({ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/*` }),
      'deny.json': policy({ Effect: 'Deny', Action: 'iot:Publish', Resource: `${A}:topic/admin` }),
    });
    const r = await cli(root, ['diff', '--base', 'allow.json', '--base', 'deny.json', '--new', 'allow.json']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /where statement 1 of deny\.json denied it before/);
    assert.equal((await cli(root, ['diff', '--base', 'allow.json', '--base', 'deny.json', '--new', 'deny.json', '--new', 'allow.json'])).code, 0);
  });

  it('policies in a CloudFormation template: FILE#ID, and unknown values compared as "anything"', async () => {
    const template = (resource: string) => [
      'Resources:', '  DevicePolicy:', '    Type: AWS::IoT::Policy', '    Properties:', '      PolicyDocument:', "        Version: '2012-10-17'",
      '        Statement:', '          - Effect: Allow', '            Action: iot:Connect', `            Resource: ${resource}`,
      '  Other:', '    Type: AWS::IoT::Policy', '    Properties:', '      PolicyDocument: { Version: "2012-10-17", Statement: [] }', '',
    ].join('\n');
    const root = project({
      'old.yaml': template('!Sub arn:aws:iot:${AWS::Region}:123456789012:client/${!iot:Connection.Thing.ThingName}'),
      'stack.yaml': template('!Sub arn:aws:iot:${AWS::Region}:123456789012:client/*'),
    });
    const r = await cli(root, ['diff', 'old.yaml#DevicePolicy', 'stack.yaml#DevicePolicy']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /stack\.yaml#DevicePolicy: \$\{AWS::Region\} is unknown before deploy, compared as "anything" \(--region\)/);
    assert.match(r.stdout, /may be newly allowed: `iot:Connect`/);
    assert.match(r.stdout, /may +it depends on `\$\{AWS::Region\}`, unknown before deploy/);
    // Given, the value is known and the answer exact.
    const known = await cli(root, ['diff', '--region', 'eu-west-1', 'old.yaml#DevicePolicy', 'stack.yaml#DevicePolicy']);
    assert.equal(known.code, 1);
    assert.doesNotMatch(known.stdout, /may/);
    assert.equal((await cli(root, ['diff', 'stack.yaml#DevicePolicy', 'stack.yaml#DevicePolicy'])).code, 0);
  });

  it('a policy in a Terraform file: main.tf#aws_iot_policy.device', async () => {
    const tf = (resource: string) => [
      'resource "aws_iot_policy" "device" {', '  name = "device"', '  policy = jsonencode({', '    Version = "2012-10-17"', '    Statement = [{',
      '      Effect = "Allow"', '      Action = "iot:Connect"', `      Resource = "${resource}"`, '    }]', '  })', '}', '',
    ].join('\n');
    const root = project({ 'old/main.tf': tf(`${A}:client/$\${iot:Connection.Thing.ThingName}`), 'main.tf': tf(`${A}:client/*`) });
    const r = await cli(root, ['diff', 'old/main.tf#aws_iot_policy.device', 'main.tf#aws_iot_policy.device']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /newly allowed: `iot:Connect` on client IDs that differ from the connecting thing's name/);
    assert.match(r.stdout, /from +statement 1 of main\.tf#aws_iot_policy\.device, line 5/);
  });

  it('a policy in a CDK stack: lib/stack.ts#DevicePolicy', async () => {
    const stack = (resource: string) => [
      "import * as iot from 'aws-cdk-lib/aws-iot';", 'export class S extends Stack {', '  constructor(scope: Construct, id: string) {', '    super(scope, id);',
      "    new iot.CfnPolicy(this, 'DevicePolicy', {", "      policyDocument: { Version: '2012-10-17', Statement: [", `        { Effect: 'Allow', Action: 'iot:Connect', Resource: '${resource}' },`,
      '      ] },', '    });', '  }', '}', '',
    ].join('\n');
    const root = project({ 'lib/old.ts': stack(`${A}:client/\\\${iot:Connection.Thing.ThingName}`), 'lib/stack.ts': stack(`${A}:client/*`) });
    const r = await cli(root, ['diff', 'lib/old.ts#DevicePolicy', 'lib/stack.ts#DevicePolicy']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /newly allowed: `iot:Connect` on client IDs that differ from the connecting thing's name/);
  });

  it('git:HEAD reads the same path at a revision (a repository made here)', async () => {
    const root = project({ 'policies/device.iot-policy.json': own });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
    git('init', '-q');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'base');
    fs.writeFileSync(path.join(root, 'policies/device.iot-policy.json'), JSON.stringify(any, null, 2));
    const r = await cli(root, ['diff', '--base', 'git:HEAD', 'policies/device.iot-policy.json']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /base policies\/device\.iot-policy\.json@HEAD → new policies\/device\.iot-policy\.json/);
    assert.match(r.stdout, /newly allowed: `iot:Connect` on client IDs that differ/);
    const explicit = await cli(root, ['diff', 'git:HEAD:policies/device.iot-policy.json', 'policies/device.iot-policy.json']);
    assert.equal(explicit.code, 1, explicit.stderr);
    // A file added since the revision had no policy there: everything it allows is new.
    fs.writeFileSync(path.join(root, 'policies/added.iot-policy.json'), JSON.stringify(own, null, 2));
    const added = await cli(root, ['diff', '--base', 'git:HEAD', 'policies/added.iot-policy.json']);
    assert.equal(added.code, 1, added.stderr);
    assert.match(added.stderr, /policies\/added\.iot-policy\.json is not in HEAD: compared with no policy/);
    assert.match(added.stdout, /base \(no policy\) → new policies\/added\.iot-policy\.json/);
    assert.equal((await cli(root, ['diff', 'git:HEAD:policies/added.iot-policy.json', 'policies/added.iot-policy.json'])).code, 2);
    const missing = await cli(root, ['diff', '--base', 'git:HEAD~5', 'policies/device.iot-policy.json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^iot-policy diff: cannot read policy policies\/device\.iot-policy\.json@HEAD~5: /);
  });

  it('git revisions are read through the injected reader, and options never pass as revisions', async () => {
    const root = project({ 'p.json': any });
    const seen: string[] = [];
    const r = await cli(root, ['diff', '--base', 'git:main', 'p.json'], (ref, file) => {
      seen.push(`${ref} ${path.relative(root, file)}`);
      return JSON.stringify(own);
    });
    assert.equal(r.code, 1);
    assert.deepEqual(seen, ['main p.json']);
    const bad = await cli(root, ['diff', '--base', 'git:--output=x', 'p.json']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /is not a git revision/);
  });

  it('usage errors: exit 2 with a clear message', async () => {
    const root = project({ 'a.json': own });
    for (const args of [['diff'], ['diff', 'a.json'], ['diff', '--format', 'sarif', 'a.json', 'a.json'], ['diff', '--bogus', 'a.json', 'a.json'], ['diff', '--base', 'git:HEAD']]) {
      const r = await cli(root, args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^iot-policy diff: /);
    }
    const missing = await cli(root, ['diff', 'a.json', 'nope.json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read policy nope\.json: no such file or directory/);
    const help = await cli(root, ['diff', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: iot-policy diff BASE NEW/);
  });
});

describe('iot-policy check', () => {
  it('no-new-access: exit 1 on client/${thing} to client/*, 0 on a pure narrowing', async () => {
    const narrower = policy({ Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/${THING}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } });
    const root = project({ 'base.json': own, 'wide.json': any, 'narrow.json': narrower });
    const fail = await cli(root, ['check', 'no-new-access', '--base', 'base.json', 'wide.json']);
    assert.equal(fail.code, 1);
    assert.match(fail.stdout, /newly allowed: `iot:Connect` on client IDs that differ from the connecting thing's name/);
    assert.match(fail.stdout, /witness +iot:Connect on /);
    const pass = await cli(root, ['check', 'no-new-access', '--base', 'base.json', 'narrow.json']);
    assert.equal(pass.code, 0, pass.stdout);
    assert.match(pass.stdout, /Passed: the new policies allow nothing the base policies do not\./);
  });

  it('SARIF: one result per item at the granting statement, valid SARIF 2.1.0', async () => {
    const root = project({ 'base.json': own, 'new.json': any });
    const r = await cli(root, ['check', 'no-new-access', '--format', 'sarif', '--base', 'base.json', 'new.json']);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    validateSarif(log);
    const [result] = log.runs[0].results;
    assert.equal(result.ruleId, 'no-new-access');
    assert.equal(result.level, 'error');
    assert.deepEqual(result.locations[0].physicalLocation.artifactLocation, { uri: 'new.json', uriBaseId: '%SRCROOT%' });
    assert.equal(result.locations[0].physicalLocation.region.startLine, 4);
    assert.match(result.message.text, /Witness: iot:Connect on arn:aws:iot:eu-west-1:123456789012:client\/x/);
  });

  it('access-not-granted: exit 1 with the witness when some context allows it, 0 when none does', async () => {
    const root = project({
      'open.json': policy({ Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/*` }),
      'closed.json': policy({ Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/*` }, { Effect: 'Deny', Action: 'iot:Connect', Resource: `${A}:client/admin*` }),
    });
    const open = await cli(root, ['check', 'access-not-granted', '--action', 'iot:Connect', '--resource', 'client/admin*', 'open.json']);
    assert.equal(open.code, 1);
    assert.match(open.stdout, /example +iot:Connect on arn:aws:iot:eu-west-1:123456789012:client\/admin/);
    const closed = await cli(root, ['check', 'access-not-granted', '--action', 'iot:Connect', '--resource', 'client/admin*', 'closed.json']);
    assert.equal(closed.code, 0, closed.stdout);
    assert.match(closed.stdout, /Passed: no request of iot:Connect on arn:\*:iot:\*:\*:client\/admin\* is allowed, under any context\./);
    const sarif = await cli(root, ['check', 'access-not-granted', '--action', 'iot:Connect', '--format', 'sarif', 'open.json']);
    validateSarif(JSON.parse(sarif.stdout));
    const bad = await cli(root, ['check', 'access-not-granted', '--action', 's3:GetObject', 'open.json']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /names no action AWS IoT Core authorises/);
    assert.equal((await cli(root, ['check', 'nonsense', 'open.json'])).code, 2);
    assert.equal((await cli(root, ['check', 'access-not-granted', 'open.json'])).code, 2);
  });
});

describe('iot-policy explain', () => {
  const device = policy(
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/${THING}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
    { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${A}:topic/${THING}/*` },
    { Sid: 'NoConfig', Effect: 'Deny', Action: 'iot:Publish', Resource: `${A}:topic/${THING}/config` },
    { Effect: 'Allow', Action: 'iot:Publsh', Resource: `${A}:topic/x` },
  );

  it('text: per action, allowed resources, conditions, carve-outs, an example, and warnings', async () => {
    const root = project({ 'device.json': device });
    const r = await cli(root, ['explain', 'device.json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Effective permissions: policy device\.json$/m);
    assert.match(r.stdout, /\+ allowed: `iot:Connect` on client IDs equal to the connecting thing's name, when `Bool iot:Connection\.Thing\.IsAttached = "true"`/);
    assert.match(r.stdout, /except +topic\/\$\{iot:Connection\.Thing\.ThingName\}\/config: denied by statement 3 \("NoConfig"\) of device\.json, line 22/);
    assert.match(r.stdout, /warnings:\n {2}statement 4 of device\.json: `iot:Publsh` names no action AWS IoT Core authorises/);
  });

  it('JSON and markdown', async () => {
    const root = project({ 'device.json': device });
    const json = JSON.parse((await cli(root, ['explain', '--format', 'json', 'device.json'])).stdout);
    assert.deepEqual([...new Set(json.items.map((i: { action: string }) => i.action))], ['iot:Connect', 'iot:Publish', 'iot:Receive']);
    assert.equal(json.warnings[0].kind, 'unknown-action');
    const md = (await cli(root, ['explain', '-f', 'markdown', 'device.json'])).stdout;
    assert.match(md, /^## Effective permissions$/m);
    assert.match(md, /^### Warnings$/m);
  });
});

describe('docs/cli.md examples', () => {
  const docs = fs.readFileSync(path.join(__dirname, '../../../docs/cli.md'), 'utf8');
  /** The output printed under `$ command` in the first fenced block that starts with it. */
  const example = (command: string): string => {
    const at = docs.indexOf('```\n$ ' + command + '\n');
    assert.ok(at !== -1, `no example of ${command}`);
    const start = at + 4 + command.length + 3;
    return docs.slice(start, docs.indexOf('```', start));
  };

  it('the diff example is what diff prints', async () => {
    const root = project({ 'base.iot-policy.json': own, 'new.iot-policy.json': any });
    const r = await cli(root, ['diff', 'base.iot-policy.json', 'new.iot-policy.json']);
    assert.equal(r.stdout, example('iot-policy diff base.iot-policy.json new.iot-policy.json'));
  });

  it('the explain example starts as explain prints', async () => {
    const device = policy(
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/${THING}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
      { Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/${THING}/*` },
    );
    const root = project({ 'device.iot-policy.json': device });
    const shown = example('iot-policy explain device.iot-policy.json').replace(/\.\.\.\n$/, '');
    assert.ok((await cli(root, ['explain', 'device.iot-policy.json'])).stdout.startsWith(shown));
  });
});

let validator: ((log: unknown) => void) | undefined;

/** The official SARIF 2.1.0 schema (draft-04, read by ajv as test/unit/sarif.test.ts reads it). */
function validateSarif(log: unknown): void {
  if (!validator) {
    const file = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    if (typeof schema.id === 'string') {
      schema.$id = schema.id;
      delete schema.id;
    }
    const ajv = new Ajv({
      allErrors: true, strict: false, unicodeRegExp: false,
      formats: { uri: (v: string) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(v), 'uri-reference': (v: string) => !/\s/.test(v), 'date-time': () => true },
    });
    const validate = ajv.compile(schema);
    validator = (l) => assert.ok(validate(l), JSON.stringify(validate.errors?.slice(0, 3)));
  }
  validator(log);
}
