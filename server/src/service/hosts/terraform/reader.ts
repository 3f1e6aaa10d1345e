/**
 * HCL values read into the neutral tree, at their exact places in the file:
 * - the argument of `jsonencode({...})`: objects (identifier or string keys, `=` or `:`), tuples,
 *   strings (quoted templates and heredocs), numbers, booleans and null; any other expression
 *   (`var.x`, a function call, a conditional) is an opaque value;
 * - a policy written as JSON text in a heredoc or a quoted string, parsed as JSON through the
 *   template's map;
 * - a `data "aws_iam_policy_document"` block: its `statement` and `condition` blocks read as the
 *   policy they render (`actions` as `Action`, `&{iot:ClientId}` as `${iot:ClientId}`).
 */
import type { Node } from 'web-tree-sitter';
import type { PolicyNode, StringValue } from '../../policy/tree';
import type { Span } from '../../text/span';
import { parseEmbeddedJson, type EmbeddedJson } from '../json/embedded';
import { makeNode, MappedString, setParent } from '../strings';
import { attributeValue, blockBody, blockHeader, kids, traversal, unwrap } from './hcl';
import { commonIndent, decodeTemplate, templateString, type DecodedTemplate, type Piece, type ResolvedText, type TemplateOptions } from './strings';

/** How a string of the policy is written in the file (the writer escapes new text for it). */
export type StringStyle = 'quoted' | 'heredoc' | 'identifier' | 'amp';

/** Where a block is, kept after the tree-sitter tree is gone. */
export interface BlockSpan {
  start: number;
  /** Offset of the closing `}`. */
  close: number;
  end: number;
}

/** What the writer needs to know of an object of a policy read from blocks. */
export interface BlockPlace {
  kind: 'document' | 'statement' | 'condition' | 'operator';
  /** Its block(s): a new attribute or block goes into (or after) the last. */
  spans: BlockSpan[];
  /** `operator`: the test of its condition blocks. */
  test?: string;
}

export interface ReadPolicy {
  root: PolicyNode | undefined;
  strings: Map<PolicyNode, StringValue>;
  /** How each string node is written. */
  styles: Map<PolicyNode, StringStyle>;
  /** JSON text: its parse (for `json-syntax` and the JSON writer). */
  json?: EmbeddedJson;
  /** The template the JSON text is written in: `heredoc` or `quoted`. */
  jsonIn?: 'heredoc' | 'quoted';
  /** JSON text whose structure a directive leaves unknown: its syntax errors are not reported. */
  structureUnknown?: boolean;
  /** Policies read from blocks: the blocks of each object node. */
  blocks?: Map<PolicyNode, BlockPlace>;
}

const MAX_LOCAL_DEPTH = 4;

/** Deeper HCL values than this are opaque: no policy comes near it, and reading them recurses. */
const MAX_DEPTH = 128;

/** Arguments of `aws_iam_policy_document` that add statements from elsewhere. */
const MERGED_DOCUMENTS = ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json'];

/** Element names of a policy document's statement, by attribute or block name. */
const STATEMENT_ATTRIBUTES: Readonly<Record<string, string>> = {
  sid: 'Sid', effect: 'Effect', actions: 'Action', not_actions: 'NotAction', resources: 'Resource', not_resources: 'NotResource',
};

export class HclReader {
  readonly strings = new Map<PolicyNode, StringValue>();
  readonly styles = new Map<PolicyNode, StringStyle>();
  private localDepth = 0;
  /** Reading an `aws_iam_policy_document`, where `&{name}` is a policy variable. */
  private amp = false;

  constructor(
    private readonly text: string,
    private readonly vars: ReadonlyMap<string, string> | undefined,
    private readonly locals: ReadonlyMap<string, Node>,
  ) {}

  // ---- strings ---------------------------------------------------------------------------------

  /** The pieces of a template node's content [start, end): literal text around interpolations and directives. */
  private pieces(n: Node, start: number, end: number): Piece[] {
    const out: Piece[] = [];
    let at = start;
    for (const c of kids(n)) {
      if (c.type !== 'template_interpolation' && c.type !== 'template_directive') continue;
      if (c.startIndex < start || c.endIndex > end) continue;
      if (c.startIndex > at) out.push({ kind: 'text', start: at, end: c.startIndex });
      const label = c.text;
      if (c.type === 'template_interpolation') {
        const path = traversal(kids(c).find((k) => k.type === 'expression'));
        const known = path?.length === 2 && path[0] === 'var' ? this.vars?.get(path[1]) : undefined;
        const resolved = path?.length === 2 && path[0] === 'local' ? this.localText(path[1]) : undefined;
        out.push({ kind: 'interpolation', start: c.startIndex, end: c.endIndex, label, known, resolved });
      } else out.push({ kind: 'directive', start: c.startIndex, end: c.endIndex, label });
      at = c.endIndex;
    }
    if (at < end) out.push({ kind: 'text', start: at, end });
    return out;
  }

  /**
   * The text of a local whose value is a string (`arn = "arn:aws:iot:${var.region}:..."`), read
   * where it is written: a finding in it lands on the local.
   */
  private localText(name: string): ResolvedText | undefined {
    const expr = this.locals.get(name);
    const u = unwrap(expr);
    if (!u || (u.type !== 'string_lit' && u.type !== 'quoted_template') || this.localDepth >= MAX_LOCAL_DEPTH) return undefined;
    this.localDepth++;
    try {
      const d = this.decode(u, { json: false });
      return d && { value: d.decoded.value, map: d.decoded.map, opaque: d.decoded.opaque };
    } finally {
      this.localDepth--;
    }
  }

  /** The content of a quoted string or heredoc node, decoded. */
  decode(n: Node, extra: Omit<TemplateOptions, 'quoted' | 'strip'> = {}): { decoded: DecodedTemplate; style: 'quoted' | 'heredoc' } | undefined {
    if (n.type === 'string_lit' || n.type === 'quoted_template') {
      const open = n.firstChild;
      const close = n.lastChild;
      const start = open?.type === 'quoted_template_start' ? open.endIndex : n.startIndex;
      const end = close?.type === 'quoted_template_end' && !close.isMissing && close !== open ? close.startIndex : n.endIndex;
      const decoded = decodeTemplate(this.text, this.pieces(n, start, end), end, { quoted: true, amp: this.amp, ...extra });
      return { decoded, style: 'quoted' };
    }
    if (n.type === 'heredoc_template') {
      const ids = kids(n).filter((c) => c.type === 'heredoc_identifier');
      const marker = kids(n).find((c) => c.type === 'heredoc_start');
      if (!ids.length) return undefined;
      const nl = this.text.indexOf('\n', ids[0].endIndex);
      const start = nl === -1 ? n.endIndex : nl + 1;
      const closing = ids.length > 1 ? ids[ids.length - 1] : undefined;
      const end = closing ? Math.max(start, this.text.lastIndexOf('\n', closing.startIndex - 1) + 1) : n.endIndex;
      const strip = marker?.text === '<<-' ? commonIndent(this.text, start, end) : 0;
      const decoded = decodeTemplate(this.text, this.pieces(n, start, end), end, { quoted: false, strip, amp: this.amp, ...extra });
      return { decoded, style: 'heredoc' };
    }
    return undefined;
  }

  private stringNode(n: Node, parent: PolicyNode | undefined): PolicyNode | undefined {
    const d = this.decode(n);
    if (!d) return undefined;
    const node = makeNode('string', n.startIndex, n.endIndex - n.startIndex, parent, { value: d.decoded.value });
    this.strings.set(node, templateString(node, d.decoded, { offset: n.startIndex, length: n.endIndex - n.startIndex }));
    this.styles.set(node, this.amp ? 'amp' : d.style);
    return node;
  }

  /** A string node whose text is known but written elsewhere (a `var.x` value, a block name): every character at `span`. */
  private fixedString(value: string, span: Span, parent: PolicyNode | undefined): PolicyNode {
    const node = makeNode('string', span.offset, span.length, parent, { value });
    const map = Array.from({ length: value.length }, () => span.offset);
    map.push(span.offset + span.length);
    this.strings.set(node, new MappedString(node, value, map, span));
    return node;
  }

  // ---- HCL values (jsonencode) -----------------------------------------------------------------

  private opaque(n: Node, parent: PolicyNode | undefined): PolicyNode {
    const label = n.endIndex - n.startIndex > 80 ? `${this.text.slice(n.startIndex, n.startIndex + 77)}...` : n.text;
    return makeNode('opaque', n.startIndex, n.endIndex - n.startIndex, parent, { label });
  }

  /** The neutral tree of an HCL expression (what `jsonencode` renders of it). */
  value(expr: Node, parent: PolicyNode | undefined, depth = 0): PolicyNode {
    const u = unwrap(expr);
    if (!u || depth > MAX_DEPTH) return this.opaque(expr, parent);
    switch (u.type) {
      case 'object':
        return this.object(u, parent, depth);
      case 'tuple': {
        const arr = makeNode('array', u.startIndex, u.endIndex - u.startIndex, parent, { children: [] });
        for (const item of kids(u)) if (item.type === 'expression') arr.children!.push(this.value(item, arr, depth + 1));
        return arr;
      }
      case 'string_lit':
      case 'quoted_template':
      case 'heredoc_template':
        return this.stringNode(u, parent) ?? this.opaque(u, parent);
      case 'numeric_lit':
        return makeNode('number', u.startIndex, u.endIndex - u.startIndex, parent, { value: Number(u.text) });
      case 'bool_lit':
        return makeNode('boolean', u.startIndex, u.endIndex - u.startIndex, parent, { value: u.text === 'true' });
      case 'null_lit':
        return makeNode('null', u.startIndex, u.endIndex - u.startIndex, parent);
      default: {
        const path = traversal(u);
        if (path?.length === 2 && path[0] === 'var' && this.vars?.has(path[1])) {
          const node = this.fixedString(this.vars.get(path[1])!, { offset: u.startIndex, length: u.endIndex - u.startIndex }, parent);
          this.styles.set(node, 'quoted');
          return node;
        }
        const local = path?.length === 2 && path[0] === 'local' ? this.locals.get(path[1]) : undefined;
        if (local && this.localDepth < MAX_LOCAL_DEPTH) {
          this.localDepth++;
          try {
            return this.value(local, parent);
          } finally {
            this.localDepth--;
          }
        }
        return this.opaque(u, parent);
      }
    }
  }

  private object(obj: Node, parent: PolicyNode | undefined, depth: number): PolicyNode {
    const out = makeNode('object', obj.startIndex, obj.endIndex - obj.startIndex, parent, { children: [] });
    for (const elem of kids(obj)) {
      if (elem.type !== 'object_elem') continue;
      const k = elem.childForFieldName('key');
      const v = elem.childForFieldName('val');
      if (!k) continue;
      let sep: number | undefined;
      for (const c of elem.children) if (c && !c.isNamed && (c.type === '=' || c.type === ':')) sep = c.startIndex;
      const prop = makeNode('property', elem.startIndex, elem.endIndex - elem.startIndex, out, { children: [], colonOffset: sep });
      prop.children!.push(this.key(k, prop));
      if (v) prop.children!.push(this.value(v, prop, depth + 1));
      out.children!.push(prop);
    }
    return out;
  }

  private key(k: Node, parent: PolicyNode): PolicyNode {
    const u = unwrap(k);
    if (u?.type === 'variable_expr') {
      const node = this.fixedString(u.text, { offset: u.startIndex, length: u.endIndex - u.startIndex }, parent);
      // An identifier key maps one to one.
      const map = Array.from({ length: u.text.length + 1 }, (_, i) => u.startIndex + i);
      const sv = new MappedString(node, u.text, map, { offset: u.startIndex, length: u.text.length });
      this.strings.set(node, sv);
      this.styles.set(node, 'identifier');
      return node;
    }
    if (u && (u.type === 'string_lit' || u.type === 'quoted_template')) return this.stringNode(u, parent) ?? this.opaque(k, parent);
    return this.opaque(k, parent);
  }

  // ---- JSON text -------------------------------------------------------------------------------

  /** A policy written as JSON text in a heredoc or quoted string. */
  jsonText(n: Node): ReadPolicy | undefined {
    const d = this.decode(n, { json: true });
    if (!d) return undefined;
    const holder = makeNode('string', n.startIndex, n.endIndex - n.startIndex, undefined, { value: d.decoded.value });
    const outer = templateString(holder, d.decoded, { offset: n.startIndex, length: n.endIndex - n.startIndex });
    const json = parseEmbeddedJson(outer, { opaque: true, placeholders: d.decoded.placeholders });
    for (const [node, sv] of json.strings) {
      this.strings.set(node, sv);
      this.styles.set(node, d.style);
    }
    return {
      root: json.root, strings: this.strings, styles: this.styles, json, jsonIn: d.style,
      structureUnknown: d.decoded.structureUnknown,
    };
  }

  // ---- aws_iam_policy_document -----------------------------------------------------------------

  /** A key written as an attribute or block name (`actions` for `Action`), or nowhere (a default). */
  private keyNode(name: string, at: Node | undefined, fallback: number, parent: PolicyNode): PolicyNode {
    const span = at ? { offset: at.startIndex, length: at.endIndex - at.startIndex } : { offset: fallback, length: 0 };
    return this.fixedString(name, span, parent);
  }

  /** A property of a block-read object: key as written (or implied), value from `make`. */
  private blockProp(obj: PolicyNode, name: string, keyAt: Node | undefined, span: Span, make: (prop: PolicyNode) => PolicyNode | undefined): PolicyNode {
    const prop = makeNode('property', span.offset, span.length, obj, { children: [] });
    prop.children!.push(this.keyNode(name, keyAt, span.offset, prop));
    const v = make(prop);
    if (v) prop.children!.push(v);
    obj.children!.push(prop);
    return prop;
  }

  /** An attribute's value (a string, a list) as a property of `obj`. */
  private attributeProp(obj: PolicyNode, name: string, attr: Node): void {
    const value = attributeValue(attr);
    this.blockProp(obj, name, attr.firstNamedChild ?? undefined, span(attr), (prop) => (value ? this.value(value, prop) : undefined));
  }

  /** The policy a `data "aws_iam_policy_document"` block renders. */
  policyDocument(block: Node): ReadPolicy {
    this.amp = block.text.includes('&{');
    const blocks = new Map<PolicyNode, BlockPlace>();
    const root = makeNode('object', block.startIndex, block.endIndex - block.startIndex, undefined, { children: [] });
    blocks.set(root, { kind: 'document', spans: [blockSpan(block)] });
    const body = blockBody(block);
    const version = body.attributes.get('version');
    if (version) this.attributeProp(root, 'Version', version);
    // The data source writes `"Version": "2012-10-17"` unless told otherwise.
    else {
      const at = { offset: block.startIndex, length: 0 };
      this.blockProp(root, 'Version', undefined, at, (p) => this.fixedString('2012-10-17', at, p));
    }
    const id = body.attributes.get('policy_id');
    if (id) this.attributeProp(root, 'Id', id);
    const statements = body.blocks.filter((b) => b.firstNamedChild?.text === 'statement');
    // Statements the file does not spell out: merged from other documents, or generated.
    const unknown = [
      ...MERGED_DOCUMENTS.map((a) => body.attributes.get(a)).filter((a): a is Node => !!a),
      ...body.blocks.filter((b) => b.firstNamedChild?.text === 'dynamic' && blockHeader(b).labels[0]?.text === 'statement'),
    ];
    const all = [...statements, ...unknown].sort((a, b) => a.startIndex - b.startIndex);
    if (all.length) {
      const first = all[0];
      const last = all[all.length - 1];
      const listSpan = { offset: first.startIndex, length: last.endIndex - first.startIndex };
      this.blockProp(root, 'Statement', first.firstNamedChild ?? undefined, listSpan, (prop) => {
        const list = makeNode('array', listSpan.offset, listSpan.length, prop, { children: [] });
        for (const s of all) list.children!.push(statements.includes(s) ? this.statement(s, list, blocks) : this.opaque(s, list));
        return list;
      });
    }
    this.amp = false;
    return { root, strings: this.strings, styles: this.styles, blocks };
  }

  private statement(block: Node, parent: PolicyNode, blocks: NonNullable<ReadPolicy['blocks']>): PolicyNode {
    const st = makeNode('object', block.startIndex, block.endIndex - block.startIndex, parent, { children: [] });
    blocks.set(st, { kind: 'statement', spans: [blockSpan(block)] });
    const body = blockBody(block);
    for (const [attr, element] of Object.entries(STATEMENT_ATTRIBUTES)) {
      const a = body.attributes.get(attr);
      if (a) this.attributeProp(st, element, a);
      else if (element === 'Effect') {
        // `effect` defaults to Allow.
        const at = { offset: block.startIndex, length: 0 };
        this.blockProp(st, 'Effect', undefined, at, (p) => this.fixedString('Allow', at, p));
      }
    }
    for (const kind of ['principals', 'not_principals']) {
      const list = body.blocks.filter((b) => b.firstNamedChild?.text === kind);
      if (!list.length) continue;
      const s = { offset: list[0].startIndex, length: list[list.length - 1].endIndex - list[0].startIndex };
      const name = kind === 'principals' ? 'Principal' : 'NotPrincipal';
      this.blockProp(st, name, list[0].firstNamedChild ?? undefined, s, (p) => makeNode('opaque', s.offset, s.length, p, { label: kind }));
    }
    const conditions = body.blocks.filter((b) => b.firstNamedChild?.text === 'condition');
    if (conditions.length) {
      const s = { offset: conditions[0].startIndex, length: conditions[conditions.length - 1].endIndex - conditions[0].startIndex };
      this.blockProp(st, 'Condition', conditions[0].firstNamedChild ?? undefined, s, (p) => this.conditions(conditions, s, p, blocks));
    }
    // Keep the properties in document order, as a parsed object would be.
    st.children!.sort((a, b) => a.offset - b.offset);
    return st;
  }

  /** `condition` blocks, grouped by `test` (operator) and `variable` (key), as the data source renders them. */
  private conditions(list: Node[], s: Span, parent: PolicyNode, blocks: NonNullable<ReadPolicy['blocks']>): PolicyNode {
    const obj = makeNode('object', s.offset, s.length, parent, { children: [] });
    blocks.set(obj, { kind: 'condition', spans: list.map(blockSpan) });
    const byTest = new Map<string, { op: PolicyNode; keys: Map<string, PolicyNode> }>();
    for (const c of list) {
      const body = blockBody(c);
      const test = body.attributes.get('test');
      const variable = body.attributes.get('variable');
      const values = body.attributes.get('values');
      const testValue = unwrap(test && attributeValue(test));
      const testString = testValue && (testValue.type === 'string_lit' || testValue.type === 'quoted_template') ? this.decode(testValue) : undefined;
      const testKey = testString && !testString.decoded.opaque.length ? testString.decoded.value : undefined;
      let group = testKey === undefined ? undefined : byTest.get(testKey);
      if (!group) {
        const op = makeNode('property', c.startIndex, c.endIndex - c.startIndex, obj, { children: [] });
        op.children!.push(testValue ? this.value(testValue, op) : this.keyNode('', c.firstNamedChild ?? undefined, c.startIndex, op));
        const inner = makeNode('object', c.startIndex, c.endIndex - c.startIndex, op, { children: [] });
        op.children!.push(inner);
        obj.children!.push(op);
        group = { op, keys: new Map() };
        if (testKey !== undefined) byTest.set(testKey, group);
        blocks.set(inner, { kind: 'operator', spans: [blockSpan(c)], test: testKey });
      } else {
        const inner = group.op.children![1];
        blocks.get(inner)?.spans.push(blockSpan(c));
        (group.op as { length: number }).length = c.endIndex - group.op.offset;
        (inner as { length: number }).length = c.endIndex - inner.offset;
      }
      const inner = group.op.children![1];
      const varValue = unwrap(variable && attributeValue(variable));
      const varString = varValue && (varValue.type === 'string_lit' || varValue.type === 'quoted_template') ? this.decode(varValue) : undefined;
      const varKey = varString && !varString.decoded.opaque.length ? varString.decoded.value : undefined;
      const existing = varKey === undefined ? undefined : group.keys.get(varKey);
      const valuesNode = values ? attributeValue(values) : undefined;
      if (existing && valuesNode) {
        // A second block for the same test and variable: the data source merges their values.
        const arr = existing.children?.[1];
        const more = this.value(valuesNode, arr);
        if (arr?.type === 'array' && more.type === 'array') for (const item of more.children ?? []) {
          setParent(item, arr);
          arr.children!.push(item);
        }
        continue;
      }
      const keyProp = makeNode('property', c.startIndex, c.endIndex - c.startIndex, inner, { children: [] });
      keyProp.children!.push(varValue ? this.value(varValue, keyProp) : this.keyNode('', c.firstNamedChild ?? undefined, c.startIndex, keyProp));
      if (valuesNode) keyProp.children!.push(this.value(valuesNode, keyProp));
      inner.children!.push(keyProp);
      if (varKey !== undefined) group.keys.set(varKey, keyProp);
    }
    return obj;
  }
}

function span(n: Node): Span {
  return { offset: n.startIndex, length: n.endIndex - n.startIndex };
}

function blockSpan(b: Node): BlockSpan {
  const end = kids(b).find((c) => c.type === 'block_end');
  return { start: b.startIndex, close: end && !end.isMissing ? end.startIndex : b.endIndex, end: b.endIndex };
}
