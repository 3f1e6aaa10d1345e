/**
 * CloudFormation intrinsic functions in a policy tree: `{"Fn::Sub": ...}`, `{"Fn::Join": ...}`,
 * `{"Ref": ...}` and the others, in their JSON form (the YAML host turns `!Sub` into the same
 * shape). Each is replaced by what the policy holds once the stack is deployed:
 *
 * - `Fn::Sub` and `Fn::Join` become strings: their literal text, with one opaque `*` for every
 *   part unknown before deploy (`${AWS::Region}`, `{"Ref": ...}`), and `${!Literal}` read as
 *   `${Literal}`, mapped to the exact characters of the file;
 * - `Ref`, `Fn::GetAtt`, `Fn::ImportValue`, `Fn::Select`, ... become opaque values;
 * - `Fn::If` is resolved by the caller (the template host analyses both branches); elsewhere it is opaque.
 *
 * What the host should tell the user (a template construct in a standalone policy, an escape
 * mistake in a template) is returned as notes.
 */
import type { HostNote } from '../../policy/model';
import type { PolicyNode, StringValue } from '../../policy/tree';
import type { Span } from '../../text/span';
import { makeNode, removeFromParent, replaceChild, StringBuilder } from '../strings';

/** Intrinsic functions whose value is a string that can be read from the template. */
const STRING_FUNCTIONS: ReadonlySet<string> = new Set(['Fn::Sub', 'Fn::Join']);
const OTHER_FUNCTIONS: ReadonlySet<string> = new Set([
  'Ref', 'Fn::GetAtt', 'Fn::ImportValue', 'Fn::If', 'Fn::Select', 'Fn::FindInMap', 'Fn::Split', 'Fn::Base64',
  'Fn::GetAZs', 'Fn::Cidr', 'Fn::Length', 'Fn::ToJsonString', 'Fn::Transform', 'Fn::And', 'Fn::Equals', 'Fn::Not', 'Fn::Or',
]);

export interface Intrinsic {
  /** `Fn::Sub`, `Ref`, ... */
  name: string;
  /** The key node (`"Fn::Sub"`, or the `!Sub` tag in YAML). */
  keyNode: PolicyNode;
  /** The argument. */
  arg: PolicyNode | undefined;
  /** The object node. */
  node: PolicyNode;
}

/** The intrinsic function an object node is: one key, `Fn::*`, `Ref`, or `Condition` with a name. */
export function intrinsicOf(node: PolicyNode | undefined): Intrinsic | undefined {
  if (!node || node.type !== 'object' || node.children?.length !== 1) return undefined;
  const prop = node.children[0];
  const k = prop.children?.[0];
  if (!k || k.type !== 'string' || typeof k.value !== 'string') return undefined;
  const name = k.value;
  const arg = prop.children?.[1];
  if (name === 'Condition') return arg?.type === 'string' ? { name, keyNode: k, arg, node } : undefined;
  if (!(name === 'Ref' || name.startsWith('Fn::'))) return undefined;
  return { name, keyNode: k, arg, node };
}

/** How the string values of the tree are read (each host decodes its own literals). */
export type StringReader = (node: PolicyNode) => StringValue;

export interface ResolveOptions {
  /**
   * `foreign`: a standalone policy holding template syntax (every construct gets a
   * `template-construct` note); `template`: a CloudFormation template, where escapes are checked.
   */
  mode: 'foreign' | 'template';
  /** Known values of `Ref`s and `${Name}`s (pseudo parameters, parameters); others stay opaque. */
  values?: ReadonlyMap<string, string>;
  /** `Fn::If` branch per condition name (true: the first); unknown conditions keep `Fn::If` opaque. */
  conditions?: ReadonlyMap<string, boolean>;
  /** The template's `Mappings`, for `Fn::FindInMap` with known keys. */
  mappings?: Readonly<Record<string, unknown>>;
}

/** Functions whose value the inputs of an evaluation may give (the others stay opaque). */
const KNOWABLE: ReadonlySet<string> = new Set(['Ref', 'Fn::FindInMap', 'Fn::GetAtt', 'Fn::ImportValue', 'Fn::Select']);

/** The value of a `Ref` or a literal key, when it is known. */
function knownString(n: PolicyNode | undefined, options: ResolveOptions): string | undefined {
  if (n?.type === 'string') return String(n.value);
  const fn = intrinsicOf(n);
  if (fn?.name === 'Ref' && fn.arg?.type === 'string') return options.values?.get(String(fn.arg.value));
  return undefined;
}

/** `Fn::FindInMap: [Map, TopKey, SecondKey]` when every key is known and the value is a string. */
function findInMap(fn: Intrinsic, options: ResolveOptions): string | undefined {
  if (!options.mappings || fn.arg?.type !== 'array') return undefined;
  const keys = (fn.arg.children ?? []).slice(0, 3).map((k) => knownString(k, options));
  if (keys.length !== 3 || keys.some((k) => k === undefined)) return undefined;
  let v: unknown = options.mappings;
  for (const k of keys) v = v && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, k!) ? (v as Record<string, unknown>)[k!] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export interface Resolved {
  /** String values of the nodes built here (the host's reader knows the others). */
  strings: Map<PolicyNode, StringValue>;
  notes: HostNote[];
}

const TOOL = 'CloudFormation';

/** The content span of a key literal (without its quotes when it has them). */
function keyContent(k: PolicyNode, read: StringReader): Span {
  const sv = read(k);
  return sv.spanOf(0, sv.value.length);
}

/**
 * Replaces every intrinsic function object under `root` (in place) by the string or opaque value
 * it stands for. Returns the strings it built and the notes for the rules.
 */
export function resolveIntrinsics(root: PolicyNode, read: StringReader, options: ResolveOptions): Resolved {
  const out: Resolved = { strings: new Map(), notes: [] };
  const reader: StringReader = (n) => out.strings.get(n) ?? read(n);
  const stack: PolicyNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    const fn = intrinsicOf(n);
    if (fn && (STRING_FUNCTIONS.has(fn.name) || OTHER_FUNCTIONS.has(fn.name) || fn.name === 'Condition')) {
      if (options.mode === 'foreign') {
        out.notes.push({
          kind: 'template-construct', span: keyContent(fn.keyNode, reader),
          detail: { tool: TOOL, construct: fn.name, note: `\`${fn.name}\` is a CloudFormation intrinsic function, evaluated when the stack is deployed` },
        });
      }
      const replacement = replacementFor(fn, reader, options, out);
      if (replacement.type === 'opaque' && replacement.label === 'Ref AWS::NoValue' && n.parent) {
        // `AWS::NoValue` removes the property or list item that holds it.
        removeFromParent(n);
        continue;
      }
      if (replacement !== n) {
        replaceChild(n, replacement);
        if (n === root) return out;
      }
      continue;
    }
    if (options.mode === 'template' && n.type === 'string' && !out.strings.has(n)) checkPlainString(n, reader, out);
    for (const c of n.children ?? []) stack.push(c);
  }
  return out;
}

function replacementFor(fn: Intrinsic, read: StringReader, options: ResolveOptions, out: Resolved): PolicyNode {
  const { node } = fn;
  if (fn.name === 'Fn::If' && options.conditions && fn.arg?.type === 'array') {
    const [cond, yes, no] = fn.arg.children ?? [];
    const which = cond?.type === 'string' ? options.conditions.get(String(cond.value)) : undefined;
    const branch = which === undefined ? undefined : which ? yes : no;
    if (branch) {
      const inner = intrinsicOf(branch);
      const resolved = inner ? replacementFor(inner, read, options, out) : branch;
      if (resolved.type === 'string' && !out.strings.has(resolved)) out.strings.set(resolved, read(resolved));
      if (resolved.type !== 'object' && resolved.type !== 'array') return resolved;
      // An object or array branch (a whole statement or condition): analysed where it stands.
      const nested = resolveIntrinsics(resolved, read, options);
      for (const [n, sv] of nested.strings) out.strings.set(n, sv);
      out.notes.push(...nested.notes);
      return resolved;
    }
  }
  if (STRING_FUNCTIONS.has(fn.name)) {
    const sv = stringOf(fn, read, options, out);
    if (sv) {
      const s = makeNode('string', node.offset, node.length, node.parent, { value: sv.value });
      (sv as { node: PolicyNode }).node = s;
      out.strings.set(s, sv);
      return s;
    }
  }
  if (KNOWABLE.has(fn.name)) {
    const known = knownValue(node, read, options, out);
    if (known) {
      const s = makeNode('string', node.offset, node.length, node.parent, { value: known.value });
      out.strings.set(s, new StringBuilder().from(known).build(s));
      return s;
    }
  }
  return makeNode('opaque', node.offset, node.length, node.parent, { label: labelOf(fn) });
}

function labelOf(fn: Intrinsic): string {
  const name = valueName(fn);
  if (name !== undefined) return `${fn.name} ${name}`;
  const a = fn.arg;
  if (a?.type === 'string') return `${fn.name} ${String(a.value)}`;
  if (a?.type === 'array' && a.children?.[0]?.type === 'string') return `${fn.name} ${String(a.children[0].value)}...`;
  return fn.name;
}

/** The string an `Fn::Sub` or `Fn::Join` evaluates to, or undefined when its shape is wrong. */
function stringOf(fn: Intrinsic, read: StringReader, options: ResolveOptions, out: Resolved): StringValue | undefined {
  const b = new StringBuilder();
  if (fn.name === 'Fn::Sub') {
    const arg = fn.arg;
    const tpl = arg?.type === 'string' ? arg : arg?.type === 'array' && arg.children?.[0]?.type === 'string' ? arg.children[0] : undefined;
    if (!tpl) return undefined;
    const vars = arg?.type === 'array' ? subVariables(arg.children?.[1], read, options, out) : new Map<string, StringValue | null>();
    appendSub(b, read(tpl), vars, options, out);
    return b.build(fn.node);
  }
  // Fn::Join: [delimiter, [pieces]]
  const [delim, list] = fn.arg?.type === 'array' ? (fn.arg.children ?? []) : [];
  if (delim?.type !== 'string' || list?.type !== 'array') return undefined;
  const d = read(delim);
  (list.children ?? []).forEach((piece, i) => {
    if (i > 0 && d.value) b.from(d);
    if (piece.type === 'string' && options.mode === 'template') checkPlainString(piece, read, out);
    const sv = knownValue(piece, read, options, out);
    if (sv) b.from(sv);
    else {
      const inner = intrinsicOf(piece);
      b.unknown({ offset: piece.offset, length: piece.length }, inner ? labelOf(inner) : 'value');
    }
  });
  return b.build(fn.node);
}

/** A text standing for a whole node (a parameter's value): every character maps to the node. */
function wholeNode(value: string, node: PolicyNode): StringValue {
  return new StringBuilder().text(value, new Array<number>(value.length).fill(node.offset), node.offset + node.length).build(node);
}

/**
 * The string a node evaluates to when it is known: a literal, `Fn::Sub` or `Fn::Join` of known
 * pieces, a `Ref` to a value given, an `Fn::FindInMap` with known keys.
 */
function knownValue(node: PolicyNode | undefined, read: StringReader, options: ResolveOptions, out: Resolved): StringValue | undefined {
  if (!node) return undefined;
  if (node.type === 'string') return read(node);
  const fn = intrinsicOf(node);
  if (!fn) return undefined;
  if (STRING_FUNCTIONS.has(fn.name)) return stringOf(fn, read, options, out);
  if (fn.name === 'Ref' && fn.arg?.type === 'string') {
    const v = options.values?.get(String(fn.arg.value));
    return v === undefined ? undefined : wholeNode(v, node);
  }
  if (fn.name === 'Fn::Select') return select(fn, read, options, out);
  const name = fn.name === 'Fn::FindInMap' ? undefined : valueName(fn);
  const v = fn.name === 'Fn::FindInMap' ? findInMap(fn, options) : name === undefined ? undefined : options.values?.get(name);
  return v === undefined ? undefined : wholeNode(v, node);
}

/**
 * `Fn::Select: [index, list]` of a list, or of `Fn::Split` of a known string: the item, its
 * characters where they are written.
 */
function select(fn: Intrinsic, read: StringReader, options: ResolveOptions, out: Resolved): StringValue | undefined {
  const [index, list] = fn.arg?.type === 'array' ? (fn.arg.children ?? []) : [];
  const i = index?.type === 'number' || index?.type === 'string' ? Number(index.value) : NaN;
  if (!Number.isInteger(i) || i < 0) return undefined;
  if (list?.type === 'array') return knownValue(list.children?.[i], read, options, out);
  const split = intrinsicOf(list);
  if (split?.name !== 'Fn::Split' || split.arg?.type !== 'array') return undefined;
  const [delim, source] = split.arg.children ?? [];
  const d = delim?.type === 'string' ? String(delim.value) : '';
  const s = knownValue(source, read, options, out);
  if (!d || !s) return undefined;
  let start = 0;
  for (let k = 0; k < i; k++) {
    const at = s.value.indexOf(d, start);
    if (at === -1) return undefined;
    start = at + d.length;
  }
  const end = s.value.indexOf(d, start);
  return new StringBuilder().from(s, start, end === -1 ? s.value.length : end).build(fn.node);
}

/**
 * The name a given value answers for: `Fn::GetAtt` as `Logical.Attr` (as `Fn::Sub` writes it),
 * `Fn::ImportValue` by its export name.
 */
function valueName(fn: Intrinsic): string | undefined {
  const a = fn.arg;
  if (fn.name === 'Fn::ImportValue') return a?.type === 'string' ? String(a.value) : undefined;
  if (fn.name !== 'Fn::GetAtt') return undefined;
  if (a?.type === 'string') return String(a.value);
  const [res, attr] = a?.type === 'array' ? (a.children ?? []) : [];
  return res?.type === 'string' && attr?.type === 'string' ? `${String(res.value)}.${String(attr.value)}` : undefined;
}

/** The variable map of `Fn::Sub: [template, {Name: value}]`: known strings, or null for unknown values. */
function subVariables(node: PolicyNode | undefined, read: StringReader, options: ResolveOptions, out: Resolved): Map<string, StringValue | null> {
  const vars = new Map<string, StringValue | null>();
  if (node?.type !== 'object') return vars;
  for (const p of node.children ?? []) {
    const k = p.children?.[0];
    const v = p.children?.[1];
    if (k?.type !== 'string') continue;
    vars.set(String(k.value), knownValue(v, read, options, out) ?? null);
  }
  return vars;
}

/** AWS::Region and the other pseudo parameters. */
const PSEUDO_PARAMETERS: ReadonlySet<string> = new Set([
  'AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix',
]);

/** `iot:`, `aws:` and the other prefixes of policy variables (what must be escaped in `Fn::Sub`). */
const POLICY_VARIABLE = /^(iot|aws|cognito-identity\.amazonaws\.com|credentials-iot|www\.amazon\.com|graph\.facebook\.com|accounts\.google\.com):(?!:)/i;

/** True when `${name}` is a policy variable (evaluated by AWS IoT), not a template reference. */
export function isPolicyVariableName(name: string): boolean {
  return POLICY_VARIABLE.test(name.trim());
}

/**
 * Appends a `Fn::Sub` template: `${!X}` is the literal `${X}`; `${Name}` is the value of a
 * variable of the map, of a known parameter, or an opaque value. A policy variable written without
 * the `!` is left as written (the rules report it: CloudFormation rejects the template).
 */
function appendSub(b: StringBuilder, sv: StringValue, vars: Map<string, StringValue | null>, options: ResolveOptions, out: Resolved): void {
  const v = sv.value;
  let i = 0;
  while (i < v.length) {
    const open = v.indexOf('${', i);
    if (open === -1) {
      b.from(sv, i, v.length);
      break;
    }
    const close = v.indexOf('}', open + 2);
    if (close === -1) {
      b.from(sv, i, v.length);
      break;
    }
    b.from(sv, i, open);
    const name = v.slice(open + 2, close);
    if (name.startsWith('!')) {
      // `${!Literal}` renders as `${Literal}`: every character but the `!`, at its own place.
      b.from(sv, open, open + 2).from(sv, open + 3, close + 1);
    } else if (isPolicyVariableName(name)) {
      b.from(sv, open, close + 1);
      out.notes.push({ kind: 'sub-variable-not-escaped', span: sv.spanOf(open, close + 1), str: sv, range: [open, close + 1], detail: { name: name.trim() } });
    } else {
      const known = vars.get(name.trim());
      const value = known ?? (known === undefined ? options.values?.get(name.trim()) : undefined);
      const span = sv.spanOf(open, close + 1);
      if (known) b.from(known);
      else if (typeof value === 'string') b.text(value, Array.from({ length: value.length }, () => span.offset), span.offset + span.length);
      else b.unknown(span, `\${${name}}`);
    }
    i = close + 1;
  }
}

/** In a template, a plain string (no `Fn::Sub` around it) keeps `${!...}` and `${AWS::Region}` literally: notes. */
function checkPlainString(node: PolicyNode, read: StringReader, out: Resolved): void {
  if (typeof node.value !== 'string' || !node.value.includes('${')) return;
  const sv = read(node);
  const v = sv.value;
  for (let open = v.indexOf('${'); open !== -1; open = v.indexOf('${', open + 2)) {
    const close = v.indexOf('}', open + 2);
    if (close === -1) break;
    const name = v.slice(open + 2, close).trim();
    if (name.startsWith('!')) {
      out.notes.push({ kind: 'escape-outside-sub', span: sv.spanOf(open, close + 1), str: sv, range: [open, close + 1], detail: { name: name.slice(1) } });
    } else if (PSEUDO_PARAMETERS.has(name) || (/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)?$/.test(name) && !isPolicyVariableName(name))) {
      out.notes.push({ kind: 'pseudo-parameter-outside-sub', span: sv.spanOf(open, close + 1), str: sv, range: [open, close + 1], detail: { name } });
    }
  }
}

/**
 * A string read as a `Fn::Sub` template: each string of a policy written as `!Sub |` JSON text.
 * Its notes (a policy variable written without `!`) are added to `notes`.
 */
export function resolveSubString(sv: StringValue, node: PolicyNode, options: ResolveOptions, notes: HostNote[]): StringValue {
  const b = new StringBuilder();
  appendSub(b, sv, new Map(), options, { strings: new Map(), notes });
  return b.build(node, sv.span);
}

/** In a template, a plain string keeps `${!...}` and `${AWS::Region}` literally: its notes. */
export function plainStringNotes(sv: StringValue, notes: HostNote[]): void {
  const out: Resolved = { strings: new Map(), notes };
  checkPlainString(sv.node, () => sv, out);
}
