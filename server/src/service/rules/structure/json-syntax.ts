/**
 * `json-syntax`: the policy is not strict JSON (comments, trailing commas, unquoted or single-quoted
 * text, characters JSON does not allow, ...), so AWS rejects it.
 *
 * The rule reads the JSON text the policy was parsed from (`model.json`): the whole document for a
 * standalone policy, or a JSON string inside a template. Everything is classified in that text's
 * coordinates; spans and fix offsets are mapped to the document with `toDocument` at the end.
 *
 * Stray text is quoted in a message only when it is short printable ASCII or policy vocabulary:
 * messages reach CI logs and SARIF uploads, and a file that is not a policy at all (a credentials
 * file, say) must not have its content copied there. Longer text is named by its position.
 */
import type { JsonText } from '../../policy/model';
import { single, suggestionFixes } from '../../fixes/suggestions';
import type { Fix } from '../../fixes/types';
import { codePointLabel, describeCharacter, isInvisibleCharacter, thousands } from '../../text/chars';
import type { OffsetEdit } from '../../text/edits';
import { lineColumnLabel, lineEnd, prevSignificant } from '../../text/lines';
import type { Span } from '../../text/span';
import { defineRule, type RelatedFinding } from '../rule';
import type { NoArgs } from './shared';

/** Tokens longer than this are not quoted in messages, unless they are policy vocabulary. */
const MAX_ECHOED_TOKEN = 8;
const VOCABULARY = new Set(['version', 'statement', 'effect', 'action', 'notaction', 'resource', 'notresource', 'condition', 'sid', 'id', 'allow', 'deny']);

/** Whether stray text may be quoted in a message (see the file comment). */
function echoable(token: string): boolean {
  if (!/^[\x20-\x7e]*$/.test(token)) return false;
  return token.length <= MAX_ECHOED_TOKEN || VOCABULARY.has(token.toLowerCase());
}

const CURLY_QUOTES = new Set([0x2018, 0x2019, 0x201c, 0x201d, 0x00ab, 0x00bb, 0x2032, 0x2033, 0xff02]);
const CURLY_AT_ENDS = /^[\u2018\u2019\u201c\u201d\u00ab\u00bb\u2032\u2033\uff02]+|[\u2018\u2019\u201c\u201d\u00ab\u00bb\u2032\u2033\uff02]+$/g;

export type SyntaxKind =
  | 'trailing-comma' | 'comment' | 'character' | 'unquoted' | 'single-quotes' | 'curly-quotes' | 'missing-comma'
  | 'escape' | 'control-character' | 'unterminated-string' | 'unclosed' | 'extra-text' | 'empty' | 'other';

export interface JsonSyntaxData {
  kind: SyntaxKind;
  /** Raw replacement texts for the span (`''` deletes it), when there is an obvious fix. */
  suggestions?: string[];
  /** A missing comma, colon, quote or bracket: insert `text` at document offset `offset`. */
  insert?: { offset: number; text: string };
  /** The code point of a character JSON does not allow (`U+00A0`). */
  codePoint?: string;
  /** `character`: the edits that fix every occurrence in the document at once. */
  edits?: OffsetEdit[];
}

/** Stray text, quoted when it is echoable, else named by its position. */
type Stray = { word: string } | { at: string; length: number };
type Unexpected = { word: string } | { at: string };
type Closer = '}' | ']';

interface Args {
  empty: NoArgs;
  hostProblem: { message: string };
  comment: { block: boolean };
  unclosedComment: NoArgs;
  character: { character: string; count: number; places: number; spaceLike: boolean };
  curlyQuotes: { character: string; inner?: string };
  singleQuotes: { inner?: string };
  literalCase: { word: string };
  unquotedPropertyName: Stray;
  unquotedText: Stray;
  unexpected: Unexpected;
  trailingComma: { closer: Closer };
  bracketForKey: { bracket: '{' | '[' };
  propertyNameExpected: NoArgs;
  endsBeforeValue: NoArgs;
  valueExpected: NoArgs;
  misplacedColon: NoArgs;
  missingComma: { where: 'between these objects' | 'before this item' | 'between these items' };
  colonExpected: NoArgs;
  endsUnclosed: { closer: Closer };
  closerExpected: { closer: Closer };
  extraText: NoArgs;
  invalidEscape: { char: string };
  badEscape: NoArgs;
  invalidUnicode: NoArgs;
  controlCharacter: { character: string };
  unterminatedString: NoArgs;
  invalidNumber: NoArgs;
  notJson: { code: string };
}

type Messages = { [K in keyof Args]: (a: Args[K]) => string };

const STRICT = 'AWS IoT reads policies as strict JSON and rejects this document';
const STRICT_JSON = 'strict JSON (as AWS IoT reads policies)';
const CONTROL_ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const strayName = (s: Stray): string => ('word' in s ? `\`${s.word}\`` : `at ${s.at} (${thousands(s.length)} characters)`);
const writeQuoted = (s: Stray): string => ('word' in s ? ` Write \`"${s.word}"\`.` : ' Put it in double quotes.');
const closed = (c: Closer): string => (c === '}' ? 'an object' : 'an array');

function characterMessage(a: Args['character']): string {
  const many = a.count > 1;
  const what = many ? `${a.count} characters ${describeCharacter(a.character)}` : `Character ${describeCharacter(a.character)}`;
  const them = many ? 'them' : 'it';
  const action = a.spaceLike ? `Replace ${many ? 'them with ordinary spaces' : 'it with an ordinary space'}` : `Delete ${them}`;
  const pasted = a.places > 1 ? ` (in ${a.places} places; often pasted from a web page)` : many ? ' (often pasted from a web page)' : '';
  return `${what} outside a string: ${STRICT_JSON} allows only space, tab and line breaks between tokens, so AWS rejects the document. ${action}${pasted}.`;
}

function literalCaseMessage(a: Args['literalCase']): string {
  const lower = a.word.toLowerCase();
  const orString = lower === 'null' ? '' : ` (or the string \`"${lower}"\`, which conditions such as \`Bool\` expect)`;
  return `\`${a.word}\` is not a JSON value: JSON literals are lower case, so AWS rejects the document. Write \`${lower}\`${orString}.`;
}

function invalidEscapeMessage(a: Args['invalidEscape']): string {
  const template = a.char === '$' || a.char === '`' ? '; it looks like a JavaScript template-literal escape left in the text' : '';
  return `\`\\${a.char}\` is not a JSON escape (JSON has only \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)${template}, so ${STRICT}. Write \`${a.char}\`.`;
}

function controlCharacterMessage(a: Args['controlCharacter']): string {
  const esc = CONTROL_ESCAPES[a.character];
  const escaped = esc ? ` (\`${esc}\`)` : '';
  const lineBreak = a.character === '\n' || a.character === '\r' ? ' Or close the string on this line.' : '';
  return `A raw ${describeCharacter(a.character)} inside a string: JSON requires control characters to be escaped${escaped}, so ${STRICT}.${lineBreak}`;
}

const messages: Messages = {
  empty: () => 'The document is empty. An AWS IoT policy is a JSON object with `Version` and `Statement`; AWS rejects an empty document.',
  hostProblem: (a) => a.message,
  comment: (a) => `Comment: ${STRICT_JSON} has no ${a.block ? '`/* ... */`' : '`//`'} comments, so AWS rejects the document. Remove it.`,
  unclosedComment: () => `Unclosed \`/*\` comment; and ${STRICT_JSON} has no comments at all. Remove it.`,
  character: characterMessage,
  curlyQuotes: (a) => {
    const write = a.inner !== undefined ? ` Write \`"${a.inner}"\`.` : ' Use straight double quotes.';
    return `Curly quotes (${describeCharacter(a.character)}): JSON strings need straight double quotes \`"\`, so AWS rejects the document.${write}`;
  },
  singleQuotes: (a) => {
    const write = a.inner !== undefined ? ` Write \`"${a.inner}"\`.` : ' Use double quotes.';
    return `Single quotes: JSON strings need double quotes, so AWS rejects the document.${write}`;
  },
  literalCase: literalCaseMessage,
  unquotedPropertyName: (a) => `Unquoted property name ${strayName(a)}: JSON property names need double quotes, so AWS rejects the document.${writeQuoted(a)}`,
  unquotedText: (a) => `Unquoted text ${strayName(a)}: JSON strings need double quotes, so AWS rejects the document.${writeQuoted(a)}`,
  unexpected: (a) => `Unexpected ${'word' in a ? `\`${a.word}\`` : `text at ${a.at}`}: ${STRICT}.`,
  trailingComma: (a) => `Trailing comma: ${STRICT_JSON} does not allow a comma before \`${a.closer}\`. Remove it.`,
  bracketForKey: (a) => {
    const what = a.bracket === '{' ? 'an object' : 'an array';
    return `Unexpected \`${a.bracket}\` where a property name is expected: ${what} cannot stand inside an object without a \`"key":\`. Check the braces: one is probably doubled or misplaced. ${STRICT}.`;
  },
  propertyNameExpected: () => `Expected a property name in double quotes here: ${STRICT}.`,
  endsBeforeValue: () => `The document ends where a value is expected: ${STRICT}. Complete it.`,
  valueExpected: () => `Expected a value (a string in double quotes, a number, \`true\`, \`false\`, \`null\`, an object or an array) here: ${STRICT}.`,
  misplacedColon: () => `Unexpected \`:\`: this looks like a property (\`"key": value\`) where only values are allowed, such as inside an array. Check the braces above: a \`{\` or \`}\` is probably missing or misplaced. ${STRICT}.`,
  missingComma: (a) => `Missing comma ${a.where}: ${STRICT_JSON} needs \`,\` between array items and between properties. Add one before this.`,
  colonExpected: () => `Expected \`:\` after the property name: ${STRICT}.`,
  endsUnclosed: (a) => `The document ends before ${closed(a.closer)} is closed: add \`${a.closer}\` at the end. ${STRICT}.`,
  closerExpected: (a) => `Expected \`${a.closer}\` before this, to close ${closed(a.closer)}: ${STRICT}. Check the brackets above.`,
  extraText: () => `Text after the end of the policy: a policy document is a single JSON object, and ${STRICT}. Remove this, or check for a brace closed too early above.`,
  invalidEscape: invalidEscapeMessage,
  badEscape: () => `Invalid escape in this string: ${STRICT}.`,
  invalidUnicode: () => `Invalid \`\\u\` escape: JSON needs exactly four hexadecimal digits (\`\\u0024\`), so ${STRICT}.`,
  controlCharacter: controlCharacterMessage,
  unterminatedString: () => `This string is not closed: add the closing \`"\`. ${STRICT}.`,
  invalidNumber: () => `Not a valid JSON number: ${STRICT}. Policy values are usually strings: put it in double quotes.`,
  notJson: (a) => `Not valid JSON (${a.code}): ${STRICT}.`,
};

/** One finding, in JSON-text coordinates (spans, `insert` and `edits` offsets). */
type SyntaxReport = {
  [K in keyof Args]: { messageId: K; args: Args[K]; span: Span; data: JsonSyntaxData; related?: RelatedFinding[] };
}[keyof Args];

/** End offset of the token just before `offset` (after skipping white space). */
function prevTokenEnd(text: string, offset: number): number {
  return prevSignificant(text, offset) + 1;
}

/** Offset of the innermost `open` bracket not closed before `end` (strings skipped), or -1. */
function unclosedOpener(text: string, end: number, open: '{' | '['): number {
  const stack: [string, number][] = [];
  let inString = false;
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"' || c === '\n') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push([c, i]);
    else if ((c === '}' || c === ']') && stack.length && stack[stack.length - 1][0] === (c === '}' ? '{' : '[')) stack.pop();
  }
  for (let k = stack.length - 1; k >= 0; k--) if (stack[k][0] === open) return stack[k][1];
  return -1;
}

function isSpaceLike(code: number): boolean {
  return code === 0xa0 || code === 0x202f || code === 0x3000 || (code >= 0x2000 && code <= 0x200a) || code === 0x1680 || code === 0x205f;
}

/**
 * The findings of JSON text, in its own coordinates. `position(offset)` names an offset of the
 * text for people (the document's line and column).
 */
function classifySyntax(json: JsonText, position: (offset: number) => string): SyntaxReport[] {
  const text = json.text;
  const out: SyntaxReport[] = [];
  if (json.errors.length === 0) {
    if (text.trim().length === 0) out.push({ messageId: 'empty', args: {}, span: { offset: 0, length: text.length }, data: { kind: 'empty' } });
    return out;
  }
  const errors = [...json.errors].sort((a, b) => a.offset - b.offset);
  const reportedAt = new Set<number>();
  /** Runs of a character JSON does not allow, by character: one finding per character per document. */
  const runs = new Map<string, { span: Span; fix: string; count: number; spaceLike: boolean }[]>();
  /** Generic follow-up errors up to this offset are cascades of an error already reported. */
  let quietUntil = -1;
  let misplacedColon = false;
  const report = (r: SyntaxReport, quiet?: number): void => {
    if (reportedAt.has(r.span.offset)) return;
    reportedAt.add(r.span.offset);
    out.push(r);
    if (quiet !== undefined) quietUntil = Math.max(quietUntil, quiet);
  };
  const one = (at: number, length: number): Span => ({ offset: at, length: Math.max(1, Math.min(length, 1)) });

  for (let k = 0; k < errors.length; k++) {
    const e = errors[k];
    const at = e.offset;
    const tok = text.substr(at, Math.max(1, e.length));
    if (e.message) {
      // A problem the host found itself (e.g. nesting too deep), with its own message.
      const span = { offset: at, length: Math.max(0, Math.min(e.length, text.length - at)) };
      report({ messageId: 'hostProblem', args: { message: e.message }, span, data: { kind: 'other' } });
      continue;
    }
    switch (e.code) {
      case 'InvalidCommentToken':
        report({ messageId: 'comment', args: { block: tok.startsWith('/*') }, span: { offset: at, length: e.length }, data: { kind: 'comment', suggestions: [''] } });
        break;
      case 'UnexpectedEndOfComment':
        report({ messageId: 'unclosedComment', args: {}, span: { offset: at, length: Math.max(1, e.length) }, data: { kind: 'comment' } });
        break;
      case 'InvalidSymbol': {
        const ch = text[at];
        const code = text.charCodeAt(at);
        const sameChar = e.length <= 1 || text.substr(at, e.length).split(ch).join('') === '';
        if (sameChar && (isInvisibleCharacter(code) || (code > 0x7e && !/[\p{L}\p{N}]/u.test(ch))) && !CURLY_QUOTES.has(code)) {
          // Merge a run of the same character, possibly mixed with ordinary spaces, into one finding.
          let end = at + Math.max(1, e.length);
          while (k + 1 < errors.length && errors[k + 1].code === 'InvalidSymbol' && text[errors[k + 1].offset] === ch
            && /^[ \t]*$/.test(text.slice(end, errors[k + 1].offset))) {
            k++;
            end = errors[k].offset + Math.max(1, errors[k].length);
          }
          const run = text.slice(at, end);
          const spaceLike = isSpaceLike(code);
          const list = runs.get(ch) ?? [];
          list.push({ span: { offset: at, length: end - at }, fix: run.split(ch).join(spaceLike ? ' ' : ''), count: run.split(ch).length - 1, spaceLike });
          runs.set(ch, list);
          break;
        }
        symbol(tok, at, e.length);
        break;
      }
      case 'PropertyNameExpected':
      case 'ValueExpected': {
        const prev = prevSignificant(text, at);
        const c = text[at];
        if (prev >= 0 && text[prev] === ',' && (c === '}' || c === ']')) {
          if (reportedAt.has(prev)) break;
          report({ messageId: 'trailingComma', args: { closer: c }, span: { offset: prev, length: 1 }, data: { kind: 'trailing-comma', suggestions: [''] } }, at);
          break;
        }
        if (at <= quietUntil || (misplacedColon && c === ':')) break;
        if (e.code === 'PropertyNameExpected' && (c === '{' || c === '[')) {
          report({ messageId: 'bracketForKey', args: { bracket: c }, span: { offset: at, length: 1 }, data: { kind: 'other' } }, lineEnd(text, lineEnd(text, at) + 1));
        } else if (e.code === 'PropertyNameExpected') {
          report({ messageId: 'propertyNameExpected', args: {}, span: one(at, e.length), data: { kind: 'other' } });
        } else if (at >= text.length) {
          report({ messageId: 'endsBeforeValue', args: {}, span: { offset: at, length: 0 }, data: { kind: 'unclosed' } });
        } else {
          report({ messageId: 'valueExpected', args: {}, span: one(at, e.length), data: { kind: 'other' } });
        }
        break;
      }
      case 'CommaExpected': {
        if (at <= quietUntil) break;
        if (text[at] === ':') {
          if (misplacedColon) break;
          misplacedColon = true;
          report({ messageId: 'misplacedColon', args: {}, span: { offset: at, length: 1 }, data: { kind: 'other' } });
          break;
        }
        const insertAt = prevTokenEnd(text, at);
        const where = text[at] === '{' ? 'between these objects' : text[at] === '"' && text[prevSignificant(text, at)] !== '"' ? 'before this item' : 'between these items';
        report({ messageId: 'missingComma', args: { where }, span: { offset: at, length: 1 }, data: { kind: 'missing-comma', insert: { offset: insertAt, text: ',' } } });
        break;
      }
      case 'ColonExpected':
        if (at <= quietUntil) break;
        report({ messageId: 'colonExpected', args: {}, span: one(at, e.length), data: { kind: 'other', insert: { offset: prevTokenEnd(text, at), text: ':' } } });
        break;
      case 'CloseBraceExpected':
      case 'CloseBracketExpected': {
        const atEnd = text.slice(at).trim().length === 0;
        if (at <= quietUntil && !atEnd) break;
        const closer: Closer = e.code === 'CloseBraceExpected' ? '}' : ']';
        const insertAt = prevTokenEnd(text, at);
        const data: JsonSyntaxData = { kind: 'unclosed', insert: { offset: insertAt, text: closer } };
        if (!atEnd) {
          report({ messageId: 'closerExpected', args: { closer }, span: { offset: at, length: 1 }, data });
          break;
        }
        // At the end of the text, where the bracket goes, with the bracket left open as related information.
        if (reportedAt.has(insertAt)) break;
        reportedAt.add(insertAt);
        const opener = unclosedOpener(text, insertAt, closer === '}' ? '{' : '[');
        const related = opener >= 0 ? [{ span: { offset: opener, length: 1 }, message: `The \`${closer === '}' ? '{' : '['}\` that is not closed` }] : undefined;
        out.push({ messageId: 'endsUnclosed', args: { closer }, span: { offset: insertAt, length: 0 }, data, ...(related ? { related } : {}) });
        break;
      }
      case 'EndOfFileExpected':
        report({ messageId: 'extraText', args: {}, span: { offset: at, length: Math.max(1, text.trimEnd().length - at) }, data: { kind: 'extra-text' } });
        break;
      case 'InvalidEscapeCharacter':
        escapes(at, e.length);
        break;
      case 'InvalidUnicode': {
        const raw = text.substr(at, e.length);
        const i = raw.indexOf('\\u');
        const span = i >= 0 ? { offset: at + i, length: Math.min(6, raw.length - i) } : { offset: at, length: Math.max(1, e.length) };
        report({ messageId: 'invalidUnicode', args: {}, span, data: { kind: 'escape' } });
        break;
      }
      case 'InvalidCharacter': {
        const raw = text.substr(at, e.length);
        let i = 0;
        while (i < raw.length && raw.charCodeAt(i) >= 0x20) i++;
        const ch = raw[i] ?? '';
        const esc = CONTROL_ESCAPES[ch];
        report({
          messageId: 'controlCharacter', args: { character: ch }, span: { offset: at + Math.min(i, raw.length - 1), length: 1 },
          data: { kind: 'control-character', codePoint: codePointLabel(ch), ...(esc ? { suggestions: [esc] } : {}) },
        });
        break;
      }
      case 'UnexpectedEndOfString':
        report({
          messageId: 'unterminatedString', args: {}, span: { offset: at, length: 1 },
          data: { kind: 'unterminated-string', insert: { offset: at + e.length, text: '"' } },
        }, at + e.length);
        break;
      case 'InvalidNumberFormat':
      case 'UnexpectedEndOfNumber':
        report({
          messageId: 'invalidNumber', args: {}, span: { offset: at, length: Math.max(1, e.length) },
          data: { kind: 'other', suggestions: [`"${text.substr(at, e.length)}"`] },
        });
        break;
      default:
        if (at <= quietUntil) break;
        report({ messageId: 'notJson', args: { code: e.code }, span: { offset: at, length: Math.max(1, e.length) }, data: { kind: 'other' } });
    }
  }

  /** A symbol JSON does not know: quotes of the wrong kind, a literal in the wrong case, unquoted text. */
  function symbol(word: string, at: number, length: number): void {
    const code = text.charCodeAt(at);
    const quiet = lineEnd(text, at);
    const span = { offset: at, length };
    if (CURLY_QUOTES.has(code) || [...word].some((c) => CURLY_QUOTES.has(c.charCodeAt(0)))) {
      const inner = word.replace(CURLY_AT_ENDS, '');
      const args = { character: word[0], ...(echoable(inner) ? { inner } : {}) };
      report({ messageId: 'curlyQuotes', args, span, data: { kind: 'curly-quotes', suggestions: [`"${inner}"`] } }, quiet);
    } else if (word.startsWith("'")) {
      const inner = word.replace(/^'|'$/g, '');
      const args = echoable(inner) ? { inner } : {};
      report({ messageId: 'singleQuotes', args, span, data: { kind: 'single-quotes', suggestions: [`"${inner.replace(/"/g, '\\"')}"`] } }, quiet);
    } else if (/^(true|false|null)$/i.test(word)) {
      report({ messageId: 'literalCase', args: { word }, span, data: { kind: 'unquoted', suggestions: [word.toLowerCase()] } }, quiet);
    } else if (word.length > 0 && !/^[{}[\],:"]/.test(word)) {
      const stray: Stray = echoable(word) ? { word } : { at: position(at), length: word.length };
      const messageId = /^\s*:/.test(text.slice(at + length, at + length + 20)) ? 'unquotedPropertyName' : 'unquotedText';
      report({ messageId, args: stray, span, data: { kind: 'unquoted', suggestions: [`"${word}"`] } }, quiet);
    } else {
      const args: Unexpected = echoable(word) ? { word } : { at: position(at) };
      report({ messageId: 'unexpected', args, span: { offset: at, length: Math.max(1, length) }, data: { kind: 'other' } });
    }
  }

  /** Each escape JSON does not have in the string at `at`, or the whole string when none is found. */
  function escapes(at: number, length: number): void {
    const raw = text.substr(at, length);
    let found = false;
    for (let i = 1; i < raw.length - 1; i++) {
      if (raw[i] !== '\\') continue;
      const n = raw[i + 1];
      if ('"\\/bfnrtu'.includes(n)) {
        i++;
        continue;
      }
      found = true;
      report({ messageId: 'invalidEscape', args: { char: n }, span: { offset: at + i, length: 2 }, data: { kind: 'escape', suggestions: [n, `\\\\${n}`] } });
      i++;
    }
    if (!found) report({ messageId: 'badEscape', args: {}, span: { offset: at, length: Math.max(1, length) }, data: { kind: 'escape' } });
  }

  for (const [ch, list] of runs) {
    const first = list[0];
    const count = list.reduce((n, r) => n + r.count, 0);
    out.push({
      messageId: 'character',
      args: { character: ch, count, places: list.length, spaceLike: first.spaceLike },
      span: first.span,
      data: { kind: 'character', codePoint: codePointLabel(ch), suggestions: [first.fix], edits: list.map((r) => ({ ...r.span, text: r.fix })) },
      related: list.slice(1).map((r) => ({ span: r.span, message: `Also ${describeCharacter(ch)}` })),
    });
  }
  return out;
}

/** A report moved from JSON-text coordinates to document offsets. */
function toDocument(json: JsonText, r: SyntaxReport): SyntaxReport {
  const at = (o: number): number => json.toDocument(o);
  const span = (s: Span): Span => ({ offset: at(s.offset), length: at(s.offset + s.length) - at(s.offset) });
  const d = r.data;
  const data: JsonSyntaxData = {
    ...d,
    ...(d.insert ? { insert: { offset: at(d.insert.offset), text: d.insert.text } } : {}),
    ...(d.edits ? { edits: d.edits.map((e) => ({ ...span(e), text: e.text })) } : {}),
  };
  return { ...r, span: span(r.span), data, ...(r.related ? { related: r.related.map((x) => ({ ...x, span: span(x.span) })) } : {}) };
}

export const jsonSyntax = defineRule<JsonSyntaxData, Messages>({
  meta: {
    id: 'json-syntax',
    defaultSeverity: 'error',
    category: 'syntax',
    description: 'The document is not strict JSON (syntax errors, comments, trailing commas, characters JSON does not allow), so AWS rejects it.',
  },
  messages,
  check(ctx) {
    const json = ctx.model.json;
    if (!json) return;
    const position = (o: number): string => lineColumnLabel(ctx.model.text, json.toDocument(o));
    for (const r of classifySyntax(json, position)) ctx.report(toDocument(json, r));
  },
  /**
   * Raw replacements (`''` deletes), or an insertion for a missing comma, colon, quote or bracket;
   * a character JSON does not allow is fixed everywhere at once.
   */
  fix(ctx, f) {
    const d = f.data;
    const inDocument = (s: Span): boolean => s.offset >= 0 && s.offset + s.length <= ctx.text.length;
    const edits = d?.kind === 'character' ? (d.edits ?? []).filter(inDocument) : [];
    if (edits.length) {
      const spaces = edits.every((e) => e.text.length > 0);
      const verb = spaces ? 'Replace' : 'Delete';
      const how = spaces ? ' with a space' : '';
      const places = edits.length > 1 ? ` (${edits.length} places)` : '';
      return [{
        title: `${verb} every ${d?.codePoint ?? 'character'}${how}${places}`,
        edits: edits.map((e) => ctx.writer.replaceSpan(e, e.text, true)),
        preferred: true,
        safe: true,
      }];
    }
    const fixes: Fix[] = suggestionFixes(ctx, f, {
      preferred: single, raw: true, title: (s, cur) => (s === '' ? `Delete '${cur}'` : `Replace '${cur}' with '${s}'`),
    });
    const ins = d?.insert;
    if (ins && inDocument({ offset: ins.offset, length: 0 })) {
      const edit = ctx.writer.replaceSpan({ offset: ins.offset, length: 0 }, ins.text, true);
      fixes.push({ title: `Insert '${ins.text}'`, edits: [edit], preferred: !fixes.length });
    }
    return fixes;
  },
});
