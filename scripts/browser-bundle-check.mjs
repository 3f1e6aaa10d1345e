// The check on browser bundles (esbuild.mjs runs it after every build; test/unit/browser-bundles
// runs it on the built files and on a broken sample): a browser has no Node built-ins, so a
// bundle that still loads one fails at run time in vscode.dev. esbuild's own plugin refuses the
// imports it resolves; this catches what slips past it as text (an external, a dynamic import).
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';

/**
 * Node built-ins a browser bundle may name, and the one package allowed to: web-tree-sitter's
 * CommonJS build requires them only in its Node branches (its runtime's file reads, and
 * `Language.load` of a path), which the server never takes: it always hands over the wasm
 * bytes. esbuild gives them an empty module there.
 */
const TREE_SITTER = 'node_modules/web-tree-sitter/';
export const NODE_BUILTINS_STUBBED = { fs: TREE_SITTER, 'fs/promises': TREE_SITTER, path: TREE_SITTER };

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const LOADS = /\b(?:require|import)\s*\(\s*(["'`])([^"'`]+)\1\s*\)|\bfrom\s*(["'])([^"']+)\3/g;

/** The Node built-ins a bundle's text still loads, as messages (empty: none). */
export function nodeBuiltinLoads(text, name = 'bundle') {
  const problems = [];
  for (const m of text.matchAll(LOADS)) {
    const spec = m[2] ?? m[4];
    if (BUILTINS.has(spec)) problems.push(`${name} loads the Node built-in "${spec}" at run time`);
  }
  return problems;
}

export function browserBundleProblems(file) {
  return nodeBuiltinLoads(readFileSync(file, 'utf8'), file);
}

/**
 * An esbuild plugin that fails a browser build on any import of a Node built-in, naming the
 * importer; the stubbed ones above get an empty module in web-tree-sitter. `shims` maps a
 * built-in to a file that stands in for it (test bundles only: `node:assert` for the suites).
 */
export function noNodeBuiltins(shims = {}) {
  return {
    name: 'no-node-builtins',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (!BUILTINS.has(args.path)) return undefined;
        if (shims[args.path]) return { path: shims[args.path] };
        const stub = NODE_BUILTINS_STUBBED[args.path];
        if (stub && args.importer.replace(/\\/g, '/').includes(stub)) return { path: args.path, namespace: 'node-builtin-stub' };
        return { errors: [{ text: `a browser bundle imports the Node built-in "${args.path}" (from ${args.importer})` }] };
      });
      build.onLoad({ filter: /.*/, namespace: 'node-builtin-stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    },
  };
}
