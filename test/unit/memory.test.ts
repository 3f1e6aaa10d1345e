import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, mock, test } from 'node:test';
import { getHeapSpaceStatistics } from 'node:v8';
import type { Message } from 'vscode-languageserver/node';
import { FramedMessageReader } from '../../server/src/node/framing';
import { createIdleTrimmer, IDLE_TRIM_MS, observeActivity, trimMemory } from '../../server/src/node/memory';

/** A trimmer on mocked timers and a mocked clock, counting the collections it asks for. */
function fakeTrimmer(result = true) {
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  let calls = 0;
  const trimmer = createIdleTrimmer(IDLE_TRIM_MS, () => {
    calls++;
    return result;
  });
  return {
    trimmer,
    calls: () => calls,
    advance: (ms: number) => mock.timers.tick(ms),
    [Symbol.dispose]() {
      trimmer.dispose();
      mock.timers.reset();
    },
  };
}

describe('idle memory trim (node/memory.ts)', () => {
  test('waits for idleMs after the last message, then trims once', () => {
    const t = fakeTrimmer();
    try {
      t.trimmer.touch();
      t.advance(IDLE_TRIM_MS - 1);
      assert.equal(t.calls(), 0, 'not before the server has been idle for idleMs');
      t.advance(1);
      assert.equal(t.calls(), 1);
      t.advance(10 * IDLE_TRIM_MS);
      assert.equal(t.calls(), 1, 'no activity since: nothing more to give back');
      assert.equal(t.trimmer.trims, 1);
    } finally {
      t[Symbol.dispose]();
    }
  });

  test('every message postpones the trim: none while the user types', () => {
    const t = fakeTrimmer();
    try {
      for (let i = 0; i < 50; i++) {
        t.trimmer.touch();
        t.advance(IDLE_TRIM_MS / 2);
      }
      assert.equal(t.calls(), 0);
      t.advance(IDLE_TRIM_MS / 2);
      assert.equal(t.calls(), 1);
      t.trimmer.touch();
      t.advance(IDLE_TRIM_MS);
      assert.equal(t.calls(), 2, 'a new burst, a new trim');
    } finally {
      t[Symbol.dispose]();
    }
  });

  test('a collector that cannot be reached turns trimming off', () => {
    const t = fakeTrimmer(false);
    try {
      t.trimmer.touch();
      t.advance(IDLE_TRIM_MS);
      t.trimmer.touch();
      t.advance(IDLE_TRIM_MS * 3);
      assert.equal(t.calls(), 1);
      assert.equal(t.trimmer.trims, 0);
    } finally {
      t[Symbol.dispose]();
    }
  });

  test('dispose cancels a pending trim', () => {
    const t = fakeTrimmer();
    try {
      t.trimmer.touch();
      t.trimmer.dispose();
      t.advance(IDLE_TRIM_MS * 2);
      assert.equal(t.calls(), 0);
    } finally {
      t[Symbol.dispose]();
    }
  });

  test('observeActivity touches the trimmer for each message it delivers', async () => {
    const input = new PassThrough();
    let touches = 0;
    const trimmer = { touch: () => void touches++, trims: 0, dispose() {} };
    const reader = observeActivity(new FramedMessageReader(input), trimmer);
    const got: Message[] = [];
    reader.listen((m) => got.push(m));
    for (let id = 1; id <= 3; id++) {
      const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'x' });
      input.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    }
    await new Promise((r) => setImmediate(r));
    assert.equal(got.length, 3);
    assert.equal(touches, 3);
    reader.dispose();
  });

  test('trimMemory, after IDLE_TRIM_MS without allocation, gives the young generation back', async () => {
    const youngCommitted = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;
    // Grow the young generation as a busy server does: many short-lived objects, some kept a while.
    let keep: object[][] = [];
    for (let i = 0; i < 3000; i++) {
      const a: object[] = [];
      for (let j = 0; j < 2000; j++) a.push({ i, j });
      keep.push(a);
      if (keep.length > 20) keep.shift();
    }
    keep = [];
    const grown = youngCommitted();
    assert.ok(grown >= 8 * 2 ** 20, `the burst grew the young generation (${grown} bytes)`);
    // V8 shrinks it after a full collection when its allocation rate over the last five seconds
    // is low: the server trims only after IDLE_TRIM_MS of silence, and so does this test.
    await new Promise((r) => setTimeout(r, IDLE_TRIM_MS + 200));
    assert.equal(trimMemory(), true);
    assert.ok(youngCommitted() <= grown / 4, `young generation after the trim: ${youngCommitted()} of ${grown} bytes`);
  });
});
