/**
 * The LSP lifecycle, enforced on incoming messages before any handler sees them.
 *
 * vscode-languageserver dispatches every message to its handler whatever the state: requests
 * before `initialize` reach features with no settings, requests after `shutdown` keep working, and
 * a second `initialize` runs the handler again (which registered another diagnostics listener each
 * time, so every edit published once per initialize). The specification says:
 * - before `initialize`, a request gets the error ServerNotInitialized (-32002) and notifications
 *   are dropped, except `exit`;
 * - `initialize` is sent once;
 * - after `shutdown`, a request gets InvalidRequest (-32600); only `exit` is expected.
 *
 * It also refuses messages whose positions are not positions: a `didChange` with a range of
 * `"x"` or `-1` corrupts the document's line table, and every range computed from it afterwards
 * holds NaN, which JSON writes as `null`. Such a change is dropped and logged (the server keeps
 * the document's last good text); such a request gets InvalidParams (-32602).
 *
 * Transport-neutral: it wraps any MessageReader (stdio, socket, IPC, a browser worker's port).
 */
import { ErrorCodes, type DataCallback, type Disposable, type Message, type MessageReader, type MessageWriter } from 'vscode-languageserver';

type Phase = 'new' | 'running' | 'shutdown';

export interface GuardedReader extends MessageReader {
  /** Whether `shutdown` was received (the exit code on `exit` or end of input depends on it). */
  readonly shutdownReceived: boolean;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A line or character: a non-negative integer a client could really send (uinteger in the spec). */
function isUInteger(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2147483647;
}

function isPosition(v: unknown): boolean {
  return isObject(v) && isUInteger(v.line) && isUInteger(v.character);
}

function isRange(v: unknown): boolean {
  return isObject(v) && isPosition(v.start) && isPosition(v.end);
}

function hasUri(params: Json): boolean {
  return isObject(params.textDocument) && typeof params.textDocument.uri === 'string';
}

/** Why the params of a text synchronisation notification cannot be applied, or undefined. */
function badSyncParams(method: string, params: unknown): string | undefined {
  if (!isObject(params) || !hasUri(params)) return 'no textDocument.uri';
  const td = params.textDocument as Json;
  if (method === 'textDocument/didOpen') {
    if (typeof td.text !== 'string' || typeof td.languageId !== 'string' || !Number.isInteger(td.version)) return 'textDocument needs text, languageId and an integer version';
  } else if (method === 'textDocument/didChange') {
    if (!Number.isInteger(td.version)) return 'textDocument.version is not an integer';
    if (!Array.isArray(params.contentChanges)) return 'contentChanges is not an array';
    for (const c of params.contentChanges) {
      if (!isObject(c) || typeof c.text !== 'string') return 'a content change without text';
      if (c.range !== undefined && !isRange(c.range)) return 'a content change whose range is not made of non-negative integer lines and characters';
    }
  }
  return undefined;
}

/** Why the params of a request cannot be used, or undefined (only what features read is checked). */
function badRequestParams(params: unknown): string | undefined {
  if (!isObject(params)) return undefined;
  if (params.textDocument !== undefined && !hasUri(params)) return 'textDocument.uri is not a string';
  if (params.position !== undefined && !isPosition(params.position)) return 'position is not made of non-negative integer line and character';
  if (params.range !== undefined && !isRange(params.range)) return 'range is not made of non-negative integer lines and characters';
  return undefined;
}

const SYNC_NOTIFICATIONS = new Set(['textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose', 'textDocument/didSave']);

/**
 * Wraps `inner` so that what breaks the lifecycle is answered here (through `writer`) and never
 * reaches the connection. `log` receives one line per refused message kind.
 */
export function guardLifecycle(inner: MessageReader, writer: MessageWriter, log: (message: string) => void): GuardedReader {
  let phase: Phase = 'new';
  const logged = new Set<string>();
  const logOnce = (key: string, message: string) => {
    if (logged.has(key)) return;
    logged.add(key);
    log(message);
  };
  const reply = (id: unknown, code: number, message: string) => {
    void writer.write({ jsonrpc: '2.0', id: id as number, error: { code, message } } as Message).catch(() => undefined);
  };

  /** The message to pass on, or undefined when it was answered or dropped here. */
  function admit(message: Message): Message | undefined {
    const m = message as unknown as Json;
    if (typeof m.method !== 'string') return message; // a response to one of our requests
    const method = m.method;
    const isRequest = typeof m.id === 'number' || typeof m.id === 'string';
    if (method === 'exit') return message;
    if (phase === 'new') {
      if (method === 'initialize' && isRequest) {
        phase = 'running';
        return message;
      }
      if (isRequest) reply(m.id, ErrorCodes.ServerNotInitialized, `The server is not initialized: "${method}" was sent before "initialize".`);
      else logOnce(`early:${method}`, `Dropped "${method}": notifications before "initialize" are ignored.`);
      return undefined;
    }
    if (phase === 'shutdown') {
      if (isRequest) reply(m.id, ErrorCodes.InvalidRequest, `The server is shutting down: "${method}" was sent after "shutdown".`);
      else logOnce(`late:${method}`, `Dropped "${method}": only "exit" is expected after "shutdown".`);
      return undefined;
    }
    if (method === 'initialize') {
      if (isRequest) reply(m.id, ErrorCodes.InvalidRequest, 'The server is already initialized: "initialize" may be sent only once.');
      return undefined;
    }
    if (method === 'shutdown' && isRequest) {
      phase = 'shutdown';
      return message;
    }
    if (isRequest) {
      const bad = badRequestParams(m.params);
      if (bad) {
        reply(m.id, ErrorCodes.InvalidParams, `Invalid params for "${method}": ${bad}.`);
        return undefined;
      }
    } else if (SYNC_NOTIFICATIONS.has(method)) {
      const bad = badSyncParams(method, m.params);
      if (bad) {
        const uri = isObject(m.params) && isObject(m.params.textDocument) ? String(m.params.textDocument.uri) : 'a document';
        log(`Dropped "${method}" for ${uri}: ${bad}. The server's copy of it may differ from the editor's until it is closed and opened again.`);
        return undefined;
      }
    }
    return message;
  }

  return {
    get shutdownReceived() {
      return phase === 'shutdown';
    },
    onError: inner.onError,
    onClose: inner.onClose,
    onPartialMessage: inner.onPartialMessage,
    listen(callback: DataCallback): Disposable {
      return inner.listen((message) => {
        const admitted = admit(message);
        if (admitted) callback(admitted);
      });
    },
    dispose: () => inner.dispose(),
  };
}
