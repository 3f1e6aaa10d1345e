import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, codeOf, fixtureUri, ours, requireRule, waitForDiagnostics } from '../helpers';

/**
 * Workspace diagnostics (`workspace/diagnostic`): policies in files nobody opened reach
 * `vscode.languages.getDiagnostics()`, listed and read through the client (Node and web runs),
 * follow files created and deleted on disk, and go away when the setting is turned off.
 */
suite('workspace diagnostics', () => {
  suiteSetup(activateExtension);
  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('iotPolicy').update('diagnostics.workspace', undefined, vscode.ConfigurationTarget.Global);
  });

  const isOpen = (uri: vscode.Uri) => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
  const hasUnknownAction = (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === 'unknown-action');

  test('a finding in a policy file that was never opened shows up in getDiagnostics()', async function () {
    requireRule(this, 'unknown-action');
    const uri = fixtureUri('unopened', 'never-opened.iot-policy.json');
    assert.ok(!isOpen(uri), 'the fixture must not be open');
    const ds = await waitForDiagnostics(uri, hasUnknownAction, 30000, 'unknown-action from the workspace pull');
    const d = ds.find((x) => codeOf(x) === 'unknown-action')!;
    assert.strictEqual(d.range.start.line, 3, 'on the Action line');
    assert.ok(!isOpen(uri), 'reported without opening the file');
    // Listed under every workspace file's problems, as the Problems panel shows them.
    assert.ok(vscode.languages.getDiagnostics().some(([u, x]) => u.toString() === uri.toString() && hasUnknownAction(x)));
  });

  test('a policy file written to disk is reported, and cleared when it is deleted', async function () {
    requireRule(this, 'unknown-action');
    const uri = fixtureUri('unopened', `created-${Date.now()}.iot-policy.json`);
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "Allow", "Action": "iot:Conect", "Resource": "*" }]\n}\n';
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      await waitForDiagnostics(uri, hasUnknownAction, 30000, 'unknown-action in the new file');
      await vscode.workspace.fs.delete(uri);
      await waitForDiagnostics(uri, (ds) => ds.length === 0, 30000, 'the deleted file to be cleared');
    } finally {
      await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    }
  });

  test('iotPolicy.diagnostics.workspace off clears them; on brings them back', async function () {
    requireRule(this, 'unknown-action');
    const uri = fixtureUri('unopened', 'never-opened.iot-policy.json');
    const config = () => vscode.workspace.getConfiguration('iotPolicy');
    await waitForDiagnostics(uri, hasUnknownAction, 30000, 'unknown-action before the setting changes');
    try {
      await config().update('diagnostics.workspace', false, vscode.ConfigurationTarget.Global);
      await waitForDiagnostics(uri, (ds) => ds.length === 0, 30000, 'diagnostics cleared with the setting off');
    } finally {
      await config().update('diagnostics.workspace', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitForDiagnostics(uri, hasUnknownAction, 30000, 'unknown-action back with the setting on');
    assert.deepStrictEqual([...new Set(ours(uri).map(codeOf))].filter((c) => c === 'unknown-action'), ['unknown-action']);
  });
});
