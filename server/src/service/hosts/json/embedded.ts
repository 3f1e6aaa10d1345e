/**
 * A policy held as JSON text inside another file's string (a CloudFormation `PolicyDocument: |`
 * block, a provisioning template's escaped `PolicyDocument`, a Terraform heredoc): parsed as JSON
 * from the decoded string, with every node, string and syntax error mapped through the string's
 * own map to the characters of the file. Nesting composes: a string in a string in a file.
 */
import type { JsonText } from '../../policy/model';
import type { PolicyNode, StringValue, SyntaxIssue } from '../../policy/tree';
import { composeString, makeNode } from '../strings';
import { jsonStringValue, parseJsonText } from './parse';

export interface EmbeddedJson {
  root: PolicyNode | undefined;
  strings: Map<PolicyNode, StringValue>;
  /** Syntax errors in document offsets. */
  errors: SyntaxIssue[];
  json: JsonText;
  refused: boolean;
}

export function parseEmbeddedJson(outer: StringValue): EmbeddedJson {
  const text = outer.value;
  const parsed = parseJsonText(text);
  const strings = new Map<PolicyNode, StringValue>();
  const at = (o: number): number => outer.offsetOf(o);
  const copy = (n: PolicyNode, parent: PolicyNode | undefined): PolicyNode => {
    const start = at(n.offset);
    const c = makeNode(n.type, start, Math.max(0, at(n.offset + n.length) - start), parent, {
      value: n.value, colonOffset: n.colonOffset === undefined ? undefined : at(n.colonOffset),
    });
    if (n.children) (c as { children?: PolicyNode[] }).children = n.children.map((k) => copy(k, c));
    if (n.type === 'string') strings.set(c, composeString(c, jsonStringValue(n, text), outer));
    return c;
  };
  const root = parsed.root ? copy(parsed.root, undefined) : undefined;
  const errors = parsed.errors.map((e) => {
    const s = at(e.offset);
    return { ...e, offset: s, length: Math.max(0, at(e.offset + e.length) - s) };
  });
  return { root, strings, errors, json: { text, errors: parsed.errors, toDocument: at }, refused: parsed.refused };
}
