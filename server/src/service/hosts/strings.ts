/**
 * String values built by hosts: decoded text with a document offset for every decoded character,
 * and the decoded ranges a template leaves unknown. Shared by every host whose strings are not
 * plain JSON literals (template pieces joined, `Fn::Sub` escapes, YAML block scalars, HCL).
 */
import { policySize } from '../catalog/topics';
import type { Span } from '../text/span';
import { NO_OPAQUE, type OpaqueRange, type PolicyNode, type StringValue, type VariableRef } from '../policy/tree';

/**
 * A string with an explicit map: `map[i]` is the document offset of decoded character `i`, and
 * `map[value.length]` the offset just past the content.
 */
export class MappedString implements StringValue {
  variables: VariableRef[] = [];
  constructor(
    readonly node: PolicyNode,
    readonly value: string,
    private readonly map: readonly number[],
    readonly span: Span,
    readonly opaque: readonly OpaqueRange[] = NO_OPAQUE,
  ) {}
  offsetOf(index: number): number {
    const m = this.map;
    return m[index < 0 ? 0 : index >= m.length ? m.length - 1 : index];
  }
  spanOf(start: number, end: number): Span {
    const a = this.offsetOf(start);
    return { offset: a, length: Math.max(0, this.offsetOf(end) - a) };
  }
}

/** Builds a decoded string piece by piece: literal text with its offsets, and opaque pieces. */
export class StringBuilder {
  private value = '';
  private readonly map: number[] = [];
  private readonly opaque: OpaqueRange[] = [];
  private end = -1;

  /** Appends decoded text whose characters sit at `offsets` (one per character). */
  text(text: string, offsets: ArrayLike<number>, endOffset: number): this {
    for (let i = 0; i < text.length; i++) this.map.push(offsets[i]);
    this.value += text;
    this.end = endOffset;
    return this;
  }

  /** Appends the decoded range [start, end) of another string value. */
  from(sv: StringValue, start = 0, end = sv.value.length): this {
    const base = this.value.length;
    for (let i = start; i < end; i++) this.map.push(sv.offsetOf(i));
    this.value += sv.value.slice(start, end);
    for (const o of sv.opaque) {
      if (o.start >= start && o.end <= end) this.opaque.push({ start: base + o.start - start, end: base + o.end - start, label: o.label });
    }
    this.end = sv.offsetOf(end);
    return this;
  }

  /** Appends one `*` standing for a value unknown before deploy, written at `span`. */
  unknown(span: Span, label: string): this {
    this.opaque.push({ start: this.value.length, end: this.value.length + 1, label });
    this.map.push(span.offset);
    this.value += '*';
    this.end = span.offset + span.length;
    return this;
  }

  get length(): number {
    return this.value.length;
  }

  /** The document offset just past the text appended last (-1 before any). */
  get endOffset(): number {
    return this.end;
  }

  build(node: PolicyNode, span: Span = { offset: node.offset, length: node.length }): MappedString {
    const map = [...this.map, this.end >= 0 ? this.end : span.offset + span.length];
    return new MappedString(node, this.value, map, span, this.opaque.length ? this.opaque : NO_OPAQUE);
  }
}

/** A node of the neutral tree (hosts build them; the tree is read-only for everyone else). */
export function makeNode(
  type: PolicyNode['type'], offset: number, length: number, parent: PolicyNode | undefined,
  extra?: { value?: unknown; children?: PolicyNode[]; label?: string; colonOffset?: number },
): PolicyNode {
  const n: { -readonly [K in keyof PolicyNode]: PolicyNode[K] } = { type, offset, length, parent };
  if (extra?.value !== undefined || type === 'null') n.value = type === 'null' ? null : extra?.value;
  if (extra?.children) n.children = extra.children;
  if (extra?.label !== undefined) n.label = extra.label;
  if (extra?.colonOffset !== undefined) n.colonOffset = extra.colonOffset;
  return n;
}

/** Points a node at a new parent (nodes are built bottom-up). */
export function setParent(node: PolicyNode, parent: PolicyNode): void {
  (node as { parent?: PolicyNode }).parent = parent;
}

/** Removes a list item, or the property that holds a value, from the tree. */
export function removeFromParent(node: PolicyNode): void {
  const parent = node.parent;
  if (!parent?.children) return;
  if (parent.type === 'property') {
    const obj = parent.parent;
    if (obj?.children) obj.children.splice(obj.children.indexOf(parent), 1);
    return;
  }
  const i = parent.children.indexOf(node);
  if (i >= 0) parent.children.splice(i, 1);
}

/** Replaces `old` by `next` among its parent's children (hosts rewrite template constructs in place). */
export function replaceChild(old: PolicyNode, next: PolicyNode): void {
  const kids = old.parent?.children;
  if (!kids) return;
  const i = kids.indexOf(old);
  if (i >= 0) kids[i] = next;
  if (old.parent) setParent(next, old.parent);
}

/** A string value whose decoded characters sit at `outer`'s decoded indices (a string inside a string). */
export function composeString(node: PolicyNode, inner: StringValue, outer: StringValue): MappedString {
  const map: number[] = [];
  for (let i = 0; i <= inner.value.length; i++) map.push(outer.offsetOf(inner.offsetOf(i)));
  return new MappedString(node, inner.value, map, { offset: node.offset, length: node.length }, inner.opaque);
}

/**
 * A deep copy of a subtree, with its string values re-keyed to the copies: hosts resolve template
 * constructs in place, so each variant of a policy (each branch of an `Fn::If`) gets its own copy.
 */
export function cloneTree(root: PolicyNode, strings: (n: PolicyNode) => StringValue | undefined): { root: PolicyNode; strings: Map<PolicyNode, StringValue> } {
  const out = new Map<PolicyNode, StringValue>();
  const copy = (n: PolicyNode, parent: PolicyNode | undefined): PolicyNode => {
    const c = makeNode(n.type, n.offset, n.length, parent, { value: n.value, label: n.label, colonOffset: n.colonOffset });
    if (n.children) (c as { children?: PolicyNode[] }).children = n.children.map((k) => copy(k, c));
    if (n.type === 'string') {
      const sv = strings(n);
      if (sv) out.set(c, Object.assign(Object.create(Object.getPrototypeOf(sv) as object) as StringValue, sv, { node: c, variables: [] }));
    }
    return c;
  };
  return { root: copy(root, root.parent), strings: out };
}

/**
 * The size AWS counts for a policy tree: the rendered policy without white space. Template values
 * unknown before deploy (opaque nodes and ranges) are not counted, and make the size incomplete.
 */
export function renderedPolicySize(root: PolicyNode | undefined, read: (n: PolicyNode) => StringValue | undefined): { chars: number; complete: boolean } {
  let complete = true;
  const render = (n: PolicyNode): string => {
    switch (n.type) {
      case 'object':
        return `{${(n.children ?? []).map((p) => `${render(p.children![0])}:${p.children?.[1] ? render(p.children[1]) : 'null'}`).join(',')}}`;
      case 'array':
        return `[${(n.children ?? []).map(render).join(',')}]`;
      case 'string': {
        const sv = read(n);
        let v = sv?.value ?? String(n.value);
        if (sv?.opaque.length) {
          complete = false;
          for (let k = sv.opaque.length - 1; k >= 0; k--) v = v.slice(0, sv.opaque[k].start) + v.slice(sv.opaque[k].end);
        }
        return JSON.stringify(v);
      }
      case 'opaque':
        complete = false;
        return '';
      default:
        return JSON.stringify(n.value);
    }
  };
  return { chars: root ? policySize(render(root)) : 0, complete };
}
