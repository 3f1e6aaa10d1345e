// Flat config: typescript-eslint recommended, type-aware where it matters (floating promises),
// and no console output in the language server (stdout carries the protocol).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_GLOBALS = Object.fromEntries(
  ['process', 'console', 'require', 'module', 'exports', '__dirname', '__filename', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval',
    'clearInterval', 'setImmediate', 'clearImmediate', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'structuredClone', 'fetch', 'AbortController'].map((g) => [g, 'readonly']),
);

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'client/dist/**', 'server/dist/**', '.vscode-test/**', 'bench/.work/**', '**/*.vsix', 'test/e2e/fixtures/**', 'test/fixtures/**', 'examples/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's test()/describe() return promises the runner itself tracks.
          allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
        },
      ],
      // Policy text is checked for control characters on purpose.
      'no-control-regex': 'off',
      // Harmless in regexes and strings full of `$`, `[` and `-`; reported, not fatal.
      'no-useless-escape': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: NODE_GLOBALS },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/cli/**'],
    rules: { 'no-console': 'error' },
  },
  {
    // Code in the browser bundles (vscode.dev, github.dev): a Web Worker has none of Node's
    // globals or modules. Only the Node entries (server/src/node/, the CLI, client/src/extension.ts)
    // may use them; esbuild.mjs also fails a browser build that imports a Node built-in.
    files: ['server/src/**/*.ts', 'shared/src/**/*.ts', 'client/src/**/*.ts'],
    ignores: ['server/src/node/**', 'server/src/cli/**', 'client/src/extension.ts'],
    rules: {
      'no-restricted-globals': ['error', ...['process', 'Buffer', '__dirname', '__filename', 'require', 'global', 'setImmediate'].map((name) => ({ name, message: 'not in a browser worker: go through the ServerRuntime or the client' }))],
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(node:|(fs|path|os|url|child_process|crypto|worker_threads|stream|util)(/|$))', message: 'no Node built-ins in code that runs in a browser' }] }],
    },
  },
);
