/**
 * The JSON host's parser: a standalone policy file, or a policy held as JSON text inside another
 * file. One jsonc-parser parse; its tree is already the neutral tree's shape, so it is handed over
 * as it is. CloudFormation intrinsic functions left in a standalone policy are resolved by the
 * CloudFormation module and reported as template syntax.
 */
import { type Node, type ParseError, ParseErrorCode, parseTree, printParseErrorCode } from 'jsonc-parser';
import { buildModel, type HostInfo, type HostNote, type PolicyModel, type PolicySource } from '../../policy/model';
import type { PolicyNode, StringValue, SyntaxIssue } from '../../policy/tree';
import { NO_OPAQUE } from '../../policy/tree';
import type { Span } from '../../text/span';
import { policySize } from '../../catalog/topics';
import { intrinsicOf, resolveIntrinsics, type ResolveOptions } from '../cloudformation/intrinsics';
import { decodeJsonString } from './string';
import { parseWellFormed } from './wellFormed';

const JSON_HOST: HostInfo = { id: 'json', language: 'json' };
const NO_VARIABLES = Object.freeze([]) as unknown as StringValue['variables'];

/**
 * A string literal of the document. One object per literal, with its offset map as methods
 * rather than closures: a 1 MB policy has tens of thousands of them.
 */
class JsonStringValue implements StringValue {
  readonly span: Span;
  /** Shared while empty: the model replaces it (never pushes into it) when the value holds `${`. */
  variables = NO_VARIABLES;
  readonly opaque = NO_OPAQUE;
  constructor(
    readonly node: PolicyNode,
    readonly value: string,
    /** Document offset of decoded index 0 when the literal has no escapes (`map` undefined). */
    private readonly base: number,
    /** Offset map of a literal with escapes, or of a value jsonc-parser decoded differently. */
    private readonly map: ((i: number) => number) | undefined,
  ) {
    this.span = { offset: node.offset, length: node.length };
  }
  offsetOf(index: number): number {
    return this.map ? this.map(index) : this.base + index;
  }
  spanOf(start: number, end: number): Span {
    const a = this.offsetOf(start);
    return { offset: a, length: Math.max(0, this.offsetOf(end) - a) };
  }
}

/** The string value of a JSON string literal of `text`. */
export function jsonStringValue(node: PolicyNode, text: string): StringValue {
  const nv = node.value;
  if (typeof nv === 'string' && node.length === nv.length + 2 && text.charCodeAt(node.offset) === 0x22
    && text.charCodeAt(node.offset + node.length - 1) === 0x22 && text.startsWith(nv, node.offset + 1)) {
    // No escapes (each one makes the literal longer than its value): decoded index i is at offset + 1 + i.
    return new JsonStringValue(node, nv, node.offset + 1, undefined);
  }
  const raw = text.substr(node.offset, node.length);
  const decoded = decodeJsonString(raw, node.offset);
  const value = typeof nv === 'string' ? nv : decoded.value;
  const offsetOf = decoded.value === value ? decoded.offsetOf : (i: number) => node.offset + 1 + Math.min(i, Math.max(0, node.length - 2));
  return new JsonStringValue(node, value, 0, offsetOf);
}

/** Deeper nesting than this is refused: no policy comes near it, and the parser recurses. */
export const MAX_NESTING = 256;

/** The deepest `[`/`{` nesting outside strings and comments, and where it first exceeds `limit`. */
export function nestingDepth(text: string, limit: number): { depth: number; offset: number } {
  return scanJson(text, limit);
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * One pass over the text: the deepest nesting (and where it first exceeds `limit`, the scan then
 * stops) and the white space characters, strings and comments included, as `policySize` counts
 * them (meaningful only when the scan went to the end).
 */
function scanJson(text: string, limit: number): { depth: number; offset: number; blanks: number } {
  let depth = 0;
  let max = 0;
  let blanks = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20) {
      if (isBlank(c)) blanks++;
    } else if (c === 0x22 /* " */) {
      for (i++; i < n; i++) {
        let d = text.charCodeAt(i);
        const escaped = d === 0x5c; /* \ */
        if (escaped) d = text.charCodeAt(++i);
        else if (d === 0x22) break;
        if (d <= 0x20 && isBlank(d)) {
          blanks++;
          if (d === 0x0a && !escaped) break; // an unterminated string ends at its line
        }
      }
    } else if (c === 0x2f /* / */ && (text.charCodeAt(i + 1) === 0x2f || text.charCodeAt(i + 1) === 0x2a)) {
      const line = text.charCodeAt(i + 1) === 0x2f;
      const at = line ? text.indexOf('\n', i) : text.indexOf('*/', i + 2);
      const end = at === -1 ? n : line ? at : at + 2;
      for (let j = i; j < end; j++) if (isBlank(text.charCodeAt(j))) blanks++;
      i = end - 1;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return { depth: max, offset: i, blanks };
      }
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return { depth: max, offset: -1, blanks };
}

/**
 * Cheap text check before walking the tree for CloudFormation intrinsics. `"Condition"` is also
 * every statement's condition block, whose value is an object: only a `"Condition"` key whose
 * value is not written as `{` can be the intrinsic `{"Condition": "name"}`, so a policy with
 * conditions is not walked for it.
 */
function mayHoldIntrinsics(text: string): boolean {
  if (text.includes('Fn::') || text.includes('"Ref"')) return true;
  for (let i = text.indexOf('"Condition"'); i !== -1; i = text.indexOf('"Condition"', i + 11)) {
    let j = skipBlank(text, i + 11);
    if (text.charCodeAt(j) === 0x3a /* : */) j = skipBlank(text, j + 1);
    if (text.charCodeAt(j) !== 0x7b /* { */) return true;
  }
  return false;
}

function skipBlank(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
  }
  return i;
}

function hasIntrinsic(root: Node): boolean {
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (intrinsicOf(n as PolicyNode)) return true;
    if (n.children) for (const c of n.children) stack.push(c);
  }
  return false;
}

export interface JsonParse {
  root: PolicyNode | undefined;
  errors: SyntaxIssue[];
  refused: boolean;
  /** White space characters of the text (strings and comments included), when it was parsed. */
  blanks?: number;
  /** From the fast path: whether some key could start an intrinsic function (undefined: not known). */
  intrinsicKeys?: boolean;
}

/** Parses JSON text as AWS IoT reads policies: strict JSON, but the tree is still built past comments and trailing commas. */
export function parseJsonText(text: string): JsonParse {
  // Most texts are well-formed JSON: one pass builds the tree; any other text is read by jsonc-parser.
  const fast = parseWellFormed(text, MAX_NESTING);
  if (fast) return { root: fast.root, refused: false, errors: [], blanks: fast.blanks, intrinsicKeys: fast.intrinsicKeys };
  const deep = scanJson(text, MAX_NESTING);
  if (deep.offset !== -1) {
    return {
      root: undefined, refused: true,
      errors: [{
        code: printParseErrorCode(ParseErrorCode.InvalidSymbol), offset: deep.offset, length: 1,
        message: `Nesting deeper than ${MAX_NESTING} levels: no IoT policy is shaped like this, so the document is not analysed further.`,
      }],
    };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: true });
  return {
    root: root as PolicyNode | undefined, refused: false, blanks: deep.blanks,
    errors: errors.map((e) => ({ code: printParseErrorCode(e.error), offset: e.offset, length: e.length })),
  };
}

/** A standalone JSON policy document. */
export function jsonPolicySource(text: string, options?: Pick<ResolveOptions, 'values' | 'conditions'>): PolicySource {
  const parsed = parseJsonText(text);
  let root = parsed.root;
  let built: Map<PolicyNode, StringValue> | undefined;
  let notes: HostNote[] = [];
  if (root && (parsed.intrinsicKeys ?? mayHoldIntrinsics(text)) && hasIntrinsic(root as Node)) {
    const holder = { type: 'array', offset: 0, length: text.length, children: [root] } as PolicyNode;
    (root as { parent?: PolicyNode }).parent = holder;
    const r = resolveIntrinsics(root, (n) => jsonStringValue(n, text), { mode: 'foreign', ...options });
    root = holder.children![0];
    (root as { parent?: PolicyNode }).parent = undefined;
    built = r.strings;
    notes = r.notes;
  }
  return {
    text,
    root,
    syntaxErrors: parsed.errors,
    json: { text, errors: parsed.errors, toDocument: (o) => o },
    stringOf: built ? (n) => built!.get(n) ?? jsonStringValue(n, text) : (n) => jsonStringValue(n, text),
    size: () => ({ chars: parsed.blanks === undefined ? policySize(text) : text.length - parsed.blanks, complete: true }),
    notes: () => notes,
    host: JSON_HOST,
    refused: parsed.refused,
    selfContained: built === undefined && !parsed.refused,
  };
}

/** Parses a standalone JSON policy into a model. Never throws. */
export function parsePolicy(text: string): PolicyModel {
  return buildModel(jsonPolicySource(text));
}
