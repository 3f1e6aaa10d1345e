/**
 * The review panel: "IoT Policy: Show Effective Permissions" (the `explain` table of the active
 * policy), "IoT Policy: Compare with Git HEAD…" and "IoT Policy: Compare with File…" (the `diff`
 * table), in one webview beside the editor. The server computes the table (`iotPolicy/review`);
 * this module only reads what the server cannot (the HEAD version, through VS Code's built-in Git
 * extension) and renders it as HTML: a real table with a caption and column headers per action,
 * coloured with the theme's own variables, no script at all. It follows the document as it is
 * edited (debounced) and, in a document holding several policies, the policy at the cursor.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { Commands, ReviewRequest, type ReviewBase, type ReviewParams, type ReviewResult, type ReviewRow } from '../../shared/src/protocol';

/** What the panel shows, for tests and other extensions. */
export interface ReviewRender {
  params: ReviewParams;
  result: ReviewResult;
  html: string;
}

const UPDATE_DELAY_MS = 250;

// ---- the Git extension's API (the part used here; vscode.git, API version 1) ---------------------

interface GitRepository {
  rootUri: vscode.Uri;
  show(ref: string, path: string): Promise<string>;
}
interface GitApi {
  getRepository(uri: vscode.Uri): GitRepository | null;
  openRepository?(root: vscode.Uri): Promise<GitRepository | null>;
}
interface GitExtension {
  enabled: boolean;
  getAPI(version: 1): GitApi;
}

async function gitApi(): Promise<GitApi> {
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!ext) throw new Error('the built-in Git extension is not available');
  const exports = ext.isActive ? ext.exports : await ext.activate();
  if (!exports.enabled) throw new Error('Git is disabled (git.enabled)');
  return exports.getAPI(1);
}

/** The folder holding `.git` above a file, found without running anything. */
async function repositoryRoot(file: vscode.Uri): Promise<vscode.Uri | undefined> {
  for (let dir = vscode.Uri.joinPath(file, '..'); ; ) {
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(dir, '.git'));
      return dir;
    } catch {
      const up = vscode.Uri.joinPath(dir, '..');
      if (up.path === dir.path) return undefined;
      dir = up;
    }
  }
}

/** The file as it is at HEAD; `missing` when HEAD has no such file (it was added since). */
async function headVersion(file: vscode.Uri): Promise<{ text?: string; missing?: boolean }> {
  if (file.scheme !== 'file') throw new Error('only a file on disk has a Git HEAD version');
  const api = await gitApi();
  let repo = api.getRepository(file);
  if (!repo && api.openRepository) {
    const root = await repositoryRoot(file);
    if (root) repo = await api.openRepository(root);
  }
  if (!repo) throw new Error(`${vscode.workspace.asRelativePath(file)} is not in a Git repository that VS Code has open (see the Source Control view)`);
  try {
    return { text: await repo.show('HEAD', file.fsPath) };
  } catch (err) {
    const text = String((err as { stderr?: string }).stderr ?? (err instanceof Error ? err.message : err));
    if (/exists on disk, but not in|does not exist in|path .* does not exist|invalid object name/i.test(text)) return { missing: true };
    throw new Error(`git could not read HEAD: ${text.trim().split('\n').pop()}`);
  }
}

// ---- HTML ----------------------------------------------------------------------------------------

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Escaped text with its `backtick` spans as code. */
function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function list(items: readonly string[], code = false): string {
  if (!items.length) return '<span class="none">—</span>';
  return items.map((i) => `<div>${code ? `<code>${escapeHtml(i)}</code>` : inline(i)}</div>`).join('');
}

const CHANGE: Record<ReviewRow['change'], { mark: string; words: string; cls: string }> = {
  'newly-allowed': { mark: '+', words: 'newly allowed', cls: 'added' },
  'no-longer-allowed': { mark: '−', words: 'no longer allowed', cls: 'removed' },
  allowed: { mark: '✓', words: 'allowed', cls: 'allowed' },
};

function rowHtml(row: ReviewRow, kind: ReviewResult['kind']): string {
  const c = CHANGE[row.change];
  const may = row.certainty === 'may' ? `<div class="may"><strong>may</strong>: ${inline(row.reason ?? 'the engine could not decide exactly')}</div>` : '';
  const w = row.witness;
  const witness = w
    ? `<div><code>${escapeHtml(w.resource)}</code></div><div><code>${escapeHtml(w.context)}</code></div><div>${escapeHtml(w.decisions)}</div>`
    : '<span class="none">—</span>';
  const notes = row.notes.length ? `<div class="notes">${row.notes.map(inline).join('<br>')}</div>` : '';
  const change = kind === 'diff' ? `<td class="${c.cls}"><span aria-hidden="true">${c.mark} </span>${c.words}${may}</td>` : '';
  return [
    '<tr>',
    change,
    `<td><code>${escapeHtml(row.resource)}</code><div class="summary">${inline(row.summary)}</div>${kind === 'explain' ? may : ''}${notes}</td>`,
    `<td>${list(row.when, true)}</td>`,
    `<td>${list(row.except)}</td>`,
    `<td>${escapeHtml(row.from.label)}</td>`,
    `<td>${witness}</td>`,
    '</tr>',
  ].join('');
}

const STYLE = `
  body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 1em 1em; }
  h1 { font-size: 1.3em; font-weight: 600; }
  table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1.5em; }
  caption { text-align: left; font-weight: 600; padding: 0.3em 0; }
  th, td { border: 1px solid var(--vscode-contrastBorder, var(--vscode-panel-border, rgba(128,128,128,0.35))); padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
  th { background: var(--vscode-keybindingTable-headerBackground, transparent); font-weight: 600; }
  code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); color: var(--vscode-textPreformat-foreground); padding: 0 0.2em; word-break: break-all; }
  .summary { margin-top: 0.3em; }
  .none { color: var(--vscode-descriptionForeground); }
  .added { color: var(--vscode-gitDecoration-addedResourceForeground, var(--vscode-foreground)); font-weight: 600; }
  .removed { color: var(--vscode-gitDecoration-deletedResourceForeground, var(--vscode-foreground)); font-weight: 600; }
  .may, .problem { color: var(--vscode-editorWarning-foreground, var(--vscode-foreground)); }
  .notes, .sides { color: var(--vscode-descriptionForeground); }
  a { color: var(--vscode-textLink-foreground); }
  @media (forced-colors: active) { th, td { border-color: CanvasText; } }
`;

/** The page for a result: no script, styles under a nonce. */
function reviewHtml(result: ReviewResult, heading: string, cspSource: string): string {
  const nonce = Array.from({ length: 16 }, () => Math.floor(Math.random() * 36).toString(36)).join('');
  const diff = result.kind === 'diff';
  const headers = [...(diff ? ['Change'] : []), 'Resource', 'When', 'Except', 'From', diff ? 'Witness' : 'Example request'];
  const body: string[] = [`<h1>${escapeHtml(heading)}</h1>`];
  if (result.sides.length) body.push(`<p class="sides">${result.sides.map((s) => `<strong>${escapeHtml(s.label)}</strong>: ${escapeHtml(s.names.join(', ') || '(no policy)')}`).join(' · ')}</p>`);
  if (result.policies.length > 1) body.push(`<p class="sides">This document holds ${result.policies.length} policies; shown: <strong>${escapeHtml(result.policy ?? '')}</strong> (move the cursor into another to see it).</p>`);
  body.push(`<p role="status" class="${result.problem ? 'problem' : ''}">${inline(result.summary)}</p>`);
  for (const section of result.sections) {
    body.push(
      `<table><caption><code>${escapeHtml(section.action)}</code></caption>`,
      `<thead><tr>${headers.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>`,
      `<tbody>${section.rows.map((r) => rowHtml(r, result.kind)).join('')}</tbody></table>`,
    );
  }
  if (result.warnings.length) body.push('<h2>Warnings</h2>', `<ul>${result.warnings.map((w) => `<li>${inline(w)}</li>`).join('')}</ul>`);
  if (result.notes.length) body.push('<h2>Notes</h2>', `<ul>${result.notes.map((n) => `<li>${inline(n)}</li>`).join('')}</ul>`);
  return [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}';">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(heading)}</title>`,
    `<style nonce="${nonce}">${STYLE}</style></head>`,
    `<body><main>${body.join('\n')}</main></body></html>`,
  ].join('\n');
}

// ---- the panel -----------------------------------------------------------------------------------

interface Shown {
  params: ReviewParams;
  /** The document the panel follows. */
  document: vscode.TextDocument;
  /** How the base is named in the heading (`HEAD`, a file name). */
  against?: string;
}

export interface ReviewPanelApi {
  /** What the panel shows now, or undefined when it is closed. */
  current(): ReviewRender | undefined;
  /** Fires after each render. */
  onDidRender: vscode.Event<ReviewRender>;
}

export function registerReviewPanel(context: vscode.ExtensionContext, getClient: () => BaseLanguageClient | undefined): ReviewPanelApi {
  let panel: vscode.WebviewPanel | undefined;
  let shown: Shown | undefined;
  let last: ReviewRender | undefined;
  let timer: NodeJS.Timeout | undefined;
  let generation = 0;
  const rendered = new vscode.EventEmitter<ReviewRender>();

  function server(): BaseLanguageClient {
    const client = getClient();
    if (!client) throw new Error('The IoT policy language server is not running.');
    return client;
  }

  function heading(s: Shown, result: ReviewResult): string {
    const name = vscode.workspace.asRelativePath(s.document.uri);
    return result.kind === 'diff' ? `Access changes: ${name} compared with ${s.against ?? 'base'}` : `Effective permissions: ${name}`;
  }

  async function render(s: Shown): Promise<ReviewRender | undefined> {
    const mine = ++generation;
    const client = server();
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === s.document);
    const offset = editor ? s.document.offsetAt(editor.selection.active) : undefined;
    const params: ReviewParams = { ...s.params, uri: s.document.uri.toString(), ...(offset !== undefined ? { offset } : {}) };
    const result = await client.sendRequest(ReviewRequest.type, params);
    // A newer request (a later edit) is on its way: this answer is stale.
    if (mine !== generation || shown !== s) return undefined;
    const title = result.kind === 'diff' ? `Access Changes: ${baseLabel(s.document.uri)}` : `Effective Permissions: ${baseLabel(s.document.uri)}`;
    if (!panel) {
      panel = vscode.window.createWebviewPanel('iotPolicy.review', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false, enableFindWidget: true });
      panel.onDidDispose(() => {
        panel = undefined;
        shown = undefined;
        last = undefined;
      });
    }
    panel.title = title;
    const html = reviewHtml(result, heading(s, result), panel.webview.cspSource);
    panel.webview.html = html;
    last = { params, result, html };
    rendered.fire(last);
    return last;
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (shown) render(shown).catch((err) => void vscode.window.showErrorMessage(`IoT policy review: ${errorText(err)}`));
    }, UPDATE_DELAY_MS);
  }

  async function open(document: vscode.TextDocument, params: Omit<ReviewParams, 'uri'>, against?: string): Promise<ReviewRender | undefined> {
    // An update still pending for what was shown before would render after this and make this
    // answer stale (the command would then return nothing): this render replaces it.
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    shown = { document, params: { ...params, uri: document.uri.toString() }, ...(against ? { against } : {}) };
    const r = await render(shown);
    panel?.reveal(vscode.ViewColumn.Beside, true);
    return r;
  }

  function activeDocument(arg: unknown): Thenable<vscode.TextDocument> | vscode.TextDocument {
    if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc) throw new Error('open a policy (a policy file, template, Terraform file or CDK stack) first');
    return doc;
  }

  async function run<T>(what: () => Promise<T>): Promise<T | undefined> {
    try {
      return await what();
    } catch (err) {
      void vscode.window.showErrorMessage(`IoT policy review: ${errorText(err)}`);
      return undefined;
    }
  }

  context.subscriptions.push(
    rendered,
    { dispose: () => timer && clearTimeout(timer) },
    vscode.commands.registerCommand(Commands.showEffectivePermissions, (arg?: unknown) => run(async () => open(await activeDocument(arg), { kind: 'explain' }))),
    vscode.commands.registerCommand(Commands.compareWithGitHead, (arg?: unknown) => run(async () => {
      const document = await activeDocument(arg);
      const head = await headVersion(document.uri);
      const base: ReviewBase = { uri: document.uri.toString(), label: `${baseLabel(document.uri)} @ HEAD`, ...(head.missing ? { missing: true } : { text: head.text ?? '' }) };
      if (head.missing) void vscode.window.showInformationMessage(`${baseLabel(document.uri)} is not in HEAD: everything it allows is new.`);
      return open(document, { kind: 'diff', base }, 'HEAD');
    })),
    vscode.commands.registerCommand(Commands.compareWithFile, (arg?: unknown, fileArg?: unknown) => run(async () => {
      const document = await activeDocument(arg);
      let file = fileArg instanceof vscode.Uri ? fileArg : undefined;
      if (!file) {
        const picked = await vscode.window.showOpenDialog({ title: 'Compare the policy with…', canSelectMany: false, openLabel: 'Compare', defaultUri: vscode.Uri.joinPath(document.uri, '..') });
        file = picked?.[0];
      }
      if (!file) return undefined;
      // Read through VS Code: an open, edited file counts as it is; any file system works.
      const open_ = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file!.toString());
      const text = open_ ? open_.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      const base: ReviewBase = { uri: file.toString(), label: baseLabel(file), text };
      return open(document, { kind: 'diff', base }, baseLabel(file));
    })),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (shown && e.document === shown.document && e.contentChanges.length) schedule();
    }),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      // Only a document holding several policies shows the one at the cursor.
      if (shown && e.textEditor.document === shown.document && (last?.result.policies.length ?? 0) > 1) schedule();
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (shown && d === shown.document) panel?.dispose();
    }),
  );

  return { current: () => last, onDidRender: rendered.event };
}

function baseLabel(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
