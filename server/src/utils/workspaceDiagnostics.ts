/**
 * Workspace diagnostics (`workspace/diagnostic`, LSP 3.17): the findings of every policy-bearing
 * file of the workspace folders that is not open, so that the Problems panel shows an `iot:*` on
 * `*` in a template nobody has opened. Open documents are left to the document pull, which wins
 * over a workspace report in the client anyway: a file is analysed once, never reported twice.
 *
 * How it answers:
 * - Each reported file gets a result id: the server session, the generation of the settings and
 *   configuration, and a hash of the text. A file the client already holds (its
 *   `previousResultIds`) that has not changed since gets an `unchanged` report, without being read
 *   again when the client tells the server about file changes (watchers), else read and hashed
 *   but not analysed again. A file that was reported and no longer holds a policy, was deleted or
 *   is now ignored gets an empty `full` report, which clears it.
 * - VS Code's client asks again two seconds after every answer, for as long as the server runs.
 *   Answering "nothing changed" at once would make it list and check the workspace every two
 *   seconds; instead, when nothing is new, the request is held open (long polling) until a file,
 *   a setting or the configuration changes, and then answered. It is held only for a client that
 *   reports file changes and streams partial results; any other client is answered at once, and
 *   asked to pull again (`workspace/diagnostic/refresh`) when a file changes.
 * - Reports stream as partial results (`partialResultToken`) as files are analysed; work-done
 *   progress is reported when the client sends a token; cancellation is checked between files.
 * - Bounded: at most MAX_FILES candidate files, MAX_READ_BYTES read per answer (the rest is
 *   read on the next request), files read a few at a time and the message loop given a turn
 *   between files (a long analysis never holds hover or completion for long).
 */
import {
  CancellationToken,
  Connection,
  Diagnostic,
  DocumentDiagnosticReportKind,
  FileChangeType,
  ResponseError,
  LSPErrorCodes,
  TextDocuments,
  type DiagnosticServerCancellationData,
  type FileEvent,
  type WorkspaceDocumentDiagnosticReport,
  type WorkspaceDiagnosticReport,
  type WorkspaceDiagnosticReportPartialResult,
  type ResultProgressReporter,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { inSkippedDir, isCandidatePath } from '../service';
import { nextLoopTurn, type Logger } from './runner';
import type { WorkspaceFiles } from './workspaceFiles';

/** Candidate files checked over all workspace folders; past it the rest are left out (and logged). */
export const MAX_WORKSPACE_FILES = 5000;
/** Bytes read for one answer; the files left are read for the next one (the client asks again). */
const MAX_READ_BYTES = 64 * 1024 * 1024;
/** Files read at once: enough to hide the latency of reads through the client. */
const READ_CONCURRENCY = 8;
/** The longest stretch of analysis between two turns of the message loop. */
const SLICE_MS = 20;
/** Changes that come within this time of each other wake a held request once (a checkout, a save-all). */
const WAKE_DELAY_MS = 100;
/** Reports sent in one partial result. */
const PARTIAL_BATCH = 50;

export interface WorkspaceDiagnosticsHost {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  logger: Logger;
  files: WorkspaceFiles;
  /** The workspace folder URIs (no trailing slash). */
  folders(): readonly string[];
  /** False when the user turned workspace diagnostics off (`iotPolicy.diagnostics.workspace`). */
  enabled(): boolean;
  /** Settles once the initial settings and configuration files are read. */
  ready(): Promise<void>;
  /** True for a path the folder's configuration ignores (`/`-separated, relative to `folder`). */
  ignored(folder: string, relPath: string, isDir: boolean): boolean;
  /** The diagnostics of a file that is not open, or undefined when it holds no policy. */
  analyze(uri: string, text: string): Promise<Diagnostic[] | undefined>;
  /** True when the client reports file changes to the server (its watchers are registered). */
  watching(): boolean;
  /** Asks the client to pull again (`workspace/diagnostic/refresh`), when it supports it. */
  refresh(): void;
}

export interface WorkspaceDiagnostics {
  /** The settings, the configuration, trust or the folders changed: every result is stale. */
  invalidateAll(): void;
  /** `workspace/didChangeWatchedFiles`. */
  filesChanged(changes: readonly FileEvent[]): void;
  /** An open document closed: the file on disk is reported again (its unsaved text may differ). */
  documentClosed(uri: string): void;
  dispose(): void;
}

/** What the server knows of a listed file. */
interface FileState {
  /** The settings generation the rest was computed in. */
  generation: number;
  /** Changed since it was read (a watcher said so). */
  dirty: boolean;
  /** The result id of its report; undefined when it holds no policy. */
  resultId?: string;
  /** Report it in full next time, whatever the client holds (it was open: the client may show its unsaved text). */
  forceFull: boolean;
}

/** 53 bits of two FNV-1a variants over UTF-16 code units, and the length: text that changed gets a new result id. */
function hashText(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return `${text.length.toString(36)}.${(a >>> 0).toString(36)}${((b >>> 0) & 0x1fffff).toString(36)}`;
}

/** A comparable form of a URI (VS Code and Node encode paths differently). */
function uriKey(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

/** The answer to a cancelled request: a client that still wants the results asks again. */
function cancelled(): ResponseError<DiagnosticServerCancellationData> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled', { retriggerRequest: true });
}

/** The previous result ids a client sent, by uri; anything malformed is dropped. */
function previousIds(params: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const list = (params as { previousResultIds?: unknown } | null)?.previousResultIds;
  if (!Array.isArray(list)) return out;
  for (const p of list as unknown[]) {
    const { uri, value } = (p ?? {}) as { uri?: unknown; value?: unknown };
    if (typeof uri === 'string' && typeof value === 'string') out.set(uri, value);
  }
  return out;
}

export function registerWorkspaceDiagnostics(host: WorkspaceDiagnosticsHost): WorkspaceDiagnostics {
  const { connection, documents, logger } = host;
  /** Result ids of another server session never match. */
  const session = Math.floor(Math.random() * 0x7fffffff).toString(36);
  let generation = 0;
  const states = new Map<string, FileState>();
  /** The candidate files of the folders, until a file is created or deleted or the configuration changes. */
  let listing: { generation: number; uris: { uri: string; folder: string }[] } | undefined;
  /** Held requests wait on this; resolved (after WAKE_DELAY_MS) by the next change. */
  let wake: { promise: Promise<void>; resolve: () => void } | undefined;
  let wakeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Requests being held: a change then answers them, no refresh needed. */
  let held = 0;
  /** The last request could be held: its client comes back by itself (VS Code's does, two seconds after each answer). */
  let clientPolls = false;
  let truncatedLogged = false;
  let disposed = false;

  const changed = (): Promise<void> => {
    wake ??= (() => {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    })();
    return wake.promise;
  };

  /**
   * Something changed: wakes held requests. A file change also asks a client that does not come
   * back by itself to pull again (a settings change does that for every document already).
   */
  const signal = (refreshIfIdle: boolean): void => {
    if (held === 0 && !clientPolls) {
      if (refreshIfIdle) host.refresh();
      return;
    }
    if (wakeTimer !== undefined) return;
    wakeTimer = setTimeout(() => {
      wakeTimer = undefined;
      const w = wake;
      wake = undefined;
      w?.resolve();
    }, WAKE_DELAY_MS);
  };

  async function list(token: CancellationToken): Promise<{ uri: string; folder: string }[]> {
    if (listing && listing.generation === generation && host.watching()) return listing.uris;
    const uris: { uri: string; folder: string }[] = [];
    const seen = new Set<string>();
    // Nested folders: a file is listed under the innermost folder that holds it.
    const folders = [...host.folders()].sort((a, b) => b.length - a.length);
    for (const folder of folders) {
      if (uris.length >= MAX_WORKSPACE_FILES || token.isCancellationRequested) break;
      let found: string[] = [];
      try {
        found = await host.files.list(folder, {
          max: MAX_WORKSPACE_FILES - uris.length,
          ignored: (rel, isDir) => host.ignored(folder, rel, isDir),
          cancelled: () => token.isCancellationRequested,
        });
      } catch (err) {
        logger.error(`Workspace diagnostics: could not list ${folder}: ${err instanceof Error ? err.message : String(err)}`);
      }
      for (const uri of found) {
        const key = uriKey(uri);
        if (seen.has(key)) continue;
        seen.add(key);
        uris.push({ uri, folder });
      }
    }
    if (uris.length >= MAX_WORKSPACE_FILES && !truncatedLogged) {
      truncatedLogged = true;
      logger.error(
        `Workspace diagnostics: the workspace has more than ${MAX_WORKSPACE_FILES} files that may hold policies; ` +
          'only the first are checked. Leave folders out with .iot-policyignore or the "ignore" of iot-policy.config.json, ' +
          'or turn iotPolicy.diagnostics.workspace off.',
      );
    }
    if (!token.isCancellationRequested) {
      listing = { generation, uris };
      // Files no longer listed are forgotten (a client that still shows one has it cleared).
      const listed = new Set(uris.map((f) => f.uri));
      for (const uri of states.keys()) if (!listed.has(uri)) states.delete(uri);
    }
    return uris;
  }

  /** One pass over the workspace: the reports the client needs, and whether any of them is new to it. */
  async function scan(
    previous: ReadonlyMap<string, string>,
    token: CancellationToken,
    progress: WorkDoneProgressReporter,
    stream: ((items: WorkspaceDocumentDiagnosticReport[]) => void) | undefined,
  ): Promise<{ items: WorkspaceDocumentDiagnosticReport[]; fresh: boolean; more: boolean }> {
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    const batch: WorkspaceDocumentDiagnosticReport[] = [];
    let fresh = false;
    const full = (uri: string, diagnostics: Diagnostic[], resultId?: string) => {
      const report: WorkspaceDocumentDiagnosticReport = { kind: DocumentDiagnosticReportKind.Full, uri, version: null, items: diagnostics, ...(resultId ? { resultId } : {}) };
      fresh = true;
      if (stream) {
        batch.push(report);
        if (batch.length >= PARTIAL_BATCH) stream(batch.splice(0));
      } else items.push(report);
    };
    const unchanged = (uri: string, resultId: string) => items.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri, version: null, resultId });

    const open = new Set(documents.all().map((d) => uriKey(d.uri)));
    /** Files that hold a policy now (reported), and files listed but not read in this answer (the next one says). */
    const reported = new Set<string>();
    const unread = new Set<string>();
    if (host.enabled()) {
      const files = await list(token);
      const toCheck: { uri: string; folder: string; state?: FileState }[] = [];
      for (const f of files) {
        if (open.has(uriKey(f.uri))) continue;
        const state = states.get(f.uri);
        // Read in this generation and unchanged since (the watchers would have said): known without reading.
        if (state && !state.dirty && !state.forceFull && state.generation === generation && host.watching()) {
          if (state.resultId === undefined) continue; // holds no policy
          if (previous.get(f.uri) === state.resultId) {
            reported.add(f.uri);
            unchanged(f.uri, state.resultId);
            continue;
          }
        }
        toCheck.push({ ...f, state });
        unread.add(f.uri);
      }
      let done = 0;
      let bytes = 0;
      let sliceStart = Date.now();
      let next = 0;
      const worker = async () => {
        while (next < toCheck.length && !token.isCancellationRequested && bytes <= MAX_READ_BYTES) {
          const f = toCheck[next++];
          const text = await host.files.read(f.uri, f.folder);
          unread.delete(f.uri);
          bytes += text?.length ?? 0;
          const hash = text === undefined ? undefined : hashText(text);
          const resultId = hash === undefined ? undefined : `${session}:${generation}:${hash}`;
          let diagnostics: Diagnostic[] | undefined;
          if (text !== undefined && resultId === previous.get(f.uri) && !f.state?.forceFull) {
            // The client holds the result of this very text in this generation: no analysis.
            states.set(f.uri, { generation, dirty: false, resultId, forceFull: false });
            reported.add(f.uri);
            unchanged(f.uri, resultId!);
          } else if (text !== undefined && (diagnostics = await analyzeText(f.uri, text)) !== undefined) {
            states.set(f.uri, { generation, dirty: false, resultId, forceFull: false });
            reported.add(f.uri);
            full(f.uri, diagnostics, resultId);
          } else {
            // No policy, or unreadable: not read again until it changes.
            states.set(f.uri, { generation, dirty: false, forceFull: false });
          }
          done++;
          if (Date.now() - sliceStart > SLICE_MS) {
            progress.report(Math.round((done * 100) / toCheck.length), `${done} of ${toCheck.length} files`);
            await nextLoopTurn();
            sliceStart = Date.now();
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, toCheck.length) }, worker));
    }
    // What the client holds and the server no longer reports (deleted, ignored, no policy any
    // more, turned off) is cleared; open documents are the document pull's.
    if (!token.isCancellationRequested) {
      for (const uri of previous.keys()) {
        if (reported.has(uri) || unread.has(uri) || open.has(uriKey(uri))) continue;
        full(uri, []);
      }
    }
    if (stream && batch.length) stream(batch.splice(0));
    return { items, fresh, more: unread.size > 0 };
  }

  async function analyzeText(uri: string, text: string): Promise<Diagnostic[] | undefined> {
    try {
      return await host.analyze(uri, text);
    } catch (err) {
      logger.error(`Workspace diagnostics: ${uri} could not be analysed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return undefined;
    }
  }

  const handler = connection.languages.diagnostics.onWorkspace(async (params, token, workDone, resultProgress) => {
    try {
      const previous = previousIds(params);
      // The library hands over a reporter when the client sent a partialResultToken.
      const partial = resultProgress as ResultProgressReporter<WorkspaceDiagnosticReportPartialResult> | undefined;
      const streaming = partial !== undefined;
      const stream = partial ? (items: WorkspaceDocumentDiagnosticReport[]) => partial.report({ items }) : undefined;
      // Held only where a change is sure to be heard (watchers) and the client is built for a long
      // request (it streams); an on-demand request is answered at once.
      const canHold = () => streaming && host.watching();
      clientPolls = canHold();
      workDone.begin('IoT policies', 0, 'Checking workspace files', true);
      for (;;) {
        // The settings and configuration files as they are now (a change may be being read).
        await host.ready();
        if (token.isCancellationRequested || disposed) return cancelled();
        const next = changed();
        const { items, fresh, more } = await scan(previous, token, workDone, stream);
        if (token.isCancellationRequested) return cancelled();
        if (fresh || more || !canHold()) {
          if (stream) {
            if (items.length) stream(items);
            return { items: [] } satisfies WorkspaceDiagnosticReport;
          }
          return { items } satisfies WorkspaceDiagnosticReport;
        }
        workDone.report('Waiting for changes');
        // Nothing new: hold the request until something changes (or the client gives up on it).
        held++;
        try {
          await new Promise<void>((resolve) => {
            const sub = token.onCancellationRequested(() => resolve());
            void next.then(() => {
              sub.dispose();
              resolve();
            });
          });
        } finally {
          held--;
        }
      }
    } catch (err) {
      logger.error(`Workspace diagnostics failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return { items: [] } satisfies WorkspaceDiagnosticReport;
    } finally {
      workDone.done();
    }
  });

  return {
    invalidateAll() {
      generation++;
      listing = undefined;
      signal(false);
    },
    filesChanged(changes) {
      let relevant = false;
      for (const c of changes) {
        if (typeof c?.uri !== 'string') continue;
        const path = c.uri.replace(/[?#].*$/, '');
        if (inSkippedDir(path)) continue;
        const candidate = isCandidatePath(path);
        if (candidate) {
          const state = states.get(c.uri);
          if (state) state.dirty = true;
          if (c.type !== FileChangeType.Changed) listing = undefined;
          // A save of an open document: the document pull has it already.
          if (!documents.get(c.uri)) relevant = true;
        } else if (c.type === FileChangeType.Deleted) {
          // Perhaps a folder: its files are gone with it (watchers report the folder only).
          const prefix = c.uri + '/';
          for (const uri of states.keys()) {
            if (uri.startsWith(prefix)) {
              listing = undefined;
              relevant = true;
              break;
            }
          }
        } else if (c.type === FileChangeType.Created && !/\.[^/.]+$/.test(path)) {
          // Perhaps a folder moved in, with files in it.
          listing = undefined;
          relevant = true;
        }
      }
      if (relevant) signal(true);
    },
    documentClosed(uri) {
      const state = states.get(uri);
      if (state) state.forceFull = true;
      else if (!isCandidatePath(uri.replace(/[?#].*$/, ''))) return;
      signal(true);
    },
    dispose() {
      disposed = true;
      handler.dispose();
      if (wakeTimer !== undefined) clearTimeout(wakeTimer);
      wake?.resolve();
      wake = undefined;
    },
  };
}
