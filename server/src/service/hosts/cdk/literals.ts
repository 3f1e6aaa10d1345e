/**
 * String literals of TypeScript, JavaScript and Python, decoded character by character into the
 * policy text they hold, each decoded character mapped to the characters of the file: `\n`,
 * `\u0041`, `\\`, `\${` in a template literal and `{{` in an f-string all land on their escape.
 * Substitutions (`${Aws.REGION}`, `{self.region}`) are handed to the caller, which appends what it
 * knows of them or one opaque character.
 *
 * Each literal also says how decoded policy text is written back into it (`Escape`), for fixes
 * and completion: `'` and `\` escaped in a quoted string, `${` as `\${` in a template literal,
 * braces doubled in an f-string.
 */
import type { Node } from 'web-tree-sitter';
import type { Span } from '../../text/span';
import type { StringValue } from '../../policy/tree';
import type { StringBuilder } from '../strings';
import { isPolicyVariableName } from '../cloudformation/intrinsics';

/** How decoded policy text is written inside one literal. */
export type Escape = (decoded: string) => string;

export const identity: Escape = (s) => s;

export type LiteralKind =
  /** TypeScript `'...'` or `"..."`. */
  | 'quoted'
  /** TypeScript template literal. */
  | 'template'
  /** Python string (no substitution). */
  | 'python'
  /** Python f-string, or a string `.format()` fills in: braces are doubled. */
  | 'braces'
  /** Python string `%` fills in: `%` is doubled. */
  | 'percent';

/** A literal of the file as fixes and completion see it. */
export interface Literal {
  /** With its delimiters (and prefix). */
  span: Span;
  /** Between the delimiters. */
  content: Span;
  kind: LiteralKind;
  /** Decoded policy text → text of the file. */
  escape: Escape;
  /** A string of a policy held as JSON text in this literal: raw JSON text → text of the file. */
  outer?: Escape;
  /** Its `${...}` are substituted by `Fn.sub`. */
  sub: boolean;
  /** Substitutions and replacement fields (their text is code, not policy text). */
  holes: Span[];
  /** Closed (the parser found its end delimiter). */
  closed: boolean;
}

export function compose(...escapes: Escape[]): Escape {
  return (s) => escapes.reduce((acc, e) => e(acc), s);
}

// ---- TypeScript ------------------------------------------------------------------------------

const TS_SIMPLE: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v' };

/** The cooked value of one TypeScript escape sequence (`\n`, `\x41`, `\u{1F600}`, a line continuation). */
function tsEscapeValue(seq: string): string {
  const c = seq[1];
  if (c === undefined) return '';
  if (c in TS_SIMPLE) return TS_SIMPLE[c];
  if (c === '0' && !/[0-9]/.test(seq[2] ?? '')) return '\0';
  if (c === 'x' && /^\\x[0-9a-fA-F]{2}$/.test(seq)) return String.fromCharCode(parseInt(seq.slice(2), 16));
  if (c === 'u') {
    const m = /^\\u(?:([0-9a-fA-F]{4})|\{([0-9a-fA-F]+)\})$/.exec(seq);
    if (m) {
      const cp = parseInt(m[1] ?? m[2], 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    }
  }
  // A line continuation writes nothing.
  if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') return '';
  return seq.slice(1);
}

function tsQuotedEscape(quote: string): Escape {
  return (s) => s.replace(/[\\\n\r\t\u2028\u2029'"]/g, (ch) => {
    switch (ch) {
      case '\\': return '\\\\';
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      case '\u2028': return '\\u2028';
      case '\u2029': return '\\u2029';
      default: return ch === quote ? `\\${ch}` : ch;
    }
  });
}

/** A template literal: `\`, `` ` `` and `${` are escaped (`\${iot:ClientId}` is the literal policy variable). */
const templateEscape: Escape = (s) => s.replace(/\\|`|\$\{/g, (m) => (m === '${' ? '\\${' : `\\${m}`));

/** Appends decoded text whose characters sit one after another from `start`. */
export function appendRun(b: StringBuilder, s: string, start: number): void {
  if (!s) return;
  const offsets = new Array<number>(s.length);
  for (let i = 0; i < s.length; i++) offsets[i] = start + i;
  b.text(s, offsets, start + s.length);
}

/** Appends decoded text that all comes from one place of the file (an escape sequence). */
export function appendAt(b: StringBuilder, s: string, at: number, end: number): void {
  if (!s) return;
  const offsets = new Array<number>(s.length).fill(at);
  b.text(s, offsets, end);
}

/** Receives a substitution of a literal (its node, the `${...}` or `{...}` span). */
export type HoleReader = (b: StringBuilder, hole: Node) => void;

/** Decodes a TypeScript `string` or `template_string` node into `b`. */
export function decodeTs(node: Node, text: string, b: StringBuilder, hole: HoleReader): Literal {
  const template = node.type === 'template_string';
  const start = node.startIndex;
  const end = node.endIndex;
  const open = text[start];
  const closed = end - start >= 2 && text[end - 1] === open;
  const holes: Span[] = [];
  for (let i = 0; i < node.childCount; i++) {
    const c = node.child(i)!;
    switch (c.type) {
      case 'string_fragment': {
        let s = text.slice(c.startIndex, c.endIndex);
        if (template && s.includes('\r')) {
          // A template literal reads a raw line break `\r\n` as `\n`.
          for (let k = 0; k < s.length; k++) {
            if (s[k] === '\r') {
              const crlf = s[k + 1] === '\n';
              appendAt(b, '\n', c.startIndex + k, c.startIndex + k + (crlf ? 2 : 1));
              if (crlf) k++;
            } else appendAt(b, s[k], c.startIndex + k, c.startIndex + k + 1);
          }
          s = '';
        }
        appendRun(b, s, c.startIndex);
        break;
      }
      case 'escape_sequence':
        appendAt(b, tsEscapeValue(text.slice(c.startIndex, c.endIndex)), c.startIndex, c.endIndex);
        break;
      case 'template_substitution':
        holes.push({ offset: c.startIndex, length: c.endIndex - c.startIndex });
        hole(b, c);
        break;
      default:
        break;
    }
  }
  const contentEnd = closed ? end - 1 : end;
  b.text('', [], contentEnd);
  return {
    span: { offset: start, length: end - start },
    content: { offset: start + 1, length: Math.max(0, contentEnd - start - 1) },
    kind: template ? 'template' : 'quoted',
    escape: template ? templateEscape : tsQuotedEscape(open),
    sub: false,
    holes,
    closed,
  };
}

// ---- Python ----------------------------------------------------------------------------------

const PY_SIMPLE: Readonly<Record<string, string>> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** The prefix letters and quote of a Python string (`rb'`, `f"""`). */
export function pythonQuote(startText: string): { prefix: string; quote: string } {
  const m = /^([A-Za-z]*)(.*)$/s.exec(startText)!;
  return { prefix: m[1].toLowerCase(), quote: m[2] };
}

/**
 * Decodes one run of a Python string's content (between substitutions) at document offset `at`:
 * escapes unless raw, and `{{`/`}}` in an f-string. Returns the last decoded character.
 */
function decodePyRun(text: string, from: number, to: number, raw: boolean, bytes: boolean, fstring: boolean, b: StringBuilder): string {
  let last = '';
  let runStart = from;
  const flush = (k: number): void => {
    if (k > runStart) {
      appendRun(b, text.slice(runStart, k), runStart);
      last = text[k - 1];
    }
  };
  let k = from;
  while (k < to) {
    const ch = text[k];
    if (ch === '\\' && !raw && k + 1 < to) {
      flush(k);
      const n = text[k + 1];
      let len = 2;
      let value: string | undefined;
      if (n in PY_SIMPLE) value = PY_SIMPLE[n];
      else if (n === '\n') value = '';
      else if (n === '\r') {
        value = '';
        if (text[k + 2] === '\n') len = 3;
      } else if (/[0-7]/.test(n)) {
        const m = /^[0-7]{1,3}/.exec(text.slice(k + 1, Math.min(to, k + 4)))!;
        value = String.fromCharCode(parseInt(m[0], 8));
        len = 1 + m[0].length;
      } else if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(k + 2, k + 4))) {
        value = String.fromCharCode(parseInt(text.slice(k + 2, k + 4), 16));
        len = 4;
      } else if (!bytes && n === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(k + 2, k + 6))) {
        value = String.fromCharCode(parseInt(text.slice(k + 2, k + 6), 16));
        len = 6;
      } else if (!bytes && n === 'U' && /^[0-9a-fA-F]{8}$/.test(text.slice(k + 2, k + 10))) {
        const cp = parseInt(text.slice(k + 2, k + 10), 16);
        value = cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
        len = 10;
      } else if (!bytes && n === 'N' && text[k + 2] === '{') {
        // A named character: its name is not known here; the escape reads as itself.
        const close = text.indexOf('}', k + 3);
        len = close === -1 || close >= to ? 2 : close + 1 - k;
        value = text.slice(k, k + len);
      } else value = text.slice(k, k + 2);
      appendAt(b, value, k, k + len);
      if (value) last = value[value.length - 1];
      k += len;
      runStart = k;
      continue;
    }
    if (fstring && (ch === '{' || ch === '}') && text[k + 1] === ch) {
      flush(k);
      appendAt(b, ch, k, k + 2);
      last = ch;
      k += 2;
      runStart = k;
      continue;
    }
    k++;
  }
  flush(to);
  return last;
}

/** A Python string's escape for decoded policy text. */
export function pythonEscape(quote: string, raw: boolean, kind: LiteralKind): Escape {
  const triple = quote.length === 3;
  const q = quote[0];
  const base: Escape = raw
    ? identity
    : (s) => s.replace(/[\\\n\r\t'"]/g, (ch) => {
      switch (ch) {
        case '\\': return '\\\\';
        case '\n': return triple ? '\n' : '\\n';
        case '\r': return '\\r';
        case '\t': return triple ? '\t' : '\\t';
        default: return ch === q && !triple ? `\\${ch}` : ch;
      }
    });
  const tripleSafe: Escape = triple && !raw ? (s) => base(s).split(q.repeat(3)).join(`\\${q}`.repeat(3)) : base;
  if (kind === 'braces') return (s) => tripleSafe(s).replace(/[{}]/g, (c) => c + c);
  if (kind === 'percent') return (s) => tripleSafe(s).replace(/%/g, '%%');
  return tripleSafe;
}

/** An f-string replacement field `{iot:ClientId}` written right after a `$`: the policy variable Python reads as a field. */
export interface FieldVariable {
  /** Decoded range of `${...}` in the builder. */
  start: number;
  end: number;
  name: string;
}

/**
 * Decodes one Python `string` node (not a concatenation) into `b`. Replacement fields of an
 * f-string go to `hole`, except a field right after `$` that names a policy variable
 * (`${iot:ClientId}`): its text is kept, so the variable is still checked, and it is returned
 * for the `fstring-variable-not-escaped` note.
 */
export function decodePy(node: Node, text: string, b: StringBuilder, hole: HoleReader, fields: FieldVariable[]): Literal {
  const start = node.startIndex;
  const end = node.endIndex;
  const first = node.child(0);
  const last = node.child(node.childCount - 1);
  const startText = first?.type === 'string_start' ? text.slice(first.startIndex, first.endIndex) : '"';
  const { prefix, quote } = pythonQuote(startText);
  const raw = prefix.includes('r');
  const bytes = prefix.includes('b');
  const fstring = prefix.includes('f');
  const contentStart = first?.type === 'string_start' ? first.endIndex : start;
  const closed = last?.type === 'string_end' && last.endIndex > last.startIndex;
  const contentEnd = closed ? last!.startIndex : end;
  const holes: Span[] = [];
  let at = contentStart;
  let prev = '';
  for (let i = 0; i < node.childCount; i++) {
    const c = node.child(i)!;
    if (c.type !== 'interpolation') continue;
    const lastChar = decodePyRun(text, at, c.startIndex, raw, bytes, fstring, b);
    if (lastChar || at < c.startIndex) prev = lastChar;
    const field = text.slice(c.startIndex, c.endIndex);
    const inner = /^\{([^{}]*)\}$/.exec(field)?.[1];
    if (prev === '$' && inner !== undefined && isPolicyVariableName(inner)) {
      fields.push({ start: b.length - 1, end: b.length + field.length, name: inner.trim() });
      appendRun(b, field, c.startIndex);
      prev = '}';
    } else {
      holes.push({ offset: c.startIndex, length: c.endIndex - c.startIndex });
      hole(b, c);
      prev = '';
    }
    at = c.endIndex;
  }
  decodePyRun(text, at, contentEnd, raw, bytes, fstring, b);
  b.text('', [], contentEnd);
  const kind: LiteralKind = fstring ? 'braces' : 'python';
  return {
    span: { offset: start, length: end - start },
    content: { offset: contentStart, length: Math.max(0, contentEnd - contentStart) },
    kind,
    escape: pythonEscape(quote, raw, kind),
    sub: false,
    holes,
    closed,
  };
}

const PERCENT_SPEC = /^%(\([^)]*\))?[#0\- +]*(\*|\d+)?(\.(\*|\d+))?[hlL]?[diouxXeEfFgGcrsa]/;

/**
 * A Python string that `.format(...)` (`braces`) or `%` (`percent`) fills in, appended to `b`:
 * `{{` and `%%` are single characters, each replacement field or conversion is one opaque
 * character. A field right after `$` that names a policy variable (`${iot:ClientId}`) is kept as
 * text and returned in `fields` (Python would look it up and fail).
 */
export function appendFormatted(b: StringBuilder, sv: StringValue, style: 'braces' | 'percent', fields: FieldVariable[]): void {
  const v = sv.value;
  let i = 0;
  let from = 0;
  const flush = (to: number): void => {
    if (to > from) b.from(sv, from, to);
  };
  while (i < v.length) {
    const ch = v[i];
    if (style === 'percent' && ch === '%') {
      flush(i);
      if (v[i + 1] === '%') {
        b.from(sv, i, i + 1);
        i += 2;
      } else {
        const m = PERCENT_SPEC.exec(v.slice(i, i + 64));
        const len = m ? m[0].length : 1;
        if (m) b.unknown(sv.spanOf(i, i + len), v.slice(i, i + len));
        else b.from(sv, i, i + 1);
        i += len;
      }
      from = i;
      continue;
    }
    if (style === 'braces' && (ch === '{' || ch === '}')) {
      flush(i);
      if (v[i + 1] === ch) {
        b.from(sv, i, i + 1);
        i += 2;
        from = i;
        continue;
      }
      if (ch === '}') {
        b.from(sv, i, i + 1);
        i++;
        from = i;
        continue;
      }
      // A replacement field, with nested fields in its format spec.
      let depth = 0;
      let j = i;
      for (; j < v.length; j++) {
        if (v[j] === '{') depth++;
        else if (v[j] === '}' && --depth === 0) break;
      }
      if (j >= v.length) {
        b.from(sv, i, v.length);
        i = from = v.length;
        break;
      }
      const inner = v.slice(i + 1, j);
      if (v[i - 1] === '$' && isPolicyVariableName(inner) && sv.opaque.every((o) => o.end <= i - 1 || o.start > j)) {
        fields.push({ start: b.length - 1, end: b.length + j + 1 - i, name: inner.trim() });
        b.from(sv, i, j + 1);
      } else b.unknown(sv.spanOf(i, j + 1), v.slice(i, j + 1));
      i = j + 1;
      from = i;
      continue;
    }
    i++;
  }
  flush(v.length);
}
