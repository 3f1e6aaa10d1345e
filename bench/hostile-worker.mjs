// Worker for the hostile-documents part of the bench: runs one document at a time through
// everything the editor asks and reports each phase, so that the main thread can stop a
// document that takes too long (Worker.terminate interrupts synchronous code).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { generatePolicy, hostileDocuments, statementsForSize } from './policies.mjs';

const require = createRequire(import.meta.url);
const svc = require(workerData.service);
const { TextDocument } = require('vscode-languageserver-textdocument');

let docs;
function documents() {
  if (!docs) {
    docs = hostileDocuments();
    const oneMB = generatePolicy(statementsForSize(1024 * 1024));
    docs.push({ name: 'generated policy of 1 MB', text: oneMB, oneMB: true });
  }
  return docs;
}

function phase(index, name, fn) {
  const t0 = performance.now();
  try {
    const r = fn();
    parentPort.postMessage({ index, phase: name, ms: performance.now() - t0 });
    return r;
  } catch (err) {
    parentPort.postMessage({ index, phase: name, ms: performance.now() - t0, error: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
}

parentPort.on('message', ({ index }) => {
  if (index === 'list') {
    parentPort.postMessage({ list: documents().map((d) => ({ name: d.name, bytes: Buffer.byteLength(d.text), oneMB: !!d.oneMB })) });
    return;
  }
  const { text } = documents()[index];
  const doc = TextDocument.create('file:///bench/hostile.iot-policy.json', 'json', 1, text);
  const model = phase(index, 'parse', () => svc.parsePolicy(text));
  if (!model) return parentPort.postMessage({ index, done: true });
  const pdoc = svc.jsonDocument(model);
  const findings = phase(index, 'analyze', () => svc.analyze(model)) ?? [];
  const diagnostics = phase(index, 'diagnostics', () => svc.toDiagnostics(doc, findings)) ?? [];
  phase(index, 'symbols', () => svc.getDocumentSymbols(doc, model));
  const full = { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) };
  phase(index, 'code actions', () => svc.getCodeActions(doc, pdoc, full, diagnostics, {}));
  const step = Math.max(1, Math.floor(text.length / 8));
  const positions = [];
  for (let o = 0; o <= text.length; o += step) positions.push(doc.positionAt(o));
  phase(index, 'hover', () => positions.forEach((p) => svc.doHover(doc, model, p)));
  // One call per offset, so that an exception at one offset does not hide the others.
  positions.forEach((p) => phase(index, 'completion', () => svc.doComplete(doc, pdoc, p, { snippetSupport: true })));
  parentPort.postMessage({ index, done: true, diagnostics: diagnostics.length });
});
