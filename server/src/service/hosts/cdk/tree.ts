/**
 * One policy of a CDK source file as the neutral tree: nodes with the spans of the code they were
 * read from, string values mapped through every escape, and what the writer and the completion
 * need to write back in the file's syntax (`Container`: where an object or list literal opens and
 * closes, and how its keys are written).
 *
 * The CDK's own shapes are mapped to the policy shape here: `new iam.PolicyStatement({ effect,
 * actions, resources, conditions })` reads as `{"Effect", "Action", "Resource", "Condition"}`,
 * each key on the property name that stands for it.
 */
import { buildModel, type HostInfo, type HostNote, type JsonText, type PolicyModel } from '../../policy/model';
import { isLiteralRange, type OpaqueRange, type PolicyNode, type StringValue, type SyntaxIssue } from '../../policy/tree';
import type { Span } from '../../text/span';
import { parseEmbeddedJson } from '../json/embedded';
import { makeNode, renderedPolicySize, setParent, StringBuilder } from '../strings';
import { jsonEscape } from '../cloudformation/writer';
import { appendAt, compose, type Escape, type FieldVariable, type Literal } from './literals';

export type Dialect = 'ts' | 'py' | 'json';

/**
 * How the keys of an object are written: as policy keys (`Effect:` or `"Effect":`), as the CDK's
 * property names (`effect:`, `actions:`), or as Python keyword arguments (`actions=`).
 */
export type ContainerStyle = 'plain' | 'iam' | 'kwargs';

/** An object or list literal of the file that holds part of the policy. */
export interface Container {
  /** Offset just past the opening `{`, `[` or `(`. */
  open: number;
  /** Offset of the closing delimiter. */
  close: number;
  dialect: Dialect;
  style: ContainerStyle;
  /** JSON text held in a string literal: how raw JSON text is written in that literal. */
  outer?: Escape;
  /**
   * A list of `new iam.PolicyStatement(...)`: the constructor and the `Effect` enum as this file
   * spells them, for new statements.
   */
  statements?: { ctor: string; effect: string };
  /** An iam statement: the `Effect` enum as this file spells it. */
  effect?: string;
}

/** The CDK's statement properties and the policy keys they stand for (TypeScript and Python spellings). */
export const IAM_STATEMENT_KEYS: Readonly<Record<string, string>> = {
  sid: 'Sid', effect: 'Effect', actions: 'Action', notActions: 'NotAction', not_actions: 'NotAction',
  resources: 'Resource', notResources: 'NotResource', not_resources: 'NotResource', conditions: 'Condition',
  principals: 'Principal', notPrincipals: 'NotPrincipal', not_principals: 'NotPrincipal',
};

/** The CDK property name of a policy key in an iam statement. */
export function iamKeyFor(key: string, dialect: Dialect): string | undefined {
  for (const [k, v] of Object.entries(IAM_STATEMENT_KEYS)) {
    if (v !== key) continue;
    const python = k.includes('_');
    const camel = /[A-Z]/.test(k);
    if (dialect === 'py' ? !camel : !python) return k;
  }
  return undefined;
}

/**
 * JSON text whose unknown parts outside any JSON string (`"Action": ${actions}`) each stand for a
 * whole value: written as the placeholder string `"*"`, which the JSON reader makes an opaque value
 * (it could be anything, and no syntax error is reported around it).
 */
function wholeValueHoles(text: StringValue): { outer: StringValue; placeholders: OpaqueRange[] } {
  const outside = new Set<OpaqueRange>();
  let inString = false;
  let k = 0;
  for (const o of text.opaque) {
    for (; k < o.start; k++) {
      const c = text.value[k];
      if (inString && c === '\\') k++;
      else if (c === '"') inString = !inString;
    }
    if (!inString) outside.add(o);
    k = o.end;
  }
  if (!outside.size) return { outer: text, placeholders: [] };
  const b = new StringBuilder();
  const placeholders: OpaqueRange[] = [];
  let from = 0;
  for (const o of text.opaque) {
    if (!outside.has(o)) continue;
    b.from(text, from, o.start);
    const at = text.spanOf(o.start, o.end);
    placeholders.push({ start: b.length, end: b.length + 3, label: o.label });
    b.text('"*"', [at.offset, at.offset, at.offset], at.offset + at.length);
    from = o.end;
  }
  return { outer: b.from(text, from).build(text.node, text.span), placeholders };
}

export class PolicyBuild {
  readonly strings = new Map<PolicyNode, StringValue>();
  readonly notes: HostNote[] = [];
  readonly containers = new Map<PolicyNode, Container>();
  /** Ranges of the file the policy is written in: the construct, and the constants it reads. */
  readonly ranges: Span[] = [];
  /** Strings `Fn.sub` processes (their `${!...}` is an escape). */
  readonly subStrings = new Set<StringValue>();
  /** Properties the CDK adds when it renders (`Version`, a default `Effect`): not written in the file. */
  readonly synthetics = new Set<PolicyNode>();
  json?: JsonText;
  jsonErrors: SyntaxIssue[] = [];

  node(type: PolicyNode['type'], span: Span, extra?: { value?: unknown; children?: PolicyNode[]; label?: string; colonOffset?: number }): PolicyNode {
    const n = makeNode(type, span.offset, span.length, undefined, extra);
    for (const c of extra?.children ?? []) setParent(c, n);
    return n;
  }

  opaque(span: Span, label: string): PolicyNode {
    return this.node('opaque', span, { label });
  }

  /** A string node from a builder; `fields` are f-string fields that hold a policy variable. */
  string(b: StringBuilder, span: Span, fields: readonly FieldVariable[] = []): PolicyNode {
    const n = makeNode('string', span.offset, span.length, undefined);
    const sv = b.build(n, span);
    (n as { value?: unknown }).value = sv.value;
    this.strings.set(n, sv);
    for (const f of fields) {
      this.notes.push({ kind: 'fstring-variable-not-escaped', span: sv.spanOf(f.start, f.end), str: sv, range: [f.start, f.end], detail: { name: f.name } });
    }
    return n;
  }

  /** A string value that is not written as text (an enum, a mapped key): `value` laid over `at`. */
  synthetic(value: string, at: Span): PolicyNode {
    const b = new StringBuilder();
    for (let i = 0; i < value.length; i++) {
      const o = at.offset + Math.min(i, Math.max(0, at.length - 1));
      appendAt(b, value[i], o, i === value.length - 1 ? at.offset + at.length : o + 1);
    }
    b.text('', [], at.offset + at.length);
    return this.string(b, at);
  }

  property(key: PolicyNode, value: PolicyNode | undefined, span: Span, colonOffset?: number): PolicyNode {
    return this.node('property', span, { children: value ? [key, value] : [key], colonOffset });
  }

  container(n: PolicyNode, c: Container): PolicyNode {
    this.containers.set(n, c);
    return n;
  }

  /**
   * A policy held as JSON text in a string (`JSON.parse('...')`, `json.loads(...)`). Parts of the
   * text the code fills in (`${region}`) are opaque inside the JSON strings that hold them; one
   * that stands outside a JSON string (`"Action": ${actions}`) is an opaque value.
   */
  embedded(text: StringValue, span: Span, outerEscape: Escape, onLiteral: (lit: Literal) => void): PolicyNode {
    const { outer, placeholders } = wholeValueHoles(text);
    const e = parseEmbeddedJson(outer, { placeholders });
    if (!e.root) return this.opaque(span, 'JSON text');
    const holes = outer.opaque.map((o) => outer.spanOf(o.start, o.end));
    const placed = new Set<number>();
    for (const [n, sv] of e.strings) {
      const content = sv.spanOf(0, sv.value.length);
      const inside = holes.map((h, i) => [h, i] as const).filter(([h]) => h.offset >= n.offset && h.offset < n.offset + n.length);
      // The unknown parts it holds are code or template text: a fix never writes over them.
      onLiteral({
        span: { offset: n.offset, length: n.length }, content, kind: 'quoted', escape: compose(jsonEscape, outerEscape),
        outer: outerEscape, sub: false, holes: inside.map(([h]) => h), closed: true,
      });
      if (!inside.length) {
        this.strings.set(n, sv);
        continue;
      }
      const b = new StringBuilder();
      let from = 0;
      for (const [h, i] of inside) {
        let at = -1;
        for (let k = from; k < sv.value.length; k++) if (sv.offsetOf(k) === h.offset) {
          at = k;
          break;
        }
        if (at === -1) continue;
        placed.add(i);
        b.from(sv, from, at).unknown(h, outer.opaque[i].label);
        from = at + 1;
      }
      b.from(sv, from, sv.value.length);
      this.strings.set(n, b.build(n, sv.span));
    }
    if (placed.size < holes.length) return this.opaque(span, 'JSON text');
    this.json = e.json;
    this.jsonErrors = e.errors;
    const stack = [e.root];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.type === 'object' || n.type === 'array') {
        const close = n.offset + n.length - 1;
        this.containers.set(n, { open: n.offset + 1, close, dialect: 'json', style: 'plain', outer: outerEscape });
      }
      for (const c of n.children ?? []) stack.push(c);
    }
    return e.root;
  }

  /**
   * What the CDK adds when it renders a `PolicyDocument` (`Version`) or a `PolicyStatement`
   * (`Effect: Allow`), as zero-width properties so that nothing is reported missing.
   */
  withDefaults(root: PolicyNode, kind: 'document' | 'statement'): PolicyNode {
    if (root.type !== 'object') return root;
    const at = { offset: root.offset, length: 0 };
    const has = (k: string) => root.children?.some((p) => p.children?.[0]?.value === k);
    const add = (k: string, v: string): void => {
      const p = this.property(this.synthetic(k, at), this.synthetic(v, at), at);
      this.synthetics.add(p);
      root.children!.unshift(p);
      setParent(p, root);
    };
    if (kind === 'document') {
      if (!has('Version')) add('Version', '2012-10-17');
      const list = root.children?.find((p) => p.children?.[0]?.value === 'Statement')?.children?.[1];
      for (const st of list?.type === 'array' ? list.children ?? [] : list ? [list] : []) this.withDefaults(st, 'statement');
    } else if (!has('Effect')) add('Effect', 'Allow');
    return root;
  }

  /** Appends a child to an object or list built before (`add...` calls of a statement or document constant). */
  append(parent: PolicyNode, child: PolicyNode): void {
    parent.children!.push(child);
    setParent(child, parent);
  }

  /**
   * Items an `add...` call adds to a statement's `key` list, which is created (at the call) when the
   * statement has none.
   */
  addItems(props: PolicyNode[], lists: Map<string, PolicyNode>, key: string, items: PolicyNode[], call: Span): void {
    let list = lists.get(key);
    if (!list) {
      list = this.node('array', call, { children: [] });
      lists.set(key, list);
      props.push(this.property(this.synthetic(key, call), list, call));
    }
    for (const item of items) this.append(list, item);
  }

  /** `addCondition(operator, {...})`: an operator of the statement's `Condition`, created at the call when missing. */
  addCondition(props: PolicyNode[], operator: PolicyNode, value: PolicyNode, call: Span): void {
    let cond = props.find((p) => p.children?.[0]?.value === 'Condition')?.children?.[1];
    if (!cond) {
      cond = this.node('object', call, { children: [] });
      props.push(this.property(this.synthetic('Condition', call), cond, call));
    }
    if (cond.type === 'object') this.append(cond, this.property(operator, value, call));
  }

  /** `${!iot:...}` in a string no `Fn.sub` processes: the CDK keeps the `!`. */
  private escapeNotes(): void {
    for (const sv of this.strings.values()) {
      if (this.subStrings.has(sv)) continue;
      const v = sv.value;
      for (let open = v.indexOf('${!'); open !== -1; open = v.indexOf('${!', open + 3)) {
        const close = v.indexOf('}', open + 3);
        if (close === -1) break;
        if (!isLiteralRange(sv, open, close + 1)) continue;
        this.notes.push({ kind: 'escape-outside-sub', span: sv.spanOf(open, close + 1), str: sv, range: [open, close + 1], detail: { name: v.slice(open + 3, close).trim() } });
      }
    }
  }

  /** The model of the policy rooted at `root`, with the parser's errors in its ranges. */
  finish(text: string, root: PolicyNode, host: HostInfo, codeErrors: readonly Span[]): PolicyModel {
    this.escapeNotes();
    const syntaxErrors: SyntaxIssue[] = [...this.jsonErrors];
    for (const e of codeErrors) {
      if (this.ranges.some((r) => e.offset >= r.offset && e.offset <= r.offset + r.length)) {
        syntaxErrors.push({ code: 'CodeSyntax', offset: e.offset, length: e.length });
      }
    }
    const strings = this.strings;
    const notes = this.notes;
    return buildModel({
      text,
      root,
      syntaxErrors,
      json: this.json,
      stringOf: (n) => strings.get(n) ?? new StringBuilder().build(n),
      size: () => renderedPolicySize(root, (n) => strings.get(n)),
      notes: () => notes,
      host,
    });
  }
}
