/**
 * Structure rules: strict JSON, the shape of the document (Version, Statement, elements), value
 * types, size, and duplicates.
 *
 * Span conventions (for quick fixes): a finding on a string value points at its content without
 * the quotes (the whole literal when the string is empty), and `data.suggestions` are replacement
 * texts for exactly that span. A finding on a key points at the key's content.
 */
import type { PolicyNode as Node } from '../policy/tree';
import { CURRENT_VERSION, EFFECTS, POLICY_VERSIONS, QUOTAS, policySize } from '../catalog';
import { editDistance, nearest } from '../text/distance';
import { STATEMENT_ELEMENTS, TOP_ELEMENTS, type ElementList, type PolicyModel, type Property, type Span, type StatementModel, type StringValue } from '../policy/model';
import { codePointLabel, describeCharacter, invisibleNote, isInvisibleCharacter, thousands } from '../text/chars';
import { contentSpan, fitToContent, keyContentSpan, openerSpan } from '../analysis/spans';
import { damagedBetween, isBroken } from '../analysis/syntax';
import { lineEnd, prevSignificant } from '../text/lines';
import type { Rule, RuleContext } from './types';

/** Tokens longer than this are not quoted in messages, unless they are policy vocabulary. */
const MAX_ECHOED_TOKEN = 8;
const VOCABULARY = new Set(['version', 'statement', 'effect', 'action', 'notaction', 'resource', 'notresource', 'condition', 'sid', 'id', 'allow', 'deny']);

/**
 * Whether stray text may be quoted in a message. Messages reach CI logs and SARIF uploads, and a
 * file that is not a policy at all (a credentials file, say) must not have its content copied
 * there: only short tokens of printable ASCII, and the policy's own words, are quoted.
 */
function echoable(token: string): boolean {
  if (!/^[\x20-\x7e]*$/.test(token)) return false;
  return token.length <= MAX_ECHOED_TOKEN || VOCABULARY.has(token.toLowerCase());
}

/** `3:5`, the 1-based line and column of `offset`. */
function lineColumnLabel(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `${line}:${offset - start + 1}`;
}

const CURLY_QUOTES = new Set([0x2018, 0x2019, 0x201c, 0x201d, 0x00ab, 0x00bb, 0x2032, 0x2033, 0xff02]);

// ---------------------------------------------------------------------------------------------
// json-syntax

const STRICT = 'AWS IoT reads policies as strict JSON and rejects this document';



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





/**
 * json-syntax data:
 * - `kind`: 'trailing-comma' | 'comment' | 'character' | 'unquoted' | 'single-quotes' | 'curly-quotes' |
 *   'missing-comma' | 'escape' | 'control-character' | 'unterminated-string' | 'unclosed' | 'extra-text' | 'empty' | 'other';
 * - `suggestions`: replacement text for the span (`''` = delete it), when there is one obvious fix;
 * - `insert: { offset, text }` for a missing comma / brace (insert `text` at `offset`);
 * - `codePoint` (`U+00A0`) for characters JSON does not allow.
 */
function checkSyntax(ctx: RuleContext): void {
  const { model } = ctx;
  const text = model.text;
  if (model.syntaxErrors.length === 0) {
    if (!model.root && text.trim().length === 0) {
      ctx.report({
        span: { offset: 0, length: text.length },
        message: 'The document is empty. An AWS IoT policy is a JSON object with `Version` and `Statement`; AWS rejects an empty document.',
        data: { kind: 'empty' },
      });
    }
    return;
  }
  const errors = [...model.syntaxErrors].sort((a, b) => a.offset - b.offset);
  const reportedAt = new Set<number>();
  /** Runs of a character JSON does not allow, by character: one finding per character per document. */
  const runs = new Map<string, { span: Span; fix: string; count: number; spaceLike: boolean }[]>();
  /** Generic follow-up errors up to this offset are cascades of an error already reported. */
  let quietUntil = -1;
  let misplacedColon = false;
  const report = (span: Span, message: string, data: Record<string, unknown>, quiet?: number): void => {
    if (reportedAt.has(span.offset)) return;
    reportedAt.add(span.offset);
    ctx.report({ span, message, data });
    if (quiet !== undefined) quietUntil = Math.max(quietUntil, quiet);
  };

  for (let k = 0; k < errors.length; k++) {
    const e = errors[k];
    const at = e.offset;
    const tok = text.substr(at, Math.max(1, e.length));
    if (e.message) {
      // A problem the model found itself (e.g. nesting too deep), with its own message.
      report({ offset: at, length: Math.max(0, Math.min(e.length, text.length - at)) }, e.message, { kind: 'other' });
      continue;
    }
    switch (e.code) {
      case 'InvalidCommentToken': {
        const isBlock = tok.startsWith('/*');
        report({ offset: at, length: e.length },
          `Comment: strict JSON (as AWS IoT reads policies) has no ${isBlock ? '`/* ... */`' : '`//`'} comments, so AWS rejects the document. Remove it.`,
          { kind: 'comment', suggestions: [''] });
        break;
      }
      case 'UnexpectedEndOfComment':
        report({ offset: at, length: Math.max(1, e.length) }, 'Unclosed `/*` comment; and strict JSON (as AWS IoT reads policies) has no comments at all. Remove it.', { kind: 'comment' });
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
          const spaceLike = code === 0xa0 || code === 0x202f || code === 0x3000 || (code >= 0x2000 && code <= 0x200a) || code === 0x1680 || code === 0x205f;
          const list = runs.get(ch) ?? [];
          list.push({ span: { offset: at, length: end - at }, fix: spaceLike ? run.split(ch).join(' ') : run.split(ch).join(''), count: run.split(ch).length - 1, spaceLike });
          runs.set(ch, list);
          break;
        }
        const word = tok;
        const quiet = lineEnd(text, at);
        if (CURLY_QUOTES.has(code) || [...word].some((c) => CURLY_QUOTES.has(c.charCodeAt(0)))) {
          const inner = word.replace(/^[\u2018\u2019\u201c\u201d\u00ab\u00bb\u2032\u2033\uff02]+|[\u2018\u2019\u201c\u201d\u00ab\u00bb\u2032\u2033\uff02]+$/g, '');
          const write = echoable(inner) ? ` Write \`"${inner}"\`.` : ' Use straight double quotes.';
          report({ offset: at, length: e.length },
            `Curly quotes (${describeCharacter(word[0])}): JSON strings need straight double quotes \`"\`, so AWS rejects the document.${write}`,
            { kind: 'curly-quotes', suggestions: [`"${inner}"`] }, quiet);
        } else if (word.startsWith("'")) {
          const inner = word.replace(/^'|'$/g, '');
          const write = echoable(inner) ? ` Write \`"${inner}"\`.` : ' Use double quotes.';
          report({ offset: at, length: e.length },
            `Single quotes: JSON strings need double quotes, so AWS rejects the document.${write}`,
            { kind: 'single-quotes', suggestions: [`"${inner.replace(/"/g, '\\"')}"`] }, quiet);
        } else if (/^(true|false|null)$/i.test(word)) {
          report({ offset: at, length: e.length },
            `\`${word}\` is not a JSON value: JSON literals are lower case, so AWS rejects the document. Write \`${word.toLowerCase()}\`${word.toLowerCase() === 'null' ? '' : ` (or the string \`"${word.toLowerCase()}"\`, which conditions such as \`Bool\` expect)`}.`,
            { kind: 'unquoted', suggestions: [word.toLowerCase()] }, quiet);
        } else if (word.length > 0 && !/^[{}[\],:"]/.test(word)) {
          const followedByColon = /^\s*:/.test(text.slice(at + e.length, at + e.length + 20));
          const what = followedByColon ? 'property name' : 'text';
          const named = echoable(word) ? `${what} \`${word}\`` : `${what} at ${lineColumnLabel(text, at)} (${thousands(word.length)} characters)`;
          const write = echoable(word) ? ` Write \`"${word}"\`.` : ' Put it in double quotes.';
          report({ offset: at, length: e.length },
            `Unquoted ${named}: JSON ${followedByColon ? 'property names' : 'strings'} need double quotes, so AWS rejects the document.${write}`,
            { kind: 'unquoted', suggestions: [`"${word}"`] }, quiet);
        } else {
          const named = echoable(word) ? `\`${word}\`` : `text at ${lineColumnLabel(text, at)}`;
          report({ offset: at, length: Math.max(1, e.length) }, `Unexpected ${named}: ${STRICT}.`, { kind: 'other' });
        }
        break;
      }
      case 'PropertyNameExpected':
      case 'ValueExpected': {
        const prev = prevSignificant(text, at);
        const c = text[at];
        if (prev >= 0 && text[prev] === ',' && (c === '}' || c === ']')) {
          if (reportedAt.has(prev)) break;
          report({ offset: prev, length: 1 },
            `Trailing comma: strict JSON (as AWS IoT reads policies) does not allow a comma before \`${c}\`. Remove it.`,
            { kind: 'trailing-comma', suggestions: [''] }, at);
          break;
        }
        if (at <= quietUntil || (misplacedColon && c === ':')) break;
        if (e.code === 'PropertyNameExpected' && (c === '{' || c === '[')) {
          report({ offset: at, length: 1 },
            `Unexpected \`${c}\` where a property name is expected: ${c === '{' ? 'an object' : 'an array'} cannot stand inside an object without a \`"key":\`. Check the braces: one is probably doubled or misplaced. ${STRICT}.`,
            { kind: 'other' }, lineEnd(text, lineEnd(text, at) + 1));
        } else if (e.code === 'PropertyNameExpected') {
          report({ offset: at, length: Math.max(1, Math.min(e.length, 1)) }, `Expected a property name in double quotes here: ${STRICT}.`, { kind: 'other' });
        } else if (at >= text.length) {
          report({ offset: at, length: 0 }, `The document ends where a value is expected: ${STRICT}. Complete it.`, { kind: 'unclosed' });
        } else {
          report({ offset: at, length: Math.max(1, Math.min(e.length, 1)) }, `Expected a value (a string in double quotes, a number, \`true\`, \`false\`, \`null\`, an object or an array) here: ${STRICT}.`, { kind: 'other' });
        }
        break;
      }
      case 'CommaExpected': {
        if (at <= quietUntil) break;
        if (text[at] === ':') {
          if (misplacedColon) break;
          misplacedColon = true;
          report({ offset: at, length: 1 },
            `Unexpected \`:\`: this looks like a property (\`"key": value\`) where only values are allowed, such as inside an array. Check the braces above: a \`{\` or \`}\` is probably missing or misplaced. ${STRICT}.`,
            { kind: 'other' });
          break;
        }
        const insertAt = prevTokenEnd(text, at);
        const where = text[at] === '{' ? 'between these objects' : text[at] === '"' && text[prevSignificant(text, at)] !== '"' ? 'before this item' : 'between these items';
        report({ offset: at, length: 1 },
          `Missing comma ${where}: strict JSON (as AWS IoT reads policies) needs \`,\` between array items and between properties. Add one before this.`,
          { kind: 'missing-comma', insert: { offset: insertAt, text: ',' } });
        break;
      }
      case 'ColonExpected':
        if (at <= quietUntil) break;
        report({ offset: at, length: Math.max(1, Math.min(e.length, 1)) }, `Expected \`:\` after the property name: ${STRICT}.`,
          { kind: 'other', insert: { offset: prevTokenEnd(text, at), text: ':' } });
        break;
      case 'CloseBraceExpected':
      case 'CloseBracketExpected': {
        const atEnd = text.slice(at).trim().length === 0;
        if (at <= quietUntil && !atEnd) break;
        const closer = e.code === 'CloseBraceExpected' ? '}' : ']';
        const what = closer === '}' ? 'an object' : 'an array';
        const insertAt = prevTokenEnd(text, at);
        if (atEnd) {
          const opener = unclosedOpener(text, insertAt, closer === '}' ? '{' : '[');
          if (reportedAt.has(insertAt)) break;
          reportedAt.add(insertAt);
          ctx.report({
            span: { offset: insertAt, length: 0 },
            message: `The document ends before ${what} is closed: add \`${closer}\` at the end. ${STRICT}.`,
            data: { kind: 'unclosed', insert: { offset: insertAt, text: closer }, ...(opener >= 0 ? { opener: { offset: opener, length: 1 } } : {}) },
            ...(opener >= 0 ? { related: [{ span: { offset: opener, length: 1 }, message: `The \`${closer === '}' ? '{' : '['}\` that is not closed` }] } : {}),
          });
        } else {
          report({ offset: at, length: 1 }, `Expected \`${closer}\` before this, to close ${what}: ${STRICT}. Check the brackets above.`,
            { kind: 'unclosed', insert: { offset: insertAt, text: closer } });
        }
        break;
      }
      case 'EndOfFileExpected': {
        const end = text.trimEnd().length;
        report({ offset: at, length: Math.max(1, end - at) },
          `Text after the end of the policy: a policy document is a single JSON object, and ${STRICT}. Remove this, or check for a brace closed too early above.`,
          { kind: 'extra-text' });
        break;
      }
      case 'InvalidEscapeCharacter': {
        const raw = text.substr(at, e.length);
        let found = false;
        for (let i = 1; i < raw.length - 1; i++) {
          if (raw[i] !== '\\') continue;
          const n = raw[i + 1];
          if ('"\\/bfnrtu'.includes(n)) {
            i++;
            continue;
          }
          found = true;
          const isTemplate = n === '$' || n === '`';
          report({ offset: at + i, length: 2 },
            `\`\\${n}\` is not a JSON escape (JSON has only \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)${isTemplate ? '; it looks like a JavaScript template-literal escape left in the text' : ''}, so ${STRICT}. Write \`${n}\`.`,
            { kind: 'escape', suggestions: [n, `\\\\${n}`] });
          i++;
        }
        if (!found) report({ offset: at, length: Math.max(1, e.length) }, `Invalid escape in this string: ${STRICT}.`, { kind: 'escape' });
        break;
      }
      case 'InvalidUnicode': {
        const raw = text.substr(at, e.length);
        const i = raw.indexOf('\\u');
        report(i >= 0 ? { offset: at + i, length: Math.min(6, raw.length - i) } : { offset: at, length: Math.max(1, e.length) },
          `Invalid \`\\u\` escape: JSON needs exactly four hexadecimal digits (\`\\u0024\`), so ${STRICT}.`, { kind: 'escape' });
        break;
      }
      case 'InvalidCharacter': {
        const raw = text.substr(at, e.length);
        let i = 0;
        while (i < raw.length && raw.charCodeAt(i) >= 0x20) i++;
        const ch = raw[i] ?? '';
        const esc: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };
        report({ offset: at + Math.min(i, raw.length - 1), length: 1 },
          `A raw ${describeCharacter(ch)} inside a string: JSON requires control characters to be escaped${esc[ch] ? ` (\`${esc[ch]}\`)` : ''}, so ${STRICT}.${ch === '\n' || ch === '\r' ? ' Or close the string on this line.' : ''}`,
          { kind: 'control-character', codePoint: codePointLabel(ch), ...(esc[ch] ? { suggestions: [esc[ch]] } : {}) });
        break;
      }
      case 'UnexpectedEndOfString':
        report({ offset: at, length: 1 }, `This string is not closed: add the closing \`"\`. ${STRICT}.`,
          { kind: 'unterminated-string', insert: { offset: at + e.length, text: '"' } }, at + e.length);
        break;
      case 'InvalidNumberFormat':
      case 'UnexpectedEndOfNumber':
        report({ offset: at, length: Math.max(1, e.length) }, `Not a valid JSON number: ${STRICT}. Policy values are usually strings: put it in double quotes.`,
          { kind: 'other', suggestions: [`"${text.substr(at, e.length)}"`] });
        break;
      default:
        if (at <= quietUntil) break;
        report({ offset: at, length: Math.max(1, e.length) }, `Not valid JSON (${e.code}): ${STRICT}.`, { kind: 'other' });
    }
  }
  for (const [ch, list] of runs) {
    const first = list[0];
    const count = list.reduce((n, r) => n + r.count, 0);
    const more = list.length > 1 ? ` (in ${list.length} places; often pasted from a web page)` : count > 1 ? ' (often pasted from a web page)' : '';
    ctx.report({
      span: first.span,
      message: `${count > 1 ? `${count} characters ${describeCharacter(ch)}` : `Character ${describeCharacter(ch)}`} outside a string: strict JSON (as AWS IoT reads policies) allows only space, tab and line breaks between tokens, so AWS rejects the document. ${first.spaceLike ? `Replace ${count > 1 ? 'them with ordinary spaces' : 'it with an ordinary space'}` : `Delete ${count > 1 ? 'them' : 'it'}`}${more}.`,
      data: { kind: 'character', codePoint: codePointLabel(ch), suggestions: [first.fix], edits: list.map((r) => ({ offset: r.span.offset, length: r.span.length, text: r.fix })) },
      related: list.slice(1).map((r) => ({ span: r.span, message: `Also ${describeCharacter(ch)}` })),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// element names

const TOP_SET = new Set<string>(TOP_ELEMENTS);
const STATEMENT_SET = new Set<string>(STATEMENT_ELEMENTS);
const PRINCIPALS = new Set(['Principal', 'NotPrincipal']);

/** Well-known misspellings that edit distance alone ranks badly. */
const ELEMENT_ALIASES: Record<string, string> = {
  actions: 'Action', resources: 'Resource', conditions: 'Condition', statements: 'Statement', effects: 'Effect',
  notactions: 'NotAction', notresources: 'NotResource', 'not-resource': 'NotResource', 'not-action': 'NotAction',
  not_resource: 'NotResource', not_action: 'NotAction', policyversion: 'Version', policy_version: 'Version', statementid: 'Sid',
};

/** The element a misspelled key most likely means at this level, best first. */
export function elementSuggestions(key: string, level: 'top' | 'statement'): string[] {
  const own = level === 'top' ? TOP_ELEMENTS : STATEMENT_ELEMENTS;
  const alias = ELEMENT_ALIASES[key.toLowerCase().trim()];
  const out: string[] = [];
  if (alias && (own as readonly string[]).includes(alias)) out.push(alias);
  const ci = (own as readonly string[]).find((e) => e.toLowerCase() === key.trim().toLowerCase());
  if (ci && !out.includes(ci)) out.push(ci);
  for (const n of nearest(key.trim(), own, Math.max(1, Math.min(3, Math.floor(key.length / 3))))) if (!out.includes(n)) out.push(n);
  return out;
}

/** Keys of an object the model did not model (under a misspelled `Statement`). */
function rawProps(model: PolicyModel, obj: Node): Property[] {
  const out: Property[] = [];
  for (const p of obj.children ?? []) {
    const k = p.children?.[0];
    if (!k || k.type !== 'string' || typeof k.value !== 'string') continue;
    const keyValue = model.stringOf(k);
    out.push({ key: keyValue.value, keyValue, keySpan: keyValue.span, node: p, value: p.children?.[1] });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// value types

/** A value a template leaves unknown until deploy: never reported as the wrong type. */
export function isOpaque(node: Node | undefined): boolean {
  return node?.type === 'opaque';
}

function kindName(node: Node): string {
  switch (node.type) {
    case 'number': return `a number (${node.value})`;
    case 'boolean': return `a boolean (${node.value})`;
    case 'null': return '`null`';
    case 'object': return 'an object';
    case 'array': return 'an array';
    case 'string': return 'a string';
    default: return 'a value of the wrong type';
  }
}

/** A template value where a value belongs: `template-syntax` reports it, not invalid-value-type. */
function intrinsicFinding(_ctx: RuleContext, node: Node, _where: string): boolean {
  return isOpaque(node);
}

function checkList(ctx: RuleContext, list: ElementList | undefined, name: string, example: string): void {
  if (!list) return;
  const v = list.prop.value;
  if (!v) return; // json-syntax reports the missing value.
  if (v.type === 'array' && (v.children?.length ?? 0) === 0) {
    if (isBroken(ctx.model, v)) return;
    ctx.report({
      span: { offset: v.offset, length: v.length },
      message: `\`${name}\` is an empty list, so the statement applies to nothing (AWS rejects an empty \`${name}\`). List at least one value, e.g. ${example}, or remove the statement.`,
      data: { element: name, empty: true },
    });
    return;
  }
  for (const bad of list.invalid) {
    if (isBroken(ctx.model, bad)) continue;
    if (intrinsicFinding(ctx, bad, `each \`${name}\` entry`)) continue;
    ctx.report({
      span: bad.type === 'object' || bad.type === 'array' ? openerSpan(bad) : { offset: bad.offset, length: bad.length },
      message: `\`${name}\` ${list.isArray ? 'entries' : 'values'} must be strings, but this is ${kindName(bad)}; AWS rejects the policy. Write it as a string${v.type === 'array' ? '' : ' or an array of strings'}, e.g. ${example}.`,
      data: { element: name, ...(bad.type === 'number' || bad.type === 'boolean' ? { suggestions: [`"${String(bad.value)}"`] } : {}) },
    });
  }
  for (const item of list.items) {
    if (item.value.length === 0) {
      ctx.report({
        span: item.span,
        message: `Empty string in \`${name}\`: it matches nothing. Give a value, e.g. ${example}, or remove it.`,
        data: { element: name, empty: true },
      });
    }
  }
}

function checkValueTypes(ctx: RuleContext): void {
  const m = ctx.model;
  if (m.root && m.root.type !== 'object') {
    ctx.report({
      span: m.root.type === 'string' || m.root.type === 'number' || m.root.type === 'boolean' || m.root.type === 'null' ? { offset: m.root.offset, length: m.root.length } : openerSpan(m.root),
      message: `A policy document is a JSON object (\`{"Version": "2012-10-17", "Statement": [...]}\`), but this is ${kindName(m.root)}. ${m.root.type === 'array' ? 'If these are statements, wrap them: `{"Version": "2012-10-17", "Statement": [...]}`.' : ''}`.trim(),
      data: { element: 'document' },
    });
    return;
  }
  const vv = m.version?.value;
  if (vv && vv.type !== 'string' && !intrinsicFinding(ctx, vv, '`Version`')) {
    ctx.report({
      span: { offset: vv.offset, length: vv.length },
      message: `\`Version\` must be the string \`"2012-10-17"\`, but this is ${kindName(vv)}; AWS rejects the policy.`,
      data: { element: 'Version', suggestions: ['"2012-10-17"'] },
    });
  }
  for (const p of m.topProps) {
    if (p.key === 'Id' && p.value && p.value.type !== 'string') {
      ctx.report({ span: { offset: p.value.offset, length: p.value.length }, message: `\`Id\` must be a string, but this is ${kindName(p.value)}.`, data: { element: 'Id' } });
    }
  }
  const sv = m.statementProp?.value;
  if (sv && sv.type !== 'array' && sv.type !== 'object') {
    ctx.report({
      span: { offset: sv.offset, length: sv.length },
      message: `\`Statement\` must be an array of statement objects (or one object), but this is ${kindName(sv)}. Write \`"Statement": [{"Effect": "Allow", "Action": [...], "Resource": [...]}]\`.`,
      data: { element: 'Statement' },
    });
  } else if (sv?.type === 'object' && intrinsicFinding(ctx, sv, '`Statement`')) {
    // A template's `{"Fn::If": ...}` statement: reported above.
  }
  for (const st of m.statements) {
    if (!st.isObject) {
      // In a broken document, non-object "statements" are usually parse artefacts; json-syntax explains.
      if (m.syntaxErrors.length > 0) continue;
      if (intrinsicFinding(ctx, st.node, 'each statement')) continue;
      ctx.report({
        span: st.node.type === 'array' ? openerSpan(st.node) : { offset: st.node.offset, length: st.node.length },
        message: `Each statement must be an object (\`{"Effect": ..., "Action": ..., "Resource": ...}\`), but this is ${kindName(st.node)}.${st.node.type === 'array' ? ' Remove the extra brackets.' : ''}`,
        data: { element: 'Statement', statementIndex: st.index },
      });
      continue;
    }
    if (isOpaque(st.node)) {
      intrinsicFinding(ctx, st.node, 'each statement');
      continue;
    }
    checkStatementTypes(ctx, st);
  }
}

function checkStatementTypes(ctx: RuleContext, st: StatementModel): void {
  const sid = st.sid?.value;
  if (sid && sid.type !== 'string' && !intrinsicFinding(ctx, sid, '`Sid`')) {
    ctx.report({ span: { offset: sid.offset, length: sid.length }, message: `\`Sid\` must be a string, but this is ${kindName(sid)}.`, data: { element: 'Sid', statementIndex: st.index } });
  }
  const ev = st.effect?.value;
  if (ev && ev.type !== 'string' && !intrinsicFinding(ctx, ev, '`Effect`')) {
    ctx.report({
      span: { offset: ev.offset, length: ev.length },
      message: `\`Effect\` must be the string \`"Allow"\` or \`"Deny"\`, but this is ${kindName(ev)}; AWS rejects the policy.`,
      data: { element: 'Effect', statementIndex: st.index, suggestions: ['"Allow"', '"Deny"'] },
    });
  }
  checkList(ctx, st.action, 'Action', '`"iot:Connect"`');
  checkList(ctx, st.notAction, 'NotAction', '`"iot:Connect"`');
  checkList(ctx, st.resource, 'Resource', '`"arn:aws:iot:<region>:<account-id>:client/${iot:Connection.Thing.ThingName}"`');
  checkList(ctx, st.notResource, 'NotResource', '`"arn:aws:iot:<region>:<account-id>:topic/restricted/*"`');
  const cond = st.condition;
  if (!cond) return;
  const cv = cond.prop.value;
  if (cv && cv.type !== 'object') {
    ctx.report({
      span: cv.type === 'array' ? openerSpan(cv) : { offset: cv.offset, length: cv.length },
      message: `\`Condition\` must be an object of operators, e.g. \`{"Bool": {"iot:Connection.Thing.IsAttached": "true"}}\`, but this is ${kindName(cv)}; AWS rejects the policy.`,
      data: { element: 'Condition', statementIndex: st.index },
    });
    return;
  }
  if (cv && intrinsicFinding(ctx, cv, '`Condition`')) return;
  for (const op of cond.operators) {
    const ov = op.prop.value;
    if (ov && ov.type !== 'object') {
      if (intrinsicFinding(ctx, ov, 'a condition operator')) continue;
      ctx.report({
        span: ov.type === 'array' ? openerSpan(ov) : { offset: ov.offset, length: ov.length },
        message: `A condition operator takes an object of condition keys, e.g. \`"${op.operator}": {"iot:Connection.Thing.ThingTypeName": "Lightbulb"}\`, but this is ${kindName(ov)}; AWS rejects the policy.`,
        data: { element: 'Condition', statementIndex: st.index },
      });
      continue;
    }
    for (const key of op.keys) {
      if (key.prop.value && intrinsicFinding(ctx, key.prop.value, 'a condition value')) continue;
      for (const val of key.values) {
        if (val.kind === 'object' || val.kind === 'array' || val.kind === 'null') {
          if (intrinsicFinding(ctx, val.node, 'a condition value')) continue;
          ctx.report({
            span: val.kind === 'null' ? { offset: val.node.offset, length: val.node.length } : openerSpan(val.node),
            message: `A condition value must be a string, number or boolean, or an array of them, but this is ${kindName(val.node)}${val.kind === 'array' ? ' inside an array' : ''}; AWS rejects the policy.`,
            data: { element: 'Condition', statementIndex: st.index },
          });
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// duplicate keys

function checkDuplicateKeys(ctx: RuleContext, node: Node | undefined): void {
  if (!node) return;
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'object') {
      const seen = new Map<string, Node>();
      for (const p of n.children ?? []) {
        const k = p.children?.[0];
        if (k && k.type === 'string' && typeof k.value === 'string') {
          const first = seen.get(k.value);
          if (first) {
            const isElement = STATEMENT_SET.has(k.value) || TOP_SET.has(k.value);
            ctx.report({
              span: { offset: k.offset + 1, length: Math.max(0, k.length - 2) },
              message: `Duplicate key \`${k.value}\` in this object: JSON parsers disagree on which one counts (AWS may keep only the last one, silently dropping the first). ${isElement ? `Merge the values into one \`${k.value}\`` : 'Merge them into one key'}${k.value === 'Statement' ? ' array' : ''}.`,
              data: { key: k.value, first: { offset: first.offset + 1, length: Math.max(0, first.length - 2) } },
              related: [{ span: { offset: first.offset, length: first.length }, message: `First \`${k.value}\`` }],
            });
          } else seen.set(k.value, k);
        }
        const v = p.children?.[1];
        if (v) stack.push(v);
      }
    } else if (n.type === 'array') {
      for (const c of n.children ?? []) stack.push(c);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// duplicate values

function removalSpan(list: ElementList, index: number, text: string): Span {
  const item = list.items[index];
  const start = prevTokenEnd(text, item.span.offset);
  if (text[start - 1] === ',') {
    const s = start - 1;
    return { offset: s, length: item.span.offset + item.span.length - s };
  }
  return item.span;
}

function checkDuplicateValues(ctx: RuleContext, st: StatementModel): void {
  const lists: [ElementList | undefined, string, boolean][] = [
    [st.action, 'Action', true], [st.notAction, 'NotAction', true], [st.resource, 'Resource', false], [st.notResource, 'NotResource', false],
  ];
  for (const [list, name, ignoreCase] of lists) {
    if (!list || list.items.length < 2) continue;
    const seen = new Map<string, StringValue>();
    list.items.forEach((item, i) => {
      if (item.value.length === 0) return;
      const key = ignoreCase ? item.value.toLowerCase() : item.value;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, item);
        return;
      }
      const exact = first.value === item.value;
      ctx.report({
        span: contentSpan(item),
        message: `\`${item.value}\` is already listed in this statement's \`${name}\`${exact ? '' : ` as \`${first.value}\` (action names ignore case)`}. Remove the duplicate.`,
        data: { element: name, statementIndex: st.index, first: contentSpan(first), remove: removalSpan(list, i, ctx.model.text) },
        related: [{ span: contentSpan(first), message: 'First listed here' }],
        tags: ['unnecessary'],
      });
    });
  }
}

// ---------------------------------------------------------------------------------------------

/** Where the Version fix goes: replace the value, or insert after the root `{`. */
export function versionFix(model: PolicyModel): { span: Span; text: string } | undefined {
  if (model.versionValue) return { span: contentSpan(model.versionValue), text: CURRENT_VERSION };
  if (model.version?.value) return { span: { offset: model.version.value.offset, length: model.version.value.length }, text: `"${CURRENT_VERSION}"` };
  if (model.root?.type === 'object') {
    const hasProps = (model.root.children?.length ?? 0) > 0;
    return { span: { offset: model.root.offset + 1, length: 0 }, text: `\n  "Version": "${CURRENT_VERSION}"${hasProps ? ',' : ''}` };
  }
  return undefined;
}

/** True when some `${...}` will be reported by `variables-require-2012-10-17`. */
export function hasLiteralVariables(model: PolicyModel): boolean {
  const v = model.versionValue?.value;
  if (model.variablesEnabled || (model.version && v !== '2008-10-17')) return false;
  const braces = (sv: StringValue | undefined): boolean => !!sv && sv.variables.some((r) => r.form === 'braces');
  return model.statements.some((st) =>
    [...(st.resource?.items ?? []), ...(st.notResource?.items ?? [])].some(braces)
    || (st.condition?.operators ?? []).some((op) => op.keys.some((k) => k.values.some((v) => braces(v.str)))));
}

export const structureRules: Rule[] = [
  {
    meta: { id: 'json-syntax', defaultSeverity: 'error', category: 'syntax', description: 'The document is not strict JSON (syntax errors, comments, trailing commas, characters JSON does not allow), so AWS rejects it.' },
    check: checkSyntax,
  },
  /** data: `{ key, first: Span }` — `first` is the content span of the earlier key. */
  {
    meta: { id: 'duplicate-key', defaultSeverity: 'error', category: 'structure', description: 'A key appears twice in one object.' },
    check(ctx) {
      checkDuplicateKeys(ctx, ctx.model.root);
    },
  },
  /** data: `{ setVersion: { span, text } }` — insert `text` at the zero-length `span` after the root `{`. */
  {
    meta: { id: 'missing-version', defaultSeverity: 'warning', category: 'structure', description: 'No `Version`: AWS then treats the policy as 2008-10-17, where policy variables are plain text.' },
    check(ctx) {
      const m = ctx.model;
      if (!m.root || m.root.type !== 'object' || m.version) return;
      // With variables in the document, variables-require-2012-10-17 reports each one as an error.
      if (hasLiteralVariables(m)) return;
      ctx.report({
        span: openerSpan(m.root),
        message: 'No `Version`: AWS IoT then reads the policy as version `2008-10-17`, in which policy variables such as `${iot:ClientId}` are plain text. Add `"Version": "2012-10-17"`.',
        data: { setVersion: versionFix(m) },
      });
    },
  },
  /** data: `{ suggestions: ['2012-10-17', ...] }` for the Version string's content. */
  {
    meta: { id: 'invalid-version', defaultSeverity: 'error', category: 'structure', description: '`Version` other than `2012-10-17` or `2008-10-17`.' },
    check(ctx) {
      const v = ctx.model.versionValue;
      if (!v || (POLICY_VERSIONS as readonly string[]).includes(v.value)) return;
      if (v.variables.length > 0) return; // policy-variable-not-allowed-here explains it
      const trimmed = v.value.trim();
      const near = (POLICY_VERSIONS as readonly string[]).includes(trimmed) ? [trimmed] : [];
      const suggestions = [...near, ...[CURRENT_VERSION].filter((x) => !near.includes(x))];
      const looksLikeDate = near.length === 0 && /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
      ctx.report({
        span: contentSpan(v),
        message: `\`Version\` is ${v.value === '' ? 'empty' : `\`${v.value}\``}: the policy language has only \`2012-10-17\` (current) and \`2008-10-17\`${looksLikeDate ? ' (it is not the date you wrote the policy)' : ''}, and AWS rejects other values. Use \`${suggestions[0]}\`.${invisibleNote(v.value)}`,
        data: { suggestions: fitToContent(v, suggestions) },
      });
    },
  },
  /** data: none (the fix is to write statements). */
  {
    meta: { id: 'missing-statement', defaultSeverity: 'error', category: 'structure', description: 'No `Statement`, or an empty one.' },
    check(ctx) {
      const m = ctx.model;
      if (!m.root || m.root.type !== 'object') return;
      if (!m.statementProp) {
        // A misspelled `Statement` key is reported by unknown-element instead.
        if (m.topProps.some((p) => elementSuggestions(p.key, 'top')[0] === 'Statement')) return;
        ctx.report({
          span: openerSpan(m.root),
          message: 'No `Statement`: an AWS IoT policy needs at least one statement, and AWS rejects a document without one. Add `"Statement": [{"Effect": "Allow", "Action": [...], "Resource": [...]}]`.',
          data: {},
        });
        return;
      }
      const v = m.statementProp.value;
      if (v?.type === 'array' && (v.children?.length ?? 0) === 0) {
        ctx.report({
          span: { offset: v.offset, length: v.length },
          message: '`Statement` is empty: the policy grants nothing, and AWS rejects a policy without statements. Add at least one `{"Effect": ..., "Action": ..., "Resource": ...}`.',
          data: {},
        });
      }
    },
  },
  /** data: `{ suggestions: string[] (element names for the key content), level: 'top' | 'statement', misplaced?: true }` */
  {
    meta: { id: 'unknown-element', defaultSeverity: 'error', category: 'structure', description: 'A key IoT policies do not have, at the top level or in a statement.' },
    check(ctx) {
      const m = ctx.model;
      for (const p of m.topProps) {
        if (TOP_SET.has(p.key) || PRINCIPALS.has(p.key)) continue; // principal-not-supported
        // A key that is only at the top level because a syntax error above it closed an object early.
        if (m.root && damagedBetween(m, m.root.offset, p.keySpan.offset)) continue;
        const sugg = elementSuggestions(p.key, 'top');
        const statementElement = STATEMENT_SET.has(p.key) ? p.key : sugg.length ? undefined : elementSuggestions(p.key, 'statement')[0];
        if (statementElement) {
          ctx.report({
            span: keyContentSpan(p),
            message: `${statementElement === p.key ? `\`${p.key}\`` : `\`${p.key}\` looks like \`${statementElement}\`, which`} belongs inside a statement, not at the top level of the policy, where AWS rejects it. Put it in a \`Statement\` object: \`"Statement": [{"Effect": ..., "Action": ..., "Resource": ...}]\`.${invisibleNote(p.key)}`,
            data: { suggestions: [], level: 'top', misplaced: true, element: statementElement },
          });
          continue;
        }
        ctx.report({
          span: keyContentSpan(p),
          message: sugg.length
            ? `Unknown top-level element \`${p.key}\`. Did you mean \`${sugg[0]}\`? A policy has only \`Version\`, \`Statement\` (and the optional \`Id\`); AWS rejects other keys.${invisibleNote(p.key)}`
            : `Unknown top-level element \`${p.key}\`: a policy has only \`Version\`, \`Statement\` (and the optional \`Id\`); AWS rejects other keys. Remove it.${invisibleNote(p.key)}`,
          data: { suggestions: sugg, level: 'top' },
        });
      }
      // Statements under a misspelled `Statement` key are checked too, so that renaming the key does
      // not reveal new findings.
      const stray: { props: Property[]; index: number }[] = [];
      if (!m.statementProp) {
        const misspelled = m.topProps.find((p) => elementSuggestions(p.key, 'top')[0] === 'Statement');
        const v = misspelled?.value;
        const nodes = v?.type === 'array' ? (v.children ?? []) : v?.type === 'object' ? [v] : [];
        nodes.forEach((n, index) => {
          if (n.type === 'object' && !isOpaque(n)) stray.push({ props: rawProps(m, n), index });
        });
      }
      for (const st of [...m.statements.filter((x) => !isOpaque(x.node)), ...stray]) {
        const start = st.props[0]?.node.parent?.offset ?? 0;
        for (const p of st.props) {
          if (STATEMENT_SET.has(p.key) || PRINCIPALS.has(p.key)) continue;
          if (damagedBetween(m, start, p.keySpan.offset)) continue;
          if (TOP_SET.has(p.key)) {
            ctx.report({
              span: keyContentSpan(p),
              message: `\`${p.key}\` belongs at the top level of the policy, not inside a statement, where AWS rejects it. Move it next to \`Statement\`.`,
              data: { suggestions: [], level: 'statement', misplaced: true, statementIndex: st.index },
            });
            continue;
          }
          const sugg = elementSuggestions(p.key, 'statement');
          ctx.report({
            span: keyContentSpan(p),
            message: sugg.length
              ? `Unknown statement element \`${p.key}\`. Did you mean \`${sugg[0]}\`? Element names are case-sensitive; a statement has \`Effect\`, \`Action\`, \`Resource\`, and optionally \`Condition\` and \`Sid\`, and AWS rejects other keys.${invisibleNote(p.key)}`
              : `Unknown statement element \`${p.key}\`: a statement has \`Effect\`, \`Action\`, \`Resource\`, and optionally \`Condition\` and \`Sid\` (\`NotAction\`/\`NotResource\` also parse); AWS rejects other keys. Remove it.${invisibleNote(p.key)}`,
            data: { suggestions: sugg, level: 'statement', statementIndex: st.index },
          });
        }
      }
    },
  },
  /** data: `{ remove: Span }` — the whole property to delete. */
  {
    meta: { id: 'principal-not-supported', defaultSeverity: 'error', category: 'structure', description: '`Principal` or `NotPrincipal` in an IoT policy.' },
    check(ctx) {
      const m = ctx.model;
      const props = [...m.topProps.filter((p) => PRINCIPALS.has(p.key)), ...m.statements.flatMap((st) => st.props.filter((p) => PRINCIPALS.has(p.key)))];
      for (const p of props) {
        ctx.report({
          span: keyContentSpan(p),
          message: `\`${p.key}\` has no place in an AWS IoT policy: IoT policies apply to the certificate, Cognito identity or thing group they are attached to, so there is no principal to name. Remove it and attach the policy to the principal instead (\`AttachPolicy\`).`,
          data: { remove: { offset: p.node.offset, length: p.node.length } },
        });
      }
    },
  },
  /** One finding per statement. data: `{ statementIndex, missing: ('Effect' | 'Action' | 'Resource')[], insertOffset }` — offset just after the statement's `{`. */
  {
    meta: { id: 'missing-element', defaultSeverity: 'error', category: 'structure', description: 'A statement without `Effect`, `Action`/`NotAction`, or `Resource`/`NotResource`.' },
    check(ctx) {
      for (const st of ctx.model.statements) {
        if (!st.isObject || isOpaque(st.node) || isBroken(ctx.model, st.node)) continue;
        const misspelled = new Set(st.props.filter((p) => !STATEMENT_SET.has(p.key)).map((p) => elementSuggestions(p.key, 'statement')[0]).filter(Boolean));
        const missing: [string, string][] = [];
        if (!st.effect && !misspelled.has('Effect')) missing.push(['Effect', 'whether it allows or denies: `"Effect": "Allow"`']);
        if (!st.action && !st.notAction && !misspelled.has('Action') && !misspelled.has('NotAction')) missing.push(['Action', 'the actions it covers, e.g. `"Action": ["iot:Connect"]`']);
        if (!st.resource && !st.notResource && !misspelled.has('Resource') && !misspelled.has('NotResource')) missing.push(['Resource', 'the ARNs it covers, e.g. `"Resource": ["arn:aws:iot:<region>:<account-id>:client/${iot:Connection.Thing.ThingName}"]`']);
        if (!missing.length) continue;
        const names = missing.map(([el]) => `\`${el}\``);
        const listed = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
        ctx.report({
          span: openerSpan(st.node),
          message: `This statement has no ${listed}: every statement needs \`Effect\`, \`Action\` and \`Resource\`, and AWS rejects one without. Add ${missing.map(([, what]) => what).join('; ')}.`,
          data: { statementIndex: st.index, missing: missing.map(([el]) => el), insertOffset: st.node.offset + 1 },
        });
      }
    },
  },
  /** data: `{ suggestions: ['Allow', 'Deny'] }` ordered by similarity, for the Effect string's content. */
  {
    meta: { id: 'invalid-effect', defaultSeverity: 'error', category: 'structure', description: '`Effect` other than exactly `Allow` or `Deny`.' },
    check(ctx) {
      for (const st of ctx.model.statements) {
        const e = st.effectValue;
        if (!e || (EFFECTS as readonly string[]).includes(e.value)) continue;
        if (e.variables.length > 0) continue; // policy-variable-not-allowed-here explains it
        const lower = e.value.trim().toLowerCase();
        const ranked = lower === '' ? [...EFFECTS] : [...EFFECTS].sort((a, b) => score(lower, a) - score(lower, b));
        const caseOnly = ranked.find((x) => x.toLowerCase() === lower);
        ctx.report({
          span: contentSpan(e),
          message: caseOnly
            ? `\`Effect\` is \`${e.value}\`, but AWS accepts only exactly \`Allow\` or \`Deny\` (case-sensitive) and rejects the policy. Write \`${caseOnly}\`.${invisibleNote(e.value)}`
            : `\`Effect\` is ${e.value === '' ? 'empty' : `\`${e.value}\``}: it must be exactly \`Allow\` or \`Deny\`, and AWS rejects other values. ${lower === '' ? 'Write `Allow` or `Deny`.' : `Did you mean \`${ranked[0]}\`?`}`,
          data: { suggestions: fitToContent(e, ranked) },
        });
      }
    },
  },
  /** data: `{ element, statementIndex?, suggestions? (replacement for the span) }` — CloudFormation intrinsics are left to `template-syntax`. */
  {
    meta: { id: 'invalid-value-type', defaultSeverity: 'error', category: 'structure', description: 'A value of the wrong JSON type, or empty (`[]`, `""`).' },
    check: checkValueTypes,
  },
  /** data: `{ size, limit }` */
  {
    meta: { id: 'policy-too-large', defaultSeverity: 'error', category: 'limits', description: 'More than 2048 characters excluding white space.' },
    check(ctx) {
      const m = ctx.model;
      const size = policySize(m.text);
      const limit = QUOTAS.policyDocumentMaxChars;
      if (size <= limit) return;
      const span = m.statementProp ? keyContentSpan(m.statementProp) : m.root ? openerSpan(m.root) : { offset: 0, length: 0 };
      ctx.report({
        span,
        message: `The policy is ${thousands(size)} characters long excluding white space; AWS IoT accepts at most ${thousands(limit)} (${thousands(size - limit)} too many) and rejects the policy. Split it into several policies (up to ${QUOTAS.policiesPerPrincipalMax} per certificate), or shorten it with wildcards or policy variables.`,
        data: { size, limit },
      });
    },
  },
  /** Span: the duplicate's content (without quotes). data: `{ element, statementIndex, first: Span (content of the first), remove: Span }` — `remove` covers the whole duplicate literal and its preceding comma. */
  {
    meta: { id: 'duplicate-value', defaultSeverity: 'info', category: 'structure', description: 'The same action or resource listed twice in one statement.' },
    check(ctx) {
      for (const st of ctx.model.statements) checkDuplicateValues(ctx, st);
    },
  },
];

function score(lower: string, candidate: string): number {
  const c = candidate.toLowerCase();
  if (lower === c) return -2;
  if (lower && c.startsWith(lower.slice(0, 1))) return editDistance(lower, c) - 0.5;
  return editDistance(lower, c);
}
