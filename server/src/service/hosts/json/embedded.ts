/**
 * A policy held as JSON text inside another file's string (a CloudFormation `PolicyDocument: |`
 * block, a provisioning template's escaped `PolicyDocument`, a Terraform heredoc): parsed as JSON
 * from the decoded string, with every node, string and syntax error mapped through the string's
 * own map to the characters of the file. Nesting composes: a string in a string in a file.
 */
import type { JsonText } from '../../policy/model';
import type { OpaqueRange, PolicyNode, StringValue, SyntaxIssue } from '../../policy/tree';
import { composeString, makeNode, MappedString } from '../strings';
import { jsonStringValue, parseJsonText } from './parse';

export interface EmbeddedJson {
  root: PolicyNode | undefined;
  strings: Map<PolicyNode, StringValue>;
  /** Syntax errors in document offsets. */
  errors: SyntaxIssue[];
  json: JsonText;
  refused: boolean;
}

export interface EmbeddedOptions {
  /**
   * The outer string is a template whose unknown parts are opaque ranges: they stay opaque in the
   * policy's strings (each `*` of a JSON string that stands for one).
   */
  opaque?: boolean;
  /**
   * Decoded ranges of the outer string written as a placeholder JSON string (`"*"`) for a template
   * expression outside any JSON string (`"Action": ${jsonencode(local.actions)}`): the value is
   * an opaque node, and a syntax error at a placeholder is not reported (the value could fit).
   */
  placeholders?: readonly OpaqueRange[];
}

export function parseEmbeddedJson(outer: StringValue, options: EmbeddedOptions = {}): EmbeddedJson {
  const text = outer.value;
  const parsed = parseJsonText(text);
  const strings = new Map<PolicyNode, StringValue>();
  const at = (o: number): number => outer.offsetOf(o);
  const placeholders = options.placeholders ?? [];
  const placeholderAt = (n: PolicyNode) => placeholders.find((p) => p.start === n.offset && p.end === n.offset + n.length);
  const copy = (n: PolicyNode, parent: PolicyNode | undefined): PolicyNode => {
    const start = at(n.offset);
    const length = Math.max(0, at(n.offset + n.length) - start);
    const hole = n.type === 'string' && placeholders.length ? placeholderAt(n) : undefined;
    if (hole) return makeNode('opaque', start, length, parent, { label: hole.label });
    const c = makeNode(n.type, start, length, parent, {
      value: n.value, colonOffset: n.colonOffset === undefined ? undefined : at(n.colonOffset),
    });
    if (n.children) (c as { children?: PolicyNode[] }).children = n.children.map((k) => copy(k, c));
    if (n.type === 'string') {
      const inner = jsonStringValue(n, text);
      strings.set(c, options.opaque && outer.opaque.length ? withOpaque(c, inner, outer, n) : composeString(c, inner, outer));
    }
    return c;
  };
  const root = parsed.root ? copy(parsed.root, undefined) : undefined;
  const touchesPlaceholder = (e: SyntaxIssue) => placeholders.some((p) => e.offset <= p.end && e.offset + e.length >= p.start);
  const kept = placeholders.length ? parsed.errors.filter((e) => !touchesPlaceholder(e)) : parsed.errors;
  const errors = kept.map((e) => {
    const s = at(e.offset);
    return { ...e, offset: s, length: Math.max(0, at(e.offset + e.length) - s) };
  });
  return { root, strings, errors, json: { text, errors: kept, toDocument: at }, refused: parsed.refused };
}

/** `composeString`, keeping the outer string's opaque ranges that fall inside this JSON string. */
function withOpaque(node: PolicyNode, inner: StringValue, outer: StringValue, raw: PolicyNode): MappedString {
  const map: number[] = [];
  for (let i = 0; i <= inner.value.length; i++) map.push(outer.offsetOf(inner.offsetOf(i)));
  const opaque: OpaqueRange[] = [];
  const end = raw.offset + raw.length;
  let i = 0;
  for (const o of outer.opaque) {
    if (o.start <= raw.offset || o.end >= end) continue;
    // Each opaque range is one `*`, which JSON writes as it is: find the decoded index it maps to.
    while (i < inner.value.length && inner.offsetOf(i) < o.start) i++;
    if (i < inner.value.length && inner.offsetOf(i) === o.start) opaque.push({ start: i, end: i + (o.end - o.start), label: o.label });
  }
  return new MappedString(node, inner.value, map, { offset: node.offset, length: node.length }, opaque);
}

/**
 * Whether text holds an IoT policy, for values no construct names a policy (a Terraform module's
 * input, a string constant of a CDK app): a `Statement` and an IoT action, on the raw text (the
 * JSON host's detection by content, before any parsing).
 */
export function holdsIotPolicy(text: string): boolean {
  return text.includes('Statement') && /["'\s[]?(iot|iotjobsdata|greengrass):[A-Za-z*]/.test(text);
}
