/**
 * The browser bundles (the `browser` entry: vscode.dev, github.dev) load no Node built-in: the
 * check esbuild.mjs runs (scripts/browser-bundle-check.mjs) passes on the built bundles and fails
 * on a bundle or an import that names one.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';

// out/test/unit → repository root
const ROOT = join(__dirname, '..', '..', '..');
const BROWSER_BUNDLES = ['client/dist/browser/extension.js', 'server/dist/browser/server.js'];

interface Check {
  nodeBuiltinLoads(text: string, name?: string): string[];
  browserBundleProblems(file: string): string[];
  noNodeBuiltins(shims?: Record<string, string>): unknown;
}

const check = (): Promise<Check> => import(pathToFileURL(join(ROOT, 'scripts', 'browser-bundle-check.mjs')).href) as Promise<Check>;

describe('browser bundles', () => {
  test('package.json has a browser entry beside main, and the .vsix ships both bundles', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; browser?: string };
    assert.equal(manifest.main, './client/dist/extension.js');
    assert.equal(manifest.browser, './client/dist/browser/extension.js');
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    for (const b of BROWSER_BUNDLES) assert.ok(ignore.includes(`!${b}`), `.vscodeignore ships ${b}`);
  });

  test('the built browser bundles load no Node built-in', async (t) => {
    const { browserBundleProblems } = await check();
    for (const b of BROWSER_BUNDLES) {
      const file = join(ROOT, b);
      if (!existsSync(file)) {
        t.skip(`${b} is not built (node esbuild.mjs)`);
        return;
      }
      assert.deepEqual(browserBundleProblems(file), [], b);
    }
  });

  test('the text check finds require, import() and from of a built-in, with or without node:', async () => {
    const { nodeBuiltinLoads } = await check();
    assert.deepEqual(nodeBuiltinLoads('const a = require("./x"); import("./y"); import z from "yaml";'), []);
    assert.equal(nodeBuiltinLoads('var fs = require("fs");').length, 1);
    assert.equal(nodeBuiltinLoads("await import('node:child_process')").length, 1);
    assert.equal(nodeBuiltinLoads('import { join } from "path";').length, 1);
    assert.deepEqual(nodeBuiltinLoads('require("process")', 'b.js'), ['b.js loads the Node built-in "process" at run time']);
  });

  test('the esbuild plugin fails a browser build that imports a built-in, naming the importer', async () => {
    const { noNodeBuiltins } = await check();
    const esbuild = (await import('esbuild')) as typeof import('esbuild');
    const dir = mkdtempSync(join(tmpdir(), 'iot-policy-browser-'));
    try {
      const entry = join(dir, 'entry.js');
      writeFileSync(entry, 'import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n');
      const build = (file: string) =>
        esbuild.build({ entryPoints: [file], bundle: true, write: false, platform: 'browser', logLevel: 'silent', plugins: [noNodeBuiltins() as import('esbuild').Plugin] });
      await assert.rejects(build(entry), /imports the Node built-in "node:fs" \(from .*entry\.js\)/);
      const clean = join(dir, 'clean.js');
      writeFileSync(clean, 'export const y = 1;\n');
      const r = await build(clean);
      assert.equal(r.errors.length, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
