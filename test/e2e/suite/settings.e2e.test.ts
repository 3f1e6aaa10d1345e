import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, openFixture, requireRule, waitForDiagnostics } from '../helpers';

suite('settings', () => {
  suiteSetup(activateExtension);
  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('iotPolicy').update('rules', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  test('changing iotPolicy.rules re-validates open policies at once', async function () {
    requireRule(this, 'unknown-action');
    const editor = await openFixture('unknown-action.iot-policy.json');
    const uri = editor.document.uri;
    const isAction = (d: vscode.Diagnostic) => codeOf(d) === 'unknown-action';
    await waitForDiagnostics(uri, (x) => x.some((d) => isAction(d) && d.severity === vscode.DiagnosticSeverity.Error), 15000, 'unknown-action as error');
    await vscode.workspace.getConfiguration('iotPolicy').update('rules', { 'unknown-action': 'hint' }, vscode.ConfigurationTarget.Global);
    await waitForDiagnostics(uri, (x) => x.some((d) => isAction(d) && d.severity === vscode.DiagnosticSeverity.Hint), 15000, 'unknown-action as hint');
    await vscode.workspace.getConfiguration('iotPolicy').update('rules', { 'unknown-action': 'off' }, vscode.ConfigurationTarget.Global);
    const ds = await waitForDiagnostics(uri, (x) => !x.some(isAction), 15000, 'unknown-action off');
    assert.ok(!ds.some(isAction));
  });
});
