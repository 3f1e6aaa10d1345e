/**
 * What the TypeScript and Python readers share: finding the `CfnPolicy` constructs, following a
 * name to the value bound to it, and reading policy values, the CDK's `PolicyDocument` and
 * `PolicyStatement` classes, `PolicyDocument.fromJson`, `JSON.parse` of policy text, and string
 * expressions (`+`, `Fn.sub`, `Fn.join`, `formatArn`, `Arn.format`, pseudo parameters).
 *
 * A language says how its syntax tree spells these (`Grammar`, grammar.ts: node types and field
 * names, how the CDK's method names are written) and reads what only it has: its imports, its
 * string literals, the keys and other entries of its object literals or dicts, how a class is
 * given its properties (an object literal, keyword arguments) and the files a policy is read from.
 */
import type { Node } from 'web-tree-sitter';
import type { PolicyNode, StringValue } from '../../policy/tree';
import type { Span } from '../../text/span';
import { makeNode, StringBuilder } from '../strings';
import { holdsIotPolicy } from '../json/embedded';
import { resolveSubString } from '../cloudformation/intrinsics';
import { subEscape } from '../cloudformation/writer';
import { appendArn, type ArnComponents } from './arn';
import { appendPseudo, named, PSEUDO_BY_NAME, sameNode, spanOf, type CodeFile, type FoundPolicy, type LinkedPolicy } from './file';
import { appendRun, compose, identity, type FieldVariable, type Literal } from './literals';
import type { CallArguments, ClassProps, ConstructArguments, Grammar } from './grammar';
import { IAM_STATEMENT_KEYS, PolicyBuild } from './tree';

/** How deep names may refer to names (`const a = b`), and literals nest. */
export const MAX_DEPTH = 24;

export interface Ctx {
  build: PolicyBuild;
  depth: number;
}

/** Where a value stands: the policy's own root, or an item of a document's statement list. */
export type Where = 'document' | 'statement';

/** How a string is filled in by Python's `.format(...)` (`braces`) or `%` (`percent`). */
export type FormatStyle = 'braces' | 'percent';

/** Whether a string expression went through `Fn.sub` (its `${!...}` is an escape there). */
export interface SubFlag {
  is: boolean;
}

/** A name inside a regular expression. */
function escapeName(name: string): string {
  return name.replace(/\$/g, '\\$');
}

/** Template placeholders a build step fills in before the text is used: EJS `<%= x %>`, Mustache `{{ x }}`. */
const PLACEHOLDER = /<%[\s\S]*?%>|\{\{[\s\S]*?\}\}/g;

/** A string whose template placeholders are unknown values, each one opaque `*` over its text. */
function placeholdersUnknown(sv: StringValue): StringValue {
  const found = [...sv.value.matchAll(PLACEHOLDER)];
  if (!found.length) return sv;
  const b = new StringBuilder();
  let from = 0;
  for (const m of found) {
    b.from(sv, from, m.index).unknown(sv.spanOf(m.index, m.index + m[0].length), m[0]);
    from = m.index + m[0].length;
  }
  return b.from(sv, from).build(sv.node, sv.span);
}

const IOT_ACTION = /^\s*(iot|iotjobsdata|greengrass):/i;

/** Whether a tree read from JSON text is a policy whose statements name an IoT action. */
function namesIotAction(root: PolicyNode, build: PolicyBuild): boolean {
  const valueOf = (obj: PolicyNode | undefined, key: string): PolicyNode | undefined =>
    obj?.type === 'object' ? obj.children?.find((p) => p.children?.[0] && build.strings.get(p.children[0])?.value === key)?.children?.[1] : undefined;
  const items = (n: PolicyNode | undefined): PolicyNode[] => (n?.type === 'array' ? n.children ?? [] : n ? [n] : []);
  return items(valueOf(root, 'Statement')).some((st) =>
    ['Action', 'NotAction'].some((k) => items(valueOf(st, k)).some((a) => IOT_ACTION.test(build.strings.get(a)?.value ?? ''))));
}

export abstract class CodeReader {
  protected readonly text: string;
  /** Names of the aws-iot module (`iot` in `iot.CfnPolicy`). */
  protected readonly iotModules = new Set<string>();
  /** Names of the CDK library (`cdk` in `cdk.aws_iot.CfnPolicy`). */
  protected readonly libModules = new Set<string>();
  /** Names `CfnPolicy` itself goes by. */
  protected readonly cfnPolicy = new Set<string>();
  private readonly bindings = new Map<string, Node[]>();

  constructor(protected readonly file: CodeFile, protected readonly grammar: Grammar) {
    this.text = file.text;
  }

  // ---- what each language reads itself ---------------------------------------------------------

  protected abstract argumentsOf(call: Node): CallArguments;
  protected abstract constructArguments(construct: Node, ctx: Ctx): ConstructArguments;
  /** The properties an instantiation of a CDK class is given; undefined when they are not written out. */
  protected abstract classProps(construct: Node, ctx: Ctx): ClassProps | undefined;
  /** A key of an object literal's pair (a dict's): a string node, or undefined when it is no string. */
  protected abstract keyNode(k: Node, ctx: Ctx): PolicyNode | undefined;
  /** The properties an entry of an object literal other than a pair brings (`...spread`, `**splat`). */
  protected abstract otherEntries(entry: Node, ctx: Ctx): PolicyNode[];
  /** A policy read from another file. */
  protected abstract linkedFile(n: Node, ctx: Ctx): LinkedPolicy | undefined;
  /** The text of a string literal without substitutions, when `n` is one. */
  abstract literalText(n: Node): string | undefined;
  /** The content span of a literal (without its delimiters), or the node's span. */
  protected abstract contentSpan(n: Node): Span;
  /** Appends a string literal (a node of one of `grammar.strings`). */
  protected abstract appendLiteral(x: Node, ctx: Ctx, b: StringBuilder, fields: FieldVariable[], style?: FormatStyle): void;
  /** Appends the template string of `Fn.sub(arg)`, resolved as CloudFormation's Sub resolves it. */
  protected abstract appendSub(arg: Node, call: Node, ctx: Ctx, b: StringBuilder): boolean;
  /** The components of `formatArn(...)` or `Arn.format(...)`. */
  protected abstract arnParts(call: Node, args: CallArguments, isArnFormat: boolean, ctx: Ctx): ArnComponents | undefined;
  /** The expression of a substitution (`${...}`, an f-string's `{...}`) that may be read as text. */
  protected abstract holeExpression(hole: Node): Node | undefined;
  /**
   * Where the `Statement` key of a document goes when only `add...` calls give statements: the
   * TypeScript reader lays it at the constructor (zero-width), the Python reader over the first call.
   */
  protected abstract addedStatementsKey(construct: Node, firstAdd: Node): Span;

  /** A string `%` or `.format(...)` fills in (Python): the template expression and how it is filled. */
  protected formatted(_x: Node): { template: Node; style: FormatStyle } | undefined {
    return undefined;
  }

  /** Whether a list literal is a container fixes and completion may write into. */
  protected isBracketed(_list: Node): boolean {
    return true;
  }

  /** Whether a pair's value says the property is not there (TypeScript's `undefined`). */
  protected isAbsent(_value: Node): boolean {
    return false;
  }

  // ---- names -----------------------------------------------------------------------------------

  protected unwrap(n: Node): Node {
    return this.grammar.unwrap(n);
  }

  /** `a.b.c` as names; undefined when a part is not a plain name. */
  protected chain(n: Node | null): string[] | undefined {
    if (!n) return undefined;
    const g = this.grammar;
    const x = this.unwrap(n);
    if (g.chainStart.includes(x.type)) return [x.text];
    if (x.type === g.member.type) {
      const head = this.chain(x.childForFieldName('object'));
      const name = x.childForFieldName(g.member.name);
      return head && name ? [...head, name.text] : undefined;
    }
    return undefined;
  }

  /** The last name of a callee or member (`iam.PolicyDocument.fromJson` gives `fromJson`). */
  protected lastName(n: Node | null): string | undefined {
    if (!n) return undefined;
    const x = this.unwrap(n);
    if (x.type === 'identifier') return x.text;
    if (x.type === this.grammar.member.type) return x.childForFieldName(this.grammar.member.name)?.text;
    return undefined;
  }

  // ---- finding the constructs ----------------------------------------------------------------

  /** Whether a callee is aws-iot's `CfnPolicy`. */
  private isCfnPolicy(callee: Node): boolean {
    const c = this.chain(callee);
    if (!c) return false;
    if (c.length === 1) return this.cfnPolicy.has(c[0]);
    if (c[c.length - 1] !== 'CfnPolicy') return false;
    if (c.length === 2) return this.iotModules.has(c[0]);
    return c.length === 3 && c[1] === 'aws_iot' && this.libModules.has(c[0]);
  }

  find(): FoundPolicy[] {
    const g = this.grammar;
    const names = new Set(['CfnPolicy', ...this.cfnPolicy]);
    const out: FoundPolicy[] = [];
    const seen = new Set<number>();
    for (const name of names) {
      // An alias the parser inserted for a missing one (`{ CfnPolicy as }`) is empty: see `bindingsOf`.
      if (!name) continue;
      const re = new RegExp(`(?<![${g.nameChars}])${escapeName(name)}(?![${g.nameChars}])`, 'g');
      for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
        const id = this.file.root.descendantForIndex(m.index, m.index + name.length);
        if (!id || !g.names.includes(id.type)) continue;
        let callee: Node = id;
        if (id.parent?.type === g.member.type && sameNode(id.parent.childForFieldName(g.member.name), id)) callee = id.parent;
        const expr = callee.parent;
        if (expr?.type !== g.construct.type || !sameNode(expr.childForFieldName(g.construct.callee), callee)) continue;
        if (seen.has(expr.startIndex) || !this.isCfnPolicy(callee)) continue;
        seen.add(expr.startIndex);
        out.push(this.construct(expr));
      }
    }
    return out.sort((a, b) => a.span.offset - b.span.offset);
  }

  private construct(expr: Node): FoundPolicy {
    const build = new PolicyBuild();
    const span = spanOf(expr);
    build.ranges.push(span);
    const ctx: Ctx = { build, depth: 0 };
    const given = this.constructArguments(expr, ctx);
    const idNode = given.id;
    const idText = idNode ? this.literalText(idNode) : undefined;
    const idSpan = idNode ? this.contentSpan(idNode) : span;
    // A computed id (`${prefix}-policy`) is named as written between its delimiters.
    const id = idText ?? (idNode ? this.text.slice(idSpan.offset, idSpan.offset + idSpan.length) : '(no id)');
    const found: FoundPolicy = { id, idSpan, span, build };
    const policyName = given.name ? this.literalText(given.name) : undefined;
    if (policyName !== undefined) found.policyName = policyName;
    if (!given.document) return found;
    const linked = this.linkedFile(given.document, ctx);
    if (linked) {
      found.linked = linked;
      return found;
    }
    found.root = this.value(given.document, ctx, 'document');
    return found;
  }

  // ---- policies by content -------------------------------------------------------------------

  /**
   * Policies held as JSON text in a string of the file that no `CfnPolicy` reads (a constant the
   * app hands to IoT, often through a template engine first): every string expression whose text
   * is a JSON object with a `Statement` that names an IoT action. Its substitutions and template
   * placeholders (`<%= region %>`, `{{ region }}`) are unknown values. Call after `find`: the
   * strings a construct reads are its policy's, not a policy of their own.
   */
  findByContent(): FoundPolicy[] {
    const g = this.grammar;
    const out: FoundPolicy[] = [];
    let readUpTo = -1;
    // In document order, outer strings before the strings in their substitutions.
    for (const x of this.file.root.descendantsOfType([...g.strings])) {
      if (!x || x.startIndex < readUpTo || g.strings.includes(x.parent?.type ?? '')) continue;
      if (!holdsIotPolicy(x.text) || this.file.literals.within(spanOf(x))) continue;
      // A string standing alone as a statement (a Python docstring) is prose, not a value.
      if (x.parent?.type === 'expression_statement') continue;
      const found = this.contentPolicy(x);
      if (!found) continue;
      out.push(found);
      readUpTo = x.endIndex;
    }
    return out;
  }

  private contentPolicy(x: Node): FoundPolicy | undefined {
    const build = new PolicyBuild();
    const ctx: Ctx = { build, depth: 0 };
    const b = new StringBuilder();
    if (!this.appendString(x, ctx, b, [])) return undefined;
    const sv = placeholdersUnknown(b.build(makeNode('string', x.startIndex, x.endIndex - x.startIndex, undefined)));
    if (!holdsIotPolicy(sv.value)) return undefined;
    const root = this.jsonText(sv, spanOf(x), ctx);
    if (!namesIotAction(root, build)) return undefined;
    const named = this.contentName(x);
    build.ranges.push(named.span);
    return { ...named, build, root };
  }

  /**
   * What a policy held in a string is called: the name it is bound to (`const corePolicy = ...`,
   * `CORE_POLICY = ...`, also through a call it is handed to: `const p = JSON.parse(...)`), the key
   * or keyword it is given under, the function that returns it, else its line.
   */
  private contentName(x: Node): { id: string; idSpan: Span; span: Span } {
    const g = this.grammar;
    let v = x;
    for (let up = v.parent; up; up = v.parent) {
      const call = up.parent;
      if (sameNode(this.unwrap(up), v)) v = up;
      else if (call?.type === g.call && sameNode(call.childForFieldName('arguments'), up)) v = call;
      else break;
    }
    const p = v.parent;
    const holder = (field: string): Node | null => (p && sameNode(p.childForFieldName(field), v) ? p : null);
    const binding = p?.type === g.binding.type ? holder(g.binding.value) : null;
    const name = binding?.childForFieldName(g.binding.name);
    if (binding && name) return { id: name.text, idSpan: spanOf(name), span: spanOf(binding) };
    const pair = p?.type === 'pair' || p?.type === 'keyword_argument' ? holder('value') : null;
    const key = pair?.childForFieldName(p!.type === 'pair' ? 'key' : 'name');
    if (pair && key) return { id: this.literalText(key) ?? key.text, idSpan: this.contentSpan(key), span: spanOf(pair) };
    if (p?.type === 'return_statement') {
      let fn = p.parent;
      while (fn && !/function|method/.test(fn.type)) fn = fn.parent;
      const name = fn?.childForFieldName('name');
      if (name) return { id: name.text, idSpan: spanOf(name), span: spanOf(p) };
    }
    let line = 1;
    for (let i = this.text.indexOf('\n'); i !== -1 && i < x.startIndex; i = this.text.indexOf('\n', i + 1)) line++;
    return { id: `(string at line ${line})`, idSpan: { offset: x.startIndex, length: 0 }, span: spanOf(x) };
  }

  // ---- bindings --------------------------------------------------------------------------------

  /** Bindings of `name` in the file (`const name = ...`, `name = ...`), in document order. */
  protected bindingsOf(name: string): Node[] {
    let list = this.bindings.get(name);
    if (list) return list;
    list = [];
    // A name the parser inserted for a missing one (`Statement: }`) is empty: nothing binds it,
    // and its search would match everywhere without advancing.
    if (!name) return list;
    const b = this.grammar.binding;
    const re = b.search(name);
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      const id = this.file.root.descendantForIndex(m.index, m.index + name.length);
      const d = id?.parent;
      if (id?.type === 'identifier' && d?.type === b.type && sameNode(d.childForFieldName(b.name), id) && d.childForFieldName(b.value)) list.push(d);
    }
    this.bindings.set(name, list);
    return list;
  }

  /** The block, function, class or module a binding is visible in. */
  private scopeOf(d: Node): Node {
    let s = d.parent;
    while (s && !this.grammar.scopes.has(s.type)) s = s.parent;
    return s ?? this.file.root;
  }

  /**
   * The value a name refers to: the nearest binding before the use in a scope that holds it, else
   * one after it (a module constant read in a method). Its range becomes part of the policy.
   */
  protected lookup(id: Node, ctx: Ctx): Node | undefined {
    const at = id.startIndex;
    let best: Node | undefined;
    for (const d of this.bindingsOf(id.text)) {
      if (d.startIndex <= at && at < d.endIndex) continue;
      const s = this.scopeOf(d);
      if (at < s.startIndex || at >= s.endIndex) continue;
      if (!best || (d.startIndex < at && (best.startIndex > at || d.startIndex > best.startIndex))) best = d;
    }
    if (!best) return undefined;
    ctx.build.ranges.push(spanOf(best));
    return best.childForFieldName(this.grammar.binding.value) ?? undefined;
  }

  /** The name a value is bound to (`const st = new PolicyStatement(...)`), for its `add...` calls. */
  private boundName(value: Node): string | undefined {
    const b = this.grammar.binding;
    const d = value.parent;
    if (d?.type !== b.type || !sameNode(d.childForFieldName(b.value), value)) return undefined;
    const name = d.childForFieldName(b.name);
    return name?.type === 'identifier' ? name.text : undefined;
  }

  /** `name.method(...)` calls in the file, for the given methods. */
  private callsOn(name: string, methods: readonly string[]): (CallArguments & { method: string; call: Node })[] {
    const g = this.grammar;
    const out: (CallArguments & { method: string; call: Node })[] = [];
    const re = new RegExp(`(?<![${g.nameChars}.])${escapeName(name)}\\s*\\.\\s*(${methods.join('|')})\\s*\\(`, 'g');
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      const id = this.file.root.descendantForIndex(m.index, m.index + name.length);
      const member = id?.parent;
      const call = member?.parent;
      if (member?.type !== g.member.type || call?.type !== g.call || !sameNode(call.childForFieldName('function'), member)) continue;
      out.push({ method: m[1], ...this.argumentsOf(call), call });
    }
    return out;
  }

  // ---- values --------------------------------------------------------------------------------

  /** A policy value. `document` marks the policy's own root (where `PolicyDocument` shapes are read). */
  protected value(n: Node, ctx: Ctx, where?: Where): PolicyNode {
    const g = this.grammar;
    const x = this.unwrap(n);
    const b = ctx.build;
    if (ctx.depth > MAX_DEPTH) return b.opaque(spanOf(x), x.text);
    const deeper: Ctx = { ...ctx, depth: ctx.depth + 1 };
    const t = x.type;
    if (t === g.object) return this.objectValue(x, deeper);
    if (g.lists.includes(t)) return this.list(x, deeper, where === 'statement');
    if (g.numbers.includes(t)) {
      const v = Number(x.text.replace(/_/g, ''));
      return Number.isFinite(v) ? b.node('number', spanOf(x), { value: v }) : b.opaque(spanOf(x), x.text);
    }
    if (t === 'true' || t === 'false') return b.node('boolean', spanOf(x), { value: t === 'true' });
    if (t === g.nullType) return b.node('null', spanOf(x));
    if (t === 'identifier') {
      const v = this.lookup(x, ctx);
      if (!v) return b.opaque(spanOf(x), x.text);
      if (where) {
        const name = this.boundName(v);
        const inner = this.unwrap(v);
        if (inner.type === g.construct.type && name) return this.construction(inner, deeper, where, name) ?? this.value(v, deeper, where);
      }
      return this.value(v, deeper, where);
    }
    if (t === g.member.type) {
      const effect = this.effectOf(x, ctx);
      if (effect) return effect;
    }
    if (t === g.construct.type && where) {
      const built = this.construction(x, deeper, where);
      if (built) return built;
    }
    if (t === g.call) {
      const special = this.callValue(x, deeper, where);
      if (special) return special;
    }
    return this.stringNode(x, deeper) ?? b.opaque(spanOf(x), x.text);
  }

  /** `iam.Effect.ALLOW` as the policy's `"Allow"`, laid over `ALLOW`. */
  private effectOf(x: Node, ctx: Ctx): PolicyNode | undefined {
    const c = this.chain(x);
    if (!c || c.length < 2 || c[c.length - 2] !== 'Effect') return undefined;
    const last = c[c.length - 1];
    if (last !== 'ALLOW' && last !== 'DENY') return undefined;
    return ctx.build.synthetic(last === 'ALLOW' ? 'Allow' : 'Deny', spanOf(x.childForFieldName(this.grammar.member.name)!));
  }

  /** An object literal (a dict): its pairs, and what the language's other entries bring. */
  protected objectValue(x: Node, ctx: Ctx): PolicyNode {
    const b = ctx.build;
    const props: PolicyNode[] = [];
    for (const p of named(x)) {
      if (p.type !== 'pair') {
        props.push(...this.otherEntries(p, ctx));
        continue;
      }
      const k = p.childForFieldName('key');
      const v = p.childForFieldName('value');
      if (!k || !v || this.isAbsent(v)) continue;
      const key = this.keyNode(k, ctx);
      if (!key) continue;
      props.push(b.property(key, this.value(v, ctx), spanOf(p), this.separatorOffset(k, v, ':')));
    }
    const node = b.node('object', spanOf(x), { children: props });
    return b.container(node, { open: x.startIndex + 1, close: x.endIndex - 1, dialect: this.grammar.dialect, style: 'plain' });
  }

  /** A list literal; `statements` when its items are a document's statements. */
  protected list(x: Node, ctx: Ctx, statements: boolean): PolicyNode {
    const b = ctx.build;
    const items: PolicyNode[] = [];
    for (const e of named(x)) {
      if (e.type === this.grammar.listSpread) {
        const inner = named(e)[0];
        const v = inner ? this.value(inner, ctx) : undefined;
        if (v?.type === 'array') items.push(...(v.children ?? []));
        else items.push(b.opaque(spanOf(e), e.text));
        continue;
      }
      items.push(this.value(e, ctx, statements ? 'statement' : undefined));
    }
    const node = b.node('array', spanOf(x), { children: items });
    if (!this.isBracketed(x)) return node;
    return b.container(node, { open: x.startIndex + 1, close: x.endIndex - 1, dialect: this.grammar.dialect, style: 'plain' });
  }

  /** The offset of the separator between a key and its value (`:`, `=`), when it stands between them. */
  protected separatorOffset(key: Node, value: Node, separator: string): number | undefined {
    const at = this.text.indexOf(separator, key.endIndex);
    return at >= 0 && at < value.startIndex ? at : undefined;
  }

  // ---- the CDK's policy classes ----------------------------------------------------------------

  /** `new iam.PolicyDocument(...)` or `new iam.PolicyStatement(...)` where a document or a statement goes. */
  private construction(x: Node, ctx: Ctx, where: Where, name?: string): PolicyNode | undefined {
    const cls = this.lastName(x.childForFieldName(this.grammar.construct.callee));
    const props = this.classProps(x, ctx);
    if (where === 'document' && cls === 'PolicyDocument') return this.iamDocument(x, props, ctx, name);
    if (cls === 'PolicyStatement') return this.iamStatement(x, props, ctx, name);
    return undefined;
  }

  /** How this file spells a class of the module `callee` comes from (`iam.PolicyDocument` gives `iam.Effect`). */
  private sibling(callee: Node | null, cls: string): string {
    const c = this.chain(callee);
    return c && c.length > 1 ? [...c.slice(0, -1), cls].join('.') : cls;
  }

  private iamDocument(x: Node, given: ClassProps | undefined, ctx: Ctx, name?: string): PolicyNode {
    const b = ctx.build;
    const callee = x.childForFieldName(this.grammar.construct.callee);
    const at = { offset: x.startIndex, length: 0 };
    const version = b.property(b.synthetic('Version', at), b.synthetic('2012-10-17', at), at);
    b.synthetics.add(version);
    const props: PolicyNode[] = [version];
    const listed = given?.get('statements');
    const adds = name ? this.callsOn(name, [this.grammar.method('addStatements')]) : [];
    const list = listed?.value ? this.unwrap(listed.value) : undefined;
    let items: PolicyNode | undefined;
    if (list && this.grammar.lists.includes(list.type)) items = this.list(list, ctx, true);
    else if (list) items = this.value(list, ctx);
    if (adds.length) {
      // Read even when the listed statements are not a list: their strings are still checked.
      const added = adds.flatMap((a) => a.args.map((arg) => this.value(arg, ctx, 'statement')));
      if (!items) items = b.node('array', spanOf(adds[0].call), { children: [] });
      if (items.type === 'array') for (const item of added) b.append(items, item);
    }
    if (items) {
      const c = b.containers.get(items);
      if (c) c.statements = { ctor: this.sibling(callee, 'PolicyStatement'), effect: this.sibling(callee, 'Effect') };
      const keySpan = listed ? spanOf(listed.keyNode!) : this.addedStatementsKey(x, adds[0].call);
      props.push(b.property(b.synthetic('Statement', keySpan), items, listed ? spanOf(listed.node) : spanOf(adds[0].call)));
    }
    const node = b.node('object', spanOf(x), { children: props });
    if (!given) return node;
    return b.container(node, { open: given.holder.startIndex + 1, close: given.holder.endIndex - 1, dialect: this.grammar.dialect, style: given.style });
  }

  private iamStatement(x: Node, given: ClassProps | undefined, ctx: Ctx, name?: string): PolicyNode {
    const b = ctx.build;
    const props: PolicyNode[] = [];
    const lists = new Map<string, PolicyNode>();
    let effect = false;
    for (const p of given?.props ?? []) {
      const k = p.keyNode;
      const v = p.value;
      const mapped = p.key ? IAM_STATEMENT_KEYS[p.key] : undefined;
      if (!k || !v || !mapped) continue;
      const value = this.value(v, ctx);
      if (mapped === 'Effect') effect = true;
      if (value.type === 'array') lists.set(mapped, value);
      props.push(b.property(b.synthetic(mapped, spanOf(k)), value, spanOf(p.node), this.separatorOffset(k, v, given!.separator)));
    }
    if (name) this.statementCalls(name, ctx, props, lists);
    if (!effect) {
      const at = { offset: x.startIndex, length: 0 };
      const p = b.property(b.synthetic('Effect', at), b.synthetic('Allow', at), at);
      b.synthetics.add(p);
      props.unshift(p);
    }
    const node = b.node('object', spanOf(x), { children: props });
    if (!given) return node;
    const effectEnum = this.sibling(x.childForFieldName(this.grammar.construct.callee), 'Effect');
    return b.container(node, { open: given.holder.startIndex + 1, close: given.holder.endIndex - 1, dialect: this.grammar.dialect, style: given.style, effect: effectEnum });
  }

  /** `st.addActions(...)`, `st.addResources(...)`, `st.addAllResources()`, `st.addCondition(op, {...})` on a statement's name. */
  private statementCalls(name: string, ctx: Ctx, props: PolicyNode[], lists: Map<string, PolicyNode>): void {
    const b = ctx.build;
    const method = (camel: string): string => this.grammar.method(camel);
    const keys: Record<string, string> = {
      [method('addActions')]: 'Action', [method('addNotActions')]: 'NotAction', [method('addResources')]: 'Resource',
      [method('addNotResources')]: 'NotResource', [method('addAllResources')]: 'Resource',
    };
    const addCondition = method('addCondition');
    for (const call of this.callsOn(name, [...Object.keys(keys), addCondition])) {
      const at = spanOf(call.call);
      b.ranges.push(at);
      if (call.method === addCondition) {
        const op = call.args[0] ?? call.kwargs.get('key');
        const value = call.args[1] ?? call.kwargs.get('value');
        const operator = op && this.stringNode(op, ctx);
        if (operator && value) b.addCondition(props, operator, this.value(value, ctx), at);
        continue;
      }
      const items = call.method === method('addAllResources') ? [b.synthetic('*', at)] : call.args.map((a) => this.value(a, ctx));
      b.addItems(props, lists, keys[call.method], items, at);
    }
  }

  /** Calls that stand for a policy value: `PolicyDocument.fromJson`, `JSON.parse`, and string-valued ones. */
  private callValue(x: Node, ctx: Ctx, where?: Where): PolicyNode | undefined {
    const g = this.grammar;
    const c = this.chain(x.childForFieldName('function'));
    const { args } = this.argumentsOf(x);
    const last = c?.[c.length - 1];
    if (last === g.method('fromJson') && c && c.length >= 2 && args[0] && where) {
      const cls = c[c.length - 2];
      if (cls === 'PolicyDocument' && where === 'document') return ctx.build.withDefaults(this.value(args[0], ctx), 'document');
      if (cls === 'PolicyStatement') return ctx.build.withDefaults(this.value(args[0], ctx), 'statement');
    }
    if (c?.length === 2 && c[0] === g.jsonParse[0] && last === g.jsonParse[1] && args[0]) {
      const b = new StringBuilder();
      if (!this.appendString(args[0], ctx, b, [])) return undefined;
      return this.jsonText(b.build(makeNode('string', x.startIndex, x.endIndex - x.startIndex, undefined)), spanOf(x), ctx);
    }
    return undefined;
  }

  /** A policy held as JSON text in a string expression: its tree, at the characters of the file. */
  private jsonText(sv: StringValue, span: Span, ctx: Ctx): PolicyNode {
    // JSON text is written back through the escape of the literal that holds it.
    const outer = this.file.literals.at(sv.offsetOf(0))?.escape ?? identity;
    return ctx.build.embedded(sv, span, outer, (lit) => this.file.literals.add(lit));
  }

  /** Whether a call builds a policy document from another file's JSON (`PolicyDocument.fromJson(...)`): its argument. */
  protected fromJsonArgument(c: string[] | undefined, arg: Node | undefined): Node | undefined {
    const fromJson = c && c.length >= 2 && c[c.length - 1] === this.grammar.method('fromJson') && c[c.length - 2] === 'PolicyDocument';
    return fromJson ? arg : undefined;
  }

  // ---- strings ---------------------------------------------------------------------------------

  /** A string node when `n` is a string expression. */
  protected stringNode(n: Node, ctx: Ctx): PolicyNode | undefined {
    const b = new StringBuilder();
    const fields: FieldVariable[] = [];
    const sub: SubFlag = { is: false };
    if (!this.appendString(n, ctx, b, fields, sub)) return undefined;
    const node = ctx.build.string(b, spanOf(this.unwrap(n)), fields);
    if (sub.is) ctx.build.subStrings.add(ctx.build.strings.get(node)!);
    return node;
  }

  /** Keeps a literal for fixes and completion; a `Fn.sub` template writes `${!` for a policy variable. */
  protected register(lit: Literal, sub: boolean): void {
    if (sub) {
      lit.sub = true;
      lit.escape = compose(subEscape, lit.escape);
    }
    this.file.literals.add(lit);
  }

  /** A `Fn.sub` template as CloudFormation renders it: `${!iot:...}` is `${iot:...}`, `${AWS::Region}` is filled in at deploy. */
  protected resolveSub(sv: StringValue, ctx: Ctx): StringValue {
    return resolveSubString(sv, sv.node, { mode: 'template', values: this.file.options.values }, ctx.build.notes);
  }

  /**
   * Appends a string expression to `b`: literals, `+`, names bound to strings, pseudo parameters,
   * `Fn.sub`, `Fn.join`, `formatArn`, `Arn.format` (and Python's formatting). False, with nothing
   * appended, when it is not one.
   */
  appendString(n: Node, ctx: Ctx, b: StringBuilder, fields: FieldVariable[], sub?: SubFlag, style?: FormatStyle): boolean {
    const g = this.grammar;
    const x = this.unwrap(n);
    if (ctx.depth > MAX_DEPTH) return false;
    const deeper: Ctx = { ...ctx, depth: ctx.depth + 1 };
    const t = x.type;
    if (g.strings.includes(t)) {
      this.appendLiteral(x, deeper, b, fields, style);
      return true;
    }
    if (t === g.binary) {
      const op = x.childForFieldName('operator')?.type;
      const left = x.childForFieldName('left');
      const right = x.childForFieldName('right');
      if (!left || !right) return false;
      const f = this.formatted(x);
      if (f) return this.isStringy(f.template, deeper) && this.appendString(f.template, deeper, b, fields, sub, f.style);
      if (op !== '+' || !(this.isStringy(left, deeper) || this.isStringy(right, deeper))) return false;
      for (const side of [left, right]) if (!this.appendString(side, deeper, b, fields, sub, style)) b.unknown(spanOf(side), side.text);
      return true;
    }
    if (t === 'identifier') {
      const v = this.lookup(x, ctx);
      return !!v && this.isStringy(v, deeper) && this.appendString(v, deeper, b, fields, sub, style);
    }
    if (t === g.member.type) {
      const pseudo = this.pseudoOf(x);
      if (!pseudo) return false;
      appendPseudo(b, this.file, pseudo, spanOf(x), x.text);
      return true;
    }
    if (t === g.call) return this.appendCall(x, deeper, b, fields, sub);
    return false;
  }

  /** Whether an expression is a string (without building it). */
  private isStringy(n: Node, ctx: Ctx): boolean {
    const g = this.grammar;
    const x = this.unwrap(n);
    if (ctx.depth > MAX_DEPTH) return false;
    const deeper: Ctx = { ...ctx, depth: ctx.depth + 1 };
    const t = x.type;
    if (g.strings.includes(t)) return true;
    if (t === g.binary) {
      const f = this.formatted(x);
      if (f) return this.isStringy(f.template, deeper);
      const l = x.childForFieldName('left');
      const r = x.childForFieldName('right');
      return x.childForFieldName('operator')?.type === '+' && ((!!l && this.isStringy(l, deeper)) || (!!r && this.isStringy(r, deeper)));
    }
    if (t === 'identifier') {
      const list = this.bindingsOf(x.text);
      const d = list.find((dd) => dd.startIndex < x.startIndex) ?? list[0];
      const v = d?.childForFieldName(g.binding.value);
      return !!v && this.isStringy(v, deeper);
    }
    if (t === g.member.type) return !!this.pseudoOf(x);
    if (t === g.call) {
      const f = this.formatted(x);
      if (f && this.isStringy(f.template, deeper)) return true;
      const c = this.chain(x.childForFieldName('function'));
      const last = c?.[c.length - 1];
      return !!c && (((last === 'sub' || last === 'join') && c[c.length - 2] === 'Fn') || last === g.method('formatArn') || (last === 'format' && c[c.length - 2] === 'Arn'));
    }
    return false;
  }

  /** `Aws.REGION`, `this.region`, `Stack.of(this).account`, `stack.region`: a pseudo parameter's name. */
  private pseudoOf(x: Node): string | undefined {
    const g = this.grammar;
    const prop = x.childForFieldName(g.member.name)?.text;
    const obj = x.childForFieldName('object');
    const name = prop ? PSEUDO_BY_NAME[prop] : undefined;
    if (!name || !obj) return undefined;
    const o = this.unwrap(obj);
    if (/^[A-Z_]+$/.test(prop!)) return this.lastName(o) === 'Aws' ? name : undefined;
    if (g.isSelf(o)) return name;
    const last = this.lastName(o);
    if (last && /^(stack|env)$/i.test(last)) return name;
    if (o.type === g.call) {
      const c = this.chain(o.childForFieldName('function'));
      return c && c[c.length - 1] === 'of' && c[c.length - 2] === 'Stack' ? name : undefined;
    }
    return undefined;
  }

  /** A substitution: a constant string, a known pseudo parameter, else one opaque character. */
  protected hole(b: StringBuilder, hole: Node, ctx: Ctx): void {
    const g = this.grammar;
    const expr = this.holeExpression(hole);
    const x = expr ? this.unwrap(expr) : undefined;
    if (x && !x.hasError && (x.type === 'identifier' || x.type === g.member.type || x.type === g.call)) {
      const scratch = new StringBuilder();
      if (this.appendString(x, ctx, scratch, [])) {
        const sv = scratch.build(makeNode('string', hole.startIndex, 0, undefined));
        if (!sv.opaque.length || x.type === g.member.type) {
          b.from(sv);
          return;
        }
      }
    }
    b.unknown(spanOf(hole), hole.text);
  }

  private appendCall(x: Node, ctx: Ctx, b: StringBuilder, fields: FieldVariable[], sub?: SubFlag): boolean {
    const g = this.grammar;
    const fn = x.childForFieldName('function');
    const c = this.chain(fn);
    const given = this.argumentsOf(x);
    const { args } = given;
    const last = c?.[c.length - 1] ?? this.lastName(fn);
    const owner = c?.[c.length - 2];
    const f = this.formatted(x);
    if (f) return this.isStringy(f.template, ctx) && this.appendString(f.template, ctx, b, fields, sub, f.style);
    if (owner === 'Fn' && last === 'sub' && args[0]) {
      if (!this.appendSub(args[0], x, ctx, b)) return false;
      if (sub) sub.is = true;
      return true;
    }
    if (owner === 'Fn' && last === 'join' && args.length >= 2) {
      const delim = this.literalText(args[0]);
      const list = this.unwrap(args[1]);
      if (delim === undefined || !g.lists.includes(list.type)) return false;
      named(list).forEach((piece, i) => {
        if (i > 0 && delim) appendRun(b, delim, args[0].startIndex + 1);
        if (!this.appendString(piece, ctx, b, fields, sub)) b.unknown(spanOf(piece), piece.text);
      });
      return true;
    }
    const isFormatArn = last === g.method('formatArn') && fn?.type === g.member.type;
    const isArnFormat = last === 'format' && owner === 'Arn';
    if (!isFormatArn && !isArnFormat) return false;
    const parts = this.arnParts(x, given, isArnFormat, ctx);
    if (!parts) return false;
    const at = spanOf(fn?.type === g.member.type ? fn.childForFieldName(g.member.name)! : x);
    appendArn({
      file: this.file,
      append: (n, bb) => this.appendString(n, ctx, bb, fields, sub),
      memberName: (n) => this.lastName(n),
      literal: (n) => this.literalText(n),
    }, parts, at, b);
    return true;
  }
}
