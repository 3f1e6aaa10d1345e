/**
 * Snippets from snippets/iot-policy.json, inserted the way VS Code expands them
 * (`editor.insertSnippet`, defaults accepted), lint with no error and no warning.
 *
 * Settling: each document starts as a policy with an `unknown-action` error; the snippet replaces
 * that text in one edit. Once the error is gone, the diagnostics shown are those of the expanded
 * snippet (the only later version), and only then are they checked.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, codeOf, EXTENSION_ID, waitForDiagnostics } from '../helpers';
import { ARN, closeAllWithoutSaving, CONNECT, errorsAndWarnings, openPolicy, policy } from './featureHelpers';

interface Snippet {
  prefix: string | string[];
  body: string | string[];
}

function loadSnippets(): Map<string, string> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, 'extension not found');
  const file = path.join(ext.extensionPath, 'snippets', 'iot-policy.json');
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Snippet>;
  const out = new Map<string, string>();
  for (const s of Object.values(raw)) {
    const prefix = Array.isArray(s.prefix) ? s.prefix[0] : s.prefix;
    out.set(prefix, Array.isArray(s.body) ? s.body.join('\n') : s.body);
  }
  return out;
}

const BROKEN = { Effect: 'Allow', Action: 'iot:Publsh', Resource: `${ARN}:topic/placeholder` };

/** Replaces `target` (text of the document) with the expanded snippet and waits for the new diagnostics. */
async function expandOver(editor: vscode.TextEditor, target: string, body: string): Promise<void> {
  const doc = editor.document;
  const uri = doc.uri;
  await waitForDiagnostics(uri, (x) => x.some((d) => codeOf(d) === 'unknown-action'), 15000, 'unknown-action before the snippet');
  const at = doc.getText().indexOf(target);
  assert.ok(at >= 0, 'target text not found');
  const range = new vscode.Range(doc.positionAt(at), doc.positionAt(at + target.length));
  const ok = await editor.insertSnippet(new vscode.SnippetString(body), range);
  assert.ok(ok, 'the snippet was not inserted');
  await waitForDiagnostics(uri, (x) => !x.some((d) => codeOf(d) === 'unknown-action'), 15000, 'the diagnostics of the expanded snippet');
  // Leave snippet mode (tab stops) as the user would with Escape.
  await vscode.commands.executeCommand('leaveSnippet');
}

suite('snippets', () => {
  suiteSetup(activateExtension);
  teardown(closeAllWithoutSaving);
  const snippets = loadSnippets();

  const policies = ['iot-policy-device', 'iot-policy-shadow', 'iot-policy-jobs-mqtt', 'iot-policy-fleet-provisioning-claim', 'iot-policy-greengrass-v2-core', 'iot-policy-credentials-provider', 'iot-policy-persistent-session'];

  test('whole-policy snippets expand into policies with no error or warning', async () => {
    const seen: string[] = [];
    for (const prefix of policies) {
      const body = snippets.get(prefix);
      assert.ok(body, `snippet ${prefix} not found`);
      const start = policy([CONNECT, BROKEN]);
      const editor = await openPolicy(start);
      await expandOver(editor, start.trimEnd(), body);
      const text = editor.document.getText();
      const parsed = JSON.parse(text) as { Version: string; Statement: unknown[] };
      assert.strictEqual(parsed.Version, '2012-10-17', prefix);
      assert.ok(Array.isArray(parsed.Statement) && parsed.Statement.length > 0, prefix);
      assert.ok(!text.includes('${1:') && !text.includes('$0'), `${prefix}: snippet syntax left in the text`);
      assert.deepStrictEqual(errorsAndWarnings(editor.document), [], `${prefix} expands with problems:\n${text}`);
      seen.push(prefix);
      await closeAllWithoutSaving();
    }
    assert.deepStrictEqual(seen, policies);
  });

  test('statement snippets inserted into a policy with the Connect statement: no error or warning', async () => {
    const statements = ['iot-stmt-publish-own', 'iot-stmt-subscribe-own', 'iot-stmt-shadow', 'iot-stmt-jobs-mqtt', 'iot-stmt-retained-messages'];
    for (const prefix of statements) {
      const body = snippets.get(prefix);
      assert.ok(body, `snippet ${prefix} not found`);
      const start = policy([CONNECT, BROKEN]);
      const editor = await openPolicy(start);
      const broken = JSON.stringify(BROKEN, null, 2).replace(/\n/g, '\n    ');
      assert.ok(start.includes(broken));
      await expandOver(editor, broken, body);
      const text = editor.document.getText();
      const parsed = JSON.parse(text) as { Statement: { Action: string | string[] }[] };
      assert.ok(parsed.Statement.length >= 2, `${prefix}: the statement is in the policy`);
      assert.deepStrictEqual(errorsAndWarnings(editor.document), [], `${prefix} expands with problems:\n${text}`);
      await closeAllWithoutSaving();
    }
  });

  test('the snippet tab stops hold the region and account: typing over them changes every ARN', async () => {
    const body = snippets.get('iot-policy-device');
    assert.ok(body);
    const start = policy([CONNECT, BROKEN]);
    const editor = await openPolicy(start);
    const doc = editor.document;
    await waitForDiagnostics(doc.uri, (x) => x.some((d) => codeOf(d) === 'unknown-action'), 15000, 'unknown-action before the snippet');
    const ok = await editor.insertSnippet(new vscode.SnippetString(body), new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)));
    assert.ok(ok);
    // The first tab stop (region) is selected: type a region, and it is mirrored in every ARN.
    assert.strictEqual(doc.getText(editor.selection), 'eu-west-1', 'the region placeholder is selected');
    await vscode.commands.executeCommand('type', { text: 'ap-south-1' });
    const text = doc.getText();
    assert.ok(!text.includes(':eu-west-1:'), text);
    assert.strictEqual(text.split('arn:aws:iot:ap-south-1:493812760155:').length - 1, 4, text);
    await vscode.commands.executeCommand('leaveSnippet');
  });
});
