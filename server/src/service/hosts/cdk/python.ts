/**
 * CDK stacks in Python: `iot.CfnPolicy(self, "Id", policy_document=...)` with `CfnPolicy` from
 * `aws_cdk.aws_iot` under any name (`from aws_cdk import aws_iot as iot`, `import aws_cdk as cdk`
 * then `cdk.aws_iot.CfnPolicy`, `from aws_cdk.aws_iot import CfnPolicy`).
 *
 * The policy document may be a dict, `iam.PolicyDocument.from_json({...})`,
 * `iam.PolicyDocument(statements=[iam.PolicyStatement(...)])` (with `add_actions(...)`-style
 * calls on a statement or document variable), a variable of the file holding any of these,
 * `json.loads` of a string, or `json.loads`/`json.load` of a file opened by a literal path.
 * f-string replacement fields are opaque; `${{iot:ClientId}}` is the policy variable, and
 * `${iot:ClientId}` (which Python reads as a field) is noted for `fstring-variable-not-escaped`.
 * Strings that `.format(...)` or `%` fill in are read the same way.
 */
import type { Node } from 'web-tree-sitter';
import type { PolicyNode } from '../../policy/tree';
import type { Span } from '../../text/span';
import { makeNode, StringBuilder } from '../strings';
import { resolveSubString } from '../cloudformation/intrinsics';
import { subEscape } from '../cloudformation/writer';
import { appendArn, arnComponentName, type ArnComponents } from './arn';
import { appendPseudo, dirname, joinPath, named, PSEUDO_BY_NAME, sameNode, spanOf, type CodeFile, type FoundPolicy, type LinkedPolicy } from './file';
import { appendFormatted, appendRun, compose, decodePy, identity, pythonEscape, pythonQuote, type FieldVariable } from './literals';
import { IAM_STATEMENT_KEYS, PolicyBuild } from './tree';

const MAX_DEPTH = 24;

interface Ctx {
  build: PolicyBuild;
  depth: number;
}

function unwrap(n: Node): Node {
  let x = n;
  while (x.type === 'parenthesized_expression') {
    const inner = named(x)[0];
    if (!inner) return x;
    x = inner;
  }
  return x;
}

/** `a.b.c` as names; undefined when a part is not a plain name. */
function chain(n: Node | null): string[] | undefined {
  if (!n) return undefined;
  const x = unwrap(n);
  if (x.type === 'identifier') return [x.text];
  if (x.type === 'attribute') {
    const head = chain(x.childForFieldName('object'));
    const attr = x.childForFieldName('attribute');
    return head && attr ? [...head, attr.text] : undefined;
  }
  return undefined;
}

function lastName(n: Node | null): string | undefined {
  if (!n) return undefined;
  const x = unwrap(n);
  if (x.type === 'identifier') return x.text;
  if (x.type === 'attribute') return x.childForFieldName('attribute')?.text;
  return undefined;
}

/** Positional and keyword arguments of a call. */
function argumentsOf(call: Node): { args: Node[]; kwargs: Map<string, Node>; list: Node | null } {
  const list = call.childForFieldName('arguments');
  const args: Node[] = [];
  const kwargs = new Map<string, Node>();
  for (const a of named(list)) {
    if (a.type === 'keyword_argument') {
      const k = a.childForFieldName('name')?.text;
      const v = a.childForFieldName('value');
      if (k && v) kwargs.set(k, v);
    } else args.push(a);
  }
  return { args, kwargs, list };
}

export class PythonReader {
  private readonly text: string;
  private readonly iotModules = new Set<string>();
  private readonly libModules = new Set<string>();
  private readonly cfnPolicy = new Set<string>();
  private readonly assignments = new Map<string, Node[]>();

  constructor(private readonly file: CodeFile) {
    this.text = file.text;
    this.readImports();
  }

  private readImports(): void {
    for (const st of named(this.file.root)) {
      if (st.type === 'import_from_statement') {
        const module = st.childForFieldName('module_name')?.text.replace(/\s+/g, '');
        for (const c of st.childrenForFieldName('name')) {
          if (!c) continue;
          const name = c.type === 'aliased_import' ? c.childForFieldName('name')?.text : c.text;
          const local = c.type === 'aliased_import' ? c.childForFieldName('alias')?.text : name;
          if (!name || !local) continue;
          if (module === 'aws_cdk' && name === 'aws_iot') this.iotModules.add(local);
          if (module === 'aws_cdk.aws_iot' && name === 'CfnPolicy') this.cfnPolicy.add(local);
        }
      } else if (st.type === 'import_statement') {
        for (const c of named(st)) {
          const dotted = (c.type === 'aliased_import' ? c.childForFieldName('name')?.text : c.text)?.replace(/\s+/g, '');
          const alias = c.type === 'aliased_import' ? c.childForFieldName('alias')?.text : undefined;
          if (dotted === 'aws_cdk.aws_iot') {
            if (alias) this.iotModules.add(alias);
            else this.libModules.add('aws_cdk');
          } else if (dotted === 'aws_cdk') this.libModules.add(alias ?? 'aws_cdk');
        }
      }
    }
  }

  private isCfnPolicy(fn: Node): boolean {
    const c = chain(fn);
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
      const re = new RegExp(`(?<!\\w)${name}(?!\\w)`, 'g');
      for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
        const id = this.file.root.descendantForIndex(m.index, m.index + name.length);
        if (id?.type !== 'identifier') continue;
        let fn: Node = id;
        if (id.parent?.type === 'attribute' && sameNode(id.parent.childForFieldName('attribute'), id)) fn = id.parent;
        const call = fn.parent;
        if (call?.type !== 'call' || !sameNode(call.childForFieldName('function'), fn)) continue;
        if (seen.has(call.startIndex) || !this.isCfnPolicy(fn)) continue;
        seen.add(call.startIndex);
        out.push(this.construct(call));
      }
    }
    return out.sort((a, b) => a.span.offset - b.span.offset);
  }

  private construct(call: Node): FoundPolicy {
    const { args, kwargs } = argumentsOf(call);
    const build = new PolicyBuild();
    const span = spanOf(call);
    build.ranges.push(span);
    const ctx: Ctx = { build, depth: 0 };
    const idNode = args[1] ?? kwargs.get('id');
    const idText = idNode ? this.literalText(idNode) : undefined;
    const idSpan = idNode ? this.contentSpan(idNode) : span;
    // A computed id (`f"{prefix}-policy"`) is named as written between its delimiters.
    const id = idText ?? (idNode ? this.text.slice(idSpan.offset, idSpan.offset + idSpan.length) : '(no id)');
    const found: FoundPolicy = { id, idSpan, span, build };
    const nameNode = kwargs.get('policy_name');
    const policyName = nameNode ? this.literalText(nameNode) : undefined;
    if (policyName !== undefined) found.policyName = policyName;
    const doc = kwargs.get('policy_document');
    if (!doc) return found;
    const linked = this.linkedFile(doc, ctx);
    if (linked) {
      found.linked = linked;
      return found;
    }
    found.root = this.value(doc, ctx, 'document');
    return found;
  }

  // ---- variables -------------------------------------------------------------------------------

  /** Assignments `name = value` (and `name: T = value`) of the file, in document order. */
  private assignmentsOf(name: string): Node[] {
    let list = this.assignments.get(name);
    if (list) return list;
    list = [];
    const re = new RegExp(`(?<![\\w.])${name}\\s*(:[^=\\n]*)?=(?!=)`, 'g');
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      const id = this.file.root.descendantForIndex(m.index, m.index + name.length);
      const a = id?.parent;
      if (id?.type === 'identifier' && a?.type === 'assignment' && sameNode(a.childForFieldName('left'), id) && a.childForFieldName('right')) list.push(a);
    }
    this.assignments.set(name, list);
    return list;
  }

  private scopeOf(n: Node): Node {
    let s = n.parent;
    while (s && s.type !== 'function_definition' && s.type !== 'module' && s.type !== 'class_definition') s = s.parent;
    return s ?? this.file.root;
  }

  /** The value a name refers to: the nearest assignment before the use in a scope that holds it, else one after it. */
  private variable(id: Node, ctx: Ctx): Node | undefined {
    const at = id.startIndex;
    let best: Node | undefined;
    for (const a of this.assignmentsOf(id.text)) {
      if (a.startIndex <= at && at < a.endIndex) continue;
      const s = this.scopeOf(a);
      if (at < s.startIndex || at >= s.endIndex) continue;
      if (!best || (a.startIndex < at && (best.startIndex > at || a.startIndex > best.startIndex))) best = a;
    }
    if (!best) return undefined;
    ctx.build.ranges.push(spanOf(best));
    return best.childForFieldName('right') ?? undefined;
  }

  private assignedName(value: Node): string | undefined {
    const a = value.parent;
    if (a?.type !== 'assignment' || !sameNode(a.childForFieldName('right'), value)) return undefined;
    const left = a.childForFieldName('left');
    return left?.type === 'identifier' ? left.text : undefined;
  }

  private callsOn(name: string, methods: readonly string[]): { method: string; args: Node[]; kwargs: Map<string, Node>; call: Node }[] {
    const out: { method: string; args: Node[]; kwargs: Map<string, Node>; call: Node }[] = [];
    const re = new RegExp(`(?<![\\w.])${name}\\s*\\.\\s*(${methods.join('|')})\\s*\\(`, 'g');
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      const id = this.file.root.descendantForIndex(m.index, m.index + name.length);
      const attr = id?.parent;
      const call = attr?.parent;
      if (attr?.type !== 'attribute' || call?.type !== 'call' || !sameNode(call.childForFieldName('function'), attr)) continue;
      out.push({ method: m[1], ...argumentsOf(call), call });
    }
    return out;
  }

  // ---- values ----------------------------------------------------------------------------------

  private value(n: Node, ctx: Ctx, where?: 'document' | 'statement'): PolicyNode {
    const x = unwrap(n);
    const b = ctx.build;
    if (ctx.depth > MAX_DEPTH) return b.opaque(spanOf(x), x.text);
    const deeper: Ctx = { ...ctx, depth: ctx.depth + 1 };
    switch (x.type) {
      case 'dictionary':
        return this.dict(x, deeper);
      case 'list':
      case 'tuple':
        return this.list(x, deeper, where === 'statement');
      case 'integer':
      case 'float': {
        const v = Number(x.text.replace(/_/g, ''));
        return Number.isFinite(v) ? b.node('number', spanOf(x), { value: v }) : b.opaque(spanOf(x), x.text);
      }
      case 'true':
      case 'false':
        return b.node('boolean', spanOf(x), { value: x.type === 'true' });
      case 'none':
        return b.node('null', spanOf(x));
      case 'identifier': {
        const v = this.variable(x, ctx);
        if (!v) return b.opaque(spanOf(x), x.text);
        if (where) {
          const name = this.assignedName(v);
          const inner = unwrap(v);
          if (inner.type === 'call' && name) return this.construction(inner, deeper, where, name) ?? this.value(v, deeper, where);
        }
        return this.value(v, deeper, where);
      }
      case 'attribute': {
        const c = chain(x);
        const last = c?.[c.length - 1];
        if (c && c.length >= 2 && c[c.length - 2] === 'Effect' && (last === 'ALLOW' || last === 'DENY')) {
          return b.synthetic(last === 'ALLOW' ? 'Allow' : 'Deny', spanOf(x.childForFieldName('attribute')!));
        }
        break;
      }
      case 'call': {
        const built = where ? this.construction(x, deeper, where) : undefined;
        if (built) return built;
        const special = this.callValue(x, deeper, where);
        if (special) return special;
        break;
      }
      default:
        break;
    }
    return this.stringNode(x, deeper) ?? b.opaque(spanOf(x), x.text);
  }

  private dict(x: Node, ctx: Ctx): PolicyNode {
    const b = ctx.build;
    const props: PolicyNode[] = [];
    for (const p of named(x)) {
      if (p.type === 'pair') {
        const k = p.childForFieldName('key');
        const v = p.childForFieldName('value');
        if (!k || !v) continue;
        const key = this.stringNode(k, ctx);
        if (!key) continue;
        const colon = this.text.indexOf(':', k.endIndex);
        props.push(b.property(key, this.value(v, ctx), spanOf(p), colon >= 0 && colon < v.startIndex ? colon : undefined));
      } else if (p.type === 'dictionary_splat') {
        const inner = named(p)[0];
        const v = inner ? this.value(inner, ctx) : undefined;
        if (v?.type === 'object') props.push(...(v.children ?? []));
      }
    }
    const node = b.node('object', spanOf(x), { children: props });
    return b.container(node, { open: x.startIndex + 1, close: x.endIndex - 1, dialect: 'py', style: 'plain' });
  }

  private list(x: Node, ctx: Ctx, statements: boolean): PolicyNode {
    const b = ctx.build;
    const items: PolicyNode[] = [];
    for (const e of named(x)) {
      if (e.type === 'list_splat') {
        const inner = named(e)[0];
        const v = inner ? this.value(inner, ctx) : undefined;
        if (v?.type === 'array') items.push(...(v.children ?? []));
        else items.push(b.opaque(spanOf(e), e.text));
        continue;
      }
      items.push(this.value(e, ctx, statements ? 'statement' : undefined));
    }
    const node = b.node('array', spanOf(x), { children: items });
    const tuple = x.type === 'tuple' && this.text[x.startIndex] !== '(';
    return tuple ? node : b.container(node, { open: x.startIndex + 1, close: x.endIndex - 1, dialect: 'py', style: 'plain' });
  }

  // ---- the CDK's policy classes ----------------------------------------------------------------

  private construction(x: Node, ctx: Ctx, where: 'document' | 'statement', name?: string): PolicyNode | undefined {
    const cls = lastName(x.childForFieldName('function'));
    if (where === 'document' && cls === 'PolicyDocument') return this.iamDocument(x, ctx, name);
    if (cls === 'PolicyStatement') return this.iamStatement(x, ctx, name);
    return undefined;
  }

  private sibling(fn: Node | null, cls: string): string {
    const c = chain(fn);
    return c && c.length > 1 ? [...c.slice(0, -1), cls].join('.') : cls;
  }

  private iamDocument(x: Node, ctx: Ctx, name?: string): PolicyNode {
    const b = ctx.build;
    const { kwargs, list } = argumentsOf(x);
    const fn = x.childForFieldName('function');
    const at = { offset: x.startIndex, length: 0 };
    const version = b.property(b.synthetic('Version', at), b.synthetic('2012-10-17', at), at);
    b.synthetics.add(version);
    const props: PolicyNode[] = [version];
    const stValue = kwargs.get('statements');
    const pair = stValue?.parent;
    const adds = name ? this.callsOn(name, ['add_statements']) : [];
    let items: PolicyNode | undefined;
    if (stValue) {
      const v = unwrap(stValue);
      items = v.type === 'list' || v.type === 'tuple' ? this.list(v, ctx, true) : this.value(v, ctx);
    }
    if (adds.length) {
      if (!items) items = b.node('array', spanOf(adds[0].call), { children: [] });
      if (items.type === 'array') {
        for (const a of adds) for (const arg of a.args) b.append(items, this.value(arg, ctx, 'statement'));
      }
    }
    if (items) {
      const c = b.containers.get(items);
      if (c) c.statements = { ctor: this.sibling(fn, 'PolicyStatement'), effect: this.sibling(fn, 'Effect') };
      const keySpan = pair ? spanOf(pair.childForFieldName('name')!) : spanOf(adds[0].call);
      props.push(b.property(b.synthetic('Statement', keySpan), items, pair ? spanOf(pair) : spanOf(adds[0].call)));
    }
    const node = b.node('object', spanOf(x), { children: props });
    if (!list) return node;
    return b.container(node, { open: list.startIndex + 1, close: list.endIndex - 1, dialect: 'py', style: 'kwargs' });
  }

  private iamStatement(x: Node, ctx: Ctx, name?: string): PolicyNode {
    const b = ctx.build;
    const { list } = argumentsOf(x);
    const props: PolicyNode[] = [];
    const lists = new Map<string, PolicyNode>();
    let effect = false;
    for (const a of named(list)) {
      if (a.type !== 'keyword_argument') continue;
      const k = a.childForFieldName('name');
      const v = a.childForFieldName('value');
      const mapped = k ? IAM_STATEMENT_KEYS[k.text] : undefined;
      if (!k || !v || !mapped) continue;
      const value = this.value(v, ctx);
      if (mapped === 'Effect') effect = true;
      if (value.type === 'array') lists.set(mapped, value);
      const eq = this.text.indexOf('=', k.endIndex);
      props.push(b.property(b.synthetic(mapped, spanOf(k)), value, spanOf(a), eq >= 0 && eq < v.startIndex ? eq : undefined));
    }
    if (name) this.statementCalls(name, ctx, props, lists);
    if (!effect) {
      const at = { offset: x.startIndex, length: 0 };
      const p = b.property(b.synthetic('Effect', at), b.synthetic('Allow', at), at);
      b.synthetics.add(p);
      props.unshift(p);
    }
    const node = b.node('object', spanOf(x), { children: props });
    if (!list) return node;
    return b.container(node, { open: list.startIndex + 1, close: list.endIndex - 1, dialect: 'py', style: 'kwargs', effect: this.sibling(x.childForFieldName('function'), 'Effect') });
  }

  private statementCalls(name: string, ctx: Ctx, props: PolicyNode[], lists: Map<string, PolicyNode>): void {
    const b = ctx.build;
    const methods: Record<string, string> = {
      add_actions: 'Action', add_not_actions: 'NotAction', add_resources: 'Resource', add_not_resources: 'NotResource', add_all_resources: 'Resource',
    };
    for (const call of this.callsOn(name, [...Object.keys(methods), 'add_condition'])) {
      const at = spanOf(call.call);
      b.ranges.push(at);
      if (call.method === 'add_condition') {
        const op = call.args[0] ?? call.kwargs.get('key');
        const value = call.args[1] ?? call.kwargs.get('value');
        const operator = op && this.stringNode(op, ctx);
        if (operator && value) b.addCondition(props, operator, this.value(value, ctx), at);
        continue;
      }
      const items = call.method === 'add_all_resources' ? [b.synthetic('*', at)] : call.args.map((a) => this.value(a, ctx));
      b.addItems(props, lists, methods[call.method], items, at);
    }
  }

  private callValue(x: Node, ctx: Ctx, where?: 'document' | 'statement'): PolicyNode | undefined {
    const fn = x.childForFieldName('function');
    const c = chain(fn);
    const { args } = argumentsOf(x);
    const last = c?.[c.length - 1];
    if (last === 'from_json' && c && c.length >= 2 && args[0] && where) {
      const cls = c[c.length - 2];
      if (cls === 'PolicyDocument' && where === 'document') return ctx.build.withDefaults(this.value(args[0], ctx), 'document');
      if (cls === 'PolicyStatement') return ctx.build.withDefaults(this.value(args[0], ctx), 'statement');
    }
    if (c?.length === 2 && c[0] === 'json' && last === 'loads' && args[0]) {
      const b = new StringBuilder();
      if (!this.appendString(args[0], ctx, b, [])) return undefined;
      const sv = b.build(makeNode('string', x.startIndex, x.endIndex - x.startIndex, undefined));
      const outer = this.file.literals.at(sv.offsetOf(0))?.escape ?? identity;
      return ctx.build.embedded(sv, spanOf(x), outer, (lit) => this.file.literals.add(lit));
    }
    return undefined;
  }

  // ---- files -----------------------------------------------------------------------------------

  /** `json.loads(open(path).read())`, `json.load(open(path))`, `json.loads(Path(path).read_text())`, a `with open(path) as f` file. */
  private linkedFile(n: Node, ctx: Ctx): LinkedPolicy | undefined {
    let x = unwrap(n);
    if (x.type === 'identifier') {
      const v = this.variable(x, { ...ctx, build: new PolicyBuild() });
      if (v) x = unwrap(v);
    }
    if (x.type !== 'call') return undefined;
    const c = chain(x.childForFieldName('function'));
    const arg = argumentsOf(x).args[0];
    // `PolicyDocument.from_json(json.load(...))` renders the file's policy.
    if (c && c.length >= 2 && c[c.length - 1] === 'from_json' && c[c.length - 2] === 'PolicyDocument' && arg) return this.linkedFile(arg, ctx);
    if (!c || c.length !== 2 || c[0] !== 'json' || !arg) return undefined;
    if (c[1] !== 'loads' && c[1] !== 'load') return undefined;
    const path = c[1] === 'load' ? this.openedPath(arg) : this.readPath(arg);
    return path === undefined ? undefined : { path, span: spanOf(x) };
  }

  /** `open(p).read()`, `Path(p).read_text()`. */
  private readPath(n: Node): string | undefined {
    const x = unwrap(n);
    if (x.type !== 'call') return undefined;
    const fn = x.childForFieldName('function');
    if (fn?.type !== 'attribute') return undefined;
    const method = fn.childForFieldName('attribute')?.text;
    const obj = fn.childForFieldName('object');
    if (!obj) return undefined;
    if (method === 'read') return this.openedPath(obj);
    if (method === 'read_text') {
      const o = unwrap(obj);
      if (o.type === 'call' && lastName(o.childForFieldName('function')) === 'Path') {
        const p = argumentsOf(o).args[0];
        return p ? this.pathOf(p) : undefined;
      }
      return this.pathOf(o);
    }
    return undefined;
  }

  /** `open(p)`, or a name bound by `with open(p) as f`. */
  private openedPath(n: Node): string | undefined {
    const x = unwrap(n);
    if (x.type === 'call' && lastName(x.childForFieldName('function')) === 'open') {
      const p = argumentsOf(x).args[0];
      return p ? this.pathOf(p) : undefined;
    }
    if (x.type !== 'identifier') return undefined;
    // `with open(p) as f:` around the use.
    for (let s = x.parent; s; s = s.parent) {
      if (s.type !== 'with_statement') continue;
      for (const item of s.descendantsOfType('as_pattern')) {
        const target = item && named(item).find((c) => c.type === 'as_pattern_target');
        if (item && target?.text === x.text) return this.openedPath(named(item)[0]);
      }
    }
    return undefined;
  }

  /** A path from literals and `__file__` (`os.path.join(os.path.dirname(__file__), 'p')`, `Path(__file__).parent / 'p'`). */
  private pathOf(n: Node, depth = 0): string | undefined {
    const x = unwrap(n);
    if (depth > 6) return undefined;
    const lit = this.literalText(x);
    if (lit !== undefined) return lit;
    if (x.type === 'identifier' && x.text === '__file__') return this.file.path;
    if (x.type === 'attribute' && x.childForFieldName('attribute')?.text === 'parent') {
      const p = this.pathOf(x.childForFieldName('object')!, depth + 1);
      return p === undefined ? undefined : dirname(p);
    }
    if (x.type === 'binary_operator' && x.childForFieldName('operator')?.type === '/') {
      const l = this.pathOf(x.childForFieldName('left')!, depth + 1);
      const r = this.pathOf(x.childForFieldName('right')!, depth + 1);
      return l === undefined || r === undefined ? undefined : joinPath(l, r);
    }
    if (x.type === 'call') {
      const c = chain(x.childForFieldName('function'));
      const args = argumentsOf(x).args;
      const last = c?.[c.length - 1];
      if (last === 'Path' && args.length === 1) return this.pathOf(args[0], depth + 1);
      if ((last === 'dirname' || last === 'abspath' || last === 'realpath') && args.length === 1) {
        const p = this.pathOf(args[0], depth + 1);
        return p === undefined ? undefined : last === 'dirname' ? dirname(p) : p;
      }
      if (last === 'join') {
        const parts = args.map((a) => this.pathOf(a, depth + 1));
        return parts.every((p): p is string => p !== undefined) ? joinPath(...parts) : undefined;
      }
    }
    return undefined;
  }

  // ---- strings ---------------------------------------------------------------------------------

  literalText(n: Node): string | undefined {
    const x = unwrap(n);
    if (x.type !== 'string' && x.type !== 'concatenated_string') return undefined;
    const strings = x.type === 'string' ? [x] : named(x).filter((s) => s.type === 'string');
    if (strings.some((s) => named(s).some((c) => c.type === 'interpolation'))) return undefined;
    const b = new StringBuilder();
    for (const s of strings) decodePy(s, this.text, b, () => undefined, []);
    return b.build(makeNode('string', 0, 0, undefined)).value;
  }

  private contentSpan(n: Node): Span {
    const x = unwrap(n);
    if (x.type === 'string') {
      const first = x.child(0);
      const last = x.child(x.childCount - 1);
      if (first?.type === 'string_start' && last?.type === 'string_end') return { offset: first.endIndex, length: Math.max(0, last.startIndex - first.endIndex) };
    }
    return spanOf(x);
  }

  private stringNode(n: Node, ctx: Ctx): PolicyNode | undefined {
    const b = new StringBuilder();
    const fields: FieldVariable[] = [];
    const sub = { is: false };
    if (!this.appendString(n, ctx, b, fields, sub)) return undefined;
    const node = ctx.build.string(b, spanOf(unwrap(n)), fields);
    if (sub.is) ctx.build.subStrings.add(ctx.build.strings.get(node)!);
    return node;
  }

  /** Decodes a `string` node; `style` marks a string `.format` or `%` fills in. */
  private literal(x: Node, ctx: Ctx, b: StringBuilder, fields: FieldVariable[], style?: 'braces' | 'percent', sub = false): void {
    if (!style && !sub) {
      this.file.literals.add(decodePy(x, this.text, b, (bb, hole) => this.hole(bb, hole, ctx), fields));
      return;
    }
    const inner = new StringBuilder();
    const lit = decodePy(x, this.text, inner, (bb, hole) => this.hole(bb, hole, ctx), []);
    const sv = inner.build(makeNode('string', x.startIndex, 0, undefined));
    const { quote, prefix } = pythonQuote(this.text.slice(x.startIndex, x.child(0)?.endIndex ?? x.startIndex + 1));
    if (style) {
      lit.kind = style;
      lit.escape = pythonEscape(quote, prefix.includes('r'), style);
      appendFormatted(b, sv, style, fields);
    } else {
      lit.sub = true;
      lit.escape = compose(subEscape, lit.escape);
      b.from(resolveSubString(sv, sv.node, { mode: 'template', values: this.file.options.values }, ctx.build.notes));
    }
    this.file.literals.add(lit);
  }

  appendString(n: Node, ctx: Ctx, b: StringBuilder, fields: FieldVariable[], sub?: { is: boolean }, style?: 'braces' | 'percent'): boolean {
    const x = unwrap(n);
    if (ctx.depth > MAX_DEPTH) return false;
    const deeper: Ctx = { ...ctx, depth: ctx.depth + 1 };
    switch (x.type) {
      case 'string':
        this.literal(x, deeper, b, fields, style);
        return true;
      case 'concatenated_string':
        for (const s of named(x)) if (s.type === 'string') this.literal(s, deeper, b, fields, style);
        return true;
      case 'binary_operator': {
        const op = x.childForFieldName('operator')?.type;
        const left = x.childForFieldName('left');
        const right = x.childForFieldName('right');
        if (!left || !right) return false;
        if (op === '%' && this.isStringy(left, deeper)) return this.appendString(left, deeper, b, fields, sub, 'percent');
        if (op !== '+' || !(this.isStringy(left, deeper) || this.isStringy(right, deeper))) return false;
        for (const side of [left, right]) if (!this.appendString(side, deeper, b, fields, sub, style)) b.unknown(spanOf(side), side.text);
        return true;
      }
      case 'identifier': {
        const v = this.variable(x, ctx);
        return !!v && this.isStringy(v, deeper) && this.appendString(v, deeper, b, fields, sub, style);
      }
      case 'attribute': {
        const pseudo = this.pseudoOf(x);
        if (!pseudo) return false;
        appendPseudo(b, this.file, pseudo, spanOf(x), x.text);
        return true;
      }
      case 'call':
        return this.appendCall(x, deeper, b, fields, sub);
      default:
        return false;
    }
  }

  private isStringy(n: Node, ctx: Ctx): boolean {
    const x = unwrap(n);
    if (ctx.depth > MAX_DEPTH) return false;
    const deeper = { ...ctx, depth: ctx.depth + 1 };
    switch (x.type) {
      case 'string':
      case 'concatenated_string':
        return true;
      case 'binary_operator': {
        const op = x.childForFieldName('operator')?.type;
        const l = x.childForFieldName('left');
        const r = x.childForFieldName('right');
        if (op === '%') return !!l && this.isStringy(l, deeper);
        return op === '+' && ((!!l && this.isStringy(l, deeper)) || (!!r && this.isStringy(r, deeper)));
      }
      case 'identifier': {
        const list = this.assignmentsOf(x.text);
        const a = list.find((d) => d.startIndex < x.startIndex) ?? list[0];
        const v = a?.childForFieldName('right');
        return !!v && this.isStringy(v, deeper);
      }
      case 'attribute':
        return !!this.pseudoOf(x);
      case 'call': {
        const fn = x.childForFieldName('function');
        const c = chain(fn);
        const last = c?.[c.length - 1] ?? lastName(fn);
        if (fn?.type === 'attribute' && last === 'format' && this.isStringy(fn.childForFieldName('object')!, deeper)) return true;
        return !!c && (((last === 'sub' || last === 'join') && c[c.length - 2] === 'Fn') || last === 'format_arn' || (last === 'format' && c[c.length - 2] === 'Arn'));
      }
      default:
        return false;
    }
  }

  /** `Aws.REGION`, `self.region`, `Stack.of(self).account`, `stack.region`. */
  private pseudoOf(x: Node): string | undefined {
    const attr = x.childForFieldName('attribute')?.text;
    const obj = x.childForFieldName('object');
    const name = attr ? PSEUDO_BY_NAME[attr] : undefined;
    if (!name || !obj) return undefined;
    const o = unwrap(obj);
    if (/^[A-Z_]+$/.test(attr!)) return lastName(o) === 'Aws' ? name : undefined;
    const last = lastName(o);
    if (o.type === 'identifier' && (o.text === 'self' || /^stack$/i.test(o.text))) return name;
    if (last && /^(stack|env)$/i.test(last)) return name;
    if (o.type === 'call') {
      const c = chain(o.childForFieldName('function'));
      return c && c[c.length - 1] === 'of' && c[c.length - 2] === 'Stack' ? name : undefined;
    }
    return undefined;
  }

  /** An f-string replacement field: a constant string, a known pseudo parameter, else one opaque character. */
  private hole(b: StringBuilder, hole: Node, ctx: Ctx): void {
    const expr = named(hole).find((c) => c.type !== 'type_conversion' && c.type !== 'format_specifier');
    const plain = expr && named(hole).length === 1 && !hole.text.includes('=');
    const x = expr ? unwrap(expr) : undefined;
    if (plain && x && !x.hasError && (x.type === 'identifier' || x.type === 'attribute' || x.type === 'call')) {
      const scratch = new StringBuilder();
      if (this.appendString(x, ctx, scratch, [])) {
        const sv = scratch.build(makeNode('string', hole.startIndex, 0, undefined));
        if (!sv.opaque.length || x.type === 'attribute') {
          b.from(sv);
          return;
        }
      }
    }
    b.unknown(spanOf(hole), hole.text);
  }

  private appendCall(x: Node, ctx: Ctx, b: StringBuilder, fields: FieldVariable[], sub?: { is: boolean }): boolean {
    const fn = x.childForFieldName('function');
    const c = chain(fn);
    const { args, kwargs } = argumentsOf(x);
    const last = c?.[c.length - 1] ?? lastName(fn);
    const owner = c?.[c.length - 2];
    if (fn?.type === 'attribute' && last === 'format' && owner !== 'Arn') {
      const obj = fn.childForFieldName('object');
      if (!obj || !this.isStringy(obj, ctx)) return false;
      return this.appendString(obj, ctx, b, fields, sub, 'braces');
    }
    if (owner === 'Fn' && last === 'sub' && args[0]) {
      const t = unwrap(args[0]);
      if (t.type !== 'string' && t.type !== 'concatenated_string') return false;
      for (const s of t.type === 'string' ? [t] : named(t).filter((y) => y.type === 'string')) this.literal(s, ctx, b, [], undefined, true);
      if (sub) sub.is = true;
      return true;
    }
    if (owner === 'Fn' && last === 'join' && args.length >= 2) {
      const delim = this.literalText(args[0]);
      const list = unwrap(args[1]);
      if (delim === undefined || (list.type !== 'list' && list.type !== 'tuple')) return false;
      named(list).forEach((piece, i) => {
        if (i > 0 && delim) appendRun(b, delim, args[0].startIndex + 1);
        if (!this.appendString(piece, ctx, b, fields, sub)) b.unknown(spanOf(piece), piece.text);
      });
      return true;
    }
    const isFormatArn = last === 'format_arn' && fn?.type === 'attribute';
    const isArnFormat = last === 'format' && owner === 'Arn';
    if (isFormatArn || isArnFormat) {
      let source: Map<string, Node> = kwargs;
      if (isArnFormat) {
        const comp = args[0] ?? kwargs.get('components');
        const cx = comp ? unwrap(comp) : undefined;
        if (cx?.type !== 'call') return false;
        source = argumentsOf(cx).kwargs;
      }
      const parts: ArnComponents = {};
      for (const [k, v] of source) {
        const name = arnComponentName(k);
        if (name) parts[name] = v;
      }
      const at = spanOf(fn?.type === 'attribute' ? fn.childForFieldName('attribute')! : x);
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
}
