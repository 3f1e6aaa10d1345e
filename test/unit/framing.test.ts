import * as assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { describe, test } from 'node:test';
import type { Message } from 'vscode-languageserver/node';
import { FramedMessageReader, FramedMessageWriter, MAX_HEADER_BYTES } from '../../server/src/node/framing';

interface Seen {
  messages: Message[];
  errors: Error[];
  skipped: string[];
}

function reader(): { input: PassThrough; seen: Seen } {
  const input = new PassThrough();
  const r = new FramedMessageReader(input);
  const seen: Seen = { messages: [], errors: [], skipped: [] };
  r.listen((m) => seen.messages.push(m));
  r.onError((e) => seen.errors.push(e));
  r.onSkipped((s) => seen.skipped.push(s));
  return { input, seen };
}

function frame(body: string, header = ''): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n${header}\r\n`, 'latin1'), bytes]);
}

const msg = (id: number, text = 'é ✓ 𝄞') => JSON.stringify({ jsonrpc: '2.0', id, method: 'x', params: { text } });

/** Lets the stream deliver what was written. */
/** The id of a request read back. */
const idOf = (m: Message) => (m as unknown as { id: number }).id;

const tick = () => new Promise((r) => setImmediate(r));

describe('framed message reader', () => {
  test('reads messages split at every byte boundary, and several in one chunk', async () => {
    const bytes = Buffer.concat([frame(msg(1)), frame(msg(2), 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n'), frame(msg(3))]);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const { input, seen } = reader();
      input.write(bytes.subarray(0, cut));
      input.write(bytes.subarray(cut));
      await tick();
      assert.deepEqual(seen.messages.map(idOf), [1, 2, 3], `cut at ${cut}`);
      assert.equal((seen.messages[0] as unknown as { params: { text: string } }).params.text, 'é ✓ 𝄞');
      assert.deepEqual(seen.errors, []);
    }
    const { input, seen } = reader();
    for (const b of bytes) input.write(Buffer.from([b]));
    await tick();
    assert.equal(seen.messages.length, 3, 'one byte at a time');
  });

  const fatal: [string, Buffer, RegExp][] = [
    ['a Content-Length that is not a number', Buffer.from('Content-Length: abc\r\n\r\n{}'), /Content-Length is not a number: "abc"/],
    ['a header with no Content-Length', Buffer.from('Content-Type: application/vscode-jsonrpc\r\n\r\n{}'), /without Content-Length/],
    ['a header line that is not Name: value', Buffer.from('hello world\r\n\r\n{}'), /malformed header line/],
    ['LF-only line ends', Buffer.concat([Buffer.from(`Content-Length: 2\n\n{}`), Buffer.alloc(MAX_HEADER_BYTES, 0x20)]), /no end of header/],
    // The truncated body swallows the start of the next message, whose rest is then read as a header.
    ['a truncated body followed by the next message', Buffer.concat([Buffer.from('Content-Length: 40\r\n\r\n{"jsonrpc":"2.0"}'), frame(msg(2)), frame(msg(3))]), /not JSON|malformed header/],
  ];
  for (const [what, bytes, message] of fatal) {
    test(`stops and reports an error on ${what}`, async () => {
      const { input, seen } = reader();
      input.write(bytes);
      input.write(frame(msg(9)));
      await tick();
      assert.equal(seen.errors.length, 1, 'one error');
      assert.match(seen.errors[0].message, message);
      assert.equal(seen.errors[0].name, 'FramingError');
      assert.ok(!seen.messages.some((m) => idOf(m) === 9), 'nothing is read after the framing is lost');
    });
  }

  test('a header that never ends is refused after MAX_HEADER_BYTES, not buffered for ever', async () => {
    const { input, seen } = reader();
    const chunk = Buffer.alloc(1024, 0x41);
    let written = 0;
    while (seen.errors.length === 0 && written < 1024 * 1024) {
      input.write(chunk);
      written += chunk.length;
      await tick();
    }
    assert.equal(seen.errors.length, 1);
    assert.ok(written <= MAX_HEADER_BYTES + chunk.length, `refused after ${written} bytes`);
  });

  test('skips a message in another charset, and goes on', async () => {
    const { input, seen } = reader();
    input.write(frame(msg(1), 'Content-Type: application/vscode-jsonrpc; charset=latin1\r\n'));
    input.write(frame(msg(2)));
    await tick();
    assert.deepEqual(seen.messages.map(idOf), [2]);
    assert.deepEqual(seen.errors, []);
    assert.match(seen.skipped[0], /charset latin1/);
  });

  test('a body over the size cap is skipped as it arrives, not buffered', async () => {
    const { input, seen } = reader();
    input.write('Content-Length: 300000000\r\n\r\n');
    input.write(Buffer.alloc(1024 * 1024, 0x20));
    await tick();
    assert.match(seen.skipped[0] ?? '', /a message of 300000000 bytes/);
    assert.deepEqual(seen.errors, []);
  });

  test('a body that is JSON but not an object is skipped', async () => {
    const { input, seen } = reader();
    input.write(frame('[1,2]'));
    input.write(frame(msg(2)));
    await tick();
    assert.deepEqual(seen.messages.map(idOf), [2]);
    assert.equal(seen.skipped.length, 1);
  });
});

describe('FramedMessageWriter', () => {
  /** A stream that records each write it receives. */
  function recorder(fail = false): { out: Writable; writes: Buffer[] } {
    const writes: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        writes.push(Buffer.from(chunk));
        done(fail ? new Error('EPIPE') : null);
      },
    });
    return { out, writes };
  }

  test('writes each message in one write, framed as the reader expects', async () => {
    const { out, writes } = recorder();
    const w = new FramedMessageWriter(out);
    const m1 = JSON.parse(msg(1)) as Message;
    const m2 = { jsonrpc: '2.0', id: 2, result: { text: 'naïve ✓ 𝄞'.repeat(100) } } as Message;
    await w.write(m1);
    await w.write(m2);
    assert.equal(writes.length, 2, 'one write per message, header and body together');
    assert.deepEqual(writes[0], frame(JSON.stringify(m1)));
    assert.deepEqual(writes[1], frame(JSON.stringify(m2)));
    // And the strict reader reads them back.
    const { input, seen } = reader();
    input.write(Buffer.concat(writes));
    await tick();
    assert.deepEqual(seen.messages, [m1, m2]);
    assert.deepEqual(seen.errors, []);
  });

  test('a failed write rejects and is reported through onError', async () => {
    const { out } = recorder(true);
    out.on('error', () => undefined);
    const w = new FramedMessageWriter(out);
    const errors: Error[] = [];
    w.onError(([e]) => errors.push(e));
    await assert.rejects(w.write(JSON.parse(msg(1)) as Message), /EPIPE/);
    assert.ok(errors.some((e) => /EPIPE/.test(e.message)));
  });
});
