/**
 * Reading the next version of a standalone JSON policy from the last one. A keystroke changes one
 * statement, yet a whole parse builds every node, string value and statement again: at 10 KB,
 * about 180 KB of objects per keystroke, and while a user types, every young-generation
 * collection copies the tree and model of the version being analysed.
 *
 * When the edit lies inside the braces of one statement, only that statement is parsed and
 * modelled again. Everything after it moves by the edit's length, in place: the nodes, the string
 * values and their `${...}` references. What stays is the same object from one version to the
 * next, so it ages into the old generation and no collection copies it again.
 *
 * The result is the model a whole parse builds, offset for offset and value for value
 * (`test/property/reparse.test.ts` compares them on random edits). The model read from is
 * spent: its nodes now belong to the new version, so only its owner (the server's model cache,
 * which drops it) may hand it over, as with tree-sitter's `Tree.edit`.
 */
import { buildStatement, type PolicyModel, type StatementModel } from '../../policy/model';
import type { PolicyNode, StringValue } from '../../policy/tree';
import { ownCopy } from '../../text/memo';
import { jsonStringValue, moveStringValue } from './stringValue';
import { parseWellFormedValue } from './wellFormed';

/** What a model needs to be read from: the white space of its text (`policy-too-large`). */
interface Reparsable {
  blanks: number;
}

const STATE = Symbol('reparsable');

type Marked = PolicyModel & { [STATE]?: Reparsable };

/**
 * Marks a model of a well-formed text, read in one pass with nothing resolved (no intrinsic
 * function), as one the next version can be read from.
 */
export function markReparsable(model: PolicyModel, blanks: number): void {
  Object.defineProperty(model, STATE, { value: { blanks }, enumerable: false, writable: true });
}

/** Mutable view of a node while it moves. */
interface Moving {
  offset: number;
  length: number;
  colonOffset?: number;
  parent?: PolicyNode;
  children?: PolicyNode[];
}

/**
 * The model of `text`, read from `previous` (a model `markReparsable` marked) when the two texts
 * differ inside one statement's braces; undefined otherwise, and the caller parses `text` whole.
 * `previous` is spent when a model is returned.
 */
export function reparse(previous: PolicyModel, text: string, maxDepth: number): PolicyModel | undefined {
  const state = (previous as Marked)[STATE];
  if (!state || !previous.statementIsArray || previous.omittedStatements || !previous.statements.length) return undefined;
  const old = previous.text;
  // Identical texts come out as an empty change at the end, inside no statement.
  const [from, oldTo] = changed(old, text);
  const delta = text.length - old.length;

  const st = statementAround(previous.statements, from, oldTo);
  if (!st) return undefined;
  const node = st.node;
  const end = node.offset + node.length;
  const array = node.parent;
  if (!array?.children) return undefined;
  // The statement is read from its own copy of its text, so that its strings (slices of what they
  // are read from) keep those few characters alive, not the whole text of this version: a
  // statement may be carried over for many versions.
  const piece = ownCopy(text.slice(node.offset, end + delta));
  const parsed = parseWellFormedValue(piece, 0, piece.length, array, 2, maxDepth);
  // An intrinsic function's key (`Ref`, `Fn::Sub`) makes the policy a template's: read it whole.
  if (!parsed || parsed.intrinsicKeys || parsed.root.type !== 'object') return undefined;
  moveNode(parsed.root, node.offset);

  // From here on `previous` is spent: it is never read from again.
  (previous as Marked)[STATE] = undefined;
  for (let child: PolicyNode = node, a = node.parent; a; child = a, a = a.parent) {
    (a as Moving).length += delta;
    const kids = a.children!;
    for (let j = kids.indexOf(child) + 1; j < kids.length; j++) moveNode(kids[j], delta);
  }
  array.children[array.children.indexOf(node)] = parsed.root;

  const fresh = buildStatement((n) => jsonStringValue(n, text), parsed.root, st.index);
  const statements = previous.statements.slice();
  statements[st.index] = fresh.statement;
  const strings = spliceStrings(previous.strings, node.offset, end, fresh.strings, delta);
  const blanks = state.blanks - blanksIn(old, node.offset, end) + parsed.blanks;
  const json = { text, errors: previous.syntaxErrors, toDocument: (o: number) => o };
  const model: PolicyModel = {
    ...previous, text, statements, strings, json,
    stringOf: (n) => jsonStringValue(n, text),
    size: () => ({ chars: text.length - blanks, complete: true }),
  };
  markReparsable(model, blanks);
  return model;
}

/**
 * Where two texts differ: [from, to) of `a`, with `a` and `b` equal before `from` and equal after
 * `to` (counted from their ends). Runs of CHUNK characters are compared as strings first (a slice
 * of a flat string is not copied, and V8 compares strings a machine word at a time): ten times
 * faster than comparing 10 KB character by character.
 */
function changed(a: string, b: string): [number, number] {
  const min = Math.min(a.length, b.length);
  let from = 0;
  while (from + CHUNK <= min && a.slice(from, from + CHUNK) === b.slice(from, from + CHUNK)) from += CHUNK;
  while (from < min && a.charCodeAt(from) === b.charCodeAt(from)) from++;
  const most = min - from;
  const al = a.length;
  const bl = b.length;
  let same = 0;
  while (same + CHUNK <= most && a.slice(al - same - CHUNK, al - same) === b.slice(bl - same - CHUNK, bl - same)) same += CHUNK;
  while (same < most && a.charCodeAt(al - 1 - same) === b.charCodeAt(bl - 1 - same)) same++;
  return [from, al - same];
}

const CHUNK = 256;

/** The object statement whose braces hold [from, to) strictly inside them. */
function statementAround(statements: readonly StatementModel[], from: number, to: number): StatementModel | undefined {
  let lo = 0;
  let hi = statements.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const n = statements[mid].node;
    if (from <= n.offset) hi = mid - 1;
    else if (from >= n.offset + n.length) lo = mid + 1;
    else return n.type === 'object' && to <= n.offset + n.length - 1 ? statements[mid] : undefined;
  }
  return undefined;
}

/** Moves a node and everything under it by `delta`. */
function moveNode(node: PolicyNode, delta: number): void {
  const n = node as Moving;
  n.offset += delta;
  if (n.colonOffset !== undefined) n.colonOffset += delta;
  const children = n.children;
  if (children) for (let i = 0; i < children.length; i++) moveNode(children[i], delta);
}

/**
 * The strings of the new version, in document order: those before the statement, the statement's
 * own, and those after it, moved by `delta`.
 */
function spliceStrings(strings: readonly StringValue[], start: number, end: number, own: readonly StringValue[], delta: number): StringValue[] {
  let before = 0;
  while (before < strings.length && strings[before].span.offset < start) before++;
  let after = before;
  while (after < strings.length && strings[after].span.offset < end) after++;
  const out = new Array<StringValue>(before + own.length + strings.length - after);
  let n = 0;
  for (let i = 0; i < before; i++) out[n++] = strings[i];
  for (let i = 0; i < own.length; i++) out[n++] = own[i];
  for (let i = after; i < strings.length; i++) {
    moveStringValue(strings[i], delta);
    out[n++] = strings[i];
  }
  return out;
}

/** White space characters in [start, end) of a well-formed text, as `parseWellFormed` counts them. */
function blanksIn(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) n++;
  }
  return n;
}
