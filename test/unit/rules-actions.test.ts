/**
 * Action rules: unknown-action, not-an-iot-policy-action, legacy-job-action, action-case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARN, findings, lint, policy } from '../util/markers';
import { ruleTester } from '../util/ruleTester';

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
  assert.match(f.message, /Did you mean `iot:Publish`\?$/);
  const shadow = only(withActions('iot:UpdateShadow'), 'unknown-action');
  assert.deepEqual(shadow.data?.suggestions, ['iot:UpdateThingShadow']);
});

test('unknown-action: an invisible U+200B is reported on the whole action (a visible squiggle), with the character in data', () => {
  const text = withActions(['iot:DeleteThing\u200bShadow']);
  const f = only(text, 'unknown-action');
  assert.equal(f.text, 'iot:DeleteThing\u200bShadow');
  assert.match(f.message, /^An invisible character U\+200B \(zero width space\) sits inside `iot:DeleteThingShadow` \(after `iot:DeleteThing`\)/);
  assert.match(only(withActions(['iot:Publish\u200b']), 'unknown-action').message, /sits at the end of `iot:Publish`:/);
  const at = text.indexOf('\u200b');
  assert.deepEqual(f.data, { kind: 'invisible', codePoint: 'U+200B', characters: [{ offset: at, length: 1 }], suggestions: ['iot:DeleteThingShadow'] });
});

test('unknown-action: an invisible character written as a \\u escape maps to the escape in the document', () => {
  const text = withActions(['iot:Publish']).replace('"iot:Publish"', '"iot:Pub\\u200blish"');
  const f = only(text, 'unknown-action');
  assert.equal(f.text, 'iot:Pub\\u200blish');
  const at = text.indexOf('\\u200b');
  assert.deepEqual(f.data?.characters, [{ offset: at, length: 6 }]);
});

test('unknown-action: two invisible characters are one finding; a misspelling behind them is added to the message', () => {
  const f = only(withActions(['iot:Pub\u200bli\u00adsh']), 'unknown-action');
  assert.match(f.message, /^2 invisible characters, such as U\+200B/);
  assert.equal((f.data?.characters as unknown[]).length, 2);
  const typo = only(withActions(['iot:Pub\u200blsh']), 'unknown-action');
  assert.match(typo.message, /Even without it: `iot:Publsh` is not an IoT policy action/);
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
  const text = withActions(['iot:GetPendingJobExecutions']);
  const f = only(text, 'legacy-job-action');
  assert.equal(f.severity, 'info');
  assert.equal(f.text, 'iot:GetPendingJobExecutions');
  assert.match(f.message, /^`iot:GetPendingJobExecutions` is the older name; current AWS docs authorise the HTTPS jobs API with `iotjobsdata:GetPendingJobExecutions`. Use that/);
  const at = text.indexOf('iot:GetPendingJobExecutions');
  assert.deepEqual(f.data, {
    suggestions: ['iotjobsdata:GetPendingJobExecutions'],
    replacements: [{ span: { offset: at, length: 27 }, action: 'iot:GetPendingJobExecutions', text: 'iotjobsdata:GetPendingJobExecutions' }],
  });
  assert.deepEqual(findings(withActions(['iotjobsdata:GetPendingJobExecutions']), 'legacy-job-action'), []);
});

test('legacy-job-action: one finding per statement listing its legacy actions, the others as related information', () => {
  const legacy = ['iot:DescribeJobExecution', 'iot:GetPendingJobExecutions', 'iot:UpdateJobExecution'];
  const text = policy([CONNECT, { Effect: 'Allow', Action: ['iot:Publish', ...legacy], Resource: `${ARN}:thing/\${iot:Connection.Thing.ThingName}` },
    { Effect: 'Allow', Action: 'iot:StartNextPendingJobExecution', Resource: `${ARN}:thing/\${iot:Connection.Thing.ThingName}` }]);
  const f = findings(text, 'legacy-job-action');
  assert.deepEqual(f.map((x) => x.text), ['iot:DescribeJobExecution', 'iot:StartNextPendingJobExecution']);
  assert.match(f[0].message, /^`iot:DescribeJobExecution`, `iot:GetPendingJobExecutions` and `iot:UpdateJobExecution` are older names; current AWS docs authorise the HTTPS jobs API with the same actions under the `iotjobsdata:` prefix \(e.g. `iotjobsdata:DescribeJobExecution`\)/);
  assert.deepEqual((f[0].data?.replacements as { text: string }[]).map((r) => r.text), legacy.map((a) => a.replace('iot:', 'iotjobsdata:')));
  assert.deepEqual(f[0].related?.map((r) => text.substr(r.span.offset, r.span.length)), legacy.slice(1));
});

test('not-an-iot-policy-action: the advice fits a Deny statement too (put it in an IAM policy, or remove it)', () => {
  const text = policy([CONNECT, { Effect: 'Deny', Action: 'iot:DeleteThing', Resource: '*' }]);
  assert.match(only(text, 'not-an-iot-policy-action').message, /Put it in an IAM policy, or remove it\.$/);
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

// ---------------------------------------------------------------------------------------------
// Tables: message ids, exact ranges and fixed output.

const table = (actions: string): string => `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [${actions}], "Resource": "*"}]}`;

ruleTester('unknown-action', {
  valid: [table('"iot:Publish"'), table('"iot:*"'), table('"*"'), table('"greengrass:Discover"')],
  invalid: [
    { code: table('"[[iot:Pubish]]"'), errors: [{ messageId: 'unknown', data: { suggestions: ['iot:Publish'] } }], output: table('"iot:Publish"') },
    { code: table('"[[Publish]]"'), errors: [{ messageId: 'withoutPrefix' }], output: table('"iot:Publish"') },
    { code: table('"[[iot:Publish iot:Subscribe]]"'), errors: [{ messageId: 'joined' }], output: null },
    { code: table('"[[iot:Pub\u200bl]]"'), errors: [{ messageId: 'invisible', message: /Even without it: `iot:Publ` is not an IoT policy action/ }] },
    { code: table('"iot:Publish[[ ]]"'), errors: [{ messageId: 'whitespace' }], output: table('"iot:Publish"') },
    { code: table('"[[iot:Frobnicate*]]"'), errors: [{ messageId: 'patternMatchesNothing' }] },
  ],
});

ruleTester('not-an-iot-policy-action', {
  valid: [table('"iot:Connect"')],
  invalid: [
    { code: table('"iot:Connect", "[[iot:CreateThing]]"'), errors: [{ messageId: 'control' }], output: table('"iot:Connect"') },
    { code: table('"iot:Connect", "[[s3:GetObject]]"'), errors: [{ messageId: 'otherService' }], output: table('"iot:Connect"') },
    { code: table('"[[iot:CreateThing]]"'), errors: [{ messageId: 'control' }], output: null },
  ],
});

ruleTester('legacy-job-action', {
  valid: [table('"iotjobsdata:DescribeJobExecution"')],
  invalid: [
    { code: table('"[[iot:DescribeJobExecution]]"'), errors: [{ messageId: 'one' }], output: table('"iotjobsdata:DescribeJobExecution"') },
    {
      code: table('"[[iot:DescribeJobExecution]]", "iot:GetPendingJobExecutions"'),
      errors: [{ messageId: 'several' }],
      output: table('"iotjobsdata:DescribeJobExecution", "iotjobsdata:GetPendingJobExecutions"'),
    },
  ],
});

ruleTester('action-case', {
  valid: [table('"iot:Publish"')],
  invalid: [{ code: table('"[[iot:publish]]"'), errors: [{ messageId: 'caseOnly' }], output: table('"iot:Publish"') }],
});
