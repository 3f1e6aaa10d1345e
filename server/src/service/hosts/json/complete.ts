/**
 * The JSON host's completion place: where the cursor is in JSON text (read with jsonc-parser's
 * `getLocation` and scanner, so it works on broken documents) and how completion text is written
 * there (`"Key": value` with the commas the place needs, JSON escapes inside strings).
 */
import { createScanner, getLocation, SyntaxKind, type JSONPath } from 'jsonc-parser';
import { nextSignificantChar, prevSignificantChar, wordAt, type CompletionPlace, type CompletionSyntax, type Insertion, type StringAtCursor } from '../../features/completion/place';
import { cat, raw, type Text, type ValueShape } from '../../features/completion/text';
import type { PolicyModel } from '../../policy/model';
import { lastStartingBefore } from '../../text/span';

type StringToken = StringAtCursor;

/** The string literal the cursor is inside (after its opening quote, up to its closing quote). */
function stringTokenAt(text: string, offset: number): StringToken | undefined {
  const scanner = createScanner(text, false);
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    const start = scanner.getTokenOffset();
    const end = start + scanner.getTokenLength();
    if (start >= offset) return undefined;
    if (kind === SyntaxKind.StringLiteral) {
      const raw = text.slice(start, end);
      const closed = raw.length >= 2 && raw.endsWith('"') && !isEscapedQuote(raw);
      const contentEnd = closed ? end - 1 : end;
      if (offset > start && offset <= contentEnd) return { start, end, closed, contentStart: start + 1, contentEnd };
    }
    if (end > offset) return undefined;
  }
  return undefined;
}

/** Whether the last `"` of a raw literal is escaped (then the literal is not closed). */
function isEscapedQuote(raw: string): boolean {
  let n = 0;
  for (let i = raw.length - 2; i >= 1 && raw[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/** Does a value end just before (so a comma is missing)? */
function endsValue(ch: string): boolean {
  return ch === '"' || ch === '}' || ch === ']' || /[0-9a-z]/i.test(ch);
}

/** Does another element follow (so the inserted text needs a trailing comma)? */
function startsElement(ch: string): boolean {
  return ch === '"' || ch === '{' || ch === '[' || /[0-9a-z-]/i.test(ch);
}

type Where =
  | { kind: 'key'; object: JSONPath }
  | { kind: 'value'; path: JSONPath };

interface Ctx {
  text: string;
  offset: number;
  where: Where;
  /** The string token the cursor is in. */
  str?: StringToken;
  /** Outside strings: the unquoted word at the cursor. */
  word: { start: number; end: number };
  leadingComma: boolean;
  /** Outside strings: a space goes between a `:` right before the word and the value. */
  spaceBefore: boolean;
  trailingComma: boolean;
  /** Inside a key string: whether a `:` follows the key. */
  colonFollows: boolean;
}

/**
 * Where to read the position from without scanning the document up to it: the statement object
 * around `offset`, when it is syntactically clean. jsonc-parser reads such an object the same
 * whether it starts at the document or at its `{`, so the path inside it is the statement's path
 * followed by the path read from its text alone. Undefined: read the whole document.
 */
function statementWindow(model: PolicyModel, text: string, offset: number): { base: number; text: string; prefix: JSONPath } | undefined {
  if (model.text !== text) return undefined;
  const sts = model.statements;
  // The last statement starting before the offset (statements are in document order).
  const found = lastStartingBefore(sts, offset, (st) => st.node.offset, true);
  if (found === -1) return undefined;
  const st = sts[found];
  const n = st.node;
  const end = n.offset + n.length;
  if (n.type !== 'object' || offset >= end || text.charCodeAt(n.offset) !== 0x7b /* { */ || text.charCodeAt(end - 1) !== 0x7d /* } */) return undefined;
  // Clean up to the end of the statement: the parser's error recovery plays no part in the path.
  for (const e of model.syntaxErrors) if (e.offset <= end) return undefined;
  return { base: n.offset, text: text.slice(n.offset, end), prefix: model.statementIsArray ? ['Statement', st.index] : ['Statement'] };
}

/** `getLocation` and `stringTokenAt`, read from the statement around the offset when possible. */
function locate(model: PolicyModel, text: string, offset: number): { path: JSONPath; previous?: { type: string; offset: number }; str?: StringToken } {
  const w = statementWindow(model, text, offset);
  if (!w) {
    const loc = getLocation(text, offset);
    return { path: loc.path, previous: loc.previousNode, str: stringTokenAt(text, offset) };
  }
  const rel = offset - w.base;
  const loc = getLocation(w.text, rel);
  const s = stringTokenAt(w.text, rel);
  const b = w.base;
  return {
    path: [...w.prefix, ...loc.path],
    previous: loc.previousNode && { type: loc.previousNode.type, offset: loc.previousNode.offset + b },
    str: s && { start: s.start + b, end: s.end + b, closed: s.closed, contentStart: s.contentStart + b, contentEnd: s.contentEnd + b },
  };
}

function readContext(text: string, offset: number, model: PolicyModel): Ctx | undefined {
  const loc = locate(model, text, offset);
  const path = loc.path;
  const str = loc.str;
  if (str) {
    const prev = loc.previous;
    const isKey = prev?.type === 'property' && prev.offset === str.start;
    const before = prevSignificantChar(text, str.start);
    const after = nextSignificantChar(text, str.end);
    const where: Where = isKey ? { kind: 'key', object: path.slice(0, -1) } : { kind: 'value', path };
    return {
      text, offset, where, str, word: { start: str.start, end: str.end },
      leadingComma: endsValue(before),
      spaceBefore: false,
      trailingComma: startsElement(after) && after !== '',
      colonFollows: after === ':',
    };
  }
  const word = wordAt(text, offset);
  const prev = prevSignificantChar(text, word.start);
  const after = nextSignificantChar(text, word.end);
  if (prev === '') return undefined;
  let where: Where;
  let leadingComma = false;
  const last = path[path.length - 1];
  if (prev === ':') {
    where = { kind: 'value', path };
  } else if (prev === '{') {
    where = { kind: 'key', object: path.slice(0, -1) };
  } else if (prev === '[') {
    where = { kind: 'value', path };
  } else if (prev === ',') {
    where = typeof last === 'number' ? { kind: 'value', path } : { kind: 'key', object: path.slice(0, -1) };
  } else if (endsValue(prev)) {
    // A comma is missing: another element of the same container.
    leadingComma = true;
    if (typeof last === 'number') where = { kind: 'value', path: [...path.slice(0, -1), last + 1] };
    else if (typeof last === 'string') where = { kind: 'key', object: path.slice(0, -1) };
    else return undefined;
  } else return undefined;
  const spaceBefore = where.kind === 'value' && text[word.start - 1] === ':';
  return { text, offset, where, word, leadingComma, spaceBefore, trailingComma: startsElement(after) && after !== '', colonFollows: false };
}

function tabs(n: number): string {
  return '\t'.repeat(n);
}

/** A value shape as JSON: multi-line with tab indentation for snippets, compact otherwise. */
function jsonShape(v: ValueShape, depth = 0): Text {
  const snippet = jsonSnippetShape(v, depth);
  return [{ either: [snippet, jsonPlainShape(v)] }];
}

function jsonSnippetShape(v: ValueShape, depth: number): Text {
  switch (v.kind) {
    case 'string':
      return cat(raw('"'), v.text, raw('"'));
    case 'list': {
      if (v.compact) return cat(raw('['), ...v.items.flatMap((x, i) => [raw(i ? ', ' : ''), jsonSnippetShape(x, depth)]), raw(']'));
      const sep = `,\n${tabs(depth + 1)}`;
      return cat(raw(`[\n${tabs(depth + 1)}`), ...v.items.flatMap((x, i) => [raw(i ? sep : ''), jsonSnippetShape(x, depth + 1)]), raw(`\n${tabs(depth)}]`));
    }
    case 'object': {
      const sep = `,\n${tabs(depth + 1)}`;
      const entries = v.entries.flatMap((e, i) => [raw(i ? sep : ''), raw('"'), e.key, raw('": '), jsonSnippetShape(e.value, depth + 1)]);
      return cat(raw(`{\n${tabs(depth + 1)}`), ...entries, raw(`\n${tabs(depth)}}`));
    }
  }
}

function jsonPlainShape(v: ValueShape): Text {
  if (v.kind !== 'string' && v.plain !== undefined) return raw(v.plain);
  switch (v.kind) {
    case 'string':
      return cat(raw('"'), v.text, raw('"'));
    case 'list':
      return cat(raw('['), ...v.items.flatMap((x, i) => [raw(i ? ', ' : ''), jsonPlainShape(x)]), raw(']'));
    case 'object':
      return cat(raw('{'), ...v.entries.flatMap((e, i) => [raw(i ? ', ' : ''), raw('"'), e.key, raw('": '), jsonPlainShape(e.value)]), raw('}'));
  }
}

/** What JSON.stringify escapes: quotes, backslashes, control characters and lone surrogates. */
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Escapes text for the inside of a JSON string (most completion texts need no escape). */
export function jsonEscape(s: string): string {
  return JSON_ESCAPED.test(s) ? JSON.stringify(s).slice(1, -1) : s;
}

function jsonSyntax(ctx: Ctx): CompletionSyntax {
  const close = ctx.str && !ctx.str.closed ? '"' : '';
  return {
    encode: jsonEscape,
    close,
    variableEscape: '',
    value(t: Text, label: string): Insertion {
      if (ctx.str) return { text: cat(t, raw(close)), start: ctx.str.contentStart, end: ctx.str.contentEnd, filterText: label };
      const text = cat(raw(ctx.leadingComma ? ',' : ''), raw(ctx.spaceBefore ? ' "' : '"'), t, raw('"'), raw(ctx.trailingComma ? ',' : ''));
      return { text, start: ctx.word.start, end: ctx.word.end, filterText: `"${label}"` };
    },
    key(key: string, value: ValueShape | undefined) {
      const withValue = !ctx.colonFollows && !!value;
      const text = cat(
        raw(ctx.leadingComma ? ',' : ''),
        raw(`"${key}"`),
        withValue ? cat(raw(': '), jsonShape(value!)) : [],
        raw(withValue && ctx.trailingComma ? ',' : ''),
      );
      const start = ctx.str ? ctx.str.start : ctx.word.start;
      const end = ctx.str ? ctx.str.end : ctx.word.end;
      return { text, start, end, filterText: `"${key}"`, withValue };
    },
    structure(v: ValueShape): Insertion {
      const lead = (ctx.leadingComma ? ',' : '') + (ctx.spaceBefore ? ' ' : '');
      return { text: cat(raw(lead), jsonShape(v), raw(ctx.trailingComma ? ',' : '')), start: ctx.word.start, end: ctx.word.end };
    },
  };
}

/** Where the cursor is in a standalone JSON policy, and how to write there. */
export function jsonCompletionPlace(model: PolicyModel, offset: number): CompletionPlace | undefined {
  // getLocation visits the text recursively: never on a document the model refused (too deep).
  if (model.refused) return undefined;
  const ctx = readContext(model.text, offset, model);
  if (!ctx) return undefined;
  return { where: ctx.where, str: ctx.str, word: ctx.word, syntax: jsonSyntax(ctx) };
}
