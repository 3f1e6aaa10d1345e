/**
 * YAML to the neutral tree, as yaml-language-server's AST converter does for its JSON service:
 * mappings become objects, sequences arrays, scalars strings, numbers, booleans and null, each
 * with its document span. CloudFormation short forms (`!Sub x`, `!Ref X`, `!GetAtt A.B`) become
 * the long form `{"Fn::Sub": x}` with the tag as the key, so the CloudFormation module reads one
 * shape. Aliases and `<<` merges are resolved to the nodes they name; other tags are opaque values.
 *
 * String values map every decoded character to the file (`scalars.ts`).
 */
import { Alias, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode, type Scalar, type Tags } from 'yaml';
import { NO_OPAQUE, type PolicyNode, type StringValue } from '../../policy/tree';
import type { Span } from '../../text/span';
import { makeNode, MappedString } from '../strings';
import { coarseScalar, decodeScalar, type ScalarStyle } from './scalars';

export type { ScalarStyle } from './scalars';

/** CloudFormation functions in their YAML short form, and the long name each stands for. */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  '!Sub': 'Fn::Sub', '!Join': 'Fn::Join', '!Ref': 'Ref', '!GetAtt': 'Fn::GetAtt', '!ImportValue': 'Fn::ImportValue',
  '!If': 'Fn::If', '!Select': 'Fn::Select', '!Split': 'Fn::Split', '!FindInMap': 'Fn::FindInMap', '!Base64': 'Fn::Base64',
  '!GetAZs': 'Fn::GetAZs', '!Cidr': 'Fn::Cidr', '!Equals': 'Fn::Equals', '!And': 'Fn::And', '!Or': 'Fn::Or', '!Not': 'Fn::Not',
  '!Condition': 'Condition', '!Transform': 'Fn::Transform', '!Length': 'Fn::Length', '!ToJsonString': 'Fn::ToJsonString',
};

/** Every short form, for scalars, sequences and mappings, resolved to its plain value (the tag is kept on the node). */
const CUSTOM_TAGS: Tags = Object.keys(SHORT_FORMS).flatMap((tag) => [
  { tag, resolve: (s: string) => s },
  { tag, collection: 'seq' as const, resolve: (x: unknown) => x },
  { tag, collection: 'map' as const, resolve: (x: unknown) => x },
]) as Tags;

/** The string values of a tree's string nodes. */
export interface StringTable {
  get(n: PolicyNode): StringValue | undefined;
  set(n: PolicyNode, sv: StringValue): void;
}

/**
 * The string values of a tree's string nodes, decoded when first asked for: a template holds
 * thousands of scalars, and only the policies' are read.
 */
class YamlStrings implements StringTable {
  private readonly cache = new Map<PolicyNode, StringValue>();
  constructor(private readonly text: string, private readonly styles: Map<PolicyNode, ScalarStyle>) {}

  get(n: PolicyNode): StringValue | undefined {
    let sv = this.cache.get(n);
    if (sv || n.type !== 'string') return sv;
    const value = String(n.value ?? '');
    const start = n.offset;
    const end = n.offset + n.length;
    const style = this.styles.get(n);
    // A key that is no string (`1:`), or text the decoder reads otherwise: every character maps to the scalar.
    let decoded = style ? decodeScalar(this.text, start, end, style) : coarseScalar(value, start, end);
    if (decoded.value !== value) decoded = coarseScalar(value, start, end);
    sv = new MappedString(n, value, decoded.map, { offset: start, length: end - start }, NO_OPAQUE);
    this.cache.set(n, sv);
    return sv;
  }

  set(n: PolicyNode, sv: StringValue): void {
    this.cache.set(n, sv);
  }
}

export interface YamlTree {
  doc: Document;
  root: PolicyNode | undefined;
  strings: StringTable;
  /** How each string scalar is written (plain, quoted, block): the writer escapes new text by it. */
  styles: Map<PolicyNode, ScalarStyle>;
  errors: { message: string; offset: number; length: number }[];
}

export function parseYaml(text: string): YamlTree {
  const doc = parseDocument(text, { customTags: CUSTOM_TAGS, uniqueKeys: false, strict: false, prettyErrors: false, merge: true, keepSourceTokens: false });
  const styles = new Map<PolicyNode, ScalarStyle>();
  const tree: YamlTree = { doc, root: undefined, strings: new YamlStrings(text, styles), styles, errors: [] };
  for (const e of doc.errors) {
    const [a, b] = e.pos;
    tree.errors.push({ message: e.message.split('\n')[0], offset: a, length: Math.max(0, b - a) });
  }
  const c = new Converter(text, tree);
  tree.root = doc.contents ? c.node(doc.contents as YamlNode, undefined, 0) : undefined;
  return tree;
}

/** Deeper YAML than this is not converted: no template comes near it, and the converter recurses. */
const MAX_DEPTH = 200;

class Converter {
  constructor(private readonly text: string, private readonly tree: YamlTree) {}

  private range(n: YamlNode): [number, number] {
    const r = n.range ?? [0, 0, 0];
    return [r[0], r[1]];
  }

  /** The span of the tag written before a node (`!Sub`), found in the text just before it. */
  private tagSpan(n: YamlNode, tag: string): Span {
    const [start] = this.range(n);
    const at = this.text.lastIndexOf(tag, start);
    return at >= 0 && start - at <= 200 ? { offset: at, length: tag.length } : { offset: start, length: 0 };
  }

  node(n: YamlNode, parent: PolicyNode | undefined, depth: number): PolicyNode {
    const [start, end] = this.range(n);
    if (depth > MAX_DEPTH) return makeNode('opaque', start, end - start, parent, { label: 'nested too deep' });
    if (isAlias(n)) {
      const target = (n as Alias).resolve(this.tree.doc);
      return target && depth < MAX_DEPTH ? this.node(target as YamlNode, parent, depth + 1) : makeNode('opaque', start, end - start, parent, { label: `*${(n as Alias).source}` });
    }
    const tag = n.tag;
    if (tag && SHORT_FORMS[tag]) return this.shortForm(n, tag, parent, depth);
    if (tag && tag.startsWith('!') && !isScalar(n)) return makeNode('opaque', start, end - start, parent, { label: tag });
    if (tag && tag.startsWith('!')) return makeNode('opaque', start, end - start, parent, { label: `${tag} ${String((n as Scalar).value)}` });
    return this.untagged(n, parent, depth);
  }

  /** `!Sub x` read as `{"Fn::Sub": x}`: an object whose one key is the tag. */
  private shortForm(n: YamlNode, tag: string, parent: PolicyNode | undefined, depth: number): PolicyNode {
    const tagSpan = this.tagSpan(n, tag);
    const [, end] = this.range(n);
    const obj = makeNode('object', tagSpan.offset, end - tagSpan.offset, parent, { children: [] });
    const prop = makeNode('property', tagSpan.offset, end - tagSpan.offset, obj, { children: [], colonOffset: tagSpan.offset + tagSpan.length });
    const name = SHORT_FORMS[tag];
    const key = makeNode('string', tagSpan.offset, tagSpan.length, prop, { value: name });
    this.tree.strings.set(key, new MappedString(key, name, [...new Array<number>(name.length).fill(tagSpan.offset), tagSpan.offset + tagSpan.length], tagSpan));
    prop.children!.push(key, this.untagged(n, prop, depth + 1));
    obj.children!.push(prop);
    return obj;
  }

  private untagged(n: YamlNode, parent: PolicyNode | undefined, depth: number): PolicyNode {
    const [start, end] = this.range(n);
    let out: PolicyNode;
    if (isMap(n)) {
      out = makeNode('object', start, end - start, parent, { children: [] });
      for (const item of n.items) {
        if (!isPair(item)) continue;
        const k = item.key as YamlNode | null;
        const v = item.value as YamlNode | null;
        if (isScalar(k) && k.value === '<<' && v) {
          // A merge: the named mapping's pairs, as if written here.
          for (const merged of this.mergedPairs(v, out, depth)) out.children!.push(merged);
          continue;
        }
        out.children!.push(this.pair(k, v, out, depth));
      }
    } else if (isSeq(n)) {
      out = makeNode('array', start, end - start, parent, { children: [] });
      for (const item of n.items) if (item) out.children!.push(this.node(item as YamlNode, out, depth + 1));
    } else if (isScalar(n)) {
      out = this.scalar(n, parent, start, end);
    } else out = makeNode('opaque', start, end - start, parent, { label: 'value' });
    return out;
  }

  private mergedPairs(v: YamlNode, obj: PolicyNode, depth: number): PolicyNode[] {
    const targets = isSeq(v) ? v.items : [v];
    const out: PolicyNode[] = [];
    for (const t of targets) {
      const m = isAlias(t) ? (t as Alias).resolve(this.tree.doc) : t;
      if (!isMap(m) || depth > MAX_DEPTH) continue;
      for (const item of m.items) if (isPair(item)) out.push(this.pair(item.key as YamlNode | null, item.value as YamlNode | null, obj, depth + 1));
    }
    return out;
  }

  private pair(k: YamlNode | null, v: YamlNode | null, obj: PolicyNode, depth: number): PolicyNode {
    const [ks, ke] = k ? this.range(k) : [obj.offset, obj.offset];
    const [, ve] = v ? this.range(v) : [ks, ke];
    const prop = makeNode('property', ks, Math.max(ke, ve) - ks, obj, { children: [], colonOffset: this.text.indexOf(':', ke) });
    const key = k && isScalar(k) ? this.scalar(k, prop, ks, ke, true) : makeNode('string', ks, ke - ks, prop, { value: '' });
    prop.children!.push(key);
    if (v) prop.children!.push(this.node(v, prop, depth + 1));
    else {
      // `key:` with nothing after it is null.
      prop.children!.push(makeNode('null', ke, 0, prop));
    }
    return prop;
  }

  private scalar(n: Scalar, parent: PolicyNode | undefined, start: number, end: number, asKey = false): PolicyNode {
    const v = n.value;
    if (typeof v === 'string' || asKey) {
      const value = typeof v === 'string' ? v : String(v ?? '');
      const s = makeNode('string', start, end - start, parent, { value });
      // The string value is decoded when asked for (YamlStrings); a key that is no string keeps no style.
      if (typeof v === 'string') this.tree.styles.set(s, (n.type ?? 'PLAIN') as ScalarStyle);
      return s;
    }
    if (typeof v === 'number') return makeNode('number', start, end - start, parent, { value: v });
    if (typeof v === 'boolean') return makeNode('boolean', start, end - start, parent, { value: v });
    if (v === null || v === undefined) return makeNode('null', start, end - start, parent);
    return makeNode('opaque', start, end - start, parent, { label: String(v) });
  }
}

