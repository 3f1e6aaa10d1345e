/**
 * The JSON host's parser: a standalone policy file, or a policy held as JSON text inside another
 * file. One jsonc-parser parse; its tree is already the neutral tree's shape, so it is handed over
 * as it is. CloudFormation intrinsic functions left in a standalone policy are resolved by the
 * CloudFormation module and reported as template syntax.
 */
import { type Node, type ParseError, ParseErrorCode, parseTree, printParseErrorCode } from 'jsonc-parser';
import { buildModel, type HostInfo, type HostNote, type PolicyModel, type PolicySource } from '../../policy/model';
import type { PolicyNode, StringValue, SyntaxIssue } from '../../policy/tree';
import { policySize } from '../../catalog/topics';
import { intrinsicOf, resolveIntrinsics, type ResolveOptions } from '../cloudformation/intrinsics';
import { markReparsable, reparse } from './incremental';
import { jsonStringValue } from './stringValue';
export { jsonStringValue } from './stringValue';
import { parseWellFormed } from './wellFormed';

const JSON_HOST: HostInfo = { id: 'json', language: 'json' };
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
  return readJsonPolicy(text, options).source;
}

/** A standalone JSON policy document, and what its parse found. */
function readJsonPolicy(text: string, options?: Pick<ResolveOptions, 'values' | 'conditions'>): { source: PolicySource; parsed: JsonParse } {
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
  const source: PolicySource = {
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
  return { source, parsed };
}

/** Parses a standalone JSON policy into a model. Never throws. */
export function parsePolicy(text: string): PolicyModel {
  const { source, parsed } = readJsonPolicy(text);
  const model = buildModel(source);
  // A well-formed text read in one pass, with nothing resolved: the next version of the document
  // can be read from this one (`incremental.ts`).
  if (parsed.intrinsicKeys !== undefined && parsed.blanks !== undefined && source.selfContained) markReparsable(model, parsed.blanks);
  return model;
}

/**
 * The model of `text`, the next version of the policy `previous` was parsed from: read from it
 * when the edit lies inside one statement (`incremental.ts`), else parsed whole. `previous` must
 * not be read again: its nodes may now belong to the new version.
 */
export function reparsePolicy(previous: PolicyModel, text: string): PolicyModel {
  let read: PolicyModel | undefined;
  try {
    read = reparse(previous, text, MAX_NESTING);
  } catch {
    // A defect of the incremental read must not cost the user the analysis: the whole parse
    // reads the text alone (the model read from is spent either way).
    read = undefined;
  }
  return read ?? parsePolicy(text);
}
