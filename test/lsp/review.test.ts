/**
 * The review panel's request, `iotPolicy/review`, over LSP: the effective permissions of an open
 * policy (with its unsaved text), the access changes against a base sent as text (a Git revision)
 * or read from a file, policies in a CloudFormation template and a Terraform file picked by name
 * or cursor, and clear answers (never a crash) for what cannot be reviewed.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startClient, type TestClient } from './harness';
import { loadGrammars } from '../util/grammars';
import type { ServerRuntime } from '../../server/src/server';
import type { ReviewParams, ReviewResult } from '../../shared/src/protocol';

const ARN = 'arn:aws:iot:eu-west-1:123456789012';
const THING = '${iot:Connection.Thing.ThingName}';
const DIR = 'file:///ws/review';

function policy(resource: string, extra: object[] = []): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:${resource}` }, ...extra] }, null, 2) + '\n';
}

const TEMPLATE = (sensorResource: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  SensorPolicy:
    Type: AWS::IoT::Policy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: iot:Publish
            Resource: !Sub 'arn:aws:iot:\${AWS::Region}:\${AWS::AccountId}:${sensorResource}'
  GatewayPolicy:
    Type: AWS::IoT::Policy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: iot:Subscribe
            Resource: '${ARN}:topicfilter/gw/*'
`;

const TERRAFORM = (resource: string) => `resource "aws_iot_policy" "device" {
  name = "device"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "iot:Connect"
      Resource = "${ARN}:${resource}"
    }]
  })
}
`;

const ON_DISK = `${DIR}/old.iot-policy.json`;

function runtimeWith(files: Record<string, string>): ServerRuntime {
  return { readFile: async (uri) => (Object.prototype.hasOwnProperty.call(files, uri) ? files[uri] : undefined) };
}

describe('iotPolicy/review', () => {
  let client: TestClient;
  const review = (p: ReviewParams): Promise<ReviewResult> => client.connection.sendRequest('iotPolicy/review', p) as Promise<ReviewResult>;
  before(async () => {
    // As the Node server does at start (node/main.ts): the wasm grammars come from node_modules.
    await loadGrammars();
    client = await startClient({ runtime: runtimeWith({ [ON_DISK]: policy(`client/${THING}`) }) });
  });
  after(() => client.dispose());

  test('explain: per action the allowed resource, its conditions, the statement and an example request', async () => {
    const uri = `${DIR}/device.iot-policy.json`;
    await client.open(uri, policy(`client/${THING}`, [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/${THING}/*`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } }]));
    const r = await review({ kind: 'explain', uri });
    assert.equal(r.problem, undefined);
    assert.equal(r.kind, 'explain');
    assert.deepEqual(r.sections.map((s) => s.action), ['iot:Connect', 'iot:Publish']);
    const [connect] = r.sections[0].rows;
    assert.equal(connect.resource, `${ARN}:client/${THING}`);
    assert.match(connect.summary, /on client IDs equal to the connecting thing's name/);
    assert.equal(connect.from.line, 4);
    assert.equal(connect.from.uri, uri);
    assert.match(connect.witness?.resource ?? '', /:client\//);
    assert.deepEqual(r.sections[1].rows[0].when, ['Bool iot:Connection.Thing.IsAttached = "true"']);
    assert.equal(r.exact, true);
    assert.match(r.summary, /2 allowed resources \(2 actions\)/);
  });

  test('explain follows unsaved edits', async () => {
    const uri = `${DIR}/edited.iot-policy.json`;
    await client.open(uri, policy('client/a'));
    assert.equal((await review({ kind: 'explain', uri })).sections[0].rows[0].resource, `${ARN}:client/a`);
    await client.change(uri, policy('client/b'), 2);
    assert.equal((await review({ kind: 'explain', uri })).sections[0].rows[0].resource, `${ARN}:client/b`);
  });

  test('diff against a base sent as text: client/${thing} to client/* newly allows iot:Connect, with a witness', async () => {
    const uri = `${DIR}/widened.iot-policy.json`;
    await client.open(uri, policy('client/*'));
    const r = await review({ kind: 'diff', uri, base: { uri, text: policy(`client/${THING}`), label: 'widened.iot-policy.json @ HEAD' } });
    assert.equal(r.problem, undefined);
    assert.deepEqual(r.sides, [{ label: 'base', names: ['widened.iot-policy.json @ HEAD'] }, { label: 'new', names: ['widened.iot-policy.json'] }]);
    const rows = r.sections.flatMap((s) => s.rows);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].change, 'newly-allowed');
    assert.match(rows[0].summary, /newly allowed: `iot:Connect` on client IDs that differ from the connecting thing's name/);
    assert.match(rows[0].except[0], /already allowed by statement 1 of widened\.iot-policy\.json @ HEAD, line 4/);
    assert.match(rows[0].witness?.decisions ?? '', /base ImplicitDeny, new Allow/);
    assert.match(r.summary, /^1 newly allowed, 0 no longer allowed/);
  });

  test('diff against a file the server reads; no difference says so', async () => {
    const uri = `${DIR}/same.iot-policy.json`;
    await client.open(uri, policy(`client/${THING}`));
    const r = await review({ kind: 'diff', uri, base: { uri: ON_DISK, label: 'old.iot-policy.json' } });
    assert.deepEqual(r.sections, []);
    assert.equal(r.summary, 'No difference in access.');
    assert.equal(r.exact, true);
  });

  test('a base revision without the file: everything allowed is new, and a note says why', async () => {
    const uri = `${DIR}/added.iot-policy.json`;
    await client.open(uri, policy('client/x'));
    const r = await review({ kind: 'diff', uri, base: { uri, label: 'added.iot-policy.json @ HEAD', missing: true } });
    assert.equal(r.sections[0].rows[0].change, 'newly-allowed');
    assert.match(r.notes.join('\n'), /holds no IoT policy: everything the policy allows is new/);
  });

  test('a CloudFormation template: the policy at the cursor, or by name; unknown values say "may"', async () => {
    const uri = `${DIR}/stack.yaml`;
    const text = TEMPLATE('topic/sensors/*');
    await client.open(uri, text, 'yaml');
    const atGateway = await review({ kind: 'explain', uri, offset: text.indexOf('topicfilter/gw') });
    assert.deepEqual(atGateway.policies, ['SensorPolicy', 'GatewayPolicy']);
    assert.equal(atGateway.policy, 'GatewayPolicy');
    assert.deepEqual(atGateway.sections.map((s) => s.action), ['iot:Subscribe']);
    const sensor = await review({ kind: 'diff', uri, policy: 'SensorPolicy', base: { uri, text: TEMPLATE('topic/sensors/${!iot:Connection.Thing.ThingName}'), label: 'stack.yaml @ HEAD' } });
    assert.equal(sensor.policy, 'SensorPolicy');
    const rows = sensor.sections.flatMap((s) => s.rows);
    const widened = rows.find((x) => x.change === 'newly-allowed');
    assert.match(widened?.summary ?? '', /`iot:Publish` on topics matching `sensors\/\*` other than `sensors\/\$\{iot:Connection.Thing.ThingName\}`/);
    assert.match(widened?.witness?.decisions ?? '', /base ImplicitDeny, new Allow/);
    // Each side's region and account are read as "anything", so the engine cannot be sure.
    assert.ok(rows.every((x) => x.certainty === 'may'), JSON.stringify(rows));
    assert.match(sensor.notes.join('\n'), /AWS::Region.*unknown before deploy/);
    assert.equal(sensor.exact, false);
  });

  test('a Terraform file: the policy in jsonencode, compared with its HEAD text', async () => {
    const uri = `${DIR}/main.tf`;
    await client.open(uri, TERRAFORM('client/*'), 'terraform');
    // The grammar loads on open; the request waits for it too.
    const r = await review({ kind: 'diff', uri, base: { uri, text: TERRAFORM(`client/${THING}`), label: 'main.tf @ HEAD' } });
    assert.equal(r.problem, undefined, r.summary);
    const rows = r.sections.flatMap((s) => s.rows);
    assert.equal(rows.length, 1);
    assert.match(rows[0].summary, /newly allowed: `iot:Connect` on client IDs that differ from the connecting thing's name/);
  });

  test('what cannot be reviewed is a problem, not an error', async () => {
    const broken = `${DIR}/broken.iot-policy.json`;
    await client.open(broken, '{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", ');
    assert.match((await review({ kind: 'explain', uri: broken })).problem ?? '', /syntax error at line 1/);
    const notPolicy = `${DIR}/package.json`;
    await client.open(notPolicy, '{ "name": "x" }');
    assert.match((await review({ kind: 'explain', uri: notPolicy })).problem ?? '', /holds no IoT policy/);
    assert.match((await review({ kind: 'explain', uri: `${DIR}/closed-and-missing.json` })).problem ?? '', /holds no IoT policy/);
    const bad = (await client.connection.sendRequest('iotPolicy/review', { kind: 'summarize', uri: 3 })) as ReviewResult;
    assert.match(bad.problem ?? '', /needs a kind/);
    const stack = `${DIR}/stack.yaml`;
    assert.match((await review({ kind: 'explain', uri: stack, policy: 'NoSuchPolicy' })).problem ?? '', /has no policy "NoSuchPolicy"/);
  });
});
