/**
 * Where Node finds the tree-sitter wasm files: next to the bundle (`server/dist/wasm/`, what the
 * .vsix and the npm package ship), else in the packages they come from (compiled tests and a
 * development checkout). These are our own files, not the workspace's.
 */
import * as path from 'node:path';
import { setWasmSource, type WasmSource } from '../service/hosts/grammars';
import { promises as fs } from 'node:fs';

/** The package that ships each wasm file (a development checkout reads it from there). */
const PACKAGES: Readonly<Record<string, string>> = {
  'tree-sitter.wasm': 'web-tree-sitter',
  'tree-sitter-terraform.wasm': '@tree-sitter-grammars/tree-sitter-hcl',
  'tree-sitter-typescript.wasm': 'tree-sitter-typescript',
  'tree-sitter-python.wasm': 'tree-sitter-python',
};

async function readWasm(file: string): Promise<Uint8Array> {
  const beside = path.join(__dirname, 'wasm', file);
  try {
    return await fs.readFile(beside);
  } catch {
    const pkg = PACKAGES[file];
    if (!pkg) throw new Error(`unknown wasm file ${file}`);
    // A development checkout (compiled tests, the CLI run from out/): the package's own copy.
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', pkg, file);
      try {
        return await fs.readFile(candidate);
      } catch {
        if (path.dirname(dir) === dir) throw new Error(`${file} not found beside the bundle or in node_modules`);
      }
    }
  }
}

const nodeWasmSource: WasmSource = readWasm;

/** Makes the library load its grammars from Node's files (unless an embedder set a source: `replace` false). */
export function useNodeWasm(replace = true): void {
  setWasmSource(nodeWasmSource, replace);
}
