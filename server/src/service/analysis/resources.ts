/**
 * What the resources of a statement are: each resource classified once per model (its type, its
 * name, the resource part the wildcard engine compares), what it covers, and whether it gives a
 * data-plane action access to the whole fleet. Shared by the resource and security rules, hover
 * and the evaluator.
 *
 * Every resource is a `StringValue`. A template value unknown before deploy (`{"Ref": ...}`) is
 * read as a string that is one opaque `*`, and the parts of a string a template leaves unknown
 * are its opaque ranges: what depends on them is never reported, the known parts still are.
 */
import {
  checkTopic,
  RESERVED_TOPICS,
  THING_NAME_REF,
  parseResource,
  type ActionInfo,
  type ArnPart,
  type ArnScope,
  type ParsedResource,
  type ResourceType,
  type TopicProblem,
} from '../catalog';
import { certainlyNotAllWithPrefix, hasVariableToken, headFits, literalHead } from '../match/prefilter';
import { matchWildcard, parsePattern, patternContains, type PatternToken } from '../match/wildcard';
import { statementMemo, type PolicyModel, type StatementModel } from '../policy/model';
import { memoizeString } from '../text/memo';
import { isLiteralRange, type OpaqueRange, type PolicyNode, type StringValue, type VariableRef } from '../policy/tree';
import type { Span } from '../text/span';
import { actionEntries, effectOf, isPatternText } from './actions';

/** One resource of a statement, classified. */
export interface ResourceRef {
  /** The resource as a string; decoded ranges a template leaves unknown are `item.opaque`. */
  readonly item: StringValue;
  /** Decoded text (every opaque range reads `*`). */
  readonly value: string;
  /** The whole resource in the document (the string without quotes, or the template value). */
  readonly span: Span;
  readonly parsed: ParsedResource;
  /** Whether it came from `NotResource`. */
  readonly not: boolean;
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
  spanOf(start: number, end: number): Span;
}

/** A resource whose resource part holds no opaque range: the wildcard engine can compare it. */
export type LiteralResource = ResourceRef & { resourcePart: string };

/** `parseResource` of a string of the model (shared between analyses: see `parseResource`). */
export function parsedResourceOf(_model: PolicyModel, sv: StringValue): ParsedResource {
  return parseResource(sv.value);
}

/** Problems that leave the type of a resource unknown. */
export const BLOCKING_PROBLEMS: ReadonlySet<string> = new Set(['parts', 'service', 'resource-type', 'iam-only-type', 'not-arn']);

function classify(ref: Ref): void {
  const p = ref.parsed;
  if (p.all) {
    ref.type = '*';
    ref.resourcePart = '*';
    return;
  }
  if (!p.isArn || !p.resource || !p.service) return;
  if (p.problems.some((x) => BLOCKING_PROBLEMS.has(x.kind))) return;
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
    const component = p.resourceType.text === 'componentVersion' || isPatternText(p.resource.text);
    ref.type = component ? 'componentVersion' : 'other:greengrass';
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

/** A resource of a statement: one object, its span map a method (a big policy has thousands). */
class Ref implements ResourceRef {
  readonly value: string;
  type?: string;
  typeRange?: [number, number];
  name?: string;
  nameStart?: number;
  resourcePart?: string;
  /** Memos of `refTokens`, `topicProblems`, `broadAccess` (null: not broad) and `coversAllOfType`. */
  tokens?: PatternToken[];
  topics?: TopicProblem[];
  broad?: BroadAccess | null;
  coversAll?: Partial<Record<string, boolean>>;
  /** `span`, computed where the string started (`at`): a statement carried over to the next version moves its strings. */
  private whole: Span;
  private at: number;
  constructor(readonly item: StringValue, readonly parsed: ParsedResource, readonly not: boolean) {
    this.value = item.value;
    this.at = item.offsetOf(0);
    this.whole = item.spanOf(0, item.value.length);
    classify(this);
  }
  get span(): Span {
    const at = this.item.offsetOf(0);
    if (at !== this.at) {
      this.at = at;
      this.whole = this.item.spanOf(0, this.value.length);
    }
    return this.whole;
  }
  spanOf(start: number, end: number): Span {
    return this.item.spanOf(start, end);
  }
}

/** A template value (`{"Ref": ...}`) read as a string: one opaque `*` spanning the whole value. */
class OpaqueValue implements StringValue {
  readonly value = '*';
  readonly span: Span;
  readonly variables: VariableRef[] = [];
  readonly opaque: readonly OpaqueRange[];
  constructor(readonly node: PolicyNode) {
    this.span = { offset: node.offset, length: node.length };
    this.opaque = [{ start: 0, end: 1, label: node.label ?? '' }];
  }
  offsetOf(index: number): number {
    return index <= 0 ? this.node.offset : this.node.offset + this.node.length;
  }
  spanOf(start: number, end: number): Span {
    const a = this.offsetOf(start);
    return { offset: a, length: Math.max(0, this.offsetOf(end) - a) };
  }
}

const REFS = {};

/** The resources (or not-resources) of a statement, template values included; once per statement. */
export function resourceRefs(model: PolicyModel, st: StatementModel): ResourceRef[] {
  return statementMemo(model, st, REFS, readResourceRefs);
}

function readResourceRefs(model: PolicyModel, st: StatementModel): ResourceRef[] {
  const list = st.resource ?? st.notResource;
  const not = !st.resource && !!st.notResource;
  const out: ResourceRef[] = [];
  for (const sv of list?.items ?? []) out.push(new Ref(sv, parsedResourceOf(model, sv), not));
  for (const node of list?.invalid ?? []) {
    if (node.type !== 'opaque') continue;
    const sv = new OpaqueValue(node);
    out.push(new Ref(sv, parseResource(sv.value), not));
  }
  if (out.length > 1 && list?.invalid.length) out.sort((a, b) => a.span.offset - b.span.offset);
  return out;
}

/** The resource that a string of a statement's `Resource` or `NotResource` is. */
export function resourceRefOf(model: PolicyModel, st: StatementModel, sv: StringValue): ResourceRef {
  const ref = resourceRefs(model, st).find((r) => r.item === sv);
  return ref ?? new Ref(sv, parsedResourceOf(model, sv), !!st.notResource?.items.includes(sv));
}

/** The decoded index where the resource part starts (0 for `*`). */
export function resourcePartStart(ref: ResourceRef): number {
  return ref.parsed.all ? 0 : ref.parsed.resource?.start ?? 0;
}

/** True when the resource part is known (no opaque range in it): the wildcard engine can compare it. */
export function isLiteralResource(ref: ResourceRef): ref is LiteralResource {
  return ref.resourcePart !== undefined && isLiteralRange(ref.item, resourcePartStart(ref), ref.value.length);
}

/** True when an ARN part is written in full (non-empty, no opaque range in it). */
export function isLiteralPart(ref: ResourceRef, part: ArnPart | undefined): part is ArnPart {
  return !!part && part.text !== '' && isLiteralRange(ref.item, part.start, part.end);
}

/** The partition, region and account of an ARN, when all three are written in full. */
export function literalScope(ref: ResourceRef): Required<ArnScope> | undefined {
  const p = ref.parsed;
  if (!isLiteralPart(ref, p.partition) || !isLiteralPart(ref, p.region) || !isLiteralPart(ref, p.account)) return undefined;
  return { partition: p.partition.text, region: p.region.text, account: p.account.text };
}

const LITERAL_REFS = {};

/** The resources of a statement whose resource part is known, once per statement. */
export function literalResources(model: PolicyModel, st: StatementModel): LiteralResource[] {
  return statementMemo(model, st, LITERAL_REFS, readLiteralResources);
}

function readLiteralResources(model: PolicyModel, st: StatementModel): LiteralResource[] {
  return resourceRefs(model, st).filter(isLiteralResource);
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

function inRanges(ranges: readonly { start: number; end: number }[], i: number): boolean {
  return ranges.some((r) => i >= r.start && i < r.end);
}

/** Positions of MQTT `+` and `#` in the name part of a resource, outside `${...}`. */
export function mqttWildcardPositions(ref: ResourceRef): number[] {
  if (ref.name === undefined || ref.nameStart === undefined) return [];
  if (!ref.name.includes('+') && !ref.name.includes('#')) return [];
  const out: number[] = [];
  for (let i = 0; i < ref.name.length; i++) {
    const c = ref.name[i];
    const at = ref.nameStart + i;
    if ((c === '+' || c === '#') && !inRanges(ref.item.variables, at) && isLiteralRange(ref.item, at, at + 1)) out.push(at);
  }
  return out;
}

/**
 * Topic problems of a `topic/` or `topicfilter/` resource, with decoded ranges in the resource
 * string. A problem is kept only when the topic levels it is in are known: an opaque range may
 * hold any text, slashes included.
 */
/**
 * `checkTopic` of a topic (`topic`) or filter (`topicfilter`) name, kept between analyses: a pure
 * function of the two, asked of every topic of the policy on every keystroke.
 */
const topicChecks = ((): ((kind: 'topic' | 'topicfilter', name: string) => readonly TopicProblem[]) => {
  const topics = memoizeString((name) => Object.freeze(checkTopic(name, 'topic')), 4096);
  const filters = memoizeString((name) => Object.freeze(checkTopic(name, 'topicfilter')), 4096);
  return (kind, name) => (kind === 'topic' ? topics(name) : filters(name));
})();

export function topicProblems(ref: ResourceRef): TopicProblem[] {
  if ((ref.type !== 'topic' && ref.type !== 'topicfilter') || ref.name === undefined || ref.nameStart === undefined) return [];
  const r = ref as Ref;
  if (!r.topics) {
    const base = ref.nameStart;
    r.topics = topicChecks(ref.type as 'topic' | 'topicfilter', ref.name)
      .map((p) => ({ ...p, start: p.start + base, end: p.end + base }))
      .filter((p) => {
        const levelStart = ref.value.lastIndexOf('/', p.start - 1) + 1;
        const slash = ref.value.indexOf('/', p.end);
        return isLiteralRange(ref.item, levelStart, slash === -1 ? ref.value.length : slash);
      });
  }
  return r.topics;
}

// ---------------------------------------------------------------------------------------------
// Conditions that scope Connect
// ---------------------------------------------------------------------------------------------

/** True when the statement requires `iot:Connection.Thing.IsAttached` to be true. */
export function requiresAttachedThing(st: StatementModel): boolean {
  for (const op of st.condition?.operators ?? []) {
    const name = op.operator;
    if (name !== 'Bool' && name !== 'StringEquals' && name !== 'StringEqualsIgnoreCase') continue;
    for (const k of op.keys) {
      if (k.key.toLowerCase() !== 'iot:connection.thing.isattached') continue;
      const isTrue = (v: (typeof k.values)[number]): boolean => (v.kind === 'boolean' ? v.node.value === true : v.str?.value.toLowerCase() === 'true');
      if (k.values.length && k.values.every(isTrue)) return true;
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
      const pinned = (v: (typeof k.values)[number]): boolean => v.str !== undefined && v.str.value !== '' && !v.str.value.includes('${iot:ClientId}');
      if (k.values.length && k.values.every(pinned)) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Broad access (Device Defender IOT_POLICY_OVERLY_PERMISSIVE_CHECK)
// ---------------------------------------------------------------------------------------------

/** A thing name no realistic prefix pattern matches: stands for "some other device". */
const PROBE_THING = '\uE000';

function probeTopics(): { topics: string[]; filters: string[] } {
  const topics = RESERVED_TOPICS
    .filter((t) => t.family === 'shadow' || t.family === 'named-shadow' || t.family === 'jobs')
    .map((t) => t.template.split(THING_NAME_REF).join(PROBE_THING).replace(/<[^>]*>/g, 'x'));
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
  const r = ref as Ref;
  if (!r.tokens) r.tokens = parsePattern(ref.resourcePart!, { variables: model.variablesEnabled });
  return r.tokens;
}

function firstWildcard(ref: ResourceRef, from: number): number {
  for (let i = from; i < ref.value.length; i++) {
    const c = ref.value[i];
    if ((c === '*' || c === '?' || c === '+' || c === '#') && !inRanges(ref.item.variables, i)) return i;
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
 * whose resource must be `*`, Connect when the statement requires an attached thing, and a
 * resource part a template leaves (partly) unknown.
 */
export function broadAccess(model: PolicyModel, st: StatementModel, ref: ResourceRef): BroadAccess | undefined {
  const r = ref as Ref;
  if (r.broad === undefined) r.broad = computeBroadAccess(model, st, ref) ?? null;
  return r.broad ?? undefined;
}

/**
 * Does the resource part contain every resource of type `t` (the pattern `t/*`)? Settled from the
 * text when it can be (no `*`, or a literal head that does not fit `t/`); tokens and the exact
 * containment search only for the rest. Memoised per resource and type.
 */
function coversAllOfType(model: PolicyModel, ref: LiteralResource, t: string): boolean {
  const memo = ((ref as unknown as Ref).coversAll ??= {});
  let v = memo[t];
  if (v === undefined) {
    const rp = ref.resourcePart;
    const prefix = `${t}/`;
    v = rp.includes('*') && headFits(rp, prefix) && !certainlyNotAllWithPrefix(refTokens(model, ref), prefix)
      && patternContains(refTokens(model, ref), parsePattern(`${t}/*`));
    memo[t] = v;
  }
  return v;
}

/** Does the resource match one of the probe topics (another device's reserved topics) of its type? */
function matchesProbe(model: PolicyModel, ref: LiteralResource, t: 'topic' | 'topicfilter'): boolean {
  const rp = ref.resourcePart;
  // An unresolved variable matches no concrete topic (see matchWildcard): no probe can match.
  if (model.variablesEnabled && hasVariableToken(rp)) return false;
  // `headFits(rp, p)` for every probe, with the head cut once.
  const head = literalHead(rp);
  for (const p of PROBE_RESOURCES[t]) {
    if (!p.startsWith(head)) continue;
    const tokens = refTokens(model, ref);
    if (tokens.some((x) => x.kind === 'var')) return false;
    if (matchWildcard(tokens, p)) return true;
  }
  return false;
}

/** The range of the thing level of `$aws/things/<thing>/...` and what scopes it to the connected thing. */
function otherDevicesFix(ref: LiteralResource, nameStart: number): { range: [number, number]; suggestion?: string } {
  const name = ref.name ?? '';
  if (!name.startsWith('$aws/things/')) {
    const w = firstWildcard(ref, nameStart);
    return { range: w === -1 ? [nameStart, ref.value.length] : [w, w + 1] };
  }
  const levelStart = nameStart + '$aws/things/'.length;
  const slash = ref.value.indexOf('/', levelStart);
  const levelEnd = slash === -1 ? ref.value.length : slash;
  const level = ref.value.slice(levelStart, levelEnd);
  let suggestion = THING_NAME_REF;
  if (level === '*' && slash === -1) suggestion = `${THING_NAME_REF}/*`;
  else if (level === '#') suggestion = `${THING_NAME_REF}/#`;
  return { range: [levelStart, levelEnd], suggestion };
}

function computeBroadAccess(model: PolicyModel, st: StatementModel, ref: ResourceRef): BroadAccess | undefined {
  if (effectOf(st) !== 'Allow' || !st.action || !st.resource || ref.not) return undefined;
  if (ref.type === undefined || ref.type.startsWith('other:') || !isLiteralResource(ref)) return undefined;
  // The fleet-sensitive actions of the statement, each once, in order.
  const infos: ActionInfo[] = [];
  for (const a of actionEntries(model, st)) for (const i of a.infos) if (i.fleetSensitive && !infos.includes(i)) infos.push(i);
  if (!infos.length) return undefined;
  const rpStart = resourcePartStart(ref);
  const nameStart = ref.nameStart ?? rpStart;
  const whole: [number, number] = [rpStart, ref.value.length];
  const named: [number, number] = [nameStart, ref.value.length];
  let result: BroadAccess | undefined;
  const add = (kind: BroadKind, action: string, range: [number, number], suggestion?: string): void => {
    if (!result) result = { kind, actions: [action], range, suggestion };
    else if (!result.actions.includes(action)) result.actions.push(action);
  };
  for (const info of infos) {
    const t = info.resourceTypes[0];
    if (t === '*' || !coversType(ref, t)) continue;
    if (t === 'client' && (requiresAttachedThing(st) || restrictsClientId(st))) continue;
    if (coversAllOfType(model, ref, t)) {
      if (ref.type === '*' || isPatternText(ref.type)) add('all-resources', info.name, whole);
      else if (t === 'client') add('any-client', info.name, named, THING_NAME_REF);
      else if (t === 'thing') add('any-thing', info.name, named, THING_NAME_REF);
      else add('any-topic', info.name, named, t === 'topic' || t === 'topicfilter' ? `${THING_NAME_REF}/*` : THING_NAME_REF);
      continue;
    }
    if (t === 'client' && model.variablesEnabled && ref.type === 'client' && ref.name === '${iot:ClientId}') {
      add('client-id-variable', info.name, named, THING_NAME_REF);
      continue;
    }
    if ((t === 'topic' || t === 'topicfilter') && ref.type === t && matchesProbe(model, ref, t)) {
      const fix = otherDevicesFix(ref, nameStart);
      add('other-devices-topics', info.name, fix.range, fix.suggestion);
    }
  }
  return result;
}
