/**
 * Action rules: unknown-action, not-an-iot-policy-action, legacy-job-action, action-case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARN, findings, lint, policy } from '../util/markers';

const CONNECT = { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}` };

function withActions(actions: unknown): string {
  return policy([CONNECT, { Effect: 'Allow', Action: actions, Resource: `${ARN}:topic/\${iot:Connection.Thing.ThingName}/*` }]);
}

function only(text: string, id: string) {
  const f = findings(text, id);
  assert.equal(f.length, 1, `expected one ${id}, got ${JSON.stringify(f.map((x) => [x.text, x.message]))}`);
  return f[0];
}

const ACTION_RULES = ['unknown-action', 'not-an-iot-policy-action', 'legacy-job-action', 'action-case'];
function actionFindings(text: string) {
  return lint(text).filter((f) => ACTION_RULES.includes(f.ruleId));
}

test('known actions, wildcard patterns that match policy actions and `*` report nothing', () => {
  for (const a of ['iot:Publish', 'iot:Receive', 'iot:Subscribe', 'iot:RetainPublish', 'iotjobsdata:DescribeJobExecution', 'greengrass:Discover',
    'iot:*', '*', 'iot:*Shadow', 'iot:Get*', 'iot:Publis?', 'iotjobsdata:*', 'greengrass:*', 'greengrass:GetDeployment']) {
    assert.deepEqual(actionFindings(withActions([a])).map((f) => f.message), [], a);
  }
});

test('unknown-action: iot:PublishRetain suggests iot:RetainPublish', () => {
  const f = only(withActions(['iot:Publish', 'iot:PublishRetain']), 'unknown-action');
  assert.equal(f.text, 'iot:PublishRetain');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.data, { kind: 'unknown', suggestions: ['iot:RetainPublish'] });
  assert.match(f.message, /`iot:RetainPublish` \(together with `iot:Publish`\)/);
});

test('unknown-action: a typo gets the nearest action', () => {
  const f = only(withActions('iot:Pubish'), 'unknown-action');
  assert.deepEqual(f.data?.suggestions?.[0], 'iot:Publish');
  assert.match(f.message, /did you mean `iot:Publish`\?/);
  const shadow = only(withActions('iot:UpdateShadow'), 'unknown-action');
  assert.deepEqual(shadow.data?.suggestions, ['iot:UpdateThingShadow']);
});

test('unknown-action: an invisible U+200B is reported on that one character, with its code point', () => {
  const text = withActions(['iot:DeleteThing\u200bShadow']);
  const f = only(text, 'unknown-action');
  assert.equal(f.text, '\u200b');
  assert.match(f.message, /^An invisible character U\+200B \(zero width space\) sits inside `iot:DeleteThingShadow`/);
  assert.deepEqual(f.data, { kind: 'invisible', codePoint: 'U+200B', suggestions: [''] });
});

test('unknown-action: an invisible character written as a \\u escape maps to the escape in the document', () => {
  const text = withActions(['iot:Publish']).replace('"iot:Publish"', '"iot:Pub\\u200blish"');
  const f = only(text, 'unknown-action');
  assert.equal(f.text, '\\u200b');
});

test('unknown-action: surrounding white space, missing prefix, misspelled prefix', () => {
  const ws = only(withActions([' iot:Publish']), 'unknown-action');
  assert.equal(ws.text, ' ');
  assert.equal(ws.data?.kind, 'whitespace');
  const noPrefix = only(withActions(['Publish']), 'unknown-action');
  assert.deepEqual(noPrefix.data, { kind: 'no-prefix', suggestions: ['iot:Publish'] });
  assert.match(noPrefix.message, /has no service prefix/);
  const prefix = only(withActions(['iotdata:Publish']), 'unknown-action');
  assert.deepEqual(prefix.data?.suggestions, ['iot:Publish']);
  assert.match(prefix.message, /`iotdata:` is not a prefix IoT policies use/);
  const jobs = only(withActions(['iotjobs:DescribeJobExecution']), 'unknown-action');
  assert.deepEqual(jobs.data?.suggestions, ['iotjobsdata:DescribeJobExecution']);
});

test('unknown-action: several actions in one string', () => {
  const f = only(withActions('iot:Connect, iot:Publish'), 'unknown-action');
  assert.deepEqual(f.data, { kind: 'joined', parts: ['iot:Connect', 'iot:Publish'], suggestions: [] });
  assert.match(f.message, /puts 2 actions in one string/);
});

test('unknown-action: a wildcard pattern that matches nothing', () => {
  const f = only(withActions(['iot:Foo*']), 'unknown-action');
  assert.equal(f.data?.kind, 'pattern');
  assert.match(f.message, /matches no action/);
});

test('unknown-action: also in NotAction; not for variables (another rule) or empty strings', () => {
  const text = policy([CONNECT, { Effect: 'Deny', NotAction: ['iot:Recieve'], Resource: '*' }]);
  assert.deepEqual(only(text, 'unknown-action').data?.suggestions?.[0], 'iot:Receive');
  assert.deepEqual(findings(withActions(['iot:${iot:ClientId}']), 'unknown-action'), []);
  assert.deepEqual(findings(withActions(['']), 'unknown-action'), []);
});

test('not-an-iot-policy-action: other services and control-plane actions, tagged unnecessary', () => {
  const text = withActions(['iot:Publish', 'lambda:*', 'dynamodb:PutItem', 's3:GetObject', 'iot:CreateThing']);
  const f = findings(text, 'not-an-iot-policy-action');
  assert.deepEqual(f.map((x) => x.text), ['lambda:*', 'dynamodb:PutItem', 's3:GetObject', 'iot:CreateThing']);
  assert.equal(f[0].severity, 'warning');
  assert.deepEqual(f[0].tags, ['unnecessary']);
  assert.match(f[0].message, /^`lambda:\*` is an action of AWS Lambda: an IoT policy evaluates only `iot:`, `iotjobsdata:` and `greengrass:` actions/);
  assert.deepEqual(f[0].data, { kind: 'other-service', service: 'lambda', suggestions: [] });
  assert.match(f[3].message, /control-plane \(IAM\) action/);
  assert.equal(f[3].data?.kind, 'control-plane');
  assert.deepEqual(findings(text, 'unknown-action'), []);
});

test('not-an-iot-policy-action: a pattern that matches only control-plane actions', () => {
  const f = only(withActions(['iot:Create*']), 'not-an-iot-policy-action');
  assert.match(f.message, /matches only AWS IoT control-plane \(IAM\) actions, such as `iot:/);
  assert.ok((f.data?.matches as string[]).every((m) => m.startsWith('iot:Create')));
  // iot:Describe* also matches the legacy job action iot:DescribeJobExecution: fine
  assert.deepEqual(findings(withActions(['iot:Describe*']), 'not-an-iot-policy-action'), []);
});

test('not-an-iot-policy-action: Greengrass control plane vs Greengrass typo', () => {
  assert.equal(only(withActions(['greengrass:CreateDeployment']), 'not-an-iot-policy-action').data?.service, 'greengrass');
  assert.deepEqual(only(withActions(['greengrass:Discovery']), 'unknown-action').data?.suggestions, ['greengrass:Discover']);
});

test('legacy-job-action: info with the iotjobsdata: spelling', () => {
  const f = only(withActions(['iot:GetPendingJobExecutions']), 'legacy-job-action');
  assert.equal(f.severity, 'info');
  assert.equal(f.text, 'iot:GetPendingJobExecutions');
  assert.deepEqual(f.data, { suggestions: ['iotjobsdata:GetPendingJobExecutions'] });
  assert.deepEqual(findings(withActions(['iotjobsdata:GetPendingJobExecutions']), 'legacy-job-action'), []);
});

test('action-case: hint with the documented spelling; exclusive with the other rules', () => {
  const text = withActions(['iot:publish']);
  const f = only(text, 'action-case');
  assert.equal(f.severity, 'hint');
  assert.deepEqual(f.data, { suggestions: ['iot:Publish'] });
  assert.match(f.message, /works because action names ignore case/);
  assert.deepEqual(actionFindings(text).map((x) => x.ruleId), ['action-case']);
  // A legacy spelling in the wrong case gets only the legacy finding.
  assert.deepEqual(actionFindings(withActions(['iot:describejobexecution'])).map((x) => x.ruleId), ['legacy-job-action']);
});

test('Statement as a single object', () => {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'iot:Conect', Resource: '*' } });
  assert.deepEqual(only(text, 'unknown-action').data?.suggestions?.[0], 'iot:Connect');
});
