/**
 * Browser entry of the language server (esbuild: server/dist/browser/server.js, platform browser).
 *
 * It talks JSON-RPC over a message port: its own Web Worker scope (vscode.dev, github.dev: the
 * client starts it with `new Worker`), or the port the client hands over when it runs the server
 * inside the extension host's own worker, where it cannot create one (code-server serves
 * extensions from `vscode-remote:` URIs and refuses workers from them). The client then sets
 * `iotPolicyServerPort` on the global object just while it evaluates this script.
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection, ProposedFeatures } from 'vscode-languageserver/browser';
import { startServer } from '../server';
import { guardLifecycle } from '../utils/lifecycle';
import { browserRuntime } from './runtime';

/** What `BrowserMessageReader`/`Writer` need of a port: a Worker scope and a MessagePort both have it. */
type Port = ConstructorParameters<typeof BrowserMessageReader>[0];

/** A worker script's own scope (the server tsconfig has no DOM library to declare it). */
declare const self: Port | undefined;

const scope = globalThis as { iotPolicyServerPort?: Port };
const port = scope.iotPolicyServerPort ?? (typeof self === 'undefined' ? undefined : self);
if (!port) throw new Error('iot-policy language server: no message port (neither a Worker scope nor an embedder port)');

// The lifecycle guard (utils/lifecycle.ts), as in the Node entry; its messages go to the client's log.
const writer = new BrowserMessageWriter(port);
const reader = guardLifecycle(new BrowserMessageReader(port), writer, (m) => connection.console.warn(m));
const connection = createConnection(ProposedFeatures.all, reader, writer);

if (!scope.iotPolicyServerPort) {
  // In its own worker, console output goes to the client's log. Inside the extension host the
  // console is the host's: left alone.
  /* eslint-disable no-console -- this is where console output is redirected */
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  console.debug = console.log;
  /* eslint-enable no-console */
}

startServer(connection, browserRuntime(connection));
