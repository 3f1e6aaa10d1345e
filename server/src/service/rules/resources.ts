/**
 * Rules about the `Resource` element: ARN syntax, documentation placeholders, the resource type
 * each action is authorised against, and the MQTT topic part of `topic/` and `topicfilter/` ARNs.
 *
 * The helpers at the top (resource references, action entries, coverage) are shared with the
 * security rules.
 */
import {
  ACCOUNT_PLACEHOLDERS,
  namePlaceholders,
  PARTITION_PLACEHOLDERS,
  placeholderKind,
  type ActionInfo,
  type ArnPart,
  checkTopic,
  findAction,
  IOT_POLICY_ACTIONS,
  matchReservedTopic,
  type ParsedResource,
  parseResource,
  REGION_PLACEHOLDERS,
  RESERVED_TOPICS,
  type ResourceType,
  type TopicProblem,
} from '../catalog';
import { modelMemo, type PolicyModel, type Span, type StatementModel, type StringValue } from '../policy/model';
import { certainlyNotAllWithPrefix, hasVariableToken, headFits } from '../match/prefilter';
import { matchWildcard, parsePattern, patternContains, type PatternToken } from '../match/wildcard';
import type { RelatedFinding, Rule, RuleContext } from './types';

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/** One resource of a statement: a string item, or an ARN rebuilt from a CloudFormation intrinsic. */
export interface ResourceRef {
  /** The JSON string, for plain resources. */
  item?: StringValue;
  /** Decoded text; for CloudFormation, the joined text with `*` for every non-literal part. */
  value: string;
  spanOf(start: number, end: number): Span;
  /** The whole resource in the document (the string without quotes, or the intrinsic object). */
  span: Span;
  parsed: ParsedResource;
  /** Rebuilt from `Fn::Join` / `Fn::Sub` / `Ref` / `Fn::GetAtt`. */
  synthetic: boolean;
  /** Decoded ranges that stand for CloudFormation expressions (not literal text). */
  opaque: [number, number][];
  /**
   * What the resource authorises: `client`, `topic`, `topicfilter`, `thing`, `rolealias`,
   * `componentVersion`; `*` for any type (`*`, `arn:...:*`, a wildcard service); a pattern such as
   * `topic*`; `other:<service>` for another service's ARN; undefined when it does not parse.
   */
  type?: string;
  /** Decoded range of the type word (`topic` in `...:topic/a`), or of the service for `other:`. */
  typeRange?: [number, number];
  /** Name after `type/`, with its decoded start. */
  name?: string;
  nameStart?: number;
  /** Resource part after the account (`topic/a/b`), or `*` for every resource. */
  resourcePart?: string;
  /** Whether it came from `NotResource`. */
  not: boolean;
  /** Memo of `refTokens`. */
  tokens?: PatternToken[];
  /** Memo of `topicProblems`. */
  topics?: TopicProblem[];
  /** Memo of `broadAccess` (null: not broad). */
  broad?: BroadAccess | null;
  /** Memo of `coversAllOfType`, by type. */
  coversAll?: Partial<Record<string, boolean>>;
}

const PARSED_RESOURCES = {};

/**
 * `parseResource` of a string of the model, parsed once per model and distinct value whichever
 * rule asks first (the result is never modified).
 */
export function parsedResourceOf(model: PolicyModel, sv: StringValue): ParsedResource {
  const memo = modelMemo(model, PARSED_RESOURCES, () => new Map<string, ParsedResource>());
  let p = memo.get(sv.value);
  if (!p) {
    p = parseResource(sv.value);
    memo.set(sv.value, p);
  }
  return p;
}

const IOT_TYPE_WORDS: ReadonlySet<string> = new Set(['client', 'topic', 'topicfilter', 'thing', 'rolealias']);

function isPatternText(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

function classify(ref: ResourceRef): void {
  const p = ref.parsed;
  if (p.all) {
    ref.type = '*';
    ref.resourcePart = '*';
    return;
  }
  if (!p.isArn || !p.resource || !p.service) return;
  const blocking = p.problems.some((x) => x.kind === 'parts' || x.kind === 'service' || x.kind === 'resource-type' || x.kind === 'iam-only-type' || x.kind === 'not-arn');
  if (blocking) return;
  const svc = p.service.text;
  if (isPatternText(svc) || svc.includes('${')) {
    ref.type = '*';
    ref.resourcePart = isPatternText(svc) ? '*' : p.resource.text;
    return;
  }
  if (svc !== 'iot' && svc !== 'greengrass') {
    ref.type = `other:${svc}`;
    ref.typeRange = [p.service.start, p.service.end];
    return;
  }
  if (!p.resourceType) return;
  ref.resourcePart = p.resource.text;
  if (svc === 'greengrass') {
    ref.type = p.resourceType.text === 'componentVersion' ? 'componentVersion' : isPatternText(p.resource.text) ? 'componentVersion' : `other:greengrass`;
    ref.typeRange = [p.service.start, p.service.end];
    return;
  }
  ref.type = p.resourceType.text;
  ref.typeRange = [p.resourceType.start, p.resourceType.end];
  if (p.name) {
    ref.name = p.name.text;
    ref.nameStart = p.name.start;
  }
}

const NO_OPAQUE: [number, number][] = [];

/** A plain string resource: one object, its span map a method (a big policy has thousands). */
class StringResourceRef implements ResourceRef {
  readonly value: string;
  readonly span: Span;
  readonly synthetic: boolean;
  readonly opaque: [number, number][];
  type?: string;
  typeRange?: [number, number];
  name?: string;
  nameStart?: number;
  resourcePart?: string;
  tokens?: PatternToken[];
  topics?: TopicProblem[];
  broad?: BroadAccess | null;
  coversAll?: Partial<Record<string, boolean>>;
  constructor(readonly item: StringValue, readonly parsed: ParsedResource, readonly not: boolean) {
    this.value = item.value;
    this.span = item.spanOf(0, item.value.length);
    this.opaque = item.opaque.length ? item.opaque.map((o) => [o.start, o.end]) : NO_OPAQUE;
    this.synthetic = item.opaque.length > 0;
  }
  spanOf(start: number, end: number): Span {
    return this.item.spanOf(start, end);
  }
}

function refFromString(model: PolicyModel, sv: StringValue, not: boolean): ResourceRef {
  const ref = new StringResourceRef(sv, parsedResourceOf(model, sv), not);
  classify(ref);
  return ref;
}

const REFS = {};

/** The resources (or not-resources) of a statement, CloudFormation intrinsics included; once per model. */
export function resourceRefs(model: PolicyModel, st: StatementModel): ResourceRef[] {
  const refCache = modelMemo(model, REFS, () => new Map<StatementModel, ResourceRef[]>());
  const cached = refCache.get(st);
  if (cached) return cached;
  const list = st.resource ?? st.notResource;
  const not = !st.resource && !!st.notResource;
  const out: ResourceRef[] = [];
  if (list) {
    for (const sv of list.items) out.push(refFromString(model, sv, not));
  }
  refCache.set(st, out);
  return out;
}

/** True when a decoded range of a synthetic resource is literal text. */
export function isLiteralRange(ref: ResourceRef, start: number, end: number): boolean {
  return !ref.opaque.some(([a, b]) => a < end && b > start);
}

export interface ActionEntry {
  item: StringValue;
  /** Contains `*` or `?`. */
  wildcard: boolean;
  /** The IoT policy actions it names or matches. */
  infos: ActionInfo[];
}

/**
 * Action patterns are few distinct strings (`iot:Publish`, `iot:*`), written again and again:
 * their tokens and the catalogue actions a wildcard names are kept across documents. Both are
 * pure functions of the string; the tables are bounded.
 */
const ACTION_TABLE_LIMIT = 2_000;
const actionTokenTable = new Map<string, PatternToken[]>();
const wildcardActionTable = new Map<string, ActionInfo[]>();

function actionTokens(pattern: string): PatternToken[] {
  let t = actionTokenTable.get(pattern);
  if (!t) {
    if (actionTokenTable.size >= ACTION_TABLE_LIMIT) actionTokenTable.clear();
    t = parsePattern(pattern);
    actionTokenTable.set(pattern, t);
  }
  return t;
}

/** Character-by-character case-insensitive equality, as `matchWildcard` compares literals with `ignoreCase`. */
function equalsFolded(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && x.toLowerCase() !== y.toLowerCase()) return false;
  }
  return true;
}

/** `matchWildcard(pattern, action, { ignoreCase: true })`, without re-parsing the pattern. */
export function actionMatches(pattern: string, action: string): boolean {
  if (!isPatternText(pattern)) return equalsFolded(pattern, action);
  return matchWildcard(actionTokens(pattern), action, { ignoreCase: true });
}

function actionsMatching(pattern: string): ActionInfo[] {
  let infos = wildcardActionTable.get(pattern);
  if (!infos) {
    if (wildcardActionTable.size >= ACTION_TABLE_LIMIT) wildcardActionTable.clear();
    infos = IOT_POLICY_ACTIONS.filter((a) => actionMatches(pattern, a.name));
    wildcardActionTable.set(pattern, infos);
  }
  return infos;
}

const ACTIONS = {};

/** The action items of a statement (Action, or NotAction with `not`); once per model. */
export function actionEntries(model: PolicyModel, st: StatementModel): ActionEntry[] {
  const actionCache = modelMemo(model, ACTIONS, () => new Map<StatementModel, ActionEntry[]>());
  const cached = actionCache.get(st);
  if (cached) return cached;
  const items = st.action?.items ?? st.notAction?.items ?? [];
  const out = items.map((item) => {
    const v = item.value;
    const wildcard = isPatternText(v);
    let infos: ActionInfo[];
    if (wildcard) infos = [...actionsMatching(v)];
    else {
      const a = findAction(v);
      infos = a ? [a] : [];
    }
    return { item, wildcard, infos };
  });
  actionCache.set(st, out);
  return out;
}

/** Does the statement apply to the action (by `Action` patterns, or by not being in `NotAction`)? */
export function statementCovers(st: StatementModel, action: string): boolean {
  if (st.action) return st.action.items.some((i) => actionMatches(i.value, action));
  if (st.notAction) return !st.notAction.items.some((i) => actionMatches(i.value, action));
  return false;
}

const STATEMENTS_BY_EFFECT = {};

/** The Allow (or Deny) statements that apply to `action`, in document order; computed once per model. */
export function statementsFor(model: PolicyModel, effect: 'Allow' | 'Deny', action: string): StatementModel[] {
  const memo = modelMemo(model, STATEMENTS_BY_EFFECT, () => ({ Allow: new Map<string, StatementModel[]>(), Deny: new Map<string, StatementModel[]>() }))[effect];
  let sts = memo.get(action);
  if (!sts) {
    sts = model.statements.filter((st) => effectOf(st) === effect && statementCovers(st, action));
    memo.set(action, sts);
  }
  return sts;
}

export function effectOf(st: StatementModel): 'Allow' | 'Deny' | undefined {
  const v = st.effectValue?.value;
  return v === 'Allow' || v === 'Deny' ? v : undefined;
}

/** Can this resource be the resource of a request that needs `needed`? */
export function coversType(ref: ResourceRef, needed: ResourceType): boolean {
  const t = ref.type;
  if (t === undefined) return false;
  if (t === '*') return true;
  if (needed === '*') return false;
  if (t.startsWith('other:')) return false;
  if (isPatternText(t)) return matchWildcard(t, needed);
  return t === needed;
}

/** The whole string without quotes, for an item. */
export function contentSpan(sv: StringValue): Span {
  return sv.spanOf(0, sv.value.length);
}

/** Decoded ranges of `${...}` references in a string item (or none for synthetic refs). */
function variableRanges(ref: ResourceRef): [number, number][] {
  return ref.item ? ref.item.variables.map((v) => [v.start, v.end]) : [];
}

function inRanges(ranges: [number, number][], i: number): boolean {
  return ranges.some(([a, b]) => i >= a && i < b);
}

/** Positions of MQTT `+` and `#` in the name part of a resource, outside `${...}`. */
export function mqttWildcardPositions(ref: ResourceRef): number[] {
  if (ref.name === undefined || ref.nameStart === undefined) return [];
  if (!ref.name.includes('+') && !ref.name.includes('#')) return [];
  const vars = variableRanges(ref);
  const out: number[] = [];
  for (let i = 0; i < ref.name.length; i++) {
    const c = ref.name[i];
    const at = ref.nameStart + i;
    if ((c === '+' || c === '#') && !inRanges(vars, at) && isLiteralRange(ref, at, at + 1)) out.push(at);
  }
  return out;
}

const TYPE_TEXT: Record<string, string> = {
  client: 'a `client` ARN (the MQTT client ID)',
  topic: 'a `topic` ARN (the MQTT topic name)',
  topicfilter: 'a `topicfilter` ARN (the topic filter exactly as the client subscribes with it)',
  thing: 'a `thing` ARN (the thing name)',
  rolealias: 'a `rolealias` ARN (the role alias)',
  componentVersion: 'a Greengrass component version ARN',
  '*': 'the resource `*`',
};

function describeNeeded(types: readonly ResourceType[]): string {
  return types.map((t) => TYPE_TEXT[t] ?? `\`${t}\``).join(' or ');
}

function describeType(t: string): string {
  if (t.startsWith('other:')) return `\`${t.slice(6)}\` (another service's ARN)`;
  if (t === '*') return '`*`';
  return `\`${t}/\``;
}

function exampleArn(ref: ResourceRef | undefined, type: ResourceType): string {
  if (type === '*') return '`*`';
  const p = ref?.parsed;
  // Documentation placeholders are not repeated in the example (template placeholders are kept).
  const keep = (part: ArnPart | undefined, re: RegExp): part is ArnPart => !!part && !ref?.synthetic && part.text !== '' && (!re.test(part.text) || placeholderKind(part.text) === 'template');
  const region = keep(p?.region, REGION_PLACEHOLDERS) ? p!.region!.text : '<region>';
  const account = keep(p?.account, ACCOUNT_PLACEHOLDERS) ? p!.account!.text : '<account-id>';
  const partition = keep(p?.partition, PARTITION_PLACEHOLDERS) ? p!.partition!.text : 'aws';
  const name = ref?.name && (type === 'topic' || type === 'topicfilter') && (ref.type === 'topic' || ref.type === 'topicfilter') ? ref.name : '...';
  if (type === 'componentVersion') return `\`arn:aws:greengrass:${region}:${account}:components:<name>:versions:<version>\``;
  return `\`arn:${partition}:iot:${region}:${account}:${type}/${name}\``;
}

// ---------------------------------------------------------------------------------------------
// Broad access (Device Defender IOT_POLICY_OVERLY_PERMISSIVE_CHECK), shared with security rules
// ---------------------------------------------------------------------------------------------

/** True when the statement requires `iot:Connection.Thing.IsAttached` to be true. */
export function requiresAttachedThing(st: StatementModel): boolean {
  for (const op of st.condition?.operators ?? []) {
    const name = op.operator;
    if (name !== 'Bool' && name !== 'StringEquals' && name !== 'StringEqualsIgnoreCase') continue;
    for (const k of op.keys) {
      if (k.key.toLowerCase() !== 'iot:connection.thing.isattached') continue;
      if (k.values.length && k.values.every((v) => v.kind === 'boolean' ? v.node.value === true : v.str?.value.toLowerCase() === 'true')) return true;
    }
  }
  return false;
}

/**
 * True when the statement pins the client ID with `StringEquals` (or `StringEqualsIgnoreCase`) on
 * `iot:ClientId` to fixed values or to a thing variable: then `client/*` does not let a device
 * connect as any client ID.
 */
export function restrictsClientId(st: StatementModel): boolean {
  for (const op of st.condition?.operators ?? []) {
    if (op.operator !== 'StringEquals' && op.operator !== 'StringEqualsIgnoreCase') continue;
    for (const k of op.keys) {
      if (k.key.toLowerCase() !== 'iot:clientid') continue;
      if (k.values.length && k.values.every((v) => v.str !== undefined && v.str.value !== '' && !v.str.value.includes('${iot:ClientId}'))) return true;
    }
  }
  return false;
}

/** A thing name no realistic prefix pattern matches: stands for "some other device". */
const PROBE_THING = '\uE000';
const THING_VAR = '${iot:Connection.Thing.ThingName}';

function probeTopics(): { topics: string[]; filters: string[] } {
  const topics = RESERVED_TOPICS
    .filter((t) => t.family === 'shadow' || t.family === 'named-shadow' || t.family === 'jobs')
    .map((t) => t.template.split(THING_VAR).join(PROBE_THING).replace(/<[^>]*>/g, 'x'));
  const filters = [
    ...topics,
    ...topics.map((t) => t.replace(PROBE_THING, '+')),
    '#', '$aws/#', '$aws/things/#', '$aws/things/+/#', '$aws/things/+/shadow/#', '$aws/things/+/jobs/#',
    '$aws/things/+/shadow/+', '$aws/things/+/shadow/+/+', '$aws/things/+/jobs/+', '$aws/things/+/jobs/+/+',
  ];
  return { topics, filters };
}
const PROBES = probeTopics();
/** The probes as resource parts, per resource type. */
const PROBE_RESOURCES: Readonly<Record<'topic' | 'topicfilter', readonly string[]>> = {
  topic: PROBES.topics.map((p) => `topic/${p}`),
  topicfilter: PROBES.filters.map((p) => `topicfilter/${p}`),
};

export type BroadKind = 'all-resources' | 'any-client' | 'client-id-variable' | 'any-thing' | 'any-topic' | 'other-devices-topics';

export interface BroadAccess {
  kind: BroadKind;
  /** The actions of the statement that this resource makes broad. */
  actions: string[];
  /** Decoded range in the resource string at fault. */
  range: [number, number];
  /** Replacement for the range that scopes the resource to the connected thing. */
  suggestion?: string;
}

/**
 * The resource part of a resource (`ref.resourcePart`, which must be set) as wildcard-engine
 * tokens, with variables as the model's Version reads them; parsed once per resource.
 */
export function refTokens(model: PolicyModel, ref: ResourceRef): PatternToken[] {
  if (!ref.tokens) ref.tokens = parsePattern(ref.resourcePart!, { variables: model.variablesEnabled });
  return ref.tokens;
}

function firstWildcard(ref: ResourceRef, from: number): number {
  const vars = variableRanges(ref);
  for (let i = from; i < ref.value.length; i++) {
    const c = ref.value[i];
    if ((c === '*' || c === '?' || c === '+' || c === '#') && !inRanges(vars, i)) return i;
  }
  return -1;
}

/**
 * Does this resource of an Allow statement give one of its fleet-sensitive data-plane actions
 * access to every device (Device Defender `ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS`)?
 * Computed with the wildcard engine: a resource is broad when it contains every name of its type
 * (`client/*`, `thing/*`, `topic/*`, `*`), or when it matches the reserved shadow/jobs topics (or,
 * for Subscribe, a wildcard filter over them) of a device that is not the connected one.
 * Not broad: names scoped by a variable or a prefix (`client/GGCore-*`), `iot:Receive`, actions
 * whose resource must be `*`, and Connect when the statement requires an attached thing.
 */
export function broadAccess(model: PolicyModel, st: StatementModel, ref: ResourceRef): BroadAccess | undefined {
  if (ref.broad === undefined) ref.broad = computeBroadAccess(model, st, ref) ?? null;
  return ref.broad ?? undefined;
}

/**
 * Does the resource part contain every resource of type `t` (the pattern `t/*`)? Settled from the
 * text when it can be (no `*`, or a literal head that does not fit `t/`); tokens and the exact
 * containment search only for the rest. Memoised per resource and type.
 */
function coversAllOfType(model: PolicyModel, ref: ResourceRef, rp: string, t: string): boolean {
  const memo = (ref.coversAll ??= {});
  let v = memo[t];
  if (v === undefined) {
    const prefix = `${t}/`;
    v = rp.includes('*') && headFits(rp, prefix) && !certainlyNotAllWithPrefix(refTokens(model, ref), prefix)
      && patternContains(refTokens(model, ref), parsePattern(`${t}/*`));
    memo[t] = v;
  }
  return v;
}

/** Does the resource match one of the probe topics (another device's reserved topics) of its type? */
function matchesProbe(model: PolicyModel, ref: ResourceRef, rp: string, t: 'topic' | 'topicfilter'): boolean {
  // An unresolved variable matches no concrete topic (see matchWildcard): no probe can match.
  if (model.variablesEnabled && hasVariableToken(rp)) return false;
  for (const p of PROBE_RESOURCES[t]) {
    if (!headFits(rp, p)) continue;
    const tokens = refTokens(model, ref);
    // An unresolved variable matches no concrete topic (see matchWildcard): no probe can match.
    if (tokens.some((x) => x.kind === 'var')) return false;
    if (matchWildcard(tokens, p)) return true;
  }
  return false;
}

function computeBroadAccess(model: PolicyModel, st: StatementModel, ref: ResourceRef): BroadAccess | undefined {
  if (effectOf(st) !== 'Allow' || !st.action || !st.resource || ref.not) return undefined;
  if (ref.resourcePart === undefined || ref.type === undefined || ref.type.startsWith('other:')) return undefined;
  if (ref.synthetic && ref.opaque.some(([a]) => ref.parsed.all || (ref.parsed.resource !== undefined && a >= ref.parsed.resource.start))) return undefined;
  // The fleet-sensitive actions of the statement, each once, in order.
  const infos: ActionInfo[] = [];
  for (const a of actionEntries(model, st)) for (const i of a.infos) if (i.fleetSensitive && !infos.includes(i)) infos.push(i);
  if (!infos.length) return undefined;
  const rp = ref.resourcePart;
  const rpStart = ref.parsed.all ? 0 : ref.parsed.resource!.start;
  const nameStart = ref.nameStart ?? rpStart;
  let result: BroadAccess | undefined;
  const add = (kind: BroadKind, action: string, range: [number, number], suggestion?: string): void => {
    if (!result) result = { kind, actions: [action], range, suggestion };
    else if (!result.actions.includes(action)) result.actions.push(action);
  };
  for (const info of infos) {
    const t = info.resourceTypes[0];
    if (t === '*' || !coversType(ref, t)) continue;
    if (t === 'client' && (requiresAttachedThing(st) || restrictsClientId(st))) continue;
    if (coversAllOfType(model, ref, rp, t)) {
      const kind: BroadKind = ref.type === '*' || isPatternText(ref.type) ? 'all-resources' : t === 'client' ? 'any-client' : t === 'thing' ? 'any-thing' : 'any-topic';
      const range: [number, number] = kind === 'all-resources' ? [ref.parsed.all ? 0 : rpStart, ref.value.length] : [nameStart, ref.value.length];
      const suggestion = kind === 'all-resources' ? undefined : t === 'topic' || t === 'topicfilter' ? `${THING_VAR}/*` : THING_VAR;
      add(kind, info.name, range, suggestion);
      continue;
    }
    if (t === 'client' && model.variablesEnabled && ref.type === 'client' && ref.name === '${iot:ClientId}') {
      add('client-id-variable', info.name, [nameStart, ref.value.length], THING_VAR);
      continue;
    }
    if ((t === 'topic' || t === 'topicfilter') && ref.type === t) {
      if (matchesProbe(model, ref, rp, t)) {
        const name = ref.name ?? '';
        let range: [number, number] = [nameStart, ref.value.length];
        let suggestion: string | undefined;
        if (name.startsWith('$aws/things/')) {
          const levelStart = nameStart + '$aws/things/'.length;
          const slash = ref.value.indexOf('/', levelStart);
          const levelEnd = slash === -1 ? ref.value.length : slash;
          const level = ref.value.slice(levelStart, levelEnd);
          if (level === '*' && slash === -1) suggestion = `${THING_VAR}/*`;
          else if (level === '#') suggestion = `${THING_VAR}/#`;
          else suggestion = THING_VAR;
          range = [levelStart, levelEnd];
        } else {
          const w = firstWildcard(ref, nameStart);
          if (w !== -1) range = [w, w + 1];
        }
        add('other-devices-topics', info.name, range, suggestion);
      }
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// invalid-arn
// ---------------------------------------------------------------------------------------------

/**
 * data: `{ kind, suggestions?: [replacement for the span], fixedValue?: whole corrected resource }`.
 * `kind` is the catalogue's ArnProblemKind (`service`, `region`, `resource-type`, ...).
 */
const invalidArn: Rule = {
  meta: {
    id: 'invalid-arn', defaultSeverity: 'error', category: 'resources',
    description: 'A malformed ARN: wrong parts, unknown partition, bad region or account form, missing or unknown resource type, stray characters.',
  },
  check(ctx) {
    for (const st of ctx.model.statements) {
      for (const list of [st.resource, st.notResource]) {
        for (const sv of list?.items ?? []) {
          const v = sv.value;
          // A value that is only a variable (`${...}`, often a template interpolation) is left to the variable rules;
          // an empty string to invalid-value-type.
          if (v === '' || (v.startsWith('${') && !v.toLowerCase().startsWith('arn:'))) continue;
          const parsed = parsedResourceOf(ctx.model, sv);
          let problems = parsed.problems;
          const chars = problems.find((p) => p.kind === 'characters');
          if (chars) problems = [chars];
          for (const p of problems) {
            let start = p.start;
            let end = p.end;
            const data: Record<string, unknown> = { kind: p.kind };
            if (p.suggestion !== undefined) {
              if (p.kind === 'resource-type') {
                data.suggestions = [p.suggestion];
                data.fixedValue = v.slice(0, start) + p.suggestion + v.slice(end);
              } else {
                data.fixedValue = p.suggestion;
                const prefix = v.slice(0, start);
                const suffix = v.slice(end);
                if (p.suggestion.startsWith(prefix) && p.suggestion.endsWith(suffix) && p.suggestion.length >= prefix.length + suffix.length) {
                  data.suggestions = [p.suggestion.slice(prefix.length, p.suggestion.length - suffix.length)];
                } else if (p.kind !== 'characters') {
                  start = 0;
                  end = v.length;
                  data.suggestions = [p.suggestion];
                }
              }
            }
            if (end <= start) {
              // Empty parts (`arn:aws:iot::...`): point at the colon before them.
              start = Math.max(0, start - 1);
              end = Math.min(v.length, start + 1);
            }
            const consequence = p.kind === 'iam-only-type'
              ? ' A statement in an IoT policy never matches it.'
              : ' AWS matches resources as text, so a malformed ARN never matches a request and grants or denies nothing.';
            ctx.report({ span: sv.spanOf(start, end), message: `This resource ${p.message}${p.message.endsWith('?') ? '' : '.'}${consequence}`, data });
          }
        }
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// arn-placeholder
// ---------------------------------------------------------------------------------------------

/**
 * One finding per distinct placeholder per document, on its first occurrence; the other
 * occurrences are related information.
 * data: `{ part: 'partition' | 'region' | 'account' | 'name', placeholder, kind: 'documentation' |
 * 'template' | 'html', occurrences: Span[] (every occurrence, the reported one first),
 * suggestions?: ['aws'] (partition only) }` — the quick fix replaces the span (and, for fix-all,
 * every occurrence) with `iotPolicy.defaults.region` / `iotPolicy.defaults.accountId`.
 * Checked in `Resource`/`NotResource` and in the values of `Arn*` condition operators; not on
 * another service's ARN, nor on an ARN that invalid-arn reports.
 */
const ARN_OPERATOR = /^(?:For(?:All|Any)Values:)?Arn(?:Equals|Like|NotEquals|NotLike)(?:IfExists)?$/;

function placeholderMessage(part: 'partition' | 'region' | 'account' | 'name', text: string, kind: 'documentation' | 'template' | 'html'): string {
  const what = kind === 'html' ? 'HTML markup copied from documentation' : kind === 'template' ? 'a template placeholder' : 'a documentation placeholder';
  const write = part === 'partition' ? '`aws` (or `aws-cn`, `aws-us-gov`)'
    : part === 'region' ? 'your region (e.g. `eu-west-1`) or `*`'
      : part === 'account' ? 'your 12-digit account ID or `*`'
        : 'the real name (or a policy variable such as `${iot:Connection.Thing.ThingName}`, or `*`)';
  const not = part === 'name' ? ' in the resource name' : `, not ${part === 'account' ? 'your account ID' : part === 'region' ? 'a region' : 'a partition'}`;
  const template = kind === 'template' ? ' If a template tool fills it in, lint the rendered policy instead.' : '';
  return `\`${text}\` is ${what}${not}. AWS compares ARNs as text, so this ARN matches no request until you write ${write}.${template}`;
}

const arnPlaceholder: Rule = {
  meta: {
    id: 'arn-placeholder', defaultSeverity: 'warning', category: 'resources',
    description: 'A placeholder left in an ARN: `region`, `account-id`, `<region>`, `<b>region</b>`, `{self.region}`, `123456789012`, `<thingName>`, ...',
  },
  check(ctx) {
    const seen = new Map<string, { span: Span; message: string; data: Record<string, unknown>; related: RelatedFinding[]; occurrences: Span[] }>();
    const order: string[] = [];
    const add = (sv: StringValue, part: 'partition' | 'region' | 'account' | 'name', text: string, start: number, end: number): void => {
      const span = sv.spanOf(start, end);
      const key = `${part}\u0000${text}`;
      const prev = seen.get(key);
      if (prev) {
        prev.occurrences.push(span);
        prev.related.push({ span, message: `\`${text}\` again` });
        return;
      }
      const kind = placeholderKind(text);
      const data: Record<string, unknown> = { part, placeholder: text, kind };
      if (part === 'partition') data.suggestions = ['aws'];
      const entry = { span, message: placeholderMessage(part, text, kind), data, related: [] as RelatedFinding[], occurrences: [span] };
      data.occurrences = entry.occurrences;
      seen.set(key, entry);
      order.push(key);
    };
    const checkArn = (sv: StringValue): void => {
      const p = parsedResourceOf(ctx.model, sv);
      if (!p.isArn || p.problems.length) return;
      const svc = p.service?.text;
      // Another service's ARN (Greengrass V1 API ARNs included) is reported by resource-type-mismatch, if at all.
      if (svc !== undefined && svc !== 'iot' && !(svc === 'greengrass' && p.resource?.text.startsWith('components:')) && !svc.includes('*') && !svc.includes('?')) return;
      if (p.partition && p.partition.text && PARTITION_PLACEHOLDERS.test(p.partition.text)) add(sv, 'partition', p.partition.text, p.partition.start, p.partition.end);
      if (p.region && p.region.text && REGION_PLACEHOLDERS.test(p.region.text)) add(sv, 'region', p.region.text, p.region.start, p.region.end);
      if (p.account && p.account.text && ACCOUNT_PLACEHOLDERS.test(p.account.text)) add(sv, 'account', p.account.text, p.account.start, p.account.end);
      if (p.name) for (const n of namePlaceholders(p.name.text)) add(sv, 'name', n.text, p.name.start + n.start, p.name.start + n.end);
    };
    for (const st of ctx.model.statements) {
      for (const list of [st.resource, st.notResource]) for (const sv of list?.items ?? []) checkArn(sv);
      for (const op of st.condition?.operators ?? []) {
        if (!ARN_OPERATOR.test(op.operator)) continue;
        for (const k of op.keys) for (const v of k.values) if (v.str) checkArn(v.str);
      }
    }
    for (const key of order) {
      const e = seen.get(key)!;
      ctx.report({ span: e.span, message: e.message, data: e.data, related: e.related.length ? e.related : undefined });
    }
  },
};

// ---------------------------------------------------------------------------------------------
// resource-type-mismatch
// ---------------------------------------------------------------------------------------------

/**
 * One mistake, one finding:
 * - When every action of the statement is authorised against one type (e.g. only Subscribe, or
 *   only shadow/job actions), each resource of another type is reported on its type word:
 *   data `{ type, replaceWith, thingName? }` (e.g. `{ type: 'topic', replaceWith: 'topicfilter' }`;
 *   `thingName` when a `topic/$aws/things/<thing>/...` ARN was written where `thing/<thing>` belongs).
 *   related: the actions.
 * - When the actions need different types and one of them has no resource of its type, the
 *   action is reported: data `{ action, neededTypes, presentTypes, split? }`, where
 *   `split: [{ actions: [...], resourceType }]` lets the fix split the statement into one
 *   statement per entry, copying the resources with the type word replaced by `resourceType`.
 *   related: the resources.
 * - A resource whose type no action of a mixed statement uses is reported on its type word:
 *   data `{ type }`.
 */
const resourceTypeMismatch: Rule = {
  meta: {
    id: 'resource-type-mismatch', defaultSeverity: 'error', category: 'resources',
    description: 'An action of the statement has no resource of the type it needs (Subscribe needs `topicfilter`, Publish/Receive `topic`, Connect `client`, shadow/jobs `thing`, ...).',
  },
  check(ctx) {
    for (const st of ctx.model.statements) {
      if (!st.action || !st.resource) continue;
      const refs = resourceRefs(ctx.model, st);
      if (refs.length === 0) continue;
      const acts = actionEntries(ctx.model, st);
      const known = acts.filter((a) => !a.wildcard && a.infos.length === 1);
      // A wildcard action, or one that is not an IoT policy action, may use any resource: only
      // the named actions are checked, and unused resources are not reported.
      const allKnown = acts.length > 0 && known.length === acts.length;
      if (known.length === 0) continue;
      const undetermined = refs.some((r) => r.type === undefined);
      const missing = undetermined ? [] : known.filter((a) => !refs.some((r) => a.infos[0].resourceTypes.some((t) => coversType(r, t))));
      const primaryTypes = [...new Set(known.map((a) => a.infos[0].resourceTypes[0]))];
      const single = allKnown && primaryTypes.length === 1 ? primaryTypes[0] : undefined;
      const unused = allKnown
        ? refs.filter((r) => r.type && r.type !== '*' && !isPatternText(r.type) && r.typeRange && isLiteralRange(r, r.typeRange[0], r.typeRange[1])
          && !known.some((a) => a.infos[0].resourceTypes.some((t) => coversType(r, t))))
        : [];
      if (!missing.length && !unused.length) continue;
      const actionRelated: RelatedFinding[] = known.map((a) => ({ span: contentSpan(a.item), message: `\`${a.infos[0].name}\` is authorised against ${describeNeeded(a.infos[0].resourceTypes)}` }));
      // Homogeneous statement: the resources are wrong, report their type words.
      if (single && single !== '*' && unused.length && (missing.length === 0 || missing.length === known.length)) {
        for (const r of unused) reportTypeWord(ctx, r, known, single, actionRelated);
        continue;
      }
      for (const a of missing) {
        const info = a.infos[0];
        const present = [...new Set(refs.map((r) => r.type!))];
        const target = info.resourceTypes[0];
        const data: Record<string, unknown> = { action: info.name, neededTypes: info.resourceTypes, presentTypes: present };
        if (allKnown && !single) {
          const groups = new Map<string, string[]>();
          for (const k of known) {
            const t = k.infos[0].resourceTypes[0];
            groups.set(t, [...(groups.get(t) ?? []), k.item.value]);
          }
          data.split = [...groups].map(([resourceType, actions]) => ({ actions, resourceType }));
        }
        const fix = target === '*'
          ? `Use \`"Resource": "*"\` for it${single ? '' : ' in its own statement'}.`
          : single
            ? `Use ${exampleArn(refs[0], target)}.`
            : `Move \`${a.item.value}\` to its own statement with ${exampleArn(refs.find((r) => r.name), target)}, or add such a resource here.`;
        const alt = info.resourceTypes.length > 1 ? ` (AWS sources also accept ${describeNeeded(info.resourceTypes.slice(1))})` : '';
        ctx.report({
          span: contentSpan(a.item),
          message: `\`${info.name}\` is authorised against ${describeNeeded([target])}${alt}, but this statement has only ${present.map(describeType).join(', ')} resources, so AWS never allows or denies \`${info.name}\` through this statement. ${fix}`,
          data,
          related: refs.map((r) => ({
            span: r.typeRange && isLiteralRange(r, r.typeRange[0], r.typeRange[1]) ? r.spanOf(r.typeRange[0], r.typeRange[1]) : r.span,
            message: r.type ? `resource of type ${describeType(r.type)}` : 'resource',
          })),
        });
      }
      if (missing.length) continue;
      for (const r of unused) reportTypeWord(ctx, r, known, single, actionRelated);
    }
  },
};

const GROUP_WORDS: Record<string, string> = { mqtt: 'MQTT', retained: 'retained-message', shadow: 'shadow', jobs: 'job', credentials: 'credentials', connection: 'connection', greengrass: 'Greengrass' };

/** `iot:Subscribe` / `iot:Publish and iot:Receive` / "this statement's shadow and job actions". */
function actionsPhrase(known: ActionEntry[]): string {
  const names = [...new Set(known.map((a) => a.infos[0].name))];
  if (names.length <= 2) return names.map((n) => `\`${n}\``).join(' and ');
  const groups = [...new Set(known.map((a) => GROUP_WORDS[a.infos[0].group] ?? a.infos[0].group))];
  return `this statement's ${groups.join(' and ')} actions`;
}

function reportTypeWord(ctx: RuleContext, r: ResourceRef, known: ActionEntry[], single: ResourceType | undefined, related: RelatedFinding[]): void {
  const data: Record<string, unknown> = { type: r.type };
  const what = r.type!.startsWith('other:')
    ? `\`${r.type!.slice(6)}\` ARN (an IoT policy only authorises \`iot\` resources)`
    : `\`${r.type}/\` ARN`;
  if (single && single !== '*') {
    // Every action wants one type: say it once, with the ARN to write.
    const phrase = actionsPhrase(known);
    const plural = phrase.startsWith('this statement') || phrase.includes(' and ');
    let fix = `Write ${exampleArn(r, single)}.`;
    if (IOT_TYPE_WORDS.has(r.type!) && IOT_TYPE_WORDS.has(single)) {
      data.replaceWith = single;
      const thing = single === 'thing' ? /^\$aws\/things\/([^/]+)/.exec(r.name ?? '')?.[1] : undefined;
      if (thing) data.thingName = thing;
      fix = thing ? `Write \`thing/${thing}\`.` : single === 'thing' ? `Write \`thing/${THING_VAR}\` (or the thing name).` : `Write \`${single}\` instead of \`${r.type}\`.`;
    }
    ctx.report({
      span: r.spanOf(r.typeRange![0], r.typeRange![1]),
      message: `${what}: ${phrase} ${plural ? 'are' : 'is'} authorised against \`${single}/<name>\`, so this resource has no effect. ${fix}`,
      data,
      related,
    });
    return;
  }
  const names = known.map((a) => `\`${a.infos[0].name}\``).join(', ');
  let fix = '';
  if (single && single !== '*' && IOT_TYPE_WORDS.has(r.type!) && IOT_TYPE_WORDS.has(single)) {
    data.replaceWith = single;
    fix = ` Write \`${single}\` instead of \`${r.type}\`.`;
    if (single === 'thing') {
      // `topic/$aws/things/<thing>/...` written for a thing: the thing ARN is `thing/<thing>`.
      const thing = /^\$aws\/things\/([^/]+)/.exec(r.name ?? '')?.[1];
      if (thing) {
        data.thingName = thing;
        fix = ` Write \`thing/${thing}\`.`;
      }
    }
  } else if (single === '*') fix = ' These actions need `"Resource": "*"`.';
  ctx.report({
    span: r.spanOf(r.typeRange![0], r.typeRange![1]),
    message: `No action of this statement (${names}) is authorised against ${r.type!.startsWith('other:') ? `\`${r.type!.slice(6)}\` ARNs (an IoT policy only authorises \`iot\` resources)` : `\`${r.type}/\` ARNs`}, so this resource has no effect: ${needsSentence(known)}${fix}`,
    data,
    related,
  });
}

function needsSentence(known: ActionEntry[]): string {
  const byType = new Map<string, string[]>();
  for (const a of known) {
    const t = a.infos[0].resourceTypes[0];
    byType.set(t, [...(byType.get(t) ?? []), `\`${a.infos[0].name}\``]);
  }
  return [...byType].map(([t, names]) => `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} authorised against ${describeNeeded([t as ResourceType])}.`).join(' ');
}

// ---------------------------------------------------------------------------------------------
// invalid-topic and mqtt-wildcard-is-literal
// ---------------------------------------------------------------------------------------------

/** Topic problems of a `topic/` or `topicfilter/` resource, with decoded ranges in the resource string. */
export function topicProblems(ref: ResourceRef): TopicProblem[] {
  if ((ref.type !== 'topic' && ref.type !== 'topicfilter') || ref.name === undefined || ref.nameStart === undefined || ref.synthetic) return [];
  if (!ref.topics) {
    const base = ref.nameStart;
    ref.topics = checkTopic(ref.name, ref.type).map((p) => ({ ...p, start: p.start + base, end: p.end + base }));
  }
  return ref.topics;
}

/** data: none (the fix depends on what the topic is meant to be). */
const invalidTopic: Rule = {
  meta: {
    id: 'invalid-topic', defaultSeverity: 'warning', category: 'resources',
    description: 'A topic part no MQTT client can use: `#` not last or not alone in its level, `+` not alone in its level, more than 7 slashes, more than 256 bytes.',
  },
  check(ctx) {
    for (const st of ctx.model.statements) {
      for (const ref of resourceRefs(ctx.model, st)) {
        for (const p of topicProblems(ref)) {
          const isWildcardPlacement = p.message.startsWith('`#`') || p.message.startsWith('`+`');
          // In `topic/` resources any `+`/`#` is reported by mqtt-wildcard-is-literal (or mqtt-wildcard-in-deny).
          if (isWildcardPlacement && ref.type === 'topic') continue;
          const kind = ref.type === 'topicfilter' ? 'topic filter' : 'topic';
          const message = isWildcardPlacement
            ? `This ${kind} is invalid: ${p.message}; MQTT rejects such a filter, so no client can subscribe with it and this resource matches nothing.`
            : `This ${kind} ${p.message.startsWith('has') || p.message.startsWith('is') ? p.message : `is invalid: ${p.message}`}, so no client can use a ${kind} that matches this.`;
          ctx.report({ span: ref.spanOf(p.start, p.end), message });
        }
      }
    }
  },
};

/**
 * Severity: warning on `topic/` (topics never contain `+`/`#`), info on `topicfilter/` (a literal
 * wildcard filter is legitimate but often a mistake).
 * data: `{ suggestions: ['*'], wildcard: '+' | '#', resourceType }`.
 * Not reported in Deny statements (mqtt-wildcard-in-deny), at positions invalid-topic reports, or
 * on resources that overly-permissive reports (`broadAccess`).
 */
const mqttWildcardIsLiteral: Rule = {
  meta: {
    id: 'mqtt-wildcard-is-literal', defaultSeverity: 'warning', category: 'resources',
    description: '`+` or `#` in a resource, which policies read as plain characters (warning on `topic/`, info on `topicfilter/`).',
  },
  check(ctx) {
    for (const st of ctx.model.statements) {
      if (effectOf(st) === 'Deny') continue;
      for (const ref of resourceRefs(ctx.model, st)) {
        if (ref.type !== 'topic' && ref.type !== 'topicfilter') continue;
        const positions = mqttWildcardPositions(ref);
        if (!positions.length) continue;
        if (broadAccess(ctx.model, st, ref)) continue;
        const taken = ref.type === 'topicfilter' ? topicProblems(ref) : [];
        for (const at of positions) {
          if (taken.some((p) => at >= p.start && at < p.end)) continue;
          const ch = ref.value[at];
          const name = ref.name!;
          if (ref.type === 'topic') {
            ctx.report({
              span: ref.spanOf(at, at + 1),
              message: `\`${ch}\` is a literal character in a policy, and MQTT topic names never contain \`${ch}\` (publishers cannot use wildcards), so \`topic/${name}\` matches no message. To match any ${ch === '+' ? 'value of this level' : 'topics below this level'}, use the policy wildcard \`*\` (it also spans \`/\`).`,
              data: { suggestions: ['*'], wildcard: ch, resourceType: 'topic' },
            });
          } else {
            ctx.report({
              span: ref.spanOf(at, at + 1),
              severity: 'info',
              message: `\`${ch}\` is a literal character in a policy: this resource only matches a SUBSCRIBE whose filter is literally \`${name}\`, not filters such as \`${name.replace(ch === '+' ? '+' : '#', ch === '+' ? 'level' : 'x/y')}\`. If that is what you want, keep it; to allow ${ch === '+' ? 'any value at this level' : 'any filter below this level'}, use the policy wildcard \`*\` (it also spans \`/\`).`,
              data: { suggestions: ['*'], wildcard: ch, resourceType: 'topicfilter' },
            });
          }
        }
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// reserved-topic
// ---------------------------------------------------------------------------------------------

/**
 * Reserved topics (`$aws/...`) used in ways AWS IoT does not serve. Only topics whose levels are
 * all known (no `*`, `?`, `+`, `#`; `${...}` stands for a name) are judged, and only named
 * actions (not `iot:*`) count.
 * data: `{ kind: 'typo', suggestions: [reserved level] }` on the misspelled level;
 * `{ kind: 'publish-to-response', action: 'iot:Publish', requestTopic? }` on the response level
 * (`accepted`, `delta`, `events`, ...); `{ kind: 'retain-reserved', action: 'iot:RetainPublish' }`
 * on `$aws`.
 */
const reservedTopic: Rule = {
  meta: {
    id: 'reserved-topic', defaultSeverity: 'warning', category: 'resources',
    description: 'A reserved `$aws/` topic used in a way AWS IoT does not serve: a misspelled shadow/jobs level, Publish to a topic only AWS publishes to (`.../accepted`, `.../delta`, `$aws/events/...`), RetainPublish on `$aws/` topics.',
  },
  check(ctx) {
    for (const st of ctx.model.statements) {
      const refs = resourceRefs(ctx.model, st).filter((r) => !r.synthetic && (r.type === 'topic' || r.type === 'topicfilter') && r.name?.startsWith('$aws/') && r.nameStart !== undefined);
      if (!refs.length) continue;
      const allow = effectOf(st) === 'Allow' && !!st.action;
      const retained: ResourceRef[] = [];
      const named = allow ? new Set(actionEntries(ctx.model, st).filter((a) => !a.wildcard && a.infos.length === 1).map((a) => a.infos[0].name)) : new Set<string>();
      for (const r of refs) {
        const name = r.name!;
        const base = r.nameStart!;
        const m = matchReservedTopic(name);
        if (m.typo) {
          const t = m.typo;
          ctx.report({
            span: r.spanOf(base + t.start, base + t.end),
            message: `\`${t.text}\` is not a level of any reserved topic under \`${name.slice(0, t.start)}\`; did you mean \`${t.suggestions[0]}\`? AWS IoT only serves the reserved topics it documents (and topic levels are case-sensitive), so this resource matches no real message.`,
            data: { kind: 'typo', suggestions: t.suggestions },
          });
          continue;
        }
        if (r.type !== 'topic') continue;
        if (m.topic && m.topic.direction === 'subscribe' && named.has('iot:Publish')) {
          const levels = name.split('/');
          const isEvent = levels[1] === 'events';
          const at = isEvent ? '$aws/'.length : name.lastIndexOf('/') + 1;
          const end = isEvent ? at + 'events'.length : name.length;
          const last = levels[levels.length - 1];
          const request = !isEvent && (last === 'accepted' || last === 'rejected' || last === 'delta' || last === 'documents')
            ? name.slice(0, name.lastIndexOf('/'))
            : undefined;
          const data: Record<string, unknown> = { kind: 'publish-to-response', action: 'iot:Publish' };
          if (request) data.requestTopic = request;
          ctx.report({
            span: r.spanOf(base + at, base + end),
            message: `Only AWS IoT publishes to \`${name}\` (${m.topic.description.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase())}); it does not accept a device's PUBLISH there (unsupported operations on reserved topics can even end the connection), so \`iot:Publish\` on this resource grants nothing. ${request ? `Publish to the request topic \`${request}\` and allow \`iot:Subscribe\`/\`iot:Receive\` on this one.` : 'Allow `iot:Subscribe`/`iot:Receive` on it instead.'}`,
            data,
          });
        }
        if (named.has('iot:RetainPublish')) retained.push(r);
      }
      if (retained.length) {
        // One finding per statement; the other `$aws/` resources are related.
        const [first, ...rest] = retained;
        ctx.report({
          span: first.spanOf(first.nameStart!, first.nameStart! + '$aws'.length),
          message: `AWS IoT does not accept retained messages on reserved \`$aws/\` topics (a PUBLISH with the RETAIN flag to one is refused), so \`iot:RetainPublish\` on \`${first.name}\`${rest.length ? ` and ${rest.length} more \`$aws/\` topic${rest.length > 1 ? 's' : ''} of this statement` : ''} grants nothing. Keep retained messages on topics of your own.`,
          data: { kind: 'retain-reserved', action: 'iot:RetainPublish' },
          related: rest.length ? rest.map((x) => ({ span: x.spanOf(x.nameStart!, x.nameStart! + '$aws'.length), message: `\`iot:RetainPublish\` on \`${x.name}\`` })) : undefined,
        });
      }
    }
  },
};

export const resourcesRules: Rule[] = [invalidArn, arnPlaceholder, resourceTypeMismatch, mqttWildcardIsLiteral, invalidTopic, reservedTopic];
