/**
 * Shared machinery for quick fixes: the fix shape, formatting inferred from the document, and
 * edits built on the policy model (string contents, statements, conditions).
 *
 * Edits are offsets into the model's text. Structural edits go through jsonc-parser `modify` with
 * the document's own indentation; in-string edits replace exactly the characters at fault.
 */
import { applyEdits, findNodeAtLocation, modify, parseTree, type EditResult, type FormattingOptions, type JSONPath, type Node } from 'jsonc-parser';
import type { AnalyzedFinding } from '../../analyze';
import type { PolicyConfig } from '../../config';
import type { PolicyModel, Span, StatementModel, StringValue } from '../../model';
import { diffEdits } from './diff';

/** A replacement of `length` characters at `offset` of the model's text. */
export interface OffsetEdit {
  offset: number;
  length: number;
  text: string;
}

export interface Fix {
  title: string;
  edits: OffsetEdit[];
  /** The single obvious fix for its diagnostic. */
  preferred?: boolean;
  /** Applied by "Fix all safe problems": it only makes the policy say what it evidently means. */
  safe?: boolean;
}

/** Formatting options with the fields fixes rely on. */
export type Formatting = FormattingOptions & { tabSize: number; insertSpaces: boolean; eol: string };

export interface FixContext {
  model: PolicyModel;
  text: string;
  config?: PolicyConfig;
  /** All current findings of the document (some fixes look at the others). */
  findings: readonly AnalyzedFinding[];
  fmt: Formatting;
}

export type FixProvider = (ctx: FixContext, finding: AnalyzedFinding) => Fix[];

// ---------------------------------------------------------------------------------------------
// Formatting

/** Indentation and line ends as the document already uses them. */
export function inferFormatting(text: string): Formatting {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let insertSpaces = true;
  let tabSize = 2;
  const lines = text.split(/\r?\n/);
  const widths: number[] = [];
  for (const line of lines) {
    const m = /^([ \t]+)\S/.exec(line);
    if (!m) continue;
    if (m[1].includes('\t')) {
      insertSpaces = false;
      tabSize = 4;
      break;
    }
    widths.push(m[1].length);
  }
  if (insertSpaces && widths.length) {
    const min = Math.min(...widths);
    tabSize = min > 0 && min <= 8 ? min : 2;
  }
  return { tabSize, insertSpaces, eol, insertFinalNewline: false };
}

export function indentUnit(fmt: Formatting): string {
  return fmt.insertSpaces ? ' '.repeat(fmt.tabSize) : '\t';
}

/** The leading white space of the line that contains `offset`. */
export function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

// ---------------------------------------------------------------------------------------------
// Finding data

export function dataOf(f: AnalyzedFinding): Record<string, unknown> {
  return (f.data ?? {}) as Record<string, unknown>;
}

export function suggestionsOf(f: AnalyzedFinding): string[] {
  const s = dataOf(f).suggestions;
  return Array.isArray(s) ? s.filter((x): x is string => typeof x === 'string') : [];
}

export function isSpan(v: unknown): v is Span {
  return !!v && typeof v === 'object' && typeof (v as Span).offset === 'number' && typeof (v as Span).length === 'number';
}

export function spanText(ctx: FixContext, span: Span): string {
  return ctx.text.substr(span.offset, span.length);
}

// ---------------------------------------------------------------------------------------------
// Strings

/** The string literal (value or key) of the model that contains `span`, if any (binary search: strings are in document order). */
export function stringAt(model: PolicyModel, span: Span): StringValue | undefined {
  const list = model.strings;
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].span.offset <= span.offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const s = found >= 0 ? list[found] : undefined;
  return s && span.offset + span.length <= s.span.offset + s.span.length ? s : undefined;
}

/** Per-context memo for indexes that several fixes use. */
const MEMO = new WeakMap<FixContext, Map<string, unknown>>();
export function memo<T>(ctx: FixContext, key: string, make: () => T): T {
  let m = MEMO.get(ctx);
  if (!m) MEMO.set(ctx, (m = new Map()));
  if (!m.has(key)) m.set(key, make());
  return m.get(key) as T;
}

/** JSON-escapes text that goes inside a string literal. */
export function escapeForString(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/**
 * Replaces `span` with `replacement`. Inside a string literal (not touching its quotes) the
 * replacement is decoded text and is escaped; otherwise it is raw JSON text.
 */
export function replaceSpan(ctx: FixContext, span: Span, replacement: string, raw = false): OffsetEdit {
  if (raw) return { offset: span.offset, length: span.length, text: replacement };
  const s = stringAt(ctx.model, span);
  const inside = s && span.offset > s.span.offset && span.offset + span.length < s.span.offset + s.span.length;
  if (inside) return { offset: span.offset, length: span.length, text: escapeForString(replacement) };
  // A finding on an empty string points at the whole literal `""`: its suggestions are contents.
  const whole = s && span.offset === s.span.offset && span.length === s.span.length;
  if (whole && !replacement.startsWith('"')) return { offset: span.offset, length: span.length, text: JSON.stringify(replacement) };
  return { offset: span.offset, length: span.length, text: replacement };
}

/** Rewrites the decoded range [start, end) of a string value. */
export function replaceInString(sv: StringValue, start: number, end: number, replacement: string): OffsetEdit {
  const span = sv.spanOf(start, end);
  return { offset: span.offset, length: span.length, text: escapeForString(replacement) };
}

// ---------------------------------------------------------------------------------------------
// Statements

/** The statement whose node contains `span` (binary search: statements are in document order). */
export function statementAt(model: PolicyModel, span: Span): StatementModel | undefined {
  const list = model.statements;
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].node.offset <= span.offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const st = found >= 0 ? list[found] : undefined;
  return st && span.offset + span.length <= st.node.offset + st.node.length ? st : undefined;
}

export function statementFor(ctx: FixContext, f: AnalyzedFinding): StatementModel | undefined {
  const i = dataOf(f).statementIndex;
  if (typeof i === 'number' && ctx.model.statements[i]) {
    const st = ctx.model.statements[i];
    // Trust the index only when the finding is inside that statement (or points at the policy).
    if (f.span.offset >= st.node.offset && f.span.offset <= st.node.offset + st.node.length) return st;
  }
  return statementAt(ctx.model, f.span);
}

export function statementPath(model: PolicyModel, st: StatementModel): JSONPath {
  return model.statementIsArray ? ['Statement', st.index] : ['Statement'];
}

function toOffsetEdits(results: EditResult): OffsetEdit[] {
  return results.map((e) => ({ offset: e.offset, length: e.length, text: e.content }));
}

/**
 * The formatting for a change at `path`: the document's, unless the object or array that receives
 * the change is written on one line, where formatting would re-layout the whole line; there the
 * new text is written compactly like its neighbours.
 */
export function formattingAt(text: string, path: JSONPath, fmt: Formatting): Formatting | undefined {
  const root = parseTree(text);
  if (!root) return fmt;
  for (let k = path.length - 1; k >= 0; k--) {
    const n = findNodeAtLocation(root, path.slice(0, k));
    if (!n) continue;
    return text.slice(n.offset, n.offset + n.length).includes('\n') ? fmt : undefined;
  }
  return fmt;
}

/** jsonc-parser `modify` with the document's formatting. */
export function modifyAt(ctx: FixContext, path: JSONPath, value: unknown, opts?: { insertFirst?: boolean; arrayInsertion?: boolean }): OffsetEdit[] {
  try {
    return toOffsetEdits(
      modify(ctx.text, path, value, {
        formattingOptions: formattingAt(ctx.text, path, ctx.fmt),
        isArrayInsertion: opts?.arrayInsertion,
        getInsertionIndex: opts?.insertFirst ? () => 0 : undefined,
      }),
    );
  } catch {
    return [];
  }
}

/** The statement's text with `changes` applied (each a path inside the statement and a value). */
export function rewriteStatementText(ctx: FixContext, st: StatementModel, changes: [JSONPath, unknown][]): string {
  let text = ctx.text.slice(st.node.offset, st.node.offset + st.node.length);
  // The statement text is formatted as in the document: its lines keep their indentation.
  const firstIndent = lineIndent(ctx.text, st.node.offset);
  text = firstIndent + text;
  for (const [path, value] of changes) {
    const edits = modify(text, path, value, { formattingOptions: formattingAt(text, path, ctx.fmt) });
    text = applyEdits(text, edits);
  }
  return text.slice(firstIndent.length);
}

/** JSON text for a new value, indented to sit at `indent` (first line not indented). */
export function jsonText(value: unknown, ctx: FixContext, indent: string): string {
  const unit = indentUnit(ctx.fmt);
  const raw = JSON.stringify(value, null, unit);
  return raw.split('\n').join(ctx.fmt.eol + indent);
}

/**
 * Inserts statements after `after` (or at the end of the Statement array). A single statement
 * object becomes an array.
 */
export function insertStatements(ctx: FixContext, after: StatementModel | undefined, statements: unknown[]): OffsetEdit[] {
  const m = ctx.model;
  const sv = m.statementProp?.value;
  if (!sv) {
    if (m.root?.type !== 'object') return [];
    return modifyAt(ctx, ['Statement'], statements);
  }
  if (sv.type === 'array') {
    const children = sv.children ?? [];
    const prev = after ? children[after.index] : children[children.length - 1];
    if (!prev) return modifyAt(ctx, ['Statement'], statements);
    // After the previous statement, in its layout (never re-parsing the whole document).
    const compact = !ctx.text.slice(sv.offset, sv.offset + sv.length).includes('\n');
    const indent = lineIndent(ctx.text, prev.offset);
    const text = statements.map((s) => (compact ? `, ${JSON.stringify(s)}` : `,${ctx.fmt.eol}${indent}${jsonText(s, ctx, indent)}`)).join('');
    return [{ offset: prev.offset + prev.length, length: 0, text }];
  }
  if (sv.type === 'object') {
    // `"Statement": {...}` → `"Statement": [{...}, {...}]`
    const indent = lineIndent(ctx.text, m.statementProp!.node.offset);
    const unit = indentUnit(ctx.fmt);
    const inner = indent + unit;
    const original = reindent(ctx.text.slice(sv.offset, sv.offset + sv.length), unit, ctx.fmt.eol);
    const parts = [original, ...statements.map((s) => jsonText(s, ctx, inner))];
    return [{ offset: sv.offset, length: sv.length, text: `[${ctx.fmt.eol}${inner}${parts.join(`,${ctx.fmt.eol}${inner}`)}${ctx.fmt.eol}${indent}]` }];
  }
  return [];
}

/** Adds one indentation unit to every line but the first. */
function reindent(text: string, unit: string, eol: string): string {
  return text.split(/\r?\n/).join(eol + unit);
}

export const IS_ATTACHED_CONDITION = { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } };

/**
 * The `modify` changes (paths inside the statement) that add `cond` (`{operator: {key: value}}`)
 * to a statement, merged into its Condition; undefined when the Condition is not an object.
 */
export function conditionChanges(st: StatementModel, cond: Record<string, Record<string, unknown>>): [JSONPath, unknown][] | undefined {
  const block = st.condition?.prop.value;
  if (!block) return [[['Condition'], cond]];
  if (block.type !== 'object') return undefined;
  const changes: [JSONPath, unknown][] = [];
  for (const [op, keys] of Object.entries(cond)) {
    const existing = st.condition!.operators.find((o) => o.operator === op);
    if (!existing) {
      changes.push([['Condition', op], keys]);
      continue;
    }
    if (existing.prop.value?.type !== 'object') return undefined;
    for (const [k, v] of Object.entries(keys)) changes.push([['Condition', op, k], v]);
  }
  return changes;
}

/**
 * Edits of one statement: `first` (offsets of the document, inside the statement), then the
 * structural `changes` (paths inside the statement) with jsonc-parser `modify`, as minimal edits
 * of the document. Only the statement's text is parsed, so the cost does not grow with the policy;
 * and in-string and structural edits are never computed on the same text (formatting may touch
 * whole lines).
 */
export function editStatement(ctx: FixContext, st: StatementModel, first: OffsetEdit[], changes: [JSONPath, unknown][], opts?: { arrayInsertion?: boolean }): OffsetEdit[] {
  const start = st.node.offset;
  const end = start + st.node.length;
  if (first.some((e) => e.offset < start || e.offset + e.length > end)) return [];
  const indent = lineIndent(ctx.text, start);
  const old = ctx.text.slice(start, end);
  let text = indent + applyOffsetEdits(old, first.map((e) => ({ ...e, offset: e.offset - start })));
  try {
    for (const [path, value] of changes) {
      text = applyEdits(text, modify(text, path, value, { formattingOptions: formattingAt(text, path, ctx.fmt), isArrayInsertion: opts?.arrayInsertion }));
    }
  } catch {
    return [];
  }
  if (!text.startsWith(indent)) return [];
  return diffEdits(old, text.slice(indent.length)).map((e) => ({ ...e, offset: e.offset + start }));
}

export function hasIsAttached(st: StatementModel): boolean {
  return !!st.condition?.operators.some((o) => /^Bool(IfExists)?$/.test(o.operator) && o.keys.some((k) => k.key.toLowerCase() === 'iot:connection.thing.isattached'));
}

/** The action strings of a statement. */
export function actionNames(st: StatementModel): string[] {
  return (st.action?.items ?? []).map((a) => a.value);
}

export function nodeText(ctx: FixContext, n: Node): string {
  return ctx.text.slice(n.offset, n.offset + n.length);
}

/** Do two edits conflict? Identical edits do not. */
export function overlaps(a: OffsetEdit, b: OffsetEdit): boolean {
  if (a.offset === b.offset && a.length === b.length && a.text === b.text) return false;
  const aEnd = a.offset + a.length;
  const bEnd = b.offset + b.length;
  if (a.offset === b.offset) return true; // two insertions (or an insertion and a replacement) at one place
  return a.offset < bEnd && b.offset < aEnd;
}

export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  // Identical edits (the same fix reached from several findings) apply once.
  const sorted = dedupeEdits(edits).sort((a, b) => b.offset - a.offset || b.length - a.length);
  let out = text;
  let lastStart = Infinity;
  for (const e of sorted) {
    if (e.offset + e.length > lastStart) continue;
    out = out.slice(0, e.offset) + e.text + out.slice(e.offset + e.length);
    lastStart = e.offset;
  }
  return out;
}

/** Removes duplicate edits (the same fix reached from several findings). */
export function dedupeEdits(edits: readonly OffsetEdit[]): OffsetEdit[] {
  const seen = new Set<string>();
  const out: OffsetEdit[] = [];
  for (const e of edits) {
    const k = `${e.offset}:${e.length}:${e.text}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
  }
  return out.sort((a, b) => a.offset - b.offset);
}
