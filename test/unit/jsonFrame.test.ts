import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jsonFrame } from '../../server/src/node/jsonFrame';

/** What the writer did before: the header, then the UTF-8 bytes of `JSON.stringify`. */
function expected(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'latin1'), body]);
}

function same(value: unknown, what = ''): void {
  const got = jsonFrame(value);
  const want = expected(value);
  if (!got.equals(want)) assert.fail(`${what}\n got: ${JSON.stringify(got.toString('latin1').slice(0, 300))}\nwant: ${JSON.stringify(want.toString('latin1').slice(0, 300))}`);
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UNITS = [0x00, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x1f, 0x20, 0x22, 0x2f, 0x5c, 0x41, 0x7e, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x2713, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfeff, 0xffff];

function text(r: () => number): string {
  let s = '';
  const n = Math.floor(r() * 12);
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.5) s += String.fromCharCode(0x20 + Math.floor(r() * 95));
    else if (k < 0.8) s += String.fromCharCode(UNITS[Math.floor(r() * UNITS.length)]);
    else if (k < 0.9) s += '𝄞';
    else s += String.fromCharCode(Math.floor(r() * 0x10000));
  }
  return s;
}

const NUMBERS = [0, -0, 1, -1, 7, 10, 99, 100, 123456789, -987654321, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, 1e-7, 0.1, -2.5, 1 / 3, NaN, Infinity, -Infinity, 5e-324];

function anyValue(r: () => number, depth: number): unknown {
  const k = r();
  if (depth > 4 || k < 0.3) {
    const p = r();
    if (p < 0.4) return text(r);
    if (p < 0.7) return NUMBERS[Math.floor(r() * NUMBERS.length)];
    if (p < 0.8) return r() < 0.5;
    if (p < 0.9) return null;
    return [undefined, () => 1, Symbol('s')][Math.floor(r() * 3)];
  }
  if (k < 0.6) return Array.from({ length: Math.floor(r() * 5) }, () => anyValue(r, depth + 1));
  const o: Record<string, unknown> = r() < 0.1 ? (Object.create(null) as Record<string, unknown>) : {};
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) o[r() < 0.2 ? String(Math.floor(r() * 20)) : text(r)] = anyValue(r, depth + 1);
  return o;
}

describe('jsonFrame', () => {
  test('writes the bytes of JSON.stringify for random plain data', () => {
    const r = random(16);
    for (let i = 0; i < 3000; i++) {
      const v = anyValue(r, 0);
      same(typeof v === 'object' && v !== null ? v : [v], `case ${i}`);
    }
  });

  test('every UTF-16 code unit alone, and every surrogate before and after another', () => {
    for (let c = 0; c < 0x10000; c++) same({ s: String.fromCharCode(c) }, `unit ${c.toString(16)}`);
    for (const a of [0xd800, 0xdbff, 0xdc00, 0xdfff]) {
      for (const b of [0x41, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe9]) same([String.fromCharCode(a, b), String.fromCharCode(b, a), String.fromCharCode(a)], `${a} ${b}`);
    }
  });

  test('a diagnostics report', () => {
    const item = {
      range: { start: { line: 12, character: 3 }, end: { line: 12, character: 40 } },
      severity: 1, code: 'unknown-action', codeDescription: { href: 'https://example.com/docs/rules/unknown-action.md' },
      source: 'iot-policy', message: '`iot:Publsh` is not an IoT policy action — "Did you mean `iot:Publish`?"', data: { ruleId: 'unknown-action', suggestions: ['iot:Publish'] },
      relatedInformation: undefined,
    };
    same({ jsonrpc: '2.0', id: 41, result: { kind: 'full', items: Array.from({ length: 30 }, () => item) } });
  });

  test('grows past its scratch buffer, and starts small again after a huge message', () => {
    same({ jsonrpc: '2.0', id: 1, result: 'é✓'.repeat(1_000_000) });
    same({ jsonrpc: '2.0', id: 2, result: Array.from({ length: 50_000 }, (_, i) => ({ i, s: `x${i}"\\` })) });
    same({ jsonrpc: '2.0', id: 3, result: null });
  });

  test('leaves what is not plain data to JSON.stringify, with its results and errors', () => {
    class Point {
      constructor(readonly x: number, readonly y: number) {}
    }
    same({ when: new Date(0), at: new Point(1, 2), map: new Map([[1, 2]]), boxed: [new String('s'), new Number(2), new Boolean(false)] });
    same({ custom: { toJSON: (key: string) => `key ${key}` } });
    same([{ toJSON: () => undefined }]);
    const arr = [1, 2];
    (arr as unknown as { toJSON: () => string }).toJSON = () => 'array';
    same({ arr });
    let deep: unknown = 'leaf';
    for (let i = 0; i < 1000; i++) deep = { d: [deep] };
    same(deep);
    assert.throws(() => jsonFrame({ n: 1n }), TypeError);
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    assert.throws(() => jsonFrame(cycle), TypeError);
    assert.throws(() => jsonFrame(undefined), TypeError);
    // After a failure, the next message is whole.
    same({ jsonrpc: '2.0', id: 9, result: [1, 'two', { three: 3 }] });
  });

  test('reads each property once, as JSON.stringify does', () => {
    let reads = 0;
    const o = { get x() { reads++; return 1; } };
    jsonFrame(o);
    assert.equal(reads, 1);
  });
});
