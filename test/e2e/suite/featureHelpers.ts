/**
 * Helpers for the editor-feature suites (hover, completion, quick fixes, snippets, outline).
 * Everything waits on events with a deadline; the only polling (code actions, symbols, lenses)
 * re-asks the provider on each diagnostics change or every 250 ms, until a deadline.
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { codeOf, ours, waitForDiagnostics } from '../helpers';

export const ARN = 'arn:aws:iot:eu-west-1:493812760155';
export const THING = '${iot:Connection.Thing.ThingName}';
export const CONNECT = {
  Effect: 'Allow',
  Action: 'iot:Connect',
  Resource: `${ARN}:client/${THING}`,
  Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
};

/** A policy as a user would write it: 2-space JSON (`version: null` leaves Version out). */
export function policy(statements: unknown, version: string | null = '2012-10-17'): string {
  return JSON.stringify(version === null ? { Statement: statements } : { Version: version, Statement: statements }, null, 2) + '\n';
}

let untitledCount = 0;

/**
 * Opens `text` as an untitled json document (recognised as a policy by its content). Each one gets
 * a name of its own: VS Code reuses `Untitled-1` right after the previous one is closed, and a
 * close and an open of the same URI in quick succession can reach the server out of order.
 */
export async function openPolicy(text: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.from({ scheme: 'untitled', path: `/e2e-policy-${Date.now()}-${++untitledCount}.json` });
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  if (doc.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(doc, 'json');
  const ok = await editor.edit((b) => b.insert(new vscode.Position(0, 0), text));
  assert.ok(ok, 'could not write the policy into the untitled document');
  return vscode.window.activeTextEditor ?? editor;
}

/** Closes every editor without saving: fixture files keep their content on disk, untitled ones are dropped. */
export async function closeAllWithoutSaving(): Promise<void> {
  const open = () => vscode.window.tabGroups.all.reduce((n, g) => n + g.tabs.length, 0);
  for (let i = 0; i < 60 && open() > 0; i++) {
    const before = open();
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    if (open() === before) break;
  }
  if (open() > 0) await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Resolves on the next `event` (diagnostics change by default) or after `ms`, whichever comes first. */
export function nextTick(ms = 250, event: vscode.Event<unknown> = vscode.languages.onDidChangeDiagnostics): Promise<void> {
  return new Promise<void>((resolve) => {
    const sub = event(() => {
      sub.dispose();
      clearTimeout(t);
      resolve();
    });
    const t = setTimeout(() => {
      sub.dispose();
      resolve();
    }, ms);
  });
}

/** Re-asks `ask` until `predicate` holds (on each diagnostics change, at least every 250 ms), with a deadline. */
export async function askUntil<T>(ask: () => Thenable<T>, predicate: (v: T) => boolean, what: string, timeoutMs = 15000, show: (v: T) => string = (v) => JSON.stringify(v)): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await ask();
  while (!predicate(last)) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last answer ${show(last)}`);
    await nextTick();
    last = await ask();
  }
  return last;
}

/** The code actions at `range`; the first `resolve` of them resolved (`codeAction/resolve`), as the editor does when one is chosen. */
export function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string, resolve?: number): Thenable<vscode.CodeAction[]> {
  return vscode.commands
    .executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, kind, resolve)
    .then((xs) => (xs ?? []).filter((x): x is vscode.CodeAction => !('command' in x && typeof x.command === 'string')));
}

export interface FixOptions {
  /** The diagnostic whose range covers exactly this text (default: the first one of the rule). */
  at?: string;
  /** Pick the action by title (default: the preferred one, or the only one). */
  title?: RegExp;
  /** How many diagnostics of the rule are left after the fix (default 0). */
  remaining?: number;
}

export interface FixResult {
  action: vscode.CodeAction;
  diagnostic: vscode.Diagnostic;
  text: string;
}

/**
 * What the user does with the light bulb: waits for the `ruleId` diagnostic, asks the code-action
 * provider for quick fixes at its range, applies the chosen one's WorkspaceEdit, then waits until
 * the diagnostic is gone and checks that the document is still JSON.
 */
export async function applyQuickFix(editor: vscode.TextEditor, ruleId: string, o: FixOptions = {}): Promise<FixResult> {
  const doc = editor.document;
  const uri = doc.uri;
  const pick = (ds: vscode.Diagnostic[]) => ds.filter((d) => codeOf(d) === ruleId && (o.at === undefined || doc.getText(d.range) === o.at));
  const ds = await waitForDiagnostics(uri, (x) => pick(x).length > 0, 15000, `${ruleId}${o.at !== undefined ? ` on ${JSON.stringify(o.at)}` : ''}`);
  const diagnostic = pick(ds)[0];
  const choose = (actions: vscode.CodeAction[]) => {
    // Actions the provider tied to this rule's diagnostic (an action without diagnostics is kept: it was asked for at this range).
    const mine = actions.filter((a) => !a.diagnostics?.length || a.diagnostics.some((d) => codeOf(d) === ruleId));
    if (o.title) return mine.find((a) => o.title!.test(a.title));
    return mine.find((a) => a.isPreferred) ?? (mine.length === 1 ? mine[0] : undefined);
  };
  const actions = await askUntil(
    () => codeActions(uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value),
    (xs) => choose(xs) !== undefined,
    `a quick fix ${o.title ? `matching ${o.title}` : '(preferred)'} for ${ruleId} on ${JSON.stringify(doc.getText(diagnostic.range))}`,
    10000,
    (xs) => JSON.stringify(xs.map((a) => a.title)),
  );
  const action = choose(actions)!;
  assert.ok(action.kind && vscode.CodeActionKind.QuickFix.contains(action.kind), `"${action.title}" is a quick fix (kind ${action.kind?.value})`);
  assert.ok(action.edit, `"${action.title}" has no edit`);
  const applied = await vscode.workspace.applyEdit(action.edit);
  assert.ok(applied, `the edit of "${action.title}" was not applied`);
  const remaining = o.remaining ?? 0;
  await waitForDiagnostics(uri, (x) => x.filter((d) => codeOf(d) === ruleId).length === remaining, 15000, `${ruleId} to clear after "${action.title}"`);
  const text = doc.getText();
  assertJson(text, `after "${action.title}"`);
  return { action, diagnostic, text };
}

export function assertJson(text: string, when: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    assert.fail(`the document is no longer valid JSON ${when}: ${String(err)}\n${text}`);
  }
}

/** Our diagnostics at error or warning level, as `rule: message @ text` lines. */
export function errorsAndWarnings(doc: vscode.TextDocument): string[] {
  return ours(doc.uri)
    .filter((d) => d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning)
    .map((d) => `${codeOf(d)}: ${d.message} @ ${JSON.stringify(doc.getText(d.range))}`);
}

/** The markdown/plain text of the hovers at `position`. */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<{ text: string; hovers: vscode.Hover[] }> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  const text = hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
  return { text, hovers };
}

/** The position `delta` characters into the first occurrence of `search` (after `after`, if given). */
export function positionOf(doc: vscode.TextDocument, search: string, delta = 1, after?: string): vscode.Position {
  const text = doc.getText();
  const from = after === undefined ? 0 : text.indexOf(after);
  assert.ok(from >= 0, `"${after}" not in the document`);
  const at = text.indexOf(search, from);
  assert.ok(at >= 0, `"${search}" not in the document`);
  return doc.positionAt(at + delta);
}

export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** Splits a `|` cursor marker out of `source`. */
export function withCursor(source: string): { text: string; offset: number } {
  const offset = source.indexOf('|');
  assert.ok(offset >= 0, 'no | cursor marker');
  return { text: source.slice(0, offset) + source.slice(offset + 1), offset };
}

export async function completions(uri: vscode.Uri, position: vscode.Position, trigger?: string): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position, trigger);
  return list?.items ?? [];
}

/** Applies a completion item the way accepting it does: its range (insert mode) replaced by its insertText. */
export async function applyCompletion(editor: vscode.TextEditor, item: vscode.CompletionItem, position: vscode.Position): Promise<string> {
  const doc = editor.document;
  const r = item.range;
  const range = r === undefined ? doc.getWordRangeAtPosition(position) ?? new vscode.Range(position, position) : r instanceof vscode.Range ? r : r.inserting;
  const insert = item.insertText ?? labelOf(item);
  if (insert instanceof vscode.SnippetString) {
    const ok = await editor.insertSnippet(insert, range);
    assert.ok(ok, `the snippet of "${labelOf(item)}" was not inserted`);
  } else {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, range, insert);
    assert.ok(await vscode.workspace.applyEdit(edit), `the completion "${labelOf(item)}" was not applied`);
  }
  for (const extra of item.additionalTextEdits ?? []) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, extra.range, extra.newText);
    await vscode.workspace.applyEdit(edit);
  }
  return doc.getText();
}
