#!/usr/bin/env node
// Lints every NNN.json of a policy corpus with the built CLI (server/dist/cli.js, in-process,
// `lint --format json --no-config`) and checks that:
//   - every document was analysed (present in the output, no `internal-error` finding, exit code not 2);
//   - every (file, ruleId) row of the corpus's EXPECTED.tsv is reported.
// Prints a summary line and per-rule finding counts; exits 1 on any miss or crash.
//
// Usage: node scripts/check-corpus.mjs <corpus dir> [--show]
//   --show   also print the text-format report of every document (to read the messages).
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cliPath = path.resolve(here, '..', 'server', 'dist', 'cli.js');

const args = process.argv.slice(2);
const show = args.includes('--show');
const positional = args.filter((a) => !a.startsWith('--'));
if (positional.length !== 1) {
  console.error('usage: node scripts/check-corpus.mjs <corpus dir> [--show]');
  process.exit(2);
}
const corpus = path.resolve(positional[0]);

if (!fs.existsSync(cliPath)) {
  console.error(`check-corpus: ${path.relative(process.cwd(), cliPath)} is missing; run "npm run build" (or "node esbuild.mjs") first`);
  process.exit(2);
}

let names;
try {
  names = fs.readdirSync(corpus).filter((n) => /^\d+\.json$/.test(n)).sort();
} catch (err) {
  console.error(`check-corpus: cannot read corpus directory ${corpus}: ${err.message}`);
  process.exit(2);
}
if (names.length === 0) {
  console.error(`check-corpus: no NNN.json documents in ${corpus}`);
  process.exit(1);
}

/** EXPECTED.tsv: file, ruleId, why (first line is the header). */
function readExpected() {
  const file = path.join(corpus, 'EXPECTED.tsv');
  if (!fs.existsSync(file)) return [];
  const rows = [];
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (i === 0 || !line.trim()) continue;
    const [doc, ruleId, why = ''] = line.split('\t');
    if (!doc || !ruleId) continue;
    rows.push({ file: doc.trim(), ruleId: ruleId.trim(), why: why.trim() });
  }
  return rows;
}

const require = createRequire(import.meta.url);
const cli = require(cliPath);
if (typeof cli.main !== 'function') {
  console.error(`check-corpus: ${cliPath} does not export main(argv, io)`);
  process.exit(2);
}

async function runCli(argv) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    readFile: (f) => fs.readFileSync(f, 'utf8'),
    cwd: process.cwd(),
    isTTY: false,
    env: { NO_COLOR: '1' },
  };
  const code = await cli.main(argv, io);
  return { code, stdout, stderr };
}

const paths = names.map((n) => path.join(corpus, n));
const started = process.hrtime.bigint();
const result = await runCli(['lint', '--format', 'json', '--no-config', ...paths]);
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;

const problems = [];
if (result.code === 2) problems.push(`the CLI exited 2: ${result.stderr.trim() || '(no message)'}`);

let report = [];
try {
  report = JSON.parse(result.stdout);
} catch (err) {
  problems.push(`the CLI did not print JSON (${err.message}); stderr: ${result.stderr.trim()}`);
}

/** basename -> findings */
const byFile = new Map();
for (const entry of report) byFile.set(path.basename(entry.file), entry.findings);

for (const n of names) {
  const findings = byFile.get(n);
  if (!findings) {
    problems.push(`${n}: not analysed (missing from the output)`);
    continue;
  }
  for (const f of findings) {
    if (f.ruleId === 'internal-error') {
      problems.push(`${n}: internal error at ${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.message}`);
    }
  }
}

const expected = readExpected();
let reported = 0;
for (const row of expected) {
  const findings = byFile.get(row.file);
  if (findings?.some((f) => f.ruleId === row.ruleId)) reported++;
  else problems.push(`${row.file}: expected ${row.ruleId} was not reported (${row.why})`);
}

// The originals: the templates, Terraform files and CDK stacks some entries came from, read by
// their hosts. Each must hold at least one policy, analysed without a crash, and report what
// EXPECTED.tsv expects of its entry (a finding of the JSON text, json-syntax, is no finding of
// the original, whose policy is not JSON text).
const ORIGINAL_SKIP_RULES = new Set(['json-syntax']);
const originalsDir = path.join(corpus, 'originals');
const originals = fs.existsSync(originalsDir) ? fs.readdirSync(originalsDir).filter((n) => /^\d+\./.test(n)).sort() : [];
let originalsOk = 0;
if (originals.length) {
  const r = await runCli(['lint', '--format', 'json', '--no-config', ...originals.map((n) => path.join(originalsDir, n))]);
  let out = [];
  try {
    out = JSON.parse(r.stdout);
  } catch (err) {
    problems.push(`originals: the CLI did not print JSON (${err.message}); stderr: ${r.stderr.trim()}`);
  }
  const found = new Map(out.map((e) => [path.basename(e.file), e.findings]));
  for (const n of originals) {
    const findings = found.get(n);
    if (!findings) {
      problems.push(`originals/${n}: no IoT policy found (${r.stderr.split('\n').find((l) => l.includes(n))?.trim() ?? 'not in the output'})`);
      continue;
    }
    const crash = findings.find((f) => f.ruleId === 'internal-error');
    if (crash) problems.push(`originals/${n}: internal error: ${crash.message}`);
    const entry = `${n.split('.')[0]}.json`;
    const missing = expected.filter((row) => row.file === entry && !ORIGINAL_SKIP_RULES.has(row.ruleId) && !findings.some((f) => f.ruleId === row.ruleId));
    for (const row of missing) problems.push(`originals/${n}: expected ${row.ruleId} was not reported (${row.why})`);
    if (!crash && !missing.length) originalsOk++;
  }
  console.log(`corpus: ${originalsOk}/${originals.length} originals (templates, Terraform, CDK) read with their policies and expected findings`);
}

// Per-rule counts: findings and documents, and by severity.
const perRule = new Map();
const perSeverity = { error: 0, warning: 0, info: 0, hint: 0 };
for (const [file, findings] of byFile) {
  for (const f of findings) {
    perSeverity[f.severity] = (perSeverity[f.severity] ?? 0) + 1;
    let r = perRule.get(f.ruleId);
    if (!r) perRule.set(f.ruleId, (r = { findings: 0, docs: new Set() }));
    r.findings++;
    r.docs.add(file);
  }
}

if (show) {
  const text = await runCli(['lint', '--format', 'text', '--no-config', ...paths.map((p) => path.relative(process.cwd(), p))]);
  process.stdout.write(text.stdout);
  if (text.stderr) process.stdout.write(text.stderr);
  console.log('');
}

const analysed = names.filter((n) => byFile.has(n)).length;
console.log(`corpus: ${analysed} documents analysed, ${reported}/${expected.length} expected findings reported`);
const total = [...perRule.values()].reduce((s, r) => s + r.findings, 0);
const docsWithFindings = [...byFile.values()].filter((f) => f.length > 0).length;
console.log(
  `corpus: ${total} findings (${perSeverity.error} errors, ${perSeverity.warning} warnings, ${perSeverity.info} infos, ${perSeverity.hint} hints) ` +
    `in ${docsWithFindings} of ${analysed} documents, ${elapsedMs.toFixed(0)} ms`,
);
const rows = [...perRule.entries()].sort((a, b) => b[1].findings - a[1].findings || a[0].localeCompare(b[0]));
if (rows.length) {
  const width = Math.max(...rows.map(([id]) => id.length));
  console.log('findings per rule (findings, documents):');
  for (const [id, r] of rows) console.log(`  ${id.padEnd(width)}  ${String(r.findings).padStart(5)}  ${String(r.docs.size).padStart(4)}`);
}

if (problems.length) {
  console.log(`corpus: ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
  for (const p of problems) console.log(`  FAIL ${p}`);
  process.exitCode = 1;
} else {
  console.log('corpus: OK');
}
