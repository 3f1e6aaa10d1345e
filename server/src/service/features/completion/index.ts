/**
 * Completion: element keys by position, values (Version, Effect, actions, resource ARNs fitting the
 * statement's actions, reserved topics, policy variables, condition operators, keys and values).
 *
 * Every item carries a `textEdit` over the exact range it replaces:
 * - inside a string, the string contents (or, after `${`, the variable name; after `topic/`, the
 *   topic), whole token, so accepting an item in the middle of a word replaces the word;
 * - outside a string, the word at the cursor, and the item writes the whole key and value.
 *
 * The host reads where the cursor is from its own syntax (a `CompletionPlace`, which works on
 * broken documents) and writes the items in it; the model supplies the statement (its actions)
 * and the keys already present. Nothing is parsed again.
 */
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { policyAt, type PolicyDocument } from '../../document';
import type { PolicyPath } from '../../fixes/types';
import type { CompletionPlace } from './place';
import { cat, choice, lit, raw, render, stop, str, type Text, type ValueShape } from './text';
import type { PolicyConfig } from '../../config';
import type { PolicyModel, Property, StatementModel } from '../../policy/model';
import {
  ATTRIBUTE_PREFIX,
  ELEMENT_DOCS,
  IOT_POLICY_ACTIONS,
  POLICY_VARIABLES,
  RESERVED_TOPICS,
  VERSION_DOC,
  findAction,
  lookupVariable,
  type ActionInfo,
  type ReservedTopic,
  type ResourceType,
} from '../../catalog';
import {
  CONDITION_OPERATORS,
  IF_EXISTS,
  conditionKeyNamesForSuggestions,
  lookupConditionKey,
  operatorFitsKey,
  parseOperator,
} from '../../catalog/conditions';
import { matchWildcard } from '../../match/wildcard';
import { actionMarkdown, conditionKeyMarkdown, conditionOperatorMarkdown, variableMarkdown } from '../hover';

export interface CompletionOptions {
  config?: PolicyConfig;
  /** The client accepts snippet syntax in insert texts. */
  snippetSupport?: boolean;
}

const TRIGGER_SUGGEST = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

// ---- building items ------------------------------------------------------------------------------

interface Builder {
  doc: TextDocument;
  /** The document text. */
  text: string;
  offset: number;
  place: CompletionPlace;
  snippets: boolean;
  items: CompletionItem[];
  isIncomplete: boolean;
}

function rangeOf(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

function md(value: string): { kind: 'markdown'; value: string } {
  return { kind: MarkupKind.Markdown, value };
}

interface ItemSpec {
  label: string;
  kind: CompletionItemKind;
  detail?: string;
  documentation?: string;
  sortText?: string;
  filterText?: string;
  deprecated?: boolean;
  preselect?: boolean;
  retrigger?: boolean;
}

function add(b: Builder, spec: ItemSpec, newText: Text, start: number, end: number): void {
  const r = render(newText, b.snippets, b.place.syntax.encode);
  const item: CompletionItem = {
    label: spec.label,
    kind: spec.kind,
    textEdit: { range: rangeOf(b.doc, start, end), newText: r.text },
    insertTextFormat: r.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
  };
  if (spec.detail) item.detail = spec.detail;
  if (spec.documentation) item.documentation = md(spec.documentation);
  if (spec.sortText) item.sortText = spec.sortText;
  if (spec.filterText) item.filterText = spec.filterText;
  if (spec.deprecated) item.tags = [CompletionItemTag.Deprecated];
  if (spec.preselect) item.preselect = true;
  if (spec.retrigger && b.snippets) item.command = TRIGGER_SUGGEST;
  b.items.push(item);
}

/** Adds a value item: inside a string it replaces the contents, outside it writes a whole string value. */
function addValue(b: Builder, spec: ItemSpec, value: Text): void {
  const ins = b.place.syntax.value(value, spec.label);
  add(b, { filterText: spec.filterText ?? ins.filterText, ...spec }, ins.text, ins.start, ins.end);
}

/** Adds a key item: the key alone when a value follows, else the key with its value. */
function addKey(b: Builder, spec: ItemSpec, key: string, value: ValueShape | undefined): void {
  const ins = b.place.syntax.key(key, value);
  add(b, { filterText: ins.filterText, ...spec, retrigger: spec.retrigger && ins.withValue }, ins.text, ins.start, ins.end);
}

// ---- keys ---------------------------------------------------------------------------------------

/** A statement with tab stops on its effect, action and resource. */
function newStatement(first: number): ValueShape {
  return {
    kind: 'object',
    entries: [
      { key: lit('Effect'), value: str(choice(first, ['Allow', 'Deny'])) },
      { key: lit('Action'), value: str(stop(first + 1, '')) },
      { key: lit('Resource'), value: str(stop(first + 2, '')) },
    ],
  };
}

const TOP_KEYS: { key: string; value: () => ValueShape }[] = [
  { key: 'Version', value: () => str(lit('2012-10-17')) },
  { key: 'Statement', value: () => ({ kind: 'list', items: [newStatement(1)], plain: '[]' }) },
  { key: 'Id', value: () => str(stop(1, '')) },
];

const STATEMENT_KEYS: { key: string; value: () => ValueShape; retrigger?: boolean }[] = [
  { key: 'Effect', value: () => str(choice(1, ['Allow', 'Deny'])) },
  { key: 'Action', value: () => str(stop(1, '')), retrigger: true },
  { key: 'Resource', value: () => str(stop(1, '')), retrigger: true },
  {
    key: 'Condition',
    value: () => ({ kind: 'object', entries: [{ key: stop(1, 'StringEquals'), value: { kind: 'object', entries: [{ key: stop(2, ''), value: str(stop(3, '')) }] } }], plain: '{}' }),
  },
  { key: 'Sid', value: () => str(stop(1, '')) },
  { key: 'NotAction', value: () => str(stop(1, '')), retrigger: true },
  { key: 'NotResource', value: () => str(stop(1, '')), retrigger: true },
];

function presentKeys(props: readonly Property[], offset: number): Set<string> {
  const s = new Set<string>();
  for (const p of props) if (!(offset >= p.keySpan.offset && offset <= p.keySpan.offset + p.keySpan.length)) s.add(p.key);
  return s;
}

function completeTopKeys(b: Builder, model: PolicyModel): void {
  const present = presentKeys(model.topProps, b.offset);
  TOP_KEYS.forEach((k, i) => {
    const rank = present.has(k.key) ? 2 : k.key === 'Id' ? 1 : 0;
    addKey(b, { label: k.key, kind: CompletionItemKind.Property, documentation: ELEMENT_DOCS[k.key], sortText: `${rank}${i}` }, k.key, k.value());
  });
}

function completeStatementKeys(b: Builder, st: StatementModel | undefined): void {
  const present = presentKeys(st?.props ?? [], b.offset);
  STATEMENT_KEYS.forEach((k, i) => {
    // `NotAction` next to `Action` (or `NotResource` next to `Resource`) is an error: rank them last.
    const conflicting = (k.key === 'NotAction' && present.has('Action')) || (k.key === 'Action' && present.has('NotAction')) ||
      (k.key === 'NotResource' && present.has('Resource')) || (k.key === 'Resource' && present.has('NotResource'));
    const rank = present.has(k.key) || conflicting ? 2 : k.key.startsWith('Not') ? 1 : 0;
    addKey(b, { label: k.key, kind: CompletionItemKind.Property, documentation: ELEMENT_DOCS[k.key], sortText: `${rank}${i}`, retrigger: k.retrigger }, k.key, k.value());
  });
}

// ---- simple values --------------------------------------------------------------------------------

function completeVersion(b: Builder): void {
  addValue(b, { label: '2012-10-17', kind: CompletionItemKind.Value, detail: 'current: policy variables work', documentation: VERSION_DOC, sortText: '0', preselect: true }, lit('2012-10-17'));
  addValue(b, { label: '2008-10-17', kind: CompletionItemKind.Value, detail: 'legacy: ${...} is plain text', documentation: VERSION_DOC, sortText: '1' }, lit('2008-10-17'));
}

function completeEffect(b: Builder): void {
  addValue(b, { label: 'Allow', kind: CompletionItemKind.EnumMember, documentation: 'Grants the listed actions on the listed resources.', sortText: '0' }, lit('Allow'));
  addValue(b, { label: 'Deny', kind: CompletionItemKind.EnumMember, documentation: 'Refuses the listed actions; an explicit Deny overrides every Allow.', sortText: '1' }, lit('Deny'));
}

const GROUP_ORDER = ['mqtt', 'retained', 'shadow', 'jobs', 'credentials', 'connection', 'greengrass'];
const ACTION_DOCS = new Map<string, string>();

function completeActions(b: Builder, st: StatementModel | undefined): void {
  const listed = new Set((st?.action?.items ?? st?.notAction?.items ?? []).filter((i) => !b.place.str || i.span.offset !== b.place.str.start).map((i) => i.value.toLowerCase()));
  IOT_POLICY_ACTIONS.forEach((a, i) => {
    let doc = ACTION_DOCS.get(a.name);
    if (!doc) ACTION_DOCS.set(a.name, (doc = actionMarkdown(a)));
    const legacy = !!a.preferred;
    const rank = legacy ? 3 : listed.has(a.name.toLowerCase()) ? 2 : 0;
    addValue(
      b,
      {
        label: a.name,
        kind: CompletionItemKind.Function,
        detail: `${legacy ? `legacy spelling of ${a.preferred} · ` : ''}resource: ${a.resourceTypes.join(' or ')}`,
        documentation: doc,
        sortText: `${rank}${String(GROUP_ORDER.indexOf(a.group)).padStart(2, '0')}${String(i).padStart(3, '0')}`,
        deprecated: legacy,
      },
      lit(a.name),
    );
  });
}

// ---- resources ---------------------------------------------------------------------------------

/** Actions of the statement, wildcards expanded. */
function statementActionInfos(st: StatementModel | undefined): { actions: ActionInfo[]; any: boolean } {
  if (!st || !st.action || st.notAction) return { actions: [], any: true };
  const out = new Set<ActionInfo>();
  for (const item of st.action.items) {
    const v = item.value;
    if (v.includes('*') || v.includes('?')) for (const a of IOT_POLICY_ACTIONS) { if (matchWildcard(v, a.name, { ignoreCase: true })) out.add(a); }
    else {
      const a = findAction(v);
      if (a) out.add(a);
    }
  }
  return { actions: [...out], any: out.size === 0 };
}

const TYPE_ORDER: ResourceType[] = ['client', 'topic', 'topicfilter', 'thing', 'rolealias', 'componentVersion', '*'];
const THING = '${iot:Connection.Thing.ThingName}';

/** Suggested names after `<type>/`: [label, text, detail]. */
function namesFor(type: ResourceType): { label: string; text: Text; detail: string }[] {
  switch (type) {
    case 'client':
      return [
        { label: THING, text: lit(THING), detail: 'the thing the certificate is attached to (add the IsAttached condition)' },
        { label: 'clientId', text: stop(1, 'clientId'), detail: 'a known client ID' },
      ];
    case 'topic':
    case 'topicfilter':
      return [
        { label: `${THING}/*`, text: cat(lit(`${THING}/`), stop(1, '*')), detail: 'every topic under the thing name' },
        { label: type === 'topic' ? 'topicName' : 'topicFilter', text: stop(1, type === 'topic' ? 'topicName' : 'topicFilter'), detail: type === 'topic' ? 'a topic name' : 'a topic filter as the client writes it' },
      ];
    case 'thing':
      return [
        { label: THING, text: lit(THING), detail: 'the connected thing' },
        { label: 'thingName', text: stop(1, 'thingName'), detail: 'a thing name (or thingName/shadowName)' },
      ];
    case 'rolealias':
      return [{ label: 'roleAlias', text: stop(1, 'roleAlias'), detail: 'a role alias name' }];
    default:
      return [];
  }
}

interface ArnParts {
  partition?: string;
  region?: string;
  accountId?: string;
}

/** Partition, region and account: as already typed in the string, else from the configuration. */
function arnParts(b: Builder, config: PolicyConfig | undefined): ArnParts {
  // A template writes its own (`${AWS::Region}` in a `Fn::Sub` string); else the configured defaults.
  const d = { ...config?.defaults, ...b.place.syntax.arnDefaults };
  const out: ArnParts = { partition: d.partition, region: d.region, accountId: d.accountId };
  const str = b.place.str;
  if (str) {
    const typed = b.text.slice(str.contentStart, b.offset);
    const m = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):/.exec(typed);
    if (m) {
      if (m[1]) out.partition = m[1];
      if (m[3]) out.region = m[3];
      if (m[4]) out.accountId = m[4];
    }
  }
  return out;
}

/** `arn:aws:<service>:<region>:<account>:` with tab stops 1 and 2 for what is not known. */
function arnPrefix(parts: ArnParts, service: string): { text: Text; label: string } {
  const region = parts.region ? lit(parts.region) : stop(1, 'region', '*');
  const account = parts.accountId ? lit(parts.accountId) : stop(2, 'account', '*');
  const head = `arn:${parts.partition ?? 'aws'}:${service}:`;
  return {
    text: cat(lit(head), region, lit(':'), account, lit(':')),
    label: `${head}${parts.region ?? 'region'}:${parts.accountId ?? 'account'}:`,
  };
}

/** Renumbers the tab stops of `t` that come after the prefix (region/account use 1 and 2). */
function shift(t: Text, by: number): Text {
  return t.map((p) => (typeof p === 'object' && 'stop' in p ? { ...p, stop: p.stop + by } : typeof p === 'object' && 'choice' in p ? { ...p, choice: p.choice + by } : p));
}

const TOPIC_AFTER = /^arn:[^:]*:iot:[^:]*:[^:]*:(topic|topicfilter|client|thing|rolealias)\//;

function completeResources(b: Builder, st: StatementModel | undefined, config: PolicyConfig | undefined): void {
  const { actions, any } = statementActionInfos(st);
  const types = new Set<ResourceType>();
  if (any) TYPE_ORDER.filter((t) => t !== 'componentVersion').forEach((t) => types.add(t));
  for (const a of actions) for (const t of a.resourceTypes) types.add(t);
  const usedBy = (t: ResourceType) => actions.filter((a) => !a.preferred && a.resourceTypes.includes(t)).map((a) => a.name);

  // After `...:topic/` (and other types): complete the name part only.
  const str = b.place.str;
  if (str) {
    const before = b.text.slice(str.contentStart, b.offset);
    const m = TOPIC_AFTER.exec(before);
    if (m) {
      completeResourceName(b, m[1] as ResourceType, str.contentStart + m[0].length, actions);
      return;
    }
  }
  const parts = arnParts(b, config);
  const iot = arnPrefix(parts, 'iot');
  let i = 0;
  for (const t of TYPE_ORDER) {
    if (!types.has(t)) continue;
    const users = usedBy(t);
    const detail = users.length ? `${t} — ${users.join(', ')}` : t;
    if (t === '*') {
      addValue(b, { label: '*', kind: CompletionItemKind.Value, detail: 'every resource', documentation: 'Every resource. Required for actions without a resource (`iot:ListRetainedMessages`, some Greengrass actions); otherwise the broadest grant.', sortText: `9${i++}` }, lit('*'));
      continue;
    }
    if (t === 'componentVersion') {
      const gg = arnPrefix(parts, 'greengrass');
      const text = cat(gg.text, lit('components:'), stop(3, 'componentName'), lit(':versions:'), stop(4, 'version'));
      const label = `${gg.label}components:componentName:versions:version`;
      addValue(b, { label, kind: CompletionItemKind.Reference, detail, sortText: `5${i++}`, filterText: label }, text);
      continue;
    }
    for (const n of namesFor(t)) {
      const text = cat(iot.text, lit(`${t}/`), shift(n.text, 2));
      const label = `${iot.label}${t}/${n.label}`;
      addValue(b, { label, kind: CompletionItemKind.Reference, detail: `${detail} · ${n.detail}`, sortText: `1${String(i++).padStart(2, '0')}`, filterText: label }, text);
    }
  }
}

function topicDirectionRank(t: ReservedTopic, type: ResourceType, actions: ActionInfo[]): number {
  const publishes = actions.some((a) => a.name === 'iot:Publish' || a.name === 'iot:RetainPublish');
  const receives = type === 'topicfilter' || actions.some((a) => a.name === 'iot:Receive');
  if (t.direction === 'both') return 0;
  if (t.direction === 'publish') return publishes || !receives ? 0 : 1;
  return receives || !publishes ? 0 : 1;
}

function completeResourceName(b: Builder, type: ResourceType, start: number, actions: ActionInfo[]): void {
  const str = b.place.str!;
  const close = raw(b.place.syntax.close);
  const end = str.contentEnd;
  namesFor(type).forEach((n, i) => {
    add(b, { label: n.label, kind: CompletionItemKind.Value, detail: n.detail, sortText: `0${i}`, filterText: n.label }, cat(n.text, close), start, end);
  });
  if (type !== 'topic' && type !== 'topicfilter') return;
  RESERVED_TOPICS.forEach((t, i) => {
    let n = 0;
    const parts: Text[] = [];
    const re = /<([^>]*)>/g;
    let last = 0;
    for (let m = re.exec(t.template); m; m = re.exec(t.template)) {
      parts.push(lit(t.template.slice(last, m.index)), stop(++n, m[1], `<${m[1]}>`));
      last = m.index + m[0].length;
    }
    parts.push(lit(t.template.slice(last)));
    const rank = topicDirectionRank(t, type, actions);
    add(
      b,
      {
        label: t.template,
        kind: CompletionItemKind.Constant,
        detail: `reserved: ${t.family} · devices ${t.direction === 'both' ? 'publish and subscribe' : t.direction}`,
        documentation: t.description,
        sortText: `${rank + 1}${String(i).padStart(3, '0')}`,
        filterText: t.template,
      },
      cat(...parts, close),
      start,
      end,
    );
  });
}

// ---- policy variables ---------------------------------------------------------------------------

const VAR_NAME_AFTER = /^[A-Za-z0-9_.:[\]-]*/;
const VARIABLE_DOCS = new Map<string, string>();

interface VarCandidate {
  name: string;
  text: Text;
  rank: number;
  detail: string;
  docKey: string;
}

let variableCandidates: VarCandidate[] | undefined;

function allVariableCandidates(): VarCandidate[] {
  if (variableCandidates) return variableCandidates;
  const order: Record<string, number> = { thing: 0, basic: 1, certificate: 3, cognito: 4, escape: 6 };
  const out: VarCandidate[] = [];
  for (const v of POLICY_VARIABLES) {
    if (v.template === 'attribute') {
      const name = `${ATTRIBUTE_PREFIX}attributeName]`;
      out.push({ name, text: cat(lit(ATTRIBUTE_PREFIX), stop(1, 'attributeName'), lit(']')), rank: order.thing, detail: 'thing attribute', docKey: name });
      continue;
    }
    const detail = v.category === 'escape' ? `literal ${v.name}` : `${v.category} · ${v.valueType}`;
    out.push({ name: v.name, text: lit(v.name), rank: v.allowedIn.includes('resource') ? order[v.category] : order[v.category] + 1, detail, docKey: v.name });
    if (v.multiValued) out.push({ name: `${v.name}.List`, text: lit(`${v.name}.List`), rank: order.certificate + 1, detail: 'all values (ForAnyValue:/ForAllValues:)', docKey: `${v.name}.List` });
  }
  variableCandidates = out;
  return out;
}

function variableDoc(name: string): string | undefined {
  let d = VARIABLE_DOCS.get(name);
  if (d) return d;
  const m = name.startsWith(ATTRIBUTE_PREFIX) ? lookupVariable(`${ATTRIBUTE_PREFIX}attributeName]`) : lookupVariable(name);
  if (!m) return undefined;
  d = variableMarkdown(name, m);
  VARIABLE_DOCS.set(name, d);
  return d;
}

/**
 * Where the variable being typed opens: the last `${` before the cursor, or the place's own
 * opener (`&{`). `rewrite`: the `${` is not written the way this place needs (`$${` in Terraform),
 * so the item replaces it too.
 */
function variableOpening(before: string, opener: string): { open: number; length: number; rewrite: boolean } | undefined {
  const dollar = before.lastIndexOf('${');
  const own = opener.endsWith('${') ? -1 : before.lastIndexOf(opener);
  const open = Math.max(dollar, own);
  if (open === -1 || before.indexOf('}', open) !== -1) return undefined;
  if (open === own) return { open, length: opener.length, rewrite: false };
  const prefix = opener.endsWith('${') ? opener.slice(0, -2) : '';
  const written = opener === '${' || (!!prefix && before.slice(Math.max(0, open - prefix.length), open) === prefix);
  return { open, length: 2, rewrite: !written };
}

/** After `${` in a string: complete the variable name. Returns false when not after `${`. */
function completeVariables(b: Builder, model: PolicyModel, place: 'resource' | 'condition'): boolean {
  const str = b.place.str;
  if (!str) return false;
  const text = b.text;
  const before = text.slice(str.contentStart, b.offset);
  const opener = b.place.syntax.variableOpen ?? '${';
  const at = variableOpening(before, opener);
  if (!at) return false;
  const open = at.open;
  let typed = before.slice(open + at.length);
  let start = str.contentStart + open + (at.rewrite ? 0 : at.length);
  // `${!iot:...}` in a `Fn::Sub` string: the `!` stays, the name after it is completed.
  const escape = b.place.syntax.variableEscape;
  const escaped = !!escape && typed.startsWith(escape);
  if (escaped) {
    typed = typed.slice(escape.length);
    if (!at.rewrite) start += escape.length;
  }
  if (/[\s"/]/.test(typed)) return false;
  const rest = VAR_NAME_AFTER.exec(text.slice(b.offset, str.contentEnd))?.[0] ?? '';
  let end = b.offset + rest.length;
  // The closing brace as this string writes it (`}}` in an f-string); a rewritten opening replaces it too.
  const closer = b.place.syntax.encode('}');
  const hasClose = text.startsWith(closer, end);
  if (at.rewrite && hasClose) end += closer.length;
  // Filter on the completed segments, so `${iot:Connection.Thing.` offers just the thing variables.
  const dot = typed.lastIndexOf('.');
  const segments = dot === -1 ? '' : typed.slice(0, dot + 1).toLowerCase();
  if (segments) b.isIncomplete = true;
  const note = model.variablesEnabled ? '' : ' · needs "Version": "2012-10-17"';
  for (const c of allVariableCandidates()) {
    if (segments && !c.name.toLowerCase().startsWith(segments)) continue;
    const forResource = place === 'resource';
    const conditionOnly = c.name.endsWith('.List') || c.name === 'iot:Connection.Thing.IsAttached';
    const rank = c.rank + (forResource && conditionOnly ? 4 : 0);
    add(
      b,
      {
        label: c.name,
        kind: c.name.length === 1 ? CompletionItemKind.Constant : CompletionItemKind.Variable,
        detail: c.detail + note,
        documentation: variableDoc(c.docKey),
        sortText: `${rank}${c.name}`,
        filterText: at.rewrite ? `\${${c.name}` : c.name,
      },
      cat(raw(at.rewrite ? opener : ''), raw(escaped && !at.rewrite ? '' : escape), c.text, lit(hasClose && !at.rewrite ? '' : '}')),
      start,
      end,
    );
  }
  return true;
}

// ---- conditions -----------------------------------------------------------------------------

let operatorSpellings: { name: string; rank: number }[] | undefined;
const OPERATOR_DOCS = new Map<string, string>();

function operators(): { name: string; rank: number }[] {
  if (operatorSpellings) return operatorSpellings;
  const out: { name: string; rank: number }[] = [];
  ['', 'ForAnyValue:', 'ForAllValues:'].forEach((prefix, p) => {
    for (const o of CONDITION_OPERATORS) {
      const common = ['StringEquals', 'StringLike', 'Bool', 'Null', 'ArnEquals', 'ArnLike', 'IpAddress', 'StringNotEquals'].includes(o.name) ? 0 : 1;
      // ForAnyValue:/ForAllValues: make sense for string operators on multi-valued keys.
      const setRank = p === 0 ? 0 : o.base === 'String' ? 2 : 4;
      out.push({ name: prefix + o.name, rank: setRank + common });
      if (o.ifExistsAllowed) out.push({ name: prefix + o.name + IF_EXISTS, rank: setRank + 2 });
    }
  });
  operatorSpellings = out;
  return out;
}

let operatorItems: { spec: ItemSpec; name: string }[] | undefined;
const OPERATOR_VALUE: ValueShape = { kind: 'object', entries: [{ key: stop(1, ''), value: str(stop(2, '')) }], plain: '{}' };

function completeOperators(b: Builder): void {
  operatorItems ??= operators().map((o, i) => {
    let doc = OPERATOR_DOCS.get(o.name);
    if (!doc) OPERATOR_DOCS.set(o.name, (doc = conditionOperatorMarkdown(o.name)));
    const p = parseOperator(o.name);
    return { spec: { label: o.name, kind: CompletionItemKind.Operator, detail: `${p.base ?? ''} operator`, documentation: doc, sortText: `${o.rank}${String(i).padStart(3, '0')}`, retrigger: true }, name: o.name };
  });
  for (const o of operatorItems) addKey(b, o.spec, o.name, OPERATOR_VALUE);
}

const KEY_DOCS = new Map<string, Map<string, string>>();

function keyDoc(key: string, operator: string): string {
  let byKey = KEY_DOCS.get(operator);
  if (!byKey) {
    if (KEY_DOCS.size > 200) KEY_DOCS.clear();
    KEY_DOCS.set(operator, (byKey = new Map()));
  }
  let d = byKey.get(key);
  if (!d) byKey.set(key, (d = conditionKeyMarkdown(key, operator)));
  return d;
}

interface KeyCandidate {
  spec: ItemSpec;
  key: string;
  value: ValueShape;
}

const KEY_CANDIDATES = new Map<string, KeyCandidate[]>();

/** The condition-key items for an operator: the same for every call with that operator. */
function completeConditionKeys(b: Builder, operator: string): void {
  let list = KEY_CANDIDATES.get(operator);
  if (!list) {
    if (KEY_CANDIDATES.size > 200) KEY_CANDIDATES.clear();
    KEY_CANDIDATES.set(operator, (list = conditionKeyCandidates(operator)));
  }
  for (const c of list) addKey(b, c.spec, c.key, c.value);
}

function conditionKeyCandidates(operator: string): KeyCandidate[] {
  const out: KeyCandidate[] = [];
  const p = parseOperator(operator);
  conditionKeyNamesForSuggestions().forEach((name, i) => {
    const m = lookupConditionKey(name.startsWith(ATTRIBUTE_PREFIX) ? `${ATTRIBUTE_PREFIX}attributeName]` : name);
    const info = m?.info;
    let rank = 1;
    if (info && p.valid && p.base) {
      const fit = operatorFitsKey(p.base, info.valueType);
      rank = fit === 'ok' ? 0 : fit === 'loose' ? 2 : 4;
      if (info.multiValued !== !!p.setPrefix && p.base !== 'Null') rank += 1;
    }
    if (name.includes('iot:Certificate')) rank += 1;
    const isBool = p.base === 'Bool' || p.base === 'Null' || info?.valueType === 'bool';
    let value: ValueShape;
    if (p.base === 'Null') value = str(choice(1, ['false', 'true']));
    else if (isBool) value = str(choice(1, ['true', 'false']));
    else if (info?.values?.length) value = { kind: 'list', items: [str(choice(1, [...info.values]))], compact: true };
    else value = str(stop(1, ''));
    const keyText = name.startsWith(ATTRIBUTE_PREFIX) ? `${ATTRIBUTE_PREFIX}attributeName]` : name;
    out.push({
      spec: {
        label: keyText,
        kind: CompletionItemKind.Field,
        detail: info ? `${info.valueType}${info.multiValued ? ' · multi-valued' : ''}` : undefined,
        documentation: keyDoc(keyText, operator),
        sortText: `${rank}${String(i).padStart(3, '0')}`,
      },
      key: keyText,
      value,
    });
  });
  return out;
}

function completeConditionValues(b: Builder, operator: string, key: string, config: PolicyConfig | undefined): void {
  const p = parseOperator(operator);
  const m = lookupConditionKey(key);
  const values: { v: string; doc: string }[] = [];
  if (p.base === 'Null') {
    values.push({ v: 'false', doc: `The condition holds when \`${key}\` is present.` }, { v: 'true', doc: `The condition holds when \`${key}\` is absent.` });
  } else if (p.base === 'Bool' || m?.info.valueType === 'bool') {
    values.push({ v: 'true', doc: `The condition holds when \`${key}\` is true.` }, { v: 'false', doc: `The condition holds when \`${key}\` is false.` });
  } else if (m?.info.values?.length) {
    for (const v of m.info.values) values.push({ v, doc: m.info.description });
  } else if (m?.info.valueType === 'arn' && m.info.name === 'iot:LastWillTopic') {
    const will = arnPrefix(arnParts(b, config), 'iot');
    const text = cat(will.text, lit('topic/'), stop(3, 'willTopic'));
    const label = `${will.label}topic/willTopic`;
    addValue(b, { label, kind: CompletionItemKind.Reference, detail: 'will topic ARN', filterText: label }, text);
    return;
  }
  values.forEach((x, i) => addValue(b, { label: x.v, kind: CompletionItemKind.Value, documentation: x.doc, sortText: String(i) }, lit(x.v)));
}

// ---- skeletons -------------------------------------------------------------------------------

function completeStatementSkeleton(b: Builder, inArray: boolean): void {
  const shape: ValueShape = inArray ? newStatement(1) : { kind: 'list', items: [newStatement(1)] };
  const ins = b.place.syntax.structure(shape);
  add(b, { label: inArray ? 'New statement' : 'Statement list', kind: CompletionItemKind.Snippet, documentation: ELEMENT_DOCS.Statement }, ins.text, ins.start, ins.end);
}

// ---- entry point -------------------------------------------------------------------------------

function statementAt(model: PolicyModel, offset: number, index: number | undefined): StatementModel | undefined {
  const inside = model.statements.filter((s) => offset > s.node.offset && offset <= s.node.offset + s.node.length);
  return inside[inside.length - 1] ?? (index !== undefined ? model.statements[index] : undefined);
}

/** Splits `['Statement', n, ...rest]` or `['Statement', ...rest]` (single statement object). */
function statementPath(path: PolicyPath): { index: number | undefined; rest: PolicyPath } | undefined {
  if (path[0] !== 'Statement') return undefined;
  if (typeof path[1] === 'number') return { index: path[1], rest: path.slice(2) };
  return { index: undefined, rest: path.slice(1) };
}

/** Completion items at `position`; every item carries a textEdit over the exact range it replaces. */
export function doComplete(doc: TextDocument, pdoc: PolicyDocument, position: Position, options?: CompletionOptions): CompletionList {
  const offset = doc.offsetAt(position);
  const entry = policyAt(pdoc, offset);
  const place = entry?.place?.(offset);
  if (!entry || !place) return { isIncomplete: false, items: [] };
  const model = entry.model;
  const b: Builder = { doc, text: pdoc.text, offset, place, snippets: !!options?.snippetSupport, items: [], isIncomplete: false };
  const config = options?.config;
  const w = place.where;
  if (w.kind === 'key') {
    const o = w.object;
    if (o.length === 0) completeTopKeys(b, model);
    else {
      const sp = statementPath(o);
      if (sp) {
        const st = statementAt(model, offset, sp.index);
        const r = sp.rest;
        if (r.length === 0 && (sp.index !== undefined || !model.statementIsArray)) completeStatementKeys(b, st);
        else if (r.length === 1 && r[0] === 'Condition') completeOperators(b);
        else if (r.length === 2 && r[0] === 'Condition' && typeof r[1] === 'string') completeConditionKeys(b, r[1]);
      }
    }
  } else {
    const p = w.path;
    if (p.length === 1 && p[0] === 'Version') completeVersion(b);
    else if (p.length === 1 && p[0] === 'Statement' && !place.str) completeStatementSkeleton(b, false);
    else {
      const sp = statementPath(p);
      if (sp) {
        const st = statementAt(model, offset, sp.index);
        const r = sp.rest;
        const head = r[0];
        if (r.length === 0 && sp.index !== undefined && !place.str) completeStatementSkeleton(b, true);
        else if (head === 'Effect' && r.length === 1) completeEffect(b);
        else if ((head === 'Action' || head === 'NotAction') && r.length <= 2) completeActions(b, st);
        else if ((head === 'Resource' || head === 'NotResource') && r.length <= 2) {
          if (!completeVariables(b, model, 'resource')) completeResources(b, st, config);
        } else if (head === 'Condition' && (r.length === 3 || r.length === 4) && typeof r[1] === 'string' && typeof r[2] === 'string') {
          if (!completeVariables(b, model, 'condition')) completeConditionValues(b, r[1], r[2], config);
        }
      }
    }
  }
  return { isIncomplete: b.isIncomplete, items: b.items };
}
