/**
 * Policy test files (`*.iot-policy-test.json`) in the editor, and the `iotPolicy/evaluate` and
 * `iotPolicy/authorizationActions` requests behind the client's "Test authorization…" command
 * (`shared/src/protocol.ts`). A thin adapter over the library's `parsePolicyTestFile` /
 * `runPolicyTestCases` / `evaluate` and its action catalogue:
 *
 * - a code lens "▶ Run N cases" at the top of a test file (command `iotPolicy.runTestFile`), and
 *   one per case with its last result;
 * - diagnostics on each failing case (on its `expect` value) naming the statement that decided
 *   it, with related information pointing at that statement in the policy file, and on the
 *   problems of the test file itself (unknown policy file, bad request, ...);
 * - the policy-size lens on policy documents (one `codeLensProvider` for both kinds).
 *
 * Policies are read from open documents when they are open (unsaved edits count), else through
 * the host's `readFile` (Node: `file:` URIs; a browser: the client's file system). A test file is
 * re-run when it changes or when a policy it references changes (or is closed, which reverts it
 * to the file on disk).
 * Test-file diagnostics are pushed (`textDocument/publishDiagnostics`), except to a pull client
 * that reads `relatedDocuments` (LSP 3.17 `relatedDocumentSupport`) and can be asked to pull
 * again: it gets them in the test file's own pull and in the `relatedDocuments` of every policy
 * the file names, so an edit to a policy shows the cases it breaks in the same answer. Each test
 * file goes one way only, never both (a client keeps pushed and pulled diagnostics apart and would
 * show them twice). VS Code's client does not read `relatedDocuments`, so it gets pushes.
 */
import {
  ClientCapabilities,
  CodeLens,
  Connection,
  Diagnostic,
  DiagnosticSeverity,
  ErrorCodes,
  ResponseError,
  TextDocuments,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { getCodeLenses } from './service/features/codeLens';
import { parsePolicy } from './service/hosts/json/parse';
import type { PolicyModel } from './service/policy/model';
import type { PolicyDocument } from './service/document';
import { evaluate, spanToRange, unusablePolicyReason, type EvalPolicy, type MatchedStatement } from './service/eval/evaluate';
import { parsePolicyTestFile, POLICY_TEST_FILE_SUFFIX, runPolicyTestCases, validateRequest, type CaseResult } from './service/testFile';
import {
  AuthorizationActionsRequest,
  Commands,
  DIAGNOSTIC_SOURCE,
  EvaluateRequest,
  RunTestFileRequest,
  type EvaluateMatched,
  type EvaluateParams,
  type EvaluateResult,
  type RunTestFileParams,
  type RunTestFileResult,
} from '../../shared/src/protocol';
import { authorizationActions } from './authorization';
import type { PulledElsewhere } from './utils/validation';

export interface TestFilesHost {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  /**
   * Reads a policy that is not open, or resolves undefined when it cannot be read (the runtime
   * decides which schemes it reads). Never blocks the message loop.
   */
  readFile(uri: string): Promise<string | undefined>;
  logger: { error(message: string): void };
  /** The policies of an open document of ours (for the size lenses). */
  policyDocument(uri: string): { document: TextDocument; pdoc: PolicyDocument } | undefined;
  /** True when the editor reports JSON syntax errors itself (VS Code for `json`). */
  skipSyntaxErrors?(): boolean;
}

function isPolicyTestFileUri(uri: string): boolean {
  return uriPath(uri).toLowerCase().endsWith(POLICY_TEST_FILE_SUFFIX);
}

function uriPath(uri: string): string {
  return uri.replace(/[?#].*$/, '');
}

/** A comparable form of a URI: scheme, authority and decoded path (VS Code and URL encode differently). */
function uriKey(uri: string): string {
  try {
    const u = new URL(uri);
    let p = u.pathname;
    try {
      p = decodeURIComponent(p);
    } catch {
      /* keep it encoded */
    }
    if (u.protocol === 'file:') p = p.replace(/^\/([A-Za-z]):/, (_m, d: string) => `/${d.toLowerCase()}:`);
    return `${u.protocol}//${u.host}${p}`;
  } catch {
    return uri;
  }
}

/** The URI of `path` (relative to the test file, or absolute) or undefined when it cannot be resolved. */
function resolvePolicyUri(testFileUri: string, path: string): string | undefined {
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return new URL(path).toString();
    const rel = path.replace(/\\/g, '/').split('/').map((s) => encodeURIComponent(s)).join('/');
    return new URL(rel, testFileUri).toString();
  } catch {
    return undefined;
  }
}

function baseName(uri: string): string {
  const p = uriPath(uri);
  const name = p.slice(p.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** More documents in one `iotPolicy/evaluate` are refused with a clear error. */
const MAX_EVALUATED_POLICIES = 10000;
/** Files read at once by one request: enough to hide latency, few enough to leave descriptors free. */
const READ_CONCURRENCY = 16;

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

interface LoadedPolicy {
  uri: string;
  text: string;
  model: PolicyModel;
}

interface Outcome {
  version: number | undefined;
  /** Normalized URIs of the referenced policies (to re-run when they change). */
  refs: Set<string>;
  results: CaseResult[];
  /** Per case, the result label for the lens and the message. */
  lenses: CodeLens[];
  diagnostics: Diagnostic[];
  summary: RunTestFileResult;
}

function describeMatched(m: MatchedStatement, text: string, many = true): string {
  const line = spanToRange(text, m.span).start.line + 1;
  return `statement ${m.statementIndex + 1}${m.sid ? ` ("${m.sid}")` : ''} (${m.effect})${many ? ` of ${m.policy}` : ''}, line ${line}`;
}

export interface TestFilesSupport {
  /**
   * Called from `onInitialize` with the client's capabilities (code lens refresh support), and
   * `pull` when test-file diagnostics go through the pull: `refresh` asks the client to pull again.
   */
  initialize(capabilities: ClientCapabilities, pull?: { refresh(): void }): void;
  /** The test-file diagnostics for the pull provider (used only when `initialize` got `pull`). */
  readonly pulled: PulledElsewhere;
  dispose(): void;
}

export function registerTestFiles(host: TestFilesHost): TestFilesSupport {
  const { connection, documents, logger } = host;
  const outcomes = new Map<string, Outcome>();
  const running = new Map<string, Promise<Outcome | undefined>>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const published = new Set<string>();
  let refreshSupport = false;
  /** Set when test-file diagnostics go through the pull instead of being pushed. */
  let pull: { refresh(): void } | undefined;
  /** The diagnostics a pull last gave the client per test file, to ask for a new pull only on a change. */
  const delivered = new Map<string, string>();
  /** Test files whose last outcome predates a change of a policy they name: a pull runs them again first. */
  const stale = new Set<string>();


  /** Open documents by comparable URI, for requests that look many up at once. */
  function openDocumentIndex(): Map<string, TextDocument> {
    return new Map(documents.all().map((d) => [uriKey(d.uri), d]));
  }

  function openDocument(uri: string, index?: Map<string, TextDocument>): TextDocument | undefined {
    const exact = documents.get(uri);
    if (exact) return exact;
    const key = uriKey(uri);
    return index ? index.get(key) : documents.all().find((d) => uriKey(d.uri) === key);
  }

  async function readText(uri: string, index?: Map<string, TextDocument>): Promise<{ text?: string; uri: string }> {
    const doc = openDocument(uri, index);
    if (doc) return { text: doc.getText(), uri: doc.uri };
    // The runtime decides which schemes it reads: Node `file:`, the browser whatever the client's
    // file system holds (`vscode-vfs:` in github.dev).
    try {
      return { text: await host.readFile(uri), uri };
    } catch {
      return { uri };
    }
  }

  async function loadPolicy(uri: string, index?: Map<string, TextDocument>): Promise<LoadedPolicy | undefined> {
    const { text, uri: actual } = await readText(uri, index);
    if (text === undefined) return undefined;
    // Its own parse, not the editor's cached model: a run reads its policies over several waits, and
    // meanwhile the next version of an open policy is read from that model (`openPolicyDocument`).
    return { uri: actual, text, model: parsePolicy(text) };
  }

  // ---- running a test file -------------------------------------------------------------------

  async function run(uri: string): Promise<Outcome | undefined> {
    const doc = openDocument(uri);
    const version = doc?.version;
    const text = doc ? doc.getText() : (await readText(uri)).text;
    if (text === undefined) return undefined;
    const td = TextDocument.create(uri, 'json', version ?? 0, text);
    const range = (offset: number, length: number) => ({ start: td.positionAt(offset), end: td.positionAt(offset + length) });
    const tf = parsePolicyTestFile(text);
    const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
    const diagnostics: Diagnostic[] = [];
    const problems: string[] = [];
    const skipSyntax = host.skipSyntaxErrors?.() ?? false;

    // Problems of the file; case problems are reported once per case below.
    const caseSpans = new Set(tf.cases.filter((c) => c.problems.length).map((c) => c.span.offset));
    for (const p of tf.problems) {
      if (caseSpans.has(p.span.offset)) continue;
      problems.push(p.message);
      if (skipSyntax && p.message.startsWith('JSON syntax error')) continue;
      diagnostics.push(diag(range(p.span.offset, p.span.length), p.message, DiagnosticSeverity.Error, 'policy-test-file'));
    }

    // The policies.
    const refs = new Set<string>();
    const policies: (EvalPolicy & { uri: string; text: string })[] = [];
    let missing = false;
    for (const p of tf.policies) {
      const pUri = resolvePolicyUri(uri, p.path);
      if (!pUri) {
        missing = true;
        const m = `cannot resolve the policy path "${p.path}" relative to this file`;
        problems.push(m);
        diagnostics.push(diag(range(p.span.offset, p.span.length), m, DiagnosticSeverity.Error, 'policy-test-file'));
        continue;
      }
      refs.add(uriKey(pUri));
      const loaded = await loadPolicy(pUri);
      if (!loaded) {
        missing = true;
        const m = `policy file "${p.path}" not found (paths are relative to this test file)`;
        problems.push(m);
        diagnostics.push(diag(range(p.span.offset, p.span.length), m, DiagnosticSeverity.Error, 'policy-test-file'));
        continue;
      }
      if (!loaded.model.root || loaded.model.root.type !== 'object') {
        const m = `"${p.path}" is not a policy document (a JSON object with "Statement")`;
        problems.push(m);
        diagnostics.push(diag(range(p.span.offset, p.span.length), m, DiagnosticSeverity.Warning, 'policy-test-file'));
      }
      policies.push({ name: p.path, model: loaded.model, uri: loaded.uri, text: loaded.text });
    }
    const byName = new Map(policies.map((p) => [p.name, p]));
    const many = policies.length > 1;

    const results: CaseResult[] = missing || !tf.policies.length ? tf.cases.map((testCase) => ({ testCase, passed: false })) : runPolicyTestCases(tf, policies);
    const lenses: CodeLens[] = [];
    const summary: RunTestFileResult = { uri, passed: 0, failed: 0, problems, cases: [] };
    const topAt = root ? td.positionAt(root.offset) : { line: 0, character: 0 };
    lenses.push({
      range: { start: topAt, end: topAt },
      command: { title: `▶ Run ${tf.cases.length} case${tf.cases.length === 1 ? '' : 's'}`, command: Commands.runTestFile, arguments: [uri] },
    });

    for (const r of results) {
      const tc = r.testCase;
      const caseNode = root ? findNodeAtLocation(root, ['cases', tc.index]) : undefined;
      const expectNode = caseNode ? findNodeAtLocation(caseNode, ['expect']) : undefined;
      const target: Node | undefined = expectNode ?? undefined;
      const targetRange = target ? range(target.offset, target.length) : range(tc.nameSpan.offset, tc.nameSpan.length);
      const at = td.positionAt(tc.span.offset);
      let title: string;
      let message: string;
      let decidedBy: string | undefined;
      if (r.passed) summary.passed++;
      else summary.failed++;
      if (!r.result) {
        message = tc.problems.length ? `cannot run: ${tc.problems.join('; ')}` : missing ? 'not run: a policy file is missing' : 'not run';
        title = `$(warning) ${tc.name}: ${message}`;
        for (const pr of tc.problems) diagnostics.push(diag(range(tc.span.offset, tc.span.length), `${tc.name}: ${pr}`, DiagnosticSeverity.Error, 'policy-test-case'));
      } else {
        const d = r.result.deciding;
        const pol = d ? byName.get(d.policy) : undefined;
        decidedBy = d && pol ? describeMatched(d, pol.text, true) : undefined;
        const decided = decidedBy ? `, decided by ${decidedBy}` : ', no statement matched';
        if (r.passed) {
          message = `passed: ${r.result.decision}${decided}`;
          title = `$(pass) ${message}`;
        } else {
          message = `expected ${tc.expect}, got ${r.result.decision}${decided}`;
          title = `$(error) failed: ${message}`;
          const related: DiagnosticRelatedInformation[] = [];
          for (const m of r.result.matched) {
            const p = byName.get(m.policy);
            if (p) related.push({ location: { uri: p.uri, range: m.range }, message: `${m === d ? 'decided' : 'also matched'}: ${describeMatched(m, p.text, many)}` });
          }
          const notes = r.result.notes.length ? `\n${r.result.notes.map((n) => `note: ${n}`).join('\n')}` : '';
          diagnostics.push({ ...diag(targetRange, `"${tc.name}": ${message}${notes}`, DiagnosticSeverity.Error, 'policy-test-failed'), ...(related.length ? { relatedInformation: related } : {}) });
        }
      }
      summary.cases.push({ name: tc.name, passed: r.passed, expect: tc.expect, decision: r.result?.decision, decidedBy, message });
      lenses.push({ range: { start: at, end: at }, command: { title, command: '' } });
    }
    return { version, refs, results, lenses, diagnostics, summary };
  }

  function diag(range: Diagnostic['range'], message: string, severity: DiagnosticSeverity, code: string): Diagnostic {
    return { range, message, severity, code, source: DIAGNOSTIC_SOURCE };
  }

  /**
   * Runs `uri` (one run at a time per file; a newer request waits for the current one and runs
   * again). `forPull`: a pull delivers the result itself, so the run does not ask for another.
   */
  function runNow(uri: string, forPull = false): Promise<Outcome | undefined> {
    const previous = running.get(uri) ?? Promise.resolve(undefined);
    const next = previous
      .catch(() => undefined)
      .then(() => run(uri))
      .then(
        (o) => {
          if (o) publishOutcome(uri, o, forPull);
          return o;
        },
        (err: unknown) => {
          logger.error(`Running the policy test file ${uri} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          return undefined;
        },
      );
    running.set(uri, next);
    void next.finally(() => {
      if (running.get(uri) === next) running.delete(uri);
    });
    return next;
  }

  function publishOutcome(uri: string, o: Outcome, forPull: boolean): void {
    const doc = openDocument(uri);
    if (!doc || doc.version !== o.version) return; // moved on or closed: a newer run follows
    outcomes.set(uri, o);
    if (pull) {
      // A run no pull asked for (a named policy closed, reverting to the file on disk): the
      // client pulls again only when what it holds changed.
      const last = delivered.get(doc.uri);
      if (!forPull && last !== undefined && last !== JSON.stringify(o.diagnostics)) pull.refresh();
    } else if (o.diagnostics.length || published.has(uri)) {
      if (o.diagnostics.length) published.add(uri);
      else published.delete(uri);
      void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: o.diagnostics }).catch(() => undefined);
    }
    if (refreshSupport) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  }

  function schedule(uri: string, delay = 30): void {
    const t = timers.get(uri);
    if (t) clearTimeout(t);
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        if (openDocument(uri)) void runNow(uri);
      }, delay),
    );
  }

  function onPolicyChanged(uri: string): void {
    // Every keystroke in a policy comes here: nothing to do while no test file has run.
    if (outcomes.size === 0) return;
    const key = uriKey(uri);
    for (const [testUri, o] of outcomes) {
      if (!o.refs.has(key)) continue;
      stale.add(testUri);
      schedule(testUri);
    }
  }

  const disposables = [
    documents.onDidChangeContent((e) => {
      if (isPolicyTestFileUri(e.document.uri)) schedule(e.document.uri);
      else onPolicyChanged(e.document.uri);
    }),
    documents.onDidClose((e) => {
      const uri = e.document.uri;
      if (isPolicyTestFileUri(uri)) {
        const t = timers.get(uri);
        if (t) clearTimeout(t);
        timers.delete(uri);
        outcomes.delete(uri);
        delivered.delete(uri);
        stale.delete(uri);
        if (published.delete(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
      } else onPolicyChanged(uri);
    }),
  ];

  // ---- requests ------------------------------------------------------------------------------

  connection.onRequest(AuthorizationActionsRequest.type, () => authorizationActions());

  connection.onRequest(EvaluateRequest.type, async (typed): Promise<EvaluateResult | ResponseError<void>> => {
    // Any client may send anything: check the params, do not trust their declared type.
    const params = typed as Partial<EvaluateParams> | null | undefined;
    try {
      const uris = Array.isArray(params?.policyUris) ? params.policyUris.filter((u): u is string => typeof u === 'string') : [];
      if (!uris.length) return new ResponseError(ErrorCodes.InvalidParams, 'policyUris: give at least one policy document URI');
      const v = validateRequest(params?.request);
      if (!v.request) return new ResponseError(ErrorCodes.InvalidParams, `invalid request: ${v.problems.join('; ')}`);
      // The same document named twice is one attached policy; AWS attaches at most 10 to a principal.
      const distinct = [...new Map(uris.map((u) => [uriKey(u), u])).values()];
      if (distinct.length > MAX_EVALUATED_POLICIES) {
        return new ResponseError(ErrorCodes.InvalidParams, `policyUris: at most ${MAX_EVALUATED_POLICIES} policy documents (AWS attaches at most 10 to a principal), got ${distinct.length}`);
      }
      const open = openDocumentIndex();
      const read = await mapLimited(distinct, READ_CONCURRENCY, (u) => loadPolicy(u, open));
      const loaded: (LoadedPolicy & { name: string })[] = [];
      const names = new Set<string>();
      /** The next suffix to try per base name, so that naming n documents alike stays linear. */
      const nextSuffix = new Map<string, number>();
      for (const [i, p] of read.entries()) {
        if (!p) return new ResponseError(ErrorCodes.InvalidParams, `cannot read the policy ${distinct[i]}`);
        const reason = unusablePolicyReason(p.model);
        if (reason) return new ResponseError(ErrorCodes.InvalidParams, `the policy ${p.uri} ${reason}`);
        const base = baseName(p.uri);
        let name = base;
        if (names.has(name)) {
          let n = nextSuffix.get(base) ?? 2;
          while (names.has(`${base} (${n})`)) n++;
          name = `${base} (${n})`;
          nextSuffix.set(base, n + 1);
        }
        names.add(name);
        loaded.push({ ...p, name });
      }
      const result = evaluate(loaded.map((p) => ({ name: p.name, model: p.model })), v.request);
      const byName = new Map(loaded.map((p) => [p.name, p]));
      const withUri = (m: MatchedStatement): EvaluateMatched => ({ ...m, uri: byName.get(m.policy)?.uri ?? '' });
      const matched = result.matched.map(withUri);
      const deciding = result.deciding ? matched[result.matched.indexOf(result.deciding)] : undefined;
      const dp = deciding ? byName.get(deciding.policy) : undefined;
      return {
        decision: result.decision,
        matched,
        ...(deciding ? { deciding } : {}),
        ...(deciding && dp ? { decidingLabel: describeMatched(deciding, dp.text, loaded.length > 1) } : {}),
        notes: result.notes,
      };
    } catch (err) {
      logger.error(`${EvaluateRequest.type.method} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return new ResponseError(ErrorCodes.InternalError, 'evaluation failed (see the server log)');
    }
  });

  connection.onRequest(RunTestFileRequest.type, async (typed): Promise<RunTestFileResult | ResponseError<void>> => {
    const params = typed as Partial<RunTestFileParams> | null | undefined;
    const uri = typeof params?.uri === 'string' ? params.uri : undefined;
    if (!uri) return new ResponseError(ErrorCodes.InvalidParams, 'uri: give the URI of a *.iot-policy-test.json file');
    const doc = openDocument(uri);
    const o = await runNow(doc?.uri ?? uri);
    if (!o) return new ResponseError(ErrorCodes.InvalidParams, `cannot read the test file ${uri}`);
    return o.summary;
  });

  connection.onCodeLens(async (params) => {
    try {
      const uri = params.textDocument.uri;
      if (isPolicyTestFileUri(uri)) {
        const doc = openDocument(uri);
        if (!doc) return [];
        let o = outcomes.get(doc.uri);
        if (!o || o.version !== doc.version) o = (await (running.get(doc.uri) ?? runNow(doc.uri))) ?? o;
        return o?.lenses ?? [];
      }
      const p = host.policyDocument(uri);
      return p ? getCodeLenses(p.document, p.pdoc) : [];
    } catch (err) {
      logger.error(`Code lenses failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return [];
    }
  });

  /** The outcome of an open test file at its current version (running it when needed), as the client is given it. */
  async function deliver(doc: TextDocument): Promise<Diagnostic[] | undefined> {
    let o = outcomes.get(doc.uri);
    if (!o || o.version !== doc.version || stale.has(doc.uri)) {
      stale.delete(doc.uri); // before the run, which reads the policies as they are now
      o = (await runNow(doc.uri, true)) ?? o;
    }
    if (!o) return undefined;
    delivered.set(doc.uri, JSON.stringify(o.diagnostics));
    return o.diagnostics;
  }

  const pulled: PulledElsewhere = {
    async own(document) {
      return isPolicyTestFileUri(document.uri) ? ((await deliver(document)) ?? []) : [];
    },
    async related(document) {
      const related = new Map<string, Diagnostic[]>();
      if (isPolicyTestFileUri(document.uri)) return related;
      const key = uriKey(document.uri);
      // The open test files that named this policy on their last run (run again if the policy
      // changed since).
      const dependents = [...outcomes].filter(([, o]) => o.refs.has(key)).map(([testUri]) => openDocument(testUri));
      for (const doc of dependents) {
        if (!doc) continue;
        const diagnostics = await deliver(doc);
        if (diagnostics) related.set(doc.uri, diagnostics);
      }
      return related;
    },
  };

  return {
    initialize(capabilities, pullDelivery) {
      refreshSupport = !!capabilities.workspace?.codeLens?.refreshSupport;
      pull = pullDelivery;
    },
    pulled,
    dispose() {
      for (const d of disposables) d.dispose();
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
