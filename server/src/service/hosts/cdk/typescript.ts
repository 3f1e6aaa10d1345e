/**
 * CDK stacks in TypeScript and JavaScript: `new CfnPolicy(scope, id, { policyDocument })` with
 * `CfnPolicy` from `aws-cdk-lib/aws-iot` (or `@aws-cdk/aws-iot`), under any name the file gives it
 * (`iot.CfnPolicy`, `cdk.aws_iot.CfnPolicy`, `import { CfnPolicy as P }`, `require`).
 *
 * The policy document may be an object literal, `iam.PolicyDocument.fromJson({...})`,
 * `new iam.PolicyDocument({ statements: [new iam.PolicyStatement({...})] })` (with
 * `addActions(...)`-style calls on a statement or document constant), a `const` of the file holding
 * any of these, `JSON.parse` of a string, or `JSON.parse(fs.readFileSync(path))` of another file.
 * Template literals are policy text: `\${iot:ClientId}` is the policy variable, and every
 * substitution is opaque unless it names a constant string of the file or a known pseudo parameter.
 */
import type { Node } from 'web-tree-sitter';
import type { PolicyNode } from '../../policy/tree';
import type { Span } from '../../text/span';
import { makeNode, StringBuilder } from '../strings';
import { resolveSubString } from '../cloudformation/intrinsics';
import { subEscape } from '../cloudformation/writer';
import { appendArn, type ArnComponents } from './arn';
import { appendPseudo, dirname, joinPath, named, PSEUDO_BY_NAME, sameNode, spanOf, type CodeFile, type FoundPolicy, type LinkedPolicy } from './file';
import { appendRun, compose, decodeTs, identity, type FieldVariable, type Literal } from './literals';
import { IAM_STATEMENT_KEYS, PolicyBuild } from './tree';

const IOT_MODULES = new Set(['aws-cdk-lib/aws-iot', '@aws-cdk/aws-iot']);
const LIB_MODULES = new Set(['aws-cdk-lib', 'aws-cdk-lib/core']);
const FS_MODULES = new Set(['fs', 'node:fs']);
const PATH_MODULES = new Set(['path', 'node:path']);

/** How deep constants may refer to constants (`const a = b`), and literals nest. */
const MAX_DEPTH = 24;

interface Ctx {
  build: PolicyBuild;
  depth: number;
}

function unwrap(n: Node): Node {
  let x = n;
  for (;;) {
    switch (x.type) {
      case 'parenthesized_expression':
      case 'as_expression':
      case 'satisfies_expression':
      case 'non_null_expression':
      case 'type_assertion': {
        const inner = named(x).find((c) => !c.type.endsWith('type') && c.type !== 'type_arguments');
        if (!inner) return x;
        x = inner;
        continue;
      }
      default:
        return x;
    }
  }
}

/** `a.b.c` as names; undefined when a part is not a plain name. */
function chain(n: Node): string[] | undefined {
  const x = unwrap(n);
  if (x.type === 'identifier' || x.type === 'this') return [x.text];
  if (x.type === 'member_expression') {
    const obj = x.childForFieldName('object');
    const prop = x.childForFieldName('property');
    const head = obj && chain(obj);
    return head && prop ? [...head, prop.text] : undefined;
  }
  return undefined;
}

/** The last name of a callee or member (`iam.PolicyDocument.fromJson` → `fromJson`). */
function lastName(n: Node | null): string | undefined {
  if (!n) return undefined;
  const x = unwrap(n);
  if (x.type === 'identifier') return x.text;
  if (x.type === 'member_expression') return x.childForFieldName('property')?.text;
  return undefined;
}

export class TypeScriptReader {
  private readonly text: string;
  /** Names of the aws-iot module (`iot` in `iot.CfnPolicy`). */
  private readonly iotModules = new Set<string>();
  /** Names of aws-cdk-lib (`cdk` in `cdk.aws_iot.CfnPolicy`). */
  private readonly libModules = new Set<string>();
  /** Names `CfnPolicy` itself goes by. */
  private readonly cfnPolicy = new Set<string>();
  private readonly fsModules = new Set<string>();
  private readonly readFileSync = new Set<string>();
  private readonly pathModules = new Set<string>();
  private readonly joins = new Set<string>();
  private readonly declarations = new Map<string, Node[]>();

  constructor(private readonly file: CodeFile) {
    this.text = file.text;
    this.readImports();
  }

  // ---- imports -------------------------------------------------------------------------------

  private readImports(): void {
    for (const st of named(this.file.root)) {
      if (st.type === 'import_statement') this.importStatement(st);
      else if (st.type === 'lexical_declaration' || st.type === 'variable_declaration') {
        for (const d of named(st)) if (d.type === 'variable_declarator') this.requireDeclarator(d);
      }
    }
  }

  private bind(module: string, whole: string[], members: [string, string][]): void {
    const all = (set: Set<string>) => whole.forEach((w) => set.add(w));
    if (IOT_MODULES.has(module)) {
      all(this.iotModules);
      for (const [name, local] of members) if (name === 'CfnPolicy') this.cfnPolicy.add(local);
    } else if (LIB_MODULES.has(module)) {
      all(this.libModules);
      for (const [name, local] of members) if (name === 'aws_iot') this.iotModules.add(local);
    } else if (FS_MODULES.has(module)) {
      all(this.fsModules);
      for (const [name, local] of members) if (name === 'readFileSync') this.readFileSync.add(local);
    } else if (PATH_MODULES.has(module)) {
      all(this.pathModules);
      for (const [name, local] of members) if (name === 'join' || name === 'resolve') this.joins.add(local);
    }
  }

  private importStatement(st: Node): void {
    const source = st.childForFieldName('source');
    const module = source ? this.literalText(source) : undefined;
    if (module === undefined) return;
    const whole: string[] = [];
    const members: [string, string][] = [];
    for (const c of named(st)) {
      if (c.type === 'import_require_clause') {
        const id = named(c).find((x) => x.type === 'identifier');
        if (id) whole.push(id.text);
      }
      if (c.type !== 'import_clause') continue;
      for (const part of named(c)) {
        if (part.type === 'identifier') whole.push(part.text);
        else if (part.type === 'namespace_import') {
          const id = named(part).find((x) => x.type === 'identifier');
          if (id) whole.push(id.text);
        } else if (part.type === 'named_imports') {
          for (const spec of named(part)) {
            if (spec.type !== 'import_specifier') continue;
            const name = spec.childForFieldName('name')?.text;
            const alias = spec.childForFieldName('alias')?.text;
            if (name) members.push([name, alias ?? name]);
          }
        }
      }
    }
    this.bind(module, whole, members);
  }

  /** `const iot = require(...)` of aws-iot, `const { CfnPolicy: P } = require(...)`. */
  private requireDeclarator(d: Node): void {
    const value = d.childForFieldName('value');
    const name = d.childForFieldName('name');
    if (!value || !name) return;
    const v = unwrap(value);
    if (v.type !== 'call_expression' || v.childForFieldName('function')?.text !== 'require') return;
    const arg = named(v.childForFieldName('arguments'))[0];
    const module = arg ? this.literalText(arg) : undefined;
    if (module === undefined) return;
    if (name.type === 'identifier') this.bind(module, [name.text], []);
    else if (name.type === 'object_pattern') {
      const members: [string, string][] = [];
      for (const p of named(name)) {
        if (p.type === 'shorthand_property_identifier_pattern') members.push([p.text, p.text]);
        else if (p.type === 'pair_pattern') {
          const key = p.childForFieldName('key')?.text;
          const val = p.childForFieldName('value');
          if (key && val?.type === 'identifier') members.push([key, val.text]);
        }
      }
      this.bind(module, [], members);
    }
  }

  // ---- finding the constructs ----------------------------------------------------------------

  /** Whether a constructor expression is aws-iot's `CfnPolicy`. */
  private isCfnPolicy(ctor: Node): boolean {
    const c = chain(ctor);
    if (!c) return false;
    if (c.length === 1) return this.cfnPolicy.has(c[0]);
    if (c[c.length - 1] !== 'CfnPolicy') return false;
    if (c.length === 2) return this.iotModules.has(c[0]);
    return c.length === 3 && c[1] === 'aws_iot' && this.libModules.has(c[0]);
  }

  find(): FoundPolicy[] {
    const names = new Set(['CfnPolicy', ...this.cfnPolicy]);
    const out: FoundPolicy[] = [];
    const seen = new Set<number>();
    for (const name of names) {
      const re = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
      for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
        const id = this.file.root.descendantForIndex(m.index, m.index + name.length);
        if (!id || (id.type !== 'identifier' && id.type !== 'property_identifier')) continue;
        let ctor: Node = id;
        if (id.parent?.type === 'member_expression' && sameNode(id.parent.childForFieldName('property'), id)) ctor = id.parent;
        const expr = ctor.parent;
        if (expr?.type !== 'new_expression' || !sameNode(expr.childForFieldName('constructor'), ctor)) continue;
        if (seen.has(expr.startIndex) || !this.isCfnPolicy(ctor)) continue;
        seen.add(expr.startIndex);
        out.push(this.construct(expr));
      }
    }
    return out.sort((a, b) => a.span.offset - b.span.offset);
  }

  private construct(expr: Node): FoundPolicy {
    const args = named(expr.childForFieldName('arguments'));
    const build = new PolicyBuild();
    const span = spanOf(expr);
    build.ranges.push(span);
    const ctx: Ctx = { build, depth: 0 };
    const idNode = args[1];
    const idText = idNode ? this.literalText(idNode) : undefined;
    const idSpan = idNode ? this.contentSpan(idNode) : span;
    // A computed id (`${prefix}-policy`) is named as written between its delimiters.
    const id = idText ?? (idNode ? this.text.slice(idSpan.offset, idSpan.offset + idSpan.length) : '(no id)');
    const props = args[2] ? this.objectOf(args[2], ctx) : undefined;
    const found: FoundPolicy = { id, idSpan, span, build };
    if (!props) return found;
    const docValue = this.member(props, 'policyDocument', ctx);
    const nameValue = this.member(props, 'policyName', ctx);
    const policyName = nameValue ? this.literalText(nameValue) : undefined;
    if (policyName !== undefined) found.policyName = policyName;
    if (!docValue) return found;
    const linked = this.linkedFile(docValue);
    if (linked) {
      found.linked = linked;
      return found;
    }
    found.root = this.value(docValue, ctx, 'document');
    return found;
  }

  /** The value of a property of an object literal (`{ policyDocument }` reads the constant). */
  private member(obj: Node, key: string, ctx: Ctx): Node | undefined {
    let found: Node | undefined;
    for (const p of named(obj)) {
      if (p.type === 'pair' && this.keyText(p.childForFieldName('key')) === key) found = p.childForFieldName('value') ?? undefined;
      else if (p.type === 'shorthand_property_identifier' && p.text === key) found = this.constant(p, ctx) ?? p;
    }
    return found;
  }

  private keyText(k: Node | null): string | undefined {
    if (!k) return undefined;
    if (k.type === 'property_identifier' || k.type === 'identifier') return k.text;
    if (k.type === 'string') return this.literalText(k);
    if (k.type === 'number') return k.text;
    if (k.type === 'computed_property_name') {
      const inner = named(k)[0];
      return inner ? this.literalText(inner) : undefined;
    }
    return undefined;
  }

  /** An object literal, directly or through a constant. */
  private objectOf(n: Node, ctx: Ctx): Node | undefined {
    const x = unwrap(n);
    if (x.type === 'object') return x;
    if (x.type === 'identifier') {
      const v = this.constant(x, ctx);
      return v && ctx.depth < MAX_DEPTH ? this.objectOf(v, { ...ctx, depth: ctx.depth + 1 }) : undefined;
    }
    return undefined;
  }

  // ---- constants -----------------------------------------------------------------------------

  /** Declarators of `name` in the file (`const name = ...`), in document order. */
  private declaratorsOf(name: string): Node[] {
    let list = this.declarations.get(name);
    if (list) return list;
    list = [];
    const re = new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      const id = this.file.root.descendantForIndex(m.index, m.index + name.length);
      const d = id?.parent;
      if (id?.type === 'identifier' && d?.type === 'variable_declarator' && sameNode(d.childForFieldName('name'), id) && d.childForFieldName('value')) list.push(d);
    }
    this.declarations.set(name, list);
    return list;
  }

  /** The block a declaration is visible in. */
  private scopeOf(d: Node): Node {
    let s = d.parent;
    while (s && s.type !== 'statement_block' && s.type !== 'program' && s.type !== 'class_body' && s.type !== 'switch_body') s = s.parent;
    return s ?? this.file.root;
  }

  /**
   * The value a name refers to: the nearest declaration before the use whose block holds it, else
   * one after it (a module constant read in a method). Its range becomes part of the policy.
   */
  private constant(id: Node, ctx: Ctx): Node | undefined {
    const at = id.startIndex;
    let best: Node | undefined;
    for (const d of this.declaratorsOf(id.text)) {
      if (d.startIndex <= at && at < d.endIndex) continue;
      const s = this.scopeOf(d);
      if (at < s.startIndex || at >= s.endIndex) continue;
      if (!best || (d.startIndex < at && (best.startIndex > at || d.startIndex > best.startIndex))) best = d;
    }
    if (!best) return undefined;
    ctx.build.ranges.push(spanOf(best));
    return best.childForFieldName('value') ?? undefined;
  }

  /** The name a value is declared under (`const st = new PolicyStatement(...)`), for its `add...` calls. */
  private declaredName(value: Node): string | undefined {
    const d = value.parent;
    if (d?.type !== 'variable_declarator' || !sameNode(d.childForFieldName('value'), value)) return undefined;
    const name = d.childForFieldName('name');
    return name?.type === 'identifier' ? name.text : undefined;
  }

  /** `name.method(...)` calls in the file, for the given methods. */
  private callsOn(name: string, methods: readonly string[]): { method: string; args: Node[]; call: Node }[] {
    const out: { method: string; args: Node[]; call: Node }[] = [];
    const re = new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}\\s*\\.\\s*(${methods.join('|')})\\s*\\(`, 'g');
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      const id = this.file.root.descendantForIndex(m.index, m.index + name.length);
      const member = id?.parent;
      const call = member?.parent;
      if (member?.type !== 'member_expression' || call?.type !== 'call_expression' || !sameNode(call.childForFieldName('function'), member)) continue;
      out.push({ method: m[1], args: named(call.childForFieldName('arguments')), call });
    }
    return out;
  }

  // ---- values --------------------------------------------------------------------------------

  /** A policy value. `document` marks the policy's own root (where `PolicyDocument` shapes are read). */
  private value(n: Node, ctx: Ctx, where?: 'document' | 'statement'): PolicyNode {
    const x = unwrap(n);
    const b = ctx.build;
    if (ctx.depth > MAX_DEPTH) return b.opaque(spanOf(x), x.text);
    const deeper: Ctx = { ...ctx, depth: ctx.depth + 1 };
    switch (x.type) {
      case 'object':
        return this.object(x, deeper);
      case 'array':
        return this.array(x, deeper, where === 'statement');
      case 'number': {
        const v = Number(x.text.replace(/_/g, ''));
        return Number.isFinite(v) ? b.node('number', spanOf(x), { value: v }) : b.opaque(spanOf(x), x.text);
      }
      case 'true':
      case 'false':
        return b.node('boolean', spanOf(x), { value: x.type === 'true' });
      case 'null':
        return b.node('null', spanOf(x));
      case 'identifier': {
        const v = this.constant(x, ctx);
        if (!v) return b.opaque(spanOf(x), x.text);
        if (where) {
          const name = this.declaredName(v);
          const inner = unwrap(v);
          if (inner.type === 'new_expression' && name) return this.construction(inner, deeper, where, name) ?? this.value(v, deeper, where);
        }
        return this.value(v, deeper, where);
      }
      case 'member_expression': {
        const effect = this.effectOf(x, ctx);
        if (effect) return effect;
        break;
      }
      case 'new_expression': {
        const built = where ? this.construction(x, deeper, where) : undefined;
        if (built) return built;
        break;
      }
      case 'call_expression': {
        const special = this.callValue(x, deeper, where);
        if (special) return special;
        break;
      }
      default:
        break;
    }
    const s = this.stringNode(x, deeper);
    return s ?? b.opaque(spanOf(x), x.text);
  }

  /** `iam.Effect.ALLOW` as the policy's `"Allow"`, laid over `ALLOW`. */
  private effectOf(x: Node, ctx: Ctx): PolicyNode | undefined {
    const c = chain(x);
    if (!c || c.length < 2 || c[c.length - 2] !== 'Effect') return undefined;
    const last = c[c.length - 1];
    if (last !== 'ALLOW' && last !== 'DENY') return undefined;
    const prop = x.childForFieldName('property')!;
    return ctx.build.synthetic(last === 'ALLOW' ? 'Allow' : 'Deny', spanOf(prop));
  }

  private object(x: Node, ctx: Ctx): PolicyNode {
    const b = ctx.build;
    const props: PolicyNode[] = [];
    for (const p of named(x)) {
      if (p.type === 'pair') {
        const k = p.childForFieldName('key');
        const v = p.childForFieldName('value');
        if (!k || !v || unwrap(v).text === 'undefined') continue;
        const key = this.keyNode(k, ctx);
        if (!key) continue;
        const colon = this.text.indexOf(':', k.endIndex);
        props.push(b.property(key, this.value(v, ctx), spanOf(p), colon >= 0 && colon < v.startIndex ? colon : undefined));
      } else if (p.type === 'shorthand_property_identifier') {
        const key = b.synthetic(p.text, spanOf(p));
        const v = this.constant(p, ctx);
        props.push(b.property(key, v ? this.value(v, ctx) : b.opaque(spanOf(p), p.text), spanOf(p)));
      } else if (p.type === 'spread_element') {
        const inner = named(p)[0];
        const obj = inner && this.objectOf(inner, ctx);
        if (obj && ctx.depth < MAX_DEPTH) {
          const spread = this.object(obj, { ...ctx, depth: ctx.depth + 1 });
          for (const c of spread.children ?? []) props.push(c);
        }
      }
    }
    const node = b.node('object', spanOf(x), { children: props });
    return b.container(node, { open: x.startIndex + 1, close: x.endIndex - 1, dialect: 'ts', style: 'plain' });
  }

  /** A key: a name, a string or a number, or a computed key that is a string. */
  private keyNode(k: Node, ctx: Ctx): PolicyNode | undefined {
    const b = ctx.build;
    if (k.type === 'property_identifier' || k.type === 'number') return b.synthetic(k.text, spanOf(k));
    if (k.type === 'string') return this.stringNode(k, ctx);
    if (k.type === 'computed_property_name') {
      const inner = named(k)[0];
      return inner ? this.stringNode(inner, ctx) : undefined;
    }
    return undefined;
  }

  private array(x: Node, ctx: Ctx, statements: boolean): PolicyNode {
    const b = ctx.build;
    const items: PolicyNode[] = [];
    for (const e of named(x)) {
      if (e.type === 'spread_element') {
        const inner = named(e)[0];
        const v = inner ? this.value(inner, ctx) : undefined;
        if (v?.type === 'array') items.push(...(v.children ?? []));
        else items.push(b.opaque(spanOf(e), e.text));
        continue;
      }
      items.push(this.value(e, ctx, statements ? 'statement' : undefined));
    }
    const node = b.node('array', spanOf(x), { children: items });
    return b.container(node, { open: x.startIndex + 1, close: x.endIndex - 1, dialect: 'ts', style: 'plain' });
  }

  // ---- the CDK's policy classes -----------------------------------------------------------------

  /** `new iam.PolicyDocument({...})` or `new iam.PolicyStatement({...})` where a document or a statement goes. */
  private construction(x: Node, ctx: Ctx, where: 'document' | 'statement', name?: string): PolicyNode | undefined {
    const ctor = x.childForFieldName('constructor');
    const cls = lastName(ctor);
    const props = named(x.childForFieldName('arguments'))[0];
    const obj = props ? this.objectOf(props, ctx) : undefined;
    if (where === 'document' && cls === 'PolicyDocument') return this.iamDocument(x, obj, ctx, name);
    if (cls === 'PolicyStatement') return this.iamStatement(x, obj, ctx, name);
    return undefined;
  }

  /** How this file spells a class of the module `ctor` comes from (`iam.PolicyDocument` → `iam.Effect`). */
  private sibling(ctor: Node | null, cls: string): string {
    const c = ctor ? chain(ctor) : undefined;
    return c && c.length > 1 ? [...c.slice(0, -1), cls].join('.') : cls;
  }

  private iamDocument(x: Node, obj: Node | undefined, ctx: Ctx, name?: string): PolicyNode {
    const b = ctx.build;
    const span = spanOf(x);
    const ctor = x.childForFieldName('constructor');
    const at = { offset: x.startIndex, length: 0 };
    const version = b.property(b.synthetic('Version', at), b.synthetic('2012-10-17', at), at);
    const props: PolicyNode[] = [version];
    const statementsPair = obj ? named(obj).find((p) => p.type === 'pair' && this.keyText(p.childForFieldName('key')) === 'statements') : undefined;
    const adds = name ? this.callsOn(name, ['addStatements']) : [];
    const list = statementsPair?.childForFieldName('value');
    const listNode = list ? unwrap(list) : undefined;
    let items: PolicyNode | undefined;
    if (listNode?.type === 'array') items = this.array(listNode, ctx, true);
    else if (listNode) items = this.value(listNode, ctx);
    if (adds.length) {
      const extra = adds.flatMap((a) => a.args.map((arg) => this.value(arg, ctx, 'statement')));
      if (!items) items = b.node('array', spanOf(adds[0].call), { children: [] });
      if (items.type === 'array') for (const e of extra) b.append(items, e);
    }
    if (items) {
      const keySpan = statementsPair ? spanOf(statementsPair.childForFieldName('key')!) : at;
      const c = b.containers.get(items);
      if (c) c.statements = { ctor: this.sibling(ctor, 'PolicyStatement'), effect: this.sibling(ctor, 'Effect') };
      props.push(b.property(b.synthetic('Statement', keySpan), items, statementsPair ? spanOf(statementsPair) : spanOf(adds[0].call)));
    }
    const node = b.node('object', span, { children: props });
    b.synthetics.add(version);
    if (!obj) return node;
    return b.container(node, { open: obj.startIndex + 1, close: obj.endIndex - 1, dialect: 'ts', style: 'iam' });
  }

  private iamStatement(x: Node, obj: Node | undefined, ctx: Ctx, name?: string): PolicyNode {
    const b = ctx.build;
    const props: PolicyNode[] = [];
    const lists = new Map<string, PolicyNode>();
    let effect = false;
    for (const p of obj ? named(obj) : []) {
      if (p.type !== 'pair') continue;
      const k = p.childForFieldName('key');
      const v = p.childForFieldName('value');
      const key = this.keyText(k);
      const mapped = key ? IAM_STATEMENT_KEYS[key] : undefined;
      if (!k || !v || !mapped) continue;
      const value = this.value(v, ctx);
      if (mapped === 'Effect') effect = true;
      if (value.type === 'array') lists.set(mapped, value);
      const colon = this.text.indexOf(':', k.endIndex);
      props.push(b.property(b.synthetic(mapped, spanOf(k)), value, spanOf(p), colon >= 0 && colon < v.startIndex ? colon : undefined));
    }
    if (name) this.statementCalls(name, ctx, props, lists);
    if (!effect) {
      const at = { offset: x.startIndex, length: 0 };
      const p = b.property(b.synthetic('Effect', at), b.synthetic('Allow', at), at);
      b.synthetics.add(p);
      props.unshift(p);
    }
    const node = b.node('object', spanOf(x), { children: props });
    if (!obj) return node;
    const effectEnum = this.sibling(x.childForFieldName('constructor'), 'Effect');
    return b.container(node, { open: obj.startIndex + 1, close: obj.endIndex - 1, dialect: 'ts', style: 'iam', effect: effectEnum });
  }

  /** `st.addActions(...)`, `st.addResources(...)`, `st.addAllResources()`, `st.addCondition(op, {...})` on a statement constant. */
  private statementCalls(name: string, ctx: Ctx, props: PolicyNode[], lists: Map<string, PolicyNode>): void {
    const b = ctx.build;
    const methods: Record<string, string> = { addActions: 'Action', addNotActions: 'NotAction', addResources: 'Resource', addNotResources: 'NotResource', addAllResources: 'Resource' };
    for (const call of this.callsOn(name, [...Object.keys(methods), 'addCondition'])) {
      const at = spanOf(call.call);
      b.ranges.push(at);
      if (call.method === 'addCondition') {
        const [op, value] = call.args;
        const operator = op && this.stringNode(op, ctx);
        if (operator && value) b.addCondition(props, operator, this.value(value, ctx), at);
        continue;
      }
      const items = call.method === 'addAllResources' ? [b.synthetic('*', at)] : call.args.map((a) => this.value(a, ctx));
      b.addItems(props, lists, methods[call.method], items, at);
    }
  }

  /** Calls that stand for a policy value: `PolicyDocument.fromJson`, `JSON.parse`, and string-valued ones. */
  private callValue(x: Node, ctx: Ctx, where?: 'document' | 'statement'): PolicyNode | undefined {
    const fn = x.childForFieldName('function');
    const args = named(x.childForFieldName('arguments'));
    const c = fn ? chain(fn) : undefined;
    const last = c?.[c.length - 1];
    if (last === 'fromJson' && c && c.length >= 2 && args[0] && where) {
      const cls = c[c.length - 2];
      if (cls === 'PolicyDocument' && where === 'document') return ctx.build.withDefaults(this.value(args[0], ctx), 'document');
      if (cls === 'PolicyStatement') return ctx.build.withDefaults(this.value(args[0], ctx), 'statement');
    }
    if (c?.length === 2 && c[0] === 'JSON' && last === 'parse' && args[0]) {
      const b = new StringBuilder();
      if (!this.appendString(args[0], ctx, b, [])) return undefined;
      const sv = b.build(makeNode('string', x.startIndex, x.endIndex - x.startIndex, undefined));
      // JSON text is written back through the escape of the literal that holds it.
      const outer = this.file.literals.at(sv.offsetOf(0))?.escape ?? identity;
      return ctx.build.embedded(sv, spanOf(x), outer, (lit) => this.file.literals.add(lit));
    }
    return undefined;
  }

  // ---- files -----------------------------------------------------------------------------------

  /** `JSON.parse(fs.readFileSync(path, ...))` and a `require` of a JSON file: a policy in another file. */
  private linkedFile(n: Node): LinkedPolicy | undefined {
    const x = unwrap(n);
    if (x.type !== 'call_expression') return undefined;
    const c = chain(x.childForFieldName('function')!);
    const args = named(x.childForFieldName('arguments'));
    // `PolicyDocument.fromJson(JSON.parse(...))` renders the file's policy.
    if (c && c.length >= 2 && c[c.length - 1] === 'fromJson' && c[c.length - 2] === 'PolicyDocument' && args[0]) return this.linkedFile(args[0]);
    if (c?.length === 1 && c[0] === 'require' && args[0]) {
      const p = this.literalText(args[0]);
      return p !== undefined && /\.json$/i.test(p) ? { path: p.startsWith('.') ? joinPath(dirname(this.file.path), p) : p, span: spanOf(x) } : undefined;
    }
    if (!(c?.length === 2 && c[0] === 'JSON' && c[1] === 'parse' && args[0])) return undefined;
    let read = unwrap(args[0]);
    if (read.type === 'identifier') {
      const d = this.declaratorsOf(read.text)[0]?.childForFieldName('value');
      if (d) read = unwrap(d);
    }
    // `.toString()` on the buffer.
    const rf = read.type === 'call_expression' ? read.childForFieldName('function') : null;
    if (rf?.type === 'member_expression' && rf.childForFieldName('property')?.text === 'toString') {
      const obj = rf.childForFieldName('object');
      if (obj) read = unwrap(obj);
    }
    if (read.type !== 'call_expression') return undefined;
    const rc = chain(read.childForFieldName('function')!);
    const isRead = rc && ((rc.length === 1 && this.readFileSync.has(rc[0])) || (rc.length === 2 && this.fsModules.has(rc[0]) && rc[1] === 'readFileSync'));
    const pathArg = named(read.childForFieldName('arguments'))[0];
    const path = isRead && pathArg ? this.pathOf(pathArg) : undefined;
    return path === undefined ? undefined : { path, span: spanOf(x) };
  }

  /** A path built from literals and `__dirname` (`path.join(__dirname, 'policy.json')`). */
  private pathOf(n: Node, depth = 0): string | undefined {
    const x = unwrap(n);
    if (depth > 4) return undefined;
    if (x.type === 'identifier' && x.text === '__dirname') return dirname(this.file.path);
    const lit = this.literalText(x);
    if (lit !== undefined) return lit;
    if (x.type === 'template_string') {
      let out = '';
      for (let i = 0; i < x.childCount; i++) {
        const c = x.child(i)!;
        if (c.type === 'string_fragment') out += c.text;
        else if (c.type === 'template_substitution') {
          const inner = named(c)[0];
          const p = inner ? this.pathOf(inner, depth + 1) : undefined;
          if (p === undefined) return undefined;
          out += p;
        } else if (c.type === 'escape_sequence') return undefined;
      }
      return out;
    }
    if (x.type === 'call_expression') {
      const c = chain(x.childForFieldName('function')!);
      const isJoin = c && ((c.length === 1 && this.joins.has(c[0])) || (c.length === 2 && this.pathModules.has(c[0]) && (c[1] === 'join' || c[1] === 'resolve')));
      if (!isJoin) return undefined;
      const parts = named(x.childForFieldName('arguments')).map((a) => this.pathOf(a, depth + 1));
      return parts.every((p): p is string => p !== undefined) ? joinPath(...parts) : undefined;
    }
    return undefined;
  }

  // ---- strings ---------------------------------------------------------------------------------

  /** The text of a string literal without substitutions, when `n` is one. */
  literalText(n: Node): string | undefined {
    const x = unwrap(n);
    if (x.type !== 'string' && x.type !== 'template_string') return undefined;
    if (x.type === 'template_string' && named(x).some((c) => c.type === 'template_substitution')) return undefined;
    const b = new StringBuilder();
    decodeTs(x, this.text, b, () => undefined);
    return b.build(makeNode('string', 0, 0, undefined)).value;
  }

  /** The content span of a literal (without quotes), or the node's span. */
  private contentSpan(n: Node): Span {
    const x = unwrap(n);
    if ((x.type === 'string' || x.type === 'template_string') && x.endIndex - x.startIndex >= 2) return { offset: x.startIndex + 1, length: x.endIndex - x.startIndex - 2 };
    return spanOf(x);
  }

  /** A string node when `n` is a string expression. */
  private stringNode(n: Node, ctx: Ctx): PolicyNode | undefined {
    const b = new StringBuilder();
    const fields: FieldVariable[] = [];
    const sub = { is: false };
    if (!this.appendString(n, ctx, b, fields, sub)) return undefined;
    const node = ctx.build.string(b, spanOf(unwrap(n)), fields);
    if (sub.is) ctx.build.subStrings.add(ctx.build.strings.get(node)!);
    return node;
  }

  private register(lit: Literal, sub: boolean): void {
    if (sub) {
      lit.sub = true;
      lit.escape = compose(subEscape, lit.escape);
    }
    this.file.literals.add(lit);
  }

  /**
   * Appends a string expression to `b`: literals, template literals, `+`, constants, `Fn.sub`,
   * `Fn.join`, `formatArn` and `Arn.format`. False, with nothing appended, when it is not one.
   */
  appendString(n: Node, ctx: Ctx, b: StringBuilder, fields: FieldVariable[], sub?: { is: boolean }): boolean {
    const x = unwrap(n);
    if (ctx.depth > MAX_DEPTH) return false;
    const deeper: Ctx = { ...ctx, depth: ctx.depth + 1 };
    switch (x.type) {
      case 'string':
      case 'template_string': {
        const lit = decodeTs(x, this.text, b, (bb, hole) => this.hole(bb, hole, deeper));
        this.register(lit, false);
        return true;
      }
      case 'binary_expression': {
        if (x.childForFieldName('operator')?.type !== '+') return false;
        const left = x.childForFieldName('left');
        const right = x.childForFieldName('right');
        if (!left || !right || !(this.isStringy(left, deeper) || this.isStringy(right, deeper))) return false;
        for (const side of [left, right]) if (!this.appendString(side, deeper, b, fields, sub)) this.unknown(b, side);
        return true;
      }
      case 'identifier': {
        const v = this.constant(x, ctx);
        return !!v && this.isStringy(v, deeper) && this.appendString(v, deeper, b, fields, sub);
      }
      case 'member_expression': {
        const pseudo = this.pseudoOf(x);
        if (!pseudo) return false;
        appendPseudo(b, this.file, pseudo, spanOf(x), x.text);
        return true;
      }
      case 'call_expression':
        return this.appendCall(x, deeper, b, fields, sub);
      default:
        return false;
    }
  }

  private unknown(b: StringBuilder, n: Node): void {
    b.unknown(spanOf(n), n.text);
  }

  /** Whether an expression is a string (without building it). */
  private isStringy(n: Node, ctx: Ctx): boolean {
    const x = unwrap(n);
    if (ctx.depth > MAX_DEPTH) return false;
    switch (x.type) {
      case 'string':
      case 'template_string':
        return true;
      case 'binary_expression': {
        const l = x.childForFieldName('left');
        const r = x.childForFieldName('right');
        return x.childForFieldName('operator')?.type === '+' && ((!!l && this.isStringy(l, { ...ctx, depth: ctx.depth + 1 })) || (!!r && this.isStringy(r, { ...ctx, depth: ctx.depth + 1 })));
      }
      case 'identifier': {
        const d = this.declaratorsOf(x.text).find((dd) => dd.startIndex < x.startIndex) ?? this.declaratorsOf(x.text)[0];
        const v = d?.childForFieldName('value');
        return !!v && this.isStringy(v, { ...ctx, depth: ctx.depth + 1 });
      }
      case 'member_expression':
        return !!this.pseudoOf(x);
      case 'call_expression': {
        const c = chain(x.childForFieldName('function')!);
        const last = c?.[c.length - 1];
        return !!c && ((last === 'sub' || last === 'join') && c[c.length - 2] === 'Fn' || last === 'formatArn' || (last === 'format' && c[c.length - 2] === 'Arn'));
      }
      default:
        return false;
    }
  }

  /** `Aws.REGION`, `this.region`, `Stack.of(this).account`, `stack.region`: a pseudo parameter's name. */
  private pseudoOf(x: Node): string | undefined {
    const prop = x.childForFieldName('property')?.text;
    const obj = x.childForFieldName('object');
    const name = prop ? PSEUDO_BY_NAME[prop] : undefined;
    if (!name || !obj) return undefined;
    const o = unwrap(obj);
    if (/^[A-Z_]+$/.test(prop!)) return lastName(o) === 'Aws' ? name : undefined;
    if (o.type === 'this') return name;
    const last = lastName(o);
    if (last && /^(stack|env)$/i.test(last)) return name;
    if (o.type === 'call_expression') {
      const c = chain(o.childForFieldName('function')!);
      return c && c[c.length - 1] === 'of' && c[c.length - 2] === 'Stack' ? name : undefined;
    }
    return undefined;
  }

  /** A template substitution: a constant string, a known pseudo parameter, else one opaque character. */
  private hole(b: StringBuilder, hole: Node, ctx: Ctx): void {
    const inner = named(hole)[0];
    const x = inner ? unwrap(inner) : undefined;
    if (x && !x.hasError && (x.type === 'identifier' || x.type === 'member_expression' || x.type === 'call_expression')) {
      const before = b.length;
      const scratch = new StringBuilder();
      if (this.appendString(x, ctx, scratch, [])) {
        const sv = scratch.build(makeNode('string', hole.startIndex, 0, undefined));
        if (!sv.opaque.length || x.type === 'member_expression') {
          b.from(sv);
          if (b.length > before || sv.value === '') return;
        }
      }
    }
    b.unknown(spanOf(hole), hole.text);
  }

  private appendCall(x: Node, ctx: Ctx, b: StringBuilder, fields: FieldVariable[], sub?: { is: boolean }): boolean {
    const fn = x.childForFieldName('function');
    const c = fn ? chain(fn) : undefined;
    const args = named(x.childForFieldName('arguments'));
    const last = c?.[c.length - 1] ?? lastName(fn);
    const owner = c?.[c.length - 2];
    if (owner === 'Fn' && last === 'sub' && args[0]) {
      // The Sub's `${!iot:...}` renders `${iot:...}`; `${AWS::Region}` is filled in at deploy.
      const inner = new StringBuilder();
      const lit = this.subLiteral(args[0], ctx, inner);
      if (!lit) return false;
      const sv = inner.build(makeNode('string', x.startIndex, 0, undefined));
      const resolved = resolveSubString(sv, sv.node, { mode: 'template', values: this.file.options.values }, ctx.build.notes);
      b.from(resolved);
      if (sub) sub.is = true;
      return true;
    }
    if (owner === 'Fn' && last === 'join' && args.length >= 2) {
      const delim = this.literalText(args[0]);
      const list = unwrap(args[1]);
      if (delim === undefined || list.type !== 'array') return false;
      named(list).forEach((piece, i) => {
        if (i > 0 && delim) appendRun(b, delim, args[0].startIndex + 1);
        if (!this.appendString(piece, ctx, b, fields, sub)) this.unknown(b, piece);
      });
      return true;
    }
    const isFormatArn = last === 'formatArn' && !!fn && fn.type === 'member_expression';
    const isArnFormat = last === 'format' && owner === 'Arn';
    if ((isFormatArn || isArnFormat) && args[0]) {
      const obj = this.objectOf(args[0], ctx);
      if (!obj) return false;
      const parts: ArnComponents = {};
      for (const p of named(obj)) {
        const key = p.type === 'pair' ? this.keyText(p.childForFieldName('key')) : undefined;
        const v = p.childForFieldName('value');
        if (key && v && ['partition', 'service', 'region', 'account', 'resource', 'resourceName', 'arnFormat', 'sep'].includes(key)) parts[key as keyof ArnComponents] = v;
      }
      const at = spanOf(fn?.type === 'member_expression' ? fn.childForFieldName('property')! : x);
      appendArn({
        file: this.file,
        append: (n, bb) => this.appendString(n, ctx, bb, fields, sub),
        memberName: (n) => lastName(n),
        literal: (n) => this.literalText(n),
      }, parts, at, b);
      return true;
    }
    return false;
  }

  /** The template string of a `Fn.sub`, registered as a Sub literal. */
  private subLiteral(n: Node, ctx: Ctx, b: StringBuilder): boolean {
    const x = unwrap(n);
    if (x.type === 'string' || x.type === 'template_string') {
      this.register(decodeTs(x, this.text, b, (bb, hole) => this.hole(bb, hole, ctx)), true);
      return true;
    }
    if (x.type === 'identifier') {
      const v = this.constant(x, ctx);
      return !!v && ctx.depth < MAX_DEPTH && this.subLiteral(v, { ...ctx, depth: ctx.depth + 1 }, b);
    }
    return false;
  }
}
