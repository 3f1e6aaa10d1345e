/**
 * Node entry of the language server. Transport from the command line (node/transport.ts):
 * `--stdio` (default), `--node-ipc`, `--socket=<port>` or `--pipe=<name>`. stdout carries the
 * protocol only, so console output goes to the client's log.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../server';
import { guardLifecycle } from '../utils/lifecycle';
import { createIdleTrimmer, observeActivity } from './memory';
import { nodeRuntime } from './runtime';
import { openTransport } from './transport';
import { useNodeWasm } from './wasm';

const transport = openTransport(process.argv.slice(2));
const pending: string[] = [];
// Logs of the guard can come before the connection exists; they are sent once it does.
let log: (m: string) => void = (m) => void pending.push(m);
// Busy: V8 keeps the memory it grew for speed; idle: it is given back (node/memory.ts).
const reader = guardLifecycle(observeActivity(transport.reader, createIdleTrimmer()), transport.writer, (m) => log(m));
const connection = createConnection(ProposedFeatures.all, reader, transport.writer);
log = (m) => connection.console.warn(m);
for (const m of pending.splice(0)) log(m);

/* eslint-disable no-console -- this is where console output is redirected */
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
console.debug = console.log;
/* eslint-enable no-console */

/** Leaves with the exit code the specification asks for: 0 after `shutdown`, 1 otherwise. */
function leave(): never {
  process.exit(reader.shutdownReceived ? 0 : 1);
}

// The client has gone: nothing is left to serve.
transport.reader.onClose(leave);

// The input can no longer be read as messages (see node/framing.ts). Staying alive would leave
// the server deaf for ever; exiting lets the client see the crash, log it and restart the server.
transport.reader.onError((err) => {
  const message = `iot-policy-language-server: ${err.message} Exiting so that the client can restart the server.`;
  process.stderr.write(message + '\n');
  process.exit(1);
});
transport.framed?.onSkipped((reason) => connection.console.warn(`Skipped ${reason}.`));

process.on('unhandledRejection', (reason: unknown) => {
  connection.console.error(`Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
});
process.on('uncaughtException', (err: Error) => {
  connection.console.error(`Uncaught exception: ${err.stack ?? err.message}`);
});

useNodeWasm();
startServer(connection, nodeRuntime);
