import * as assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  createProtocolConnection,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';

// out/test/lsp → repository root
const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'iot-policy-language-server.js');

function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

test('`node bin/iot-policy-language-server.js --stdio` answers initialize from an outside client', async () => {
  const child = spawn(process.execPath, [BIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  try {
    const result = await withDeadline(
      connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null }),
      10000,
      'initialize over stdio',
    );
    assert.equal(result.serverInfo?.name, 'iot-policy-language-server');
    assert.ok(result.capabilities.hoverProvider);
    await withDeadline(connection.sendRequest('shutdown'), 5000, 'shutdown');
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await connection.sendNotification('exit');
    assert.equal(await withDeadline(exited, 5000, 'exit'), 0, stderr);
  } finally {
    connection.dispose();
    child.kill();
  }
});

test('`--node-ipc` works too', async () => {
  const child = fork(BIN, ['--node-ipc'], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.listen();
  try {
    const result = await withDeadline(
      connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null }),
      10000,
      'initialize over node-ipc',
    );
    assert.equal(result.serverInfo?.name, 'iot-policy-language-server');
  } finally {
    connection.dispose();
    child.kill();
  }
});
