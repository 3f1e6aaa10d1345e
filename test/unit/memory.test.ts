import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, mock, test } from 'node:test';
import { getHeapSpaceStatistics } from 'node:v8';
import type { Message } from 'vscode-languageserver/node';
import { FramedMessageReader } from '../../server/src/node/framing';
import { parsePolicy } from '../../server/src/service';
import { parseResource } from '../../server/src/service/catalog/arns';
import { reparsePolicy } from '../../server/src/service/hosts/json/parse';
import { keepLayout, memoizeString } from '../../server/src/service/text/memo';
import { collectAllGarbage, createIdleTrimmer, FULL_TRIM_GROWTH, IDLE_TRIM_MS, observeActivity, SETTLE_TRIM_MS, trimKind, trimMemory } from '../../server/src/node/memory';

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
  test('waits for idleMs after the last message, trims, and once more settleMs later', () => {
    const t = fakeTrimmer();
    try {
      t.trimmer.touch();
      t.advance(IDLE_TRIM_MS - 1);
      assert.equal(t.calls(), 0, 'not before the server has been idle for idleMs');
      t.advance(1);
      assert.equal(t.calls(), 1);
      t.advance(SETTLE_TRIM_MS - 1);
      assert.equal(t.calls(), 1);
      t.advance(1);
      assert.equal(t.calls(), 2, 'the second collection, once the allocation rate has settled');
      t.advance(10 * SETTLE_TRIM_MS);
      assert.equal(t.calls(), 2, 'no activity since: nothing more to give back');
      assert.equal(t.trimmer.trims, 2);
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
      // A message between the two collections starts the count again.
      t.advance(1000);
      t.trimmer.touch();
      t.advance(IDLE_TRIM_MS - 1);
      assert.equal(t.calls(), 1);
      t.advance(1);
      assert.equal(t.calls(), 2, 'a new idle period, a new first collection, idleMs after the message');
      t.advance(SETTLE_TRIM_MS);
      assert.equal(t.calls(), 3);
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

  test('trimMemory, within SETTLE_TRIM_MS of idling, gives the young generation back', async () => {
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
    // V8 shrinks it after a collection once its allocation rate, measured over five seconds, is
    // low: the server collects again SETTLE_TRIM_MS after its first collection. Here
    // the test collects until the young generation is given back, within that time and a margin.
    const deadline = Date.now() + SETTLE_TRIM_MS + 5000;
    assert.equal(trimMemory(), true);
    while (youngCommitted() > grown / 4 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      trimMemory();
    }
    assert.ok(youngCommitted() <= grown / 4, `young generation after the trims: ${youngCommitted()} of ${grown} bytes`);
  });

  test('trimKind: a full collection only when the old generation has grown by more than the threshold', () => {
    const MB = 2 ** 20;
    assert.equal(trimKind(50 * MB, undefined), 'full', 'the first trim of a process');
    assert.equal(trimKind(50 * MB, 40 * MB), 'young');
    assert.equal(trimKind(40 * MB + FULL_TRIM_GROWTH, 40 * MB), 'young');
    assert.equal(trimKind(40 * MB + FULL_TRIM_GROWTH + 1, 40 * MB), 'full');
    assert.equal(trimKind(30 * MB, 40 * MB), 'young', 'smaller than after the last full collection');
  });

  test('trimMemory collects an old generation grown by documents left behind', () => {
    trimMemory();
    trimMemory();
    // 40 MB held long enough to reach the old generation, then dropped, as closed documents are.
    let held: number[][] | undefined = Array.from({ length: 5 }, () => new Array<number>(2 ** 20).fill(1.5));
    collectAllGarbage();
    const before = process.memoryUsage().heapUsed;
    assert.equal(held.length, 5);
    held = undefined;
    assert.equal(trimMemory(), true);
    const freed = before - process.memoryUsage().heapUsed;
    assert.ok(freed > 30 * 2 ** 20, `the trim freed ${(freed / 2 ** 20).toFixed(1)} MB of 40`);
  });

  test('keepLayout keeps its instance alive through full collections', async () => {
    // A layout lives as long as one object has it: the kept instance must survive, as an
    // instance nobody holds does not.
    const refs = ((): [WeakRef<object>, WeakRef<object>] => [new WeakRef(keepLayout({ kept: 1 })), new WeakRef({ dropped: 1 })])();
    // A WeakRef holds its target until the current job ends.
    await new Promise((r) => setImmediate(r));
    collectAllGarbage();
    assert.ok(refs[0].deref(), 'the kept instance is alive');
    assert.equal(refs[1].deref(), undefined, 'an instance nobody holds is collected');
  });

  test('a statement carried over to later versions keeps its own characters alive, not its version\'s text', () => {
    // The JSON host reads a keystroke from the last version and carries the other statements
    // over: a statement read in version k kept version k's whole text alive through its strings.
    const statements = Array.from({ length: 40 }, (_, i) => ({ Effect: 'Allow', Action: 'iot:Publish', Resource: `arn:aws:iot:us-east-1:123456789012:topic/t${i}` }));
    // 1 MB outside the statements (one byte a character), so every version is 1 MB.
    let text = JSON.stringify({ Version: '2012-10-17', Statement: statements, Id: 'x'.repeat(2 ** 20) }, null, 2);
    let model = parsePolicy(text);
    collectAllGarbage();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 40; i++) {
      text = text.replace(`topic/t${i}"`, `topic/t${i}/edited"`);
      model = reparsePolicy(model, text);
      assert.equal(model.statements[i].resource?.items[0].value.endsWith('/edited'), true);
    }
    collectAllGarbage();
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(grown < 12 * 2 ** 20, `the heap grew by ${(grown / 2 ** 20).toFixed(1)} MB over 40 versions of 1 MB, each statement read in another`);
    assert.equal(model.text, text);
  });

  test('caches shared between analyses keep no document text alive', () => {
    // A string cut from a document is a view into the whole text: a cache entry holding one kept
    // the closed document's text (1,000 documents of 85 KB grew the server by 30 MB of heap).
    const cut = memoizeString((key) => key.slice(0, 20), 1000);
    collectAllGarbage();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 40; i++) {
      const arn = `arn:aws:iot:us-east-1:123456789012:topic/doc${i}/telemetry`;
      // A 1 MB document (one byte a character) holding the ARN; its slices are views into it.
      const text = `${'x'.repeat(2 ** 20)}"${arn}"${i}`;
      const start = text.indexOf('arn:');
      parseResource(text.slice(start, start + arn.length));
      cut(text.slice(start, start + arn.length));
    }
    collectAllGarbage();
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(grown < 16 * 2 ** 20, `the heap grew by ${(grown / 2 ** 20).toFixed(1)} MB after 40 documents of 1 MB were dropped`);
  });
});
