#!/usr/bin/env node
// `npm run bench`: the IoT policy library in process against bare jsonc-parser, and our language
// server against VS Code's JSON language server over LSP on stdio. Prints a table and writes
// bench/results.md with the machine it ran on.
//
// Options: --quick (fewer iterations, for trying it out), --profile (CPU-profile our servers
// with node --cpu-prof into bench/.work/profiles and list the hot spots), --no-lsp.
// Everything is bounded in count and time; the only transport is stdio.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LspServer } from './lsp-client.mjs';
import { EDIT_MARKER, generatePolicy, statementsForSize } from './policies.mjs';
import { buildIotPolicySchema } from './schema.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const PROFILE = args.has('--profile');
const LSP = !args.has('--no-lsp');
const ITERATIONS = QUICK ? 8 : 30;
const PAIRED_ITERATIONS = QUICK ? 10 : 60;
const WARMUP = QUICK ? 2 : 5;
const MEMORY_DOCS = QUICK ? 200 : 1000;
const TOTAL_LIMIT_MS = 15 * 60_000;

const SERVICE = path.join(ROOT, 'out/server/src/service/index.js');
const CATALOG = path.join(ROOT, 'out/server/src/service/catalog/index.js');
const OUR_SERVER = path.join(ROOT, 'server/dist/server.js');
const JSON_SERVER = path.join(ROOT, 'node_modules/vscode-langservers-extracted/bin/vscode-json-language-server');
const WORK = path.join(ROOT, 'bench/.work');
const PROFILE_DIR = path.join(WORK, 'profiles');

for (const f of [SERVICE, OUR_SERVER, JSON_SERVER]) {
  if (!existsSync(f)) {
    console.error(`bench: ${path.relative(ROOT, f)} is missing; run \`npm run build\` first (npm run bench does).`);
    process.exit(2);
  }
}

const servers = new Set();
const watchdog = setTimeout(() => {
  console.error(`bench: stopped after the overall limit of ${TOTAL_LIMIT_MS / 60_000} minutes`);
  for (const s of servers) s.child?.kill();
  process.exit(3);
}, TOTAL_LIMIT_MS);

const svc = require(SERVICE);
const catalog = require(CATALOG);
const { parseTree } = require('jsonc-parser');
const { TextDocument } = require('vscode-languageserver-textdocument');

// ---- statistics and formatting -------------------------------------------------------------

function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, median: quantile(s, 0.5), p95: quantile(s, 0.95), min: s[0], max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}

function ms(x) {
  if (!Number.isFinite(x)) return 'n/a';
  if (x < 0.01) return `${(x * 1000).toFixed(1)} µs`;
  if (x < 1) return `${(x * 1000).toFixed(0)} µs`;
  if (x < 100) return `${x.toFixed(1)} ms`;
  return `${x.toFixed(0)} ms`;
}

function ratio(x) {
  return Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a';
}

function kb(text) {
  return `${(Buffer.byteLength(text) / 1024).toFixed(1)} KB`;
}

function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

/** Median time of `fn` per call; fast calls are batched so each sample is ≥ 0.5 ms. */
function timeIt(fn, { minMs = 250, minSamples = 7, maxSamples = 400 } = {}) {
  fn();
  fn();
  const t = performance.now();
  fn();
  const once = performance.now() - t;
  const batch = once < 0.5 ? Math.min(1000, Math.ceil(0.5 / Math.max(once, 0.001))) : 1;
  const samples = [];
  const start = performance.now();
  while (samples.length < minSamples || (performance.now() - start < minMs && samples.length < maxSamples)) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    samples.push((performance.now() - t0) / batch);
  }
  return stats(samples);
}

/**
 * Median time of `fn(fresh)` where each call gets a value from `make()` made outside the timing
 * (rules may cache per model, so reusing one model would flatter them).
 */
function timeFresh(make, fn, { minMs = 250, minSamples = 7, maxSamples = 60, warmup = 5 } = {}) {
  // Warm up as timeIt does (JIT tiers), with fresh values too.
  for (let i = 0; i < warmup; i++) fn(make());
  const samples = [];
  const start = performance.now();
  while (samples.length < minSamples || (performance.now() - start < minMs && samples.length < maxSamples)) {
    const x = make();
    const t0 = performance.now();
    fn(x);
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() || 'unknown',
    cores: cpus.length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    date: new Date().toISOString(),
  };
}

/** Which build of our server the LSP sections ran: `npm run bench` builds the one the .vsix ships. */
function bundleKind() {
  const text = readFileSync(OUR_SERVER, 'utf8');
  return text.includes('//# sourceMappingURL=') ? 'a development bundle, not minified' : 'the production bundle, minified as in the .vsix';
}

// ---- in process ----------------------------------------------------------------------------

/** Positions of interest in a generated policy: action, resource, variable, key, condition. */
function probeOffsets(text) {
  const out = [];
  const mid = text.indexOf('"Action": ["iot:Publish", "iot:Receive"]');
  if (mid >= 0) {
    out.push(mid + 3); // key
    out.push(mid + '"Action": ["iot:'.length); // inside an action, after the prefix
    out.push(mid + '"Action": ["iot:Pub'.length);
  }
  const marker = text.indexOf(EDIT_MARKER);
  if (marker >= 0) out.push(marker + 3);
  const variable = text.indexOf('${iot:Connection.Thing.ThingName}', mid);
  if (variable >= 0) out.push(variable + 8);
  const cond = text.indexOf('"iot:Connection.Thing.IsAttached"');
  if (cond >= 0) out.push(cond + 5);
  const effect = text.indexOf('"Effect"');
  if (effect >= 0) out.push(effect + 10);
  return out.length ? out : [0];
}

/**
 * What the server runs per keystroke: the host registry reads the document (from what it made of
 * the last version, as the server's model cache hands it over), every rule runs, LSP diagnostics.
 * With `reuse` false nothing is reused: no last version, and every rule on every statement.
 */
let lastDocument;
function validate(doc, text, reuse = true) {
  const options = { path: '/bench/p.iot-policy.json', languageId: 'json', policyGlobs: ['**/*.iot-policy.json'], detectByContent: true };
  const pdoc = svc.openPolicyDocument(text, options, reuse ? lastDocument : undefined);
  if (reuse) lastDocument = pdoc;
  return svc.toDiagnostics(doc, svc.analyzeDocument(pdoc, undefined, { reuse }));
}

/**
 * Per keystroke, paired: each round makes a text never seen before (the edit marker's digits
 * rewritten, as the LSP bench edits: one statement changes, every later offset moves with the
 * digits) and its TextDocument (whose line offsets the server's incremental update keeps), outside
 * the timing, then times the bare `parseTree`, the pipeline and the pipeline with nothing reused
 * on it, in turn and in a rotating order, so that all three see the same machine.
 */
function timeKeystrokes(text, { warmMs = 300, minMs = 1500, minRounds = 15, maxRounds = 5000 } = {}) {
  let n = 0;
  const fns = [
    (d, t) => parseTree(t, []),
    (d, t) => validate(d, t),
    (d, t) => validate(d, t, false),
  ];
  const samples = fns.map(() => []);
  const begin = performance.now();
  for (let round = 0; ; round++) {
    const warm = performance.now() - begin < warmMs;
    if (!warm && samples[0].length >= minRounds && (performance.now() - begin > warmMs + minMs || samples[0].length >= maxRounds)) break;
    const t = text.replace(`${EDIT_MARKER}0000`, `${EDIT_MARKER}${++n}`);
    const doc = TextDocument.create('file:///bench/p.iot-policy.json', 'json', n, t);
    doc.positionAt(0);
    for (let k = 0; k < fns.length; k++) {
      const j = (round + k) % fns.length;
      const t0 = performance.now();
      fns[j](doc, t);
      const took = performance.now() - t0;
      if (!warm) samples[j].push(took);
    }
  }
  const [bare, pipeline, whole] = samples.map(stats);
  return { bare, pipeline, whole };
}

function inProcess(statements) {
  const text = generatePolicy(statements);
  const doc = TextDocument.create('file:///bench/p.iot-policy.json', 'json', 1, text);
  const model = svc.parsePolicy(text);
  const pdoc = svc.jsonDocument(model);
  const findings = svc.analyze(model);
  const diagnostics = svc.toDiagnostics(doc, findings);
  const offsets = probeOffsets(text);
  const positions = offsets.map((o) => doc.positionAt(o));
  const full = { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) };
  // What the server does per keystroke (parse, run every rule, convert to LSP), beside the bare parse.
  const { bare, pipeline, whole } = timeKeystrokes(text);
  const keystrokes = { parseTree: bare, pipeline, whole };
  const r = {
    statements,
    size: kb(text),
    bytes: Buffer.byteLength(text),
    findings: findings.length,
    ...keystrokes,
    parsePolicy: timeIt(() => svc.parsePolicy(text)),
    analyze: timeFresh(() => svc.parsePolicy(text), (m) => svc.analyze(m, undefined, { reuse: false })),
    toDiagnostics: timeIt(() => svc.toDiagnostics(doc, findings)),
    hover: timeIt(() => positions.forEach((p) => svc.doHover(doc, model, p))),
    completion: timeIt(() => positions.forEach((p) => svc.doComplete(doc, pdoc, p, { snippetSupport: true }))),
    codeActions: timeIt(() => svc.getCodeActions(doc, pdoc, full, diagnostics, {})),
    symbols: timeIt(() => svc.getDocumentSymbols(doc, model)),
    positions: positions.length,
    hovers: positions.filter((p) => svc.doHover(doc, model, p)).length,
    completionItems: positions.reduce((n, p) => n + (svc.doComplete(doc, pdoc, p, { snippetSupport: true })?.items?.length ?? 0), 0),
  };
  // Features ran at several positions per sample: report per call.
  for (const k of ['hover', 'completion']) for (const q of ['median', 'p95', 'min', 'max']) r[k][q] /= positions.length;
  r.ratio = r.pipeline.median / r.parseTree.median;
  r.wholeRatio = r.whole.median / r.parseTree.median;
  r.rules = ruleCosts(text);
  return r;
}

/**
 * Mean time of each rule on fresh models (rules share per-model caches, so the first rule that
 * needs a cached structure pays for it; the order is that of ALL_RULES, as in analyze).
 */
function ruleCosts(text, runs = 8) {
  const per = new Map();
  for (let k = 0; k < runs + 2; k++) {
    const model = svc.parsePolicy(text);
    for (const rule of svc.ALL_RULES) {
      const t0 = performance.now();
      try {
        rule.check({ model, report() {} });
      } catch {
        // analyze reports rule failures itself; here only the time matters
      }
      if (k >= 2) per.set(rule.meta.id, (per.get(rule.meta.id) ?? 0) + (performance.now() - t0) / runs);
    }
  }
  return [...per.entries()].sort((a, b) => b[1] - a[1]);
}

const PHASES = ['parse', 'analyze', 'diagnostics', 'symbols', 'code actions', 'hover', 'completion'];
const DOC_LIMIT_MS = 15_000;

/**
 * Hostile and unusual documents in a worker, each through everything the editor asks
 * (diagnostics, symbols, code actions over the whole document, hover and completion at 9
 * offsets). A document that takes longer than DOC_LIMIT_MS is stopped (the worker is terminated).
 */
async function hostile() {
  let worker;
  let pending = null;
  const spawnWorker = () => {
    const w = new Worker(new URL('./hostile-worker.mjs', import.meta.url), { workerData: { service: SERVICE } });
    w.on('message', (m) => w === worker && pending?.(m));
    w.on('error', (e) => w === worker && pending?.({ fatal: e instanceof Error ? e.message : String(e) }));
    worker = w;
  };
  spawnWorker();
  const list = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('hostile worker: no document list')), 60_000);
    pending = (m) => {
      if (m.fatal) reject(new Error(m.fatal));
      if (m.list) {
        clearTimeout(timer);
        resolve(m.list);
      }
    };
    worker.postMessage({ index: 'list' });
  });
  const runDoc = (index) =>
    new Promise((resolve) => {
      const r = { phases: {}, errors: [] };
      const timer = setTimeout(() => {
        pending = null;
        void worker.terminate();
        spawnWorker();
        const stuck = PHASES.find((p) => !(p in r.phases)) ?? 'completion';
        resolve({ ...r, timedOut: stuck });
      }, DOC_LIMIT_MS);
      pending = (m) => {
        if (m.fatal) {
          clearTimeout(timer);
          pending = null;
          spawnWorker();
          resolve({ ...r, errors: [...r.errors, `worker died: ${m.fatal}`] });
          return;
        }
        if (m.index !== index) return;
        if (m.phase) {
          r.phases[m.phase] = (r.phases[m.phase] ?? 0) + m.ms;
          if (m.error && !r.errors.some((e) => e.startsWith(`${m.phase}:`))) r.errors.push(`${m.phase}: ${m.error}`);
        }
        if (m.done) {
          clearTimeout(timer);
          pending = null;
          r.diagnostics = m.diagnostics;
          resolve(r);
        }
      };
      worker.postMessage({ index });
    });
  const results = [];
  const deadline = performance.now() + 300_000;
  let oneMB;
  for (let i = 0; i < list.length; i++) {
    const d = list[i];
    const size = `${(d.bytes / 1024).toFixed(1)} KB`;
    if (performance.now() > deadline) {
      results.push({ name: d.name, size, ms: NaN, errors: ['skipped: overall time limit'], phases: {} });
      continue;
    }
    const runs = d.oneMB ? (QUICK ? 3 : 5) : 1;
    const rs = [];
    for (let k = 0; k < runs; k++) rs.push(await runDoc(i));
    const r = rs[0];
    const total = (x) => Object.values(x.phases).reduce((a, b) => a + b, 0);
    const entry = { name: d.name, size, ms: total(r), phases: r.phases, errors: r.errors, timedOut: r.timedOut, diagnostics: r.diagnostics };
    results.push(entry);
    if (d.oneMB) {
      const analysis = (x) => (x.phases.parse ?? 0) + (x.phases.analyze ?? 0) + (x.phases.diagnostics ?? 0);
      oneMB = { size, statements: statementsForSize(1024 * 1024), analysis: stats(rs.map(analysis)), everything: stats(rs.map(total)), timedOut: rs.some((x) => x.timedOut), phases: r.phases };
    }
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  await worker.terminate();
  return { results, oneMB };
}

// ---- over LSP -------------------------------------------------------------------------------

const LSP_SIZES = [
  { label: '2 KB', bytes: 2 * 1024 },
  { label: '10 KB', bytes: 10 * 1024 },
  { label: '85 KB', bytes: 85 * 1024 },
];

function ourServer(label, { pull, delay }) {
  const nodeArgs = PROFILE ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR, `--cpu-prof-name=${label.replace(/\W+/g, '-')}.cpuprofile`] : [];
  const initializationOptions = { pushDiagnostics: !pull, settings: {} };
  if (delay !== undefined) initializationOptions.diagnosticDelay = delay;
  return new LspServer(label, [...nodeArgs, OUR_SERVER, '--stdio'], { cwd: ROOT, pull, initializationOptions });
}

function jsonServer(label, { pull }, schema) {
  return new LspServer(label, [JSON_SERVER, '--stdio'], {
    cwd: ROOT,
    pull,
    initializationOptions: { provideFormatter: false },
    settings: { json: { validate: { enable: true }, schemas: [{ fileMatch: ['*.iot-policy.json'], schema }] } },
  });
}

class OpenDocument {
  constructor(server, uri, text) {
    this.server = server;
    this.doc = TextDocument.create(uri, 'json', 1, text);
    this.marker = text.indexOf(EDIT_MARKER) + EDIT_MARKER.length;
    const mid = text.indexOf('"Action": ["iot:Publish", "iot:Receive"]');
    this.completeAt = this.doc.positionAt(mid + '"Action": ["iot:'.length);
    this.hoverAt = this.doc.positionAt(mid + '"Action": ["iot:Pub'.length);
    this.edits = 0;
  }
  get uri() {
    return this.doc.uri;
  }
  get version() {
    return this.doc.version;
  }
  open() {
    return this.server.notify('textDocument/didOpen', { textDocument: { uri: this.uri, languageId: 'json', version: 1, text: this.doc.getText() } });
  }
  close() {
    return this.server.notify('textDocument/didClose', { textDocument: { uri: this.uri } });
  }
  /** Rewrites the four digits after the edit marker (same length, so every offset stays put). */
  edit() {
    this.edits++;
    const range = { start: this.doc.positionAt(this.marker), end: this.doc.positionAt(this.marker + 4) };
    const text = String(this.edits % 10_000).padStart(4, '0');
    const version = this.doc.version + 1;
    TextDocument.update(this.doc, [{ range, text }], version);
    return this.server.notify('textDocument/didChange', { textDocument: { uri: this.uri, version }, contentChanges: [{ range, text }] });
  }
}

function uriFor(server, size, kind) {
  return `file:///bench/workspace/${server.label.replace(/\W+/g, '-')}-${size.replace(/\W+/g, '')}-${kind}.iot-policy.json`;
}

/** Runs `fn` WARMUP + ITERATIONS times and returns the stats of the measured ones. */
async function iterate(fn, deadline) {
  const samples = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    if (performance.now() > deadline) break;
    const t = await fn(i);
    if (i >= WARMUP) samples.push(t);
  }
  return stats(samples);
}

/** didChange → publishDiagnostics for that version (ours sends the version; the JSON server does not). */
async function measurePush(server, text, size, versioned) {
  const d = new OpenDocument(server, uriFor(server, size, 'push'), text);
  const first = server.nextDiagnostics(d.uri, (p) => !versioned || p.version === 1, 20_000);
  await d.open();
  const firstDiags = await first;
  const deadline = performance.now() + 120_000;
  const s = await iterate(async () => {
    const next = d.version + 1;
    const got = server.nextDiagnostics(d.uri, (p) => !versioned || p.version === next, 20_000);
    const t0 = performance.now();
    await d.edit();
    await got;
    return performance.now() - t0;
  }, deadline);
  await d.close();
  return { ...s, diagnostics: firstDiags.diagnostics.length };
}

/**
 * Runs one measurement on each server in turn, iteration by iteration, so that both see the
 * same machine load (this bench often shares its machine); returns the stats per server.
 */
async function paired(servers, text, size, kind, measure) {
  const docs = servers.map((server) => new OpenDocument(server, uriFor(server, size, kind), text));
  for (const d of docs) await d.open();
  const extra = [];
  for (const d of docs) extra.push(await measure(d, true));
  const samples = docs.map(() => []);
  const deadline = performance.now() + 180_000;
  for (let i = 0; i < WARMUP + PAIRED_ITERATIONS && performance.now() < deadline; i++) {
    // Alternate who goes first.
    const order = i % 2 ? [1, 0] : [0, 1];
    for (const k of order) {
      const r = await measure(docs[k], false);
      if (i >= WARMUP) samples[k].push(r.ms);
      extra[k] = { ...extra[k], ...r.info };
    }
  }
  for (const d of docs) await d.close();
  return samples.map((s, k) => ({ ...extra[k].info, ...extra[k], ...stats(s) }));
}

/** didChange then `textDocument/diagnostic`: time from the change to the report. */
async function pull(d, first) {
  const t0 = performance.now();
  if (!first) await d.edit();
  const r = await d.server.request('textDocument/diagnostic', { textDocument: { uri: d.uri } });
  return { ms: performance.now() - t0, info: { diagnostics: r?.items?.length ?? 0 } };
}

/** didChange then completion inside an action string (typing). */
async function complete(d, first) {
  const t0 = performance.now();
  if (!first) await d.edit();
  const r = await d.server.request('textDocument/completion', { textDocument: { uri: d.uri }, position: d.completeAt, context: { triggerKind: 1 } });
  return { ms: performance.now() - t0, info: { items: Array.isArray(r) ? r.length : (r?.items?.length ?? 0) } };
}

/** Hover on an action, document unchanged. */
async function hover(d) {
  const t0 = performance.now();
  const r = await d.server.request('textDocument/hover', { textDocument: { uri: d.uri }, position: d.hoverAt });
  return { ms: performance.now() - t0, info: { hovered: !!r } };
}

/** Does our server report anything on this text? (Push: it publishes only non-empty sets, or to clear.) */
async function reportsSomething(server, text) {
  const d = new OpenDocument(server, 'file:///bench/workspace/probe.iot-policy.json', text);
  const got = server.nextDiagnostics(d.uri, (p) => p.diagnostics.length > 0, 5_000).then(
    () => true,
    () => false,
  );
  await d.open();
  const yes = await got;
  await d.close();
  return yes;
}

async function memory(server, texts) {
  await server.start();
  servers.add(server);
  const probe = new OpenDocument(server, 'file:///bench/workspace/memory-warmup.iot-policy.json', texts[0]);
  await probe.open();
  await server.request('textDocument/diagnostic', { textDocument: { uri: probe.uri } });
  await probe.close();
  await server.request('textDocument/hover', { textDocument: { uri: probe.uri }, position: { line: 0, character: 0 } });
  const before = server.memory();
  const t0 = performance.now();
  const deadline = t0 + 180_000;
  let n = 0;
  const samples = [];
  for (; n < MEMORY_DOCS && performance.now() < deadline; n++) {
    const text = texts[n % texts.length].replace(`${EDIT_MARKER}0000`, `${EDIT_MARKER}${String(n % 10_000).padStart(4, '0')}`);
    const d = new OpenDocument(server, `file:///bench/workspace/memory/doc-${n}.iot-policy.json`, text);
    await d.open();
    await server.request('textDocument/diagnostic', { textDocument: { uri: d.uri } });
    await server.request('textDocument/hover', { textDocument: { uri: d.uri }, position: d.hoverAt });
    await d.close();
    if ((n + 1) % Math.max(1, Math.floor(MEMORY_DOCS / 4)) === 0) samples.push([n + 1, server.memory().rssMB]);
  }
  // A last round trip so that every close has been processed.
  await server.request('textDocument/hover', { textDocument: { uri: probe.uri }, position: { line: 0, character: 0 } });
  const after = server.memory();
  // Then idle: V8 collects when allocation stops. Sample for a bounded time and keep the lowest.
  let settled = after;
  // The server gives memory back after 3 and 9 idle seconds (server/src/node/memory.ts).
  const idleUntil = performance.now() + 10_000;
  while (performance.now() < idleUntil) {
    await new Promise((r) => setTimeout(r, 500));
    const m = server.memory();
    if (m.rssMB < settled.rssMB) settled = m;
  }
  await server.stop();
  servers.delete(server);
  return { documents: n, seconds: (performance.now() - t0) / 1000, before, after, settled, samples };
}

async function overLsp(schema) {
  const texts = {};
  for (const s of LSP_SIZES) texts[s.label] = generatePolicy(statementsForSize(s.bytes), { mistakes: true });

  const ourPush = ourServer('ours push', { pull: false, delay: 0 });
  const ourPushDefault = ourServer('ours push default delay', { pull: false });
  const ourPull = ourServer('ours pull', { pull: true });
  const jsonPush = jsonServer('json push', { pull: false }, schema);
  const jsonPull = jsonServer('json pull', { pull: true }, schema);
  const all = [ourPush, ourPushDefault, ourPull, jsonPush, jsonPull];
  for (const s of all) {
    servers.add(s);
    await s.start();
  }
  const notes = [];
  if (!jsonPull.capabilities?.diagnosticProvider) notes.push('The JSON server did not announce pull diagnostics.');
  // Our push server publishes only non-empty diagnostics (or a clear); make sure each version has some.
  let prefix = '';
  if (!(await reportsSomething(ourPush, texts['2 KB']))) {
    prefix = '// edited with a comment so that every version has a diagnostic\n';
    notes.push(
      'Our server reported no problem in the generated documents (misspelt action, lower-case Effect), so each document starts with a `//` comment (a JSON syntax error for both servers) to make every version publish diagnostics.',
    );
    for (const k of Object.keys(texts)) texts[k] = prefix + texts[k];
  }

  const rows = [];
  for (const size of LSP_SIZES) {
    const text = texts[size.label];
    const row = { size: size.label, bytes: Buffer.byteLength(text) };
    row.oursPush = await measurePush(ourPush, text, size.label, true);
    row.jsonPush = await measurePush(jsonPush, text, size.label, false);
    if (size.label === '2 KB') row.oursPushDefault = await measurePush(ourPushDefault, text, size.label, true);
    [row.oursPull, row.jsonPull] = await paired([ourPull, jsonPull], text, size.label, 'pull', pull);
    [row.oursCompletion, row.jsonCompletion] = await paired([ourPull, jsonPull], text, size.label, 'completion', complete);
    [row.oursHover, row.jsonHover] = await paired([ourPull, jsonPull], text, size.label, 'hover', hover);
    rows.push(row);
    console.error(`bench: LSP ${size.label} done`);
  }
  const startup = Object.fromEntries(all.map((s) => [s.label, s.initializeMs]));
  const stderr = Object.fromEntries(all.map((s) => [s.label, s.stderr.trim()]));
  for (const s of all) {
    await s.stop();
    servers.delete(s);
  }

  const memTexts = [texts['10 KB'], texts['2 KB'], texts['85 KB']];
  const ourMem = await memory(ourServer('ours memory', { pull: true }), memTexts);
  const jsonMem = await memory(jsonServer('json memory', { pull: true }, schema), memTexts);
  return { rows, notes, startup, stderr, memory: { ours: ourMem, json: jsonMem } };
}

// ---- CPU profiles ---------------------------------------------------------------------------

function hotSpots(file, top = 12) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = prof.timeDeltas ?? [];
  let total = 0;
  prof.samples.forEach((id, i) => {
    const dt = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    total += dt;
    const n = byId.get(id);
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url ? path.basename(f.url) : ''}${f.url ? `:${f.lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { total, rows };
}

// ---- main -----------------------------------------------------------------------------------

async function main() {
  const info = machine();
  console.error(`bench: ${info.cpu}, ${info.cores} cores, ${info.memory}, Node ${info.node}${QUICK ? ' (quick)' : ''}`);
  const schema = buildIotPolicySchema(catalog);
  writeFileSync(path.join(ROOT, 'bench/iot-policy.schema.json'), JSON.stringify(schema, null, 2) + '\n');

  if (args.has('--pulled')) {
    // Just the paired pull comparison, printed (for work on the server's latency).
    const texts = LSP_SIZES.map((sz) => [sz.label, generatePolicy(statementsForSize(sz.bytes), { mistakes: true })]);
    const ours = ourServer('ours pull', { pull: true });
    const json = jsonServer('json pull', { pull: true }, schema);
    for (const s of [ours, json]) {
      servers.add(s);
      await s.start();
    }
    // As in the whole run, where other measurements come first: both servers idle a while
    // (`--idle=<seconds>`, 3 by default; the whole run's pulls come after about 18).
    const idle = Number(process.argv.find((a) => a.startsWith('--idle='))?.slice('--idle='.length) ?? 3);
    await new Promise((r) => setTimeout(r, (Number.isFinite(idle) && idle >= 0 ? idle : 3) * 1000));
    for (const [label, text] of texts) {
      const [o, j] = await paired([ours, json], text, label, 'pull', pull);
      console.log(`${label}: pulled ours ${ms(o.median)} / ${ms(o.p95)}, JSON ${ms(j.median)} / ${ms(j.p95)}, ratio ${ratio(o.median / j.median)}`);
    }
    for (const s of [ours, json]) await s.stop();
    process.exit(0);
  }
  const sizes = [2, 50, 400].map((n) => inProcess(n));
  console.error('bench: in-process done');
  if (args.has('--in-process')) {
    // Just this section, printed (for work on the analysis itself).
    for (const r of sizes) console.log(`${r.statements} statements: parseTree ${ms(r.parseTree.median)}, pipeline ${ms(r.pipeline.median)} ${ratio(r.ratio)}, whole ${ms(r.whole.median)} ${ratio(r.wholeRatio)}; means ${ms(r.parseTree.mean)} ${ms(r.pipeline.mean)} ${ratio(r.pipeline.mean / r.parseTree.mean)} whole ${ratio(r.whole.mean / r.parseTree.mean)}`);
    process.exit(0);
  }
  const hostileResult = await hostile();
  console.error('bench: hostile documents done');

  // The hosts for policies where they are written: each bench module reports its own sections.
  const hostSections = [];
  // Then the review engine (diff, explain) and the CLI at scale against ajv-cli.
  for (const name of ['templates', 'terraform', 'cdk', 'review', 'workspace', 'cli-scale']) {
    const file = path.join(ROOT, 'bench', `${name}.mjs`);
    if (!existsSync(file)) continue;
    const mod = await import(pathToFileURL(file).href);
    await mod.run((section) => hostSections.push(section), { lsp: LSP, quick: QUICK });
    console.error(`bench: ${name} done`);
  }

  let lsp;
  if (LSP) {
    if (PROFILE) {
      rmSync(PROFILE_DIR, { recursive: true, force: true });
      mkdirSync(PROFILE_DIR, { recursive: true });
    }
    lsp = await overLsp(schema);
  }
  const md = report(info, sizes, hostileResult, lsp, hostSections);
  writeFileSync(path.join(ROOT, 'bench/results.md'), md);
  console.log(md);
  console.error('bench: wrote bench/results.md');
}

function report(info, sizes, hostileResult, lsp, hostSections = []) {
  const out = [];
  out.push('# Benchmark results', '');
  out.push(`Generated by \`npm run bench\`${QUICK ? ' --quick' : ''}${PROFILE ? ' --profile' : ''} on ${info.date}. Do not edit by hand: rerun.`, '');
  out.push('## Machine', '');
  out.push(table(['CPU', 'Cores', 'Memory', 'Node', 'OS'], [[info.cpu, info.cores, info.memory, info.node, info.os]]), '');

  out.push('## In process (library, no transport)', '');
  out.push(
    'Generated policies with variables, conditions, several actions and resources per statement. Median per call. ' +
      '*Pipeline* is what the server runs per keystroke: `openPolicyDocument` (the host registry; here the JSON host, which reads the edited statement again and moves the rest of the last version) + `analyzeDocument` + `toDiagnostics`, each time on a text it has not seen (the edit marker\'s digits rewritten, as the LSP bench edits), so one statement is new and every later one has moved; the ratio is pipeline / bare jsonc-parser `parseTree`. ' +
      '*Whole* is the same pipeline with nothing reused from the version before (a document\'s first analysis: a whole parse, every rule on every statement). ' +
      `Hover and completion: per call, averaged over ${sizes[0].positions} positions (keys, actions, resources, variables, conditions); code actions over the whole document with all its diagnostics.`,
    '',
  );
  out.push(
    table(
      ['Statements', 'Size', 'Findings', 'parseTree', 'parsePolicy', 'analyze (fresh model, whole)', 'toDiagnostics', 'Pipeline', 'Ratio', 'Whole', 'Whole ratio', 'Hover', 'Completion', 'Code actions', 'Symbols'],
      sizes.map((r) => [
        r.statements,
        r.size,
        r.findings,
        ms(r.parseTree.median),
        ms(r.parsePolicy.median),
        ms(r.analyze.median),
        ms(r.toDiagnostics.median),
        ms(r.pipeline.median),
        ratio(r.ratio),
        ms(r.whole.median),
        ratio(r.wholeRatio),
        ms(r.hover.median),
        ms(r.completion.median),
        ms(r.codeActions.median),
        ms(r.symbols.median),
      ]),
    ),
    '',
  );
  const big = sizes[sizes.length - 1];
  const ruleTotal = big.rules.reduce((a, [, v]) => a + v, 0);
  out.push(`Where the analysis time goes on ${big.statements} statements: ${big.rules.length} rules, ${ms(ruleTotal)} in all (each rule on fresh models, in \`analyze\` order; shared per-model caches are charged to the first rule that fills them). The eight slowest:`, '');
  out.push(table(['Rule', 'Time', 'Share'], big.rules.slice(0, 8).map(([id, v]) => [id, ms(v), `${((100 * v) / ruleTotal).toFixed(0)}%`])), '');
  const featureNote = sizes.every((r) => r.hovers === 0) || sizes.every((r) => r.completionItems === 0);
  if (featureNote) out.push(`Note: at the time of this run ${[sizes.every((r) => r.hovers === 0) ? 'hover returned nothing' : '', sizes.every((r) => r.completionItems === 0) ? 'completion returned no items' : ''].filter(Boolean).join(' and ')} at the probed positions (feature not implemented yet?), so those figures measure little.`, '');

  out.push('## Hostile and unusual documents', '');
  out.push(
    `Mutations of generated policies (truncation, byte flips, deletions, insertion of \`\${\`, quotes, braces, surrogate halves, NUL, RTL and zero-width characters), 100,000-deep nesting, 10 MB strings, 10,000 statements, wildcard patterns built against naive matchers. ` +
      `Each document once, in a worker, through everything the editor asks, on the server's path with its size limits (\`openPolicyDocument\`, \`analyzeDocument\`; over 1 MB only syntax and structure are checked, over 4 MB a document is not parsed): parse, analyze, diagnostics, symbols, code actions over the whole document with all its diagnostics, hover and completion at 9 offsets. A document is stopped after ${DOC_LIMIT_MS / 1000} s.`,
    '',
  );
  const hr = hostileResult.results;
  const sorted = [...hr].sort((a, b) => (b.timedOut ? Infinity : b.ms || 0) - (a.timedOut ? Infinity : a.ms || 0));
  const failures = hr.filter((r) => r.errors.length || r.timedOut);
  const slowPhase = (r) => {
    const e = Object.entries(r.phases).sort((a, b) => b[1] - a[1])[0];
    return e ? `${e[0]} ${ms(e[1])}` : '';
  };
  const timeOf = (r) => (r.timedOut ? `> ${DOC_LIMIT_MS / 1000} s (stopped in ${r.timedOut})` : ms(r.ms));
  out.push(`Documents: ${hr.length}. Slowest: **${sorted[0].name}** (${sorted[0].size}): **${timeOf(sorted[0])}**. Documents with an exception or stopped: ${failures.length}.`, '');
  out.push(table(['Document', 'Size', 'Total', 'Slowest phase', 'Diagnostics'], sorted.slice(0, 10).map((r) => [r.name, r.size, timeOf(r), slowPhase(r), r.diagnostics ?? ''])), '');
  if (failures.length) {
    out.push('Exceptions and stopped documents (the server catches exceptions per request and answers empty results; the library throwing is still a bug):', '');
    for (const f of failures) out.push(`- ${f.name} (${f.size}): ${[...(f.timedOut ? [`stopped after ${DOC_LIMIT_MS / 1000} s in ${f.timedOut}`] : []), ...f.errors].join('; ')}`);
    out.push('');
  }
  const m = hostileResult.oneMB;
  out.push(
    `1 MB document (${m.statements} statements, ${m.size}): analysis (parse + analyze + diagnostics) median **${ms(m.analysis.median)}** (max ${ms(m.analysis.max)}); everything above median ${ms(m.everything.median)} (max ${ms(m.everything.max)}), ${m.analysis.n} runs` +
      `; phases of the first run: ${Object.entries(m.phases).map(([k, v]) => `${k} ${ms(v)}`).join(', ')}.`,
    '',
  );

  const goals = [];
  for (const r of sizes) goals.push([`In-process analysis ≤ 5× parseTree (${r.statements} statements, ${r.size})`, `${ratio(r.ratio)} (${ms(r.pipeline.median)} vs ${ms(r.parseTree.median)})`, r.ratio <= 5]);
  goals.push(['1 MB document fully analysed well under a second (parse + analyze + diagnostics)', `${ms(m.analysis.median)}${m.timedOut ? ' (a run was stopped)' : ''}`, m.analysis.median < 1000 && !m.timedOut]);
  goals.push(['(bench check) every hostile document through every feature without exception, each under 1 s', `slowest ${timeOf(sorted[0])}; ${failures.length} with exception or stopped`, !failures.length && sorted[0].ms < 1000]);

  if (lsp) {
    out.push('## Over LSP on stdio: our server vs VS Code\'s JSON language server', '');
    out.push(
      `*Ours*: \`node server/dist/server.js --stdio\` (${bundleKind()}), push instance started with \`diagnosticDelay: 0\`. ` +
        '*JSON*: `vscode-json-language-server --stdio` from vscode-langservers-extracted 4.10.0 with `bench/iot-policy.schema.json` (generated from the catalogue) associated through `settings.json.schemas` (`fileMatch: *.iot-policy.json`). ' +
        `Median / p95 in ms after ${WARMUP} warm-ups: pushed over ${ITERATIONS} iterations per server; pulled, completion and hover over ${PAIRED_ITERATIONS} iterations alternating between the two servers (so both see the same machine load). ` +
        '*Pushed*: didChange → `publishDiagnostics` for that version (the JSON server debounces 500 ms). *Pulled*: didChange then `textDocument/diagnostic`, until the report arrives. ' +
        '*Completion*: didChange then completion inside an action string (both servers must re-parse). *Hover*: on an action, document unchanged. ' +
        'Each document contains a misspelt action and a lower-case `Effect`; the diagnostics columns count what each server reported.',
      '',
    );
    for (const n of lsp.notes) out.push(`Note: ${n}`, '');
    const mp = (s) => `${ms(s.median)} / ${ms(s.p95)}`;
    out.push(
      table(
        ['Size', 'Pushed ours', 'Pushed JSON', 'Pulled ours', 'Pulled JSON', 'Pulled ratio', 'Completion ours', 'Completion JSON', 'Completion ratio', 'Hover ours', 'Hover JSON', 'Diagnostics ours/JSON', 'Items ours/JSON'],
        lsp.rows.map((r) => [
          `${r.size} (${(r.bytes / 1024).toFixed(1)} KB)`,
          mp(r.oursPush),
          mp(r.jsonPush),
          mp(r.oursPull),
          mp(r.jsonPull),
          ratio(r.oursPull.median / r.jsonPull.median),
          mp(r.oursCompletion),
          mp(r.jsonCompletion),
          ratio(r.oursCompletion.median / r.jsonCompletion.median),
          mp(r.oursHover),
          mp(r.jsonHover),
          `${r.oursPull.diagnostics}/${r.jsonPull.diagnostics}`,
          `${r.oursCompletion.items}/${r.jsonCompletion.items}`,
        ]),
      ),
      '',
    );
    const d2 = lsp.rows[0].oursPushDefault;
    if (d2) out.push(`With the server's default push settings (an edit to an idle document is analysed at once; edits within the cool-down, four times the last analysis and at most 50 ms, are coalesced; used by editors without pull diagnostics, VS Code pulls), pushed on 2 KB: ${mp(d2)}.`, '');
    const noItems = lsp.rows.every((r) => r.oursCompletion.items === 0);
    const noHover = lsp.rows.every((r) => !r.oursHover.hovered);
    if (noItems || noHover) out.push(`Note: our server ${[noItems ? 'returned no completion items' : '', noHover ? 'returned no hover' : ''].filter(Boolean).join(' and ')} at the probed position in this run, so those latencies do not include building a result.`, '');
    out.push(`Startup (spawn → initialize result): ${Object.entries(lsp.startup).map(([k, v]) => `${k} ${ms(v)}`).join(', ')}.`, '');
    const mem = lsp.memory;
    out.push('### Memory', '');
    out.push(
      `Each server (pull mode) opened, pulled diagnostics for, hovered and closed ${mem.ours.documents} documents (10 KB, 2 KB and 85 KB in turn); RSS from /proc/<pid>/status.`,
      '',
    );
    out.push(
      table(
        ['Server', 'Documents', 'Time', 'RSS before', 'RSS right after', 'RSS after 10 s idle', 'Peak RSS'],
        [
          ['ours', mem.ours],
          ['JSON', mem.json],
        ].map(([k, x]) => [k, x.documents, `${x.seconds.toFixed(1)} s`, `${x.before.rssMB.toFixed(1)} MB`, `${x.after.rssMB.toFixed(1)} MB`, `${x.settled.rssMB.toFixed(1)} MB`, `${x.settled.peakMB.toFixed(1)} MB`]),
      ),
      '',
    );
    out.push(`RSS along the way (documents: MB): ours ${mem.ours.samples.map(([k, v]) => `${k}: ${v.toFixed(0)}`).join(', ')}; JSON ${mem.json.samples.map(([k, v]) => `${k}: ${v.toFixed(0)}`).join(', ')}.`, '');
    for (const r of lsp.rows) {
      const q = r.oursPull.median / r.jsonPull.median;
      goals.push([`Pulled diagnostics ours/JSON ≤ 1.0 (${r.size})`, `${ratio(q)} (${ms(r.oursPull.median)} vs ${ms(r.jsonPull.median)})`, q <= 1]);
    }
    for (const r of lsp.rows) {
      const q = r.oursCompletion.median / r.jsonCompletion.median;
      goals.push([`Completion ours/JSON ≤ 1.0 (${r.size})`, `${ratio(q)} (${ms(r.oursCompletion.median)} vs ${ms(r.jsonCompletion.median)})${r.oursCompletion.items === 0 ? ', ours returned no items' : ''}`, q <= 1]);
    }
    // With the default settings an editor gets (the issue's measure), not the bench's delay 0.
    const pushed = lsp.rows[0].oursPushDefault ?? lsp.rows[0].oursPush;
    goals.push(['Pushed edit → diagnostics median ≤ 50 ms (2 KB, default settings)', `${ms(pushed.median)} (JSON ${ms(lsp.rows[0].jsonPush.median)})`, pushed.median <= 50]);
    goals.push([`Server memory ≤ 80 MB after ${mem.ours.documents} documents opened and closed`, `${mem.ours.after.rssMB.toFixed(1)} MB RSS right after, ${mem.ours.settled.rssMB.toFixed(1)} MB after idling (peak ${mem.ours.settled.peakMB.toFixed(1)} MB; JSON server ${mem.json.after.rssMB.toFixed(1)} MB)`, mem.ours.settled.rssMB <= 80 && mem.ours.documents >= 1000]);
    const errs = Object.entries(lsp.stderr).filter(([, v]) => v);
    if (errs.length) out.push('Server stderr:', '', ...errs.map(([k, v]) => `- ${k}: \`${v.slice(0, 300).replace(/\s+/g, ' ')}\``), '');
  }
  if (hostSections.length) {
    out.push('## Policies where they are written: templates, Terraform and code', '');
    for (const s of hostSections) {
      out.push(`### ${s.title}`, '');
      if (s.text) out.push(s.text, '');
      out.push(table(s.rows[0], s.rows.slice(1)), '');
      for (const g of s.goals ?? []) goals.push(g);
    }
  }
  goals.push(['Activation to first diagnostics ≤ 1 s (end-to-end run)', 'measured and printed by the end-to-end tests, not by this bench', null]);

  if (PROFILE && existsSync(PROFILE_DIR)) {
    out.push('## CPU profiles of our servers', '');
    for (const f of readdirSync(PROFILE_DIR).filter((x) => x.endsWith('.cpuprofile')).sort()) {
      const h = hotSpots(path.join(PROFILE_DIR, f));
      out.push(`### ${f} (${ms(h.total)} sampled)`, '');
      out.push(table(['Self time', 'Function'], h.rows.map(([k, v]) => [ms(v), `\`${k}\``])), '');
    }
  }

  out.push('## Goals', '');
  out.push(table(['Goal', 'Measured', 'Result'], goals.map(([g, v, ok]) => [g, v, ok === null ? '—' : ok ? 'met' : '**missed**'])), '');
  out.push('What limits the missed goals, and the hot spots, are discussed in `bench/README.md`.', '');
  return out.join('\n');
}

main()
  .catch((err) => {
    console.error(`bench: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    for (const s of servers) console.error(`--- ${s.label} stderr ---\n${s.stderr}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const s of servers) await s.stop().catch(() => s.child?.kill());
    clearTimeout(watchdog);
  });
