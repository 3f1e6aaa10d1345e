import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, openFixture, openUntitled, ours, SOURCE, waitForDiagnostics } from '../helpers';

/** Any other JSON gets nothing from us: no diagnostics, hover, completion, code actions or symbols. */
suite('non-policy JSON', () => {
  suiteSetup(activateExtension);
  suiteTeardown(closeAllEditors);

  for (const name of ['package.json', 'tsconfig.json', 's3-bucket-policy.json']) {
    test(`${name} gets no diagnostics and no features from us`, async () => {
      const editor = await openFixture(name);
      const uri = editor.document.uri;
      // A policy opened after it: once its json-syntax diagnostic is in, ours for `name` were computed too.
      const probe = await openUntitled('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Connect","Resource":"*",}]}', 'jsonc');
      await waitForDiagnostics(probe.document.uri, (d) => d.some((x) => codeOf(x) === 'json-syntax'), 15000, 'json-syntax on the probe');
      await vscode.window.showTextDocument(editor.document, { preview: false });
      assert.deepStrictEqual(ours(uri).map(codeOf), [], `no ${SOURCE} diagnostics`);

      const pos = new vscode.Position(1, 5);
      const completions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, pos);
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
      // The built-in JSON support answers these; our server must add nothing. Our items would carry
      // IoT vocabulary, so look for it.
      const iot = /iot:|iotjobsdata:|greengrass:|\$\{iot:/;
      assert.ok(!completions.items.some((i) => iot.test(typeof i.label === 'string' ? i.label : i.label.label)), 'no IoT completions');
      assert.ok(!(symbols ?? []).some((s) => /Statement|Allow|Deny/.test(s.name) && /iot/i.test(s.detail ?? '')), 'no policy symbols');
      assert.ok(!(hovers ?? []).some((h) => h.contents.some((c) => iot.test(typeof c === 'string' ? c : c.value))), 'no IoT hover');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  }
});
