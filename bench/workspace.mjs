// Workspace diagnostics (`workspace/diagnostic`) of the language server, over stdio with the
// server's own walk of the folder (what an editor other than VS Code gets): a tree of 2,000
// candidate files (200 policies with findings, 1,800 JSON, TypeScript and YAML files that hold
// none). Side by side in one run, alternating: the first pull (every file listed, read and
// detected, the policies analysed), a second pull with the result ids of the first (every file
// read and hashed again, nothing analysed: the client declares no watchers; and with watchers,
// where nothing is read: VS Code's case, though its client's request is held, not answered), and
// `iot-policy lint --format json` of the same folder (the CLI's walk and analysis, in one process
// from start to exit, worker threads off so that both use one core). Medians of RUNS.
//
// `node bench/workspace.mjs` prints the table; bench/run.mjs calls `run(report)`.
import { isMain, printSection } from './section.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const rpc = require('vscode-jsonrpc/node');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, 'bench/.work/workspace');
const SERVER = path.join(ROOT, 'server/dist/server.js');
const CLI = path.join(ROOT, 'bin/iot-policy.js');
const POLICIES = 200;
const OTHERS = 1800;
const RUNS = 5;
const LIMIT_MS = 120_000;

const ARN = 'arn:aws:iot:eu-west-1:493812760155';

function buildTree() {
  rmSync(WORK, { recursive: true, force: true });
  for (let i = 0; i < POLICIES; i++) {
    const dir = path.join(WORK, `svc${i % 20}`);
    mkdirSync(dir, { recursive: true });
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}` },
        { Effect: 'Allow', Action: ['iot:Publsh', 'iot:Receive'], Resource: `${ARN}:topic/svc${i}/*` },
      ],
    };
    writeFileSync(path.join(dir, `device${i}.iot-policy.json`), JSON.stringify(policy, null, 2));
  }
  for (let i = 0; i < OTHERS; i++) {
    const dir = path.join(WORK, `svc${i % 20}`, 'src');
    mkdirSync(dir, { recursive: true });
    const kind = i % 3;
    if (kind === 0) writeFileSync(path.join(dir, `config${i}.json`), JSON.stringify({ name: `pkg${i}`, version: '1.0.0', scripts: { build: 'tsc' }, list: Array.from({ length: 40 }, (_, k) => k) }, null, 2));
    else if (kind === 1) writeFileSync(path.join(dir, `module${i}.ts`), `export function f${i}(x: number): number {\n${'  x = x * 2 + 1;\n'.repeat(60)}  return x;\n}\n`);
    else writeFileSync(path.join(dir, `values${i}.yaml`), `name: svc${i}\nreplicas: 3\nimage: registry/svc${i}:1.0\n${'env:\n  - name: A\n    value: b\n'.repeat(20)}`);
  }
}

function connect() {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  conn.onRequest(() => null);
  conn.onNotification(() => undefined);
  conn.listen();
  return { child, conn };
}

function withTimeout(p, ms, what) {
  let timer;
  return Promise.race([p, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)))]).finally(() => clearTimeout(timer));
}

/** One server: initialize, first pull, second pull with its result ids; the times of the pulls. */
async function serverRun(watching = false) {
  const { child, conn } = connect();
  try {
    const folder = pathToFileURL(WORK).toString();
    const init = await withTimeout(conn.sendRequest('initialize', {
      processId: process.pid, rootUri: null, workspaceFolders: [{ uri: folder, name: 'bench' }],
      capabilities: {
        textDocument: { diagnostic: { dynamicRegistration: false } },
        workspace: { diagnostics: { refreshSupport: true }, ...(watching ? { didChangeWatchedFiles: { dynamicRegistration: true } } : {}) },
      },
    }), LIMIT_MS, 'initialize');
    if (!init.capabilities.diagnosticProvider?.workspaceDiagnostics) throw new Error('no workspace diagnostics');
    await conn.sendNotification('initialized', {});
    let t = performance.now();
    const first = await withTimeout(conn.sendRequest('workspace/diagnostic', { previousResultIds: [] }), LIMIT_MS, 'first pull');
    const firstMs = performance.now() - t;
    const previousResultIds = first.items.filter((r) => r.resultId).map((r) => ({ uri: r.uri, value: r.resultId }));
    t = performance.now();
    const second = await withTimeout(conn.sendRequest('workspace/diagnostic', { previousResultIds }), LIMIT_MS, 'second pull');
    const secondMs = performance.now() - t;
    const findings = first.items.reduce((n, r) => n + (r.items?.length ?? 0), 0);
    const unchanged = second.items.filter((r) => r.kind === 'unchanged').length;
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    return { firstMs, secondMs, reports: first.items.length, findings, unchanged };
  } finally {
    conn.dispose();
    child.kill();
  }
}

function cliRun() {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', '--concurrency', 'off', '--no-config', WORK], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: LIMIT_MS });
  const ms = performance.now() - t;
  const out = JSON.parse(r.stdout);
  const files = Array.isArray(out) ? out.length : NaN;
  return { ms, files };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Reports one section (bench/section.mjs). */
export async function run(report) {
  for (const f of [SERVER, CLI]) if (!existsSync(f)) throw new Error(`${f} is missing: run npm run build`);
  buildTree();
  const first = [];
  const second = [];
  const watched = [];
  const cli = [];
  let last;
  let lastCli;
  for (let i = 0; i < RUNS; i++) {
    // Alternate which goes first, so that neither always meets a warm disk cache.
    if (i % 2) {
      lastCli = cliRun();
      cli.push(lastCli.ms);
    }
    last = await serverRun();
    first.push(last.firstMs);
    second.push(last.secondMs);
    watched.push((await serverRun(true)).secondMs);
    if (i % 2 === 0) {
      lastCli = cliRun();
      cli.push(lastCli.ms);
    }
  }
  const m = { first: median(first), second: median(second), watched: median(watched), cli: median(cli) };
  const section = {
    goals: [],
    title: 'Workspace diagnostics: problems in files that are not open',
    text: `A folder of ${POLICIES + OTHERS} candidate files (${POLICIES} policies). *Ours*: \`server/dist/server.js --stdio\` as an editor other than VS Code starts it (the server walks the folder itself), one \`workspace/diagnostic\` request answered in full, then a second one sending the result ids back. *Lint*: \`iot-policy lint --format json --concurrency off\` on the same folder, a process per run. Medians of ${RUNS}, alternating.`,
    rows: [
      ['What', 'Time', 'Ratio'],
      [`First pull (${last.reports} reports, ${last.findings} findings)`, `${m.first.toFixed(0)} ms`, `${(m.first / m.cli).toFixed(2)}× lint`],
      [`Second pull, result ids sent, no file watcher (${last.unchanged} unchanged: every file read and hashed, none analysed)`, `${m.second.toFixed(0)} ms`, `${(m.second / m.first).toFixed(2)}× the first`],
      ['Second pull, result ids sent, file watchers (nothing read)', `${m.watched.toFixed(0)} ms`, `${(m.watched / m.first).toFixed(3)}× the first`],
      [`\`iot-policy lint\` (${lastCli.files} files)`, `${m.cli.toFixed(0)} ms`, ''],
    ],
  };
  report(section);
  return m;
}

if (isMain(import.meta.url)) await run(printSection);
