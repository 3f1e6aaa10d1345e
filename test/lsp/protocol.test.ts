/**
 * Protocol robustness (issue 16, defect 5): framing errors end the server with a message instead
 * of leaving it deaf; the lifecycle is enforced; malformed positions never reach a document.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  HoverRequest,
  InitializeRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver/node';
import { BROKEN_POLICY, POLICY_URI, startClient } from './harness';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'iot-policy-language-server.js');

function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

interface Spawned {
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
  exited: Promise<number | null>;
}

function spawnServer(): Spawned {
  const child = spawn(process.execPath, [BIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, stderr: () => stderr, exited };
}

function connect(s: Spawned): ProtocolConnection {
  const connection = createProtocolConnection(new StreamMessageReader(s.child.stdout), new StreamMessageWriter(s.child.stdin));
  connection.listen();
  return connection;
}

const INIT = { processId: null, rootUri: null, capabilities: {}, workspaceFolders: null };
const HOVER = { textDocument: { uri: POLICY_URI }, position: { line: 0, character: 0 } };

describe('framing errors', () => {
  const cases: [string, string][] = [
    ['Content-Length: abc', 'Content-Length: abc\r\n\r\n{}'],
    ['LF-only headers', `Content-Length: 2\n\n{}${' '.repeat(9000)}`],
    ['a truncated body followed by the next message', 'Content-Length: 60\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"initialize"}\r\nContent-Length: 2\r\n\r\n{}'],
  ];
  for (const [what, bytes] of cases) {
    test(`${what}: the server logs it and exits with code 1, so the client restarts it`, async () => {
      const s = spawnServer();
      try {
        s.child.stdin.write(bytes);
        assert.equal(await withDeadline(s.exited, 10000, 'exit'), 1);
        assert.match(s.stderr(), /The protocol stream cannot be read: .*Exiting so that the client can restart the server/);
      } finally {
        s.child.kill();
      }
    });
  }
});

describe('lifecycle', () => {
  test('before initialize, requests get ServerNotInitialized; after shutdown, InvalidRequest; exit code 0', async () => {
    const s = spawnServer();
    const connection = connect(s);
    try {
      await assert.rejects(withDeadline(connection.sendRequest(HoverRequest.type, HOVER), 10000, 'hover'), (e: { code?: number }) => e.code === -32002);
      const result = await withDeadline(connection.sendRequest(InitializeRequest.type, INIT), 10000, 'initialize');
      assert.equal(result.serverInfo?.name, 'iot-policy-language-server');
      await assert.rejects(connection.sendRequest(InitializeRequest.type, INIT), (e: { code?: number; message?: string }) => e.code === -32600 && /only once/.test(e.message ?? ''));
      assert.equal(await connection.sendRequest(HoverRequest.type, HOVER), null);
      await withDeadline(connection.sendRequest('shutdown'), 5000, 'shutdown');
      await assert.rejects(connection.sendRequest(HoverRequest.type, HOVER), (e: { code?: number }) => e.code === -32600);
      await connection.sendNotification('exit');
      assert.equal(await withDeadline(s.exited, 5000, 'exit'), 0, s.stderr());
    } finally {
      connection.dispose();
      s.child.kill();
    }
  });

  test('a second initialize does not add a diagnostics listener: one edit, one publish', async () => {
    const client = await startClient();
    try {
      for (let i = 0; i < 5; i++) {
        await assert.rejects(client.connection.sendRequest(InitializeRequest.type, INIT), (e: { code?: number }) => e.code === -32600);
      }
      await client.open(POLICY_URI, BROKEN_POLICY);
      await client.waitForDiagnostics(POLICY_URI, (p) => p.version === 1);
      const since = client.published.length;
      await client.change(POLICY_URI, BROKEN_POLICY + ' ', 2);
      await client.waitForDiagnostics(POLICY_URI, (p) => p.version === 2, 5000, since);
      // A second publish of the same version would arrive with the first; give the queue a round trip.
      await client.connection.sendRequest(HoverRequest.type, HOVER);
      assert.equal(client.published.slice(since).filter((p) => p.uri === POLICY_URI).length, 1);
    } finally {
      client.dispose();
    }
  });

  test('a change whose range is not made of integers is dropped and logged; no position is ever null', async () => {
    const client = await startClient();
    try {
      await client.open(POLICY_URI, BROKEN_POLICY);
      await client.waitForDiagnostics(POLICY_URI, (p) => p.version === 1);
      for (const range of [
        { start: { line: 'x', character: 0 }, end: { line: 0, character: 0 } },
        { start: { line: -1, character: 0 }, end: { line: 0, character: 1.5 } },
        { start: { line: 0 }, end: null },
      ]) {
        await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
          textDocument: { uri: POLICY_URI, version: 2 }, contentChanges: [{ range, text: '\n\n' } as never],
        });
      }
      await client.change(POLICY_URI, BROKEN_POLICY.replace('"*"', '"**"'), 3);
      const p = await client.waitForDiagnostics(POLICY_URI, (d) => d.version === 3);
      assert.ok(p.diagnostics.length > 0);
      const json = JSON.stringify(client.published);
      assert.ok(!json.includes('null'), `no null in ${json.slice(0, 200)}`);
      assert.equal(client.logs.filter((l) => /Dropped "textDocument\/didChange"/.test(l)).length, 3);
    } finally {
      client.dispose();
    }
  });
});
