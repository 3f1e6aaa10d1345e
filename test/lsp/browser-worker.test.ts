/**
 * The LSP suites again, against the browser build of the server (server/dist/browser/server.js)
 * running in a worker thread: every suite that talks through the harness, unchanged, in a child
 * `node --conditions=browser --test` with `IOT_LSP_SERVER` set (harness.ts, browserWorker.ts):
 * once with the bundle as the worker's own script, once embedded as the client embeds it where
 * no worker can be made. Run it alone with `node out/test/lsp/browser-worker.test.js`.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { BROWSER_SERVER_BUNDLE } from './browserWorker';

/** The compiled suites that use the harness (so they can talk to either server). */
function harnessSuites(): string[] {
  return readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js') && f !== 'browser-worker.test.js')
    .filter((f) => /require\("\.\/harness"\)/.test(readFileSync(join(__dirname, f), 'utf8')))
    .sort()
    .map((f) => join(__dirname, f));
}

function withoutTestContext(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _context, ...rest } = env;
  return rest;
}

function count(tap: string, what: string): number {
  const m = new RegExp(`^# ${what} (\\d+)$`, 'm').exec(tap);
  return m ? Number(m[1]) : NaN;
}

async function runSuites(t: TestContext, mode: string): Promise<void> {
  assert.ok(existsSync(BROWSER_SERVER_BUNDLE), `${BROWSER_SERVER_BUNDLE} is missing: run \`node esbuild.mjs\` first`);
  const suites = harnessSuites();
  assert.ok(suites.length >= 3, `harness suites found: ${suites.join(', ')}`);
  const child = spawn(process.execPath, ['--conditions=browser', '--test', '--test-reporter=tap', ...suites], {
    // Without the parent runner's context, the child reports in TAP of its own.
    env: { ...withoutTestContext(process.env), IOT_LSP_SERVER: mode },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const passed = count(out, 'pass');
  const failed = count(out, 'fail');
  t.diagnostic(`${mode}: ${passed} passed, ${failed} failed, ${count(out, 'cancelled')} cancelled (${suites.length} suites)`);
  const failures = out.split('\n').filter((l) => /^\s*not ok /.test(l)).join('\n');
  assert.equal(code, 0, `the suites failed against the browser bundle (${mode}):\n${failures}\n${out.slice(-4000)}`);
  assert.ok(passed > 0 && failed === 0, `${passed} passed, ${failed} failed`);
}

test('the LSP suites pass against the browser server bundle in its own worker thread (vscode.dev, code-server)', { timeout: 600_000 }, (t) =>
  runSuites(t, 'browser-worker'));

test('the LSP suites pass against the browser server bundle embedded in the host\'s worker (the fallback where no worker can be made)', { timeout: 600_000 }, (t) =>
  runSuites(t, 'browser-extension-host'));
