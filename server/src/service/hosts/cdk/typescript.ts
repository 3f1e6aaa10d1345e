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
 *
 * What both languages read alike is in reader.ts; this file reads TypeScript's own syntax: imports
 * and `require`, object literals (shorthand properties, spreads, computed keys), string and
 * template literals, and the paths `fs.readFileSync` is given.
 */
import type { Node } from 'web-tree-sitter';
import type { PolicyNode } from '../../policy/tree';
import type { Span } from '../../text/span';
import { makeNode, StringBuilder } from '../strings';
import { isArnComponent, type ArnComponents } from './arn';
import { dirname, joinKnown, joinPath, named, spanOf, type CodeFile, type LinkedPolicy } from './file';
import { decodeTs, type FieldVariable } from './literals';
import type { CallArguments, ClassProps, ConstructArguments, Grammar } from './grammar';
import { CodeReader, MAX_DEPTH, type Ctx } from './reader';

const IOT_MODULES = new Set(['aws-cdk-lib/aws-iot', '@aws-cdk/aws-iot']);
const LIB_MODULES = new Set(['aws-cdk-lib', 'aws-cdk-lib/core']);
const FS_MODULES = new Set(['fs', 'node:fs']);
const PATH_MODULES = new Set(['path', 'node:path']);

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

const TYPESCRIPT: Grammar = {
  dialect: 'ts',
  unwrap,
  nameChars: '\\w$',
  names: ['identifier', 'property_identifier'],
  chainStart: ['identifier', 'this'],
  member: { type: 'member_expression', name: 'property' },
  call: 'call_expression',
  construct: { type: 'new_expression', callee: 'constructor' },
  binding: {
    type: 'variable_declarator', name: 'name', value: 'value',
    search: (name) => new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'),
  },
  scopes: new Set(['statement_block', 'program', 'class_body', 'switch_body']),
  object: 'object',
  lists: ['array'],
  listSpread: 'spread_element',
  numbers: ['number'],
  nullType: 'null',
  strings: ['string', 'template_string'],
  binary: 'binary_expression',
  jsonParse: ['JSON', 'parse'],
  method: (camel) => camel,
  isSelf: (n) => n.type === 'this',
};

export class TypeScriptReader extends CodeReader {
  private readonly fsModules = new Set<string>();
  private readonly readFileSync = new Set<string>();
  private readonly pathModules = new Set<string>();
  private readonly joins = new Set<string>();

  constructor(file: CodeFile) {
    super(file, TYPESCRIPT);
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

  // ---- arguments and object literals ---------------------------------------------------------

  protected argumentsOf(call: Node): CallArguments {
    const list = call.childForFieldName('arguments');
    return { args: named(list), kwargs: new Map(), list };
  }

  /** `new CfnPolicy(scope, id, { policyDocument, policyName })`. */
  protected constructArguments(expr: Node, ctx: Ctx): ConstructArguments {
    const args = named(expr.childForFieldName('arguments'));
    const props = args[2] ? this.objectOf(args[2], ctx) : undefined;
    if (!props) return { id: args[1] };
    return { id: args[1], document: this.member(props, 'policyDocument', ctx), name: this.member(props, 'policyName', ctx) };
  }

  /** `new iam.PolicyStatement({ effect, actions })`: the pairs of the object literal it is given. */
  protected classProps(x: Node, ctx: Ctx): ClassProps | undefined {
    const first = named(x.childForFieldName('arguments'))[0];
    const obj = first ? this.objectOf(first, ctx) : undefined;
    if (!obj) return undefined;
    const props = named(obj).filter((p) => p.type === 'pair').map((p) => {
      const keyNode = p.childForFieldName('key');
      return { key: this.keyText(keyNode), keyNode, value: p.childForFieldName('value'), node: p };
    });
    return { holder: obj, props, separator: ':', style: 'iam', get: (key) => props.find((p) => p.key === key) };
  }

  /** The value of a property of an object literal (`{ policyDocument }` reads the constant). */
  private member(obj: Node, key: string, ctx: Ctx): Node | undefined {
    let found: Node | undefined;
    for (const p of named(obj)) {
      if (p.type === 'pair' && this.keyText(p.childForFieldName('key')) === key) found = p.childForFieldName('value') ?? undefined;
      else if (p.type === 'shorthand_property_identifier' && p.text === key) found = this.lookup(p, ctx) ?? p;
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
      const v = this.lookup(x, ctx);
      return v && ctx.depth < MAX_DEPTH ? this.objectOf(v, { ...ctx, depth: ctx.depth + 1 }) : undefined;
    }
    return undefined;
  }

  protected isAbsent(value: Node): boolean {
    return unwrap(value).text === 'undefined';
  }

  /** `{ policyDocument }` reads the constant; `...base` the properties of an object literal. */
  protected otherEntries(p: Node, ctx: Ctx): PolicyNode[] {
    const b = ctx.build;
    if (p.type === 'shorthand_property_identifier') {
      const v = this.lookup(p, ctx);
      return [b.property(b.synthetic(p.text, spanOf(p)), v ? this.value(v, ctx) : b.opaque(spanOf(p), p.text), spanOf(p))];
    }
    if (p.type !== 'spread_element') return [];
    const inner = named(p)[0];
    const obj = inner && this.objectOf(inner, ctx);
    if (!obj || ctx.depth >= MAX_DEPTH) return [];
    return this.objectValue(obj, { ...ctx, depth: ctx.depth + 1 }).children ?? [];
  }

  /** A key: a name, a string or a number, or a computed key that is a string. */
  protected keyNode(k: Node, ctx: Ctx): PolicyNode | undefined {
    const b = ctx.build;
    if (k.type === 'property_identifier' || k.type === 'number') return b.synthetic(k.text, spanOf(k));
    if (k.type === 'string') return this.stringNode(k, ctx);
    if (k.type === 'computed_property_name') {
      const inner = named(k)[0];
      return inner ? this.stringNode(inner, ctx) : undefined;
    }
    return undefined;
  }

  /** `formatArn({ service, resource, resourceName })`, `Arn.format({...}, stack)`: the object's pairs. */
  protected arnParts(_call: Node, given: CallArguments, _isArnFormat: boolean, ctx: Ctx): ArnComponents | undefined {
    const first = given.args[0];
    const obj = first ? this.objectOf(first, ctx) : undefined;
    if (!obj) return undefined;
    const parts: ArnComponents = {};
    for (const p of named(obj)) {
      const key = p.type === 'pair' ? this.keyText(p.childForFieldName('key')) : undefined;
      const v = p.childForFieldName('value');
      if (key && v && isArnComponent(key)) parts[key] = v;
    }
    return parts;
  }

  protected addedStatementsKey(construct: Node): Span {
    return { offset: construct.startIndex, length: 0 };
  }

  // ---- files -----------------------------------------------------------------------------------

  /** `JSON.parse(fs.readFileSync(path, ...))` and a `require` of a JSON file: a policy in another file. */
  protected linkedFile(n: Node, ctx: Ctx): LinkedPolicy | undefined {
    const x = unwrap(n);
    if (x.type !== 'call_expression') return undefined;
    const c = this.chain(x.childForFieldName('function'));
    const args = named(x.childForFieldName('arguments'));
    // `PolicyDocument.fromJson(JSON.parse(...))` renders the file's policy.
    const inner = this.fromJsonArgument(c, args[0]);
    if (inner) return this.linkedFile(inner, ctx);
    if (c?.length === 1 && c[0] === 'require' && args[0]) {
      const p = this.literalText(args[0]);
      return p !== undefined && /\.json$/i.test(p) ? { path: p.startsWith('.') ? joinPath(dirname(this.file.path), p) : p, span: spanOf(x) } : undefined;
    }
    if (!(c?.length === 2 && c[0] === 'JSON' && c[1] === 'parse' && args[0])) return undefined;
    let read = unwrap(args[0]);
    if (read.type === 'identifier') {
      const d = this.bindingsOf(read.text)[0]?.childForFieldName('value');
      if (d) read = unwrap(d);
    }
    // `.toString()` on the buffer.
    const rf = read.type === 'call_expression' ? read.childForFieldName('function') : null;
    if (rf?.type === 'member_expression' && rf.childForFieldName('property')?.text === 'toString') {
      const obj = rf.childForFieldName('object');
      if (obj) read = unwrap(obj);
    }
    if (read.type !== 'call_expression') return undefined;
    const rc = this.chain(read.childForFieldName('function'));
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
      const c = this.chain(x.childForFieldName('function'));
      const isJoin = c && ((c.length === 1 && this.joins.has(c[0])) || (c.length === 2 && this.pathModules.has(c[0]) && (c[1] === 'join' || c[1] === 'resolve')));
      if (!isJoin) return undefined;
      return joinKnown(named(x.childForFieldName('arguments')).map((a) => this.pathOf(a, depth + 1)));
    }
    return undefined;
  }

  // ---- strings ---------------------------------------------------------------------------------

  literalText(n: Node): string | undefined {
    const x = unwrap(n);
    if (x.type !== 'string' && x.type !== 'template_string') return undefined;
    if (x.type === 'template_string' && named(x).some((c) => c.type === 'template_substitution')) return undefined;
    const b = new StringBuilder();
    decodeTs(x, this.text, b, () => undefined);
    return b.build(makeNode('string', 0, 0, undefined)).value;
  }

  protected contentSpan(n: Node): Span {
    const x = unwrap(n);
    if ((x.type === 'string' || x.type === 'template_string') && x.endIndex - x.startIndex >= 2) return { offset: x.startIndex + 1, length: x.endIndex - x.startIndex - 2 };
    return spanOf(x);
  }

  protected appendLiteral(x: Node, ctx: Ctx, b: StringBuilder, _fields: FieldVariable[]): void {
    this.register(decodeTs(x, this.text, b, (bb, hole) => this.hole(bb, hole, ctx)), false);
  }

  protected holeExpression(hole: Node): Node | undefined {
    return named(hole)[0];
  }

  /** The template of a `Fn.sub`: a literal, or a constant holding one, registered as a Sub literal. */
  protected appendSub(arg: Node, call: Node, ctx: Ctx, b: StringBuilder): boolean {
    const inner = new StringBuilder();
    if (!this.subLiteral(arg, ctx, inner)) return false;
    const sv = inner.build(makeNode('string', call.startIndex, 0, undefined));
    b.from(this.resolveSub(sv, ctx));
    return true;
  }

  private subLiteral(n: Node, ctx: Ctx, b: StringBuilder): boolean {
    const x = unwrap(n);
    if (x.type === 'string' || x.type === 'template_string') {
      this.register(decodeTs(x, this.text, b, (bb, hole) => this.hole(bb, hole, ctx)), true);
      return true;
    }
    if (x.type === 'identifier') {
      const v = this.lookup(x, ctx);
      return !!v && ctx.depth < MAX_DEPTH && this.subLiteral(v, { ...ctx, depth: ctx.depth + 1 }, b);
    }
    return false;
  }
}
