/**
 * Node entry of the language server. Transport from the command line: `--stdio`, `--node-ipc`
 * or `--socket=<port>` (vscode-languageserver reads them). stdout carries the protocol only, so
 * console output goes to the client's log.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../server';
import { nodeRuntime } from './runtime';
import { useNodeWasm } from './wasm';

const connection = createConnection(ProposedFeatures.all);

/* eslint-disable no-console -- this is where console output is redirected */
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
console.debug = console.log;
/* eslint-enable no-console */

process.on('unhandledRejection', (reason: unknown) => {
  connection.console.error(`Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
});
process.on('uncaughtException', (err: Error) => {
  connection.console.error(`Uncaught exception: ${err.stack ?? err.message}`);
});

useNodeWasm();
startServer(connection, nodeRuntime);
