/**
 * An in-process LSP client connected to the real `startServer` over a pair of streams, like an
 * editor would be. No mocks: every message goes through vscode-jsonrpc.
 *
 * With `IOT_LSP_SERVER=browser-worker` or `browser-extension-host` (under `node --conditions=browser`)
 * the same suites talk to the browser bundle in a worker thread instead (browserWorker.ts); the
 * client then answers the file reads the browser server asks it for, from the test's runtime.
 */
import { PassThrough } from 'node:stream';
import {
  createConnection,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  ProposedFeatures,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams as ProtocolPublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FramedMessageReader } from '../../server/src/node/framing';
import { nodeRuntime } from '../../server/src/node/runtime';
import { guardLifecycle } from '../../server/src/utils/lifecycle';
import { startServer, type ServerRuntime } from '../../server/src/server';
import { answerAsClient, browserMode, startBrowserWorkerServer } from './browserWorker';

/** A diagnostic as this server sends it: plain-text messages (LSP 3.18 also allows markup, which it never sends). */
export type PlainDiagnostic = Omit<Diagnostic, 'message'> & { message: string };
export type PublishDiagnosticsParams = Omit<ProtocolPublishDiagnosticsParams, 'diagnostics'> & { diagnostics: PlainDiagnostic[] };

/** Markup where plain text is expected shows up as text no test expects, so the test fails. */
function plain(p: ProtocolPublishDiagnosticsParams): PublishDiagnosticsParams {
  return { ...p, diagnostics: p.diagnostics.map((d) => ({ ...d, message: typeof d.message === 'string' ? d.message : `[markup] ${JSON.stringify(d.message)}` })) };
}

export interface TestClient {
  connection: ProtocolConnection;
  initializeResult: InitializeResult;
  /** Every publishDiagnostics received, in order. */
  published: PublishDiagnosticsParams[];
  /** Messages the server logged (window/logMessage). */
  logs: string[];
  open(uri: string, text: string, languageId?: string, version?: number): Promise<void>;
  change(uri: string, text: string, version: number): Promise<void>;
  close(uri: string): Promise<void>;
  changeSettings(iotPolicy: unknown): Promise<void>;
  /** Resolves with the next publishDiagnostics for `uri` that satisfies `predicate` (may be one already received after `since`). */
  waitForDiagnostics(uri: string, predicate?: (p: PublishDiagnosticsParams) => boolean, timeoutMs?: number, since?: number): Promise<PublishDiagnosticsParams>;
  dispose(): void;
}

export interface StartOptions {
  capabilities?: ClientCapabilities;
  initializationOptions?: Record<string, unknown>;
  workspaceFolders?: { uri: string; name: string }[] | null;
  runtime?: ServerRuntime;
  /** Answers `workspace/configuration` requests (when the capability is declared). */
  configuration?: () => unknown;
  /** Installs the test's own handlers of server requests before `initialize` (they replace the defaults). */
  handlers?: (connection: ProtocolConnection) => void;
}

export const PUSH_CAPABILITIES: ClientCapabilities = {
  textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
  workspace: { didChangeWatchedFiles: { dynamicRegistration: false } },
};

export const PULL_CAPABILITIES: ClientCapabilities = {
  textDocument: { publishDiagnostics: { relatedInformation: true }, diagnostic: { dynamicRegistration: false } },
  workspace: { diagnostics: { refreshSupport: true } },
};

/** The server side: the in-process Node server over streams, or the browser bundle in a worker. */
function startServerSide(runtime: ServerRuntime): { connection: ProtocolConnection; dispose(): void } {
  const mode = browserMode();
  if (mode) {
    const worker = startBrowserWorkerServer(mode);
    const connection = createProtocolConnection(worker.reader, worker.writer);
    answerAsClient(connection, (uri) => runtime.readFile(uri));
    return { connection, dispose: () => worker.dispose() };
  }
  const up = new PassThrough();
  const down = new PassThrough();
  // The same framing and lifecycle guard as the real entry (server/src/node/main.ts), whose
  // messages reach the client's log as there. The MessageReader form does not exit the process on stream end.
  const serverWriter = new StreamMessageWriter(down);
  const reader = guardLifecycle(new FramedMessageReader(up), serverWriter, (m) => serverConnection.console.warn(m));
  const serverConnection = createConnection(ProposedFeatures.all, reader, serverWriter);
  startServer(serverConnection, runtime);
  const connection = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  return {
    connection,
    dispose() {
      serverConnection.dispose();
      up.destroy();
      down.destroy();
    },
  };
}

export async function startClient(options: StartOptions = {}): Promise<TestClient> {
  const server = startServerSide(options.runtime ?? nodeRuntime);
  const connection = server.connection;
  const published: PublishDiagnosticsParams[] = [];
  const logs: string[] = [];

  const waiters: (() => void)[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(plain(p));
    for (const w of [...waiters]) w();
  });
  connection.onNotification('window/logMessage', (p: { message: string }) => void logs.push(p.message));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => options.configuration?.() ?? null));
  options.handlers?.(connection);
  connection.listen();

  const capabilities = options.capabilities ?? PUSH_CAPABILITIES;
  const initializeResult = await connection.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: null,
    capabilities,
    workspaceFolders: options.workspaceFolders ?? null,
    initializationOptions: { diagnosticDelay: 0, warmUp: false, ...(options.initializationOptions ?? {}) },
  });
  await connection.sendNotification(InitializedNotification.type, {});

  const client: TestClient = {
    connection,
    initializeResult,
    published,
    logs,
    open: (uri, text, languageId = 'json', version = 1) =>
      connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } }),
    change: (uri, text, version) =>
      connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] }),
    close: (uri) => connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } }),
    changeSettings: (iotPolicy) => connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { iotPolicy } }),
    waitForDiagnostics(uri, predicate = () => true, timeoutMs = 5000, since = 0) {
      const find = () => published.slice(since).find((p) => p.uri === uri && predicate(p));
      const hit = find();
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const waiter = () => {
          const h = find();
          if (h) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(waiter), 1);
            resolve(h);
          }
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no matching publishDiagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(published.filter((p) => p.uri === uri))}`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    dispose() {
      connection.dispose();
      server.dispose();
    },
  };
  return client;
}

export const POLICY_URI = 'file:///ws/device.iot-policy.json';

/** A policy with a trailing comma: `json-syntax` is the one rule that exists in every build. */
export const BROKEN_POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": "iot:Connect", "Resource": "*", }
  ]
}`;

export const GOOD_POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:us-east-1:123456789012:client/\${iot:Connection.Thing.ThingName}" }
  ]
}`;

/** The distinct rule ids of a publish, sorted. */
export function codes(p: PublishDiagnosticsParams): string[] {
  return [...new Set(p.diagnostics.map((d) => String(d.code)))].sort();
}

/** The json-syntax diagnostics of a publish (other rules may report on the same text). */
export function syntax(p: { diagnostics: { code?: unknown }[] }): { code?: unknown; severity?: number }[] {
  return p.diagnostics.filter((d) => d.code === 'json-syntax');
}

/** `rule line:column "text"` for each diagnostic (1-based), the text it underlines in `text`. */
export function described(text: string, diagnostics: Diagnostic[]): string[] {
  const doc = TextDocument.create('file:///x', 'plaintext', 1, text);
  return diagnostics.map((d) => {
    const s = doc.offsetAt(d.range.start);
    return `${String(d.code)} ${d.range.start.line + 1}:${d.range.start.character + 1} ${JSON.stringify(text.slice(s, doc.offsetAt(d.range.end)))}`;
  });
}
