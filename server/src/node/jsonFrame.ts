/**
 * A message's LSP frame (`Content-Length` header and JSON body), written as UTF-8 bytes straight
 * into a buffer.
 *
 * `JSON.stringify` builds its text in parts that double in size and joins them, and turning that
 * text into bytes copies it once more: a 9 KB diagnostics report left about 27 KB of garbage per
 * reply, a fifth of what a keystroke allocated on the server's path. After the server idles, V8
 * shrinks its young generation, and until the allocation rate picks up again every collection
 * gives the young generation's pages back to the system, to be faulted in again: each kilobyte a
 * keystroke allocates costs time then. This writer walks the message once and writes its bytes
 * into a scratch buffer kept between messages; the frame is the only new memory, and it lives
 * outside V8's heap.
 *
 * It writes exactly the bytes of `Buffer.from(JSON.stringify(value), 'utf8')` for plain data:
 * objects whose prototype is `Object.prototype` or null, arrays, strings, finite and non-finite
 * numbers, booleans, null, and `undefined`, functions and symbols where `JSON.stringify` drops or
 * nulls them. Anything else (a `toJSON` method, a class instance, a boxed primitive, a bigint, a
 * structure deeper than {@link MAX_DEPTH}, a cycle) is left to `JSON.stringify` for the whole
 * message, with its results and its errors. `test/unit/jsonFrame.test.ts` compares the two on
 * random values.
 */

/** Deeper than this, the message is left to `JSON.stringify` (which also reports cycles). */
const MAX_DEPTH = 64;
/** The scratch buffer starts this large and doubles as needed; beyond KEEP_BYTES it is not kept. */
const START_BYTES = 16 * 1024;
const KEEP_BYTES = 1024 * 1024;

/** The message is not plain data: write it with `JSON.stringify`. */
class NotPlain {}
const NOT_PLAIN = new NotPlain();

const HEX = '0123456789abcdef';

let scratch = Buffer.allocUnsafe(START_BYTES);
let at = 0;

function room(n: number): void {
  if (at + n <= scratch.length) return;
  let size = scratch.length * 2;
  while (size < at + n) size *= 2;
  const bigger = Buffer.allocUnsafe(size);
  scratch.copy(bigger, 0, 0, at);
  scratch = bigger;
}

/** Text of code units below 0x80 that need no escape (keys, literals, digits). */
function ascii(s: string): void {
  room(s.length);
  for (let i = 0; i < s.length; i++) scratch[at++] = s.charCodeAt(i);
}

function escapeUnit(c: number): void {
  room(6);
  const b = scratch;
  b[at++] = 0x5c; // backslash
  switch (c) {
    case 0x08: b[at++] = 0x62; return; // \b
    case 0x09: b[at++] = 0x74; return; // \t
    case 0x0a: b[at++] = 0x6e; return; // \n
    case 0x0c: b[at++] = 0x66; return; // \f
    case 0x0d: b[at++] = 0x72; return; // \r
    case 0x22: b[at++] = 0x22; return; // \"
    case 0x5c: b[at++] = 0x5c; return; // \\
  }
  b[at++] = 0x75; // \u, lower-case hex as JSON.stringify writes it
  b[at++] = HEX.charCodeAt((c >> 12) & 15);
  b[at++] = HEX.charCodeAt((c >> 8) & 15);
  b[at++] = HEX.charCodeAt((c >> 4) & 15);
  b[at++] = HEX.charCodeAt(c & 15);
}

function string(s: string): void {
  // At most three bytes per code unit (a pair's four bytes are two units), six for an escape, and the quotes.
  room(s.length * 3 + 2);
  const b = scratch;
  b[at++] = 0x22;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c < 0x20 || c === 0x22 || c === 0x5c) {
        escapeUnit(c);
        room((s.length - i) * 3 + 1);
      } else scratch[at++] = c;
    } else if (c < 0x800) {
      scratch[at++] = 0xc0 | (c >> 6);
      scratch[at++] = 0x80 | (c & 63);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        scratch[at++] = 0xf0 | (cp >> 18);
        scratch[at++] = 0x80 | ((cp >> 12) & 63);
        scratch[at++] = 0x80 | ((cp >> 6) & 63);
        scratch[at++] = 0x80 | (cp & 63);
        i++;
      } else {
        // A lone surrogate: escaped, as a well-formed JSON.stringify does.
        escapeUnit(c);
        room((s.length - i) * 3 + 1);
      }
    } else {
      scratch[at++] = 0xe0 | (c >> 12);
      scratch[at++] = 0x80 | ((c >> 6) & 63);
      scratch[at++] = 0x80 | (c & 63);
    }
  }
  scratch[at++] = 0x22;
}

function number(n: number): void {
  if (!Number.isFinite(n)) ascii('null');
  else if (Number.isSafeInteger(n)) {
    // Digits without a string: positions and lengths are most numbers of a message.
    if (n < 0) {
      room(1);
      scratch[at++] = 0x2d;
      n = -n;
    }
    let digits = 1;
    for (let p = 10; p <= n; p *= 10) digits++;
    room(digits);
    for (let i = at + digits - 1; i >= at; i--) {
      scratch[i] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    }
    at += digits;
  } else ascii(String(n));
}

function isPlainObject(o: object): boolean {
  const proto = Object.getPrototypeOf(o) as unknown;
  return proto === Object.prototype || proto === null;
}

function value(v: unknown, depth: number): void {
  switch (typeof v) {
    case 'string': return string(v);
    case 'number': return number(v);
    case 'boolean': return ascii(v ? 'true' : 'false');
    case 'object': break;
    default: throw NOT_PLAIN; // undefined, functions and symbols are placed by their container; bigint throws there
  }
  if (v === null) return ascii('null');
  if (depth >= MAX_DEPTH) throw NOT_PLAIN;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype || 'toJSON' in v) throw NOT_PLAIN;
    ascii('[');
    for (let i = 0; i < v.length; i++) {
      if (i) ascii(',');
      const x: unknown = v[i];
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') ascii('null');
      else value(x, depth + 1);
    }
    return ascii(']');
  }
  if (!isPlainObject(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') throw NOT_PLAIN;
  ascii('{');
  let first = true;
  const o = v as Record<string, unknown>;
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
    const x = o[k];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    if (!first) ascii(',');
    first = false;
    string(k);
    ascii(':');
    value(x, depth + 1);
  }
  ascii('}');
}

/** The header and the body of `body`'s bytes, in one new buffer. */
function frameOf(body: Buffer, start: number, end: number): Buffer {
  const header = `Content-Length: ${end - start}\r\n\r\n`;
  const frame = Buffer.allocUnsafe(header.length + end - start);
  frame.write(header, 0, 'latin1');
  body.copy(frame, header.length, start, end);
  return frame;
}

/** `msg` as one LSP frame: `Content-Length: n\r\n\r\n` and the UTF-8 bytes of `JSON.stringify(msg)`. */
export function jsonFrame(msg: unknown): Buffer {
  at = 0;
  let plain = true;
  try {
    value(msg, 0);
  } catch (err) {
    if (err !== NOT_PLAIN) {
      at = 0;
      throw err;
    }
    plain = false;
  }
  let frame: Buffer;
  if (plain) frame = frameOf(scratch, 0, at);
  else {
    const text = JSON.stringify(msg) as string | undefined;
    if (typeof text !== 'string') throw new TypeError('The message is not JSON');
    const bytes = Buffer.from(text, 'utf8');
    frame = frameOf(bytes, 0, bytes.length);
  }
  at = 0;
  // A huge message's scratch is not kept.
  if (scratch.length > KEEP_BYTES) scratch = Buffer.allocUnsafe(START_BYTES);
  return frame;
}
