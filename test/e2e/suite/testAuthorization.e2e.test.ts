import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, codeOf, fixtureUri, openFixture, requireRule, waitForDiagnostics } from '../helpers';
import { nextTick } from './featureHelpers';

/** What `iotPolicy.testAuthorization` returns (client/src/testAuthorization.ts). */
interface AuthzResult {
  decision: string;
  request: { action: string; resource: string; context: Record<string, unknown> };
  deciding?: { uri: string; statementIndex: number; sid?: string; effect: string; range: vscode.Range };
  notes: string[];
}

interface RunResult {
  passed: number;
  failed: number;
  cases: { name: string; passed: boolean }[];
}

/** The range of the statement object whose Sid is `sid` in the document (found textually). */
function statementLines(doc: vscode.TextDocument, sid: string): { sidLine: number } {
  const at = doc.getText().indexOf(`"Sid": "${sid}"`);
  assert.ok(at >= 0, `Sid ${sid} not in ${doc.uri.path}`);
  return { sidLine: doc.positionAt(at).line };
}

/** The code lenses of `uri` once `predicate` holds: re-asked on each diagnostics change (at least every 500 ms), with a deadline. */
async function codeLenses(uri: vscode.Uri, predicate: (l: vscode.CodeLens[]) => boolean, timeoutMs = 15000): Promise<vscode.CodeLens[]> {
  const deadline = Date.now() + timeoutMs;
  let last: vscode.CodeLens[] = [];
  // executeCodeLensProvider asks the server every time; the server answers once its run of the file is done.
  while (Date.now() < deadline) {
    last = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    if (predicate(last)) return last;
    await nextTick(500);
  }
  throw new Error(`Timed out waiting for the code lenses of ${uri.path}; have ${JSON.stringify(last.map((l) => l.command?.title))}`);
}

suite('test authorization, policy test files and templates', () => {
  suiteSetup(activateExtension);
  suiteTeardown(closeAllEditors);

  test('Test authorization… with given inputs: Allow, and the deciding statement is highlighted and selected', async () => {
    const editor = await openFixture('authz/device.iot-policy.json');
    const doc = editor.document;
    const r = await vscode.commands.executeCommand<AuthzResult>('iotPolicy.testAuthorization', {
      action: 'iot:Publish',
      clientId: 'sensor-1',
      thingName: 'sensor-1',
      resource: 'sensor-1/telemetry/temp',
    });
    assert.ok(r, 'the command returned no result');
    assert.strictEqual(r.decision, 'Allow');
    assert.strictEqual(r.request.resource, 'arn:aws:iot:eu-west-1:493812760155:topic/sensor-1/telemetry/temp', 'ARN built from the policy region/account');
    assert.ok(r.deciding, 'a deciding statement');
    assert.strictEqual(r.deciding.statementIndex, 1);
    assert.strictEqual(r.deciding.sid, 'PublishOwnTelemetry');
    assert.strictEqual(r.deciding.uri, doc.uri.toString());
    // The returned range is that statement object.
    const { sidLine } = statementLines(doc, 'PublishOwnTelemetry');
    assert.ok(r.deciding.range.start.line < sidLine && sidLine < r.deciding.range.end.line, `range ${JSON.stringify(r.deciding.range)} encloses line ${sidLine}`);
    const text = doc.getText(r.deciding.range);
    assert.ok(text.startsWith('{') && text.endsWith('}') && text.includes('PublishOwnTelemetry') && !text.includes('NoSecretTelemetry'), text);
    // The editor shows it selected.
    const active = vscode.window.activeTextEditor;
    assert.ok(active, 'no active editor');
    assert.strictEqual(active.document.uri.toString(), doc.uri.toString());
    assert.ok(active.selection.isEqual(new vscode.Selection(r.deciding.range.start, r.deciding.range.end)), `selection ${JSON.stringify(active.selection)} is the statement`);
  });

  test('an explicit Deny decides and moves the highlight; an unresolved thing name is an implicit deny with a note', async () => {
    const editor = await openFixture('authz/device.iot-policy.json');
    const r = await vscode.commands.executeCommand<AuthzResult>('iotPolicy.testAuthorization', {
      action: 'iot:Publish',
      clientId: 'sensor-1',
      thingName: 'sensor-1',
      resource: 'arn:aws:iot:eu-west-1:493812760155:topic/sensor-1/telemetry/secret',
    });
    assert.strictEqual(r?.decision, 'ExplicitDeny');
    assert.strictEqual(r.deciding?.sid, 'NoSecretTelemetry');
    assert.strictEqual(r.deciding?.effect, 'Deny');
    const { sidLine } = statementLines(editor.document, 'NoSecretTelemetry');
    const sel = vscode.window.activeTextEditor?.selection;
    assert.ok(sel && sel.start.line < sidLine && sidLine < sel.end.line, `selection ${JSON.stringify(sel)} is the Deny statement`);

    const implicit = await vscode.commands.executeCommand<AuthzResult>('iotPolicy.testAuthorization', {
      action: 'iot:Connect',
      clientId: 'sensor-1',
    });
    assert.strictEqual(implicit?.decision, 'ImplicitDeny');
    assert.strictEqual(implicit.deciding, undefined);
    assert.ok(implicit.notes.some((n) => n.includes('iot:Connection.Thing.ThingName')), implicit.notes.join('\n'));
  });

  test('a policy test file: a failing case gets a diagnostic naming the deciding statement; the Run lens runs the cases', async () => {
    const editor = await openFixture('authz/device.iot-policy-test.json');
    const uri = editor.document.uri;
    const ds = await waitForDiagnostics(uri, (x) => x.some((d) => codeOf(d) === 'policy-test-failed'), 15000, 'policy-test-failed');
    const failed = ds.filter((d) => codeOf(d) === 'policy-test-failed');
    assert.strictEqual(failed.length, 1, failed.map((d) => d.message).join('\n'));
    const d = failed[0];
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /expected Deny, got Allow, decided by statement 2 \("PublishOwnTelemetry"\) \(Allow\) of device\.iot-policy\.json, line 15/);
    assert.strictEqual(editor.document.getText(d.range), '"Deny"', 'on the expect value of the failing case');
    const related = d.relatedInformation ?? [];
    assert.ok(
      related.some((x) => x.location.uri.toString() === fixtureUri('authz', 'device.iot-policy.json').toString() && x.location.range.start.line === 14),
      JSON.stringify(related),
    );

    const lenses = await codeLenses(uri, (l) => l.some((x) => x.command?.command === 'iotPolicy.runTestFile'));
    const run = lenses.find((x) => x.command?.command === 'iotPolicy.runTestFile');
    assert.ok(run?.command);
    assert.strictEqual(run.command.title, '▶ Run 3 cases');
    const result = await vscode.commands.executeCommand<RunResult>(run.command.command, ...(run.command.arguments ?? []));
    assert.ok(result, 'the run command returned no result');
    assert.deepStrictEqual([result.passed, result.failed], [2, 1]);
    assert.deepStrictEqual(result.cases.map((c) => c.passed), [true, true, false]);
    assert.ok(lenses.some((x) => /failed: expected Deny, got Allow/.test(x.command?.title ?? '')), JSON.stringify(lenses.map((x) => x.command?.title)));
  });

  test('New policy from template… opens a policy with no error or warning diagnostics', async function () {
    requireRule(this, 'invalid-version');
    const r = await vscode.commands.executeCommand<{ uri: string; template: string }>('iotPolicy.newPolicyFromTemplate', 'iot-policy-device');
    assert.ok(r, 'the command returned no result');
    const uri = vscode.Uri.parse(r.uri);
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.toString(), r.uri);
    const doc = editor.document;
    assert.strictEqual(doc.languageId, 'json');
    const policy = JSON.parse(doc.getText()) as { Version: string; Statement: unknown[] };
    assert.strictEqual(policy.Version, '2012-10-17');
    assert.ok(policy.Statement.length >= 2);
    // The server recognises it as a policy (its size lens), then has nothing to report at error/warning level.
    await codeLenses(uri, (l) => l.some((x) => /Policy size/.test(x.command?.title ?? '')));
    const probe = fixtureUri('bad-version.iot-policy.json');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(probe), { preview: false, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
    // The probe, opened after the new document, has its diagnostics: the new one's have arrived too.
    await waitForDiagnostics(probe, (x) => x.some((d) => codeOf(d) === 'invalid-version'), 15000, 'invalid-version on the probe policy');
    const bad = vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning);
    assert.deepStrictEqual(bad.map((d) => `${d.source}/${codeOf(d)}: ${d.message}`), []);
    // Leave no dirty untitled editor behind.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
