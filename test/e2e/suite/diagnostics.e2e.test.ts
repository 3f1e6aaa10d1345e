import * as assert from 'node:assert';
import * as vscode from 'vscode';
import {
  activateExtension,
  closeAllEditors,
  codeOf,
  openFixture,
  openUntitled,
  replaceText,
  requireRule,
  waitForDiagnostics,
} from '../helpers';

suite('diagnostics', () => {
  suiteSetup(activateExtension);
  teardown(async () => {
    // Leave fixture files as they are on disk.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await closeAllEditors();
  });

  test('invalid-version appears on a *.iot-policy.json file and clears after the edit', async function () {
    requireRule(this, 'invalid-version');
    const editor = await openFixture('bad-version.iot-policy.json');
    const uri = editor.document.uri;
    const ds = await waitForDiagnostics(uri, (x) => x.some((d) => codeOf(d) === 'invalid-version'), 15000, 'invalid-version');
    const found = ds.find((x) => codeOf(x) === 'invalid-version');
    assert.ok(found);
    assert.strictEqual(found.range.start.line, 1, 'reported on the Version line');
    assert.ok(editor.document.getText(found.range).includes('2013-01-01'), `range covers the value, got "${editor.document.getText(found.range)}"`);
    await replaceText(editor, '2013-01-01', '2012-10-17');
    await waitForDiagnostics(uri, (ds) => !ds.some((x) => codeOf(x) === 'invalid-version'), 15000, 'invalid-version to clear');
  });

  test('unknown-action flags a misspelt action and clears once it is fixed', async function () {
    requireRule(this, 'unknown-action');
    const editor = await openFixture('unknown-action.iot-policy.json');
    const uri = editor.document.uri;
    const ds = await waitForDiagnostics(uri, (x) => x.some((d) => codeOf(d) === 'unknown-action'), 15000, 'unknown-action');
    const d = ds.find((x) => codeOf(x) === 'unknown-action');
    assert.ok(d);
    assert.ok(editor.document.getText(d.range).includes('iot:Publsh'), `range covers the action, got "${editor.document.getText(d.range)}"`);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    await replaceText(editor, 'iot:Publsh', 'iot:Publish');
    await waitForDiagnostics(uri, (x) => !x.some((y) => codeOf(y) === 'unknown-action'), 15000, 'unknown-action to clear');
  });

  test('a policy is recognised by its content, whatever its file name', async function () {
    requireRule(this, 'invalid-version');
    const editor = await openFixture('detected-by-content.json');
    await waitForDiagnostics(editor.document.uri, (x) => x.some((d) => codeOf(d) === 'invalid-version'), 15000, 'invalid-version');
  });

  test('json-syntax reports a comment in a jsonc policy (AWS accepts only strict JSON) and clears when it is removed', async () => {
    const editor = await openFixture('with-comment.jsonc');
    const uri = editor.document.uri;
    const ds = await waitForDiagnostics(uri, (x) => x.some((d) => codeOf(d) === 'json-syntax'), 15000, 'json-syntax');
    const d = ds.find((x) => codeOf(x) === 'json-syntax');
    assert.ok(d);
    assert.strictEqual(d.range.start.line, 1, 'on the comment line');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    await replaceText(editor, '// AWS IoT rejects comments: the policy must be strict JSON.', '');
    await waitForDiagnostics(uri, (x) => !x.some((y) => codeOf(y) === 'json-syntax'), 15000, 'json-syntax to clear');
  });

  test('json-syntax is left to VS Code for json documents (no duplicate syntax errors)', async () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Action": "iot:Connect", "Resource": "*", }\n  ]\n}\n';
    const editor = await openUntitled(text, 'json');
    const probe = await openUntitled(text, 'jsonc');
    // The same text as jsonc, opened after the json one, gets our json-syntax (trailing comma).
    await waitForDiagnostics(probe.document.uri, (x) => x.some((d) => codeOf(d) === 'json-syntax'), 15000, 'json-syntax on the jsonc twin');
    // VS Code's JSON support reports the trailing comma in the json document; we do not.
    await waitForDiagnostics(editor.document.uri, () => vscode.languages.getDiagnostics(editor.document.uri).length > 0, 15000, 'VS Code JSON diagnostics');
    assert.deepStrictEqual(
      vscode.languages.getDiagnostics(editor.document.uri).filter((d) => codeOf(d) === 'json-syntax'),
      [],
    );
  });
});
