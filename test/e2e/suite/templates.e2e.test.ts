/**
 * Policies inside CloudFormation and Serverless templates, as a user sees them in VS Code: the
 * squiggles of a YAML template at the template's own characters, a quick fix that leaves valid
 * YAML, completion in `!Sub` that writes the `${!iot:...}` escape, and a `serverless.yml`.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseDocument } from 'yaml';
import { activateExtension, codeOf, EXTENSION_ID, openFixture, waitForDiagnostics } from '../helpers';
import { applyCompletion, askUntil, closeAllWithoutSaving, codeActions, completions, errorsAndWarnings, labelOf, positionOf } from './featureHelpers';

/** `rule "text"` for each of our diagnostics, in document order. */
function squiggles(doc: vscode.TextDocument, ds: readonly vscode.Diagnostic[]): string[] {
  return [...ds]
    .sort((a, b) => doc.offsetAt(a.range.start) - doc.offsetAt(b.range.start))
    .map((d) => `${codeOf(d)} ${d.range.start.line + 1}:${d.range.start.character + 1} ${JSON.stringify(doc.getText(d.range))}`);
}

suite('templates', () => {
  suiteSetup(activateExtension);
  teardown(closeAllWithoutSaving);

  test('a CloudFormation YAML template: squiggles on the exact characters, in the YAML language mode', async () => {
    const editor = await openFixture('templates/device-policy.yaml');
    assert.strictEqual(editor.document.languageId, 'yaml');
    const ds = await waitForDiagnostics(editor.document.uri, (x) => x.length >= 5, 20000, 'the template findings');
    assert.deepStrictEqual(squiggles(editor.document, ds), [
      'sub-variable-not-escaped 26:102 "${iot:ClientId}"',
      'resource-type-mismatch 29:87 "topic"',
      'pseudo-parameter-outside-sub 32:35 "${AWS::Region}"',
      'pseudo-parameter-outside-sub 32:50 "${AWS::AccountId}"',
      'escape-outside-sub 32:74 "${!iot:Connection.Thing.ThingName}"',
    ]);
  });

  test('the quick fixes keep the template valid YAML: the Sub escape, and !Sub around a plain string', async () => {
    const editor = await openFixture('templates/device-policy.yaml');
    const doc = editor.document;
    const fix = async (ruleId: string): Promise<string> => {
      const ds = await waitForDiagnostics(doc.uri, (x) => x.some((d) => codeOf(d) === ruleId), 20000, ruleId);
      const d = ds.find((x) => codeOf(x) === ruleId)!;
      const actions = await askUntil(() => codeActions(doc.uri, d.range, vscode.CodeActionKind.QuickFix.value), (xs) => xs.some((a) => a.isPreferred && a.edit), `a fix for ${ruleId}`);
      const action = actions.find((a) => a.isPreferred && a.edit)!;
      assert.ok(await vscode.workspace.applyEdit(action.edit!), `"${action.title}" applied`);
      await waitForDiagnostics(doc.uri, (x) => !x.some((y) => codeOf(y) === ruleId && y.range.isEqual(d.range)), 20000, `${ruleId} to clear`);
      const text = doc.getText();
      assert.deepStrictEqual(parseDocument(text).errors.map((e) => e.message), [], `valid YAML after "${action.title}"`);
      return text;
    };
    const before = doc.getText();
    const escaped = await fix('sub-variable-not-escaped');
    assert.strictEqual(escaped, before.replace('/${iot:ClientId}/telemetry', '/${!iot:ClientId}/telemetry'));
    const wrapped = await fix('pseudo-parameter-outside-sub');
    assert.match(wrapped, /Resource: !Sub arn:aws:iot:\$\{AWS::Region\}:\$\{AWS::AccountId\}:topic\/\$\{!iot:Connection\.Thing\.ThingName\}\/commands/);
    await waitForDiagnostics(doc.uri, (x) => !x.some((d) => ['pseudo-parameter-outside-sub', 'escape-outside-sub'].includes(codeOf(d))), 20000, 'the line to be clean');
  });

  test('completion inside !Sub writes ${!iot:...}', async () => {
    const editor = await openFixture('templates/device-policy.yaml');
    const doc = editor.document;
    const at = positionOf(doc, '${!iot:Connection.Thing.ThingName}/commands', 0);
    // The user types `${` in the Subscribe resource, before `${!iot:...}`, and picks ClientId.
    assert.ok(await editor.edit((b) => b.insert(at, '${')));
    const position = at.translate(0, 2);
    const items = await askUntil(() => completions(doc.uri, position, '{'), (xs) => xs.some((i) => labelOf(i).includes('iot:ClientId')), 'the policy variables');
    const item = items.find((i) => labelOf(i).includes('iot:ClientId'))!;
    const out = await applyCompletion(editor, item, position);
    const line = out.split('\n')[doc.lineAt(at.line).lineNumber];
    assert.match(line, /topic\/\$\{TopicPrefix\}\/\$\{!iot:ClientId\}\$\{!iot:Connection\.Thing\.ThingName\}\/commands$/, line);
  });

  test('a serverless.yml: its variables are left alone, ${!...} outside a Sub is an error', async () => {
    const editor = await openFixture('templates/serverless.yml');
    const ds = await waitForDiagnostics(editor.document.uri, (x) => x.some((d) => codeOf(d) === 'escape-outside-sub'), 20000, 'escape-outside-sub');
    const d = ds.find((x) => codeOf(x) === 'escape-outside-sub')!;
    assert.strictEqual(editor.document.getText(d.range), '${!iot:ClientId}');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(!ds.some((x) => editor.document.getText(x.range).startsWith('${self:')), 'no finding on ${self:...}');
  });

  test('the CloudFormation snippet of a device policy expands into a clean template policy', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const snippets = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'snippets', 'cloudformation-yaml.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
    const snippet = Object.values(snippets).find((x) => x.prefix === 'cfn-iot-policy-device');
    assert.ok(snippet, 'cfn-iot-policy-device');
    const start = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  P:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - { Effect: Allow, Action: iot:Publsh, Resource: '*' }\n  ";
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: start });
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    await waitForDiagnostics(doc.uri, (x) => x.some((d) => codeOf(d) === 'unknown-action'), 20000, 'the template to be read');
    const end = doc.positionAt(start.length);
    assert.ok(await editor.insertSnippet(new vscode.SnippetString(snippet.body.join('\n')), end), 'inserted');
    await vscode.commands.executeCommand('leaveSnippet');
    // The first policy still has its error; the snippet's policy adds none.
    await waitForDiagnostics(doc.uri, () => doc.getText().includes('DevicePolicy:'), 20000, 'the expanded snippet');
    const text = doc.getText();
    assert.match(text, /\n {2}DevicePolicy:\n {4}Type: AWS::IoT::Policy\n/);
    assert.match(text, /Resource: !Sub arn:\$\{AWS::Partition\}:iot:\$\{AWS::Region\}:\$\{AWS::AccountId\}:client\/\$\{!iot:Connection\.Thing\.ThingName\}\n/);
    assert.deepStrictEqual(parseDocument(text, { customTags: [{ tag: '!Sub', resolve: (x: string) => x }] }).errors.map((e) => e.message), []);
    const after = await waitForDiagnostics(doc.uri, (x) => x.every((d) => doc.getText(d.range) === 'iot:Publsh' || d.severity! > vscode.DiagnosticSeverity.Warning), 20000, 'only the first policy\'s error');
    assert.deepStrictEqual(errorsAndWarnings(doc).filter((l) => !l.includes('iot:Publsh')), [], JSON.stringify(after.map((d) => d.message)));
  });
});
