/**
 * The policy model: the IoT policy shape (Version, statements, their elements and conditions)
 * read from a host's syntax-neutral tree, with exact document spans for every key, value, action,
 * resource and `${...}`.
 *
 * It is fault tolerant: whatever the host parsed is modelled; the rest is the host's syntax
 * problem. Features and rules read the model and never parse again.
 */
import type { Span } from '../text/span';
import { scanVariables, type PolicyNode, type StringValue, type SyntaxIssue } from './tree';

export type { Span } from '../text/span';
export * from './tree';

export interface Property {
  key: string;
  /** The key literal. */
  keyValue: StringValue;
  keySpan: Span;
  /** The property node (key and value). */
  node: PolicyNode;
  value: PolicyNode | undefined;
}

/** Action, NotAction, Resource or NotResource: a string or an array of strings. */
export interface ElementList {
  prop: Property;
  isArray: boolean;
  items: StringValue[];
  /** Items (or the whole value) that are not strings. */
  invalid: PolicyNode[];
}

export type ConditionValueKind = 'string' | 'boolean' | 'number' | 'null' | 'object' | 'array' | 'opaque';

export interface ConditionValue {
  node: PolicyNode;
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
  node: PolicyNode;
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

/** What a host observed in its own syntax for the rules to report (an escape mistake, a template construct). */
export interface HostNote {
  kind: HostNoteKind;
  span: Span;
  /** The string the note is about, when it is about one. */
  str?: StringValue;
  /** Decoded range of `str` the note is about. */
  range?: [number, number];
  /** What the note needs beyond its kind (the tool, the construct, the written text). */
  detail: Record<string, string>;
}

export type HostNoteKind =
  /** Template syntax this host does not evaluate (CloudFormation in a standalone policy): `template-syntax`. */
  | 'template-construct'
  /** `${iot:...}` written unescaped inside a CloudFormation `Fn::Sub` string. */
  | 'sub-variable-not-escaped'
  /** `${!...}` in a string no `Fn::Sub` processes (templates, CDK code). */
  | 'escape-outside-sub'
  /** `${AWS::Region}` or `${Param}` in a string no `Fn::Sub` processes. */
  | 'pseudo-parameter-outside-sub'
  /** `${iot:...}` in an HCL string or heredoc (Terraform needs `$${iot:...}`). */
  | 'terraform-variable-not-escaped'
  /** `${iot:...}` in a Python f-string (Python needs `${{iot:...}}`). */
  | 'fstring-variable-not-escaped';

/** The policy size as AWS counts it: characters excluding white space. */
export interface PolicySize {
  chars: number;
  /** False when template values that are unknown before deploy are left out of `chars`. */
  complete: boolean;
}

/** The JSON text a policy was parsed from, for `json-syntax`: the whole document, or a string of it. */
export interface JsonText {
  text: string;
  /** Syntax problems, as offsets into `text`. */
  errors: SyntaxIssue[];
  /** Document offset of an offset of `text`. */
  toDocument(offset: number): number;
}

/** Which host found the policy, and what the features need to know of it. */
export interface HostInfo {
  /** `json`, `cloudformation`, `serverless`, `terraform`, `cdk`. */
  id: string;
  /** The language the file is written in (`json`, `yaml`, `hcl`, `typescript`, `python`). */
  language: string;
}

/** What a host hands over for one policy. */
export interface PolicySource {
  /** The whole document; every span and node offset is an offset into it. */
  text: string;
  root: PolicyNode | undefined;
  /** Syntax problems of the policy, in document offsets. */
  syntaxErrors: SyntaxIssue[];
  /** Set when the policy was parsed from JSON text. */
  json?: JsonText;
  /** The string value of a string node (its variables are found by the model). */
  stringOf(node: PolicyNode): StringValue;
  size(): PolicySize;
  notes(): HostNote[];
  host: HostInfo;
  /** The document was not parsed (nesting too deep): features must not walk its text. */
  refused?: boolean;
  /**
   * Every value of the policy is read from its own text, with nothing resolved from elsewhere (no
   * template value, no parameter): what a statement means depends on its text alone, so the
   * findings of statement-scoped rules can be reused from an earlier analysis of the same text.
   */
  selfContained?: boolean;
}

export interface PolicyModel {
  /** The whole document (spans are offsets into it). */
  text: string;
  root: PolicyNode | undefined;
  syntaxErrors: SyntaxIssue[];
  json?: JsonText;
  host: HostInfo;
  /** Top-level properties, when the root is an object. */
  topProps: Property[];
  version?: Property;
  versionValue?: StringValue;
  statementProp?: Property;
  statementIsArray: boolean;
  statements: StatementModel[];
  /** Every string value and key the model read, in document order. */
  strings: StringValue[];
  /** Version in force for variable substitution: only `2012-10-17` enables variables. */
  variablesEnabled: boolean;
  /** The document was not parsed (nesting too deep). */
  refused?: boolean;
  /** See PolicySource.selfContained. */
  selfContained?: boolean;
  /**
   * Set on the views of a policy that statement reuse runs statement-scoped rules on
   * (`service/statementReuse.ts`): `statements`, only the statements (what lies outside them is
   * read with the rest); `rest`, the policy without its statements.
   */
  part?: 'statements' | 'rest';
  /** Statements past MAX_STATEMENTS, not modelled. */
  omittedStatements?: number;
  /** The string value of any string node of the tree. */
  stringOf(node: PolicyNode): StringValue;
  size(): PolicySize;
  /** What the host observed in its own syntax (memoised by the host). */
  notes(): HostNote[];
}

export const STATEMENT_ELEMENTS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'] as const;
export const TOP_ELEMENTS = ['Version', 'Statement', 'Id'] as const;

class ModelBuilder {
  readonly strings: StringValue[] = [];
  constructor(private readonly stringOf: (node: PolicyNode) => StringValue) {}

  string(node: PolicyNode): StringValue {
    const sv = this.stringOf(node);
    if (sv.variables.length === 0 && sv.value.includes('$')) {
      const refs = scanVariables(sv.value, (i) => sv.offsetOf(i));
      if (refs.length) sv.variables = refs;
    }
    this.strings.push(sv);
    return sv;
  }

  properties(obj: PolicyNode): Property[] {
    const children = obj.children ?? [];
    // Sized up front: an array grown by `push` from empty holds room for sixteen.
    const out: Property[] = new Array<Property>(children.length);
    let n = 0;
    for (const p of children) {
      const k = p.children?.[0];
      if (!k || k.type !== 'string') continue;
      const keyValue = this.string(k);
      out[n++] = { key: keyValue.value, keyValue, keySpan: keyValue.span, node: p, value: p.children?.[1] };
    }
    out.length = n;
    return out;
  }

  elementList(prop: Property | undefined): ElementList | undefined {
    if (!prop) return undefined;
    const v = prop.value;
    const invalid: PolicyNode[] = [];
    let items: StringValue[];
    if (!v) items = [];
    else if (v.type === 'string') items = [this.string(v)];
    else if (v.type === 'array') {
      const children = v.children ?? [];
      items = new Array<StringValue>(children.length);
      let n = 0;
      for (const item of children) {
        if (item.type === 'string') items[n++] = this.string(item);
        else invalid.push(item);
      }
      items.length = n;
    } else {
      items = [];
      invalid.push(v);
    }
    return { prop, isArray: v?.type === 'array', items, invalid };
  }

  conditionValue(node: PolicyNode): ConditionValue {
    if (node.type === 'string') return { node, kind: 'string', str: this.string(node) };
    return { node, kind: node.type as ConditionValueKind };
  }

  conditionBlock(prop: Property | undefined): ConditionBlock | undefined {
    if (!prop) return undefined;
    const block: ConditionBlock = { prop, operators: [] };
    if (prop.value?.type !== 'object') return block;
    for (const op of this.properties(prop.value)) {
      const entry: ConditionOperatorEntry = { prop: op, operator: op.key, keys: [] };
      if (op.value?.type === 'object') {
        for (const k of this.properties(op.value)) {
          const v = k.value;
          const values: ConditionValue[] = [];
          if (v?.type === 'array') for (const item of v.children ?? []) values.push(this.conditionValue(item));
          else if (v) values.push(this.conditionValue(v));
          entry.keys.push({ prop: k, key: k.key, isArray: v?.type === 'array', values });
        }
        entry.keys = lastOfEachName(entry.keys, (k) => k.key);
      }
      block.operators.push(entry);
    }
    block.operators = lastOfEachName(block.operators, (o) => o.operator);
    return block;
  }

  statement(node: PolicyNode, index: number): StatementModel {
    // Every field from the start, in one order, so that all statements share one shape.
    const st: StatementModel = {
      index, node, isObject: node.type === 'object', props: [],
      sid: undefined, effect: undefined, effectValue: undefined, action: undefined, notAction: undefined,
      resource: undefined, notResource: undefined, condition: undefined,
    };
    if (node.type !== 'object') return st;
    const props = this.properties(node);
    st.props = props;
    st.sid = lastProp(props, 'Sid');
    if (st.sid?.value?.type === 'string') this.string(st.sid.value);
    st.effect = lastProp(props, 'Effect');
    if (st.effect?.value?.type === 'string') st.effectValue = this.string(st.effect.value);
    st.action = this.elementList(lastProp(props, 'Action'));
    st.notAction = this.elementList(lastProp(props, 'NotAction'));
    st.resource = this.elementList(lastProp(props, 'Resource'));
    st.notResource = this.elementList(lastProp(props, 'NotResource'));
    st.condition = this.conditionBlock(lastProp(props, 'Condition'));
    return st;
  }
}

/**
 * The property a name reads as. With duplicate names the last one wins, as JSON.parse and AWS's
 * parsers read them (`duplicate-key` reports the earlier ones as lost), so the rules and the
 * evaluator read what AWS reads.
 */
function lastProp(props: Property[], name: string): Property | undefined {
  for (let i = props.length - 1; i >= 0; i--) if (props[i].key === name) return props[i];
  return undefined;
}

/** The entries whose name is not repeated later (duplicate names: the last wins). */
function lastOfEachName<T>(items: T[], name: (x: T) => string): T[] {
  const last = new Map<string, T>();
  for (const x of items) last.set(name(x), x);
  return last.size === items.length ? items : items.filter((x) => last.get(name(x)) === x);
}

/** Statements of one policy beyond this are not modelled: no IoT policy holds more than 2,048 characters. */
export const MAX_STATEMENTS = 10_000;

/** Reads the policy shape from a host's tree. Never throws. */
export function buildModel(source: PolicySource): PolicyModel {
  const b = new ModelBuilder((node) => source.stringOf(node));
  const root = source.root;
  const model: PolicyModel = {
    text: source.text, root, syntaxErrors: source.syntaxErrors, json: source.json, host: source.host,
    topProps: [], statements: [], strings: b.strings, statementIsArray: false, variablesEnabled: false,
    refused: source.refused,
    selfContained: source.selfContained,
    stringOf: (node) => source.stringOf(node),
    size: () => source.size(),
    notes: () => source.notes(),
  };
  if (!root || root.type !== 'object') return model;
  model.topProps = b.properties(root);
  model.version = lastProp(model.topProps, 'Version');
  if (model.version?.value?.type === 'string') model.versionValue = b.string(model.version.value);
  model.variablesEnabled = model.versionValue?.value === '2012-10-17';
  model.statementProp = lastProp(model.topProps, 'Statement');
  const sv = model.statementProp?.value;
  if (sv?.type === 'array') {
    model.statementIsArray = true;
    const items = sv.children ?? [];
    // No policy comes near this: the rest is counted, not analysed (limits.ts).
    if (items.length > MAX_STATEMENTS) model.omittedStatements = items.length - MAX_STATEMENTS;
    items.slice(0, MAX_STATEMENTS).forEach((n, i) => model.statements.push(b.statement(n, i)));
  } else if (sv?.type === 'object') {
    model.statements.push(b.statement(sv, 0));
  }
  b.strings.sort((a, c) => a.span.offset - c.span.offset);
  return model;
}

/**
 * One statement of a policy, as `buildModel` reads it from the tree at `node` (`stringOf` gives
 * the tree's string values), with the strings it read in document order: for a host that parsed
 * one statement again after an edit inside it.
 */
export function buildStatement(stringOf: (node: PolicyNode) => StringValue, node: PolicyNode, index: number): { statement: StatementModel; strings: StringValue[] } {
  const b = new ModelBuilder(stringOf);
  const statement = b.statement(node, index);
  b.strings.sort((a, c) => a.span.offset - c.span.offset);
  return { statement, strings: b.strings };
}

/** The action and resource items of a statement with their polarity. */
export function statementActions(st: StatementModel): StringValue[] {
  return st.action?.items ?? st.notAction?.items ?? [];
}

export function statementResources(st: StatementModel): StringValue[] {
  return st.resource?.items ?? st.notResource?.items ?? [];
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
/** Has `modelMemo(model, key, ...)` been computed already? */
export function hasModelMemo(model: PolicyModel, key: object): boolean {
  return (model as { [MEMO]?: Map<object, unknown> })[MEMO]?.has(key) ?? false;
}

export function modelMemo<T>(model: PolicyModel, key: object, create: (model: PolicyModel) => T): T {
  let memo = (model as { [MEMO]?: Map<object, unknown> })[MEMO];
  if (!memo) {
    memo = new Map();
    Object.defineProperty(model, MEMO, { value: memo, enumerable: false });
  }
  const found = memo.get(key);
  if (found !== undefined || memo.has(key)) return found as T;
  const value = create(model);
  memo.set(key, value);
  return value;
}

const STATEMENT_MEMO = Symbol('statementMemo');

interface StatementMemo {
  /** The model's `variablesEnabled` the values were computed with. */
  variables: boolean;
  values: Map<object, unknown>;
}

/**
 * A value computed once per statement and `key` (any object the caller owns), kept as long as the
 * statement: a statement the JSON host carries over to the next version of its document
 * (`hosts/json/incremental.ts`) keeps its answers, so that a keystroke elsewhere does not compute
 * them again.
 *
 * Only for values that depend on nothing but the statement and the Version in force (a model with
 * another `variablesEnabled` starts afresh), and that copy no document offset out of it: offsets
 * move with the statement, so read them from its strings when they are needed. A hidden property,
 * not enumerable: a copy of the statement made with a spread (`{ ...st, resource }`) does not
 * share it.
 */
export function statementMemo<T>(model: PolicyModel, st: StatementModel, key: object, create: (model: PolicyModel, st: StatementModel) => T): T {
  let memo = (st as { [STATEMENT_MEMO]?: StatementMemo })[STATEMENT_MEMO];
  if (!memo || memo.variables !== model.variablesEnabled) {
    memo = { variables: model.variablesEnabled, values: new Map() };
    Object.defineProperty(st, STATEMENT_MEMO, { value: memo, enumerable: false, writable: true, configurable: true });
  }
  const found = memo.values.get(key);
  if (found !== undefined || memo.values.has(key)) return found as T;
  const value = create(model, st);
  memo.values.set(key, value);
  return value;
}
