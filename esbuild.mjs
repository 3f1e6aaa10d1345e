// Bundles the VS Code client, the language server and the CLI.
// Usage: node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The tree-sitter runtime and grammars, loaded lazily at run time from server/dist/wasm/. */
const WASM = {
  'tree-sitter.wasm': 'web-tree-sitter',
  'tree-sitter-terraform.wasm': '@tree-sitter-grammars/tree-sitter-hcl',
  'tree-sitter-typescript.wasm': 'tree-sitter-typescript',
  'tree-sitter-python.wasm': 'tree-sitter-python',
};

function copyWasm() {
  mkdirSync('server/dist/wasm', { recursive: true });
  for (const [file, pkg] of Object.entries(WASM)) copyFileSync(join('node_modules', pkg, file), join('server/dist/wasm', file));
}

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  // jsonc-parser's "main" is a UMD build whose dynamic requires esbuild cannot follow; use its ESM build.
  mainFields: ['module', 'main'],
  // web-tree-sitter's ESM build finds itself through `import.meta.url`, which a CommonJS bundle
  // leaves undefined (Parser.init then fails and no grammar loads); its CommonJS build does not.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
};

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/node/main.ts'], outfile: 'server/dist/server.js' },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'server/dist/cli.js' },
];

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
  console.log('esbuild: watching client, server and CLI');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
copyWasm();
