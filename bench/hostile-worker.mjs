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
  // The server's own path: openPolicyDocument and analyzeDocument, with their size limits
  // (service/limits.ts), so that a document is measured as the editor meets it.
  const pdoc = phase(index, 'parse', () => svc.openPolicyDocument(text, { path: '/bench/hostile.iot-policy.json', languageId: 'json', policyGlobs: svc.POLICY_FILE_GLOBS, detectByContent: true }));
  if (!pdoc) return parentPort.postMessage({ index, done: true });
  const findings = phase(index, 'analyze', () => svc.analyzeDocument(pdoc, svc.emptyConfig())) ?? [];
  const diagnostics = phase(index, 'diagnostics', () => svc.toDiagnostics(doc, findings)) ?? [];
  phase(index, 'symbols', () => svc.getPolicyDocumentSymbols(doc, pdoc));
  const full = { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) };
  phase(index, 'code actions', () => svc.getCodeActions(doc, pdoc, full, diagnostics, {}));
  const step = Math.max(1, Math.floor(text.length / 8));
  const offsets = [];
  for (let o = 0; o <= text.length; o += step) offsets.push(o);
  phase(index, 'hover', () => offsets.forEach((o) => {
    const entry = svc.policyAt(pdoc, o);
    if (entry) svc.doHover(doc, entry.model, doc.positionAt(o));
  }));
  // One call per offset, so that an exception at one offset does not hide the others.
  offsets.forEach((o) => phase(index, 'completion', () => {
    if (svc.policyAt(pdoc, o)) svc.doComplete(doc, pdoc, doc.positionAt(o), { snippetSupport: true });
  }));
  parentPort.postMessage({ index, done: true, diagnostics: diagnostics.length });
});
