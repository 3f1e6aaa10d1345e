#!/usr/bin/env node
// Runs the end-to-end suite inside a real VS Code: code-server 4.100.3 (installed from npm by
// scripts/install-e2e-host.sh) driven headless through Debian's chromium with playwright-core.
// The mocha runner (out/test/e2e/index.js) runs in the extension host; its output is printed
// here and its result becomes the exit code.
//
//   node test/e2e/run-code-server.mjs [--extensionDevelopmentPath .] [--vsix file.vsix]
//        [--extensionTestsPath out/test/e2e/index.js] [--workspace test/e2e/fixtures/workspace]
//        [--trust] [--grep pattern] [--timeout 240000] [--screenshot file.png] [--web]
//
// --web runs the extension as a web extension: from its `browser` entry, in the web worker
// extension host (as in vscode.dev), with the language server's browser build. The runner is
// then test/e2e/web/index.ts, bundled here for that host.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { format } from 'node:util';
import { buildWebTests, ensureHost, installVsix, launchChromium, makeScratch, ROOT, startCodeServer, webExtensionSettings, workbenchUrl, writeUserSettings } from './codeServer.mjs';

function parseArgs(argv) {
  const o = {
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: resolve(ROOT, 'out/test/e2e/index.js'),
    workspace: resolve(ROOT, 'test/e2e/fixtures/workspace'),
    timeout: 240000,
    trust: false,
    vsix: undefined,
    screenshot: undefined,
    grep: undefined,
    verbose: !!process.env.E2E_VERBOSE,
    web: false,
  };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--extensionDevelopmentPath') o.extensionDevelopmentPath = resolve(next());
    else if (a === '--extensionTestsPath') o.extensionTestsPath = resolve(next());
    else if (a === '--workspace') o.workspace = resolve(next());
    else if (a === '--timeout') o.timeout = Number(next());
    else if (a === '--trust') o.trust = true;
    else if (a === '--vsix') o.vsix = resolve(next());
    else if (a === '--screenshot') o.screenshot = resolve(next());
    else if (a === '--grep') o.grep = next();
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--web') o.web = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (o.web && !argv.includes('--extensionTestsPath')) o.extensionTestsPath = resolve(ROOT, 'out/test/e2e/web/bundle.js');
  // The web workbench runs extension tests only in development mode: with a .vsix, load an empty
  // stub as the development extension so that ours is the one installed from the .vsix.
  if (o.vsix) o.extensionDevelopmentPath = resolve(ROOT, 'test/e2e/stub-extension');
  return o;
}

// Workbench noise that says nothing about our extension (offline marketplace, missing services).
const NOISE = [/ENOTFOUND/, /open-vsx/, /marketplace/i, /getaddrinfo/, /Failed to fetch/, /ERR_NAME_NOT_RESOLVED/, /update\.code\.visualstudio/];

async function main() {
  const o = parseArgs(process.argv);
  if (o.web) await buildWebTests(o.extensionTestsPath);
  if (!existsSync(o.extensionTestsPath)) throw new Error(`${o.extensionTestsPath} not found: run \`npx tsc -b\` first`);
  ensureHost();
  const scratch = makeScratch();
  let server;
  let browser;
  let exitCode = 1;
  let summary;
  const started = Date.now();
  try {
    writeUserSettings(scratch, { 'security.workspace.trust.enabled': o.trust, ...(o.web ? webExtensionSettings() : {}) });
    if (o.vsix) installVsix(scratch, o.vsix);
    const env = {
      IOT_E2E_MODE: o.vsix ? 'vsix' : o.web ? 'web' : 'dev',
      IOT_E2E_TRUST: o.trust ? 'untrusted' : 'disabled',
      IOT_POLICY_DIAGNOSTIC_DELAY: '0',
      ...(o.grep ? { IOT_E2E_GREP: o.grep } : {}),
      IOT_E2E_REPO: ROOT + '/',
      ...(o.vsix ? {} : { IOT_E2E_DEV_PATH: o.extensionDevelopmentPath }),
    };
    server = await startCodeServer({ scratch, trust: o.trust, env, log: (s) => o.verbose && process.stderr.write(`[code-server] ${s}`) });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const done = new Promise((res) => {
      void page.exposeFunction('codeAutomationLog', (type, args) => {
        const line = Array.isArray(args) ? format(...args) : typeof args === 'string' ? args : format(args);
        const m = /^(\d+) passed, (\d+) failed/m.exec(line);
        if (m) summary = { passed: Number(m[1]), failed: Number(m[2]) };
        if (!o.verbose && NOISE.some((re) => re.test(line))) return;
        if (type === 'error' && !o.verbose && !/iot|policy|mocha|passed|failed|Error:/i.test(line)) return;
        process.stdout.write(line.endsWith('\n') ? line : line + '\n');
      });
      void page.exposeFunction('codeAutomationExit', (code) => res(Number(code)));
    });
    page.on('pageerror', (e) => o.verbose && process.stderr.write(`[page error] ${e.message}\n`));
    const url = workbenchUrl({ port: server.port, folder: o.workspace, extensionDevelopmentPath: o.extensionDevelopmentPath, extensionTestsPath: o.extensionTestsPath });
    await page.goto(url);
    let timer;
    const timeout = new Promise((res) => (timer = setTimeout(() => res('timeout'), o.timeout)));
    const result = await Promise.race([done, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      process.stdout.write(`e2e: timed out after ${o.timeout} ms\n`);
      if (o.screenshot) await page.screenshot({ path: o.screenshot }).catch(() => undefined);
      exitCode = 2;
    } else exitCode = result;
    // Never report success without the runner's own summary (e.g. an extension host that died).
    if (exitCode === 0 && (!summary || summary.failed > 0 || summary.passed === 0)) {
      process.stdout.write(`e2e: the workbench exited 0 but the runner reported ${summary ? `${summary.passed} passed, ${summary.failed} failed` : 'no summary'}\n`);
      exitCode = 1;
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    scratch.dispose();
  }
  process.stdout.write(`e2e: exit ${exitCode} after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`e2e driver failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
