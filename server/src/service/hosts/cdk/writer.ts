/**
 * Fixes in CDK code, in the file's own syntax. Text inside a string literal is escaped for that
 * literal (`\'` in a quoted string, `\${` in a template literal, doubled braces in an f-string,
 * JSON escapes and then the literal's own in a policy held as JSON text). New structure is written
 * as the file writes it: a TypeScript object literal (`{ Bool: { 'iot:...': 'true' } }`, keys quoted
 * only when the policy quotes them), a Python dict, the CDK's own spelling inside a
 * `PolicyStatement` (`conditions:`, `actions: [...]`, `effect: iam.Effect.DENY`, keyword arguments
 * in Python), on new lines at the neighbours' indentation when the neighbours are on lines of their
 * own. Comments and everything else are left as they are.
 */
import { editStatementByPaths, joinInserts, locatePath, nestedValue, type Located } from '../../fixes/paths';
import type { PolicyModel, Property, StatementModel } from '../../policy/model';
import type { PolicyNode, StringValue } from '../../policy/tree';
import { applyOffsetEdits, type OffsetEdit } from '../../text/edits';
import { lineIndent } from '../../text/lines';
import type { Span } from '../../text/span';
import { stringAt } from '../../fixes/helpers';
import type { PolicyPath, PolicyWriter, StatementChange } from '../../fixes/types';
import type { CodeLanguage, LiteralIndex } from './file';
import type { Escape, Literal } from './literals';
import { iamKeyFor, type Container, type Dialect, type PolicyBuild } from './tree';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** How the policy writes its strings and keys (read from its own literals). */
export interface CodeStyle {
  quote: string;
  /** TypeScript: keys such as `Effect` are written quoted. */
  quoteKeys: boolean;
  eol: string;
  unit: string;
}

export function codeStyle(model: PolicyModel, build: PolicyBuild, literals: LiteralIndex, language: CodeLanguage): CodeStyle {
  const text = model.text;
  let single = 0;
  let double = 0;
  let quotedKeys = 0;
  let bareKeys = 0;
  for (const [n, sv] of build.strings) {
    const c = text[sv.span.offset];
    const lit = literals.at(sv.span.offset + 1);
    if (lit?.outer) continue;
    if (c === "'") single++;
    else if (c === '"') double++;
    const p = n.parent;
    if (p?.type === 'property' && p.children?.[0] === n && IDENTIFIER.test(sv.value)) {
      const container = p.parent && build.containers.get(p.parent);
      if (container?.style !== 'plain' || container.dialect !== 'ts') continue;
      if (c === "'" || c === '"') quotedKeys++;
      else if (sv.span.length > 0) bareKeys++;
    }
  }
  const fallback = language === 'python' ? '"' : "'";
  const quote = single > double ? "'" : double > single ? '"' : fallback;
  const m = /\n([ \t]+)\S/.exec(text);
  const unit = m?.[1].startsWith('\t') ? '\t' : language === 'python' ? '    ' : m && m[1].length <= 8 ? ' '.repeat(Math.min(m[1].length, 4)) : '  ';
  return { quote, quoteKeys: quotedKeys > bareKeys, eol: text.includes('\r\n') ? '\r\n' : '\n', unit };
}

/** A string as a literal of the dialect (`'a'` in TypeScript with single quotes, `"a"` in JSON). */
export function quoteString(s: string, dialect: Dialect, quote: string): string {
  if (dialect === 'json') return JSON.stringify(s);
  const body = s.replace(/[\\\n\r\t]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!).split(quote).join(`\\${quote}`);
  return `${quote}${body}${quote}`;
}

/** A plain value as a literal of the dialect, on one line. */
function valueText(value: unknown, dialect: Dialect, style: CodeStyle): string {
  if (typeof value === 'string') return quoteString(value, dialect, style.quote);
  if (value === null || value === undefined) return dialect === 'py' ? 'None' : 'null';
  if (typeof value === 'boolean') return dialect === 'py' ? (value ? 'True' : 'False') : String(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => valueText(v, dialect, style)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (!entries.length) return '{}';
  const body = entries.map(([k, v]) => `${keyText(k, dialect, style)}: ${valueText(v, dialect, style)}`).join(', ');
  return dialect === 'ts' ? `{ ${body} }` : `{${body}}`;
}

export function keyText(k: string, dialect: Dialect, style: CodeStyle): string {
  if (dialect === 'ts' && !style.quoteKeys && IDENTIFIER.test(k)) return k;
  return quoteString(k, dialect, style.quote);
}

const ARRAY_KEYS = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);

/** A policy value where the CDK takes it (`actions: [...]`, `effect: iam.Effect.DENY`). */
function iamValue(key: string, value: unknown, dialect: Dialect, style: CodeStyle, effect: string): string | undefined {
  if (key === 'Effect') return value === 'Allow' || value === 'Deny' ? `${effect}.${String(value).toUpperCase()}` : undefined;
  if (ARRAY_KEYS.has(key)) return valueText(Array.isArray(value) ? value : [value], dialect, style);
  if (key === 'Condition' || key === 'Sid') return valueText(value, dialect, style);
  return undefined;
}

/**
 * How a new statement is laid out: on one line, or like a neighbour written over several lines
 * (each property on a line of its own at `indent` + `unit`, a trailing comma when it has one).
 */
export interface Layout {
  indent: string;
  unit: string;
  eol: string;
  trailingComma: boolean;
}

/** Entries between an opening and a closing text, on one line or laid out over several. */
function wrap(open: string, entries: string[], close: string, layout: Layout | undefined, pad: string): string {
  if (!layout) return `${open}${pad}${entries.join(', ')}${pad}${close}`;
  const inner = layout.indent + layout.unit;
  const tail = layout.trailingComma ? ',' : '';
  return `${open}${layout.eol}${entries.map((e) => inner + e).join(`,${layout.eol}`)}${tail}${layout.eol}${layout.indent}${close}`;
}

/** A statement (plain value) as an object literal of the dialect. */
function statementText(st: Record<string, unknown>, dialect: Dialect, style: CodeStyle, layout: Layout | undefined): string {
  const entries = Object.entries(st).map(([k, v]) => `${keyText(k, dialect, style)}: ${valueText(v, dialect, style)}`);
  return wrap('{', entries, '}', layout, dialect === 'ts' ? ' ' : '');
}

/** A statement as `new iam.PolicyStatement({...})` (`iam.PolicyStatement(...)` in Python). */
function iamStatementText(st: Record<string, unknown>, dialect: Dialect, style: CodeStyle, ctor: string, effect: string, layout: Layout | undefined): string | undefined {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(st)) {
    const name = iamKeyFor(k, dialect);
    const value = iamValue(k, v, dialect, style, effect);
    if (!name || value === undefined) return undefined;
    parts.push(dialect === 'py' ? `${name}=${value}` : `${name}: ${value}`);
  }
  return dialect === 'py' ? wrap(`${ctor}(`, parts, ')', layout, '') : `new ${wrap(`${ctor}({`, parts, '})', layout, ' ')}`;
}

/** Whether a value is or holds an unknown value (JSON text's `"Action": ${actions}`). */
function holdsOpaque(n: PolicyNode): boolean {
  return n.type === 'opaque' || (n.children ?? []).some(holdsOpaque);
}

export class CodeWriter implements PolicyWriter {
  private readonly text: string;
  private styleCache?: CodeStyle;

  constructor(
    private readonly model: PolicyModel,
    private readonly build: PolicyBuild,
    private readonly literals: LiteralIndex,
    private readonly language: CodeLanguage,
  ) {
    this.text = model.text;
  }

  private get style(): CodeStyle {
    this.styleCache ??= codeStyle(this.model, this.build, this.literals, this.language);
    return this.styleCache;
  }

  /** Nothing is written (the place is not text of the file: an enum, a value the CDK adds). */
  private none(at: number): OffsetEdit {
    return { offset: at, length: 0, text: '' };
  }

  /** The literal whose content holds a span, unless the span touches a substitution. */
  private literalFor(span: Span): Literal | undefined {
    const lit = this.literals.at(span.offset, span.offset + span.length);
    if (!lit) return undefined;
    const end = span.offset + span.length;
    if (lit.holes.some((h) => h.offset < end && h.offset + h.length > span.offset)) return undefined;
    return lit;
  }

  replaceInString(sv: StringValue, start: number, end: number, text: string): OffsetEdit {
    const span = sv.spanOf(start, end);
    const lit = this.literalFor(span);
    if (!lit) return this.none(span.offset);
    return { offset: span.offset, length: span.length, text: lit.escape(text) };
  }

  /** A literal of the file exactly at `span` (its delimiters included). */
  private literalAt(span: Span): Literal | undefined {
    const lit = this.literals.around(span.offset);
    return lit && lit.span.offset === span.offset && lit.span.length === span.length ? lit : undefined;
  }

  /** The JSON text literal around `span`, when the policy is JSON text in a string: its escape. */
  private jsonTextEscape(span: Span): Escape | undefined {
    for (const c of this.build.containers.values()) {
      if (c.dialect === 'json' && c.outer && span.offset >= c.open - 1 && span.offset <= c.close + 1) return c.outer;
    }
    return undefined;
  }

  replaceSpan(span: Span, replacement: string, raw = false): OffsetEdit {
    const inner = this.literals.at(span.offset, span.offset + span.length);
    if (raw) {
      const whole = this.literalAt(span);
      // A whole literal replaced by a JSON string (`"2012-10-17"`): written with the literal's own quotes.
      if (whole && !whole.outer && /^".*"$/s.test(replacement)) {
        try {
          const v = JSON.parse(replacement) as unknown;
          if (typeof v === 'string') return { ...span, text: this.retype(whole, v) };
        } catch {
          // not a JSON string: written as it is
        }
      }
      if (inner?.outer) return { ...span, text: inner.outer(replacement) };
      const json = this.jsonTextEscape(span);
      return { ...span, text: json ? json(replacement) : replacement };
    }
    const s = stringAt(this.model, span);
    const lit = this.literalFor(span);
    if (s && lit && s.value.length > 0) return { ...span, text: lit.escape(replacement) };
    const whole = s && span.offset === s.span.offset && span.length === s.span.length ? this.literalAt(span) : undefined;
    if (whole && !replacement.startsWith('"') && !replacement.startsWith("'")) return { ...span, text: this.retype(whole, replacement) };
    return { ...span, text: replacement };
  }

  /** A new value for a whole literal, in its own delimiters. */
  private retype(lit: Literal, value: string): string {
    const open = this.text.slice(lit.span.offset, lit.content.offset);
    const close = this.text.slice(lit.content.offset + lit.content.length, lit.span.offset + lit.span.length);
    return `${open}${lit.escape(value)}${close}`;
  }

  // ---- structure -----------------------------------------------------------------------------

  private locate(path: PolicyPath): Located {
    return locatePath(this.model.root, path, (p) => this.build.synthetics.has(p));
  }

  /** The children of a container written inside it (not the ones the CDK adds or `add...` calls bring). */
  private written(n: PolicyNode, c: Container): PolicyNode[] {
    return (n.children ?? []).filter((k) => !this.build.synthetics.has(k) && k.length > 0 && k.offset >= c.open && k.offset + k.length <= c.close);
  }

  /** The key of a property node. */
  private keyOf(p: PolicyNode | undefined): string | undefined {
    const k = p?.type === 'property' ? p.children?.[0]?.value : undefined;
    return typeof k === 'string' ? k : undefined;
  }

  /** `value` as the text of the property `key` of an object written in `c`. */
  private valueIn(c: Container | undefined, key: string | undefined, value: unknown): string | undefined {
    const dialect = c?.dialect ?? (this.language === 'python' ? 'py' : 'ts');
    if (c && c.style !== 'plain') {
      if (c.statements || key === undefined) return undefined;
      return iamValue(key, value, dialect, this.style, c.effect ?? 'iam.Effect');
    }
    return valueText(value, dialect, this.style);
  }

  /** `key: value` (`"key": value`, `key=value`) for an object written in `c`. */
  private entryIn(c: Container, key: string, value: unknown): string | undefined {
    if (c.style === 'plain') return `${keyText(key, c.dialect, this.style)}: ${valueText(value, c.dialect, this.style)}`;
    const name = iamKeyFor(key, c.dialect);
    const v = this.valueIn(c, key, value);
    if (!name || v === undefined) return undefined;
    return c.style === 'kwargs' ? `${name}=${v}` : `${name}: ${v}`;
  }

  /** An item of a list written in `c` (a statement of an iam document's `statements`), laid out as its neighbours. */
  private itemIn(c: Container, value: unknown, list?: PolicyNode): string | undefined {
    const statement = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    const layout = statement && list && c.dialect !== 'json' ? this.layoutOf(list, c) : undefined;
    if (c.statements && statement) return iamStatementText(statement, c.dialect, this.style, c.statements.ctor, c.statements.effect, layout);
    if (statement) return statementText(statement, c.dialect, this.style, layout);
    return valueText(value, c.dialect, this.style);
  }

  /** The layout of the last object written over several lines in a list, if its items are. */
  private layoutOf(list: PolicyNode, c: Container): Layout | undefined {
    const kids = this.written(list, c);
    const last = kids[kids.length - 1];
    if (!last || (last.type !== 'object' && last.type !== 'opaque')) return undefined;
    const src = this.text.slice(last.offset, last.offset + last.length);
    const lines = src.split('\n');
    if (lines.length < 3) return undefined;
    const indent = lineIndent(this.text, last.offset);
    const inner = /^([ \t]*)/.exec(lines[1])![1];
    if (!inner.startsWith(indent) || inner.length <= indent.length) return undefined;
    const trailingComma = /,\s*$/.test(lines[lines.length - 2]);
    return { indent, unit: inner.slice(indent.length), eol: this.style.eol, trailingComma };
  }

  /** Text written in a container: raw JSON goes through the escape of the literal that holds it. */
  private out(c: Container | undefined, s: string): string {
    return c?.outer ? c.outer(s) : s;
  }

  setAt(path: PolicyPath, value: unknown, options?: { insertFirst?: boolean; arrayInsertion?: boolean }): OffsetEdit[] {
    const { node, parent, rest } = this.locate(path);
    if (node && !options?.arrayInsertion) {
      const holder = node.parent?.type === 'property' ? node.parent : node;
      if (value === undefined) return this.removeRange(holder);
      const owner = holder.parent;
      const c = owner ? this.build.containers.get(owner) : undefined;
      if (!c || holder.offset < c.open || holder.offset + holder.length > c.close + 1) return [];
      // A value that holds code or a template placeholder cannot be rewritten without losing it.
      if (this.literals.holeWithin(node) || (c.dialect === 'json' && holdsOpaque(node))) return [];
      const text = holder === node ? this.itemIn(c, value) : this.valueIn(c, this.keyOf(holder), value);
      return text === undefined ? [] : [{ offset: node.offset, length: node.length, text: this.out(c, text) }];
    }
    if (value === undefined || !parent) return [];
    const key = rest[0];
    const nested = nestedValue(rest, value);
    const c = this.build.containers.get(parent);
    if (!c) return [];
    if (parent.type === 'object' && typeof key === 'string') {
      const entry = this.entryIn(c, key, nested);
      return entry === undefined ? [] : this.insert(parent, c, entry, options?.insertFirst ? 0 : undefined);
    }
    if (parent.type === 'array') {
      const item = this.itemIn(c, nested, parent);
      return item === undefined ? [] : this.insert(parent, c, item);
    }
    return [];
  }

  /**
   * Inserts `entry` into a container: after its last written child (or before the child at
   * `before`), on a line of its own at the children's indentation when they have lines of their own.
   */
  private insert(n: PolicyNode, c: Container, entry: string, before?: number, after?: PolicyNode): OffsetEdit[] {
    const kids = this.written(n, c);
    const eol = this.style.eol;
    if (!kids.length) {
      const pad = c.dialect === 'ts' && n.type === 'object' && c.style !== 'kwargs' ? ' ' : '';
      return [{ offset: c.open, length: c.close - c.open, text: this.out(c, `${pad}${entry}${pad}`) }];
    }
    const first = kids[0];
    const multiline = this.text.slice(c.open, first.offset).includes('\n');
    const indent = lineIndent(this.text, first.offset);
    if (before !== undefined) {
      const at = kids[before] ?? first;
      return [{ offset: at.offset, length: 0, text: this.out(c, multiline ? `${entry},${eol}${indent}` : `${entry}, `) }];
    }
    const last = after && kids.includes(after) ? after : kids[kids.length - 1];
    let end = last.offset + last.length;
    let k = end;
    while (k < c.close && /\s/.test(this.text[k])) k++;
    const comma = this.text[k] === ',';
    if (comma) end = k + 1;
    const text = multiline
      ? (comma ? `${eol}${indent}${entry},` : `,${eol}${indent}${entry}`)
      : (comma ? ` ${entry},` : `, ${entry}`);
    return [{ offset: end, length: 0, text: this.out(c, text) }];
  }

  /** Removes a property or list item: its line(s) when it has them to itself, else it and a comma. */
  private removeRange(node: PolicyNode): OffsetEdit[] {
    const owner = node.parent;
    const c = owner ? this.build.containers.get(owner) : undefined;
    if (!c || this.build.synthetics.has(node) || node.length === 0 || node.offset < c.open || node.offset + node.length > c.close) return [];
    const text = this.text;
    const start = node.offset;
    let end = start + node.length;
    let k = end;
    while (k < c.close && /[ \t]/.test(text[k])) k++;
    const commaAfter = text[k] === ',';
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    if (c.dialect !== 'json' && /^[ \t]*$/.test(text.slice(lineStart, start))) {
      let e = commaAfter ? k + 1 : end;
      const nl = text.indexOf('\n', e);
      const restOfLine = text.slice(e, nl === -1 ? text.length : nl);
      if (/^[ \t]*(\/\/.*|#.*)?\r?$/.test(restOfLine) && lineStart > c.open) {
        e = nl === -1 ? text.length : nl;
        return [{ offset: lineStart - 1, length: e - (lineStart - 1), text: '' }];
      }
    }
    // Inline: with the comma before it, else the comma after it.
    let p = start - 1;
    while (p >= c.open && /\s/.test(text[p])) p--;
    if (p >= c.open && text[p] === ',') return [{ offset: p, length: end - p, text: '' }];
    if (commaAfter) {
      end = k + 1;
      while (end < c.close && /[ \t]/.test(text[end])) end++;
      return [{ offset: start, length: end - start, text: '' }];
    }
    return [{ offset: start, length: end - start, text: '' }];
  }

  editStatement(st: StatementModel, first: OffsetEdit[], changes: StatementChange[], options?: { arrayInsertion?: boolean }): OffsetEdit[] {
    return editStatementByPaths(this, this.model, st, first, changes, options);
  }

  insertStatements(after: StatementModel | undefined, statements: unknown[]): OffsetEdit[] {
    const list = this.model.statementProp?.value;
    const c = list && this.build.containers.get(list);
    if (list?.type !== 'array' || !c) return [];
    const prev = after ? list.children?.[after.index] : undefined;
    const texts = statements.map((s) => this.itemIn(c, s, list));
    if (texts.some((t) => t === undefined)) return [];
    const edits = texts.flatMap((t) => this.insert(list, c, t!, undefined, prev));
    return joinInserts(edits);
  }

  splitStatement(st: StatementModel, variants: StatementChange[][]): OffsetEdit[] {
    const list = st.node.parent;
    const c = list && this.build.containers.get(list);
    const node = st.node;
    if (!c || list?.type !== 'array' || node.offset < c.open || node.offset + node.length > c.close) return [];
    const source = this.text.slice(node.offset, node.offset + node.length);
    const texts: string[] = [];
    for (const changes of variants) {
      const edits = this.editStatement(st, [], changes);
      if (!edits.length || edits.some((e) => e.offset < node.offset || e.offset + e.length > node.offset + node.length)) return [];
      texts.push(applyOffsetEdits(source, edits.map((e) => ({ ...e, offset: e.offset - node.offset }))));
    }
    if (texts.length < 2) return [];
    const multiline = this.text.slice(c.open, node.offset).includes('\n');
    const sep = multiline ? `,${this.style.eol}${lineIndent(this.text, node.offset)}` : ', ';
    return [{ offset: node.offset, length: node.length, text: texts.join(this.out(c, sep)) }];
  }

  removeItem(item: PolicyNode): OffsetEdit[] {
    return this.removeRange(item);
  }

  removeProperty(prop: Property): OffsetEdit[] {
    return this.removeRange(prop.node);
  }

  toList(item: StringValue, add: string, where: 'before' | 'after'): OffsetEdit[] {
    const node = item.node;
    const holder = node.parent;
    const owner = holder?.type === 'property' ? holder.parent : undefined;
    const c = owner && this.build.containers.get(owner);
    if (!c || c.style !== 'plain') return [];
    const extra = this.out(c, quoteString(add, c.dialect, this.style.quote));
    const s = item.span;
    return where === 'before'
      ? [{ offset: s.offset, length: 0, text: `[${extra}, ` }, { offset: s.offset + s.length, length: 0, text: ']' }]
      : [{ offset: s.offset, length: 0, text: '[' }, { offset: s.offset + s.length, length: 0, text: `, ${extra}]` }];
  }
}
