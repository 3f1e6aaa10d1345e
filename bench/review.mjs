// The review engine: `diffPolicies` on two 50-statement policies (a realistic change: three
// statements widened, two narrowed, a Deny dropped, one added), on two unrelated 50-statement
// policies (every Allow meets every other), and `explainPolicies` on one of them. In process,
// medians (warm). With `lsp`, also the editor's `iotPolicy/review` request over LSP (the panel's
// "Compare with…" on the same pair, the base sent as text).
//
// `node bench/review.mjs` prints the tables; bench/run.mjs calls `run(report, { lsp })`.
import { isMain, printSection } from './section.mjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LspServer } from './lsp-client.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'out/server/src');
const OUR_SERVER = path.join(ROOT, 'server/dist/server.js');

const STATEMENTS = 50;
const WARMUP = 3;
const RUNS = 15;
const LSP_WARMUP = 2;
const LSP_RUNS = 10;
const GOAL_MS = 100;

const ARN = 'arn:aws:iot:eu-west-1:493812760155';
const THING = '${iot:Connection.Thing.ThingName}';

/** Statement `i` of a fleet's device policy: the shapes such policies repeat, each on its own topics. */
function statement(i, variant = '') {
  const area = `area${i}${variant}`;
  switch (i % 6) {
    case 0:
      return { Sid: `Connect${i}`, Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/${area}-${THING}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } };
    case 1:
      return { Sid: `Publish${i}`, Effect: 'Allow', Action: 'iot:Publish', Resource: [`${ARN}:topic/${area}/${THING}/telemetry/*`, `${ARN}:topic/${area}/${THING}/events/?`] };
    case 2:
      return { Sid: `Subscribe${i}`, Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/${area}/${THING}/commands/*` };
    case 3:
      return { Sid: `Receive${i}`, Effect: 'Allow', Action: ['iot:Receive', 'iot:Publish'], Resource: `${ARN}:topic/${area}/broadcast/*`, Condition: { StringEquals: { 'iot:Connection.Thing.ThingTypeName': ['sensor', 'gateway'] } } };
    case 4:
      return { Sid: `Shadow${i}`, Effect: 'Allow', Action: ['iot:GetThingShadow', 'iot:UpdateThingShadow'], Resource: `${ARN}:thing/${area}-${THING}` };
    default:
      return { Sid: `NoAdmin${i}`, Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}:topic/${area}/admin/*` };
  }
}

function policy(statements) {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

/** The pair of a realistic change: the same policy with a few statements widened, narrowed, dropped and added. */
export function changedPair() {
  const base = Array.from({ length: STATEMENTS }, (_, i) => statement(i));
  const next = base.map((s) => structuredClone(s));
  next[1].Resource = `${ARN}:topic/area1/*`; // widened: any thing's telemetry
  next[6].Resource = `${ARN}:client/*`; // widened: any client ID
  next[8].Resource = `${ARN}:topicfilter/area8/#`; // a literal #: narrowed
  next[13].Resource = [`${ARN}:topic/area13/${THING}/telemetry/temp`]; // narrowed
  next[22].Condition = { StringEqualsIfExists: { 'iot:Connection.Thing.ThingTypeName': 'sensor' } }; // IfExists: widened
  next.splice(11, 1); // a Deny dropped
  next.push({ Sid: 'NoDebug', Effect: 'Deny', Action: 'iot:*', Resource: `${ARN}:topic/debug/*` });
  return [policy(base), policy(next)];
}

/** Two unrelated 50-statement policies: every topic pattern of one overlaps many of the other. */
export function unrelatedPair() {
  const a = Array.from({ length: STATEMENTS }, (_, i) => statement(i));
  const b = Array.from({ length: STATEMENTS }, (_, i) => statement(i, '*'));
  return [policy(a), policy(b)];
}

function median(xs) {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

function timeIt(fn) {
  for (let i = 0; i < WARMUP; i++) fn();
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    last = fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), last };
}

const fmt = (ms) => (ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);

function inProcess(svc) {
  const model = (name, text) => ({ name, model: svc.parsePolicy(text) });
  const results = {};
  const rows = [];
  for (const [label, [baseText, nextText]] of [['a change of 7 statements', changedPair()], ['two unrelated policies', unrelatedPair()]]) {
    const base = [model('base.json', baseText)];
    const next = [model('new.json', nextText)];
    const diff = timeIt(() => svc.diffPolicies(base, next));
    const items = diff.last.items;
    const may = items.filter((i) => i.certainty === 'may').length;
    results[label] = diff.ms;
    rows.push([`diff: ${label}`, `${STATEMENTS} / ${JSON.parse(nextText).Statement.length}`, `${items.length} (${may} "may")`, fmt(diff.ms), `≤ ${GOAL_MS} ms`]);
  }
  const [, nextText] = changedPair();
  const explain = timeIt(() => svc.explainPolicies([model('new.json', nextText)]));
  results.explain = explain.ms;
  rows.push(['explain', `${JSON.parse(nextText).Statement.length}`, `${explain.last.actions.reduce((n, a) => n + a.items.length, 0)}`, fmt(explain.ms), '']);
  return { rows, results };
}

async function overLsp() {
  const [baseText, nextText] = changedPair();
  const server = new LspServer('ours', [OUR_SERVER, '--stdio'], { cwd: ROOT, pull: true, initializationOptions: { pushDiagnostics: false, settings: {} } });
  try {
    await server.start();
    const uri = pathToFileURL(path.join(ROOT, 'bench/.work/new.iot-policy.json')).href;
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text: nextText } });
    const params = { kind: 'diff', uri, base: { uri: `${uri}?base`, text: baseText, label: 'base' } };
    for (let i = 0; i < LSP_WARMUP; i++) await server.request('iotPolicy/review', params);
    const times = [];
    let last;
    for (let i = 0; i < LSP_RUNS; i++) {
      const t0 = performance.now();
      last = await server.request('iotPolicy/review', params);
      times.push(performance.now() - t0);
    }
    return { ms: median(times), rows: last.sections.reduce((n, s) => n + s.rows.length, 0) };
  } finally {
    await server.stop();
  }
}

export async function run(report, { lsp = true } = {}) {
  const svc = require(path.join(OUT, 'service/index.js'));
  const { rows, results } = inProcess(svc);
  const worst = Math.max(results['a change of 7 statements'], results['two unrelated policies']);
  report({
    goals: [[`Review: diffing two ${STATEMENTS}-statement policies ≤ ${GOAL_MS} ms`, `${fmt(results['a change of 7 statements'])} (a change), ${fmt(results['two unrelated policies'])} (unrelated)`, worst <= GOAL_MS]],
    title: `Review engine: diff and explain on ${STATEMENTS}-statement policies, medians of ${RUNS} (warm)`,
    text: 'In process: `diffPolicies` (every action IoT Core authorises, every region solved, every witness confirmed with `evaluate`) and `explainPolicies`.',
    rows: [['What', 'Statements', 'Items', 'Time', 'Goal'], ...rows],
  });
  if (lsp) {
    const l = await overLsp();
    results.lsp = l.ms;
    report({
      goals: [],
      title: 'Over LSP: the panel\'s "Compare with…" request (iotPolicy/review, diff) on the changed pair',
      text: `The new policy open in the server, the base sent as text; medians of ${LSP_RUNS} requests after ${LSP_WARMUP} warm-ups.`,
      rows: [['Request', 'Rows', 'Time'], ['iotPolicy/review (diff)', String(l.rows), fmt(l.ms)]],
    });
  }
  return results;
}

if (isMain(import.meta.url)) await run(printSection, { lsp: !process.argv.includes('--no-lsp') });
