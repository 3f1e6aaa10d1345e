/**
 * Diagnostics delivery. Pull (`textDocument/diagnostic`) when the client supports it, push
 * (`textDocument/publishDiagnostics`, debounced per document) otherwise. Stale results are dropped:
 * a push is only published if the document is still open at the version that was validated.
 */
import {
  CancellationToken,
  Connection,
  Diagnostic,
  DiagnosticRefreshRequest,
  DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  Disposable,
  ResponseError,
  TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { runSafe, type Logger } from './runner';

export type Validator = (document: TextDocument) => Diagnostic[];

export interface DiagnosticsSupport extends Disposable {
  /** Re-validates every open document (after a settings or config file change). */
  requestRefresh(): void;
}

export function registerDiagnosticsPushSupport(
  documents: TextDocuments<TextDocument>,
  connection: Connection,
  logger: Logger,
  validate: Validator,
  delayMs: number,
): DiagnosticsSupport {
  const pending = new Map<string, NodeJS.Timeout>();
  const published = new Set<string>();

  const cancel = (uri: string) => {
    const t = pending.get(uri);
    if (t) {
      clearTimeout(t);
      pending.delete(uri);
    }
  };

  const publish = (uri: string, version: number | undefined, diagnostics: Diagnostic[]) => {
    if (diagnostics.length === 0 && !published.has(uri)) return; // nothing shown, nothing to clear
    if (diagnostics.length) published.add(uri);
    else published.delete(uri);
    void connection.sendDiagnostics({ uri, version, diagnostics }).catch((err: unknown) => logger.error(`sendDiagnostics failed: ${String(err)}`));
  };

  const schedule = (document: TextDocument, delay = delayMs) => {
    const uri = document.uri;
    cancel(uri);
    const timer = setTimeout(() => {
      if (pending.get(uri) !== timer) return;
      pending.delete(uri);
      const current = documents.get(uri);
      if (!current) return; // closed meanwhile
      const version = current.version;
      let diagnostics: Diagnostic[] = [];
      try {
        diagnostics = validate(current);
      } catch (err) {
        logger.error(`Validation of ${uri} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
      // Drop the result if the document moved on or closed while we worked.
      const after = documents.get(uri);
      if (!after || after.version !== version) return;
      publish(uri, version, diagnostics);
    }, delay);
    pending.set(uri, timer);
  };

  const disposables: Disposable[] = [
    documents.onDidChangeContent((e) => schedule(e.document)),
    documents.onDidClose((e) => {
      cancel(e.document.uri);
      publish(e.document.uri, undefined, []);
      published.delete(e.document.uri);
    }),
  ];

  return {
    requestRefresh() {
      for (const d of documents.all()) schedule(d, 0);
    },
    dispose() {
      for (const d of disposables) d.dispose();
      for (const t of pending.values()) clearTimeout(t);
      pending.clear();
    },
  };
}

export function registerDiagnosticsPullSupport(
  documents: TextDocuments<TextDocument>,
  connection: Connection,
  logger: Logger,
  validate: Validator,
  supportsRefresh: boolean,
): DiagnosticsSupport {
  const empty: DocumentDiagnosticReport = { kind: DocumentDiagnosticReportKind.Full, items: [] };
  const handler = connection.languages.diagnostics.on(async (params, token: CancellationToken) => {
    const result = await runSafe(
      logger,
      (): DocumentDiagnosticReport => {
        const document = documents.get(params.textDocument.uri);
        if (!document) return empty;
        return { kind: DocumentDiagnosticReportKind.Full, items: validate(document) };
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
      // Typed void, but it returns the request's promise: the client may close the connection
      // before it answers, and an unhandled rejection would end the server.
      if (supportsRefresh) void connection.sendRequest(DiagnosticRefreshRequest.type).catch(() => undefined);
    },
    dispose() {
      handler.dispose();
    },
  };
}
