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
 *
 * What both languages read alike is in reader.ts; this file reads Python's own syntax: imports,
 * keyword arguments, dicts, string literals and their formatting, and the files `open` and `Path`
 * read.
 */
import type { Node } from 'web-tree-sitter';
import type { PolicyNode } from '../../policy/tree';
import type { Span } from '../../text/span';
import { makeNode, StringBuilder } from '../strings';
import { arnComponentName, type ArnComponents } from './arn';
import { dirname, joinKnown, named, spanOf, type CodeFile, type LinkedPolicy } from './file';
import { appendFormatted, decodePy, pythonEscape, pythonQuote, type FieldVariable } from './literals';
import type { CallArguments, ClassProps, ConstructArguments, Grammar } from './grammar';
import { CodeReader, type Ctx, type FormatStyle } from './reader';
import { PolicyBuild } from './tree';

function unwrap(n: Node): Node {
  let x = n;
  while (x.type === 'parenthesized_expression') {
    const inner = named(x)[0];
    if (!inner) return x;
    x = inner;
  }
  return x;
}

const PYTHON: Grammar = {
  dialect: 'py',
  unwrap,
  nameChars: '\\w',
  names: ['identifier'],
  chainStart: ['identifier'],
  member: { type: 'attribute', name: 'attribute' },
  call: 'call',
  construct: { type: 'call', callee: 'function' },
  binding: {
    type: 'assignment', name: 'left', value: 'right',
    search: (name) => new RegExp(`(?<![\\w.])${name}\\s*(:[^=\\n]*)?=(?!=)`, 'g'),
  },
  scopes: new Set(['function_definition', 'module', 'class_definition']),
  object: 'dictionary',
  lists: ['list', 'tuple'],
  listSpread: 'list_splat',
  numbers: ['integer', 'float'],
  nullType: 'none',
  strings: ['string', 'concatenated_string'],
  binary: 'binary_operator',
  jsonParse: ['json', 'loads'],
  method: (camel) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
  isSelf: (n) => n.type === 'identifier' && n.text === 'self',
};

/** The `string` nodes of a string or a concatenation of strings. */
function stringsOf(x: Node): Node[] {
  return x.type === 'string' ? [x] : named(x).filter((s) => s.type === 'string');
}

export class PythonReader extends CodeReader {
  constructor(file: CodeFile) {
    super(file, PYTHON);
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

  // ---- arguments and dicts -------------------------------------------------------------------

  /** Positional and keyword arguments of a call. */
  protected argumentsOf(call: Node): CallArguments {
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

  /** `iot.CfnPolicy(self, "Id", policy_document=..., policy_name=...)`. */
  protected constructArguments(call: Node): ConstructArguments {
    const { args, kwargs } = this.argumentsOf(call);
    return { id: args[1] ?? kwargs.get('id'), name: kwargs.get('policy_name'), document: kwargs.get('policy_document') };
  }

  /** `iam.PolicyStatement(effect=..., actions=[...])`: its keyword arguments. */
  protected classProps(call: Node): ClassProps | undefined {
    const list = call.childForFieldName('arguments');
    if (!list) return undefined;
    const props = named(list).filter((a) => a.type === 'keyword_argument').map((a) => {
      const keyNode = a.childForFieldName('name');
      return { key: keyNode?.text, keyNode, value: a.childForFieldName('value'), node: a };
    });
    // A keyword given twice: the last one, as `argumentsOf` reads it.
    const get = (key: string) => [...props].reverse().find((p) => p.key === key && p.value);
    return { holder: list, props, separator: '=', style: 'kwargs', get };
  }

  /** A dict's key: any string expression. */
  protected keyNode(k: Node, ctx: Ctx): PolicyNode | undefined {
    return this.stringNode(k, ctx);
  }

  /** `**base`: the properties of a dict. */
  protected otherEntries(p: Node, ctx: Ctx): PolicyNode[] {
    if (p.type !== 'dictionary_splat') return [];
    const inner = named(p)[0];
    const v = inner ? this.value(inner, ctx) : undefined;
    return v?.type === 'object' ? v.children ?? [] : [];
  }

  /** A tuple without parentheses (`a, b`) has no delimiters to write between. */
  protected isBracketed(list: Node): boolean {
    return !(list.type === 'tuple' && this.text[list.startIndex] !== '(');
  }

  /** `format_arn(service=..., ...)`, `Arn.format(ArnComponents(...), stack)`: keyword arguments. */
  protected arnParts(_call: Node, given: CallArguments, isArnFormat: boolean): ArnComponents | undefined {
    let source = given.kwargs;
    if (isArnFormat) {
      const comp = given.args[0] ?? given.kwargs.get('components');
      const cx = comp ? unwrap(comp) : undefined;
      if (cx?.type !== 'call') return undefined;
      source = this.argumentsOf(cx).kwargs;
    }
    const parts: ArnComponents = {};
    for (const [k, v] of source) {
      const name = arnComponentName(k);
      if (name) parts[name] = v;
    }
    return parts;
  }

  protected addedStatementsKey(_call: Node, firstAdd: Node): Span {
    return spanOf(firstAdd);
  }

  // ---- files -----------------------------------------------------------------------------------

  /** `json.loads(open(path).read())`, `json.load(open(path))`, `json.loads(Path(path).read_text())`, a `with open(path) as f` file. */
  protected linkedFile(n: Node, ctx: Ctx): LinkedPolicy | undefined {
    let x = unwrap(n);
    if (x.type === 'identifier') {
      const v = this.lookup(x, { ...ctx, build: new PolicyBuild() });
      if (v) x = unwrap(v);
    }
    if (x.type !== 'call') return undefined;
    const c = this.chain(x.childForFieldName('function'));
    const arg = this.argumentsOf(x).args[0];
    // `PolicyDocument.from_json(json.load(...))` renders the file's policy.
    const inner = this.fromJsonArgument(c, arg);
    if (inner) return this.linkedFile(inner, ctx);
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
      if (o.type === 'call' && this.lastName(o.childForFieldName('function')) === 'Path') {
        const p = this.argumentsOf(o).args[0];
        return p ? this.pathOf(p) : undefined;
      }
      return this.pathOf(o);
    }
    return undefined;
  }

  /** `open(p)`, or a name bound by `with open(p) as f`. */
  private openedPath(n: Node): string | undefined {
    const x = unwrap(n);
    if (x.type === 'call' && this.lastName(x.childForFieldName('function')) === 'open') {
      const p = this.argumentsOf(x).args[0];
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
      return joinKnown([this.pathOf(x.childForFieldName('left')!, depth + 1), this.pathOf(x.childForFieldName('right')!, depth + 1)]);
    }
    if (x.type === 'call') {
      const c = this.chain(x.childForFieldName('function'));
      const args = this.argumentsOf(x).args;
      const last = c?.[c.length - 1];
      if (last === 'Path' && args.length === 1) return this.pathOf(args[0], depth + 1);
      if ((last === 'dirname' || last === 'abspath' || last === 'realpath') && args.length === 1) {
        const p = this.pathOf(args[0], depth + 1);
        return p === undefined ? undefined : last === 'dirname' ? dirname(p) : p;
      }
      if (last === 'join') return joinKnown(args.map((a) => this.pathOf(a, depth + 1)));
    }
    return undefined;
  }

  // ---- strings ---------------------------------------------------------------------------------

  literalText(n: Node): string | undefined {
    const x = unwrap(n);
    if (x.type !== 'string' && x.type !== 'concatenated_string') return undefined;
    const strings = stringsOf(x);
    if (strings.some((s) => named(s).some((c) => c.type === 'interpolation'))) return undefined;
    const b = new StringBuilder();
    for (const s of strings) decodePy(s, this.text, b, () => undefined, []);
    return b.build(makeNode('string', 0, 0, undefined)).value;
  }

  protected contentSpan(n: Node): Span {
    const x = unwrap(n);
    if (x.type === 'string') {
      const first = x.child(0);
      const last = x.child(x.childCount - 1);
      if (first?.type === 'string_start' && last?.type === 'string_end') return { offset: first.endIndex, length: Math.max(0, last.startIndex - first.endIndex) };
    }
    return spanOf(x);
  }

  protected appendLiteral(x: Node, ctx: Ctx, b: StringBuilder, fields: FieldVariable[], style?: FormatStyle): void {
    for (const s of stringsOf(x)) this.literal(s, ctx, b, fields, style);
  }

  /** Decodes a `string` node; `style` marks a string `.format` or `%` fills in, `sub` the template of a `Fn.sub`. */
  private literal(x: Node, ctx: Ctx, b: StringBuilder, fields: FieldVariable[], style?: FormatStyle, sub = false): void {
    if (!style && !sub) {
      this.register(decodePy(x, this.text, b, (bb, hole) => this.hole(bb, hole, ctx), fields), false);
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
    } else b.from(this.resolveSub(sv, ctx));
    this.register(lit, sub);
  }

  /** `'...' % args` and `'...'.format(...)`: the template they fill in. */
  protected formatted(x: Node): { template: Node; style: FormatStyle } | undefined {
    if (x.type === 'binary_operator') {
      const left = x.childForFieldName('left');
      return x.childForFieldName('operator')?.type === '%' && left ? { template: left, style: 'percent' } : undefined;
    }
    const fn = x.type === 'call' ? x.childForFieldName('function') : null;
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'format') return undefined;
    const c = this.chain(fn);
    const obj = fn.childForFieldName('object');
    return c?.[c.length - 2] !== 'Arn' && obj ? { template: obj, style: 'braces' } : undefined;
  }

  /** An f-string field read as text only when it is a plain expression (no conversion, format spec or `=`). */
  protected holeExpression(hole: Node): Node | undefined {
    const expr = named(hole).find((c) => c.type !== 'type_conversion' && c.type !== 'format_specifier');
    return expr && named(hole).length === 1 && !hole.text.includes('=') ? expr : undefined;
  }

  /** The template of a `Fn.sub`: string literals, each registered as a Sub literal. */
  protected appendSub(arg: Node, _call: Node, ctx: Ctx, b: StringBuilder): boolean {
    const t = unwrap(arg);
    if (t.type !== 'string' && t.type !== 'concatenated_string') return false;
    for (const s of stringsOf(t)) this.literal(s, ctx, b, [], undefined, true);
    return true;
  }
}
