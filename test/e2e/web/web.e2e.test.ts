/**
 * What only the web has: the extension runs from its `browser` entry in the web worker extension
 * host, the language server from its browser build, and the files the server needs (a template,
 * the policy a test file names, the wasm grammars) come through the client. The other suites of
 * the web run (index.ts) check the editor features themselves.
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, openFixture, waitForDiagnostics } from '../helpers';
import { codeActions } from '../suite/featureHelpers';

interface Api {
  serverStatus(): Promise<{ pid: number; runtime?: string } | undefined>;
  serverHost(): string;
}

suite('web extension', () => {
  let ext: vscode.Extension<unknown>;
  suiteSetup(async () => {
    ext = await activateExtension();
  });
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await closeAllEditors();
  });

  test('runs from the browser entry in the web worker extension host, with the browser server', async () => {
    assert.strictEqual(vscode.env.uiKind, vscode.UIKind.Web);
    // In a workbench with a remote, only web-worker extensions are UI extensions.
    assert.strictEqual(ext.extensionKind, vscode.ExtensionKind.UI, 'the extension runs in the browser, not on the server');
    assert.ok((ext.packageJSON as { browser?: string }).browser, 'package.json has a browser entry');
    const api = ext.exports as Api;
    const host = api.serverHost();
    assert.ok(['worker', 'blob-worker', 'extension-host'].includes(host), host);
    console.log(`    (the language server runs in: ${host})`);
    const status = await api.serverStatus();
    assert.strictEqual(status?.runtime, 'browser');
    assert.strictEqual(status?.pid, 0, 'no process');
  });

  test('a CloudFormation YAML template read in the browser: its findings, and a quick fix that clears one', async () => {
    const editor = await openFixture('templates/device-policy.yaml');
    const doc = editor.document;
    const ds = await waitForDiagnostics(doc.uri, (x) => x.some((d) => codeOf(d) === 'sub-variable-not-escaped'), 20000, 'sub-variable-not-escaped');
    const d = ds.find((x) => codeOf(x) === 'sub-variable-not-escaped')!;
    assert.strictEqual(doc.getText(d.range), '${iot:ClientId}');
    const actions = await codeActions(doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.isPreferred && a.edit);
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    await waitForDiagnostics(doc.uri, (x) => !x.some((y) => codeOf(y) === 'sub-variable-not-escaped'), 20000, 'the escape fixed');
    assert.ok(doc.getText().includes('${!iot:ClientId}'), 'written as the Sub escape');
  });
}
);
