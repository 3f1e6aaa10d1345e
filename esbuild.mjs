// Bundles the VS Code client, the language server and the CLI for Node, and the client and the
// language server for browsers (vscode.dev, github.dev: the `browser` entry).
// Usage: node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
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

/**
 * Node holds a script's source as a V8 string for as long as it runs: one byte per character when
 * every character is Latin-1, two bytes per character as soon as one is not. esbuild escapes such
 * characters in strings, but leaves comments as written, so one arrow in a comment doubles what
 * the CLI keeps of its bundle, in the main thread and in every lint worker (1.3 MB each). Lines of
 * `file` with a character above U+00FF.
 */
function wideCharacterLines(file) {
  const lines = [];
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if ([...line].some((c) => c.codePointAt(0) > 0xff)) lines.push(`${file}:${i + 1}: a character above U+00FF (write it in ASCII): ${line.trim().slice(0, 120)}`);
  });
  return lines;
}
/** The bundles held to one byte per character. */
const LATIN1_BUNDLES = new Set(['server/dist/cli.js']);

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
    if (LATIN1_BUNDLES.has(b.outfile)) problems.push(...wideCharacterLines(b.outfile));
    console.log(`esbuild: ${b.outfile} ${kb(out.bytes)}${b.platform === 'browser' ? ' (browser)' : ''}`);
  }
  if (problems.length) {
    for (const p of problems) console.error(`esbuild: ${p}`);
    process.exit(1);
  }
}
copyWasm();
