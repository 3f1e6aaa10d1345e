#!/usr/bin/env node
// `npm start`: builds the extension, installs the VS Code test host when missing (code-server
// from npm, see scripts/install-e2e-host.sh), starts it on 127.0.0.1 with this extension loaded
// in development mode and examples/ as the workspace, and prints the URL. Ctrl-C stops it.
//
//   npm start                      port 8123 (or PORT=...; a busy port falls back to a free one)
//   npm start -- --no-build        skip the build
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureHost, makeScratch, ROOT, startCodeServer, workbenchUrl, writeUserSettings } from '../test/e2e/codeServer.mjs';

const args = process.argv.slice(2);
const workspace = join(ROOT, 'examples');

if (!args.includes('--no-build')) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
ensureHost();

const scratch = makeScratch('iot-policy-start-');
writeUserSettings(scratch);

let server;
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nStopping code-server...\n');
  await server?.stop();
  scratch.dispose();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGHUP', () => void stop(0));

const port = Number(process.env.PORT || 8123);
const log = process.env.START_VERBOSE ? (s) => process.stderr.write(`[code-server] ${s}`) : () => {};
try {
  server = await startCodeServer({ scratch, port, log, extraArgs: [workspace] }).catch((err) => {
    if (!/EADDRINUSE|address already in use/i.test(String(err))) throw err;
    process.stdout.write(`Port ${port} is busy; using a free port.\n`);
    return startCodeServer({ scratch, port: 0, log, extraArgs: [workspace] });
  });
} catch (err) {
  process.stderr.write(`Could not start code-server: ${err instanceof Error ? err.message : String(err)}\n`);
  scratch.dispose();
  process.exit(1);
}
server.child.on('exit', (code) => {
  if (!stopping) {
    process.stderr.write(`code-server exited (${code}).\n`);
    scratch.dispose();
    process.exit(code ?? 1);
  }
});

const url = workbenchUrl({ port: server.port, folder: workspace, extensionDevelopmentPath: ROOT });
process.stdout.write(
  [
    '',
    'VS Code (code-server) is running with the IoT policy extension loaded from this checkout.',
    `Workspace: ${workspace}`,
    '',
    `Open: ${url}`,
    '',
    'Open a bad-*.iot-policy.json file to see diagnostics. After `npm run build`, reload the page',
    'to pick up changes. Press Ctrl-C to stop.',
    '',
  ].join('\n'),
);
