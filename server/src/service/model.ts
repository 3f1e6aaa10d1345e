/**
 * The policy model: one parse of a document with jsonc-parser, turned into the IoT policy
 * shape with exact document offsets for every key, value, action, resource and `${...}`.
 *
 * It is fault tolerant: whatever parses is modelled, the rest is left to `json-syntax`.
 * Everything here is a pure function of the text; features and rules read the model and never
 * parse again.
 */
import { Node, ParseError, ParseErrorCode, parseTree, printParseErrorCode } from 'jsonc-parser';
import { decodeJsonString } from './jsonString';

/** A half-open span of document offsets. */
export interface Span {
  offset: number;
  length: number;
}

/** A `${...}` reference (or a malformed one) inside a string. */
export interface VariableRef {
  /** Text as written, decoded, e.g. `${iot:ClientId}` or `$(*)` or `${iot:Cl` (unclosed). */
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

/** A JSON string value or key with its decoded text and document map. */
export interface StringValue {
  node: Node;
  value: string;
  /** Span of the literal including quotes. */
  span: Span;
  /** Document offset of the decoded character at `index`. */
  offsetOf(index: number): number;
  /** Document span of decoded characters [start, end). */
  spanOf(start: number, end: number): Span;
  variables: VariableRef[];
}

export interface Property {
  key: string;
  /** The key literal (with quotes). */
  keyValue: StringValue;
  keySpan: Span;
  /** The property node (key and value). */
  node: Node;
  value: Node | undefined;
}

/** Action, NotAction, Resource or NotResource: a string or an array of strings. */
export interface ElementList {
  prop: Property;
  isArray: boolean;
  items: StringValue[];
  /** Items (or the whole value) that are not strings. */
  invalid: Node[];
}

export type ConditionValueKind = 'string' | 'boolean' | 'number' | 'null' | 'object' | 'array';

export interface ConditionValue {
  node: Node;
  kind: ConditionValueKind;
  str?: StringValue;
}

export interface ConditionKeyEntry {
  prop: Property;
  key: string;
  isArray: boolean;
  values: ConditionValue[];
}

export interface ConditionOperatorEntry {
  prop: Property;
  operator: string;
  keys: ConditionKeyEntry[];
}

export interface ConditionBlock {
  prop: Property;
  operators: ConditionOperatorEntry[];
}

export interface StatementModel {
  index: number;
  node: Node;
  isObject: boolean;
  props: Property[];
  sid?: Property;
  effect?: Property;
  /** The Effect value when it is a string. */
  effectValue?: StringValue;
  action?: ElementList;
  notAction?: ElementList;
  resource?: ElementList;
  notResource?: ElementList;
  condition?: ConditionBlock;
}

export interface SyntaxIssue {
  code: ParseErrorCode;
  name: string;
  /** Set for problems found outside jsonc-parser (nesting too deep). */
  message?: string;
  offset: number;
  length: number;
}

export interface PolicyModel {
  text: string;
  root: Node | undefined;
  syntaxErrors: SyntaxIssue[];
  /** Top-level properties, when the root is an object. */
  topProps: Property[];
  version?: Property;
  versionValue?: StringValue;
  statementProp?: Property;
  statementIsArray: boolean;
  statements: StatementModel[];
  /** Every string value and key in the document that may carry `${...}`, in document order. */
  strings: StringValue[];
  /** Version in force for variable substitution: only `2012-10-17` enables variables. */
  variablesEnabled: boolean;
  /**
   * The document was not parsed (nesting deeper than MAX_NESTING). Features that would run
   * jsonc-parser's recursive visitors on the text must return early.
   */
  refused?: boolean;
}

export const STATEMENT_ELEMENTS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'] as const;
export const TOP_ELEMENTS = ['Version', 'Statement', 'Id'] as const;

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

/** Shared by every string without `${`/`$(`: never mutated. */
const NO_VARIABLES: VariableRef[] = [];

/**
 * A string literal of the document. One object per literal, with its offset map as methods
 * rather than closures: a 1 MB policy has tens of thousands of them.
 */
class JsonStringValue implements StringValue {
  readonly span: Span;
  variables: VariableRef[] = NO_VARIABLES;
  constructor(
    readonly node: Node,
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

function makeString(node: Node, text: string, strings: StringValue[] | undefined): StringValue {
  let sv: JsonStringValue;
  const nv = node.value;
  if (typeof nv === 'string' && node.length === nv.length + 2 && text.charCodeAt(node.offset) === 0x22
    && text.charCodeAt(node.offset + node.length - 1) === 0x22 && text.startsWith(nv, node.offset + 1)) {
    // No escapes (each one makes the literal longer than its value): decoded index i is at offset + 1 + i.
    sv = new JsonStringValue(node, nv, node.offset + 1, undefined);
  } else {
    const raw = text.substr(node.offset, node.length);
    const decoded = decodeJsonString(raw, node.offset);
    const value = typeof nv === 'string' ? nv : decoded.value;
    const offsetOf = decoded.value === value ? decoded.offsetOf : (i: number) => node.offset + 1 + Math.min(i, Math.max(0, node.length - 2));
    sv = new JsonStringValue(node, value, 0, offsetOf);
  }
  if (sv.value.includes('$')) {
    const refs = scanVariables(sv.value, (i) => sv.offsetOf(i));
    if (refs.length) sv.variables = refs;
  }
  strings?.push(sv);
  return sv;
}

function properties(obj: Node, text: string, strings: StringValue[]): Property[] {
  const out: Property[] = [];
  for (const p of obj.children ?? []) {
    const k = p.children?.[0];
    if (!k || k.type !== 'string') continue;
    const keyValue = makeString(k, text, strings);
    out.push({ key: keyValue.value, keyValue, keySpan: keyValue.span, node: p, value: p.children?.[1] });
  }
  return out;
}

function firstProp(props: Property[], name: string): Property | undefined {
  return props.find((p) => p.key === name);
}

function elementList(prop: Property | undefined, text: string, strings: StringValue[]): ElementList | undefined {
  if (!prop) return undefined;
  const v = prop.value;
  const list: ElementList = { prop, isArray: v?.type === 'array', items: [], invalid: [] };
  if (!v) return list;
  if (v.type === 'string') list.items.push(makeString(v, text, strings));
  else if (v.type === 'array') {
    for (const item of v.children ?? []) {
      if (item.type === 'string') list.items.push(makeString(item, text, strings));
      else list.invalid.push(item);
    }
  } else list.invalid.push(v);
  return list;
}

function conditionValue(node: Node, text: string, strings: StringValue[]): ConditionValue {
  if (node.type === 'string') return { node, kind: 'string', str: makeString(node, text, strings) };
  return { node, kind: node.type as ConditionValueKind };
}

function conditionBlock(prop: Property | undefined, text: string, strings: StringValue[]): ConditionBlock | undefined {
  if (!prop) return undefined;
  const block: ConditionBlock = { prop, operators: [] };
  if (prop.value?.type !== 'object') return block;
  for (const op of properties(prop.value, text, strings)) {
    const entry: ConditionOperatorEntry = { prop: op, operator: op.key, keys: [] };
    if (op.value?.type === 'object') {
      for (const k of properties(op.value, text, strings)) {
        const v = k.value;
        const values: ConditionValue[] = [];
        if (v?.type === 'array') for (const item of v.children ?? []) values.push(conditionValue(item, text, strings));
        else if (v) values.push(conditionValue(v, text, strings));
        entry.keys.push({ prop: k, key: k.key, isArray: v?.type === 'array', values });
      }
    }
    block.operators.push(entry);
  }
  return block;
}

function statementModel(node: Node, index: number, text: string, strings: StringValue[]): StatementModel {
  const st: StatementModel = { index, node, isObject: node.type === 'object', props: [] };
  if (node.type !== 'object') return st;
  const props = properties(node, text, strings);
  st.props = props;
  st.sid = firstProp(props, 'Sid');
  if (st.sid?.value?.type === 'string') makeString(st.sid.value, text, strings);
  st.effect = firstProp(props, 'Effect');
  if (st.effect?.value?.type === 'string') st.effectValue = makeString(st.effect.value, text, strings);
  st.action = elementList(firstProp(props, 'Action'), text, strings);
  st.notAction = elementList(firstProp(props, 'NotAction'), text, strings);
  st.resource = elementList(firstProp(props, 'Resource'), text, strings);
  st.notResource = elementList(firstProp(props, 'NotResource'), text, strings);
  st.condition = conditionBlock(firstProp(props, 'Condition'), text, strings);
  return st;
}

/** Deeper nesting than this is refused: no policy comes near it, and the parser recurses. */
export const MAX_NESTING = 256;

/** The deepest `[`/`{` nesting outside strings and comments, and where it first exceeds `limit`. */
export function nestingDepth(text: string, limit: number): { depth: number; offset: number } {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22 || d === 0x0a) break;
      }
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return { depth: max, offset: i };
      }
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return { depth: max, offset: -1 };
}

/** Parses `text` into a policy model. Never throws. */
export function parsePolicy(text: string): PolicyModel {
  const deep = nestingDepth(text, MAX_NESTING);
  if (deep.offset !== -1) {
    return {
      text, root: undefined, topProps: [], statements: [], strings: [], statementIsArray: false, variablesEnabled: false, refused: true,
      syntaxErrors: [{
        code: ParseErrorCode.InvalidSymbol, name: 'NestingTooDeep', offset: deep.offset, length: 1,
        message: `Nesting deeper than ${MAX_NESTING} levels: no IoT policy is shaped like this, so the document is not analysed further.`,
      }],
    };
  }
  const errors: ParseError[] = [];
  // Strict JSON as AWS reads it, but the tree is still built past comments and trailing commas.
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: true });
  const syntaxErrors = errors.map((e) => ({ code: e.error, name: printParseErrorCode(e.error), offset: e.offset, length: e.length }));
  const strings: StringValue[] = [];
  const model: PolicyModel = {
    text, root, syntaxErrors, topProps: [], statements: [], strings, statementIsArray: false, variablesEnabled: false,
  };
  if (!root || root.type !== 'object') return model;
  model.topProps = properties(root, text, strings);
  model.version = firstProp(model.topProps, 'Version');
  if (model.version?.value?.type === 'string') model.versionValue = makeString(model.version.value, text, strings);
  model.variablesEnabled = model.versionValue?.value === '2012-10-17';
  model.statementProp = firstProp(model.topProps, 'Statement');
  const sv = model.statementProp?.value;
  if (sv?.type === 'array') {
    model.statementIsArray = true;
    (sv.children ?? []).forEach((n, i) => model.statements.push(statementModel(n, i, text, strings)));
  } else if (sv?.type === 'object') {
    model.statements.push(statementModel(sv, 0, text, strings));
  }
  // Strings elsewhere (unknown elements, Id) are still scanned for `${` so syntax checks see them.
  strings.sort((a, b) => a.span.offset - b.span.offset);
  return model;
}

/** The action and resource items of a statement with their polarity. */
export function statementActions(st: StatementModel): StringValue[] {
  return st.action?.items ?? st.notAction?.items ?? [];
}

export function statementResources(st: StatementModel): StringValue[] {
  return st.resource?.items ?? st.notResource?.items ?? [];
}

/** The innermost node at `offset`, like jsonc-parser's findNodeAtOffset, including the end boundary. */
export function nodeAt(root: Node | undefined, offset: number): Node | undefined {
  if (!root || offset < root.offset || offset > root.offset + root.length) return undefined;
  for (const c of root.children ?? []) {
    const n = nodeAt(c, offset);
    if (n) return n;
  }
  return root;
}

const MEMO = Symbol('modelMemo');

/**
 * A value computed once per model and `key` (any object the caller owns), so that rules and
 * features asking the same question of the same document share one answer. The memo lives and
 * dies with the model; a new keystroke is a new model.
 *
 * It is a hidden property of the model, not a WeakMap keyed by models: V8's young-generation
 * collector keeps the values of such WeakMap entries alive, so every short-lived model and its
 * memo survived several collections (a 0.6 KB policy spent more time in GC than in analysis).
 */
export function modelMemo<T>(model: PolicyModel, key: object, create: () => T): T {
  let memo = (model as { [MEMO]?: Map<object, unknown> })[MEMO];
  if (!memo) {
    memo = new Map();
    Object.defineProperty(model, MEMO, { value: memo, enumerable: false });
  }
  if (memo.has(key)) return memo.get(key) as T;
  const value = create();
  memo.set(key, value);
  return value;
}

/**
 * A per-model slot with the `get`/`set` shape of a WeakMap, stored in the model's memo (see
 * modelMemo for why a WeakMap keyed by models is avoided).
 */
export class ModelSlot<T> {
  get(model: PolicyModel): T | undefined {
    return (model as { [MEMO]?: Map<object, unknown> })[MEMO]?.get(this) as T | undefined;
  }
  set(model: PolicyModel, value: T): void {
    modelMemo(model, this, () => value);
    (model as { [MEMO]?: Map<object, unknown> })[MEMO]!.set(this, value);
  }
}

