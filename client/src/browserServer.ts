/**
 * Starts the browser build of the language server (server/dist/browser/server.js) for the
 * browser client, in the first place that works:
 *
 * 1. a Web Worker from the script's URL: vscode.dev and github.dev serve extensions over
 *    `https:`, and workers from there are allowed;
 * 2. a Web Worker from the script's text: code-server (and other VS Code servers) serve
 *    extensions from `vscode-remote:` URIs, and the extension host refuses workers from those
 *    ("Creating workers from remote extensions is currently not supported", coder/code-server
 *    #5869); the text read through `vscode.workspace.fs` becomes a `blob:` script instead;
 * 3. inside the extension host's own worker, over a MessageChannel, when no worker can be made
 *    at all: the script is evaluated here and serves the port it is handed.
 *
 * Every file the server needs after that (wasm grammars, workspace files) it asks the client for.
 */
import * as vscode from 'vscode';
import { BrowserMessageReader, BrowserMessageWriter, type MessageTransports } from 'vscode-languageclient/browser';

/** The part of a Web Worker used here (the client's tsconfig has no DOM library). */
interface WebWorker {
  terminate(): void;
}
declare const Worker: new (url: string, options?: { name?: string }) => WebWorker;
type Port = ConstructorParameters<typeof BrowserMessageReader>[0];

const WORKER_NAME = 'IoT Policy Language Server';

export type ServerHost = 'worker' | 'blob-worker' | 'extension-host' | 'not started';

export interface BrowserServer extends vscode.Disposable {
  /** The transports of a new server (the previous one, after a restart, is stopped first). */
  start(): Promise<MessageTransports>;
  /** Where the running server is. */
  readonly host: ServerHost;
}

function transports(port: Port): MessageTransports {
  return { reader: new BrowserMessageReader(port), writer: new BrowserMessageWriter(port) };
}

export function browserServer(context: vscode.ExtensionContext, log: (message: string) => void): BrowserServer {
  const script = vscode.Uri.joinPath(context.extensionUri, 'server', 'dist', 'browser', 'server.js');
  let worker: WebWorker | undefined;
  let channel: InstanceType<typeof MessageChannel> | undefined;
  let host: ServerHost = 'not started';
  let source: string | undefined;

  const stop = () => {
    worker?.terminate();
    worker = undefined;
    channel?.port1.close();
    channel = undefined;
  };

  const readSource = async (): Promise<string> => (source ??= new TextDecoder().decode(await vscode.workspace.fs.readFile(script)));

  return {
    get host() {
      return host;
    },
    async start() {
      stop();
      try {
        worker = new Worker(script.toString(true), { name: WORKER_NAME });
        host = 'worker';
        return transports(worker as unknown as Port);
      } catch (err) {
        log(`[client] No worker from ${script.scheme}: URIs here (${err instanceof Error ? err.message : String(err)}); starting it from the script's text.`);
      }
      const text = await readSource();
      try {
        const url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
        worker = new Worker(url, { name: WORKER_NAME });
        host = 'blob-worker';
        return transports(worker as unknown as Port);
      } catch (err) {
        log(`[client] No worker at all here (${err instanceof Error ? err.message : String(err)}); running the server inside the extension host.`);
      }
      channel = new MessageChannel();
      const scope = globalThis as { iotPolicyServerPort?: unknown };
      scope.iotPolicyServerPort = channel.port2;
      try {
        // Our own bundle, read from the extension's files; the extension host loads extensions this way too.
        new Function(text)();
      } finally {
        delete scope.iotPolicyServerPort;
      }
      host = 'extension-host';
      return transports(channel.port1 as unknown as Port);
    },
    dispose: stop,
  };
}
