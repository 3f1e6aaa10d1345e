import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension } from '../helpers';
import { applyCompletion, ARN, closeAllWithoutSaving, completions, CONNECT, labelOf, nextTick, openPolicy, withCursor } from './featureHelpers';

/** A policy with the Connect statement (so the document is a policy by its content) and one statement to complete in. */
function policyWith(statementLines: string): string {
  const connect = JSON.stringify(CONNECT, null, 2).replace(/\n/g, '\n    ');
  return `{\n  "Version": "2012-10-17",\n  "Statement": [\n    ${connect},\n    {\n      "Effect": "Allow",\n${statementLines}\n    }\n  ]\n}\n`;
}

async function openAt(source: string): Promise<{ editor: vscode.TextEditor; position: vscode.Position; text: string; offset: number }> {
  const { text, offset } = withCursor(source);
  const editor = await openPolicy(text);
  const position = editor.document.positionAt(offset);
  editor.selection = new vscode.Selection(position, position);
  return { editor, position, text, offset };
}

/** Completions of ours (the server's items carry documentation or a detail; VS Code's word items do not). */
async function itemsAt(uri: vscode.Uri, position: vscode.Position, trigger: string | undefined, want: (labels: string[]) => boolean): Promise<vscode.CompletionItem[]> {
  // The first request may come before the server has parsed the untitled document: ask again until the expected items are there.
  const deadline = Date.now() + 15000;
  let items: vscode.CompletionItem[] = [];
  for (;;) {
    items = await completions(uri, position, trigger);
    if (want(items.map(labelOf))) return items;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for the completions; got ${JSON.stringify(items.map(labelOf).slice(0, 40))}`);
    await nextTick(250, vscode.workspace.onDidChangeTextDocument);
  }
}

suite('completion', () => {
  suiteSetup(activateExtension);
  teardown(closeAllWithoutSaving);

  test('after ${iot: the policy variables (certificate forms included); accepting one completes and closes the variable', async () => {
    const { editor, position, text, offset } = await openAt(policyWith(`      "Action": "iot:Publish",\n      "Resource": "${ARN}:topic/telemetry/\${iot:|"`));
    const items = await itemsAt(editor.document.uri, position, ':', (ls) => ls.includes('iot:Connection.Thing.ThingName'));
    const labels = items.map(labelOf);
    for (const v of ['iot:ClientId', 'iot:Connection.Thing.ThingName', 'iot:Connection.Thing.IsAttached', 'iot:Certificate.Subject.CommonName']) {
      assert.ok(labels.includes(v), `${v} offered; got ${JSON.stringify(labels.slice(0, 30))}`);
    }
    const item = items.find((i) => labelOf(i) === 'iot:Connection.Thing.ThingName')!;
    assert.ok(item.documentation, 'the item has documentation');
    const out = await applyCompletion(editor, item, position);
    assert.strictEqual(out, text.slice(0, offset - 'iot:'.length) + 'iot:Connection.Thing.ThingName}' + text.slice(offset));
    assert.ok(out.includes(`"${ARN}:topic/telemetry/\${iot:Connection.Thing.ThingName}"`), out);
  });

  test('after ${iot:Connection.Thing. the thing variables: ThingName, ThingTypeName, IsAttached, Attributes', async () => {
    const { editor, position, text, offset } = await openAt(policyWith(`      "Action": "iot:Publish",\n      "Resource": "${ARN}:topic/fleet/\${iot:Connection.Thing.|}/data"`));
    const items = await itemsAt(editor.document.uri, position, '.', (ls) => ls.some((l) => l.endsWith('Connection.Thing.ThingTypeName')));
    const labels = items.map(labelOf);
    for (const name of ['ThingName', 'ThingTypeName', 'IsAttached', 'Attributes']) {
      assert.ok(labels.some((l) => l.startsWith(`iot:Connection.Thing.${name}`)), `${name} offered; got ${JSON.stringify(labels)}`);
    }
    assert.ok(!labels.includes('iot:ClientId'), 'only the thing variables after the prefix');
    const item = items.find((i) => labelOf(i) === 'iot:Connection.Thing.ThingTypeName')!;
    const out = await applyCompletion(editor, item, position);
    // The typed prefix is replaced; the closing brace that is already there is not doubled.
    assert.strictEqual(out, text.slice(0, offset - 'iot:Connection.Thing.'.length) + 'iot:Connection.Thing.ThingTypeName' + text.slice(offset));
    assert.ok(out.includes('/fleet/${iot:Connection.Thing.ThingTypeName}/data"'), out);
  });

  test('in Action: the data-plane actions with docs, no control-plane ones; accepting one writes it into the string', async () => {
    const { editor, position, text, offset } = await openAt(policyWith(`      "Action": "|",\n      "Resource": "${ARN}:topic/fleet/data"`));
    const items = await itemsAt(editor.document.uri, position, '"', (ls) => ls.includes('iot:Publish'));
    const labels = items.map(labelOf);
    for (const a of ['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive', 'iot:RetainPublish', 'iot:GetThingShadow', 'iot:UpdateThingShadow', 'iotjobsdata:DescribeJobExecution', 'iot:AssumeRoleWithCertificate']) {
      assert.ok(labels.includes(a), `${a} offered; got ${JSON.stringify(labels)}`);
    }
    for (const a of ['iot:CreateThing', 'iot:AttachPolicy', 's3:GetObject']) assert.ok(!labels.includes(a), `${a} is not a data-plane action`);
    const pub = items.find((i) => labelOf(i) === 'iot:Publish')!;
    const doc = pub.documentation;
    assert.match(typeof doc === 'string' ? doc : (doc?.value ?? ''), /topic/);
    const out = await applyCompletion(editor, pub, position);
    assert.strictEqual(out, text.slice(0, offset) + 'iot:Publish' + text.slice(offset));
  });

  test('in an Action array, a partly typed action is replaced whole', async () => {
    const { editor, position, text, offset } = await openAt(policyWith(`      "Action": ["iot:Connect", "iot:Sub|"],\n      "Resource": "*"`));
    const items = await itemsAt(editor.document.uri, position, undefined, (ls) => ls.includes('iot:Subscribe'));
    const out = await applyCompletion(editor, items.find((i) => labelOf(i) === 'iot:Subscribe')!, position);
    assert.strictEqual(out, text.slice(0, offset - 'iot:Sub'.length) + 'iot:Subscribe' + text.slice(offset));
    assert.ok(out.includes('"Action": ["iot:Connect", "iot:Subscribe"]'), out);
  });

  test('Effect values: Allow and Deny', async () => {
    const src = policyWith(`      "Action": "iot:Publish",\n      "Resource": "*"`).replace('"Effect": "Allow",\n      "Action": "iot:Publish"', '"Effect": "|",\n      "Action": "iot:Publish"');
    const { editor, position, text, offset } = await openAt(src);
    const items = await itemsAt(editor.document.uri, position, '"', (ls) => ls.includes('Deny'));
    const labels = items.map(labelOf);
    assert.ok(labels.includes('Allow') && labels.includes('Deny'), JSON.stringify(labels));
    const out = await applyCompletion(editor, items.find((i) => labelOf(i) === 'Deny')!, position);
    assert.strictEqual(out, text.slice(0, offset) + 'Deny' + text.slice(offset));
  });
});
