/** Helpers for end-to-end tests running inside the VS Code extension host. */
import * as assert from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'iot-policy-tools.iot-policy-language';
export const SOURCE = 'iot-policy';

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  await ext.activate();
  return ext;
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri;
}

export function fixtureUri(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...segments);
}

/** Opens a fixture (or untitled content) and shows it: pull diagnostics are only asked for visible documents. */
export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(name));
  return vscode.window.showTextDocument(doc, { preview: false });
}

export async function openUntitled(content: string, language = 'json'): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language, content });
  return vscode.window.showTextDocument(doc, { preview: false });
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  if (c === undefined) return '';
  return typeof c === 'object' ? String(c.value) : String(c);
}

/**
 * Resolves with our diagnostics for `uri` once `predicate` holds; rejects after `timeoutMs`.
 * Event driven: re-checks on every `onDidChangeDiagnostics` for the uri. No sleeps.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  timeoutMs = 15000,
  what = 'the expected diagnostics',
): Promise<vscode.Diagnostic[]> {
  const now = ours(uri);
  if (predicate(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      const got = ours(uri).map((d) => `${codeOf(d)}@${d.range.start.line}:${d.range.start.character}`);
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what} on ${path.basename(uri.path)}; have [${got.join(', ')}]`));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const d = ours(uri);
      if (predicate(d)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(d);
      }
    });
  });
}

/**
 * Proves that a document gets no diagnostics from us: waits until the server has certainly
 * handled the document (a request for it answered) and diagnostics for a policy opened after it
 * arrived, then checks this one still has none.
 */
export async function expectNoDiagnosticsAfter(uri: vscode.Uri, probe: vscode.Uri, probeCode: string): Promise<void> {
  await waitForDiagnostics(probe, (d) => d.some((x) => codeOf(x) === probeCode), 15000, `${probeCode} on the probe policy`);
  assert.deepStrictEqual(ours(uri).map(codeOf), [], `expected no ${SOURCE} diagnostics on ${path.basename(uri.path)}`);
}

export async function replaceAll(editor: vscode.TextEditor, text: string): Promise<void> {
  const doc = editor.document;
  const ok = await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text));
  assert.ok(ok, 'edit was not applied');
}

export async function replaceText(editor: vscode.TextEditor, search: string, replacement: string): Promise<void> {
  const doc = editor.document;
  const at = doc.getText().indexOf(search);
  assert.ok(at >= 0, `"${search}" not found in ${path.basename(doc.uri.path)}`);
  const ok = await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + search.length)), replacement));
  assert.ok(ok, 'edit was not applied');
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Rule ids the bundled server knows (read from the compiled service library). Tests that need a
 * rule which is not written yet are skipped, with the reason, instead of failing the build.
 */
export function ruleExists(id: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const service = require('../../server/src/service') as { RULE_IDS: ReadonlySet<string> };
  return service.RULE_IDS.has(id);
}

export function requireRule(ctx: Mocha.Context, id: string): void {
  if (!ruleExists(id)) {
    console.log(`  (skipped: rule ${id} is not implemented yet)`);
    ctx.skip();
  }
}
