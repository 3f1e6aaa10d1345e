/**
 * Workspace diagnostics (`workspace/diagnostic`, LSP 3.17): the findings of files that are not
 * open, listed and read through the client as VS Code's does (`iotPolicy/findFiles`,
 * `iotPolicy/readFile`), here from an in-memory workspace; and, for other editors on Node, by
 * the server's own walk of a folder on disk. Result ids and `unchanged` reports, open documents
 * left to the document pull, the ignore file, the setting, limits, long polling and refresh.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  CancellationTokenSource,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  WorkDoneProgress,
  WorkspaceDiagnosticRequest,
  type ClientCapabilities,
  type ProtocolConnection,
  type WorkDoneProgressReport,
  type WorkspaceDocumentDiagnosticReport,
  type WorkspaceFullDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { FindFilesRequest, ReadFileRequest, ServerStatusRequest, type FindFilesParams, type ReadFileParams } from '../../shared/src/protocol';
import { useNodeWasm } from '../../server/src/node/wasm';
import { MAX_WORKSPACE_FILES } from '../../server/src/utils/workspaceDiagnostics';
import { browserMode } from './browserWorker';
import { PULL_CAPABILITIES, PUSH_CAPABILITIES, startClient, type TestClient } from './harness';

const FOLDER = 'file:///ws/wsdiag';
const ARN = 'arn:aws:iot:eu-west-1:493812760155';

const policy = (version: string) => `{
  "Version": "${version}",
  "Statement": [
    { "Effect": "Allow", "Action": "iot:Connect", "Resource": "${ARN}:client/\${iot:Connection.Thing.ThingName}",
      "Condition": { "Bool": { "iot:Connection.Thing.IsAttached": "true" } } }
  ]
}
`;
const BAD = policy('2013-01-01');
const GOOD = policy('2012-10-17');
/** A trailing comma: VS Code's JSON support reports it in open `json` documents only. */
const TRAILING_COMMA = GOOD.replace('"true" } } }', '"true" } }, }');
const TEMPLATE = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Resources:',
  '  DevicePolicy:',
  '    Type: AWS::IoT::Policy',
  '    Properties:',
  '      PolicyDocument:',
  '        Version: "2013-01-01"',
  `        Statement: [{ Effect: Allow, Action: iot:Connect, Resource: "${ARN}:client/d1" }]`,
  '',
].join('\n');
const TERRAFORM = `resource "aws_iot_policy" "device" {
  name = "device"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "iot:Publsh"
      Resource = "${ARN}:topic/t1"
    }]
  })
}
`;

const WATCHING: ClientCapabilities = {
  ...PULL_CAPABILITIES,
  window: { workDoneProgress: true },
  workspace: { ...PULL_CAPABILITIES.workspace, didChangeWatchedFiles: { dynamicRegistration: true } },
};

type Report = WorkspaceDocumentDiagnosticReport;

/** A workspace held in memory, listed and read the way VS Code's client answers the server. */
class FakeWorkspace {
  readonly files = new Map<string, string>();
  readonly finds: FindFilesParams[] = [];
  readonly reads: ReadFileParams[] = [];
  refreshes = 0;
  registrations: unknown[] = [];

  constructor(files: Record<string, string>) {
    for (const [k, v] of Object.entries(files)) this.files.set(`${FOLDER}/${k}`, v);
  }

  install(connection: ProtocolConnection): void {
    connection.onRequest(FindFilesRequest.type, (p: FindFilesParams) => {
      this.finds.push(p);
      // Everything under the folder, node_modules included: the server must filter what it is given.
      return [...this.files.keys()].filter((u) => u.startsWith(p.folder + '/')).slice(0, p.maxResults);
    });
    connection.onRequest(ReadFileRequest.type, (p: ReadFileParams) => {
      this.reads.push(p);
      const text = this.files.get(p.uri);
      return text === undefined ? { problem: 'no such file' } : { text };
    });
    connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      return null;
    });
    connection.onRequest('client/registerCapability', (p: unknown) => {
      this.registrations.push(p);
      return null;
    });
  }

  readFile = async (uri: string): Promise<string | undefined> => this.files.get(uri);
}

interface Pulled {
  reports: Report[];
  /** True when the server said it holds the request until something changes. */
  waited: boolean;
}

let tokens = 0;

/**
 * One `workspace/diagnostic` request: partial results collected (when `stream`), and the
 * work-done progress watched for the moment the server holds the request (`onHold`).
 */
function pull(client: TestClient, previous: ReadonlyMap<string, string>, o: { stream?: boolean; onHold?: () => void; cancel?: CancellationTokenSource } = {}): Promise<Pulled> {
  const partialResultToken = o.stream === false ? undefined : `partial-${++tokens}`;
  const workDoneToken = `work-${++tokens}`;
  const streamed: Report[] = [];
  let waited = false;
  const subs = [
    client.connection.onProgress(WorkDoneProgress.type, workDoneToken, (v) => {
      if (v.kind === 'report' && (v as WorkDoneProgressReport).message === 'Waiting for changes') {
        waited = true;
        o.onHold?.();
      }
    }),
  ];
  if (partialResultToken) subs.push(client.connection.onProgress(WorkspaceDiagnosticRequest.partialResult, partialResultToken, (p) => void streamed.push(...p.items)));
  const params = {
    identifier: 'iot-policy',
    previousResultIds: [...previous].map(([uri, value]) => ({ uri, value })),
    workDoneToken,
    ...(partialResultToken ? { partialResultToken } : {}),
  };
  return client.connection.sendRequest(WorkspaceDiagnosticRequest.type, params, o.cancel?.token).then(
    (result) => {
      for (const s of subs) s.dispose();
      if (partialResultToken) assert.deepEqual(result.items, [], 'with partial results, the final answer is empty');
      return { reports: [...streamed, ...result.items], waited };
    },
    (err: unknown) => {
      for (const s of subs) s.dispose();
      throw err;
    },
  );
}

/** Resolves when `hold` fires, or fails after `ms` (a deadline, not a timing). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

const rel = (uri: string) => uri.slice(FOLDER.length + 1);
const byFile = (reports: Report[]) => new Map(reports.map((r) => [rel(r.uri), r]));
const codesOf = (r: Report | undefined) => (r?.kind === 'full' ? [...new Set(r.items.map((d) => String(d.code)))].sort() : r ? ['(unchanged)'] : ['(none)']);
/** The result ids the client holds after applying `reports` to `held` (as VS Code's client keeps them). */
function applied(held: Map<string, string>, reports: Report[]): Map<string, string> {
  const next = new Map(held);
  for (const r of reports) {
    if (r.resultId) next.set(r.uri, r.resultId);
    else next.delete(r.uri);
  }
  return next;
}
const settle = (client: TestClient) => client.connection.sendRequest(ServerStatusRequest.type);

describe('workspace diagnostics through the client (VS Code, Node and browser)', () => {
  let client: TestClient;
  let ws: FakeWorkspace;
  let held = new Map<string, string>();
  const changeFiles = (changes: { file: string; type: FileChangeType }[]) =>
    client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: changes.map((c) => ({ uri: `${FOLDER}/${c.file}`, type: c.type })) });

  before(async () => {
    // The Node server's wasm files (the browser server asks the client); not loaded before a Terraform file needs them.
    useNodeWasm();
    ws = new FakeWorkspace({
      'bad.iot-policy.json': BAD,
      'good.iot-policy.json': GOOD,
      'comma.iot-policy.json': TRAILING_COMMA,
      'infra/stack.yaml': TEMPLATE,
      'infra/main.tf': TERRAFORM,
      'package.json': '{ "name": "x" }',
      'notes.txt': BAD,
      'node_modules/dep/bad.iot-policy.json': BAD,
      'legacy/old.iot-policy.json': BAD,
      '.iot-policyignore': 'legacy/\n',
    });
    client = await startClient({
      capabilities: WATCHING,
      workspaceFolders: [{ uri: FOLDER, name: 'wsdiag' }],
      initializationOptions: { clientFiles: true, editor: 'vscode' },
      runtime: { readFile: ws.readFile },
      handlers: (c) => ws.install(c),
    });
  });
  after(() => client.dispose());

  test('advertises workspace diagnostics in pull mode and watches the files they read', async () => {
    assert.equal(client.initializeResult.capabilities.diagnosticProvider?.workspaceDiagnostics, true);
    // The watchers are registered after `initialized`: a round trip later they are.
    const deadline = Date.now() + 5000;
    while (!JSON.stringify(ws.registrations).includes('**/*.{json') && Date.now() < deadline) await settle(client);
    assert.match(JSON.stringify(ws.registrations), /\*\*\/\*\.\{json,jsonc,yaml,yml,tf,ts/);
  });

  test('the first pull reports every policy-bearing file that is not open, and nothing else', async () => {
    const { reports } = await pull(client, held);
    const files = byFile(reports);
    assert.deepEqual([...files.keys()].sort(), ['bad.iot-policy.json', 'comma.iot-policy.json', 'good.iot-policy.json', 'infra/main.tf', 'infra/stack.yaml']);
    assert.deepEqual(codesOf(files.get('bad.iot-policy.json')), ['invalid-version']);
    assert.deepEqual(codesOf(files.get('good.iot-policy.json')), []);
    assert.deepEqual(codesOf(files.get('infra/stack.yaml')), ['invalid-version']);
    assert.deepEqual(codesOf(files.get('infra/main.tf')), ['unknown-action']);
    // VS Code's JSON support does not check files that are not open: the server does.
    assert.deepEqual(codesOf(files.get('comma.iot-policy.json')), ['json-syntax']);
    for (const r of reports) {
      assert.equal(r.kind, 'full');
      assert.equal(r.version, null);
      assert.ok(r.resultId, `${r.uri} has a result id`);
    }
    // What the server asked for: the candidate files, without the skipped folders, and no links.
    assert.ok(ws.finds.length > 0 && ws.finds.every((f) => f.folder === FOLDER && f.maxResults <= MAX_WORKSPACE_FILES && /node_modules/.test(f.exclude ?? '')));
    const read = ws.reads.filter((r) => r.uri !== `${FOLDER}/.iot-policyignore` && r.uri !== `${FOLDER}/iot-policy.config.json`);
    assert.ok(read.length > 0 && read.every((r) => r.followLinks === false), JSON.stringify(read));
    assert.ok(!read.some((r) => /node_modules|legacy|notes\.txt/.test(r.uri)), 'skipped, ignored and other files are not read');
    held = applied(held, reports);
  });

  test('an on-demand pull with the result ids it holds gets `unchanged` reports, without reading again', async () => {
    const readsBefore = ws.reads.length;
    const { reports, waited } = await pull(client, held, { stream: false });
    assert.equal(waited, false, 'a client that does not stream is answered at once');
    assert.equal(reports.length, held.size);
    for (const r of reports) {
      assert.equal(r.kind, 'unchanged', rel(r.uri));
      assert.equal(r.resultId, held.get(r.uri));
    }
    assert.deepEqual(ws.reads.slice(readsBefore), [], 'the watchers say nothing changed: nothing is read');
  });

  test('a streaming pull with nothing new is held until a file changes, then answers what changed', async () => {
    let onHold!: () => void;
    const holding = new Promise<void>((r) => (onHold = r));
    const answer = pull(client, held, { onHold });
    await within(holding, 10000, 'hold');
    ws.files.set(`${FOLDER}/good.iot-policy.json`, BAD);
    await changeFiles([{ file: 'good.iot-policy.json', type: FileChangeType.Changed }]);
    const { reports, waited } = await within(answer, 10000, 'answer after the change');
    assert.equal(waited, true);
    const files = byFile(reports);
    assert.deepEqual(codesOf(files.get('good.iot-policy.json')), ['invalid-version']);
    assert.notEqual(files.get('good.iot-policy.json')?.resultId, held.get(`${FOLDER}/good.iot-policy.json`));
    for (const f of ['bad.iot-policy.json', 'infra/stack.yaml', 'infra/main.tf']) assert.equal(files.get(f)?.kind, 'unchanged', f);
    held = applied(held, reports);
  });

  test('a file touched but not changed stays `unchanged`: read and hashed, not reported again', async () => {
    const uri = `${FOLDER}/bad.iot-policy.json`;
    await changeFiles([{ file: 'bad.iot-policy.json', type: FileChangeType.Changed }]);
    const { reports } = await pull(client, held, { stream: false });
    assert.equal(byFile(reports).get('bad.iot-policy.json')?.kind, 'unchanged');
    assert.ok(ws.reads.some((r) => r.uri === uri));
  });

  test('an open document is left to the document pull; once closed, the file on disk is reported again', async () => {
    const uri = `${FOLDER}/bad.iot-policy.json`;
    await client.open(uri, GOOD, 'json');
    const open = await pull(client, held, { stream: false });
    assert.equal(byFile(open.reports).get('bad.iot-policy.json'), undefined, 'not reported while open');
    await client.close(uri);
    const closed = await pull(client, held, { stream: false });
    // Reported in full (the client may show the unsaved text's results), the same result id.
    const r = byFile(closed.reports).get('bad.iot-policy.json');
    assert.equal(r?.kind, 'full');
    assert.deepEqual(codesOf(r), ['invalid-version']);
    held = applied(held, closed.reports);
  });

  test('a deleted file is cleared: an empty full report without a result id', async () => {
    ws.files.delete(`${FOLDER}/infra/main.tf`);
    await changeFiles([{ file: 'infra/main.tf', type: FileChangeType.Deleted }]);
    const { reports } = await pull(client, held, { stream: false });
    const r = byFile(reports).get('infra/main.tf') as WorkspaceFullDocumentDiagnosticReport | undefined;
    assert.deepEqual(r && { kind: r.kind, items: r.items, resultId: r.resultId }, { kind: 'full', items: [], resultId: undefined });
    held = applied(held, reports);
  });

  test('a created file and a deleted folder are seen (a watcher reports the folder only)', async () => {
    ws.files.set(`${FOLDER}/new/fresh.iot-policy.json`, BAD);
    await changeFiles([{ file: 'new/fresh.iot-policy.json', type: FileChangeType.Created }]);
    const created = await pull(client, held, { stream: false });
    assert.deepEqual(codesOf(byFile(created.reports).get('new/fresh.iot-policy.json')), ['invalid-version']);
    held = applied(held, created.reports);
    ws.files.delete(`${FOLDER}/new/fresh.iot-policy.json`);
    await changeFiles([{ file: 'new', type: FileChangeType.Deleted }]);
    const deleted = await pull(client, held, { stream: false });
    assert.deepEqual(codesOf(byFile(deleted.reports).get('new/fresh.iot-policy.json')), []);
    held = applied(held, deleted.reports);
  });

  test('a file the ignore file now leaves out is cleared', async () => {
    ws.files.set(`${FOLDER}/.iot-policyignore`, 'legacy/\ninfra/\n');
    await changeFiles([{ file: '.iot-policyignore', type: FileChangeType.Changed }]);
    const { reports } = await pull(client, held, { stream: false });
    assert.deepEqual(codesOf(byFile(reports).get('infra/stack.yaml')), []);
    assert.equal(byFile(reports).get('infra/stack.yaml')?.resultId, undefined);
    held = applied(held, reports);
    // The configuration changed: every result is new, the policies are reported again in full.
    assert.equal(byFile(reports).get('bad.iot-policy.json')?.kind, 'full');
  });

  test('a held request answers when the setting turns workspace diagnostics off, clearing everything', async () => {
    let onHold!: () => void;
    const holding = new Promise<void>((r) => (onHold = r));
    const answer = pull(client, held, { onHold });
    await within(holding, 10000, 'hold');
    await client.changeSettings({ diagnostics: { workspace: false } });
    const { reports } = await within(answer, 10000, 'answer after the setting');
    assert.equal(reports.length, held.size);
    for (const r of reports) assert.deepEqual(r.kind === 'full' && r.items, [], rel(r.uri));
    held = applied(held, reports);
    assert.equal(held.size, 0);
    await client.changeSettings({ diagnostics: { workspace: true } });
    const back = await pull(client, held, { stream: false });
    assert.deepEqual(codesOf(byFile(back.reports).get('bad.iot-policy.json')), ['invalid-version']);
    held = applied(held, back.reports);
  });

  test('a cancelled held request ends with RequestCancelled', async () => {
    let onHold!: () => void;
    const holding = new Promise<void>((r) => (onHold = r));
    const cancel = new CancellationTokenSource();
    const answer = pull(client, held, { onHold, cancel });
    await within(holding, 10000, 'hold');
    cancel.cancel();
    await assert.rejects(within(answer, 10000, 'cancellation'), (err: { code?: number }) => err.code === -32800);
  });

  test('malformed previous result ids are ignored', async () => {
    const { reports } = await client.connection
      .sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [null, { uri: 3 }, 'x'] as never })
      .then((r) => ({ reports: r.items }));
    assert.ok(byFile(reports).has('bad.iot-policy.json'));
  });
});

describe('workspace diagnostics: a client that does not stream or poll is asked to refresh', () => {
  let client: TestClient;
  let ws: FakeWorkspace;
  before(async () => {
    ws = new FakeWorkspace({ 'a.iot-policy.json': GOOD });
    client = await startClient({
      capabilities: WATCHING,
      workspaceFolders: [{ uri: FOLDER, name: 'wsdiag' }],
      initializationOptions: { clientFiles: true },
      runtime: { readFile: ws.readFile },
      handlers: (c) => ws.install(c),
    });
  });
  after(() => client.dispose());

  test('a change to a file that is not open sends workspace/diagnostic/refresh', async () => {
    const first = await pull(client, new Map(), { stream: false });
    assert.equal(first.reports.length, 1);
    const before = ws.refreshes;
    ws.files.set(`${FOLDER}/a.iot-policy.json`, BAD);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: `${FOLDER}/a.iot-policy.json`, type: FileChangeType.Changed }] });
    const deadline = Date.now() + 5000;
    while (ws.refreshes === before && Date.now() < deadline) await settle(client);
    assert.ok(ws.refreshes > before, 'no refresh');
    const again = await pull(client, applied(new Map(), first.reports), { stream: false });
    assert.deepEqual(codesOf(again.reports[0]), ['invalid-version']);
  });
});

describe('workspace diagnostics: limits', () => {
  let client: TestClient;
  let ws: FakeWorkspace;
  before(async () => {
    const files: Record<string, string> = { 'a-policy.iot-policy.json': BAD };
    for (let i = 0; i < MAX_WORKSPACE_FILES + 10; i++) files[`many/f${String(i).padStart(5, '0')}.json`] = '{}';
    ws = new FakeWorkspace(files);
    client = await startClient({
      capabilities: PULL_CAPABILITIES,
      workspaceFolders: [{ uri: FOLDER, name: 'wsdiag' }],
      initializationOptions: { clientFiles: true },
      runtime: { readFile: ws.readFile },
      handlers: (c) => ws.install(c),
    });
  });
  after(() => client.dispose());

  test(`at most ${MAX_WORKSPACE_FILES} files are checked, and the cut is logged once`, { timeout: 120_000 }, async () => {
    const { reports } = await pull(client, new Map(), { stream: false });
    assert.ok(ws.finds.every((f) => f.maxResults <= MAX_WORKSPACE_FILES));
    const listedReads = ws.reads.filter((r) => r.uri.includes('/many/')).length;
    assert.ok(listedReads <= MAX_WORKSPACE_FILES, `${listedReads} read`);
    assert.deepEqual(codesOf(byFile(reports).get('a-policy.iot-policy.json')), ['invalid-version']);
    assert.equal(client.logs.filter((l) => l.includes(`more than ${MAX_WORKSPACE_FILES} files`)).length, 1, client.logs.join('\n'));
  });
});

describe('workspace diagnostics: where they are not offered', () => {
  test('push clients get none', async () => {
    const client = await startClient({ capabilities: PUSH_CAPABILITIES, workspaceFolders: [{ uri: FOLDER, name: 'w' }], initializationOptions: { clientFiles: true } });
    try {
      assert.equal(client.initializeResult.capabilities.diagnosticProvider, undefined);
    } finally {
      client.dispose();
    }
  });

  test('a browser server whose client cannot list files offers none; a Node server walks the folder itself', async () => {
    const client = await startClient({ capabilities: PULL_CAPABILITIES, workspaceFolders: [{ uri: FOLDER, name: 'w' }] });
    try {
      assert.equal(client.initializeResult.capabilities.diagnosticProvider?.workspaceDiagnostics, !browserMode());
    } finally {
      client.dispose();
    }
  });
});

describe('workspace diagnostics: the Node server walks the folder for other editors', { skip: browserMode() ? 'a browser server has no file system' : false }, () => {
  let dir: string;
  let outside: string;
  let client: TestClient;
  let folder: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'iot-wsdiag-'));
    outside = mkdtempSync(join(tmpdir(), 'iot-wsdiag-outside-'));
    const write = (f: string, text: string) => {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), text);
    };
    write('bad.iot-policy.json', BAD);
    write('deep/er/stack.yaml', TEMPLATE);
    write('node_modules/dep/bad.iot-policy.json', BAD);
    write('cdk.out/Stack.template.json', TEMPLATE);
    write('legacy/old.iot-policy.json', BAD);
    write('iot-policy.config.json', JSON.stringify({ ignore: ['legacy/'] }));
    // Larger than the 10 MB any read accepts: never read, never reported.
    write('huge.iot-policy.json', BAD + ' '.repeat(10 * 1024 * 1024));
    writeFileSync(join(outside, 'secret.iot-policy.json'), BAD);
    mkdirSync(join(outside, 'sub'));
    writeFileSync(join(outside, 'sub', 'other.iot-policy.json'), BAD);
    symlinkSync(join(outside, 'secret.iot-policy.json'), join(dir, 'leak.iot-policy.json'));
    symlinkSync(join(outside, 'sub'), join(dir, 'linked-dir'));
    symlinkSync(join(dir, 'bad.iot-policy.json'), join(dir, 'inside-link.iot-policy.json'));
    folder = pathToFileURL(dir).toString();
    client = await startClient({ capabilities: PULL_CAPABILITIES, workspaceFolders: [{ uri: folder, name: 'disk' }] });
  });
  after(() => {
    client.dispose();
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  test('policy files are found and reported; skipped, ignored, oversized files and links out of the folder are not', { timeout: 60_000 }, async () => {
    const { reports } = await pull(client, new Map(), { stream: false });
    const names = reports.map((r) => r.uri.slice(folder.length + 1)).sort();
    assert.deepEqual(names, ['bad.iot-policy.json', 'deep/er/stack.yaml', 'inside-link.iot-policy.json']);
    for (const r of reports) assert.deepEqual(codesOf(r), ['invalid-version']);
  });
});
