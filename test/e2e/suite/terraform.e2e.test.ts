/**
 * A Terraform file in the editor (plain text without HashiCorp's extension): the policy inside
 * `jsonencode` gets diagnostics at HCL positions, its quick fixes are written in HCL, completion
 * writes Terraform's `$${` escape, and the outline names the policy by its resource address.
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, openFixture, waitForDiagnostics } from '../helpers';
import { applyCompletion, askUntil, codeActions, completions, labelOf, positionOf } from './featureHelpers';

const FIXTURE = 'terraform/device.tf';

/**
 * Waits for a diagnostic of `ruleId` on exactly `text`, applies its quick fix (the preferred one,
 * or the one titled `title`), and waits for the diagnostic to go.
 */
async function fixAt(editor: vscode.TextEditor, ruleId: string, text: string, title?: RegExp): Promise<vscode.CodeAction> {
  const doc = editor.document;
  const pick = (ds: vscode.Diagnostic[]) => ds.find((d) => codeOf(d) === ruleId && doc.getText(d.range) === text);
  const d = pick(await waitForDiagnostics(doc.uri, (x) => !!pick(x), 20000, `${ruleId} on ${text}`))!;
  // vscode.executeCodeActionProvider may return actions without their diagnostics: those were asked for at this range.
  const mine = (a: vscode.CodeAction) => !a.diagnostics?.length || a.diagnostics.some((x) => codeOf(x) === ruleId);
  const choose = (xs: vscode.CodeAction[]) => xs.find((a) => mine(a) && (title ? title.test(a.title) : a.isPreferred));
  const actions = await askUntil(
    () => codeActions(doc.uri, d.range, vscode.CodeActionKind.QuickFix.value),
    (xs) => !!choose(xs),
    `the fix ${title ?? '(preferred)'} for ${ruleId}`,
  );
  const action = choose(actions)!;
  assert.ok(await vscode.workspace.applyEdit(action.edit!), `the edit of "${action.title}" was not applied`);
  await waitForDiagnostics(doc.uri, (x) => !pick(x), 15000, `${ruleId} on ${text} to clear`);
  return action;
}

suite('Terraform', () => {
  suiteSetup(activateExtension);
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await closeAllEditors();
  });

  test('an unescaped ${iot:...} is squiggled; its fix writes $${, then the typo inside it is the next diagnostic', async () => {
    const editor = await openFixture(FIXTURE);
    const doc = editor.document;
    const unescaped = '${iot:Connection.Thing.ThingNme}';
    const ds = await waitForDiagnostics(doc.uri, (x) => x.some((d) => codeOf(d) === 'terraform-variable-not-escaped'), 20000, 'terraform-variable-not-escaped');
    const d = ds.find((x) => codeOf(x) === 'terraform-variable-not-escaped')!;
    assert.strictEqual(doc.getText(d.range), unescaped);
    assert.strictEqual(d.range.start.line, positionOf(doc, unescaped, 0).line);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);

    const escape = await fixAt(editor, 'terraform-variable-not-escaped', unescaped);
    assert.strictEqual(escape.title, 'Escape it: $${iot:Connection.Thing.ThingNme}');
    assert.ok(doc.getText().includes('topic/telemetry/$${iot:Connection.Thing.ThingNme}"'), doc.getText());

    // The variable is now read as Terraform will pass it: its misspelt name is the next finding.
    await fixAt(editor, 'unknown-policy-variable', '$${iot:Connection.Thing.ThingNme}', /to '\$\{iot:Connection\.Thing\.ThingName\}'$/);
    assert.ok(doc.getText().includes('topic/telemetry/$${iot:Connection.Thing.ThingName}"'), doc.getText());
    await waitForDiagnostics(doc.uri, (x) => x.length === 0, 15000, 'no diagnostics left');
  });

  test('completion after $${ writes the variable name, the escape kept', async () => {
    const editor = await openFixture(FIXTURE);
    const doc = editor.document;
    await waitForDiagnostics(doc.uri, (x) => x.length > 0, 20000, 'the first diagnostics');
    const at = positionOf(doc, 'client/$${iot:', 'client/$${iot:'.length);
    const items = await askUntil(() => completions(doc.uri, at), (xs) => xs.some((i) => labelOf(i) === 'iot:ClientId'), 'policy variable items');
    const text = await applyCompletion(editor, items.find((i) => labelOf(i) === 'iot:ClientId')!, at);
    assert.ok(text.includes('client/$${iot:ClientId}"'), text);
  });

  test('the outline has one entry per policy, named by its resource address', async () => {
    const editor = await openFixture(FIXTURE);
    const symbols = await askUntil(
      () => vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', editor.document.uri),
      (s) => (s ?? []).some((x) => x.name === 'aws_iot_policy.device'),
      'the policy symbol',
    );
    const policy = symbols.find((x) => x.name === 'aws_iot_policy.device')!;
    assert.strictEqual(policy.children.length, 3, policy.children.map((c) => c.name).join(', '));
  });
});
