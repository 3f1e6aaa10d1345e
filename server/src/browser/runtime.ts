/**
 * The language server's host services in a browser (vscode.dev, github.dev): a Web Worker has no
 * file system, so every file, the project config file included, is read by the client through
 * `vscode.workspace.fs` (`iotPolicy/readFile`), and the tree-sitter wasm files come from the
 * extension's own files the same way (`iotPolicy/wasmFile`). Nothing here touches Node.
 */
import type { Connection } from 'vscode-languageserver';
import type { ServerRuntime } from '../server';
import { setWasmSource } from '../service/hosts/grammars';
import { clientFiles } from '../utils/clientFiles';

export function browserRuntime(connection: Connection): ServerRuntime {
  const files = clientFiles(connection);
  // The grammars load lazily, on the first Terraform or CDK file, long after initialize.
  setWasmSource((file) => files.wasmFile(file));
  return {
    kind: 'browser',
    readFile: (uri) => files.readFile(uri),
  };
}
