import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, codeOf, openFixture, SOURCE, waitForDiagnostics } from '../helpers';
import { closeAllWithoutSaving, hoverText, positionOf } from './featureHelpers';

const FIXTURE = 'features/subscribe-on-topic.iot-policy.json';
const THING = '${iot:Connection.Thing.ThingName}';

suite('hover', () => {
  suiteSetup(activateExtension);
  suiteTeardown(closeAllWithoutSaving);

  async function openAndWait(): Promise<vscode.TextEditor> {
    const editor = await openFixture(FIXTURE);
    // The server has the document once its diagnostics are there (the must-show resource-type-mismatch).
    const ds = await waitForDiagnostics(editor.document.uri, (x) => x.some((d) => codeOf(d) === 'resource-type-mismatch'), 15000, 'resource-type-mismatch');
    const d = ds.find((x) => codeOf(x) === 'resource-type-mismatch')!;
    assert.strictEqual(d.source, SOURCE);
    assert.strictEqual(editor.document.getText(d.range), 'topic', 'on the resource type of the Subscribe resource');
    assert.strictEqual(d.range.start.line, 16);
    return editor;
  }

  test('on ${iot:Connection.Thing.ThingName}: what it resolves to and when (attached thing), over the whole variable', async () => {
    const editor = await openAndWait();
    const doc = editor.document;
    const at = positionOf(doc, THING, 10);
    const { text, hovers } = await hoverText(doc.uri, at);
    assert.ok(hovers.length > 0, 'no hover');
    assert.match(text, /iot:Connection\.Thing\.ThingName/);
    assert.match(text, /name of the registry thing/i, text);
    assert.match(text, /attached/i, text);
    const ranged = hovers.find((h) => h.range && doc.getText(h.range) === THING);
    assert.ok(ranged, `a hover whose range is the variable; got ${JSON.stringify(hovers.map((h) => h.range && doc.getText(h.range)))}`);
  });

  test('on iot:Subscribe: the action, its resource type topicfilter and the ARN template', async () => {
    const editor = await openAndWait();
    const doc = editor.document;
    const { text, hovers } = await hoverText(doc.uri, positionOf(doc, '"iot:Subscribe"', 6));
    assert.ok(hovers.length > 0, 'no hover');
    assert.match(text, /iot:Subscribe/);
    assert.match(text, /topicfilter/, text);
    assert.match(text, /arn:\$\{Partition\}:iot:\$\{Region\}:\$\{Account\}:topicfilter\//, text);
    assert.match(text, /iot:Receive/, 'names the Receive it needs');
    assert.ok(hovers.some((h) => h.range && doc.getText(h.range) === 'iot:Subscribe'), 'range is the action');
  });

  test('on a resource ARN: its type and what the pattern matches, in words', async () => {
    const editor = await openAndWait();
    const doc = editor.document;
    // The topic/ ARN of the Subscribe statement, on the "fleet" part.
    const { text, hovers } = await hoverText(doc.uri, positionOf(doc, ':topic/fleet/', 8, '"iot:Subscribe"'));
    assert.ok(hovers.length > 0, 'no hover');
    assert.match(text, /`topic` ARN/, text);
    assert.match(text, /fleet\/<thing name>\/cmd/, text);
    assert.match(text, /eu-west-1/);
    // In this statement the resource has the wrong type for Subscribe, and the hover says so.
    assert.match(text, /`iot:Subscribe` is authorised against `topicfilter`/, text);
  });

  test('on Version, Effect, a condition operator and a condition key', async () => {
    const editor = await openAndWait();
    const doc = editor.document;
    const version = await hoverText(doc.uri, positionOf(doc, '"Version"', 3));
    assert.match(version.text, /`2012-10-17` is current/, version.text);
    const effect = await hoverText(doc.uri, positionOf(doc, '"Effect"', 3));
    assert.match(effect.text, /exactly `Allow` or `Deny`/, effect.text);
    const op = await hoverText(doc.uri, positionOf(doc, '"Bool"', 3));
    assert.match(op.text, /Boolean condition operator/, op.text);
    const key = await hoverText(doc.uri, positionOf(doc, '"iot:Connection.Thing.IsAttached"', 5));
    assert.match(key.text, /condition key/, key.text);
    assert.match(key.text, /attached/i, key.text);
    assert.ok(key.hovers.some((h) => h.range && doc.getText(h.range) === '"iot:Connection.Thing.IsAttached"'), 'range is the key');
  });
});
