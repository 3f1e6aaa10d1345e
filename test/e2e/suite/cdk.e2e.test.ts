/**
 * A CDK stack in TypeScript, as a user meets it: the squiggle lands on the policy text inside the
 * construct, the quick fix rewrites it in TypeScript (quotes kept), and completion inside a
 * template literal writes the policy variable with the `\${` a template literal needs.
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, codeOf, fixtureUri, openFixture, SOURCE, waitForDiagnostics } from '../helpers';
import { applyCompletion, askUntil, closeAllWithoutSaving, codeActions, completions, labelOf, positionOf } from './featureHelpers';

const FIXTURE = 'cdk/device-stack.ts';

/**
 * The fixture's stack in an untitled TypeScript document: the tests that edit it leave the file on
 * disk as it is, whatever happens to the editor.
 */
async function openStack(): Promise<vscode.TextEditor> {
  const content = (await vscode.workspace.openTextDocument(fixtureUri(...FIXTURE.split('/')))).getText();
  const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content });
  return vscode.window.showTextDocument(doc, { preview: false });
}

suite('CDK stacks (TypeScript)', function () {
  // The first code-action request on a TypeScript file waits for the workbench's TypeScript
  // support to start, and may be cancelled once or twice meanwhile.
  this.timeout(120000);
  suiteSetup(activateExtension);
  teardown(closeAllWithoutSaving);

  test('a misspelt action in the policy literal is underlined exactly, and its fix keeps the quotes', async () => {
    const editor = await openStack();
    const doc = editor.document;
    const ds = await waitForDiagnostics(doc.uri, (x) => x.some((d) => codeOf(d) === 'unknown-action'), 30000, 'unknown-action in the stack');
    const d = ds.find((x) => codeOf(x) === 'unknown-action')!;
    assert.strictEqual(d.source, SOURCE);
    assert.strictEqual(doc.getText(d.range), 'iot:Pubish');
    assert.strictEqual(d.range.start.line, 21);
    // Substitutions such as ${cdk.Aws.REGION} are unknown values, never errors.
    assert.deepStrictEqual(ds.filter((x) => x.severity === vscode.DiagnosticSeverity.Error).map(codeOf), ['unknown-action']);

    // A request the workbench cancels (the stack was just read, diagnostics are refreshing) is asked again.
    const actions = await askUntil(
      () => codeActions(doc.uri, d.range, vscode.CodeActionKind.QuickFix.value).then(undefined, () => []),
      (xs) => xs.some((a) => a.isPreferred),
      'the preferred quick fix for unknown-action',
      90000,
    );
    const fix = actions.find((a) => a.isPreferred)!;
    assert.strictEqual(fix.title, "Change 'iot:Pubish' to 'iot:Publish'");
    assert.ok(await vscode.workspace.applyEdit(fix.edit!), 'the fix was applied');
    await waitForDiagnostics(doc.uri, (x) => !x.some((y) => codeOf(y) === 'unknown-action'), 15000, 'unknown-action to clear');
    assert.ok(doc.getText().includes("Action: ['iot:Publish'],"), doc.getText());
  });

  test('completion inside a template literal writes \\${iot:...} and keeps ${cdk.Aws.REGION}', async () => {
    const editor = await openStack();
    const doc = editor.document;
    await waitForDiagnostics(doc.uri, (x) => x.some((d) => codeOf(d) === 'unknown-action'), 30000, 'the stack to be read');
    // Type `\${iot:` after `topic/status/`.
    const at = positionOf(doc, 'topic/status/`', 'topic/status/'.length);
    assert.ok(await editor.edit((b) => b.insert(at, '\\${iot:')), 'typed');
    const position = at.translate(0, '\\${iot:'.length);
    const items = await askUntil(
      () => completions(doc.uri, position, ':'),
      (xs) => xs.some((i) => labelOf(i) === 'iot:Connection.Thing.ThingName'),
      'the policy variables in the template literal',
    );
    const out = await applyCompletion(editor, items.find((i) => labelOf(i) === 'iot:Connection.Thing.ThingName')!, position);
    assert.ok(
      out.includes('Resource: [`arn:aws:iot:${cdk.Aws.REGION}:${cdk.Aws.ACCOUNT_ID}:topic/status/\\${iot:Connection.Thing.ThingName}`],'),
      out,
    );
  });

  test('the outline has the construct by its id', async () => {
    const editor = await openFixture(FIXTURE);
    const doc = editor.document;
    await waitForDiagnostics(doc.uri, (x) => x.some((d) => codeOf(d) === 'unknown-action'), 30000, 'the stack to be read');
    const symbols = await askUntil(
      () => vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri).then((s) => s ?? []),
      (s) => s.some((x) => x.name === 'DevicePolicy'),
      'the DevicePolicy symbol',
    );
    assert.ok(symbols.find((x) => x.name === 'DevicePolicy')!.children.length >= 2, 'its statements inside');
  });
});
