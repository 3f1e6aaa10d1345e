import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, openFixture, ours, requireRule, waitForDiagnostics } from '../helpers';

/**
 * The suite runs twice: with workspace trust disabled (trusted) and in an untrusted workspace
 * (`run-code-server.mjs --trust`). The fixture's .vscode/settings.json adds a files glob
 * (restricted: ignored when untrusted) and a rule severity (always honoured).
 */
suite('workspace trust', () => {
  suiteSetup(activateExtension);
  suiteTeardown(closeAllEditors);
  const expectUntrusted = process.env.IOT_E2E_TRUST === 'untrusted';

  test('the workspace trust state is the one this run asked for', () => {
    assert.strictEqual(vscode.workspace.isTrusted, !expectUntrusted);
  });

  test('the extension runs and severities come from workspace settings in both modes', async function () {
    requireRule(this, 'invalid-version');
    const editor = await openFixture('bad-version.iot-policy.json');
    const ds = await waitForDiagnostics(editor.document.uri, (x) => x.some((d) => codeOf(d) === 'invalid-version'), 15000, 'invalid-version');
    const d = ds.find((x) => codeOf(x) === 'invalid-version');
    assert.strictEqual(d?.severity, vscode.DiagnosticSeverity.Information, 'iotPolicy.rules from .vscode/settings.json');
  });

  test('iotPolicy.files from workspace settings applies only in a trusted workspace', async function () {
    requireRule(this, 'invalid-version');
    const editor = await openFixture('custom/matched-by-setting.json');
    const uri = editor.document.uri;
    if (!expectUntrusted) {
      await waitForDiagnostics(uri, (x) => x.some((d) => codeOf(d) === 'invalid-version'), 15000, 'invalid-version (matched by the workspace glob)');
    } else {
      // Proof the server has handled it: a policy opened afterwards has its diagnostics.
      const probe = await openFixture('bad-version.iot-policy.json');
      await waitForDiagnostics(probe.document.uri, (x) => x.some((d) => codeOf(d) === 'invalid-version'), 15000, 'invalid-version on the probe');
      assert.deepStrictEqual(ours(uri).map(codeOf), []);
    }
  });
});
