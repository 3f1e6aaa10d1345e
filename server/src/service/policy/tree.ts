/**
 * The syntax-neutral policy tree. A host (a JSON file, a CloudFormation template, a Terraform
 * file, CDK code) finds a policy in its file and gives it in this shape: JSON values with exact
 * spans in the host's document, and string values that map every decoded character back to the
 * characters of the file. The model, the rules, the features and the evaluator read only this.
 *
 * Its node shape is the one JSON parsers and the JSON language service use (`type`, `offset`,
 * `length`, `parent`, `children`, `value`), so a JSON host can hand over its parse tree as it is,
 * plus `opaque`: a value a template leaves unknown until deploy (`!Ref Topic`, `${var.arn}`).
 */
import type { Span } from '../text/span';

export type NodeType = 'object' | 'array' | 'property' | 'string' | 'number' | 'boolean' | 'null' | 'opaque';

export interface PolicyNode {
  readonly type: NodeType;
  /** Document offset of the node's first character. */
  readonly offset: number;
  /** Length in the document. */
  readonly length: number;
  readonly parent?: PolicyNode;
  /** Object: its properties; property: key and value; array: its items. */
  readonly children?: PolicyNode[];
  /** Strings: the decoded value; numbers, booleans: the value; null: null. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON value of a leaf
  readonly value?: any;
  /** Properties: offset of the separator between key and value, when there is one. */
  readonly colonOffset?: number;
  /** Opaque nodes: what the value stands for, as written (`!Ref DeviceTopic`). */
  readonly label?: string;
}

/** A `${...}` reference (or a malformed one) inside a string. */
export interface VariableRef {
  /** Text as decoded, e.g. `${iot:ClientId}` or `$(*)` or `${iot:Cl` (unclosed). */
  text: string;
  /** The name between the braces, as written (untrimmed). */
  name: string;
  /** Decoded index of `$` within the string value. */
  start: number;
  /** Decoded index just past the reference. */
  end: number;
  /** Document span of the whole reference. */
  span: Span;
  /** Document span of the name. */
  nameSpan: Span;
  /** How it is written. */
  form: 'braces' | 'unclosed' | 'parens';
  /** A `${` found inside this reference before its `}`. */
  nested: boolean;
}

/**
 * A decoded range of a string whose text is not known before deploy (a template expression). In
 * the decoded value it reads as one `*` ("could be anything"); rules never report on it.
 */
export interface OpaqueRange {
  start: number;
  end: number;
  /** The expression as written, e.g. `${AWS::Region}`, `${var.topic}`. */
  label: string;
}

/** A string value (or key) of the policy with its decoded text and document map. */
export interface StringValue {
  node: PolicyNode;
  /** Decoded; every opaque range reads `*`. */
  value: string;
  /** Span of the literal in the document (with its quotes or delimiters). */
  span: Span;
  /** Document offset of the decoded character at `index` (`value.length`: just past the content). */
  offsetOf(index: number): number;
  /** Document span of decoded characters [start, end). */
  spanOf(start: number, end: number): Span;
  variables: VariableRef[];
  /** Decoded ranges a template leaves unknown (empty for plain strings). */
  opaque: readonly OpaqueRange[];
}

export const NO_OPAQUE: readonly OpaqueRange[] = [];

/** True when decoded [start, end) holds no opaque range. */
export function isLiteralRange(sv: Pick<StringValue, 'opaque'>, start: number, end: number): boolean {
  for (const o of sv.opaque) if (o.start < end && o.end > start) return false;
  return true;
}

/** A syntax problem of the policy text, named by the parser's error code (`CommaExpected`, ...). */
export interface SyntaxIssue {
  code: string;
  /** Set for problems found outside the parser (nesting too deep), with their own message. */
  message?: string;
  offset: number;
  length: number;
}

/**
 * At most this many references are read from one string. A real policy has a handful (a whole
 * policy is at most 2,048 characters); a hostile document may have millions, and every variable
 * rule reads them.
 */
export const MAX_VARIABLE_REFS = 1000;

/** Finds `${...}`, unclosed `${` and the `$(*)` escape misspelling in a decoded string (at most MAX_VARIABLE_REFS). */
export function scanVariables(value: string, offsetOf: (i: number) => number): VariableRef[] {
  const refs: VariableRef[] = [];
  const spanOf = (s: number, e: number): Span => {
    const a = offsetOf(s);
    return { offset: a, length: Math.max(0, offsetOf(e) - a) };
  };
  // The next `}` and `${` after a position only move forward: remember them so that a string full
  // of unclosed `${` is scanned in linear time, not once per `${`.
  let closeAt = -2;
  let innerAt = -2;
  let i = value.indexOf('$');
  while (i !== -1 && i < value.length - 1 && refs.length < MAX_VARIABLE_REFS) {
    const next = value[i + 1];
    if (next === '{') {
      if (closeAt !== -1 && closeAt < i + 2) closeAt = value.indexOf('}', i + 2);
      if (innerAt !== -1 && innerAt < i + 2) innerAt = value.indexOf('${', i + 2);
      const close = closeAt;
      const inner = innerAt;
      if (close === -1) {
        // Unclosed: the name runs to the next `${`, or to a character that cannot be in a name.
        let stop = inner === -1 ? value.length : inner;
        const m = /[\s"/]/.exec(value.slice(i + 2, stop));
        if (m) stop = i + 2 + m.index;
        refs.push({
          text: value.slice(i, stop), name: value.slice(i + 2, stop), start: i, end: stop,
          span: spanOf(i, stop), nameSpan: spanOf(i + 2, stop), form: 'unclosed', nested: false,
        });
        i = value.indexOf('$', Math.max(stop, i + 1));
        continue;
      }
      const nested = inner !== -1 && inner < close;
      refs.push({
        text: value.slice(i, close + 1), name: value.slice(i + 2, close), start: i, end: close + 1,
        span: spanOf(i, close + 1), nameSpan: spanOf(i + 2, close), form: 'braces', nested,
      });
      // After a nested reference, continue after the outer `}` so the inner one is not reported twice.
      i = value.indexOf('$', close + 1);
      continue;
    }
    if (next === '(' && value[i + 3] === ')' && '*?$'.includes(value[i + 2])) {
      refs.push({
        text: value.slice(i, i + 4), name: value[i + 2], start: i, end: i + 4,
        span: spanOf(i, i + 4), nameSpan: spanOf(i + 2, i + 3), form: 'parens', nested: false,
      });
      i = value.indexOf('$', i + 4);
      continue;
    }
    i = value.indexOf('$', i + 1);
  }
  return refs;
}

/** The innermost node at `offset`, the end boundary included. */
export function nodeAt(root: PolicyNode | undefined, offset: number): PolicyNode | undefined {
  if (!root || offset < root.offset || offset > root.offset + root.length) return undefined;
  for (const c of root.children ?? []) {
    const n = nodeAt(c, offset);
    if (n) return n;
  }
  return root;
}

/** A node's span. */
export function nodeSpan(node: PolicyNode): Span {
  return { offset: node.offset, length: node.length };
}

/** The plain JSON value of a node (opaque nodes read as their label). */
export function nodeValue(node: PolicyNode | undefined): unknown {
  if (!node) return undefined;
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const p of node.children ?? []) {
        const k = p.children?.[0];
        if (k?.type === 'string') out[k.value as string] = nodeValue(p.children?.[1]);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    case 'opaque':
      return node.label;
    default:
      return node.value;
  }
}

/** The keys and indices from `root` down to `node`; undefined when `node` is not under `root`. */
export function pathFromRoot(node: PolicyNode, root: PolicyNode): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  let n: PolicyNode | undefined = node;
  while (n && n !== root) {
    const p: PolicyNode | undefined = n.parent;
    if (!p) return undefined;
    if (p.type === 'property') {
      if (p.children?.[1] === n) out.unshift(String(p.children?.[0]?.value ?? ''));
      n = p.parent;
      continue;
    }
    if (p.type === 'array') out.unshift(p.children?.indexOf(n) ?? 0);
    n = p;
  }
  return n === root ? out : undefined;
}
