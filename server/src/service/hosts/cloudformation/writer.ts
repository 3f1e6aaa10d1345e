/**
 * Fixes in a template, in its own syntax. New policy text is escaped for the scalar it goes into:
 * `${!...}` inside a `Fn::Sub` string, JSON escapes inside a JSON string (and again for a policy
 * held as JSON text in a string), `''` in a single-quoted YAML scalar. Structural changes (a
 * condition, a statement, a removed item) are written as YAML in the layout of their neighbours,
 * or as JSON in a JSON template; comments and the rest of the file are untouched.
 */
import { editStatementByPaths, joinInserts, locatePath, nestedValue, replaceSpanIn, type Located } from '../../fixes/paths';
import type { PolicyModel, Property, StatementModel } from '../../policy/model';
import type { PolicyNode, StringValue } from '../../policy/tree';
import type { OffsetEdit } from '../../text/edits';
import { lineIndent, prevSignificant } from '../../text/lines';
import type { Span } from '../../text/span';
import type { PolicyPath, PolicyWriter, StatementChange } from '../../fixes/types';
import type { ScalarStyle } from '../yaml/scalars';
import { isPolicyVariableName } from './intrinsics';

/** How decoded policy text is written inside one scalar of the file. */
export type Escape = (decoded: string) => string;

export const jsonEscape: Escape = (s) => JSON.stringify(s).slice(1, -1);

/** `${iot:ClientId}` → `${!iot:ClientId}`: a policy variable inside a `Fn::Sub` string. */
export const subEscape: Escape = (s) => s.replace(/\$\{(?!!)([^}]*)\}/g, (m, name: string) => (isPolicyVariableName(name) ? `\${!${name}}` : m));

export function yamlEscape(style: ScalarStyle): Escape {
  switch (style) {
    case 'QUOTE_SINGLE':
      return (s) => s.replace(/'/g, "''");
    case 'QUOTE_DOUBLE':
      return jsonEscape;
    default:
      return (s) => s;
  }
}

export function compose(...escapes: Escape[]): Escape {
  return (s) => escapes.reduce((acc, e) => e(acc), s);
}

/** The escapes of the file's scalars by span; the innermost holding an offset applies. */
export interface IndexedScalar {
  span: Span;
  escape: Escape;
  /** A string of a policy held as JSON text inside another string. */
  embedded: boolean;
  /** Its `${...}` are substituted by `Fn::Sub`. */
  sub: boolean;
  /** How a YAML scalar is written (undefined in JSON). */
  style?: ScalarStyle;
}

/**
 * How each string of the policies is written, found by offset: the innermost string that holds
 * it (a policy's string inside a JSON text inside a YAML scalar). Sorted on first use after an
 * addition; a lookup is a binary search and a short walk back over enclosing strings.
 */
export class ScalarIndex {
  private spans: IndexedScalar[] = [];
  /** `maxEnd[i]`: the furthest end among spans[0..i] (a walk back stops where nothing reaches). */
  private maxEnd: number[] = [];
  private sorted = true;

  add(span: Span, escape: Escape, options: { embedded?: boolean; sub?: boolean; style?: ScalarStyle } = {}): void {
    this.spans.push({ span, escape, embedded: !!options.embedded, sub: !!options.sub, style: options.style });
    this.sorted = false;
  }

  at(offset: number): IndexedScalar | undefined {
    if (!this.sorted) this.sort();
    const s = this.spans;
    // The last span starting at or before `offset`.
    let lo = 0;
    let hi = s.length - 1;
    let i = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid].span.offset <= offset) {
        i = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Inner spans sort after the spans that enclose them: the first that holds `offset` is the innermost.
    for (; i >= 0 && this.maxEnd[i] >= offset; i--) {
      if (offset <= s[i].span.offset + s[i].span.length) return s[i];
    }
    return undefined;
  }

  private sort(): void {
    this.spans.sort((a, b) => a.span.offset - b.span.offset || b.span.length - a.span.length);
    let end = -1;
    this.maxEnd = this.spans.map((x) => (end = Math.max(end, x.span.offset + x.span.length)));
    this.sorted = true;
  }
}

export function yamlScalar(v: string): string {
  // Plain when it cannot be read as anything else; else double-quoted.
  if (v !== '' && /^[A-Za-z0-9_./*$:{}\-?[\]#+@ ]+$/.test(v) && !/^[-?:,[\]{}#&*!|>'"%@`\s]/.test(v) && !/(: | #|:$)/.test(v)
    && !/^(true|false|null|yes|no|on|off|~|[-+]?\d[\d._]*([eE][-+]?\d+)?)$/i.test(v)) return v;
  return JSON.stringify(v);
}

/** A JSON value as block YAML at `indent` (the first line starts where the value goes). */
function toYaml(value: unknown, indent: string, unit = '  '): string {
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return value.map((v, i) => `${i ? `\n${indent}` : ''}- ${toYaml(v, indent + unit, unit)}`).join('');
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (!entries.length) return '{}';
    return entries.map(([k, v], i) => {
      const key = `${i ? `\n${indent}` : ''}${yamlScalar(k)}:`;
      if (v && typeof v === 'object' && (Array.isArray(v) ? v.length : Object.keys(v).length)) {
        return Array.isArray(v) ? `${key}\n${indent}${unit}${toYaml(v, indent + unit + '  ', unit).replace(/^/, '')}` : `${key}\n${indent}${unit}${toYaml(v, indent + unit, unit)}`;
      }
      return `${key} ${toYaml(v, indent + unit, unit)}`;
    }).join('');
  }
  return typeof value === 'string' ? yamlScalar(value) : JSON.stringify(value);
}

export class TemplateWriter implements PolicyWriter {
  private readonly text: string;

  constructor(private readonly model: PolicyModel, private readonly scalars: ScalarIndex, private readonly yaml: boolean) {
    this.text = model.text;
  }

  private escapeAt(offset: number): Escape {
    return this.scalars.at(offset)?.escape ?? ((s) => s);
  }

  replaceInString(sv: StringValue, start: number, end: number, text: string): OffsetEdit {
    const span = sv.spanOf(start, end);
    return { offset: span.offset, length: span.length, text: this.escapeAt(span.offset)(text) };
  }

  replaceSpan(span: Span, replacement: string, raw = false): OffsetEdit {
    return replaceSpanIn(this.model, span, replacement, raw, () => this.escapeAt(span.offset), (v) => (this.yaml ? yamlScalar(v) : JSON.stringify(v)));
  }

  /** The node at a policy path, and the deepest existing node on the way with the rest of the path. */
  private locate(path: PolicyPath): Located {
    return locatePath(this.model.root, path);
  }

  private indentUnit(): string {
    const m = /\n( +)\S/.exec(this.text);
    return m && m[1].length <= 8 ? ' '.repeat(Math.min(m[1].length, 4)) : '  ';
  }

  /** `value` written in place of `node`: JSON in JSON and flow YAML, else block YAML in the node's layout. */
  private valueFor(value: unknown, node: PolicyNode): string {
    if (!this.yaml || this.inFlow(node.offset)) return JSON.stringify(value);
    const structured = !!value && typeof value === 'object' && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0);
    if (!structured) return toYaml(value, lineIndent(this.text, node.offset));
    const owner = node.parent?.type === 'property' ? node.parent : node;
    const ownLine = this.text.lastIndexOf('\n', node.offset - 1) > owner.offset;
    if (ownLine) return toYaml(value, ' '.repeat(node.offset - this.text.lastIndexOf('\n', node.offset - 1) - 1), this.indentUnit());
    const indent = lineIndent(this.text, owner.offset) + this.indentUnit();
    return `\n${indent}${toYaml(value, indent, this.indentUnit())}`;
  }

  /** Whether an offset sits inside a YAML flow collection (`{...}` or `[...]`), written like JSON. */
  private inFlow(offset: number): boolean {
    let depth = 0;
    for (let i = offset - 1; i >= 0; i--) {
      const c = this.text[i];
      if (c === '\n') {
        const line = this.text.slice(i + 1, offset);
        if (depth <= 0 && !/[[{]/.test(line)) return false;
      }
      if (c === '}' || c === ']') depth++;
      else if (c === '{' || c === '[') {
        if (depth === 0) return true;
        depth--;
      }
    }
    return false;
  }

  setAt(path: PolicyPath, value: unknown, options?: { insertFirst?: boolean; arrayInsertion?: boolean }): OffsetEdit[] {
    const { node, parent, rest } = this.locate(path);
    if (node && !options?.arrayInsertion) {
      if (value === undefined) return node.parent?.type === 'property' ? this.removeRange(node.parent) : this.removeItem(node);
      return [{ offset: node.offset, length: node.length, text: this.valueFor(value, node) }];
    }
    if (value === undefined || !parent) return [];
    // Insert: a key into an object, or an item at the end of a list.
    const key = rest[0];
    const nested = nestedValue(rest, value);
    if (parent.type === 'object' && typeof key === 'string') return this.insertProperty(parent, key, nested);
    if (parent.type === 'array') return this.insertItem(parent, nested);
    return [];
  }

  private insertProperty(obj: PolicyNode, key: string, value: unknown): OffsetEdit[] {
    const last = obj.children?.[obj.children.length - 1];
    if (!this.yaml || this.inFlow(obj.offset + 1)) {
      const entry = `${JSON.stringify(key)}: ${JSON.stringify(value)}`;
      if (!last) return [{ offset: obj.offset + 1, length: 0, text: entry }];
      return [{ offset: last.offset + last.length, length: 0, text: `, ${entry}` }];
    }
    if (!last) return [];
    const indent = lineIndent(this.text, last.offset);
    const body = value && typeof value === 'object'
      ? `\n${indent}${this.indentUnit()}${toYaml(value, indent + this.indentUnit(), this.indentUnit())}`
      : ` ${toYaml(value, indent)}`;
    return [{ offset: this.lineEndAfter(last), length: 0, text: `\n${indent}${yamlScalar(key)}:${body}` }];
  }

  private insertItem(list: PolicyNode, value: unknown): OffsetEdit[] {
    const last = list.children?.[list.children.length - 1];
    if (!this.yaml || this.inFlow(list.offset + 1)) {
      if (!last) return [{ offset: list.offset + 1, length: 0, text: JSON.stringify(value) }];
      return [{ offset: last.offset + last.length, length: 0, text: `, ${JSON.stringify(value)}` }];
    }
    if (!last) return [];
    const dash = this.text.lastIndexOf('-', last.offset);
    const indent = lineIndent(this.text, dash);
    return [{ offset: this.lineEndAfter(last), length: 0, text: `\n${indent}- ${toYaml(value, indent + '  ', this.indentUnit())}` }];
  }

  /** The end of the last line a node occupies (before its line break). */
  private lineEndAfter(node: PolicyNode): number {
    let end = node.offset + node.length;
    while (end > node.offset && /\s/.test(this.text[end - 1])) end--;
    const nl = this.text.indexOf('\n', end);
    return nl === -1 ? this.text.length : this.text[nl - 1] === '\r' ? nl - 1 : nl;
  }

  /** Removes a property or a list item with its line(s) (block YAML) or its comma (flow, JSON). */
  private removeRange(node: PolicyNode): OffsetEdit[] {
    if (!this.yaml || this.inFlow(node.offset)) {
      const before = prevSignificant(this.text, node.offset);
      if (before >= 0 && this.text[before] === ',') return [{ offset: before, length: node.offset + node.length - before, text: '' }];
      let after = node.offset + node.length;
      while (after < this.text.length && /\s/.test(this.text[after])) after++;
      if (this.text[after] === ',') return [{ offset: node.offset, length: after + 1 - node.offset, text: '' }];
      return [{ offset: node.offset, length: node.length, text: '' }];
    }
    let start = node.offset;
    const dash = node.parent?.type === 'array' ? this.text.lastIndexOf('-', node.offset) : -1;
    if (dash >= 0 && /^[ \t]*$/.test(this.text.slice(this.text.lastIndexOf('\n', dash - 1) + 1, dash))) start = dash;
    const lineStart = this.text.lastIndexOf('\n', start - 1);
    if (!/^[ \t]*$/.test(this.text.slice(lineStart + 1, start))) return [];
    const end = this.lineEndAfter(node);
    return [{ offset: lineStart, length: end - lineStart, text: '' }];
  }

  editStatement(st: StatementModel, first: OffsetEdit[], changes: StatementChange[], options?: { arrayInsertion?: boolean }): OffsetEdit[] {
    return editStatementByPaths(this, this.model, st, first, changes, options);
  }

  insertStatements(after: StatementModel | undefined, statements: unknown[]): OffsetEdit[] {
    const list = this.model.statementProp?.value;
    if (list?.type !== 'array') return [];
    const prev = after ? list.children?.[after.index] : list.children?.[list.children.length - 1];
    if (!prev) return [];
    const edits: OffsetEdit[] = [];
    for (const s of statements) edits.push(...this.insertItem(list, s));
    return joinInserts(edits);
  }

  splitStatement(_st: StatementModel, _variants: StatementChange[][]): OffsetEdit[] {
    // Rewriting a whole statement in YAML would lose its comments: not offered in templates.
    return [];
  }

  removeItem(item: PolicyNode): OffsetEdit[] {
    return this.removeRange(item);
  }

  removeProperty(prop: Property): OffsetEdit[] {
    return this.removeRange(prop.node);
  }

  wrapInSub(sv: StringValue): OffsetEdit[] {
    const scalar = this.scalars.at(sv.span.offset + 1);
    if (!scalar || scalar.embedded) return [];
    // Inside the Sub, policy variables must be escaped, or CloudFormation reads them as references.
    const escapes: OffsetEdit[] = [];
    for (let i = sv.value.indexOf('${'); i !== -1; i = sv.value.indexOf('${', i + 2)) {
      const close = sv.value.indexOf('}', i);
      if (close === -1) break;
      if (isPolicyVariableName(sv.value.slice(i + 2, close))) escapes.push({ offset: sv.offsetOf(i + 2), length: 0, text: '!' });
    }
    const { offset, length } = sv.span;
    const wrap = this.yaml
      ? [{ offset, length: 0, text: '!Sub ' }]
      : [{ offset, length: 0, text: '{"Fn::Sub": ' }, { offset: offset + length, length: 0, text: '}' }];
    return [...wrap, ...escapes];
  }

  toList(item: StringValue, add: string, where: 'before' | 'after'): OffsetEdit[] {
    const own = this.text.substr(item.span.offset, item.span.length);
    const extra = this.yaml ? yamlScalar(add) : JSON.stringify(add);
    const parts = where === 'before' ? [extra, own] : [own, extra];
    return [{ offset: item.span.offset, length: item.span.length, text: `[${parts.join(', ')}]` }];
  }
}
