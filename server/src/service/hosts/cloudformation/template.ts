/**
 * The CloudFormation host: AWS IoT policies in CloudFormation and SAM templates (YAML or JSON),
 * Serverless Framework files (`resources.Resources`) and CDK output (`cdk.out/*.template.json`).
 *
 * Each `AWS::IoT::Policy` resource's `PolicyDocument` becomes one policy: an object (YAML or
 * JSON), or JSON text in a string (a `|` block, a `!Sub |` block, an escaped JSON string), and
 * the policies inside an `AWS::IoT::ProvisioningTemplate`'s `TemplateBody`, three levels deep.
 * Intrinsic functions are resolved to what the stack deploys, with unknown values opaque; each
 * branch of an `Fn::If` is a variant of the policy, and every variant is analysed.
 */
import { buildModel, type HostInfo, type HostNote, type PolicyModel, type PolicySource } from '../../policy/model';
import type { PolicyNode, StringValue, SyntaxIssue } from '../../policy/tree';
import type { FileProblem, PolicyDocument, PolicyEntry } from '../../document';
import type { Span } from '../../text/span';
import { parseEmbeddedJson } from '../json/embedded';
import { jsonStringValue, parseJsonText } from '../json/parse';
import { cloneTree, makeNode, renderedPolicySize, StringBuilder } from '../strings';
import { parseYaml, type ScalarStyle } from '../yaml/tree';
import { intrinsicOf, plainStringNotes, resolveIntrinsics, resolveSubString, type ResolveOptions } from './intrinsics';
import type { PolicyPath } from '../../fixes/types';
import { templateCompletionPlace } from './complete';
import { compose, jsonEscape, ScalarIndex, subEscape, TemplateWriter, yamlEscape, type Escape } from './writer';

export type TemplateKind = 'cloudformation' | 'serverless' | 'cdk';

const SERVERLESS_NAME = /(^|[\\/])serverless\.(ya?ml|json)$/i;
const CDK_OUT = /(^|[\\/])cdk\.out[\\/].*\.template\.json$/i;

/**
 * Whether a YAML or JSON file is a template this host reads: cheap text checks, no parse. A
 * template has `AWSTemplateFormatVersion`, or a `Resources` map with an IoT policy type; a
 * Serverless file is found by its name and `Resources`.
 */
/** What a template's path alone says about it (`serverless.yml`, a `cdk.out` template), for readingKey. */
export function templatePathKind(path: string): string {
  return SERVERLESS_NAME.test(path) ? 'serverless' : CDK_OUT.test(path) ? 'cdk' : '';
}

export function templateKind(text: string, path: string): TemplateKind | undefined {
  if (SERVERLESS_NAME.test(path)) return text.includes('Resources') ? 'serverless' : undefined;
  const hasIot = text.includes('AWS::IoT::Policy') || text.includes('AWS::IoT::ProvisioningTemplate');
  // A Serverless service under another name (`serverless.dev.yml`, `api.yml`): its top-level keys.
  if (hasIot && /^service:/m.test(text) && /^provider:/m.test(text) && /^resources:/m.test(text)) return 'serverless';
  if (CDK_OUT.test(path)) return hasIot ? 'cdk' : undefined;
  if (text.includes('AWSTemplateFormatVersion')) return 'cloudformation';
  return hasIot && text.includes('Resources') ? 'cloudformation' : undefined;
}

export interface TemplateOptions {
  /** Known values of parameters, pseudo parameters and `Ref`s (the CLI's `--region`, `--parameter`). */
  values?: ReadonlyMap<string, string>;
  /** Known values of the template's conditions: each `Fn::If` takes its branch. */
  conditions?: ReadonlyMap<string, boolean>;
  /** At most this many variants of one policy (2^k for k conditions). */
  maxVariants?: number;
  /** The template's `Mappings`, for `Fn::FindInMap` with known keys. */
  mappings?: Readonly<Record<string, unknown>>;
}

/** Sources the Serverless Framework resolves before CloudFormation sees the template (`${self:...}`). */
const SERVERLESS_VARIABLE = /^\$\{(self|opt|env|sls|aws|ssm|cf|s3|param|file|strToBool|git):?/;

interface Found {
  key: string;
  name: string;
  detail?: string;
  span: Span;
  nameSpan: Span;
  /** The `PolicyDocument` value. */
  document: PolicyNode;
  /** Strings of the tree the document is in (the template, or a provisioning template body). */
  read: (n: PolicyNode) => StringValue | undefined;
  /** The path of `PolicyDocument` from the template's root (JSON completion reads it). */
  path: PolicyPath;
}

/** Whether a string node is the template of a `Fn::Sub` (its `${...}` are substituted). */
function isSubTemplate(n: PolicyNode): boolean {
  const p = n.parent;
  if (p?.type === 'property') return p.children?.[0]?.value === 'Fn::Sub' && p.children[1] === n;
  if (p?.type === 'array' && p.children?.[0] === n) {
    const q = p.parent;
    return q?.type === 'property' && q.children?.[0]?.value === 'Fn::Sub';
  }
  return false;
}

/** Registers how each string of a tree is written, from its own escape. */
function indexScalars(
  root: PolicyNode | undefined, scalars: ScalarIndex, escapeOf: (n: PolicyNode) => Escape,
  options: { embedded?: boolean; sub?: boolean; styles?: Map<PolicyNode, ScalarStyle> } = {},
): void {
  const stack = root ? [root] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'string') {
      const sub = options.sub || isSubTemplate(n);
      scalars.add({ offset: n.offset, length: n.length }, sub ? compose(subEscape, escapeOf(n)) : escapeOf(n), { embedded: options.embedded, sub, style: options.styles?.get(n) });
    }
    for (const c of n.children ?? []) stack.push(c);
  }
}

function prop(obj: PolicyNode | undefined, key: string): PolicyNode | undefined {
  if (obj?.type !== 'object') return undefined;
  for (const p of obj.children ?? []) if (p.children?.[0]?.value === key) return p;
  return undefined;
}

function valueOf(obj: PolicyNode | undefined, key: string): PolicyNode | undefined {
  return prop(obj, key)?.children?.[1];
}

function stringValueOf(obj: PolicyNode | undefined, key: string): string | undefined {
  const v = valueOf(obj, key);
  return v?.type === 'string' ? String(v.value) : undefined;
}

/** Condition names of the `Fn::If`s under a node, in document order. */
function ifConditions(root: PolicyNode): string[] {
  const out: string[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    const fn = intrinsicOf(n);
    if (fn?.name === 'Fn::If' && fn.arg?.type === 'array') {
      const c = fn.arg.children?.[0];
      if (c?.type === 'string' && !out.includes(String(c.value))) out.push(String(c.value));
    }
    for (let i = (n.children?.length ?? 0) - 1; i >= 0; i--) stack.push(n.children![i]);
  }
  return out;
}

/** Every assignment of the conditions (the first `maxBits` vary; the others stay unknown). */
function assignments(names: string[], known: ReadonlyMap<string, boolean> | undefined, maxVariants: number): Map<string, boolean>[] {
  const free = names.filter((n) => !known?.has(n));
  const bits = Math.min(free.length, Math.floor(Math.log2(Math.max(1, maxVariants))));
  const out: Map<string, boolean>[] = [];
  for (let m = 0; m < 1 << bits; m++) {
    const a = new Map(known ?? []);
    for (let b = 0; b < bits; b++) a.set(free[b], (m & (1 << b)) === 0);
    out.push(a);
  }
  return out;
}

export class TemplateHost {
  readonly info: HostInfo;
  private readonly problems: FileProblem[] = [];
  private readonly scalars = new ScalarIndex();
  /** How the file writes a string (JSON escapes, or the YAML scalar's style). */
  private escapeOf: (n: PolicyNode) => Escape = () => jsonEscape;
  private styles?: Map<PolicyNode, ScalarStyle>;

  constructor(
    private readonly text: string,
    private readonly path: string,
    readonly kind: TemplateKind,
    private readonly options: TemplateOptions = {},
  ) {
    this.info = { id: kind === 'serverless' ? 'serverless' : 'cloudformation', language: this.isJson() ? 'json' : 'yaml' };
  }

  private isJson(): boolean {
    return this.text.trimStart().startsWith('{');
  }

  parse(): PolicyDocument {
    const text = this.text;
    let root: PolicyNode | undefined;
    let read: (n: PolicyNode) => StringValue | undefined;
    let syntaxErrors: SyntaxIssue[] = [];
    // Only the policies' strings are indexed (fixes and completion write there), not the template's.
    if (this.isJson()) {
      const p = parseJsonText(text);
      root = p.root;
      syntaxErrors = p.errors;
      const cache = new Map<PolicyNode, StringValue>();
      read = (n) => {
        let sv = cache.get(n);
        if (!sv) {
          sv = jsonStringValue(n, text);
          cache.set(n, sv);
        }
        return sv;
      };
    } else {
      const y = parseYaml(text);
      root = y.root;
      read = (n) => y.strings.get(n);
      this.styles = y.styles;
      this.escapeOf = (n) => yamlEscape(y.styles.get(n) ?? 'PLAIN');
      syntaxErrors = y.errors.map((e) => ({ code: 'YamlSyntax', message: e.message, offset: e.offset, length: e.length }));
    }
    const found = this.findPolicies(root, read);
    for (const f of found) if (f.path.length) this.index(f.document);
    const policies = found.map((f) => this.entry(f));
    if (syntaxErrors.length) this.reportSyntax(syntaxErrors, policies);
    return {
      text,
      hostId: this.info.id,
      policies,
      problems: this.problems,
      reparse: (t) => new TemplateHost(t, this.path, templateKind(t, this.path) ?? this.kind, this.options).parse(),
    };
  }

  /** Registers how the strings under a node of the file are written. */
  private index(node: PolicyNode | undefined): void {
    indexScalars(node, this.scalars, this.escapeOf, { styles: this.styles });
  }

  /** A syntax error of the file, once, where it stops the analysis: inside a policy, or when no policy was found. */
  private reportSyntax(errors: SyntaxIssue[], policies: PolicyEntry[]): void {
    const inPolicy = errors.find((e) => policies.some((p) => e.offset >= p.span.offset && e.offset <= p.span.offset + p.span.length));
    const first = inPolicy ?? (policies.length ? undefined : errors[0]);
    if (!first) return;
    this.problems.push({
      ruleId: 'template-syntax-error', messageId: 'syntax', span: { offset: first.offset, length: Math.max(1, first.length) },
      args: { language: this.isJson() ? 'JSON' : 'YAML', detail: first.message ?? first.code, inPolicy: !!inPolicy },
    });
  }

  private findPolicies(root: PolicyNode | undefined, read: (n: PolicyNode) => StringValue | undefined): Found[] {
    const resources = this.kind === 'serverless' ? valueOf(valueOf(root, 'resources'), 'Resources') : valueOf(root, 'Resources');
    const out: Found[] = [];
    if (resources?.type !== 'object') return out;
    for (const p of resources.children ?? []) {
      const keyNode = p.children?.[0];
      const res = p.children?.[1];
      if (keyNode?.type !== 'string' || res?.type !== 'object') continue;
      const id = String(keyNode.value);
      const type = stringValueOf(res, 'Type');
      const props = valueOf(res, 'Properties');
      const cdkPath = stringValueOf(valueOf(res, 'Metadata'), 'aws:cdk:path');
      const keySv = read(keyNode);
      const nameSpan = keySv ? keySv.spanOf(0, keySv.value.length) : { offset: keyNode.offset, length: keyNode.length };
      const span = { offset: p.offset, length: p.length };
      if (type === 'AWS::IoT::Policy') {
        const doc = valueOf(props, 'PolicyDocument');
        if (doc) out.push({ key: id, name: id, detail: cdkPath, span, nameSpan, document: doc, read, path: [...(this.kind === 'serverless' ? ['resources'] : []), 'Resources', id, 'Properties', 'PolicyDocument'] });
      } else if (type === 'AWS::IoT::ProvisioningTemplate') {
        out.push(...this.provisioningPolicies(id, span, nameSpan, valueOf(props, 'TemplateBody'), read));
      }
    }
    return out;
  }

  /** The policies of a provisioning template: its body is JSON text, and each policy's document an escaped JSON string in it. */
  private provisioningPolicies(id: string, span: Span, nameSpan: Span, body: PolicyNode | undefined, read: (n: PolicyNode) => StringValue | undefined): Found[] {
    const fn = intrinsicOf(body);
    const textNode = body?.type === 'string' ? body : fn?.name === 'Fn::Sub' && fn.arg?.type === 'string' ? fn.arg : undefined;
    const sv = textNode && read(textNode);
    if (!sv) return [];
    const inner = parseEmbeddedJson(sv);
    const innerRead = (n: PolicyNode) => inner.strings.get(n);
    this.index(textNode);
    const outer = this.scalars.at(textNode!.offset + 1)?.escape ?? ((x: string) => x);
    indexScalars(inner.root, this.scalars, () => compose(jsonEscape, outer), { embedded: true });
    const out: Found[] = [];
    const resources = valueOf(inner.root, 'Resources');
    for (const p of resources?.children ?? []) {
      const res = p.children?.[1];
      if (stringValueOf(res, 'Type') !== 'AWS::IoT::Policy') continue;
      const doc = valueOf(valueOf(res, 'Properties'), 'PolicyDocument');
      const innerId = String(p.children?.[0]?.value ?? '');
      if (doc) out.push({ key: `${id}.${innerId}`, name: `${id} › ${innerId}`, span, nameSpan, document: doc, read: innerRead, path: [] });
    }
    return out;
  }

  private entry(f: Found): PolicyEntry {
    const conds = ifConditions(f.document);
    const variants = assignments(conds, this.options.conditions, this.options.maxVariants ?? 8)
      .map((conditions) => buildModel(this.source(f, conditions)));
    const model = variants[0];
    const writer = (m: PolicyModel) => new TemplateWriter(m, this.scalars, !this.isJson());
    return {
      key: f.key,
      name: f.name,
      detail: f.detail,
      ...(f.detail ? { constructPath: f.detail } : {}),
      span: f.span,
      nameSpan: f.nameSpan,
      model,
      ...(variants.length > 1 ? { variants } : {}),
      writer: () => writer(model),
      place: (offset) => templateCompletionPlace(model, offset, this.scalars, !this.isJson(), f.path),
    };
  }

  private source(f: Found, conditions: Map<string, boolean>): PolicySource {
    const notes: HostNote[] = [];
    const resolve: ResolveOptions = { mode: 'template', values: this.options.values, conditions, mappings: this.options.mappings };
    const { root: copy, strings } = cloneTree(f.document, f.read);
    let read = (n: PolicyNode): StringValue | undefined => strings.get(n);
    if (this.kind === 'serverless') for (const [n, sv] of strings) strings.set(n, serverlessVariables(sv));
    // Resolve intrinsics under a holder, so that the document itself may be replaced (`!If`, `!Sub |`).
    const holder = makeNode('array', copy.offset, copy.length, undefined, { children: [copy] });
    (copy as { parent?: PolicyNode }).parent = holder;
    const fn = intrinsicOf(copy);
    let root: PolicyNode | undefined = copy;
    let syntaxErrors: SyntaxIssue[] = [];
    let json: PolicySource['json'];
    // A policy written as JSON text: a string, or a `Fn::Sub` of one.
    const subText = fn?.name === 'Fn::Sub' ? (fn.arg?.type === 'string' ? fn.arg : fn.arg?.type === 'array' && fn.arg.children?.[0]?.type === 'string' ? fn.arg.children[0] : undefined) : undefined;
    const textNode = copy.type === 'string' ? copy : subText;
    if (textNode) {
      const sv = read(textNode);
      const embedded = sv ? parseEmbeddedJson(sv) : undefined;
      root = embedded?.root;
      syntaxErrors = embedded?.errors ?? [];
      json = embedded?.json;
      const inner = new Map<PolicyNode, StringValue>();
      const outer = this.scalars.at(textNode.offset + 1)?.escape ?? ((x: string) => x);
      indexScalars(embedded?.root, this.scalars, () => compose(jsonEscape, outer), { embedded: true, sub: !!subText });
      for (const [n, isv] of embedded?.strings ?? []) {
        if (subText) inner.set(n, resolveSubString(isv, n, resolve, notes));
        else {
          plainStringNotes(isv, notes);
          inner.set(n, isv);
        }
      }
      read = (n) => inner.get(n);
    } else {
      const r = resolveIntrinsics(copy, (n) => read(n) ?? emptyString(n), resolve);
      notes.push(...r.notes);
      for (const [n, sv] of r.strings) strings.set(n, sv);
      root = holder.children?.[0];
      if (root) (root as { parent?: PolicyNode }).parent = undefined;
    }
    const finalRead = read;
    return {
      text: this.text,
      root,
      syntaxErrors,
      json,
      stringOf: (n) => finalRead(n) ?? emptyString(n),
      size: () => renderedPolicySize(root, finalRead),
      notes: () => notes,
      host: this.info,
    };
  }
}

function emptyString(n: PolicyNode): StringValue {
  return new StringBuilder().build(n);
}

/** A string with its Serverless Framework variables (`${self:custom.stage}`) as opaque ranges. */
function serverlessVariables(sv: StringValue): StringValue {
  const v = sv.value;
  if (!v.includes('${')) return sv;
  const b = new StringBuilder();
  let i = 0;
  let changed = false;
  while (i < v.length) {
    const open = v.indexOf('${', i);
    if (open === -1 || !SERVERLESS_VARIABLE.test(v.slice(open))) {
      const stop = open === -1 ? v.length : open + 2;
      b.from(sv, i, stop);
      i = stop;
      continue;
    }
    // Nested `${...}` inside a variable (`${self:custom.${opt:stage}}`): match braces.
    let depth = 0;
    let j = open;
    for (; j < v.length; j++) {
      if (v[j] === '{') depth++;
      else if (v[j] === '}' && --depth === 0) break;
    }
    if (j >= v.length) {
      b.from(sv, i, v.length);
      break;
    }
    b.from(sv, i, open).unknown(sv.spanOf(open, j + 1), v.slice(open, j + 1));
    changed = true;
    i = j + 1;
  }
  return changed ? b.build(sv.node, sv.span) : sv;
}

export function parseTemplate(text: string, path: string, options?: TemplateOptions): PolicyDocument | undefined {
  const kind = templateKind(text, path);
  return kind ? new TemplateHost(text, path, kind, options).parse() : undefined;
}
