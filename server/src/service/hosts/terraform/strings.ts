/**
 * Terraform strings: HCL templates decoded to policy text with a document offset for every
 * character. A quoted string processes backslash escapes, a heredoc and a `templatefile` template
 * do not; all three write a literal `${` as `$${` and `%{` as `%%{`. Interpolations (`${var.x}`)
 * and directives (`%{ if ... }`) are opaque: one `*` each, unknown until `terraform apply`,
 * unless the value of `var.x` is given.
 *
 * For a policy written as JSON text in a template, an interpolation outside any JSON string
 * (`"Action": ${jsonencode(local.actions)}`) stands for a whole JSON value: it is written as the
 * placeholder `"*"`, which the JSON reader turns into an opaque node.
 */
import type { OpaqueRange, PolicyNode } from '../../policy/tree';
import { NO_OPAQUE } from '../../policy/tree';
import type { Span } from '../../text/span';
import { MappedString } from '../strings';

/** How decoded policy text is written inside one string of the file. */
export type Escape = (decoded: string) => string;

/** A part of a template: literal text, or an expression or directive (its document span). */
export type Piece =
  | { kind: 'text'; start: number; end: number }
  | { kind: 'interpolation'; start: number; end: number; label: string; known?: string; resolved?: ResolvedText }
  | { kind: 'directive'; start: number; end: number; label: string };

/** The text an interpolation stands for, written elsewhere in the file (a local's string): with its own map. */
export interface ResolvedText {
  value: string;
  /** Document offset of each character. */
  map: readonly number[];
  opaque: readonly OpaqueRange[];
}

export interface TemplateOptions {
  /** Backslash escapes are processed (a quoted string; not a heredoc or a template file). */
  quoted: boolean;
  /** `<<-` heredoc: leading white space removed from each line, up to this many characters. */
  strip?: number;
  /** The template is JSON text: interpolations outside JSON strings are placeholder values. */
  json?: boolean;
  /** `&{name}` is a policy variable (what `aws_iam_policy_document` turns into `${name}`). */
  amp?: boolean;
}

export interface DecodedTemplate {
  value: string;
  /** Document offset of each decoded character, then of the end of the content. */
  map: number[];
  opaque: OpaqueRange[];
  /** JSON text: decoded ranges of the placeholders that stand for a whole value. */
  placeholders: OpaqueRange[];
  /** JSON text: a directive outside JSON strings, so the rendered structure is unknown. */
  structureUnknown: boolean;
}

const SIMPLE: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/**
 * Decodes a template's pieces (indices into `text`), ending at `end`. `at` maps an index of
 * `text` to the document (the template is itself the decoded value of a JSON string in `.tf.json`).
 */
export function decodeTemplate(text: string, pieces: readonly Piece[], end: number, o: TemplateOptions, at: (i: number) => number = (i) => i): DecodedTemplate {
  let value = '';
  const map: number[] = [];
  const opaque: OpaqueRange[] = [];
  const placeholders: OpaqueRange[] = [];
  let structureUnknown = false;
  // JSON text: inside a JSON string, and after a backslash there.
  let inString = false;
  let escaped = false;
  let lineStart = true;
  const push = (ch: string, index: number): void => pushAt(ch, at(index));
  const pushAt = (ch: string, offset: number): void => {
    value += ch;
    map.push(offset);
    if (!o.json) return;
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
  };
  const star = (span: Span, label: string): void => {
    opaque.push({ start: value.length, end: value.length + 1, label });
    value += '*';
    map.push(span.offset);
  };
  for (const p of pieces) {
    if (p.kind === 'text') {
      let i = p.start;
      while (i < p.end) {
        const c = text[i];
        if (lineStart && o.strip) {
          // `<<-`: the common indentation of the heredoc's lines is not part of the string.
          let k = 0;
          while (k < o.strip && i < p.end && (text[i] === ' ' || text[i] === '\t')) {
            i++;
            k++;
          }
          lineStart = false;
          continue;
        }
        lineStart = c === '\n';
        if (o.quoted && c === '\\' && i + 1 < p.end) {
          const e = text[i + 1];
          if (SIMPLE[e]) {
            push(SIMPLE[e], i);
            i += 2;
            continue;
          }
          const hex = e === 'u' ? 4 : e === 'U' ? 8 : 0;
          const digits = hex ? text.slice(i + 2, i + 2 + hex) : '';
          if (hex && digits.length === hex && /^[0-9a-fA-F]+$/.test(digits)) {
            const cp = parseInt(digits, 16);
            const s = cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
            for (const ch of s.split('')) push(ch, i);
            i += 2 + hex;
            continue;
          }
        }
        if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
          // `$${` and `%%{`: a literal `${` and `%{`.
          push(c, i);
          push('{', i + 2);
          i += 3;
          continue;
        }
        if (o.amp && c === '&' && text[i + 1] === '{') {
          push('$', i);
          push('{', i + 1);
          i += 2;
          continue;
        }
        push(c, i);
        i++;
      }
      continue;
    }
    lineStart = false;
    const span = { offset: at(p.start), length: at(p.end) - at(p.start) };
    if (p.kind === 'interpolation' && p.resolved) {
      const base = value.length;
      const r = p.resolved;
      for (let k = 0; k < r.value.length; k++) pushAt(r.value[k], r.map[k]);
      for (const x of r.opaque) opaque.push({ start: base + x.start, end: base + x.end, label: x.label });
    } else if (p.kind === 'interpolation' && p.known !== undefined) {
      for (const ch of p.known) push(ch, p.start);
    } else if (!o.json || inString) {
      star(span, p.label);
    } else if (p.kind === 'interpolation') {
      placeholders.push({ start: value.length, end: value.length + 3, label: p.label });
      value += '"*"';
      map.push(span.offset, span.offset, span.offset);
    } else {
      // A directive between JSON values (`%{ for ... }`): what it renders is unknown.
      structureUnknown = true;
    }
  }
  map.push(at(end));
  return { value, map, opaque, placeholders, structureUnknown };
}

/** A `${` that Terraform cannot read as an interpolation: a policy variable, or a name the text ends after. */
export const NOT_AN_INTERPOLATION = /^\$\{(?:!?[A-Za-z][\w.-]*\s*:|[*?$]\})/;

/**
 * The pieces of template text that no parser has read (a `templatefile` template, a `.tf.json`
 * string): `${...}` and `%{...}` up to their matching `}`, strings inside them skipped; a `${`
 * that cannot start an interpolation is literal text, which the host then reports.
 */
export function scanTemplate(text: string, start = 0, end = text.length, known?: (name: string) => string | undefined): Piece[] {
  const out: Piece[] = [];
  let at = start;
  let i = start;
  while (i < end) {
    const c = text[i];
    if ((c === '$' || c === '%') && text[i + 1] === '{') {
      if (i > start && text[i - 1] === c) {
        i += 2;
        continue;
      }
      if (c === '$' && NOT_AN_INTERPOLATION.test(text.slice(i, i + 200))) {
        i += 2;
        continue;
      }
      const close = closingBrace(text, i + 2, end);
      if (close === -1) break;
      if (i > at) out.push({ kind: 'text', start: at, end: i });
      const label = text.slice(i, close + 1);
      if (c === '$') {
        const name = /^\$\{~?\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\s*~?\}$/.exec(label)?.[1];
        out.push({ kind: 'interpolation', start: i, end: close + 1, label, known: name && known ? known(name) : undefined });
      } else out.push({ kind: 'directive', start: i, end: close + 1, label });
      at = i = close + 1;
      continue;
    }
    i++;
  }
  if (at < end) out.push({ kind: 'text', start: at, end });
  return out;
}

/** The `}` that closes an expression starting at `from` (nested braces and quoted strings skipped), or -1. */
function closingBrace(text: string, from: number, end: number): number {
  let depth = 0;
  for (let i = from; i < end; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < end && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (c === '\n' && depth === 0) return -1;
  }
  return -1;
}

/** A decoded template as a string value of the neutral tree. */
export function templateString(node: PolicyNode, d: DecodedTemplate, span: Span): MappedString {
  return new MappedString(node, d.value, d.map, span, d.opaque.length ? d.opaque : NO_OPAQUE);
}

/** `<<-` heredocs: the smallest indentation of the body's lines that hold more than white space. */
export function commonIndent(text: string, start: number, end: number): number {
  let min = Infinity;
  let i = start;
  while (i < end) {
    let k = 0;
    while (i + k < end && (text[i + k] === ' ' || text[i + k] === '\t')) k++;
    const nl = text.indexOf('\n', i);
    const stop = nl === -1 || nl > end ? end : nl;
    if (i + k < stop && text[i + k] !== '\r' && k < min) min = k;
    i = stop + 1;
  }
  return min === Infinity ? 0 : min;
}

// ---- writing ---------------------------------------------------------------------------------

/** Text in a template (heredoc, template file): `${` and `%{` escaped. */
export const templateEscape: Escape = (s) => (s.includes('{') ? s.replace(/([$%])\{/g, '$1$1{') : s);

/** Text in a quoted HCL string: backslash escapes, then the template escapes. */
export const quotedEscape: Escape = (s) => templateEscape(s.replace(/[\\"\n\r\t]/g, (c) => QUOTE_ESCAPES[c]));

const QUOTE_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export const jsonEscape: Escape = (s) => JSON.stringify(s).slice(1, -1);

/** `${iot:ClientId}` → `&{iot:ClientId}`, the other `${` and `%{` escaped: a string of an `aws_iam_policy_document` that uses `&{`. */
export const ampEscape: Escape = (s) => quotedEscape(s.replace(/\$\{(?=[^}]*\})/g, '&{'));

export function compose(...escapes: Escape[]): Escape {
  return (s) => escapes.reduce((acc, e) => e(acc), s);
}
