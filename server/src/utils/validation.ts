/**
 * Diagnostics delivery. Pull (`textDocument/diagnostic`) when the client supports it, push
 * (`textDocument/publishDiagnostics`, throttled per document) otherwise. Stale results are dropped:
 * a push is only published if the document is still open at the version that was validated.
 */
import {
  CancellationToken,
  Connection,
  Diagnostic,
  DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  Disposable,
  type FullDocumentDiagnosticReport,
  ResponseError,
  TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { runSafeAsync, type Logger } from './runner';

export type Validator = (document: TextDocument) => Diagnostic[];

export interface DiagnosticsSupport extends Disposable {
  /** Re-validates every open document (after a settings or config file change). */
  requestRefresh(): void;
}

/** The cool-down after an analysis, in multiples of its duration (at most 20% of the time analysing). */
const COOL_DOWN_PER_ANALYSIS = 4;

/**
 * Push delivery, throttled per document: an edit to a document not analysed within its cool-down
 * (four times its last analysis, at most `delayMs`) is analysed at once, so a client without pull
 * diagnostics (Neovim, Helix) sees them as soon as they are computed. Edits that come during the
 * cool-down are coalesced into one analysis of the latest version at its end.
 */
export function registerDiagnosticsPushSupport(
  documents: TextDocuments<TextDocument>,
  connection: Connection,
  logger: Logger,
  validate: Validator,
  delayMs: number,
): DiagnosticsSupport {
  /** The scheduled analysis per uri, and when it is due. */
  const pending = new Map<string, { timer: ReturnType<typeof setTimeout>; due: number }>();
  /** When each document's last analysis ended, and how long it took. */
  const lastRun = new Map<string, { end: number; took: number }>();
  const published = new Set<string>();

  const cancel = (uri: string) => {
    const p = pending.get(uri);
    if (p) {
      clearTimeout(p.timer);
      pending.delete(uri);
    }
  };

  const publish = (uri: string, version: number | undefined, diagnostics: Diagnostic[]) => {
    if (diagnostics.length === 0 && !published.has(uri)) return; // nothing shown, nothing to clear
    if (diagnostics.length) published.add(uri);
    else published.delete(uri);
    void connection.sendDiagnostics({ uri, version, diagnostics }).catch((err: unknown) => logger.error(`sendDiagnostics failed: ${String(err)}`));
  };

  const run = (uri: string) => {
    pending.delete(uri);
    const current = documents.get(uri);
    if (!current) return; // closed meanwhile
    const version = current.version;
    const start = Date.now();
    let diagnostics: Diagnostic[] = [];
    try {
      diagnostics = validate(current);
    } catch (err) {
      logger.error(`Validation of ${uri} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    const end = Date.now();
    lastRun.set(uri, { end, took: end - start });
    // Drop the result if the document moved on or closed while we worked.
    const after = documents.get(uri);
    if (!after || after.version !== version) return;
    publish(uri, version, diagnostics);
  };

  /**
   * How long after an analysis the next one of the same document waits: a few times what the last
   * one took (so that typing in a large document leaves the server mostly free for completion and
   * hover), never more than `delayMs`. A small policy analysed in 2 ms is analysed again 8 ms later.
   */
  const coolDown = (took: number) => Math.min(delayMs, COOL_DOWN_PER_ANALYSIS * took);

  /** Schedules an analysis of `uri`: at once when it is idle, else at the end of its cool-down. */
  const schedule = (uri: string, now = Date.now()) => {
    const last = lastRun.get(uri);
    const due = last ? Math.max(now, last.end + coolDown(last.took)) : now;
    const p = pending.get(uri);
    if (p && p.due <= due) return; // an analysis is already coming; it reads the latest version
    cancel(uri);
    const timer = setTimeout(() => {
      if (pending.get(uri)?.timer === timer) run(uri);
    }, due - now);
    pending.set(uri, { timer, due });
  };

  const disposables: Disposable[] = [
    documents.onDidChangeContent((e) => schedule(e.document.uri)),
    documents.onDidClose((e) => {
      cancel(e.document.uri);
      lastRun.delete(e.document.uri);
      publish(e.document.uri, undefined, []);
      published.delete(e.document.uri);
    }),
  ];

  return {
    requestRefresh() {
      // A settings or config change: every document at once, whatever its cool-down.
      for (const d of documents.all()) {
        cancel(d.uri);
        lastRun.delete(d.uri);
        schedule(d.uri);
      }
    },
    dispose() {
      for (const d of disposables) d.dispose();
      for (const p of pending.values()) clearTimeout(p.timer);
      pending.clear();
      lastRun.clear();
    },
  };
}

/**
 * Diagnostics another module computes (policy test files, which depend on other files), delivered
 * through the pull when the client reads `relatedDocuments`.
 */
export interface PulledElsewhere {
  /** The document's own diagnostics from that module (added to `validate`'s). */
  own(document: TextDocument): Promise<Diagnostic[]>;
  /** Diagnostics of other open documents that depend on this one, by uri. */
  related(document: TextDocument): Promise<Map<string, Diagnostic[]>>;
}

export function registerDiagnosticsPullSupport(
  documents: TextDocuments<TextDocument>,
  connection: Connection,
  logger: Logger,
  validate: Validator,
  supportsRefresh: boolean,
  elsewhere?: PulledElsewhere,
): DiagnosticsSupport {
  const empty: DocumentDiagnosticReport = { kind: DocumentDiagnosticReportKind.Full, items: [] };
  const handler = connection.languages.diagnostics.on(async (params, token: CancellationToken) => {
    const result = await runSafeAsync(
      logger,
      async (): Promise<DocumentDiagnosticReport> => {
        const document = documents.get(params.textDocument.uri);
        if (!document) return empty;
        const items = validate(document);
        if (!elsewhere) return { kind: DocumentDiagnosticReportKind.Full, items };
        const [own, related] = await Promise.all([elsewhere.own(document), elsewhere.related(document)]);
        const report: DocumentDiagnosticReport = { kind: DocumentDiagnosticReportKind.Full, items: own.length ? items.concat(own) : items };
        if (related.size) {
          const relatedDocuments: Record<string, FullDocumentDiagnosticReport> = {};
          for (const [uri, diagnostics] of related) relatedDocuments[uri] = { kind: DocumentDiagnosticReportKind.Full, items: diagnostics };
          report.relatedDocuments = relatedDocuments;
        }
        return report;
      },
      empty,
      `Error while computing diagnostics for ${String((params as { textDocument?: { uri?: string } } | null)?.textDocument?.uri)}`,
      token,
    );
    // A cancelled pull is simply re-triggered by the client.
    return result instanceof ResponseError ? new ResponseError(result.code, result.message, { retriggerRequest: true }) : result;
  });
  return {
    requestRefresh() {
      // A request: the client may close the connection before it answers (or answer with an
      // error), and an unhandled rejection would end the server.
      if (supportsRefresh) void connection.languages.diagnostics.refresh().catch(() => undefined);
    },
    dispose() {
      handler.dispose();
    },
  };
}
