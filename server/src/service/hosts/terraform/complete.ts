/**
 * Completion in a Terraform file: where the cursor is in the policy, read from the neutral tree
 * (which holds HCL's own positions), and how to write there:
 * - in `jsonencode({...})`, HCL: `Key = value`, strings with `$${iot:...}`;
 * - in JSON text (a heredoc, a quoted string, a template), the JSON host's reading of the text
 *   the template renders, its offsets mapped back and everything it writes escaped for the template;
 * - in an `aws_iam_policy_document`, attribute values (`actions`, `resources`, `test`,
 *   `variable`, `values`), with `&{iot:...}` where the document already uses that form.
 */
import type { CompletionPlace, CompletionSyntax, Insertion, StringAtCursor } from '../../features/completion/place';
import { cat, raw, stop, type Part, type Text, type ValueShape } from '../../features/completion/text';
import type { PolicyModel } from '../../policy/model';
import { pathFromRoot, type PolicyNode } from '../../policy/tree';
import { prevSignificant, nextSignificant } from '../../text/lines';
import { jsonCompletionPlace } from '../json/complete';
import type { Dialect } from './host';
import type { ReadPolicy } from './reader';
import { ampEscape, compose, quotedEscape, templateEscape, type Escape } from './strings';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const WORD = /[A-Za-z0-9_:.*$?-]/;

/** Statement elements as `aws_iam_policy_document` attributes. */
const ATTRIBUTES: Readonly<Record<string, string>> = {
  Sid: 'sid', Effect: 'effect', Action: 'actions', NotAction: 'not_actions', Resource: 'resources', NotResource: 'not_resources',
};

function wordAt(text: string, offset: number): { start: number; end: number } {
  let start = offset;
  while (start > 0 && WORD.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && WORD.test(text[end])) end++;
  return { start, end };
}

/** The innermost node holding `offset` strictly inside it (between its delimiters). */
function innermost(root: PolicyNode, offset: number, accept: (n: PolicyNode) => boolean): PolicyNode | undefined {
  let best: PolicyNode | undefined;
  const visit = (n: PolicyNode): void => {
    if (offset <= n.offset || offset >= n.offset + n.length) return;
    if (accept(n)) best = n;
    for (const c of n.children ?? []) visit(c);
  };
  visit(root);
  return best;
}

export function terraformCompletionPlace(model: PolicyModel, read: ReadPolicy, dialect: Dialect, offset: number, outer?: Escape): CompletionPlace | undefined {
  if (!model.root) return undefined;
  if (dialect === 'json') return jsonTextPlace(model, offset, outer ?? templateEscape);
  return hclPlace(model, read, dialect, offset);
}

// ---- JSON text in a template ---------------------------------------------------------------------

/** Maps a document offset to the decoded JSON text (the last decoded index at or before it). */
function toDecoded(toDocument: (i: number) => number, length: number, offset: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (toDocument(mid) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function escapeText(t: Text, outer: Escape): Text {
  return t.map((p): Part => {
    if (typeof p === 'string') return p;
    if ('raw' in p) return { raw: outer(p.raw) };
    if ('either' in p) return { either: [escapeText(p.either[0], outer), escapeText(p.either[1], outer)] };
    return p;
  });
}

function jsonTextPlace(model: PolicyModel, offset: number, outer: Escape): CompletionPlace | undefined {
  const json = model.json;
  if (!json) return undefined;
  const at = json.toDocument;
  const index = toDecoded(at, json.text.length, offset);
  // The JSON host reads the rendered text alone, as if it were the document.
  const view = { ...model, text: json.text, statements: [], syntaxErrors: json.errors } as PolicyModel;
  const place = jsonCompletionPlace(view, index);
  if (!place) return undefined;
  const mapIns = <T extends Insertion>(i: T): T => ({ ...i, start: at(i.start), end: at(i.end), text: escapeText(i.text, outer) });
  const s = place.syntax;
  const s0 = place.str;
  const str: StringAtCursor | undefined = s0 && {
    start: at(s0.start), end: at(s0.end), contentStart: at(s0.contentStart), contentEnd: at(s0.contentEnd), closed: s0.closed,
  };
  const syntax: CompletionSyntax = {
    encode: compose(s.encode, outer),
    close: outer(s.close),
    variableEscape: '',
    variableOpen: '$${',
    value: (t, label) => mapIns(s.value(t, label)),
    key: (k, v) => mapIns(s.key(k, v)),
    structure: (v) => mapIns(s.structure(v)),
  };
  return { where: place.where, str, word: { start: at(place.word.start), end: at(place.word.end) }, syntax };
}

// ---- HCL ---------------------------------------------------------------------------------------

/** A value shape as HCL: in a snippet over lines with tabs (the editor indents them), else on one line. */
function hclShape(v: ValueShape): Text {
  return [{ either: [hclBlock(v, 0), hclFlow(v)] }];
}

function hclKeyText(key: Text): Text {
  const only = key.length === 1 && typeof key[0] === 'string' ? key[0] : undefined;
  return only !== undefined && IDENTIFIER.test(only) ? key : cat(raw('"'), key, raw('"'));
}

function hclBlock(v: ValueShape, depth: number): Text {
  const pad = '\t'.repeat(depth + 1);
  switch (v.kind) {
    case 'string':
      return cat(raw('"'), v.text, raw('"'));
    case 'list':
      if (v.items.every((x) => x.kind === 'string')) return hclFlow(v);
      return cat(raw('['), ...v.items.flatMap((x) => [raw(`\n${pad}`), hclBlock(x, depth + 1), raw(',')]), raw(`\n${'\t'.repeat(depth)}]`));
    case 'object':
      return cat(
        raw('{'),
        ...v.entries.flatMap((e) => [raw(`\n${pad}`), hclKeyText(e.key), raw(' = '), hclBlock(e.value, depth + 1)]),
        raw(`\n${'\t'.repeat(depth)}}`),
      );
  }
}

function hclFlow(v: ValueShape): Text {
  if (v.kind !== 'string' && v.plain !== undefined) return raw(v.plain);
  switch (v.kind) {
    case 'string':
      return cat(raw('"'), v.text, raw('"'));
    case 'list':
      return cat(raw('['), ...v.items.flatMap((x, i) => [raw(i ? ', ' : ''), hclFlow(x)]), raw(']'));
    case 'object':
      return cat(raw('{ '), ...v.entries.flatMap((e, i) => [raw(i ? ', ' : ''), hclKeyText(e.key), raw(' = '), hclFlow(e.value)]), raw(' }'));
  }
}

interface HclCtx {
  text: string;
  str?: StringAtCursor;
  word: { start: number; end: number };
  /** A `test` or `variable` string of a policy document: a key written as a string value. */
  keyAsValue: boolean;
  /** Statement keys are `aws_iam_policy_document` attributes. */
  blocks: boolean;
  escape: Escape;
  amp: boolean;
}

function hclSyntax(c: HclCtx): CompletionSyntax {
  return {
    encode: c.escape,
    close: '',
    variableEscape: '',
    variableOpen: c.amp ? '&{' : '$${',
    value(t: Text, label: string): Insertion {
      if (c.str) return { text: t, start: c.str.contentStart, end: c.str.contentEnd, filterText: label };
      return { text: cat(raw('"'), t, raw('"')), start: c.word.start, end: c.word.end, filterText: label };
    },
    key(key: string, value: ValueShape | undefined) {
      if (c.str && c.keyAsValue) return { text: [key], start: c.str.contentStart, end: c.str.contentEnd, filterText: key, withValue: false };
      const start = c.str ? c.str.start : c.word.start;
      const end = c.str ? c.str.end : c.word.end;
      const after = c.text[nextSignificant(c.text, end)];
      const withValue = !!value && after !== '=' && after !== ':';
      if (c.blocks) {
        if (key === 'Condition') return { text: conditionBlock(withValue), start, end, filterText: 'condition', withValue };
        const attr = ATTRIBUTES[key] ?? key;
        const v = value && (attr.endsWith('s') && value.kind === 'string' ? { kind: 'list' as const, items: [value], compact: true } : value);
        return { text: cat(raw(attr), withValue && v ? cat(raw(' = '), hclShape(v)) : []), start, end, filterText: attr, withValue };
      }
      const name = c.str || !IDENTIFIER.test(key) ? cat(raw('"'), [key], raw('"')) : raw(key);
      return { text: cat(name, withValue ? cat(raw(' = '), hclShape(value!)) : []), start, end, filterText: key, withValue };
    },
    structure(v: ValueShape): Insertion {
      return { text: hclShape(v), start: c.word.start, end: c.word.end };
    },
  };
}

/** A `condition` block with tab stops on its test, variable and value. */
function conditionBlock(withBody: boolean): Text {
  if (!withBody) return raw('condition');
  const body = cat(
    raw('condition {\n\ttest     = "'), stop(1, 'StringEquals'), raw('"\n\tvariable = "'), stop(2, ''),
    raw('"\n\tvalues   = ["'), stop(3, ''), raw('"]\n}'),
  );
  return [{ either: [body, raw('condition {}')] }];
}

function hclPlace(model: PolicyModel, read: ReadPolicy, dialect: Dialect, offset: number): CompletionPlace | undefined {
  const root = model.root!;
  const text = model.text;
  const blocks = dialect === 'blocks';
  const amp = blocks && [...read.styles.values()].includes('amp');
  const base = { text, blocks, amp, escape: amp ? ampEscape : quotedEscape };
  // In a string: its content.
  const node = innermost(root, offset, (n) => n.type === 'string' && read.styles.get(n) !== 'identifier' && n.length > 0);
  if (node && read.styles.get(node) !== 'heredoc') {
    const close = text[node.offset + node.length - 1] === '"' && node.length > 1;
    const end = node.offset + node.length;
    const str: StringAtCursor = { start: node.offset, end, contentStart: node.offset + 1, contentEnd: end - (close ? 1 : 0), closed: close };
    const parent = node.parent;
    const isKey = parent?.type === 'property' && parent.children?.[0] === node;
    const path = pathFromRoot(isKey ? parent!.parent! : node, root);
    if (!path) return undefined;
    const where = isKey ? { kind: 'key' as const, object: path } : { kind: 'value' as const, path };
    return { where, str, word: { start: str.start, end: str.end }, syntax: hclSyntax({ ...base, str, word: str, keyAsValue: blocks && isKey }) };
  }
  // Outside strings: the word at the cursor in the innermost object or list.
  const word = wordAt(text, offset);
  const container = innermost(root, offset, (n) => (n.type === 'object' || n.type === 'array') && n.length > 0);
  if (!container) return undefined;
  const path = pathFromRoot(container, root);
  if (!path) return undefined;
  const ctx = { ...base, word, keyAsValue: false };
  // In a policy document, new keys are attributes of a `statement` block.
  if (blocks && container.type === 'object' && read.blocks?.get(container)?.kind !== 'statement') return undefined;
  if (container.type === 'array') {
    const index = (container.children ?? []).filter((c) => c.offset + c.length <= word.start).length;
    return { where: { kind: 'value', path: [...path, index] }, word, syntax: hclSyntax(ctx) };
  }
  const prev = prevSignificant(text, word.start);
  if (!blocks && prev >= 0 && (text[prev] === '=' || text[prev] === ':')) {
    // `Key = |`: the value of the key written before the separator.
    const k = /(?:"([^"\n]*)"|([A-Za-z_][\w-]*))\s*$/.exec(text.slice(Math.max(0, prev - 200), prev));
    const key = k?.[1] ?? k?.[2];
    if (!key) return undefined;
    return { where: { kind: 'value', path: [...path, key] }, word, syntax: hclSyntax(ctx) };
  }
  return { where: { kind: 'key', object: path }, word, syntax: hclSyntax(ctx) };
}
