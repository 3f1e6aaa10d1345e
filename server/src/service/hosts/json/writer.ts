/**
 * The JSON host's writer: fixes as minimal edits of JSON text, in the document's own layout.
 * Structural edits go through jsonc-parser `modify` with the document's indentation; in-string
 * edits replace exactly the characters at fault, escaped for a JSON string.
 */
import { applyEdits, findNodeAtLocation, modify, parseTree, type EditResult, type FormattingOptions, type JSONPath } from 'jsonc-parser';
import type { PolicyModel, Property, StatementModel } from '../../policy/model';
import type { PolicyNode, StringValue } from '../../policy/tree';
import { applyOffsetEdits, diffEdits, type OffsetEdit } from '../../text/edits';
import { lineIndent, prevSignificant } from '../../text/lines';
import type { Span } from '../../text/span';
import { stringAt } from '../../fixes/helpers';
import type { PolicyPath, PolicyWriter, StatementChange } from '../../fixes/types';

/** Formatting options with the fields fixes rely on. */
export type Formatting = FormattingOptions & { tabSize: number; insertSpaces: boolean; eol: string };

/** Indentation and line ends as the document already uses them. */
function inferFormatting(text: string): Formatting {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let insertSpaces = true;
  let tabSize = 2;
  // The smallest indentation of a line (a loop, not Math.min(...): 30,000 lines overflow the call stack).
  let min = Infinity;
  for (const m of text.matchAll(/^([ \t]+)\S/gm)) {
    if (m[1].includes('\t')) {
      insertSpaces = false;
      tabSize = 4;
      break;
    }
    if (m[1].length < min) min = m[1].length;
  }
  if (insertSpaces && min !== Infinity) tabSize = min > 0 && min <= 8 ? min : 2;
  return { tabSize, insertSpaces, eol, insertFinalNewline: false };
}

function indentUnit(fmt: Formatting): string {
  return fmt.insertSpaces ? ' '.repeat(fmt.tabSize) : '\t';
}

/** JSON-escapes text that goes inside a string literal. */
function escapeForString(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

function toOffsetEdits(results: EditResult): OffsetEdit[] {
  return results.map((e) => ({ offset: e.offset, length: e.length, text: e.content }));
}

/**
 * The formatting for a change at `path`: the document's, unless the object or array that receives
 * the change is written on one line, where formatting would re-layout the whole line; there the
 * new text is written compactly like its neighbours.
 */
function formattingAt(text: string, path: JSONPath, fmt: Formatting): Formatting | undefined {
  const root = parseTree(text);
  if (!root) return fmt;
  for (let k = path.length - 1; k >= 0; k--) {
    const n = findNodeAtLocation(root, path.slice(0, k));
    if (!n) continue;
    return text.slice(n.offset, n.offset + n.length).includes('\n') ? fmt : undefined;
  }
  return fmt;
}

/** Adds one indentation unit to every line but the first. */
function reindent(text: string, unit: string, eol: string): string {
  return text.split(/\r?\n/).join(eol + unit);
}

export class JsonWriter implements PolicyWriter {
  readonly fmt: Formatting;
  private readonly text: string;

  constructor(private readonly model: PolicyModel) {
    this.text = model.text;
    this.fmt = inferFormatting(model.text);
  }

  replaceInString(sv: StringValue, start: number, end: number, text: string): OffsetEdit {
    const span = sv.spanOf(start, end);
    return { offset: span.offset, length: span.length, text: escapeForString(text) };
  }

  replaceSpan(span: Span, replacement: string, raw = false): OffsetEdit {
    if (raw) return { offset: span.offset, length: span.length, text: replacement };
    const s = stringAt(this.model, span);
    const inside = s && span.offset > s.span.offset && span.offset + span.length < s.span.offset + s.span.length;
    if (inside) return { offset: span.offset, length: span.length, text: escapeForString(replacement) };
    // A finding on an empty string points at the whole literal `""`: its suggestions are contents.
    const whole = s && span.offset === s.span.offset && span.length === s.span.length;
    if (whole && !replacement.startsWith('"')) return { offset: span.offset, length: span.length, text: JSON.stringify(replacement) };
    return { offset: span.offset, length: span.length, text: replacement };
  }

  setAt(path: PolicyPath, value: unknown, options?: { insertFirst?: boolean; arrayInsertion?: boolean }): OffsetEdit[] {
    const root = this.model.root;
    if (options?.insertFirst && path.length === 1 && typeof path[0] === 'string' && root?.type === 'object' && root.children?.length) {
      // Before the first property, in its layout: on its own line when properties are, else inline.
      const first = root.children[0];
      const between = this.text.slice(root.offset + 1, first.offset);
      const colon = /^[^"]*"[^"]*"(\s*):(\s*)/.exec(this.text.slice(first.offset, first.offset + first.length));
      const prop = `${JSON.stringify(path[0])}${colon?.[1] ?? ''}:${colon ? colon[2] : ' '}${JSON.stringify(value)},`;
      const text = between.includes('\n') ? `${prop}${this.fmt.eol}${lineIndent(this.text, first.offset)}` : `${prop}${between}`;
      return [{ offset: first.offset, length: 0, text }];
    }
    try {
      return toOffsetEdits(
        modify(this.text, path, value, {
          formattingOptions: formattingAt(this.text, path, this.fmt),
          isArrayInsertion: options?.arrayInsertion,
          getInsertionIndex: options?.insertFirst ? () => 0 : undefined,
        }),
      );
    } catch {
      return [];
    }
  }

  /**
   * Only the statement's text is parsed, so the cost does not grow with the policy; in-string and
   * structural edits are never computed on the same text (formatting may touch whole lines).
   */
  editStatement(st: StatementModel, first: OffsetEdit[], changes: StatementChange[], options?: { arrayInsertion?: boolean }): OffsetEdit[] {
    const start = st.node.offset;
    const end = start + st.node.length;
    if (first.some((e) => e.offset < start || e.offset + e.length > end)) return [];
    const indent = lineIndent(this.text, start);
    const old = this.text.slice(start, end);
    let text = indent + applyOffsetEdits(old, first.map((e) => ({ ...e, offset: e.offset - start })));
    try {
      for (const [path, value] of changes) {
        text = applyEdits(text, modify(text, path, value, { formattingOptions: formattingAt(text, path, this.fmt), isArrayInsertion: options?.arrayInsertion }));
      }
    } catch {
      return [];
    }
    if (!text.startsWith(indent)) return [];
    return diffEdits(old, text.slice(indent.length)).map((e) => ({ ...e, offset: e.offset + start }));
  }

  /** JSON text for a new value, indented to sit at `indent` (first line not indented). */
  private jsonText(value: unknown, indent: string): string {
    const raw = JSON.stringify(value, null, indentUnit(this.fmt));
    return raw.split('\n').join(this.fmt.eol + indent);
  }

  insertStatements(after: StatementModel | undefined, statements: unknown[]): OffsetEdit[] {
    const m = this.model;
    const sv = m.statementProp?.value;
    if (!sv) {
      if (m.root?.type !== 'object') return [];
      return this.setAt(['Statement'], statements);
    }
    if (sv.type === 'array') {
      const children = sv.children ?? [];
      const prev = after ? children[after.index] : children[children.length - 1];
      if (!prev) return this.setAt(['Statement'], statements);
      // After the previous statement, in its layout (never re-parsing the whole document).
      const compact = !this.text.slice(sv.offset, sv.offset + sv.length).includes('\n');
      const indent = lineIndent(this.text, prev.offset);
      const text = statements.map((s) => (compact ? `, ${JSON.stringify(s)}` : `,${this.fmt.eol}${indent}${this.jsonText(s, indent)}`)).join('');
      return [{ offset: prev.offset + prev.length, length: 0, text }];
    }
    if (sv.type === 'object') {
      // `"Statement": {...}` → `"Statement": [{...}, {...}]`
      const indent = lineIndent(this.text, m.statementProp!.node.offset);
      const unit = indentUnit(this.fmt);
      const inner = indent + unit;
      const original = reindent(this.text.slice(sv.offset, sv.offset + sv.length), unit, this.fmt.eol);
      const parts = [original, ...statements.map((s) => this.jsonText(s, inner))];
      return [{ offset: sv.offset, length: sv.length, text: `[${this.fmt.eol}${inner}${parts.join(`,${this.fmt.eol}${inner}`)}${this.fmt.eol}${indent}]` }];
    }
    return [];
  }

  /** The statement's text with `changes` applied (each a path inside the statement and a value). */
  private rewriteStatementText(st: StatementModel, changes: StatementChange[]): string {
    let text = this.text.slice(st.node.offset, st.node.offset + st.node.length);
    // The statement text is formatted as in the document: its lines keep their indentation.
    const firstIndent = lineIndent(this.text, st.node.offset);
    text = firstIndent + text;
    for (const [path, value] of changes) {
      const edits = modify(text, path, value, { formattingOptions: formattingAt(text, path, this.fmt) });
      text = applyEdits(text, edits);
    }
    return text.slice(firstIndent.length);
  }

  splitStatement(st: StatementModel, variants: StatementChange[][]): OffsetEdit[] {
    const texts = variants.map((changes) => this.rewriteStatementText(st, changes));
    if (texts.length < 2) return [];
    const indent = lineIndent(this.text, st.node.offset);
    if (!this.model.statementIsArray) {
      // A single statement object becomes an array of statements.
      const unit = indentUnit(this.fmt);
      const inner = indent + unit;
      const body = texts.map((t) => t.split(/\r?\n/).join(this.fmt.eol + unit)).join(`,${this.fmt.eol}${inner}`);
      return [{ offset: st.node.offset, length: st.node.length, text: `[${this.fmt.eol}${inner}${body}${this.fmt.eol}${indent}]` }];
    }
    return [{ offset: st.node.offset, length: st.node.length, text: texts.join(`,${this.fmt.eol}${indent}`) }];
  }

  removeItem(item: PolicyNode): OffsetEdit[] {
    const list = item.parent;
    if (list?.type !== 'array') return [];
    // The item and the comma before it; the first item, and the comma after it.
    const before = prevSignificant(this.text, item.offset);
    if (before >= 0 && this.text[before] === ',') return [{ offset: before, length: item.offset + item.length - before, text: '' }];
    const i = list.children?.indexOf(item) ?? -1;
    const next = i >= 0 ? list.children?.[i + 1] : undefined;
    if (next) return [{ offset: item.offset, length: next.offset - item.offset, text: '' }];
    return [{ offset: item.offset, length: item.length, text: '' }];
  }

  removeProperty(prop: Property): OffsetEdit[] {
    const st = this.model.statements.find((s) => s.node.offset <= prop.node.offset && prop.node.offset + prop.node.length <= s.node.offset + s.node.length);
    return st ? this.editStatement(st, [], [[[prop.key], undefined]]) : this.setAt([prop.key], undefined);
  }

  toList(item: StringValue, add: string, where: 'before' | 'after'): OffsetEdit[] {
    const own = this.text.substr(item.span.offset, item.span.length);
    const parts = where === 'before' ? [JSON.stringify(add), own] : [own, JSON.stringify(add)];
    return [{ offset: item.span.offset, length: item.span.length, text: `[${parts.join(', ')}]` }];
  }
}
