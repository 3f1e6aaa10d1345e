// Bundles the VS Code client, the language server and the CLI for Node, and the client and the
// language server for browsers (vscode.dev, github.dev: the `browser` entry).
// Usage: node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { browserBundleProblems, noNodeBuiltins } from './scripts/browser-bundle-check.mjs';

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
  metafile: true,
  // jsonc-parser's "main" is a UMD build whose dynamic requires esbuild cannot follow; use its ESM build.
  mainFields: ['module', 'main'],
  // web-tree-sitter's ESM build finds itself through `import.meta.url`, which a CommonJS bundle
  // leaves undefined (Parser.init then fails and no grammar loads); its CommonJS build does not.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
};

const browser = {
  ...common,
  platform: 'browser',
  target: 'es2022',
  // Browser conditions and fields first (yaml, the LSP libraries' `browser` exports).
  mainFields: ['browser', 'module', 'main'],
  // A Node built-in fails the build (scripts/browser-bundle-check.mjs).
  plugins: [noNodeBuiltins()],
};

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/node/main.ts'], outfile: 'server/dist/server.js' },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'server/dist/cli.js' },
  // The web extension host loads CommonJS with a `require` that knows only `vscode`.
  { ...browser, entryPoints: ['client/src/browserExtension.ts'], outfile: 'client/dist/browser/extension.js', external: ['vscode'], format: 'cjs' },
  // A classic worker script: `new Worker(url)`, or evaluated by the client inside the extension host.
  { ...browser, entryPoints: ['server/src/browser/main.ts'], outfile: 'server/dist/browser/server.js', format: 'iife' },
];

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
  console.log('esbuild: watching client, server and CLI (Node and browser)');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  const problems = [];
  for (const [i, b] of builds.entries()) {
    const out = results[i].metafile.outputs[b.outfile];
    if (b.platform === 'browser') problems.push(...browserBundleProblems(b.outfile));
    console.log(`esbuild: ${b.outfile} ${kb(out.bytes)}${b.platform === 'browser' ? ' (browser)' : ''}`);
  }
  if (problems.length) {
    for (const p of problems) console.error(`esbuild: ${p}`);
    process.exit(1);
  }
}
copyWasm();
