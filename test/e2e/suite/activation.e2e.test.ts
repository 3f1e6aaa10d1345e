import * as assert from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, codeOf, EXTENSION_ID, openFixture, waitForDiagnostics } from '../helpers';

suite('activation', () => {
  suiteTeardown(closeAllEditors);

  test('the extension activates when a policy file is opened and its server answers', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'extension is installed');
    const wasActive = ext.isActive;
    const t0 = Date.now();
    const editor = await openFixture('with-comment.jsonc');
    // Opening a JSON document activates us (onLanguage:json / jsonc): wait for it, not a sleep.
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
    // The server is started by activate(); a diagnostic computed by it proves it runs.
    const diags = await waitForDiagnostics(editor.document.uri, (d) => d.some((x) => codeOf(x) === 'json-syntax'), 20000, 'json-syntax');
    assert.ok(diags.length >= 1);
    // A figure for the benchmark goals (activation to first diagnostics), printed, not asserted.
    console.log(`activation to first diagnostics: ${Date.now() - t0} ms (opening a policy file${wasActive ? '; the extension was already active' : ' activated the extension'})`);
  });

  test('the extension under test is the one this run should load', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const mode = process.env.IOT_E2E_MODE;
    if (mode === 'dev') {
      assert.strictEqual(path.resolve(ext.extensionPath), path.resolve(process.env.IOT_E2E_DEV_PATH ?? ''), 'development path');
    } else if (mode === 'vsix') {
      // Installed from the .vsix into the scratch extensions folder, not the source checkout.
      assert.match(ext.extensionPath, /extensions[\\/]iot-policy-tools\.iot-policy-language-/);
      assert.ok(!ext.extensionPath.startsWith(process.env.IOT_E2E_REPO ?? '/nonexistent/'), 'not the checkout');
    }
    const pkg = ext.packageJSON as { name: string; main: string };
    assert.strictEqual(pkg.name, 'iot-policy-language');
  });
});
