/**
 * Decodes YAML scalars with a document offset for every decoded character: plain, single-quoted
 * and double-quoted flow scalars (with line folding and escapes), and literal (`|`) and folded
 * (`>`) block scalars (indentation, chomping). The `yaml` parser gives the value; this gives the
 * map from the value back to the file, so a finding on decoded text lands on its characters.
 *
 * The caller compares the decoded text with the parser's value and falls back to a coarse map
 * when they differ, so a construct decoded wrongly here costs precision, never correctness.
 */

export interface DecodedScalar {
  value: string;
  /** `map[i]`: document offset of decoded character `i`; `map[value.length]`: just past the content. */
  map: number[];
}

export type ScalarStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED';

class Out {
  value = '';
  map: number[] = [];
  push(ch: string, at: number): void {
    this.value += ch;
    for (let k = 0; k < ch.length; k++) this.map.push(at);
  }
  done(end: number): DecodedScalar {
    this.map.push(end);
    return { value: this.value, map: this.map };
  }
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

function isBreak(c: string | undefined): boolean {
  return c === '\n' || c === '\r';
}

/** Length of the line break at `i` (`\r\n` counts as one break). */
function breakLength(text: string, i: number): number {
  return text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
}

/**
 * Line folding inside a flow scalar, from a line break at `i`: the break and the white space
 * around it become one space, or `n - 1` line feeds for `n` breaks. Returns the index after the
 * folded white space.
 */
function fold(text: string, i: number, end: number, out: Out): number {
  const first = i;
  let breaks = 0;
  while (i < end && (isBreak(text[i]) || isSpace(text[i]))) {
    if (isBreak(text[i])) {
      breaks++;
      i += breakLength(text, i);
    } else i++;
  }
  if (breaks <= 1) out.push(' ', first);
  else for (let k = 1; k < breaks; k++) out.push('\n', first);
  return i;
}

/** Drops trailing white space already pushed (it precedes a folded line break). */
function trimTrailingSpace(out: Out): void {
  let n = out.value.length;
  while (n > 0 && isSpace(out.value[n - 1])) n--;
  out.value = out.value.slice(0, n);
  out.map.length = n;
}

/**
 * A flow scalar from `from` to `stop`: line breaks fold, and `escape` (when the quoting has
 * escapes) decodes an escape at `i`, returning the index after it, or -1 when `i` starts none.
 */
function decodeFlow(text: string, from: number, stop: number, out: Out, escape?: (i: number) => number): DecodedScalar {
  let i = from;
  while (i < stop) {
    const next = escape ? escape(i) : -1;
    if (next !== -1) {
      i = next;
      continue;
    }
    if (isBreak(text[i])) {
      trimTrailingSpace(out);
      i = fold(text, i, stop, out);
      continue;
    }
    out.push(text[i], i);
    i++;
  }
  return out.done(stop);
}

function decodePlain(text: string, start: number, end: number): DecodedScalar {
  const out = new Out();
  const d = decodeFlow(text, start, end, out);
  // A plain scalar never ends in white space (it would be a separator).
  let n = d.value.length;
  while (n > 0 && isSpace(d.value[n - 1])) n--;
  return { value: d.value.slice(0, n), map: [...d.map.slice(0, n), end] };
}

function decodeSingle(text: string, start: number, end: number): DecodedScalar {
  const out = new Out();
  const stop = text[end - 1] === "'" ? end - 1 : end;
  return decodeFlow(text, start + 1, stop, out, (i) => {
    if (text[i] !== "'" || text[i + 1] !== "'") return -1;
    out.push("'", i);
    return i + 2;
  });
}

const DOUBLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

function decodeDouble(text: string, start: number, end: number): DecodedScalar {
  const out = new Out();
  const stop = text[end - 1] === '"' ? end - 1 : end;
  return decodeFlow(text, start + 1, stop, out, (i) => {
    if (text[i] !== '\\') return -1;
    const e = text[i + 1];
    if (isBreak(e)) {
      // An escaped line break: the break and the next line's indentation vanish.
      let j = i + 1 + breakLength(text, i + 1);
      while (j < stop && isSpace(text[j])) j++;
      return j;
    }
    const hex = HEX_ESCAPES[e];
    if (hex) {
      const code = parseInt(text.slice(i + 2, i + 2 + hex), 16);
      out.push(Number.isNaN(code) ? '' : String.fromCodePoint(code), i);
      return i + 2 + hex;
    }
    out.push(DOUBLE_ESCAPES[e] ?? e ?? '', i);
    return i + 2;
  });
}

/** The lines of a block scalar's content: start offset of each line and its end (before the break). */
function lines(text: string, from: number, end: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let i = from;
  while (i < end) {
    let j = i;
    while (j < end && !isBreak(text[j])) j++;
    out.push({ start: i, end: j });
    i = j < end ? j + breakLength(text, j) : j;
  }
  return out;
}

function decodeBlock(text: string, start: number, end: number, folded: boolean): DecodedScalar {
  // Header: `|` or `>`, then chomping and indentation indicators in either order, then a comment.
  let i = start + 1;
  let chomp: 'clip' | 'strip' | 'keep' = 'clip';
  let explicit = 0;
  while (i < end && !isBreak(text[i])) {
    const c = text[i];
    if (c === '-') chomp = 'strip';
    else if (c === '+') chomp = 'keep';
    else if (c >= '1' && c <= '9' && !explicit) explicit = Number(c);
    else if (c === '#') break;
    i++;
  }
  while (i < end && !isBreak(text[i])) i++;
  if (i < end) i += breakLength(text, i);
  const body = lines(text, i, end);
  // Indentation: explicit (relative to the parent, taken here as its own indentation), else the first non-empty line's.
  let indent = explicit ? explicit : 0;
  if (!explicit) {
    for (const l of body) {
      let k = l.start;
      while (k < l.end && text[k] === ' ') k++;
      if (k < l.end) {
        indent = k - l.start;
        break;
      }
    }
  } else {
    const head = text.lastIndexOf('\n', start - 1) + 1;
    let k = head;
    while (text[k] === ' ') k++;
    indent = k - head + explicit;
  }
  const out = new Out();
  /** Line breaks waiting after the last content line, with the offset each was written at. */
  let pending: number[] = [];
  let prevMoreIndented = true;
  let anyContent = false;
  for (const l of body) {
    const contentStart = Math.min(l.start + indent, l.end);
    const empty = text.slice(l.start, l.end).trim() === '' && contentStart >= l.end;
    if (empty) {
      pending.push(l.end);
      continue;
    }
    const moreIndented = isSpace(text[contentStart]);
    if (anyContent) {
      if (folded && !moreIndented && !prevMoreIndented && pending.length === 1) out.push(' ', pending[0]);
      else if (folded && !moreIndented && !prevMoreIndented) for (const at of pending.slice(1)) out.push('\n', at);
      else for (const at of pending) out.push('\n', at);
    } else for (const at of pending) out.push('\n', at);
    pending = [];
    for (let k = contentStart; k < l.end; k++) out.push(text[k], k);
    // A line break follows unless the scalar ends the document without one.
    if (l.end < text.length && isBreak(text[l.end])) pending.push(l.end);
    prevMoreIndented = moreIndented;
    anyContent = true;
  }
  if (chomp === 'keep') for (const at of pending) out.push('\n', at);
  else if (chomp === 'clip' && anyContent && pending.length) out.push('\n', pending[0]);
  const last = out.map.length ? out.map[out.map.length - 1] + 1 : i;
  return out.done(Math.min(last, end));
}

/** Decodes the scalar written at [start, end) of `text` in the given style. */
export function decodeScalar(text: string, start: number, end: number, style: ScalarStyle): DecodedScalar {
  switch (style) {
    case 'QUOTE_SINGLE':
      return decodeSingle(text, start, end);
    case 'QUOTE_DOUBLE':
      return decodeDouble(text, start, end);
    case 'BLOCK_LITERAL':
      return decodeBlock(text, start, end, false);
    case 'BLOCK_FOLDED':
      return decodeBlock(text, start, end, true);
    default:
      return decodePlain(text, start, end);
  }
}

/** A map that puts every character at the scalar's start: when decoding disagrees with the parser. */
export function coarseScalar(value: string, start: number, end: number): DecodedScalar {
  const map = new Array<number>(value.length).fill(start);
  map.push(end);
  return { value, map };
}
