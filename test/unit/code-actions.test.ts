/**
 * Quick fixes and "Fix all safe problems". Every test runs the real pipeline: analyze →
 * toDiagnostics → getCodeActions → apply the WorkspaceEdit with TextDocument.applyEdits, then
 * checks the exact text, that the JSON still parses strictly, and that the diagnostic is gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, type ParseError } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { analyze, emptyConfig, getCodeActions as getCodeActionsOf, jsonDocument, parsePolicy, toDiagnostics, type PolicyConfig, type PolicyModel } from '../../server/src/service';
import { computeFixAll as computeFixAllOf, FIX_ALL_KIND } from '../../server/src/service/features/codeActions';

/** Code actions of a standalone policy (one JSON document). */
function getCodeActions(doc: Parameters<typeof getCodeActionsOf>[0], model: PolicyModel, ...rest: Parameters<typeof getCodeActionsOf> extends [unknown, unknown, ...infer R] ? R : never) {
  return getCodeActionsOf(doc, jsonDocument(model), ...rest);
}

function computeFixAll(text: string, config?: PolicyConfig) {
  return computeFixAllOf(jsonDocument(parsePolicy(text)), config);
}
import { diffEdits } from '../../server/src/service/text/edits';
import { ARN, lint } from '../util/markers';

const URI = 'file:///work/policy.iot-policy.json';
const THING = '${iot:Connection.Thing.ThingName}';
const CONNECT = { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/${THING}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } };
const DEFAULTS: PolicyConfig = { rules: {}, defaults: { region: 'eu-west-1', accountId: '493812760155' } };

/** A policy as a user would write it: 2-space JSON. */
function policy(statements: unknown, version: string | null = '2012-10-17'): string {
  return JSON.stringify(version === null ? { Statement: statements } : { Version: version, Statement: statements }, null, 2);
}

function strictJson(text: string): unknown {
  const errors: ParseError[] = [];
  const v = parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  assert.deepEqual(errors, [], `not strict JSON after the fix:\n${text}`);
  return v;
}

function setup(text: string, config?: PolicyConfig) {
  const doc = TextDocument.create(URI, 'json', 1, text);
  const model = parsePolicy(text);
  const diagnostics = toDiagnostics(doc, analyze(model, config));
  return { doc, model, diagnostics };
}

function editsOf(a: CodeAction): TextEdit[] {
  const edits = a.edit?.changes?.[URI];
  assert.ok(edits && edits.length, `no edits in "${a.title}"`);
  return edits;
}

function assertNonOverlapping(doc: TextDocument, edits: TextEdit[]) {
  const spans = edits.map((e) => [doc.offsetAt(e.range.start), doc.offsetAt(e.range.end)]).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i][0] >= spans[i - 1][1], `overlapping edits ${JSON.stringify(spans)}`);
}

interface FixOptions {
  config?: PolicyConfig;
  /** The text the diagnostic points at (default: the first diagnostic of the rule). */
  at?: string;
  /** Pick the action by title (default: the preferred one). */
  title?: RegExp;
  /** Expect the rule's diagnostics to be gone entirely (default) or only one fewer. */
  remaining?: number;
}

/** Applies one quick fix for `ruleId` and returns the new text, after the standard checks. */
function applyFix(text: string, ruleId: string, o: FixOptions = {}): { out: string; action: CodeAction; actions: CodeAction[] } {
  const { doc, model, diagnostics } = setup(text, o.config);
  const mine = diagnostics.filter((d) => d.code === ruleId);
  assert.ok(mine.length, `no ${ruleId} diagnostic in:\n${text}\n(got ${diagnostics.map((d) => d.code).join(', ')})`);
  const d = o.at === undefined ? mine[0] : mine.find((x) => doc.getText(x.range) === o.at);
  assert.ok(d, `no ${ruleId} diagnostic on ${JSON.stringify(o.at)}; they are on ${mine.map((x) => JSON.stringify(doc.getText(x.range))).join(', ')}`);
  const actions = getCodeActions(doc, model, d.range, [d], { config: o.config, only: ['quickfix'] });
  const action = o.title ? actions.find((a) => o.title!.test(a.title)) : actions.find((a) => a.isPreferred);
  assert.ok(action, `no ${o.title ? `action matching ${o.title}` : 'preferred action'} for ${ruleId}; got ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.equal(action.kind, 'quickfix');
  assert.deepEqual(action.diagnostics, [d]);
  const edits = editsOf(action);
  assertNonOverlapping(doc, edits);
  const out = TextDocument.applyEdits(doc, edits);
  strictJson(out);
  const left = lint(out, o.config).filter((f) => f.ruleId === ruleId);
  assert.equal(left.length, o.remaining ?? 0, `${ruleId} still reported after "${action.title}":\n${out}\n${left.map((f) => f.message).join('\n')}`);
  return { out, action, actions };
}

function titles(text: string, ruleId: string, config?: PolicyConfig): string[] {
  const { doc, model, diagnostics } = setup(text, config);
  const d = diagnostics.find((x) => x.code === ruleId);
  assert.ok(d, `no ${ruleId}`);
  return getCodeActions(doc, model, d.range, [d], { config, only: ['quickfix'] }).map((a) => a.title);
}

// ---------------------------------------------------------------------------------------------
// Did you mean

test('unknown-action: did-you-mean replaces the misspelt action, preferred when it is the only suggestion', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: ['iot:Publsh'], Resource: `${ARN}:topic/${THING}/data` }]);
  const { out, action } = applyFix(text, 'unknown-action');
  assert.equal(out, text.replace('"iot:Publsh"', '"iot:Publish"'));
  assert.equal(action.title, "Change 'iot:Publsh' to 'iot:Publish'");
});

test('unknown-action: an invisible character inside the action is removed', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Pub\u200blish', Resource: `${ARN}:topic/${THING}/data` }]);
  const { out, action } = applyFix(text, 'unknown-action');
  assert.equal(out, text.replace('iot:Pub\u200blish', 'iot:Publish'));
  assert.equal(action.title, 'Remove the invisible character U+200B');
});

test('unknown-action: several suggestions are offered, none preferred', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Subscrib', Resource: `${ARN}:topicfilter/${THING}/data` }]);
  const { doc, model, diagnostics } = setup(text);
  const d = diagnostics.find((x) => x.code === 'unknown-action')!;
  const actions = getCodeActions(doc, model, d.range, [d], { only: ['quickfix'] });
  assert.ok(actions.length >= 1);
  assert.match(actions[0].title, /'iot:Subscribe'/);
  const { out } = applyFix(text, 'unknown-action', { title: /'iot:Subscribe'/ });
  assert.equal(out, text.replace('"iot:Subscrib"', '"iot:Subscribe"'));
});

test('unknown-policy-variable: did-you-mean replaces only the variable name', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:Connection.Thing.ThingNam}/data` }]);
  const { out, action } = applyFix(text, 'unknown-policy-variable', { title: /Connection\.Thing\.ThingName\}'/ });
  assert.equal(out, text.replace('ThingNam}', 'ThingName}'));
  // The diagnostic covers the whole `${...}`; the edit touches only the name.
  assert.deepEqual(editsOf(action).map((e) => e.newText), ['iot:Connection.Thing.ThingName']);
});

test('policy-variable-case: the documented spelling, preferred', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:connection.thing.thingName}/data` }]);
  const { out, action } = applyFix(text, 'policy-variable-case');
  assert.equal(out, text.replace('${iot:connection.thing.thingName}', THING));
  assert.equal(action.isPreferred, true);
});

test('policy-variable-case: works through JSON escapes (\\u0024{...})', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:clientid}/data` }]).replace('${iot:clientid}', '\\u0024{iot:clientid}');
  const { out } = applyFix(text, 'policy-variable-case');
  assert.equal(out, text.replace('{iot:clientid}', '{iot:ClientId}'));
});

test('unknown-element: near miss renamed (`Resources` → `Resource`, `effect` → `Effect`)', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resources: `${ARN}:topic/${THING}/data` }]);
  const { out, action } = applyFix(text, 'unknown-element');
  assert.equal(out, text.replace('"Resources"', '"Resource"'));
  assert.equal(action.title, "Rename 'Resources' to 'Resource'");
  const t2 = policy([{ ...CONNECT, Effect: undefined, effect: 'Allow' }]);
  assert.equal(applyFix(t2, 'unknown-element').out, t2.replace('"effect"', '"Effect"'));
});

test('unknown-element: no rename that would duplicate an existing key', () => {
  const text = policy([{ ...CONNECT, Resources: `${ARN}:client/other` }]);
  assert.deepEqual(titles(text, 'unknown-element'), []);
});

test('condition operators and keys: did-you-mean (and no rename onto an existing key)', () => {
  const text = policy([{ ...CONNECT, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' }, StringEqual: { 'iot:Connection.Thing.ThingTypeName': 'Sensor' } } }]);
  const { out } = applyFix(text, 'unknown-condition-operator');
  assert.equal(out, text.replace('"StringEqual"', '"StringEquals"'));
  const t2 = policy([{ ...CONNECT, Condition: { Bool: { 'iot:Connection.Thing.IsAtached': 'true' } } }]);
  assert.equal(applyFix(t2, 'unsupported-condition-key', { title: /'iot:Connection\.Thing\.IsAttached'$/ }).out, t2.replace('IsAtached', 'IsAttached'));
  const t3 = policy([{ ...CONNECT, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true', 'iot:Connection.Thing.IsAtached': 'true' } } }]);
  assert.ok(!titles(t3, 'unsupported-condition-key').some((t) => /IsAttached'$/.test(t)), 'would duplicate the key');
});

test('undocumented-policy-variable: ${iot:Thing.ThingName} → ${iot:Connection.Thing.ThingName}', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:Thing.ThingName}/data` }]);
  const { out, action } = applyFix(text, 'undocumented-policy-variable');
  assert.equal(out, text.replace('${iot:Thing.ThingName}', THING));
  assert.equal(action.isPreferred, true);
});

// ---------------------------------------------------------------------------------------------
// Resource types

test('resource-type-mismatch: Subscribe on topic/ → topicfilter/', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Subscribe', Resource: [`${ARN}:topic/${THING}/cmd`, `${ARN}:topic/${THING}/cfg`] }, { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/${THING}/*` }]);
  const expected = text.replace(':topic/${iot:Connection.Thing.ThingName}/cmd', ':topicfilter/${iot:Connection.Thing.ThingName}/cmd').replace(':topic/${iot:Connection.Thing.ThingName}/cfg', ':topicfilter/${iot:Connection.Thing.ThingName}/cfg');
  // One resource at a time (preferred), or all of the statement's resources at once.
  const one = applyFix(text, 'resource-type-mismatch', { remaining: 1 });
  assert.equal(one.action.title, "Change 'topic/' to 'topicfilter/'");
  assert.equal(one.out, text.replace(':topic/${iot:Connection.Thing.ThingName}/cmd', ':topicfilter/${iot:Connection.Thing.ThingName}/cmd'));
  assert.equal(applyFix(one.out, 'resource-type-mismatch').out, expected);
  const { out, action } = applyFix(text, 'resource-type-mismatch', { title: /^Change all 2/ });
  assert.equal(out, expected);
  assert.equal(action.title, "Change all 2 'topic/' of this statement to 'topicfilter/'");
});

test('resource-type-mismatch: Publish on topicfilter/ → topic/', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${ARN}:topicfilter/${THING}/data` }]);
  const { out } = applyFix(text, 'resource-type-mismatch');
  assert.equal(out, text.replace(':topicfilter/', ':topic/'));
});

test('resource-type-mismatch: actions that need different types split the statement', () => {
  const text = policy([CONNECT, { Sid: 'PubSub', Effect: 'Allow', Action: ['iot:Publish', 'iot:Subscribe', 'iot:Receive'], Resource: [`${ARN}:topic/${THING}/*`, `${ARN}:topic/shared/status`] }]);
  const { out, action } = applyFix(text, 'resource-type-mismatch', { title: /^Split the statement/ });
  assert.equal(action.title, 'Split the statement: iot:Publish, iot:Receive on topic/; iot:Subscribe on topicfilter/');
  assert.equal(
    out,
    policy([
      CONNECT,
      { Sid: 'PubSub', Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: [`${ARN}:topic/${THING}/*`, `${ARN}:topic/shared/status`] },
      { Sid: 'PubSubTopicfilter', Effect: 'Allow', Action: ['iot:Subscribe'], Resource: [`${ARN}:topicfilter/${THING}/*`, `${ARN}:topicfilter/shared/status`] },
    ]),
  );
});

test('resource-type-mismatch: splitting a single Statement object makes an array', () => {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: ['iot:Publish', 'iot:Subscribe'], Resource: `${ARN}:topic/fleet/*` } }, null, 2);
  const { out } = applyFix(text, 'resource-type-mismatch', { title: /^Split the statement/ });
  assert.equal(
    out,
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['iot:Publish'], Resource: `${ARN}:topic/fleet/*` },
        { Effect: 'Allow', Action: ['iot:Subscribe'], Resource: `${ARN}:topicfilter/fleet/*` },
      ],
    }, null, 2),
  );
});

// ---------------------------------------------------------------------------------------------
// Effect and Version

test('invalid-effect: case-only mistake → the right case, preferred', () => {
  const text = policy([{ ...CONNECT, Effect: 'allow' }]);
  const { out, actions } = applyFix(text, 'invalid-effect');
  assert.equal(out, text.replace('"allow"', '"Allow"'));
  assert.deepEqual(actions.map((a) => a.title), ["Set Effect to 'Allow'", "Set Effect to 'Deny'"]);
});

test('invalid-effect: an empty Effect ("") gets a quoted value', () => {
  const text = policy([{ ...CONNECT, Effect: '' }]);
  const { out } = applyFix(text, 'invalid-effect', { title: /'Allow'/ });
  assert.equal(out, policy([CONNECT]));
});

test('quick fixes are tried first: one that would not remove its finding is not offered', () => {
  // condition-value-type suggests another operator, but the value fits neither: no fix.
  const text = policy([{ ...CONNECT, Condition: { Bool: { 'aws:SourceIp': `${ARN}:topic/x` } } }]);
  const { doc, model, diagnostics } = setup(text);
  for (const d of diagnostics) {
    for (const a of getCodeActions(doc, model, d.range, [d], { only: ['quickfix'] })) {
      const out = TextDocument.applyEdits(doc, editsOf(a));
      assert.ok(lint(out).filter((f) => f.ruleId === d.code).length < lint(text).filter((f) => f.ruleId === d.code).length, `"${a.title}" offered but does not fix ${String(d.code)}`);
    }
  }
});

test('invalid-effect: other values offer Allow and Deny, none preferred', () => {
  const text = policy([{ ...CONNECT, Effect: 'Permit' }]);
  const t = titles(text, 'invalid-effect');
  assert.deepEqual([...t].sort(), ["Set Effect to 'Allow'", "Set Effect to 'Deny'"]);
  const { out } = applyFix(text, 'invalid-effect', { title: /'Deny'/ });
  assert.equal(out, text.replace('"Permit"', '"Deny"'));
});

test('missing-version: "Version": "2012-10-17" inserted as the first property, in the document\'s indentation', () => {
  const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/sensor-0042` }], null);
  const { out } = applyFix(text, 'missing-version');
  assert.equal(out, policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/sensor-0042` }]));
  // Tabs stay tabs.
  const tabbed = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/sensor-0042` }] }, null, '\t');
  assert.equal(applyFix(tabbed, 'missing-version').out, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/sensor-0042` }] }, null, '\t'));
});

test('missing-version: CRLF documents get CRLF', () => {
  const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/sensor-0042` }], null).replace(/\n/g, '\r\n');
  const { out } = applyFix(text, 'missing-version');
  assert.equal(out, policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/sensor-0042` }]).replace(/\n/g, '\r\n'));
});

test('invalid-version: set to 2012-10-17', () => {
  const text = policy([CONNECT], '2012-10-18');
  const { out, action } = applyFix(text, 'invalid-version');
  assert.equal(out, policy([CONNECT]));
  assert.equal(action.title, 'Set Version to 2012-10-17');
});

test('variables-require-2012-10-17: Version 2008-10-17 → 2012-10-17 (one fix for all the variables)', () => {
  const st = { Effect: 'Allow', Action: 'iot:Publish', Resource: [`${ARN}:topic/${THING}/a`, `${ARN}:topic/\${iot:ClientId}/b`] };
  const text = policy([CONNECT, st], '2008-10-17');
  const { doc, model, diagnostics } = setup(text);
  const mine = diagnostics.filter((d) => d.code === 'variables-require-2012-10-17');
  // One finding on the Version value, the variables as related information.
  assert.equal(mine.length, 1);
  assert.equal(doc.getText(mine[0].range), '2008-10-17');
  assert.equal(mine[0].relatedInformation?.length, 3);
  const actions = getCodeActions(doc, model, mine[0].range, mine, { only: ['quickfix'] });
  assert.equal(actions.length, 1);
  const { out } = applyFix(text, 'variables-require-2012-10-17');
  assert.equal(out, policy([CONNECT, st]));
});

test('variables-require-2012-10-17: no Version → inserted', () => {
  const text = policy([CONNECT], null);
  const { out } = applyFix(text, 'variables-require-2012-10-17');
  assert.equal(out, policy([CONNECT]));
});

// ---------------------------------------------------------------------------------------------
// Security

test('overly-permissive: client/* → client/${iot:Connection.Thing.ThingName} with IsAttached', () => {
  const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/*` }]);
  const { out, action } = applyFix(text, 'overly-permissive');
  assert.equal(out, policy([CONNECT]));
  assert.equal(action.isPreferred, true);
});

test('overly-permissive: client/${iot:ClientId} → thing name, IsAttached merged into the existing Condition', () => {
  const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:ClientId}`, Condition: { StringEquals: { 'iot:Connection.Thing.ThingTypeName': 'Sensor' } } }]);
  const { out } = applyFix(text, 'overly-permissive', { at: '${iot:ClientId}' });
  assert.equal(
    out,
    policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/${THING}`, Condition: { StringEquals: { 'iot:Connection.Thing.ThingTypeName': 'Sensor' }, Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } }]),
  );
});

test('overly-permissive: topic/* and thing/* → the thing\'s own resources', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/*` }]);
  const { out, action } = applyFix(text, 'overly-permissive');
  assert.equal(out, text.replace(':topic/*"', `:topic/${THING}/*"`));
  assert.equal(action.title, `Change '*' to '${THING}/*' (only the thing's own resources)`);
  const t2 = policy([{ Effect: 'Allow', Action: 'iot:GetThingShadow', Resource: `${ARN}:thing/*` }]);
  assert.equal(applyFix(t2, 'overly-permissive').out, t2.replace(':thing/*"', `:thing/${THING}"`));
});

test('overly-permissive: client/* inside a CloudFormation Fn::Join is fixed in place', () => {
  const join = { 'Fn::Join': ['', ['arn:aws:iot:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':client/*']] };
  const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: join }]);
  const { out } = applyFix(text, 'overly-permissive');
  const fixedJoin = { 'Fn::Join': ['', ['arn:aws:iot:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:client/${THING}`]] };
  assert.equal(out, policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: fixedJoin, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } }]));
});

test('connect-without-attached-thing: adds the IsAttached condition (and merges into an existing Bool)', () => {
  const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/${THING}` }]);
  assert.equal(applyFix(text, 'connect-without-attached-thing').out, policy([CONNECT]));
  const t2 = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/${THING}`, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }]);
  const { out } = applyFix(t2, 'connect-without-attached-thing');
  assert.deepEqual((strictJson(out) as { Statement: { Condition: unknown }[] }).Statement[0].Condition, { Bool: { 'aws:SecureTransport': 'true', 'iot:Connection.Thing.IsAttached': 'true' } });
});

test('mqtt-wildcard-is-literal: # and + → * on topic/', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/${THING}/#` }]);
  const { out, action } = applyFix(text, 'mqtt-wildcard-is-literal');
  assert.equal(out, text.replace('}/#"', '}/*"'));
  assert.equal(action.title, "Change '#' to '*' (the policy wildcard)");
  const t2 = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/${THING}/+/status` }]);
  assert.equal(applyFix(t2, 'mqtt-wildcard-is-literal').out, t2.replace('/+/', '/*/'));
});

const DENY_SUB_HASH = { Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/control_room/#` };

test('mqtt-wildcard-in-deny: # → *', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/*` }, { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/building/*` }, DENY_SUB_HASH]);
  const { out } = applyFix(text, 'mqtt-wildcard-in-deny', { title: /to '\*'/ });
  assert.equal(out, text.replace('control_room/#', 'control_room/*'));
});

test('mqtt-wildcard-in-deny: # → * together with the missing Deny on iot:Receive after the Deny statement', () => {
  const statements = [CONNECT, { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/*` }, { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/building/*` }, DENY_SUB_HASH];
  const text = policy(statements);
  const { out, action } = applyFix(text, 'mqtt-wildcard-in-deny', { title: /Deny on iot:Receive/ });
  assert.equal(action.title, "Change '#' to '*' (the policy wildcard), and add a Deny on iot:Receive for topic/building/control_room/*");
  const fixed = statements.map((st) => (st === DENY_SUB_HASH ? { ...st, Resource: `${ARN}:topicfilter/building/control_room/*` } : st));
  assert.equal(out, policy([...fixed, { Effect: 'Deny', Action: 'iot:Receive', Resource: `${ARN}:topic/building/control_room/*` }]));
});

test('deny-bypassed-by-wildcard: adds the Deny on iot:Receive the Subscribe Deny needs', () => {
  const statements = [
    CONNECT,
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/*` },
    { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/building/*` },
    { Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/control_room/*` },
    { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/${THING}/status` },
  ];
  const text = policy(statements);
  const { out, action } = applyFix(text, 'deny-bypassed-by-wildcard');
  assert.equal(action.title, 'Add a Deny on iot:Receive for topic/building/control_room/*');
  const expected = [...statements];
  expected.splice(4, 0, { Effect: 'Deny', Action: 'iot:Receive', Resource: `${ARN}:topic/building/control_room/*` });
  assert.equal(out, policy(expected));
});

test('deny-bypassed-by-wildcard: with a single Statement object the statements become an array', () => {
  // Not a realistic policy for the rule (it needs several statements), so exercise the insertion helper via missing-dependent-action.
  const text = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/${THING}/data` } }, null, 2);
  const { out } = applyFix(text, 'missing-dependent-action');
  assert.equal(
    out,
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/${THING}/data` }, CONNECT] }, null, 2),
  );
});

// ---------------------------------------------------------------------------------------------
// Placeholders, dependencies, variable syntax

test('arn-placeholder: filled from the configured default region and account', () => {
  const text = policy([{ ...CONNECT, Resource: `arn:aws:iot:REGION:123456789012:client/${THING}` }]);
  const first = applyFix(text, 'arn-placeholder', { config: DEFAULTS, at: 'REGION', remaining: 1 });
  assert.equal(first.action.title, "Replace 'REGION' with 'eu-west-1' (iotPolicy.defaults.region)");
  const second = applyFix(first.out, 'arn-placeholder', { config: DEFAULTS, at: '123456789012' });
  assert.equal(second.out, policy([CONNECT]));
});

test('arn-placeholder: every occurrence of a placeholder in one fix; a partition placeholder becomes aws', () => {
  const pub = { Effect: 'Allow', Action: 'iot:Publish', Resource: [`arn:aws:iot:REGION:${'493812760155'}:topic/${THING}/a`, `arn:aws:iot:REGION:493812760155:topic/${THING}/b`] };
  const text = policy([{ ...CONNECT, Resource: `arn:aws:iot:REGION:493812760155:client/${THING}` }, pub]);
  const { out, action } = applyFix(text, 'arn-placeholder', { config: DEFAULTS });
  assert.equal(action.title, "Replace 'REGION' with 'eu-west-1' (iotPolicy.defaults.region) (3 places)");
  assert.equal(out, text.split(':REGION:').join(':eu-west-1:'));
  const part = policy([{ ...CONNECT, Resource: `arn:partition:iot:eu-west-1:493812760155:client/${THING}` }]);
  const p = applyFix(part, 'arn-placeholder');
  assert.equal(p.out, policy([CONNECT]));
  assert.equal(p.action.title, "Replace 'partition' with 'aws'");
});

test('arn-placeholder: no fix without configured defaults', () => {
  const text = policy([{ ...CONNECT, Resource: `arn:aws:iot:REGION:123456789012:client/${THING}` }]);
  assert.deepEqual(titles(text, 'arn-placeholder'), []);
  assert.deepEqual(titles(text, 'arn-placeholder', emptyConfig()), []);
  assert.deepEqual(titles(text, 'arn-placeholder', { rules: {}, defaults: { accountId: '493812760155' } }), []);
});

test('missing-dependent-action: adds the Connect statement (thing client ID, IsAttached) at the end', () => {
  const pub = { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/${THING}/data` };
  const text = policy([pub]);
  const { out } = applyFix(text, 'missing-dependent-action');
  assert.equal(out, policy([pub, CONNECT]));
});

test('missing-dependent-action: adds the Receive statement after the Subscribe', () => {
  const sub = { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/${THING}/cmd/+` };
  const pub = { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/${THING}/data` };
  const text = policy([CONNECT, sub, pub]);
  const { out } = applyFix(text, 'missing-dependent-action', { at: 'iot:Subscribe' });
  const added = (strictJson(out) as { Statement: { Action: string; Resource: string }[] }).Statement[2];
  assert.equal(added.Action, 'iot:Receive');
  assert.match(added.Resource, /:topic\/\$\{iot:Connection\.Thing\.ThingName\}\/cmd\//);
  assert.equal(out, policy([CONNECT, sub, { Effect: 'Allow', Action: 'iot:Receive', Resource: added.Resource }, pub]));
});

test('missing-dependent-action: RetainPublish without Publish gets iot:Publish in its Action', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: ['iot:RetainPublish'], Resource: `${ARN}:topic/${THING}/config` }]);
  const { out } = applyFix(text, 'missing-dependent-action');
  assert.equal(out, policy([CONNECT, { Effect: 'Allow', Action: ['iot:RetainPublish', 'iot:Publish'], Resource: `${ARN}:topic/${THING}/config` }]));
  const t2 = policy([CONNECT, { Effect: 'Allow', Action: 'iot:RetainPublish', Resource: `${ARN}:topic/${THING}/config` }]);
  assert.equal(applyFix(t2, 'missing-dependent-action').out, t2.replace('"Action": "iot:RetainPublish"', '"Action": ["iot:Publish", "iot:RetainPublish"]'));
});

test('policy-variable-syntax: an unclosed ${ is closed after the name', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:Connection.Thing.ThingName/data` }]);
  const { out, action } = applyFix(text, 'policy-variable-syntax');
  assert.equal(out, text.replace('ThingName/data', 'ThingName}/data'));
  assert.equal(action.title, `Close the variable: '${THING}'`);
});

test('policy-variable-syntax: $(*) → ${*}', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/${THING}/literal$(*)` }]);
  const { out } = applyFix(text, 'policy-variable-syntax');
  assert.equal(out, text.replace('$(*)', '${*}'));
});

test('policy-variable-syntax: white space inside the braces removed', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${ iot:Connection.Thing.ThingName }/data` }]);
  const { out } = applyFix(text, 'policy-variable-syntax');
  assert.equal(out, text.replace('${ iot:Connection.Thing.ThingName }', THING));
});

test('resource-type-mismatch: a shadow topic ARN written for a shadow action becomes the thing ARN', () => {
  const text = policy([{ Effect: 'Allow', Action: ['iot:GetThingShadow', 'iot:UpdateThingShadow'], Resource: `${ARN}:topic/$aws/things/sensor-0042/shadow/*` }]);
  const { out, action } = applyFix(text, 'resource-type-mismatch');
  assert.equal(out, text.replace(':topic/$aws/things/sensor-0042/shadow/*', ':thing/sensor-0042'));
  assert.equal(action.title, "Change 'topic/$aws/things/sensor-0042/shadow/*' to 'thing/sensor-0042'");
});

// ---------------------------------------------------------------------------------------------
// Removals and other extras

test('duplicate-value: the duplicate and its comma are removed', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: ['iot:Publish', 'iot:Publish'], Resource: `${ARN}:topic/${THING}/data` }]);
  const { out } = applyFix(text, 'duplicate-value');
  assert.equal(out, policy([CONNECT, { Effect: 'Allow', Action: ['iot:Publish'], Resource: `${ARN}:topic/${THING}/data` }]));
});

test('principal-not-supported: Principal removed with its comma', () => {
  const text = policy([{ ...CONNECT, Principal: { AWS: '*' } }]);
  const { out } = applyFix(text, 'principal-not-supported');
  assert.equal(out, policy([CONNECT]));
});

test('not-an-iot-policy-action: a control-plane action is removed from a list', () => {
  const st = { Effect: 'Allow', Action: ['iot:Publish', 'iot:CreateThing'], Resource: `${ARN}:topic/${THING}/data` };
  const text = policy([CONNECT, st]);
  const { out, action } = applyFix(text, 'not-an-iot-policy-action', { title: /^Remove/ });
  assert.equal(action.title, "Remove 'iot:CreateThing' from this policy");
  assert.equal(out, policy([CONNECT, { ...st, Action: ['iot:Publish'] }]));
  // The only action of a statement is not removed (the statement would be invalid).
  assert.deepEqual(titles(policy([CONNECT, { ...st, Action: 'iot:CreateThing' }]), 'not-an-iot-policy-action'), []);
});

test('template-syntax: ${region} / ${account_id} in ARNs filled from the configured defaults, every place at once', () => {
  const pub = { Effect: 'Allow', Action: 'iot:Publish', Resource: `arn:aws:iot:\${region}:\${account_id}:topic/${THING}/data` };
  const text = policy([{ ...CONNECT, Resource: `arn:aws:iot:\${region}:\${account_id}:client/${THING}` }, pub]);
  const { out, action } = applyFix(text, 'template-syntax', { config: DEFAULTS });
  assert.equal(action.title, 'Fill the region and account from iotPolicy.defaults (4 places)');
  assert.equal(out, policy([CONNECT, { ...pub, Resource: `${ARN}:topic/${THING}/data` }]));
  assert.deepEqual(titles(text, 'template-syntax'), []);
});

test('client-id-variable-unrestricted: ${iot:ClientId} in a topic → the thing name', () => {
  const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/*` }, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/devices/\${iot:ClientId}/data` }]);
  const { out } = applyFix(text, 'client-id-variable-unrestricted');
  assert.equal(out, text.replace('${iot:ClientId}', THING));
});

test('json-syntax: raw replacements inside strings are not escaped again; trailing comma deleted; missing brace inserted', () => {
  const good = policy([CONNECT]);
  // `\q` is not a JSON escape (the text has a single backslash).
  const bad = good.replace('client/', 'cli\\qent/');
  const esc = applyFix(bad, 'json-syntax', { title: /with 'q'$/ });
  assert.equal(esc.out, good.replace('client/', 'cliqent/'));
  const kept = applyFix(bad, 'json-syntax', { title: /with '\\\\q'$/ });
  assert.equal(kept.out, good.replace('client/', 'cli\\\\qent/'));
  const trailing = good.replace('"true"\n', '"true",\n');
  assert.equal(applyFix(trailing, 'json-syntax').out, good);
  const unclosed = good.slice(0, -2);
  const { doc, model, diagnostics } = setup(unclosed);
  const d = diagnostics.find((x) => x.code === 'json-syntax')!;
  const a = getCodeActions(doc, model, d.range, [d], { only: ['quickfix'] }).find((x) => /^Insert/.test(x.title));
  assert.ok(a, 'insert fix');
  const out = TextDocument.applyEdits(doc, editsOf(a));
  assert.ok(parsePolicy(out).syntaxErrors.length < model.syntaxErrors.length);
});

// ---------------------------------------------------------------------------------------------
// Fix all

const MESSY = policy([
  { Effect: 'allow', Action: 'iot:Connect', Resource: `arn:aws:iot:REGION:123456789012:client/\${iot:Thing.ThingName}` },
  { Effect: 'Allow', Action: ['iot:Publsh'], Resources: `${ARN}:topic/\${iot:connection.thing.thingname}/data$(*)` },
  { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topic/\${iot:ClientId/cmd` },
  { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/${THING}/cmd` },
], null);

test('fix all: every safe fix in one edit set, exact result, strict JSON', () => {
  const { doc, model } = setup(MESSY, DEFAULTS);
  const actions = getCodeActions(doc, model, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], { config: DEFAULTS, only: [FIX_ALL_KIND] });
  assert.equal(actions.length, 1);
  const a = actions[0];
  assert.equal(a.kind, FIX_ALL_KIND);
  assert.match(a.title, /^Fix all safe problems/);
  const edits = editsOf(a);
  assertNonOverlapping(doc, edits);
  const out = TextDocument.applyEdits(doc, edits);
  strictJson(out);
  assert.equal(
    out,
    policy([
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/${THING}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
      { Effect: 'Allow', Action: ['iot:Publish'], Resource: `${ARN}:topic/${THING}/data\${*}` },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/\${iot:ClientId}/cmd` },
      { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/${THING}/cmd` },
    ]),
  );
  // No safe fix is left; what remains is for the user to decide.
  const again = computeFixAll(out, DEFAULTS);
  assert.equal(again.applied, 0);
  for (const id of ['invalid-effect', 'unknown-action', 'unknown-element', 'missing-version', 'variables-require-2012-10-17', 'arn-placeholder', 'undocumented-policy-variable', 'policy-variable-case', 'policy-variable-syntax', 'resource-type-mismatch']) {
    assert.deepEqual(lint(out, DEFAULTS).filter((f) => f.ruleId === id).map((f) => f.message), [], id);
  }
});

test('fix all: leaves unsafe fixes alone (permissions are not widened or narrowed)', () => {
  const text = policy([
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/*` },
    { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/fleet/#` },
    { Effect: 'Allow', Action: ['iot:Publish', 'iot:Subscribe'], Resource: `${ARN}:topic/fleet/x` },
  ]);
  const r = computeFixAll(text);
  assert.equal(r.applied, 0);
  const { doc, model } = setup(text);
  assert.deepEqual(getCodeActions(doc, model, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], { only: ['source'] }), []);
});

test('fix all: arn-placeholder only with configured defaults', () => {
  const text = policy([{ ...CONNECT, Resource: `arn:aws:iot:REGION:123456789012:client/${THING}` }]);
  assert.equal(computeFixAll(text).applied, 0);
  const r = computeFixAll(text, DEFAULTS);
  assert.equal(r.applied, 2);
  assert.equal(r.text, policy([CONNECT]));
});

test('fix all: kinds — offered for source and source.fixAll, not for quickfix or refactor; with the quick fixes only when it fixes several problems', () => {
  const { doc, model, diagnostics } = setup(MESSY, DEFAULTS);
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const kinds = (only?: string[]) => getCodeActions(doc, model, range, diagnostics, { config: DEFAULTS, only }).map((a) => a.kind);
  assert.deepEqual(kinds(['source']), [FIX_ALL_KIND]);
  assert.deepEqual(kinds(['source.fixAll']), [FIX_ALL_KIND]);
  assert.ok(!kinds(['quickfix']).includes(FIX_ALL_KIND));
  assert.deepEqual(kinds(['refactor']), []);
  const all = kinds(undefined);
  assert.ok(all.includes(FIX_ALL_KIND) && all.includes('quickfix'));
  // A single problem: just its quick fix in the light bulb.
  const one = setup(policy([{ ...CONNECT, Effect: 'allow' }]));
  const acts = getCodeActions(one.doc, one.model, range, one.diagnostics, {});
  assert.deepEqual(acts.map((a) => a.kind), ['quickfix', 'quickfix']);
});

test('fix all: nothing to fix, no action', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/${THING}/data` }]);
  const { doc, model } = setup(text);
  assert.deepEqual(getCodeActions(doc, model, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], { only: [FIX_ALL_KIND] }), []);
});

test('fix all: never makes broken JSON worse, and still fixes what it can', () => {
  const text = `{\n  "Statement": [\n    {"Effect": "allow", "Action": "iot:Publsh", "Resource": "${ARN}:topic/a",}\n  ]\n`;
  const before = parsePolicy(text).syntaxErrors.length;
  const r = computeFixAll(text);
  assert.ok(parsePolicy(r.text).syntaxErrors.length <= before);
  assert.match(r.text, /"Allow"/);
  assert.match(r.text, /"iot:Publish"/);
});

test('fix all: unrelated text is kept byte for byte in a compact one-line policy', () => {
  const tail = `"Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"${ARN}:client/\${iot:Thing.ThingName}",  "Condition" : {"Bool":{"iot:Connection.Thing.IsAttached":"true"}}}]}`;
  const r = computeFixAll(`{${tail}`);
  assert.equal(r.text, `{"Version":"2012-10-17",${tail.replace('${iot:Thing.ThingName}', THING)}`);
  strictJson(r.text);
  // Structural additions follow the compact style too.
  const compact = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "${ARN}:client/${THING}"}]}`;
  const r2 = computeFixAll(compact);
  assert.equal(r2.text, compact.replace(`${THING}"}`, `${THING}","Condition": {"Bool":{"iot:Connection.Thing.IsAttached":"true"}}}`));
});

// ---------------------------------------------------------------------------------------------
// Robustness

test('stale or foreign diagnostics get no fixes', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publsh', Resource: `${ARN}:topic/${THING}/data` }]);
  const { doc, model, diagnostics } = setup(text);
  const d = diagnostics.find((x) => x.code === 'unknown-action')!;
  const moved: Diagnostic = { ...d, range: { start: { line: d.range.start.line, character: d.range.start.character + 1 }, end: d.range.end } };
  assert.deepEqual(getCodeActions(doc, model, moved.range, [moved], { only: ['quickfix'] }), []);
  const foreign: Diagnostic = { ...d, source: 'json' };
  assert.deepEqual(getCodeActions(doc, model, d.range, [foreign], { only: ['quickfix'] }), []);
  const noCode: Diagnostic = { ...d, code: undefined };
  assert.deepEqual(getCodeActions(doc, model, d.range, [noCode], { only: ['quickfix'] }), []);
});

test('a whole-document request with many diagnostics still gets a fix for each (tries are capped, rule-specific fixes kept)', () => {
  const statements = Array.from({ length: 30 }, (_, i) => ({ Effect: 'Allow', Action: 'iot:Publsh', Resource: `${ARN}:topic/${THING}/t${i}` }));
  const text = policy([CONNECT, ...statements]);
  const { doc, model, diagnostics } = setup(text);
  const mine = diagnostics.filter((d) => d.code === 'unknown-action');
  assert.equal(mine.length, 30);
  const actions = getCodeActions(doc, model, { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) }, mine, { only: ['quickfix'] });
  assert.equal(actions.length, 30);
  for (const a of actions) assert.equal(TextDocument.applyEdits(doc, editsOf(a)).split('iot:Publsh').length, 30);
});

test('broken documents and garbage diagnostics never throw', () => {
  for (const text of ['', '{', '[1,2]', '{"Statement": 5}', '{"Version": 3, "Statement": [{"Effect": "allow"', 'null']) {
    const { doc, model, diagnostics } = setup(text);
    const junk: Diagnostic = { range: { start: { line: 0, character: 0 }, end: { line: 9, character: 9 } }, message: 'x', code: 'resource-type-mismatch', source: 'iot-policy', data: { split: 'nope', typeSpans: [1, null] } };
    assert.doesNotThrow(() => getCodeActions(doc, model, junk.range, [...diagnostics, junk], {}));
    assert.doesNotThrow(() => getCodeActions(doc, model, junk.range, [], { only: ['source'] }));
  }
});

test('diffEdits: minimal, non-overlapping edits that reproduce the target', () => {
  const a = 'one\ntwo\nthree\nfour\n';
  const b = 'one\nTWO\nthree\nfour and more\nfive\n';
  const edits = diffEdits(a, b);
  const doc = TextDocument.create('file:///x', 'plaintext', 1, a);
  const out = TextDocument.applyEdits(doc, edits.map((e) => ({ range: { start: doc.positionAt(e.offset), end: doc.positionAt(e.offset + e.length) }, newText: e.text })));
  assert.equal(out, b);
  assert.deepEqual(edits.map((e) => [a.substr(e.offset, e.length), e.text]), [['two', 'TWO'], ['', ' and more\nfive']]);
});

// ---------------------------------------------------------------------------------------------
// Review 1: findings grouped per document / statement still fix every place

test('json-syntax: U+00A0 on several lines (one finding) is fixed everywhere, by the quick fix and by fix all', () => {
  const good = policy([CONNECT]);
  const bad = good.replace(/\n {6}"/g, `\n${'\u00a0'.repeat(6)}"`);
  assert.ok((bad.match(/\u00a0/g) ?? []).length > 8);
  const { out, action } = applyFix(bad, 'json-syntax');
  assert.match(action.title, /^Replace every U\+00A0 with a space \(\d+ places\)$/);
  assert.equal(out, good);
  assert.equal(computeFixAll(bad).text, good);
});

test('legacy-job-action: one quick fix renames every legacy job action of the statement', () => {
  const st = { Effect: 'Allow', Action: ['iot:DescribeJobExecution', 'iot:GetPendingJobExecutions', 'iot:UpdateJobExecution'], Resource: `${ARN}:thing/${THING}` };
  const text = policy([CONNECT, st]);
  const { out, action } = applyFix(text, 'legacy-job-action');
  assert.equal(action.title, 'Rename the 3 legacy job actions to iotjobsdata:');
  assert.equal(out, policy([CONNECT, { ...st, Action: st.Action.map((a) => a.replace('iot:', 'iotjobsdata:')) }]));
});

test('unknown-action: two invisible characters in one action (one finding on the whole action) are both removed', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: '\u200biot:Pub\u200blish', Resource: `${ARN}:topic/${THING}/data` }]);
  const { out, action } = applyFix(text, 'unknown-action', { at: '\u200biot:Pub\u200blish' });
  assert.equal(action.title, 'Remove the 2 invisible characters');
  assert.equal(out, text.replace('\u200biot:Pub\u200blish', 'iot:Publish'));
});

test('policy-variable-case / undocumented-policy-variable: the whole ${...} is the diagnostic, the fix renames the name', () => {
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:Thing.ThingName}/data` }]);
  const { out } = applyFix(text, 'undocumented-policy-variable', { at: '${iot:Thing.ThingName}' });
  assert.equal(out, text.replace('${iot:Thing.ThingName}', THING));
});
