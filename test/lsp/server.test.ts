import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionRequest,
  CodeActionResolveRequest,
  CompletionRequest,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticRequest,
  DocumentSymbolRequest,
  FileChangeType,
  HoverRequest,
  type CodeAction,
  type DocumentDiagnosticReport,
  type FullDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { analyzeDocument, openPolicyDocument, toDiagnostics } from '../../server/src/service';
import { BROKEN_POLICY, codes, syntax, GOOD_POLICY, POLICY_URI, PULL_CAPABILITIES, PUSH_CAPABILITIES, startClient, type TestClient } from './harness';

describe('initialize', () => {
  let client: TestClient;
  before(async () => (client = await startClient()));
  after(() => client.dispose());

  test('advertises the features and completion trigger characters', () => {
    const caps = client.initializeResult.capabilities;
    assert.equal(caps.hoverProvider, true);
    assert.equal(caps.documentSymbolProvider, true);
    assert.deepEqual(caps.completionProvider?.triggerCharacters, ['"', ':', '{', '$', '.', '/']);
    assert.deepEqual((caps.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix', 'source.fixAll.iot-policy']);
    assert.equal(caps.diagnosticProvider, undefined, 'push client: no pull provider');
    assert.equal(client.initializeResult.serverInfo?.name, 'iot-policy-language-server');
  });
});

describe('push diagnostics', () => {
  let client: TestClient;
  before(async () => (client = await startClient()));
  after(() => client.dispose());

  test('a policy with a syntax error gets json-syntax, with range, severity and docs link', async () => {
    await client.open(POLICY_URI, BROKEN_POLICY);
    const p = await client.waitForDiagnostics(POLICY_URI, (x) => x.diagnostics.length > 0);
    assert.ok(codes(p).includes('json-syntax'), codes(p).join());
    const d = p.diagnostics.find((x) => x.code === 'json-syntax')!;
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.equal(d.source, 'iot-policy');
    assert.equal(d.range.start.line, 3, 'the trailing comma line');
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/json-syntax\.md$/);
    assert.equal(p.version, 1);
  });

  test('fixing the document clears the diagnostics', async () => {
    const since = client.published.length;
    await client.change(POLICY_URI, GOOD_POLICY, 2);
    const p = await client.waitForDiagnostics(POLICY_URI, undefined, 5000, since);
    assert.deepEqual(syntax(p), []);
    assert.equal(p.version, 2);
  });

  test('closing a document clears what was published for it', async () => {
    await client.change(POLICY_URI, BROKEN_POLICY, 3);
    await client.waitForDiagnostics(POLICY_URI, (x) => x.version === 3 && x.diagnostics.length > 0);
    const since = client.published.length;
    await client.close(POLICY_URI);
    const p = await client.waitForDiagnostics(POLICY_URI, undefined, 5000, since);
    assert.deepEqual(p.diagnostics, []);
  });

  test('a policy recognised by its content only (any file name) is validated', async () => {
    const uri = 'untitled:Untitled-1';
    await client.open(uri, BROKEN_POLICY);
    const p = await client.waitForDiagnostics(uri);
    assert.ok(codes(p).includes('json-syntax'));
  });
});

describe('documents that are not IoT policies get nothing', () => {
  let client: TestClient;
  before(async () => (client = await startClient()));
  after(() => client.dispose());

  const others: [string, string][] = [
    ['file:///ws/package.json', '{ "name": "x", "version": "1.0.0", "scripts": { "test": "node --test" }, }'],
    ['file:///ws/tsconfig.json', '{ // comment\n "compilerOptions": { "strict": true } }'],
    ['file:///ws/bucket-policy.json', '{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", }] }'],
  ];

  test('no diagnostics, hover, completion, code actions or symbols', async () => {
    for (const [uri, text] of others) await client.open(uri, text);
    // A policy opened afterwards: once its diagnostics arrive, the others were handled before it.
    await client.open(POLICY_URI, BROKEN_POLICY);
    await client.waitForDiagnostics(POLICY_URI);
    for (const [uri] of others) {
      assert.deepEqual(client.published.filter((p) => p.uri === uri && p.diagnostics.length), [], uri);
      const textDocument = { uri };
      const position = { line: 0, character: 3 };
      assert.equal(await client.connection.sendRequest(HoverRequest.type, { textDocument, position }), null);
      assert.deepEqual((await client.connection.sendRequest(CompletionRequest.type, { textDocument, position }) as { items: unknown[] }).items, []);
      assert.deepEqual(await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument }), []);
      const range = { start: position, end: position };
      assert.deepEqual(await client.connection.sendRequest(CodeActionRequest.type, { textDocument, range, context: { diagnostics: [] } }), []);
    }
  });
});

describe('VS Code client', () => {
  let client: TestClient;
  before(async () => (client = await startClient({ initializationOptions: { editor: 'vscode' } })));
  after(() => client.dispose());

  test('json-syntax is skipped for json documents (VS Code reports them) and kept for jsonc', async () => {
    await client.open('file:///ws/a.iot-policy.json', BROKEN_POLICY, 'json');
    await client.open('file:///ws/b.iot-policy.json', BROKEN_POLICY, 'jsonc');
    const b = await client.waitForDiagnostics('file:///ws/b.iot-policy.json');
    assert.ok(codes(b).includes('json-syntax'));
    assert.deepEqual(client.published.filter((p) => p.uri === 'file:///ws/a.iot-policy.json' && syntax(p).length), []);
  });
});

describe('pull diagnostics', () => {
  let client: TestClient;
  let refreshes = 0;
  before(async () => {
    client = await startClient({ capabilities: PULL_CAPABILITIES });
    client.connection.onRequest('workspace/diagnostic/refresh', () => {
      refreshes++;
      return null;
    });
  });
  after(() => client.dispose());

  const pull = (uri: string) =>
    client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }) as Promise<DocumentDiagnosticReport>;

  test('the server offers textDocument/diagnostic and answers full reports', async () => {
    assert.ok(client.initializeResult.capabilities.diagnosticProvider);
    await client.open(POLICY_URI, BROKEN_POLICY);
    const report = (await pull(POLICY_URI)) as FullDocumentDiagnosticReport;
    assert.equal(report.kind, 'full');
    assert.ok(report.items.some((d) => d.code === 'json-syntax'));
    assert.deepEqual(client.published, [], 'nothing is pushed to a pull client');
  });

  test('a non-policy gets an empty report', async () => {
    await client.open('file:///ws/package.json', '{ "name": "x", }');
    const report = (await pull('file:///ws/package.json')) as FullDocumentDiagnosticReport;
    assert.deepEqual(report.items, []);
  });

  test('edits inside statements, read from the last version, report what a fresh read of the text reports', async () => {
    const uri = 'file:///ws/edited.iot-policy.json';
    const A = 'arn:aws:iot:us-east-1:123456789012';
    const statements = Array.from({ length: 6 }, (_, i) => ({ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/t${i}/\${iot:ClientId}` }));
    // A misspelt variable in the last statement: a finding on a `${...}` that every edit moves.
    let text = JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2).replace('t5/${iot:ClientId}', 't5/${iot:clientid}');
    const versions = [
      (t: string) => t.replace('"iot:Publish"', '"iot:Publsh"'), // statement 0: a finding appears
      (t: string) => t.replace('topic/t4/', 'topic/t4/a/b/c/'), // statement 4 grows: nothing after it moves wrong
      (t: string) => t.replace('topic/t1/', 'topic/#/'), // statement 1: a finding between the others
      (t: string) => t.replace('"iot:Publsh"', '"iot:Publish"'), // statement 0 fixed: the others move back
      (t: string) => t.replace('topic/t5/', 'topic/t5'), // the last statement
    ];
    await client.open(uri, text);
    await pull(uri);
    let version = 1;
    for (const edit of versions) {
      text = edit(text);
      await client.change(uri, text, ++version);
      const report = (await pull(uri)) as FullDocumentDiagnosticReport;
      const fresh = openPolicyDocument(text, { path: '/ws/edited.iot-policy.json', languageId: 'json', policyGlobs: ['**/*.iot-policy.json'], detectByContent: true })!;
      const expected = toDiagnostics(TextDocument.create(uri, 'json', version, text), analyzeDocument(fresh));
      assert.deepEqual(report.items, expected, `version ${version}`);
    }
  });

  test('a settings change asks the client to pull again, and the next pull has the new severity', async () => {
    const before = refreshes;
    await client.changeSettings({ rules: { 'json-syntax': 'warning' } });
    const deadline = Date.now() + 5000;
    // Wait for the refresh request (event-driven via the handler count, bounded by the deadline).
    while (refreshes === before) {
      assert.ok(Date.now() < deadline, 'no workspace/diagnostic/refresh');
      await new Promise((r) => setImmediate(r));
    }
    const report = (await pull(POLICY_URI)) as FullDocumentDiagnosticReport;
    const items = syntax({ diagnostics: report.items });
    assert.ok(items.length > 0);
    assert.deepEqual([...new Set(items.map((d) => d.severity))], [DiagnosticSeverity.Warning]);
  });
});

describe('settings', () => {
  let client: TestClient;
  before(async () => (client = await startClient()));
  after(() => client.dispose());

  test('iotPolicy.rules changes the severity and re-validates open documents at once', async () => {
    await client.open(POLICY_URI, BROKEN_POLICY);
    await client.waitForDiagnostics(POLICY_URI, (p) => syntax(p)[0]?.severity === DiagnosticSeverity.Error);
    await client.changeSettings({ rules: { 'json-syntax': 'hint' } });
    await client.waitForDiagnostics(POLICY_URI, (p) => syntax(p)[0]?.severity === DiagnosticSeverity.Hint);
    await client.changeSettings({ rules: { 'json-syntax': 'off' } });
    await client.waitForDiagnostics(POLICY_URI, (p) => syntax(p).length === 0 && client.published.length > 2);
    await client.changeSettings({});
    await client.waitForDiagnostics(POLICY_URI, (p) => syntax(p)[0]?.severity === DiagnosticSeverity.Error && client.published.length > 3);
  });

  test('iotPolicy.files adds globs; detectByContent off leaves other names alone', async () => {
    const custom = 'file:///ws/policies/custom.json';
    const noIot = '{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", } ] }';
    await client.changeSettings({ files: ['**/policies/*.json'], detectByContent: false });
    await client.open(custom, noIot);
    await client.open('untitled:content-only', BROKEN_POLICY);
    const p = await client.waitForDiagnostics(custom);
    assert.ok(codes(p).includes('json-syntax'));
    // Handled in order: the untitled one (content only, detection off) got nothing.
    await client.open('file:///ws/policies/other.json', BROKEN_POLICY);
    await client.waitForDiagnostics('file:///ws/policies/other.json');
    assert.deepEqual(client.published.filter((x) => x.uri === 'untitled:content-only' && x.diagnostics.length), []);
    await client.changeSettings({});
  });

  test('bad setting values are ignored, not fatal', async () => {
    await client.changeSettings({ files: 'not-an-array', detectByContent: 'yes', rules: { 'json-syntax': 'loud' }, defaults: 42 });
    const uri = 'file:///ws/after-bad-settings.iot-policy.json';
    await client.open(uri, BROKEN_POLICY);
    const p = await client.waitForDiagnostics(uri);
    assert.ok(codes(p).includes('json-syntax'));
    assert.equal(syntax(p)[0].severity, DiagnosticSeverity.Error);
  });
});

describe('workspace/configuration and the project config file', () => {
  let dir: string;
  let folderUri: string;
  let client: TestClient;
  let settings: unknown = { rules: {} };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'iot-policy-lsp-'));
    folderUri = pathToFileURL(dir).toString();
    writeFileSync(join(dir, 'iot-policy.config.json'), JSON.stringify({ rules: { 'json-syntax': 'info' } }));
    client = await startClient({
      capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
      workspaceFolders: [{ uri: folderUri, name: 'ws' }],
      configuration: () => settings,
    });
  });
  after(() => {
    client.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('iot-policy.config.json at the workspace root sets severities', async () => {
    const uri = `${folderUri}/a.iot-policy.json`;
    await client.open(uri, BROKEN_POLICY);
    await client.waitForDiagnostics(uri, (p) => syntax(p)[0]?.severity === DiagnosticSeverity.Information);
  });

  test('editing the config file re-validates after didChangeWatchedFiles', async () => {
    const uri = `${folderUri}/a.iot-policy.json`;
    writeFileSync(join(dir, 'iot-policy.config.json'), JSON.stringify({ rules: { 'json-syntax': 'warning' } }));
    const since = client.published.length;
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: `${folderUri}/iot-policy.config.json`, type: FileChangeType.Changed }],
    });
    await client.waitForDiagnostics(uri, (p) => syntax(p)[0]?.severity === DiagnosticSeverity.Warning, 5000, since);
  });

  test('settings win over the config file; they are pulled with workspace/configuration', async () => {
    const uri = `${folderUri}/a.iot-policy.json`;
    settings = { rules: { 'json-syntax': 'hint' } };
    const since = client.published.length;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(uri, (p) => syntax(p)[0]?.severity === DiagnosticSeverity.Hint, 5000, since);
  });

  test('a broken config file is reported in the log and ignored', async () => {
    const uri = `${folderUri}/a.iot-policy.json`;
    settings = {};
    writeFileSync(join(dir, 'iot-policy.config.json'), '{ "rules": { "json-syntax": "sometimes" ');
    const since = client.published.length;
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: `${folderUri}/iot-policy.config.json`, type: FileChangeType.Changed }],
    });
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(uri, (p) => syntax(p)[0]?.severity === DiagnosticSeverity.Error, 5000, since);
    assert.ok(client.logs.some((l) => l.includes('iot-policy.config.json')), client.logs.join('\n'));
  });
});

describe('overrides and ignores of the project config file, and .iot-policyignore', () => {
  let dir: string;
  let folderUri: string;
  let client: TestClient;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'iot-policy-lsp-'));
    folderUri = pathToFileURL(dir).toString();
    writeFileSync(join(dir, 'iot-policy.config.json'), JSON.stringify({
      rules: { 'json-syntax': 'info' },
      overrides: [
        { files: ['legacy/**'], rules: { 'json-syntax': 'off' } },
        { files: ['legacy/strict/*.json'], rules: { 'json-syntax': 'warning' } },
      ],
      ignore: ['generated/'],
    }));
    writeFileSync(join(dir, '.iot-policyignore'), '# scratch copies\n*.draft.iot-policy.json\n!keep.draft.iot-policy.json\n');
    client = await startClient({
      capabilities: { ...PULL_CAPABILITIES, workspace: { ...PULL_CAPABILITIES.workspace, didChangeWatchedFiles: { dynamicRegistration: true } } },
      workspaceFolders: [{ uri: folderUri, name: 'ws' }],
    });
  });
  after(() => {
    client.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The json-syntax severities of a pulled report, once `until` holds (the config files load after initialization). */
  async function severities(uri: string, until: (s: (number | undefined)[]) => boolean): Promise<(number | undefined)[]> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const report = (await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } })) as FullDocumentDiagnosticReport;
      const found = syntax({ diagnostics: report.items }).map((d) => d.severity);
      if (until(found) || Date.now() > deadline) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  test('the file\'s rules apply outside every override', async () => {
    const uri = `${folderUri}/a.iot-policy.json`;
    await client.open(uri, BROKEN_POLICY);
    assert.deepEqual(await severities(uri, (s) => s[0] === DiagnosticSeverity.Information), [DiagnosticSeverity.Information]);
  });

  test('an override matches by glob; a later override wins over an earlier one', async () => {
    const off = `${folderUri}/legacy/old.iot-policy.json`;
    const strict = `${folderUri}/legacy/strict/new.iot-policy.json`;
    await client.open(off, BROKEN_POLICY);
    await client.open(strict, BROKEN_POLICY);
    // Wait for the configuration on a file it changes, then the other.
    assert.deepEqual(await severities(strict, (s) => s[0] === DiagnosticSeverity.Warning), [DiagnosticSeverity.Warning]);
    assert.deepEqual(await severities(off, (s) => s.length === 0), []);
  });

  test('ignored files (a folder in ignore, a pattern of .iot-policyignore) get no diagnostics; a negated one does', async () => {
    const reference = `${folderUri}/b.iot-policy.json`;
    await client.open(reference, BROKEN_POLICY);
    await severities(reference, (s) => s[0] === DiagnosticSeverity.Information);
    for (const rel of ['generated/out.iot-policy.json', 'generated/deep/x.iot-policy.json', 'sub/wip.draft.iot-policy.json']) {
      const uri = `${folderUri}/${rel}`;
      await client.open(uri, BROKEN_POLICY);
      const report = (await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } })) as FullDocumentDiagnosticReport;
      assert.deepEqual(report.items, [], rel);
    }
    const kept = `${folderUri}/keep.draft.iot-policy.json`;
    await client.open(kept, BROKEN_POLICY);
    assert.deepEqual(await severities(kept, (s) => s.length > 0), [DiagnosticSeverity.Information]);
  });

  test('editing .iot-policyignore re-validates after didChangeWatchedFiles', async () => {
    const uri = `${folderUri}/later.iot-policy.json`;
    await client.open(uri, BROKEN_POLICY);
    await severities(uri, (s) => s.length > 0);
    writeFileSync(join(dir, '.iot-policyignore'), 'later.iot-policy.json\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: `${folderUri}/.iot-policyignore`, type: FileChangeType.Changed }],
    });
    assert.deepEqual(await severities(uri, (s) => s.length === 0), []);
  });
});

describe('robustness', () => {
  let client: TestClient;
  before(async () => (client = await startClient({ capabilities: PULL_CAPABILITIES })));
  after(() => client.dispose());

  test('requests with malformed params get InvalidParams, and the server keeps working', async () => {
    // The lifecycle guard (server/src/utils/lifecycle.ts) answers them before any handler runs.
    const bad = { textDocument: null, position: null } as never;
    const refused = async (p: Promise<unknown>) => {
      await assert.rejects(p, (err: { code?: number; message?: string }) => err.code === -32602 && /Invalid params/.test(err.message ?? ''));
    };
    await refused(client.connection.sendRequest(HoverRequest.type, bad));
    await refused(client.connection.sendRequest(CompletionRequest.type, bad));
    await refused(client.connection.sendRequest(DocumentSymbolRequest.type, bad));
    await refused(client.connection.sendRequest(CodeActionRequest.type, { textDocument: null, range: null, context: null } as never));
    await refused(client.connection.sendRequest(DocumentDiagnosticRequest.type, bad));
    await refused(client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: POLICY_URI }, position: { line: -1, character: 'x' } } as never));
    // Params the guard lets through but a handler cannot use are contained by runSafe.
    await client.open(POLICY_URI, BROKEN_POLICY);
    const odd = { textDocument: { uri: POLICY_URI }, context: null } as never;
    assert.deepEqual(await client.connection.sendRequest(CodeActionRequest.type, odd), []);
    assert.ok(client.logs.some((l) => l.includes('Error while computing code actions')), 'the error is logged');
    // Still alive and correct.
    const ok = (await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: POLICY_URI } })) as FullDocumentDiagnosticReport;
    assert.ok(ok.items.some((d) => d.code === 'json-syntax'));
  });

  test('garbage documents never crash the server', async () => {
    const texts = ['', '{', '[]', 'null', '{"Statement": 5, "Version": {}}', '{"Statement":[1,"x",null,{"Action":{}}]}', '\u0000\uffff', '{"Statement":[{"Action":"iot:' + 'x'.repeat(10000)];
    let v = 1;
    for (const t of texts) await client.open(`untitled:garbage-${v++}`, t);
    for (let i = 1; i < v; i++) {
      const r = (await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: `untitled:garbage-${i}` } })) as FullDocumentDiagnosticReport;
      assert.equal(r.kind, 'full');
    }
  });
});

describe('throttled push validation drops stale results', () => {
  let client: TestClient;
  before(async () => (client = await startClient({ initializationOptions: { diagnosticDelay: 30 } })));
  after(() => client.dispose());

  test('rapid edits end with a publish for the last version, in order, never a stale one', async () => {
    const uri = 'file:///ws/typing.iot-policy.json';
    await client.open(uri, GOOD_POLICY, 'json', 1);
    for (let v = 2; v <= 6; v++) await client.change(uri, v % 2 ? GOOD_POLICY : BROKEN_POLICY, v);
    const p = await client.waitForDiagnostics(uri, (x) => x.version === 6);
    assert.ok(codes(p).includes('json-syntax'));
    await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    const versions = client.published.filter((x) => x.uri === uri).map((x) => x.version ?? 0);
    assert.equal(versions.at(-1), 6, 'nothing after the last version');
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'never an older version after a newer one');
    assert.equal(new Set(versions).size, versions.length, 'each version at most once');
  });
});

describe('push validation is throttled, not debounced', () => {
  test('an edit to an idle document is analysed at once, whatever the delay', async () => {
    // With a debounce, this publish would wait a minute and the deadline below would fail.
    const client = await startClient({ initializationOptions: { diagnosticDelay: 60000 } });
    try {
      await client.open(POLICY_URI, BROKEN_POLICY);
      const p = await client.waitForDiagnostics(POLICY_URI, (x) => x.version === 1, 5000);
      assert.ok(codes(p).includes('json-syntax'));
      // A settings change re-analyses at once too, even within the cool-down.
      await client.changeSettings({ rules: { 'json-syntax': 'off' } });
      await client.waitForDiagnostics(POLICY_URI, (x) => x.version === 1 && !codes(x).includes('json-syntax'), 5000);
    } finally {
      client.dispose();
    }
  });
});

describe('settings in initializationOptions (editors without workspace/configuration)', () => {
  for (const key of ['settings', 'iotPolicy']) {
    test(`initializationOptions.${key} sets the initial settings`, async () => {
      const client = await startClient({ initializationOptions: { [key]: { rules: { 'json-syntax': 'warning' } } } });
      try {
        await client.open(POLICY_URI, BROKEN_POLICY);
        const p = await client.waitForDiagnostics(POLICY_URI, (x) => syntax(x).length > 0);
        assert.deepEqual([...new Set(syntax(p).map((d) => d.severity))], [DiagnosticSeverity.Warning]);
      } finally {
        client.dispose();
      }
    });
  }
});

describe('codeAction/resolve: Fix all is computed only when chosen', () => {
  // A misspelt action and a missing Version: two safe fixes.
  const MESSY = `{
  "Statement": [
    { "Effect": "Allow", "Action": "iot:Publsh", "Resource": "*" }
  ]
}`;
  const uri = 'file:///ws/resolve.iot-policy.json';
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const only = ['source.fixAll.iot-policy'];

  async function fixAllOf(client: TestClient): Promise<CodeAction | undefined> {
    await client.open(uri, MESSY);
    await client.waitForDiagnostics(uri, (x) => codes(x).includes('unknown-action'));
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [], only } })) as CodeAction[];
    return actions.find((a) => a.kind === only[0]);
  }

  test('a client that resolves edits gets Fix all without its edit, then the edit on resolve', async () => {
    const client = await startClient({ capabilities: { ...PUSH_CAPABILITIES, textDocument: { ...PUSH_CAPABILITIES.textDocument, codeAction: { resolveSupport: { properties: ['edit'] } } } } });
    try {
      assert.equal((client.initializeResult.capabilities.codeActionProvider as { resolveProvider?: boolean }).resolveProvider, true);
      const offered = await fixAllOf(client);
      assert.ok(offered, 'Fix all is offered');
      assert.equal(offered.edit, undefined, 'not computed before it is chosen');
      const resolved = await client.connection.sendRequest(CodeActionResolveRequest.type, offered);
      const edits = resolved.edit?.changes?.[uri];
      assert.ok(edits?.length, JSON.stringify(resolved));
      const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'json', 1, MESSY), edits);
      assert.match(fixed, /"iot:Publish"/);
      assert.match(fixed, /"Version": "2012-10-17"/);
      // Any other action comes back as it was.
      const other = { title: 'x', kind: 'quickfix', data: { something: 1 } };
      assert.deepEqual(await client.connection.sendRequest(CodeActionResolveRequest.type, other), other);
    } finally {
      client.dispose();
    }
  });

  test('a client that does not resolve edits gets the edit at once, as before', async () => {
    const client = await startClient();
    try {
      const offered = await fixAllOf(client);
      assert.ok(offered?.edit?.changes?.[uri]?.length, JSON.stringify(offered));
      assert.match(offered.title, /^Fix all safe problems \(2\)$/);
    } finally {
      client.dispose();
    }
  });
});
