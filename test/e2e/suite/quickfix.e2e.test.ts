/**
 * Every quick-fix family, applied the way the light bulb does: the diagnostic appears, the
 * code-action provider is asked at its range, the chosen action's WorkspaceEdit is applied, the
 * diagnostic goes away and the document is still JSON. Then "Fix all" (source.fixAll.iot-policy).
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, codeOf, openFixture, ours, waitForDiagnostics } from '../helpers';
import { applyQuickFix, ARN, askUntil, assertJson, closeAllWithoutSaving, codeActions, CONNECT, openPolicy, policy, THING } from './featureHelpers';

type Statement = Record<string, unknown>;
const statementsOf = (text: string) => (assertJson(text, '') as { Statement: Statement[] }).Statement;

suite('quick fixes', () => {
  suiteSetup(activateExtension);
  teardown(closeAllWithoutSaving);

  test('unknown-action: did-you-mean replaces the misspelt action', async () => {
    const text = policy([CONNECT, { Effect: 'Allow', Action: ['iot:Publsh'], Resource: `${ARN}:topic/${THING}/data` }]);
    const editor = await openPolicy(text);
    const { action, text: out } = await applyQuickFix(editor, 'unknown-action', { at: 'iot:Publsh' });
    assert.strictEqual(action.title, "Change 'iot:Publsh' to 'iot:Publish'");
    assert.strictEqual(out, text.replace('"iot:Publsh"', '"iot:Publish"'));
  });

  test('unknown-policy-variable and policy-variable-case: the documented variable name', async () => {
    const text = policy([
      CONNECT,
      { Effect: 'Allow', Action: 'iot:Publish', Resource: [`${ARN}:topic/\${iot:Connection.Thing.ThingNam}/data`, `${ARN}:topic/\${iot:connection.thing.thingName}/status`] },
    ]);
    const editor = await openPolicy(text);
    const first = await applyQuickFix(editor, 'unknown-policy-variable', { title: /to '\$\{iot:Connection\.Thing\.ThingName\}'$/ });
    assert.strictEqual(first.text, text.replace('ThingNam}/data', 'ThingName}/data'));
    const second = await applyQuickFix(editor, 'policy-variable-case');
    assert.strictEqual(second.text, first.text.replace('${iot:connection.thing.thingName}', THING));
    assert.strictEqual(second.action.isPreferred, true);
  });

  test('undocumented-policy-variable: ${iot:Thing.ThingName} → ${iot:Connection.Thing.ThingName}', async () => {
    const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:Thing.ThingName}/data` }]);
    const editor = await openPolicy(text);
    const { text: out } = await applyQuickFix(editor, 'undocumented-policy-variable');
    assert.strictEqual(out, text.replace('${iot:Thing.ThingName}', THING));
  });

  test('resource-type-mismatch: Subscribe on topic/ → topicfilter/ (the fixture file, reverted afterwards)', async () => {
    const editor = await openFixture('features/subscribe-on-topic.iot-policy.json');
    const text = editor.document.getText();
    const { action, diagnostic, text: out } = await applyQuickFix(editor, 'resource-type-mismatch');
    assert.strictEqual(diagnostic.source, 'iot-policy');
    assert.strictEqual(action.title, "Change 'topic/' to 'topicfilter/'");
    const subscribe = ':topic/fleet/${iot:Connection.Thing.ThingName}/cmd"\n    },\n    {\n      "Sid"';
    assert.ok(text.includes(subscribe));
    assert.strictEqual(out, text.replace(subscribe, subscribe.replace(':topic/', ':topicfilter/')));
    // The Receive statement keeps its topic/ ARN.
    assert.strictEqual(statementsOf(out)[2].Resource, `${ARN}:topic/fleet/${THING}/cmd`);
  });

  test('resource-type-mismatch: actions needing different types split the statement', async () => {
    const text = policy([CONNECT, { Sid: 'PubSub', Effect: 'Allow', Action: ['iot:Publish', 'iot:Subscribe', 'iot:Receive'], Resource: `${ARN}:topic/${THING}/*` }]);
    const editor = await openPolicy(text);
    const { text: out } = await applyQuickFix(editor, 'resource-type-mismatch', { title: /^Split the statement/ });
    assert.strictEqual(
      out,
      policy([
        CONNECT,
        { Sid: 'PubSub', Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${ARN}:topic/${THING}/*` },
        { Sid: 'PubSubTopicfilter', Effect: 'Allow', Action: ['iot:Subscribe'], Resource: `${ARN}:topicfilter/${THING}/*` },
      ]),
    );
  });

  test('invalid-effect: Allow / Deny offered; the case fix is preferred', async () => {
    const text = policy([{ ...CONNECT, Effect: 'allow' }]);
    const editor = await openPolicy(text);
    const ds = await waitForDiagnostics(editor.document.uri, (x) => x.some((d) => codeOf(d) === 'invalid-effect'), 15000, 'invalid-effect');
    const d = ds.find((x) => codeOf(x) === 'invalid-effect')!;
    const titles = (await codeActions(editor.document.uri, d.range, vscode.CodeActionKind.QuickFix.value)).filter((a) => a.kind?.value === 'quickfix').map((a) => a.title);
    assert.deepStrictEqual([...titles].sort(), ["Set Effect to 'Allow'", "Set Effect to 'Deny'"]);
    const { text: out } = await applyQuickFix(editor, 'invalid-effect');
    assert.strictEqual(out, text.replace('"allow"', '"Allow"'));
  });

  test('set Version to 2012-10-17: a wrong Version replaced, a missing one inserted', async () => {
    const wrong = policy([CONNECT], '2012-10-18');
    const e1 = await openPolicy(wrong);
    const r1 = await applyQuickFix(e1, 'invalid-version');
    assert.strictEqual(r1.action.title, 'Set Version to 2012-10-17');
    assert.strictEqual(r1.text, policy([CONNECT]));
    const plain = [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/sensor-0042` }];
    const e2 = await openPolicy(policy(plain, null));
    const r2 = await applyQuickFix(e2, 'missing-version');
    assert.strictEqual(r2.text, policy(plain));
    // With policy variables and no Version, the finding is variables-require-2012-10-17; the fix is the same.
    const e3 = await openPolicy(policy([CONNECT], null));
    const r3 = await applyQuickFix(e3, 'variables-require-2012-10-17');
    assert.strictEqual(r3.text, policy([CONNECT]));
  });

  test('overly-permissive: client/* → client/${iot:Connection.Thing.ThingName} with the IsAttached condition', async () => {
    const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/*` }]);
    const editor = await openPolicy(text);
    const { text: out } = await applyQuickFix(editor, 'overly-permissive');
    assert.strictEqual(out, policy([CONNECT]));
  });

  test('overly-permissive: client/${iot:ClientId} → the thing name, IsAttached merged into the Condition', async () => {
    const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:ClientId}`, Condition: { StringEquals: { 'iot:Connection.Thing.ThingTypeName': 'Sensor' } } }]);
    const editor = await openPolicy(text);
    const { text: out } = await applyQuickFix(editor, 'overly-permissive', { at: '${iot:ClientId}' });
    assert.deepStrictEqual(statementsOf(out)[0], {
      Effect: 'Allow',
      Action: 'iot:Connect',
      Resource: `${ARN}:client/${THING}`,
      Condition: { StringEquals: { 'iot:Connection.Thing.ThingTypeName': 'Sensor' }, Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
    });
  });

  test('connect-without-attached-thing: adds the IsAttached condition', async () => {
    const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/${THING}` }]);
    const editor = await openPolicy(text);
    const { text: out } = await applyQuickFix(editor, 'connect-without-attached-thing');
    assert.strictEqual(out, policy([CONNECT]));
  });

  test('mqtt-wildcard-is-literal: # and + in a topic/ ARN → *', async () => {
    const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: [`${ARN}:topic/${THING}/#`, `${ARN}:topic/${THING}/+/status`] }]);
    const editor = await openPolicy(text);
    const r1 = await applyQuickFix(editor, 'mqtt-wildcard-is-literal', { at: '#', remaining: 1 });
    assert.strictEqual(r1.action.title, "Change '#' to '*' (the policy wildcard)");
    assert.strictEqual(r1.text, text.replace('}/#"', '}/*"'));
    const r2 = await applyQuickFix(editor, 'mqtt-wildcard-is-literal', { at: '+' });
    assert.strictEqual(r2.text, r1.text.replace('/+/', '/*/'));
  });

  test('deny-bypassed-by-wildcard: adds the missing Deny on iot:Receive', async () => {
    const statements = [
      CONNECT,
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/*` },
      { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/building/*` },
      { Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/control_room/*` },
      { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/${THING}/status` },
    ];
    const editor = await openPolicy(policy(statements));
    const { action, text: out } = await applyQuickFix(editor, 'deny-bypassed-by-wildcard');
    assert.strictEqual(action.title, 'Add a Deny on iot:Receive for topic/building/control_room/*');
    const expected = [...statements];
    expected.splice(4, 0, { Effect: 'Deny', Action: 'iot:Receive', Resource: `${ARN}:topic/building/control_room/*` });
    assert.strictEqual(out, policy(expected));
  });

  test('mqtt-wildcard-in-deny: # → * and the missing Deny on iot:Receive, in one fix', async () => {
    const deny = { Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/control_room/#` };
    const statements = [CONNECT, { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/*` }, { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/building/*` }, deny];
    const editor = await openPolicy(policy(statements));
    const { text: out } = await applyQuickFix(editor, 'mqtt-wildcard-in-deny', { title: /Deny on iot:Receive/ });
    const fixed = statements.map((st) => (st === deny ? { ...st, Resource: `${ARN}:topicfilter/building/control_room/*` } : st));
    assert.strictEqual(out, policy([...fixed, { Effect: 'Deny', Action: 'iot:Receive', Resource: `${ARN}:topic/building/control_room/*` }]));
    assert.deepStrictEqual(ours(editor.document.uri).filter((d) => codeOf(d) === 'deny-bypassed-by-wildcard').map((d) => d.message), []);
  });

  suite('with iotPolicy.defaults (user settings)', () => {
    const config = () => vscode.workspace.getConfiguration('iotPolicy');
    suiteSetup(async () => {
      await config().update('defaults.region', 'eu-west-1', vscode.ConfigurationTarget.Global);
      await config().update('defaults.accountId', '493812760155', vscode.ConfigurationTarget.Global);
    });
    suiteTeardown(async () => {
      await config().update('defaults.region', undefined, vscode.ConfigurationTarget.Global);
      await config().update('defaults.accountId', undefined, vscode.ConfigurationTarget.Global);
    });

    test('arn-placeholder: REGION and the example account filled from iotPolicy.defaults', async () => {
      const text = policy([{ ...CONNECT, Resource: `arn:aws:iot:REGION:123456789012:client/${THING}` }]);
      const editor = await openPolicy(text);
      // The settings reach the server asynchronously: applyQuickFix asks again until the fix is offered.
      const r1 = await applyQuickFix(editor, 'arn-placeholder', { at: 'REGION', title: /^Replace 'REGION' with 'eu-west-1'/, remaining: 1 });
      assert.strictEqual(r1.action.title, "Replace 'REGION' with 'eu-west-1' (iotPolicy.defaults.region)");
      const r2 = await applyQuickFix(editor, 'arn-placeholder', { at: '123456789012' });
      assert.strictEqual(r2.text, policy([CONNECT]));
    });
  });

  test('missing-dependent-action: adds the missing Connect statement, and the Receive a Subscribe needs', async () => {
    const pub = { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/${THING}/data` };
    const e1 = await openPolicy(policy([pub]));
    const r1 = await applyQuickFix(e1, 'missing-dependent-action');
    assert.strictEqual(r1.text, policy([pub, CONNECT]));

    const sub = { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/${THING}/cmd/+` };
    const e2 = await openPolicy(policy([CONNECT, sub, pub]));
    const r2 = await applyQuickFix(e2, 'missing-dependent-action', { at: 'iot:Subscribe' });
    const added = statementsOf(r2.text)[2];
    assert.strictEqual(added.Action, 'iot:Receive');
    assert.match(String(added.Resource), /:topic\/\$\{iot:Connection\.Thing\.ThingName\}\/cmd\//);
    assert.strictEqual(r2.text, policy([CONNECT, sub, { Effect: 'Allow', Action: 'iot:Receive', Resource: added.Resource }, pub]));
  });

  test('policy-variable-syntax: an unclosed ${ is closed; $(*) → ${*}', async () => {
    const unclosed = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:Connection.Thing.ThingName/data` }]);
    const e1 = await openPolicy(unclosed);
    const r1 = await applyQuickFix(e1, 'policy-variable-syntax');
    assert.strictEqual(r1.action.title, `Close the variable: '${THING}'`);
    assert.strictEqual(r1.text, unclosed.replace('ThingName/data', 'ThingName}/data'));

    const paren = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/${THING}/literal$(*)` }]);
    const e2 = await openPolicy(paren);
    const r2 = await applyQuickFix(e2, 'policy-variable-syntax');
    assert.strictEqual(r2.text, paren.replace('$(*)', '${*}'));
  });

  test('Fix all (source.fixAll.iot-policy): every safe fix at once, the problems gone, strict JSON', async () => {
    const messy = policy(
      [
        { Effect: 'allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:Thing.ThingName}` },
        { Effect: 'Allow', Action: ['iot:Publsh'], Resources: `${ARN}:topic/\${iot:connection.thing.thingname}/data$(*)` },
        { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topic/\${iot:ClientId/cmd` },
        { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/${THING}/cmd` },
      ],
      null,
    );
    const editor = await openPolicy(messy);
    const uri = editor.document.uri;
    const fixable = ['invalid-effect', 'unknown-action', 'unknown-element', 'missing-version', 'variables-require-2012-10-17', 'undocumented-policy-variable', 'policy-variable-case', 'policy-variable-syntax', 'resource-type-mismatch'];
    await waitForDiagnostics(uri, (x) => ['invalid-effect', 'unknown-action', 'variables-require-2012-10-17'].every((id) => x.some((d) => codeOf(d) === id)), 15000, 'the problems of the messy policy');
    const start = new vscode.Range(0, 0, 0, 0);
    const actions = await askUntil(() => codeActions(uri, start, 'source.fixAll.iot-policy'), (xs) => xs.length > 0, 'the Fix all action', 10000, (xs) => JSON.stringify(xs.map((a) => a.title)));
    assert.strictEqual(actions.length, 1, JSON.stringify(actions.map((a) => a.title)));
    assert.match(actions[0].title, /^Fix all safe problems/);
    assert.strictEqual(actions[0].kind?.value, 'source.fixAll.iot-policy');
    // Offered without its edit: the client resolves it (codeAction/resolve) only when it is chosen.
    assert.strictEqual(actions[0].edit, undefined, 'Fix all computed before it was chosen');
    const [fixAll] = await codeActions(uri, start, 'source.fixAll.iot-policy', 1);
    assert.ok(fixAll?.edit, 'Fix all has no edit once resolved');
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit), 'Fix all was not applied');
    const ds = await waitForDiagnostics(uri, (x) => !x.some((d) => fixable.includes(codeOf(d))), 15000, 'the fixed problems to clear');
    const out = editor.document.getText();
    assertJson(out, 'after Fix all');
    assert.strictEqual(
      out,
      policy([
        { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/${THING}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
        { Effect: 'Allow', Action: ['iot:Publish'], Resource: `${ARN}:topic/${THING}/data\${*}` },
        { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/\${iot:ClientId}/cmd` },
        { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/${THING}/cmd` },
      ]),
    );
    assert.deepStrictEqual(ds.filter((d) => fixable.includes(codeOf(d))).map(codeOf), []);
    // Nothing safe is left to fix: no Fix all any more.
    assert.deepStrictEqual((await codeActions(uri, start, 'source.fixAll.iot-policy')).map((a) => a.title), []);
  });
});
