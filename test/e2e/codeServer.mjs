// Shared helpers for the code-server based scripts (e2e driver, npm start, screenshot, vsix test).
// code-server is a real VS Code (web workbench + Node extension host) installed from npm by
// scripts/install-e2e-host.sh into .vscode-test/.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION || '4.100.3';
export const HOST_DIR = join(ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_ENTRY = join(HOST_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Runs the idempotent host installer when code-server is not there yet. */
export function ensureHost() {
  if (existsSync(join(HOST_DIR, '.installed')) && existsSync(CODE_SERVER_ENTRY) && existsSync(CHROMIUM)) return;
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'install-e2e-host.sh')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('scripts/install-e2e-host.sh failed');
}

/**
 * A scratch folder for everything code-server and Chromium write (config, user data, caches),
 * so nothing lands in the user's home. Removed by `dispose`.
 */
export function makeScratch(prefix = 'iot-policy-e2e-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const paths = {
    dir,
    userData: join(dir, 'user-data'),
    extensions: join(dir, 'extensions'),
    config: join(dir, 'config.yaml'),
    home: join(dir, 'home'),
  };
  for (const p of [paths.userData, paths.extensions, paths.home, join(paths.userData, 'User')]) mkdirSync(p, { recursive: true });
  writeFileSync(paths.config, 'auth: none\n');
  return { ...paths, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** User settings that keep the workbench quiet and offline. */
export function writeUserSettings(scratch, extra = {}) {
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    'chat.disableAIFeatures': true,
    ...extra,
  };
  writeFileSync(join(scratch.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

export function scratchEnv(scratch, extra = {}) {
  return {
    ...process.env,
    HOME: scratch.home,
    XDG_CONFIG_HOME: join(scratch.dir, 'xdg-config'),
    XDG_DATA_HOME: join(scratch.dir, 'xdg-data'),
    XDG_CACHE_HOME: join(scratch.dir, 'xdg-cache'),
    VSCODE_IPC_HOOK_CLI: '',
    ...extra,
  };
}

/**
 * Starts code-server on 127.0.0.1 (port 0 = any free port unless given) and resolves with
 * `{ child, url, port, stop }` once it listens. `stop` kills only this child.
 */
export function startCodeServer({ scratch, port = 0, trust = false, env = {}, extraArgs = [], log = () => {} }) {
  const args = [
    CODE_SERVER_ENTRY,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--config', scratch.config,
    '--user-data-dir', scratch.userData,
    '--extensions-dir', scratch.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(trust ? [] : ['--disable-workspace-trust']),
    ...extraArgs,
  ];
  const child = spawn(process.execPath, args, { env: scratchEnv(scratch, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = () =>
    new Promise((res) => {
      if (exited) return res();
      child.once('exit', () => res());
      child.kill('SIGTERM');
      setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
      }, 5000).unref();
    });
  return new Promise((resolveStart, rejectStart) => {
    let buf = '';
    const timer = setTimeout(() => {
      void stop();
      rejectStart(new Error(`code-server did not start within 60 s:\n${buf}`));
    }, 60000);
    const onData = (d) => {
      const s = String(d);
      log(s);
      buf += s;
      const m = /HTTP server listening on https?:\/\/[^:\s]+:(\d+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stderr.off('data', onData);
        child.stdout.on('data', (x) => log(String(x)));
        child.stderr.on('data', (x) => log(String(x)));
        const p = Number(m[1]);
        resolveStart({ child, port: p, url: `http://127.0.0.1:${p}/`, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      rejectStart(new Error(`code-server exited with ${code} before listening:\n${buf}`));
    });
  });
}

/** Installs a .vsix into the scratch extensions dir with code-server's CLI. */
export function installVsix(scratch, vsix) {
  const r = spawnSync(
    process.execPath,
    [CODE_SERVER_ENTRY, '--config', scratch.config, '--user-data-dir', scratch.userData, '--extensions-dir', scratch.extensions, '--install-extension', vsix, '--force'],
    { env: scratchEnv(scratch), encoding: 'utf8' },
  );
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  if (r.status !== 0) throw new Error(`installing ${vsix} failed (exit ${r.status})`);
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-crash-reporter',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** The workbench URL that opens `folder` and (optionally) loads an extension in development mode and runs tests. */
export function workbenchUrl({ port, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [['skipWelcome', 'true'], ['skipReleaseNotes', 'true']];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const q = new URLSearchParams({ folder, payload: JSON.stringify(payload) });
  return `http://127.0.0.1:${port}/?${q.toString()}`;
}

export const EXTENSION_ID = 'iot-policy-tools.iot-policy-language';

/**
 * Settings that make the workbench run our extension in its web worker extension host, from its
 * `browser` entry, although code-server could run its `main` entry on the server.
 */
export function webExtensionSettings() {
  return { 'remote.extensionKind': { [EXTENSION_ID]: ['web'] } };
}

/**
 * Bundles the web end-to-end runner (test/e2e/web/index.ts) for the web worker extension host,
 * which loads one CommonJS file and knows no module but `vscode`.
 */
export async function buildWebTests(outfile) {
  const esbuild = await import('esbuild');
  const { noNodeBuiltins } = await import('../../scripts/browser-bundle-check.mjs');
  const shims = { 'node:assert': join(ROOT, 'test/e2e/web/assert.ts'), 'node:path': join(ROOT, 'test/e2e/web/path.ts') };
  await esbuild.build({
    entryPoints: [join(ROOT, 'test/e2e/web/index.ts')],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    external: ['vscode'],
    mainFields: ['browser', 'module', 'main'],
    alias: { 'web-tree-sitter': join(ROOT, 'node_modules/web-tree-sitter/tree-sitter.cjs') },
    plugins: [noNodeBuiltins(shims)],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}
