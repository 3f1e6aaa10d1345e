/**
 * The files the client reads for the language server (requests of shared/src/protocol.ts). In a
 * browser the server runs in a Web Worker with no file system, and `vscode.workspace.fs` is the
 * only way to the workspace (a `vscode-vfs:` repository in github.dev) and to the extension's own
 * files. The Node server lists workspace files through here too, so that `files.exclude` holds.
 *
 * Only workspace files are read, never other schemes such as `http:` (a policy test file may
 * name any URI), and only the extension's own wasm files are served, by name.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  FindFilesRequest,
  ReadFileRequest,
  WasmFileRequest,
  type FindFilesParams,
  type ReadFileResult,
  type WasmFileResult,
} from '../../shared/src/protocol';

/** Larger files are refused: no policy, template or test file comes near it (the Node server's limit too). */
const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** The most files one listing returns. */
const MAX_FIND_RESULTS = 5000;
/** The wasm files shipped in `server/dist/wasm/`. */
const WASM_FILE = /^tree-sitter(-[a-z]+)?\.wasm$/;

function isWorkspaceFile(uri: vscode.Uri): boolean {
  return !!vscode.workspace.getWorkspaceFolder(uri);
}

async function readWorkspaceFile(raw: unknown, followLinks: unknown): Promise<ReadFileResult> {
  if (typeof raw !== 'string') return { problem: 'no uri' };
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(raw, true);
  } catch {
    return { problem: 'not a URI' };
  }
  if (!isWorkspaceFile(uri)) return { problem: 'outside the workspace' };
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (!(stat.type & vscode.FileType.File)) return { problem: 'not a file' };
    // Workspace diagnostics read the folder's own files only, never what a link points at.
    if (followLinks === false && stat.type & vscode.FileType.SymbolicLink) return { problem: 'a symbolic link' };
    if (stat.size > MAX_FILE_BYTES) return { problem: `larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB` };
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.byteLength > MAX_FILE_BYTES) return { problem: `larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB` };
    return { text: new TextDecoder().decode(bytes) };
  } catch (err) {
    return { problem: err instanceof vscode.FileSystemError ? err.code : 'not readable' };
  }
}

/** Brace groups expanded into at most this many globs each; a pattern with more is not used. */
const MAX_GLOB_VARIANTS = 64;

/** `a/{b,c}/d` → `a/b/d`, `a/c/d` (nested groups too); undefined past MAX_GLOB_VARIANTS. */
function expandBraces(glob: string): string[] | undefined {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === '{' && depth++ === 0) open = i;
    else if (glob[i] === '}' && depth > 0 && --depth === 0) {
      const alternatives: string[] = [];
      let d = 0;
      let from = open + 1;
      for (let j = open + 1; j < i; j++) {
        if (glob[j] === '{') d++;
        else if (glob[j] === '}') d--;
        else if (glob[j] === ',' && d === 0) {
          alternatives.push(glob.slice(from, j));
          from = j + 1;
        }
      }
      alternatives.push(glob.slice(from, i));
      const out: string[] = [];
      for (const a of alternatives) {
        const expanded = expandBraces(glob.slice(0, open) + a + glob.slice(i + 1));
        if (!expanded || out.length + expanded.length > MAX_GLOB_VARIANTS) return undefined;
        out.push(...expanded);
      }
      return out;
    }
  }
  return [glob];
}

/**
 * One exclude glob of the server's and of the folder's `files.exclude`: `findFiles` applies
 * `files.exclude` only when it is given no exclude of its own. One brace group of plain globs, as
 * the file search reads (it takes no nested groups).
 */
function excludeGlob(folder: vscode.WorkspaceFolder, own: string | undefined): string | undefined {
  const settings = vscode.workspace.getConfiguration('files', folder).get<Record<string, unknown>>('exclude') ?? {};
  // `true` only: a `{ "when": ... }` value depends on sibling files, which a glob cannot say.
  const patterns = [own, ...Object.keys(settings).filter((k) => settings[k] === true)]
    .filter((g): g is string => typeof g === 'string' && g.length > 0)
    .flatMap((g) => (expandBraces(g) ?? []).filter((x) => !/[,{}]/.test(x)));
  return patterns.length ? `{${[...new Set(patterns)].join(',')}}` : undefined;
}

async function findWorkspaceFiles(params: Partial<FindFilesParams> | null | undefined): Promise<string[]> {
  if (typeof params?.folder !== 'string' || typeof params.include !== 'string') return [];
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(params.folder, true));
  if (!folder) return [];
  const max = Math.max(0, Math.min(MAX_FIND_RESULTS, Number(params.maxResults) || 0));
  const exclude = excludeGlob(folder, typeof params.exclude === 'string' ? params.exclude : undefined);
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, params.include), exclude === undefined ? undefined : new vscode.RelativePattern(folder, exclude), max);
  return found.map((u) => u.toString());
}

/** Base64 without Node's Buffer (the browser extension host has none). */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

async function readWasmFile(context: vscode.ExtensionContext, file: unknown): Promise<WasmFileResult> {
  if (typeof file !== 'string' || !WASM_FILE.test(file)) throw new Error(`not one of the extension's wasm files: ${String(file)}`);
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'server', 'dist', 'wasm', file));
  return { base64: toBase64(bytes) };
}

export function registerServerFiles(context: vscode.ExtensionContext, client: BaseLanguageClient): void {
  context.subscriptions.push(
    client.onRequest(ReadFileRequest.type, (params) => {
      const p = params as { uri?: unknown; followLinks?: unknown } | null;
      return readWorkspaceFile(p?.uri, p?.followLinks);
    }),
    client.onRequest(FindFilesRequest.type, (params) => findWorkspaceFiles(params)),
    client.onRequest(WasmFileRequest.type, (params) => readWasmFile(context, (params as { file?: unknown } | null)?.file)),
  );
}
