/**
 * Fixes in a Terraform file, in its own syntax:
 * - inside `jsonencode({...})`, HCL values (`Key = "value"`, lists, nested objects) in the layout
 *   and key style of their neighbours, strings with `$${` for a policy variable;
 * - in JSON text (a heredoc, a quoted string, a template file, a `.tf.json` string), JSON escaped
 *   for every string it goes through;
 * - in an `aws_iam_policy_document`, attributes and `statement`/`condition` blocks.
 * Comments and the rest of the file are untouched.
 */
import { editStatementByPaths, joinInserts, locatePath, nestedValue, replaceSpanIn, type Located } from '../../fixes/paths';
import type { PolicyModel, Property, StatementModel } from '../../policy/model';
import type { PolicyNode, StringValue } from '../../policy/tree';
import type { OffsetEdit } from '../../text/edits';
import { lineIndent, nextSignificant, prevSignificant } from '../../text/lines';
import type { Span } from '../../text/span';
import type { PolicyPath, PolicyWriter, StatementChange } from '../../fixes/types';
import type { Dialect } from './host';
import type { BlockPlace, BlockSpan, ReadPolicy } from './reader';
import { ampEscape, compose, jsonEscape, quotedEscape, templateEscape, type Escape } from './strings';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Statement elements as `aws_iam_policy_document` attributes. */
const ATTRIBUTE_OF: Readonly<Record<string, string>> = {
  Sid: 'sid', Effect: 'effect', Action: 'actions', NotAction: 'not_actions', Resource: 'resources', NotResource: 'not_resources',
};
const LISTS = new Set(['actions', 'not_actions', 'resources', 'not_resources']);

export interface WriterOptions {
  dialect: Dialect;
  /** JSON text: how the text of the template that holds it is escaped (a heredoc's, a quoted string's). */
  outer?: Escape;
}

export class TerraformWriter implements PolicyWriter {
  private readonly text: string;

  constructor(private readonly model: PolicyModel, private readonly read: ReadPolicy, private readonly o: WriterOptions) {
    this.text = model.text;
  }

  // ---- strings ---------------------------------------------------------------------------------

  private get outer(): Escape {
    return this.o.outer ?? ((s) => s);
  }

  /** How decoded text is written in a string node. */
  private escapeOf(node: PolicyNode | undefined): Escape {
    if (this.o.dialect === 'json') return compose(jsonEscape, this.outer);
    switch (node && this.read.styles.get(node)) {
      case 'heredoc':
        return templateEscape;
      case 'amp':
        return ampEscape;
      case 'identifier':
        return (s) => s;
      default:
        return this.newStringEscape();
    }
  }

  /** How a new string is escaped: `&{...}` in a policy document that uses it. */
  private newStringEscape(): Escape {
    return this.o.dialect === 'blocks' && [...this.read.styles.values()].includes('amp') ? ampEscape : quotedEscape;
  }

  replaceInString(sv: StringValue, start: number, end: number, text: string): OffsetEdit {
    const span = sv.spanOf(start, end);
    return { offset: span.offset, length: span.length, text: this.escapeOf(sv.node)(text) };
  }

  replaceSpan(span: Span, replacement: string, raw = false): OffsetEdit {
    return replaceSpanIn(this.model, span, replacement, raw, (s) => this.escapeOf(s.node), (v) => this.valueText(v, ''));
  }

  // ---- values ----------------------------------------------------------------------------------

  private indentUnit(): string {
    const m = /\n( +|\t)\S/.exec(this.text);
    if (!m) return '  ';
    return m[1] === '\t' ? '\t' : ' '.repeat(Math.min(m[1].length, 4));
  }

  /** A value in the policy's syntax, its first line where it goes, the others at `indent`. */
  private valueText(value: unknown, indent: string, keyStyle?: KeyStyle): string {
    if (this.o.dialect === 'json') return this.outer(jsonText(value, indent, this.indentUnit(), this.isMultiline()));
    return hclValue(value, indent, this.indentUnit(), this.newStringEscape(), keyStyle ?? this.keyStyle(this.model.root));
  }

  private isMultiline(): boolean {
    // A quoted string holds no line break: JSON text there stays on one line.
    return this.read.jsonIn !== 'quoted';
  }

  /** How the keys of an HCL object are written: as identifiers or quoted, with `=` or `:`. */
  private keyStyle(obj: PolicyNode | undefined): KeyStyle {
    const first = obj?.type === 'object' ? obj.children?.[0] : undefined;
    const k = first?.children?.[0];
    const sep = first?.colonOffset !== undefined ? this.text[first.colonOffset] : '=';
    return { identifiers: !k || this.read.styles.get(k) === 'identifier', sep: sep === ':' ? ':' : '=' };
  }

  private key(k: string, style: KeyStyle): string {
    if (this.o.dialect === 'json') return this.outer(JSON.stringify(k));
    return style.identifiers && IDENTIFIER.test(k) ? k : `"${this.newStringEscape()(k)}"`;
  }

  // ---- finding the place ------------------------------------------------------------------------

  /** The node at a policy path, and the deepest existing node on the way with the rest of the path. */
  private locate(path: PolicyPath): Located {
    return locatePath(this.model.root, path);
  }

  private blockOf(n: PolicyNode | undefined): BlockPlace | undefined {
    return n ? this.read.blocks?.get(n) : undefined;
  }

  setAt(path: PolicyPath, value: unknown, options?: { insertFirst?: boolean; arrayInsertion?: boolean }): OffsetEdit[] {
    const { node, parent, rest } = this.locate(path);
    if (node && !options?.arrayInsertion) {
      const prop = node.parent?.type === 'property' ? node.parent : undefined;
      if (value === undefined) return prop ? this.removeRange(prop) : this.removeItem(node);
      // A value the data source implies (`effect` defaults to Allow) is written as a new attribute.
      if (node.length === 0 && prop && prop.parent) return this.insertProperty(prop.parent, String(prop.children?.[0]?.value), value);
      if (this.blockOf(node)) return [];
      const indent = lineIndent(this.text, prop ? prop.offset : node.offset);
      // A policy document's `actions` and `resources` take lists.
      const inStatement = this.o.dialect === 'blocks' && prop && this.blockOf(prop.parent)?.kind === 'statement';
      const attribute = inStatement ? ATTRIBUTE_OF[String(prop.children?.[0]?.value)] : undefined;
      const v = attribute && LISTS.has(attribute) && typeof value === 'string' ? [value] : value;
      const keys = this.keyStyle(node.type === 'object' ? node : node.parent?.parent);
      return [{ offset: node.offset, length: node.length, text: this.valueText(v, indent, keys) }];
    }
    if (value === undefined || !parent) return [];
    const key = rest[0];
    const nested = nestedValue(rest, value);
    if (parent.type === 'object' && typeof key === 'string') return this.insertProperty(parent, key, nested);
    if (parent.type === 'array') return this.insertItem(parent, nested);
    return [];
  }

  // ---- inserting -------------------------------------------------------------------------------

  private insertProperty(obj: PolicyNode, key: string, value: unknown): OffsetEdit[] {
    const block = this.blockOf(obj);
    if (block) return this.insertIntoBlock(block, key, value);
    if (this.o.dialect === 'blocks') return [];
    const props = obj.children ?? [];
    const last = props[props.length - 1];
    const style = this.keyStyle(obj);
    const multiline = this.text.slice(obj.offset, obj.offset + obj.length).includes('\n');
    const json = this.o.dialect === 'json';
    if (!multiline || !last) {
      const indent = lineIndent(this.text, obj.offset);
      const entry = `${this.key(key, style)}${json ? this.outer(': ') : ` ${style.sep} `}${this.valueText(value, indent, style)}`;
      if (!last) return [{ offset: obj.offset + 1, length: 0, text: json ? entry : ` ${entry} ` }];
      return [{ offset: last.offset + last.length, length: 0, text: json ? this.outer(', ') + entry : `, ${entry}` }];
    }
    const indent = lineIndent(this.text, last.offset);
    const entry = `${this.key(key, style)}${json ? this.outer(': ') : ` ${style.sep} `}${this.valueText(value, indent, style)}`;
    return [this.afterLast(last, entry, indent)];
  }

  /** An element written on its own line after the last one, with the commas the syntax needs. */
  private afterLast(last: PolicyNode, entry: string, indent: string): OffsetEdit {
    const end = last.offset + last.length;
    const after = nextSignificant(this.text, end);
    if (this.o.dialect === 'json') return { offset: end, length: 0, text: this.outer(`,\n${indent}`) + entry };
    // HCL: a comma after the last element is kept, and the new one gets one too.
    if (this.text[after] === ',') return { offset: after + 1, length: 0, text: `\n${indent}${entry},` };
    return { offset: end, length: 0, text: `\n${indent}${entry}` };
  }

  private insertItem(list: PolicyNode, value: unknown): OffsetEdit[] {
    const items = list.children ?? [];
    const last = items[items.length - 1];
    if (!last) return [{ offset: list.offset + 1, length: 0, text: this.valueText(value, lineIndent(this.text, list.offset)) }];
    const indent = lineIndent(this.text, last.offset);
    // One item per line when the last one has its own line; else on the line of the last.
    if (!this.startsLine(last) || indent === lineIndent(this.text, list.offset)) {
      const sep = this.o.dialect === 'json' ? this.outer(', ') : ', ';
      return [{ offset: last.offset + last.length, length: 0, text: sep + this.valueText(value, indent) }];
    }
    const end = last.offset + last.length;
    const after = nextSignificant(this.text, end);
    const text = this.valueText(value, indent);
    if (this.o.dialect === 'json') return [{ offset: end, length: 0, text: this.outer(`,\n${indent}`) + text }];
    if (this.text[after] === ',') return [{ offset: after + 1, length: 0, text: `\n${indent}${text},` }];
    return [{ offset: end, length: 0, text: `,\n${indent}${text}` }];
  }

  private startsLine(n: PolicyNode): boolean {
    const lineStart = this.text.lastIndexOf('\n', n.offset - 1) + 1;
    return /^[ \t]*$/.test(this.text.slice(lineStart, n.offset));
  }

  /** A new attribute or block in an `aws_iam_policy_document` block. */
  private insertIntoBlock(block: BlockPlace, key: string, value: unknown): OffsetEdit[] {
    const unit = this.indentUnit();
    const lastBlock = block.spans[block.spans.length - 1];
    const blockIndent = lineIndent(this.text, lastBlock.start);
    if (block.kind === 'statement') {
      const inner = blockIndent + unit;
      let text: string;
      if (key === 'Condition') text = conditionBlocks(value, inner, unit, this.newStringEscape());
      else {
        const attr = ATTRIBUTE_OF[key];
        if (!attr) return [];
        const v = LISTS.has(attr) && typeof value === 'string' ? [value] : value;
        text = `${attr} = ${hclValue(v, inner, unit, this.newStringEscape(), HCL_KEYS)}`;
      }
      if (!text) return [];
      return [this.beforeClose(lastBlock, text, inner)];
    }
    if (block.kind === 'condition' || block.kind === 'operator') {
      const ops = block.kind === 'condition' ? { [key]: value } : { [block.test ?? '']: { [key]: value } };
      if (block.kind === 'operator' && block.test === undefined) return [];
      const text = conditionBlocks(ops, blockIndent, unit, this.newStringEscape());
      return text ? [{ offset: lastBlock.end, length: 0, text: `\n${blockIndent}${text}` }] : [];
    }
    return [];
  }

  /** Text on its own line before a block's closing brace. */
  private beforeClose(b: BlockSpan, text: string, indent: string): OffsetEdit {
    const lineStart = this.text.lastIndexOf('\n', b.close - 1) + 1;
    if (lineStart > b.start && /^[ \t]*$/.test(this.text.slice(lineStart, b.close))) {
      return { offset: lineStart, length: 0, text: `${indent}${text}\n` };
    }
    return { offset: b.close, length: 0, text: ` ${text} ` };
  }

  // ---- removing --------------------------------------------------------------------------------

  /** Removes a property or a list item: its whole line(s) when it has them to itself, else with its comma. */
  private removeRange(node: PolicyNode): OffsetEdit[] {
    const block = node.type === 'property' ? this.blockOf(node.children?.[1]) : undefined;
    if (block) {
      // A property read from blocks (a `Condition`): each of its blocks, line by line.
      const edits = block.spans.map((s) => this.removeLines(s.start, s.end));
      return edits.every((e) => e) ? (edits as OffsetEdit[]) : [];
    }
    if (node.length === 0) return [];
    const lines = this.o.dialect !== 'json' ? this.removeLines(node.offset, node.offset + node.length, true) : undefined;
    if (lines) return [lines];
    const before = prevSignificant(this.text, node.offset);
    if (before >= 0 && this.text[before] === ',') return [{ offset: before, length: node.offset + node.length - before, text: '' }];
    const after = nextSignificant(this.text, node.offset + node.length);
    if (this.text[after] === ',') return [{ offset: node.offset, length: nextSignificant(this.text, after + 1) - node.offset, text: '' }];
    return [{ offset: node.offset, length: node.length, text: '' }];
  }

  /** The lines [start, end) occupy, when nothing else is on them (a trailing comma and a comment may be). */
  private removeLines(start: number, end: number, allowComma = false): OffsetEdit | undefined {
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    if (!/^[ \t]*$/.test(this.text.slice(lineStart, start))) return undefined;
    const nl = this.text.indexOf('\n', end);
    const lineEnd = nl === -1 ? this.text.length : nl;
    const rest = this.text.slice(end, lineEnd);
    if (!(allowComma ? /^\s*,?\s*(#.*|\/\/.*)?$/ : /^\s*(#.*|\/\/.*)?$/).test(rest)) return undefined;
    return { offset: lineStart, length: Math.min(this.text.length, lineEnd + 1) - lineStart, text: '' };
  }

  removeItem(item: PolicyNode): OffsetEdit[] {
    if (item.parent?.type !== 'array') return [];
    return this.removeRange(item);
  }

  removeProperty(prop: Property): OffsetEdit[] {
    return this.removeRange(prop.node);
  }

  // ---- statements ------------------------------------------------------------------------------

  editStatement(st: StatementModel, first: OffsetEdit[], changes: StatementChange[], options?: { arrayInsertion?: boolean }): OffsetEdit[] {
    return editStatementByPaths(this, this.model, st, first, changes, options);
  }

  insertStatements(after: StatementModel | undefined, statements: unknown[]): OffsetEdit[] {
    const list = this.model.statementProp?.value;
    if (list?.type !== 'array') return [];
    const prev = after ? list.children?.[after.index] : list.children?.[list.children.length - 1];
    if (!prev) return [];
    const block = this.blockOf(prev);
    if (block) {
      const s = block.spans[0];
      const indent = lineIndent(this.text, s.start);
      const texts = statements.map((v) => statementBlock(v, indent, this.indentUnit(), this.newStringEscape()));
      if (texts.some((t) => !t)) return [];
      return [{ offset: s.end, length: 0, text: texts.map((t) => `\n\n${indent}${t}`).join('') }];
    }
    const edits: OffsetEdit[] = [];
    for (const s of statements) edits.push(...this.insertItem(list, s));
    return joinInserts(edits);
  }

  splitStatement(_st: StatementModel, _variants: StatementChange[][]): OffsetEdit[] {
    // Rewriting a whole statement would lose its comments and layout: not offered here.
    return [];
  }

  toList(item: StringValue, add: string, where: 'before' | 'after'): OffsetEdit[] {
    const own = this.text.substr(item.span.offset, item.span.length);
    const extra = this.valueText(add, '');
    const parts = where === 'before' ? [extra, own] : [own, extra];
    const sep = this.o.dialect === 'json' ? this.outer(', ') : ', ';
    return [{ offset: item.span.offset, length: item.span.length, text: `[${parts.join(sep)}]` }];
  }
}

interface KeyStyle {
  identifiers: boolean;
  sep: '=' | ':';
}

const HCL_KEYS: KeyStyle = { identifiers: true, sep: '=' };

/** A JSON value as HCL: lists on one line, objects on their own lines at `indent`. */
function hclValue(v: unknown, indent: string, unit: string, escape: Escape, keys: KeyStyle): string {
  if (typeof v === 'string') return `"${escape(v)}"`;
  if (Array.isArray(v)) {
    if (v.some((x) => x && typeof x === 'object' && !Array.isArray(x))) {
      const inner = indent + unit;
      return `[\n${v.map((x) => `${inner}${hclValue(x, inner, unit, escape, keys)},`).join('\n')}\n${indent}]`;
    }
    return `[${v.map((x) => hclValue(x, indent, unit, escape, keys)).join(', ')}]`;
  }
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (!entries.length) return '{}';
    const inner = indent + unit;
    const key = (k: string) => (keys.identifiers && IDENTIFIER.test(k) ? k : `"${escape(k)}"`);
    return `{\n${entries.map(([k, x]) => `${inner}${key(k)} ${keys.sep} ${hclValue(x, inner, unit, escape, keys)}`).join('\n')}\n${indent}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A JSON value as JSON text; objects and lists of objects over lines at `indent` when the place allows. */
function jsonText(v: unknown, indent: string, unit: string, multiline: boolean): string {
  if (!multiline) return JSON.stringify(v).replace(/,(?=["{[])/g, ', ').replace(/":(?=\S)/g, '": ');
  return JSON.stringify(v, null, unit).split('\n').join(`\n${indent}`);
}

/** `condition` blocks for `{operator: {key: value(s)}}`, each at `indent`. */
function conditionBlocks(ops: unknown, indent: string, unit: string, escape: Escape): string {
  if (!ops || typeof ops !== 'object') return '';
  const out: string[] = [];
  for (const [test, keys] of Object.entries(ops as Record<string, unknown>)) {
    if (!keys || typeof keys !== 'object') return '';
    for (const [variable, values] of Object.entries(keys as Record<string, unknown>)) {
      const list = (Array.isArray(values) ? values : [values]).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
      const inner = indent + unit;
      out.push([
        'condition {',
        `${inner}test     = "${escape(test)}"`,
        `${inner}variable = "${escape(variable)}"`,
        `${inner}values   = [${list.map((x) => `"${escape(x)}"`).join(', ')}]`,
        `${indent}}`,
      ].join('\n'));
    }
  }
  return out.join(`\n${indent}`);
}

/** A `statement` block for a statement value. */
function statementBlock(st: unknown, indent: string, unit: string, escape: Escape): string {
  if (!st || typeof st !== 'object') return '';
  const inner = indent + unit;
  const lines: string[] = [];
  for (const [k, v] of Object.entries(st as Record<string, unknown>)) {
    if (k === 'Condition') {
      const c = conditionBlocks(v, inner, unit, escape);
      if (!c) return '';
      lines.push(`${inner}${c}`);
      continue;
    }
    const attr = ATTRIBUTE_OF[k];
    if (!attr) return '';
    const value = LISTS.has(attr) && typeof v === 'string' ? [v] : v;
    lines.push(`${inner}${attr} = ${hclValue(value, inner, unit, escape, HCL_KEYS)}`);
  }
  return `statement {\n${lines.join('\n')}\n${indent}}`;
}
