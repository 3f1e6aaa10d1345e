/**
 * The browser build of the language server (server/dist/browser/server.js) in a Node worker
 * thread, for the LSP suites (`IOT_LSP_SERVER=browser-worker` or `browser-extension-host`, see
 * browser-worker.test.ts).
 *
 * The worker runs the bundle as a browser runs a worker script: as plain script text, with none
 * of Node's module globals (`require`, `module`, `__dirname`) and with `process`, `Buffer` and
 * `setImmediate` hidden, so that any use of them fails here as it would in vscode.dev. It serves
 * a MessagePort, as it serves its Worker scope in a browser; this side talks to the other end
 * with the same `BrowserMessageReader`/`Writer` the VS Code browser client uses, which only the
 * `browser` export condition resolves (`node --conditions=browser`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessageReader, MessageWriter, ProtocolConnection } from 'vscode-languageserver/node';
import { WasmFileRequest, type WasmFileParams, type ReadFileParams, ReadFileRequest } from '../../shared/src/protocol';

// out/test/lsp → repository root
const ROOT = join(__dirname, '..', '..', '..');
export const BROWSER_SERVER_BUNDLE = join(ROOT, 'server', 'dist', 'browser', 'server.js');

/**
 * The worker's script. `own-worker`: the bundle is the worker's script, serving its scope (here
 * the port, as \`self\`). `extension-host`: the bundle is evaluated the way the browser client
 * does when it cannot make a worker (client/src/browserServer.ts), with the port handed over as
 * \`iotPolicyServerPort\` and a \`self\` of its own that it must not use. Either way none of
 * Node's globals is visible to it.
 */
const BOOT = `
const { workerData } = require('node:worker_threads');
const source = require('node:fs').readFileSync(workerData.bundle, 'utf8');
const hidden = ['process', 'Buffer', 'setImmediate', 'clearImmediate', 'global', 'require', 'module', 'exports', '__dirname', '__filename'];
const run = require('node:vm').runInThisContext('(function (self, ' + hidden.join(', ') + ') {' + source + '\\n})', { filename: workerData.bundle });
if (workerData.mode === 'extension-host') {
  globalThis.iotPolicyServerPort = workerData.port;
  try {
    run({ postMessage() { throw new Error('the embedded server wrote to the host scope'); } });
  } finally {
    delete globalThis.iotPolicyServerPort;
  }
} else run(workerData.port);
`;

/** Where the browser server runs in `browser-*` modes: its own worker, or embedded in the host's. */
export type BrowserServerMode = 'own-worker' | 'extension-host';

export interface BrowserWorkerServer {
  reader: MessageReader;
  writer: MessageWriter;
  dispose(): void;
}

/** The browser mode the suites run in (`IOT_LSP_SERVER`), or undefined for the Node server. */
export function browserMode(): BrowserServerMode | undefined {
  const v = process.env.IOT_LSP_SERVER;
  return v === 'browser-worker' ? 'own-worker' : v === 'browser-extension-host' ? 'extension-host' : undefined;
}

export function startBrowserWorkerServer(mode: BrowserServerMode): BrowserWorkerServer {
  let browser: typeof import('vscode-languageserver-protocol/browser');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- only this mode needs the browser build, which only the browser condition resolves
    browser = require('vscode-languageserver-protocol/browser') as typeof import('vscode-languageserver-protocol/browser');
  } catch (err) {
    throw new Error(`IOT_LSP_SERVER=browser-worker needs \`node --conditions=browser\`: ${err instanceof Error ? err.message : String(err)}`);
  }
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(BOOT, { eval: true, workerData: { bundle: BROWSER_SERVER_BUNDLE, port: port2, mode }, transferList: [port2] });
  // A crash of the bundle fails the test that waits on it, with the reason.
  let crash: Error | undefined;
  worker.on('error', (err) => (crash = err));
  type Port = ConstructorParameters<typeof browser.BrowserMessageReader>[0];
  const port = port1 as unknown as Port;
  return {
    reader: new browser.BrowserMessageReader(port),
    writer: new browser.BrowserMessageWriter(port),
    dispose() {
      port1.close();
      void worker.terminate();
      if (crash) throw crash;
    },
  };
}

/**
 * What the VS Code client answers for the browser server: workspace files through the client's
 * file system (here the runtime the test gives, or Node's), and the extension's wasm files.
 */
export function answerAsClient(connection: ProtocolConnection, readFile: (uri: string) => Promise<string | undefined>): void {
  connection.onRequest(ReadFileRequest.type, async (p: ReadFileParams) => {
    const text = await readFile(p.uri);
    return text === undefined ? { problem: 'not readable' } : { text };
  });
  connection.onRequest(WasmFileRequest.type, (p: WasmFileParams) => {
    if (!/^tree-sitter(-[a-z]+)?\.wasm$/.test(p.file)) throw new Error(`not a wasm file of the extension: ${p.file}`);
    return { base64: readFileSync(join(ROOT, 'server', 'dist', 'wasm', p.file)).toString('base64') };
  });
}
