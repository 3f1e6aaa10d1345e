/**
 * Security rules: the Device Defender audit patterns (overly permissive policies, potentially
 * misconfigured Deny statements), client-ID variables, thing attachment, action dependencies and
 * Greengrass variable support.
 *
 * Every question about which topics, filters or client IDs a resource covers is answered by the
 * shared wildcard engine (`match/wildcard.ts`), never by comparing strings by eye.
 */
import type { PolicyNode as Node } from '../policy/tree';
import { findAction, IOT_POLICY_ACTIONS, isThingVariable, lookupVariable, type ResourceType } from '../catalog';
import { modelMemo, type PolicyModel, type Span, type StatementModel, type StringValue } from '../policy/model';
import { certainlyDisjoint, textCertainlyUnmatched, textsCertainlyDisjoint } from '../match/prefilter';
import { matchWildcard, parsePattern, patternContains, patternsOverlap, type PatternToken } from '../match/wildcard';
import {
  actionEntries,
  actionMatches,
  broadAccess,
  type BroadKind,
  contentSpan,
  coversType,
  effectOf,
  mqttWildcardPositions,
  requiresAttachedThing,
  topicProblems,
  restrictsClientId,
  type ResourceRef,
  resourceRefs,
  refTokens,
  statementsFor,
} from './resources';
import type { RelatedFinding, Rule, RuleContext } from './types';

const OVERLY_PERMISSIVE = 'Device Defender audit check `IOT_POLICY_OVERLY_PERMISSIVE_CHECK`, reason `ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS`';
const MISCONFIG = 'IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK';
const THING_VAR = '${iot:Connection.Thing.ThingName}';
const ATTACHED_CONDITION = { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } };

const IOT_PREFIXED = IOT_POLICY_ACTIONS.filter((a) => a.name.startsWith('iot:')).map((a) => a.name);

/** An action pattern that grants every `iot:` data-plane action (`*`, `iot:*`, `iot*`). */
function grantsAllIotActions(pattern: string): boolean {
  if (!pattern.includes('*')) return false;
  return IOT_PREFIXED.every((a) => actionMatches(pattern, a));
}

function allowStatements(model: PolicyModel, action: string): StatementModel[] {
  return statementsFor(model, 'Allow', action);
}

function denyStatements(model: PolicyModel, action: string): StatementModel[] {
  return statementsFor(model, 'Deny', action);
}

/** Usable for pattern questions: a parsed resource part with no CloudFormation expression in it. */
function usable(ref: ResourceRef): ref is ResourceRef & { resourcePart: string } {
  if (ref.resourcePart === undefined) return false;
  if (!ref.synthetic) return true;
  const start = ref.parsed.resource?.start ?? 0;
  return !ref.parsed.all && !ref.opaque.some(([a]) => a >= start);
}

/** The resource part of a usable resource as wildcard-engine tokens (parsed once per resource). */
function tokensOf(model: PolicyModel, ref: ResourceRef & { resourcePart: string }): PatternToken[] {
  return refTokens(model, ref);
}

/** The usable resources of a statement, once per model. */
const USABLE_REFS = {};
function usableRefs(model: PolicyModel, st: StatementModel): (ResourceRef & { resourcePart: string })[] {
  const memo = modelMemo(model, USABLE_REFS, () => new Map<StatementModel, (ResourceRef & { resourcePart: string })[]>());
  let refs = memo.get(st);
  if (!refs) {
    refs = resourceRefs(model, st).filter(usable);
    memo.set(st, refs);
  }
  return refs;
}

/**
 * A pattern as its text and, built on demand, its tokens: most pairs of resources are settled by
 * the cheap tests of `match/prefilter` on the text, and never tokenised. A usable resource is
 * its own `Pat` (its resource part, its memoised tokens).
 */
interface Pat {
  text: string;
  tokens(): PatternToken[];
}

type Usable = ResourceRef & { resourcePart: string };

function textPat(model: PolicyModel, text: string): Pat {
  let t: PatternToken[] | undefined;
  return { text, tokens: () => (t ??= parsePattern(text, { variables: model.variablesEnabled })) };
}

/** `patternsOverlap(resource, pattern)` after the cheap tests that settle most pairs of unrelated resources. */
function overlap(model: PolicyModel, a: Usable, b: Pat): boolean {
  if (textsCertainlyDisjoint(a.resourcePart, b.text)) return false;
  const ta = tokensOf(model, a);
  const tb = b.tokens();
  return !certainlyDisjoint(ta, tb) && patternsOverlap(ta, tb);
}

/** `patternContains(outer, inner)` after the same cheap tests (containment implies overlap). */
function contains(model: PolicyModel, outer: Usable, inner: Usable | Pat): boolean {
  const innerText = 'resourcePart' in inner ? inner.resourcePart : inner.text;
  if (textsCertainlyDisjoint(outer.resourcePart, innerText)) return false;
  const to = tokensOf(model, outer);
  const ti = 'resourcePart' in inner ? tokensOf(model, inner) : inner.tokens();
  return !certainlyDisjoint(to, ti) && patternContains(to, ti);
}

/**
 * Pattern comparisons are pairs of resources, so a huge document could make a rule quadratic.
 * Rules spend from a budget per run; when it runs out they stop and report nothing more (policies
 * that big are far over AWS's 2,048-character limit anyway, which policy-too-large reports).
 */
class Budget {
  constructor(private left: number) {}
  spend(n = 1): boolean {
    this.left -= n;
    return this.left >= 0;
  }
  get exhausted(): boolean {
    return this.left < 0;
  }
}
const PAIR_BUDGET = 2_000;
const MATCH_BUDGET = 50_000;

function itemSpan(ref: ResourceRef, start: number, end: number): Span {
  return ref.spanOf(start, end);
}

// ---------------------------------------------------------------------------------------------
// overly-permissive
// ---------------------------------------------------------------------------------------------

/** What a fleet-wide resource gives one action, e.g. `iot:Connect` → "any client ID". */
function reachOf(action: string): string {
  const info = findAction(action);
  switch (info?.resourceTypes[0]) {
    case 'client': return 'any client ID';
    case 'topic': return info.name === 'iot:Publish' || info.name === 'iot:Receive' ? 'any topic (other devices\' shadow and jobs topics included)' : 'any topic';
    case 'topicfilter': return 'any topic filter';
    case 'thing': return info.group === 'shadow' ? 'any thing\'s shadows' : info.group === 'jobs' ? 'any thing\'s jobs' : 'any thing';
    case 'rolealias': return 'any role alias';
    default: return 'any resource';
  }
}

function scopedExample(t: ResourceType): string {
  return `\`${t}/${THING_VAR}${t === 'topic' || t === 'topicfilter' ? '/*' : ''}\``;
}

/** "read or change the shadows" / "the jobs" / "the shadows and jobs", from the actions' groups. */
function thingReach(actions: string[]): string {
  const groups = new Set(actions.map((a) => findAction(a)?.group));
  const shadow = groups.has('shadow');
  const jobs = groups.has('jobs');
  if (shadow && jobs) return 'read or change the shadows and jobs';
  if (jobs) return 'read or update the jobs';
  if (shadow) {
    const writes = actions.some((a) => /Update|Delete/.test(a));
    const reads = actions.some((a) => /Get|List/.test(a));
    return writes && reads ? 'read or change the shadows' : writes ? 'change or delete the shadows' : 'read the shadows';
  }
  return 'act on';
}

function broadMessage(kind: BroadKind, actions: string[], ref: ResourceRef): string {
  const acts = actions.map((a) => `\`${a}\``).join(', ');
  const what = `\`${ref.resourcePart ?? ref.value}\``;
  switch (kind) {
    case 'all-resources': {
      const types = [...new Set(actions.map((a) => findAction(a)?.resourceTypes[0]).filter((t): t is ResourceType => !!t))];
      const reach = actions.length === 1 ? reachOf(actions[0]) : actions.map((a) => `\`${a}\` ${reachOf(a)}`).join(', ');
      const examples = types.map(scopedExample).join(', ');
      return `${what} gives ${actions.length > 1 ? 'this statement\'s actions' : `\`${actions[0]}\``} the whole fleet: ${reach}, so one compromised device certificate reaches every device. Scope ${actions.length > 1 ? 'each' : 'it'} to the device, e.g. ${examples}${types.includes('client') ? ' (with `iot:Connection.Thing.IsAttached` for Connect)' : ''}.`;
    }
    case 'any-client':
      return `${what} lets a device connect with any client ID, including another device's (AWS IoT keeps one connection per client ID, so the other device is disconnected). Use \`client/${THING_VAR}\` with the condition \`"Bool": {"iot:Connection.Thing.IsAttached": "true"}\`.`;
    case 'client-id-variable':
      return `\`client/\${iot:ClientId}\` matches whatever client ID the device sends, so without a condition requiring \`iot:Connection.Thing.IsAttached\` it is the same as \`client/*\`. Use \`client/${THING_VAR}\` and add \`"Bool": {"iot:Connection.Thing.IsAttached": "true"}\`.`;
    case 'any-thing':
      return `${what} lets ${acts} ${thingReach(actions)} of every thing in the account. Use \`thing/${THING_VAR}\` (or list the things).`;
    case 'any-topic':
      return `${what} lets ${acts} use every ${ref.type === 'topicfilter' ? 'topic filter' : 'topic'}, including other devices' reserved shadow and jobs topics. Name the device's own topics, e.g. \`${ref.type}/${THING_VAR}/*\`.`;
    case 'other-devices-topics':
      return `${what} lets ${acts} use the reserved shadow or jobs topics of every device, not only the connected one's. Put \`${THING_VAR}\` in the thing level.`;
  }
}

/**
 * The IoT policy actions a wildcard action (or a NotAction list) can take effect with on the
 * statement's resources, or undefined when a resource is `*`, a type pattern or unparsed (any
 * action can take effect) or is itself fleet-wide.
 */
function effectiveActions(model: PolicyModel, st: StatementModel, granted: (action: string) => boolean): string[] | undefined {
  const refs = resourceRefs(model, st);
  if (!refs.length) return undefined;
  for (const r of refs) {
    if (r.type === undefined || r.type === '*' || r.not || r.type.includes('*') || r.type.includes('?')) return undefined;
    if (broadAccess(model, st, r)) return undefined;
  }
  return IOT_POLICY_ACTIONS.filter((a) => granted(a.name) && refs.some((r) => a.resourceTypes.some((t) => coversType(r, t)))).map((a) => a.name);
}

/**
 * On an action (`*`, `iot:*`): data `{ reason, suggestions: [] }`, related: the resources.
 * On a resource: data `{ reason, kind, actions, suggestions?: [replacement for the span],
 * addCondition? }` — `kind` is one of BroadKind; `addCondition` (for Connect) is the condition
 * block the fix adds to the statement.
 */
const overlyPermissive: Rule = {
  meta: {
    id: 'overly-permissive', defaultSeverity: 'warning', category: 'security',
    description: 'Device Defender overly-permissive patterns: `iot:*` or `*` actions, `*` resources for data-plane actions, `client/*`, `thing/*`, other devices\' reserved topics.',
    deviceDefender: { check: 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK', reason: 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS' },
  },
  check(ctx) {
    const { model } = ctx;
    for (const st of model.statements) {
      if (effectOf(st) === 'Allow' && !st.action && st.notAction?.prop.value) {
        reportAllowNotAction(ctx, model, st, st.notAction.prop.value);
        continue;
      }
      if (effectOf(st) !== 'Allow' || !st.action) continue;
      const all = st.action.items.find((i) => grantsAllIotActions(i.value));
      if (all) {
        const refs = resourceRefs(model, st);
        const bare = all.value.replace(/\*+/g, '*') === '*';
        const effective = effectiveActions(model, st, (a) => actionMatches(all.value, a));
        if (effective) {
          // Narrow resources: only the actions authorised against them can take effect.
          const list = effective.map((a) => `\`${a}\``).join(', ');
          const where = refs.length === 1 ? 'this resource' : 'these resources';
          ctx.report({
            span: contentSpan(all),
            message: effective.length
              ? `\`${all.value}\` on ${where} allows ${list}; list only those the device needs (AWS recommends naming actions instead of wildcards, so that a later action does not become allowed by accident).`
              : `\`${all.value}\` on ${where} allows no AWS IoT data-plane action (none is authorised against ${where}); name the actions the device needs.`,
            data: { kind: 'all-actions', narrow: true, actions: effective, ...(effective.length === 1 ? { suggestions: effective } : {}) },
            related: refs.map((r) => ({ span: r.span, message: 'resource the actions apply to' })),
          });
          continue;
        }
        ctx.report({
          span: contentSpan(all),
          message: `\`${all.value}\` allows ${bare ? 'every action of every AWS service, and so ' : ''}every AWS IoT data-plane action: connecting with any client ID, publishing, subscribing, receiving, and reading or changing shadows, jobs and retained messages. A device needs only a few; list them (e.g. \`iot:Connect\`, \`iot:Publish\`, \`iot:Subscribe\`, \`iot:Receive\`) on its own resources (${OVERLY_PERMISSIVE}).`,
          data: { reason: 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS', kind: 'all-actions' },
          related: refs.map((r) => ({ span: r.span, message: 'resource the actions apply to' })),
        });
        continue;
      }
      for (const ref of resourceRefs(model, st)) {
        const b = broadAccess(model, st, ref);
        if (!b) continue;
        const data: Record<string, unknown> = { reason: 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS', kind: b.kind, actions: b.actions };
        if (b.suggestion) data.suggestions = [b.suggestion];
        if (b.kind === 'any-client' || b.kind === 'client-id-variable') data.addCondition = ATTACHED_CONDITION;
        ctx.report({
          span: itemSpan(ref, b.range[0], b.range[1]),
          message: `${broadMessage(b.kind, b.actions, ref)} (${OVERLY_PERMISSIVE}.)`,
          data,
        });
      }
    }
  },
};

/** An Allow with `NotAction` grants every action it does not list (data `{ kind: 'not-action', actions }`). */
function reportAllowNotAction(ctx: RuleContext, model: PolicyModel, st: StatementModel, value: Node): void {
  const excluded = st.notAction!.items.map((i) => i.value);
  const granted = (a: string): boolean => !excluded.some((x) => actionMatches(x, a));
  const effective = effectiveActions(model, st, granted);
  const list = effective ?? IOT_POLICY_ACTIONS.filter((a) => granted(a.name)).map((a) => a.name);
  const shown = list.slice(0, 6).map((a) => `\`${a}\``).join(', ') + (list.length > 6 ? ` and ${list.length - 6} more` : '');
  const scope = effective ? (resourceRefs(model, st).length === 1 ? 'on this resource' : 'on these resources') : 'on every device\'s resources';
  ctx.report({
    span: { offset: value.offset, length: value.length },
    message: `An Allow with \`NotAction\` allows every action it does not list: ${list.length ? `here ${shown} ${scope}` : 'no AWS IoT action here, but'}, and any action AWS adds later. Name the actions the device needs in \`Action\` instead${effective ? '' : ` (${OVERLY_PERMISSIVE})`}.`,
    data: { kind: 'not-action', actions: list, ...(effective ? {} : { reason: 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS' }) },
  });
}

// ---------------------------------------------------------------------------------------------
// not-action
// ---------------------------------------------------------------------------------------------

/** data: `{ statementIndex, effect, listed: [the NotAction values] }`. */
const notAction: Rule = {
  meta: {
    id: 'not-action', defaultSeverity: 'warning', category: 'security',
    description: '`NotAction`, which AWS does not document for IoT policies and which covers every action it does not list.',
  },
  check(ctx) {
    for (const st of ctx.model.statements) {
      if (!st.notAction) continue;
      const effect = effectOf(st);
      const listed = st.notAction.items.map((i) => i.value);
      const consequence = effect === 'Deny'
        ? 'in a Deny it would deny every action it does not list, usually far more than intended'
        : 'in an Allow it would allow every action it does not list';
      ctx.report({
        span: contentSpan(st.notAction.prop.keyValue),
        message: `\`NotAction\` is not documented for AWS IoT policies (AWS's IoT policy examples only use \`Action\`), so AWS IoT may not honour it as IAM does; ${consequence}. List the actions in \`Action\` instead.`,
        data: { statementIndex: st.index, effect, listed },
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------
// mqtt-wildcard-in-deny
// ---------------------------------------------------------------------------------------------

/** data: `{ suggestions: ['*'], wildcard: '+' | '#' }`. */
const mqttWildcardInDeny: Rule = {
  meta: {
    id: 'mqtt-wildcard-in-deny', defaultSeverity: 'warning', category: 'security',
    description: '`+` or `#` in a Deny statement, where they are literal characters and the Deny blocks less than intended.',
    deviceDefender: { check: MISCONFIG, reason: 'POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT' },
  },
  check(ctx) {
    for (const st of ctx.model.statements) {
      if (effectOf(st) !== 'Deny') continue;
      for (const ref of resourceRefs(ctx.model, st)) {
        for (const at of mqttWildcardPositions(ref)) {
          const ch = ref.value[at];
          const name = ref.name ?? '';
          const example = ch === '#' ? name.replace('#', 'data1') : name.replace('+', 'device1');
          ctx.report({
            span: ref.spanOf(at, at + 1),
            message: `\`${ch}\` is a literal character in a policy, so this Deny only blocks the resource literally named \`${name}\`; \`${example}\` is still allowed wherever an Allow covers it. Use the policy wildcard \`*\`${ref.type === 'topicfilter' ? ', and also deny `iot:Receive` on the matching `topic/` ARN' : ''} (Device Defender audit check \`${MISCONFIG}\`, reason \`POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT\`).`,
            data: { suggestions: ['*'], wildcard: ch },
          });
        }
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// deny-bypassed-by-wildcard
// ---------------------------------------------------------------------------------------------

/** Replaces variables by fixed private-use characters, so one variable is one unknown fixed value. */
class VariableProbes {
  private readonly ids = new Map<string, string>();
  private readonly cache = new Map<ResourceRef, PatternToken[]>();
  concreteOf(model: PolicyModel, ref: ResourceRef & { resourcePart: string }): PatternToken[] {
    let t = this.cache.get(ref);
    if (!t) {
      t = this.concrete(tokensOf(model, ref));
      this.cache.set(ref, t);
    }
    return t;
  }
  concrete(tokens: readonly PatternToken[]): PatternToken[] {
    const out: PatternToken[] = [];
    for (const t of tokens) {
      if (t.kind !== 'var') out.push(t);
      else for (const ch of this.probe(t.name)) out.push({ kind: 'lit', ch });
    }
    return out;
  }
  probe(name: string): string {
    let p = this.ids.get(name);
    if (!p) {
      p = String.fromCharCode(0xe100 + this.ids.size);
      this.ids.set(name, p);
    }
    return p;
  }
  display(s: string): string {
    let out = s;
    for (const [name, p] of this.ids) out = out.split(p).join('${' + name + '}');
    return out;
  }
}

/** MQTT filter matching as AWS IoT does it (`a/#` matches `a/x` and `a/`, not `a`). */
export function mqttFilterMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return i === f.length - 1 && t.length > i;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** The first resource of the statement that applies to `resource` (a resource part such as `topic/a/b`), honouring NotResource. */
function statementResourceMatch(model: PolicyModel, st: StatementModel, resource: string, probes: VariableProbes, budget: Budget): ResourceRef | 'not-resource' | undefined {
  const refs = usableRefs(model, st);
  const matches = (r: ResourceRef & { resourcePart: string }): boolean => budget.spend() && !textCertainlyUnmatched(r.resourcePart, resource) && matchWildcard(probes.concreteOf(model, r), resource);
  if (st.resource) return refs.find(matches);
  if (st.notResource) return refs.length && !refs.some(matches) ? 'not-resource' : undefined;
  return undefined;
}

function bypassCandidates(topic: string): string[] {
  const levels = topic.split('/');
  const out: string[] = [];
  // Longest `#` prefix first (`building/#` before `#`).
  for (let k = levels.length - 1; k >= 0; k--) out.push([...levels.slice(0, k), '#'].join('/'));
  for (let k = levels.length - 1; k >= 1; k--) {
    for (let i = 0; i < k; i++) {
      const l = levels.slice(0, k);
      l[i] = '+';
      out.push([...l, '#'].join('/'));
    }
  }
  for (let i = 0; i < levels.length; i++) {
    const l = [...levels];
    l[i] = '+';
    out.push(l.join('/'));
  }
  return out.filter((f) => mqttFilterMatches(f, topic));
}

/**
 * data: `{ receiveDenyResources: [topic ARNs], bypassFilter, exampleTopic }` — the fix adds a
 * Deny statement on `iot:Receive` for `receiveDenyResources`.
 */
const denyBypassedByWildcard: Rule = {
  meta: {
    id: 'deny-bypassed-by-wildcard', defaultSeverity: 'warning', category: 'security',
    description: 'A Deny on Subscribe that a broader allowed wildcard filter gets around, because no Deny on Receive covers those topics.',
    deviceDefender: { check: MISCONFIG, reason: 'TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS' },
  },
  check(ctx) {
    const { model } = ctx;
    const subDenies = denyStatements(model, 'iot:Subscribe');
    if (!subDenies.length) return;
    const subAllows = allowStatements(model, 'iot:Subscribe');
    if (!subAllows.length) return;
    const recvDenies = denyStatements(model, 'iot:Receive');
    const recvAllows = allowStatements(model, 'iot:Receive');
    const probes = new VariableProbes();
    const budget = new Budget(MATCH_BUDGET);
    for (const st of subDenies) {
      if (!st.resource) continue;
      for (const ref of resourceRefs(model, st)) {
        if (ref.type !== 'topicfilter' || ref.name === undefined || ref.nameStart === undefined || !usable(ref)) continue;
        if (mqttWildcardPositions(ref).length) continue; // mqtt-wildcard-in-deny reports it
        if (ref.name.startsWith('$share/')) continue;
        // A topic the Deny is meant to keep from the device: its filter pattern with wildcards filled in.
        const tokens = probes.concrete(parsePattern(ref.name, { variables: model.variablesEnabled }));
        const topic = tokens.map((t) => (t.kind === 'lit' ? t.ch : 'x')).join('');
        if (!topic || topic.includes('#') || topic.includes('+')) continue;
        let found: { filter: string; allow: ResourceRef | 'not-resource' } | undefined;
        for (const f of bypassCandidates(topic)) {
          const target = `topicfilter/${f}`;
          let allow: ResourceRef | 'not-resource' | undefined;
          for (const a of subAllows) {
            allow = statementResourceMatch(model, a, target, probes, budget);
            if (allow) break;
          }
          if (!allow) continue;
          if (subDenies.some((d) => statementResourceMatch(model, d, target, probes, budget))) continue;
          found = { filter: f, allow };
          break;
        }
        if (budget.exhausted) return;
        if (!found) continue;
        const topicRes = `topic/${topic}`;
        if (recvDenies.some((d) => statementResourceMatch(model, d, topicRes, probes, budget))) continue;
        let recvAllow: ResourceRef | 'not-resource' | undefined;
        for (const a of recvAllows) {
          recvAllow = statementResourceMatch(model, a, topicRes, probes, budget);
          if (recvAllow) break;
        }
        if (budget.exhausted) return;
        if (recvAllows.length && !recvAllow) continue;
        const filterText = probes.display(found.filter);
        const topicText = probes.display(topic);
        const related: RelatedFinding[] = [];
        if (found.allow !== 'not-resource') related.push({ span: found.allow.span, message: `this Allow lets a client subscribe to \`${filterText}\`` });
        if (recvAllow && recvAllow !== 'not-resource') related.push({ span: recvAllow.span, message: `this Allow delivers \`${topicText}\` to the client` });
        const receiveDeny = ref.value.slice(0, ref.parsed.resource!.start) + 'topic/' + ref.name;
        ctx.report({
          span: ref.spanOf(ref.nameStart, ref.value.length),
          message: `This Deny does not keep \`${topicText}\` from the device: \`iot:Subscribe\` is checked against the literal filter, so a client can subscribe to \`${filterText}\` (allowed elsewhere in this policy) and then receive \`${topicText}\`, because no Deny on \`iot:Receive\` covers it. Add a Deny on \`iot:Receive\` for \`topic/${ref.name}\` (Device Defender audit check \`${MISCONFIG}\`, reason \`TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS\`).`,
          data: { receiveDenyResources: [receiveDeny], bypassFilter: filterText, exampleTopic: topicText },
          related,
        });
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// client-id-variable-unrestricted
// ---------------------------------------------------------------------------------------------

/** A resource of an Allow-Connect statement that lets a client connect with any client ID (`#`, `+`, ...). */
function unrestrictedConnect(model: PolicyModel): ResourceRef | undefined {
  for (const st of allowStatements(model, 'iot:Connect')) {
    if (!st.resource || requiresAttachedThing(st) || restrictsClientId(st)) continue;
    for (const ref of resourceRefs(model, st)) {
      if (!usable(ref)) continue;
      if (model.variablesEnabled && ref.type === 'client' && ref.name === '${iot:ClientId}') return ref;
      if (textCertainlyUnmatched(ref.resourcePart, 'client/#') || textCertainlyUnmatched(ref.resourcePart, 'client/+')) continue;
      const tokens = tokensOf(model, ref);
      if (matchWildcard(tokens, 'client/#') && matchWildcard(tokens, 'client/+')) return ref;
    }
  }
  return undefined;
}

/** data: `{ suggestions: ['${iot:Connection.Thing.ThingName}'] }`; related: the Connect resource. */
const clientIdVariableUnrestricted: Rule = {
  meta: {
    id: 'client-id-variable-unrestricted', defaultSeverity: 'warning', category: 'security',
    description: '`${iot:ClientId}` in a topic or topic filter while Connect allows any client ID, so a client can connect as `+` or `#`.',
  },
  check(ctx) {
    const { model } = ctx;
    if (!model.variablesEnabled) return;
    let connect: ResourceRef | undefined | null = null;
    for (const st of model.statements) {
      if (effectOf(st) !== 'Allow') continue;
      for (const ref of resourceRefs(model, st)) {
        if (!ref.item || (ref.type !== 'topic' && ref.type !== 'topicfilter') || ref.nameStart === undefined) continue;
        for (const v of ref.item.variables) {
          if (v.form !== 'braces' || v.name !== 'iot:ClientId' || v.start < ref.nameStart) continue;
          if (connect === null) connect = unrestrictedConnect(model);
          if (!connect) return;
          ctx.report({
            span: v.span,
            message: `\`\${iot:ClientId}\` is whatever client ID the device connects with, and \`iot:Connect\` here allows any client ID, so ${ref.type === 'topicfilter'
              ? `a client can connect as \`#\` and this resource becomes \`topicfilter/${ref.name!.split('${iot:ClientId}').join('#')}\`, a subscription to every device's topics`
              : 'a client can connect with another device\'s client ID and use that device\'s topics'}. Restrict Connect (e.g. \`client/${THING_VAR}\` with \`iot:Connection.Thing.IsAttached\`) or use \`${THING_VAR}\` here.`,
            data: { suggestions: [THING_VAR] },
            related: [{ span: connect.span, message: 'this Connect resource allows any client ID' }],
          });
        }
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// connect-without-attached-thing
// ---------------------------------------------------------------------------------------------

const GREENGRASS_ACTION = {};
function hasGreengrassActions(model: PolicyModel): StringValue | undefined {
  return modelMemo(model, GREENGRASS_ACTION, () => {
    for (const st of model.statements) for (const a of st.action?.items ?? []) if (a.value.toLowerCase().startsWith('greengrass:')) return a;
    return undefined;
  });
}

/** data: `{ addCondition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } }, statementIndex }`. */
const connectWithoutAttachedThing: Rule = {
  meta: {
    id: 'connect-without-attached-thing', defaultSeverity: 'info', category: 'security',
    description: 'Connect on a thing-variable client ID without the `iot:Connection.Thing.IsAttached` condition.',
  },
  check(ctx) {
    const { model } = ctx;
    if (!model.variablesEnabled || hasGreengrassActions(model)) return;
    for (const st of allowStatements(model, 'iot:Connect')) {
      if (!st.resource || requiresAttachedThing(st)) continue;
      for (const ref of resourceRefs(model, st)) {
        if (!ref.item || ref.type !== 'client' || ref.nameStart === undefined) continue;
        const v = ref.item.variables.find((x) => x.form === 'braces' && isThingVariable(x.name) && !!lookupVariable(x.name) && x.start >= ref.nameStart!);
        if (!v) continue;
        ctx.report({
          span: v.span,
          message: `\`iot:Connect\` on \`client/${ref.name}\` has no \`"Bool": {"iot:Connection.Thing.IsAttached": "true"}\` condition. AWS's recommended (and Device Defender-compliant) form adds it, so that only a certificate attached to that thing can connect.`,
          data: { addCondition: ATTACHED_CONDITION, statementIndex: st.index },
        });
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// missing-dependent-action
// ---------------------------------------------------------------------------------------------

function topicArnFromFilter(ref: ResourceRef): string {
  // MQTT wildcards of the filter become the policy wildcard: the topics the filter delivers.
  const name = (ref.name ?? '').replace(/^\$share\/[^/]*\//, '').replace(/[+#]/g, '*');
  return ref.value.slice(0, ref.parsed.resource?.start ?? 0) + 'topic/' + name;
}

/**
 * data: `{ missingAction: 'iot:Connect' | 'iot:Publish' | 'iot:Receive', resources: [ARNs],
 * also?: [{ missingAction: 'iot:Connect', resources }] }` — the fix adds an Allow statement for
 * `missingAction` on `resources`. When one Subscribe lacks both Connect and Receive, there is one
 * finding: `missingAction` is `iot:Receive` and the Connect part is in `also`.
 */
const missingDependentAction: Rule = {
  meta: {
    id: 'missing-dependent-action', defaultSeverity: 'info', category: 'security',
    description: 'Publish or Subscribe with no Connect anywhere; RetainPublish without Publish on those topics; Subscribe without a matching Receive.',
  },
  check(ctx) {
    const { model } = ctx;
    const connectAllowed = allowStatements(model, 'iot:Connect').length > 0;
    let connectReported = false;
    const pubAllows = allowStatements(model, 'iot:Publish');
    const recvAllows = allowStatements(model, 'iot:Receive');
    const refsOf = (sts: StatementModel[]): (ResourceRef & { resourcePart: string })[] => sts.filter((p) => p.resource).flatMap((p) => usableRefs(model, p));
    const pubRefs = refsOf(pubAllows);
    const recvDenyRefs = refsOf(denyStatements(model, 'iot:Receive'));
    const budget = new Budget(PAIR_BUDGET);
    for (const st of model.statements) {
      if (effectOf(st) !== 'Allow' || !st.action || !st.resource) continue;
      const refs = resourceRefs(model, st);
      for (const a of actionEntries(model, st)) {
        if (a.wildcard || a.infos.length !== 1) continue;
        const name = a.infos[0].name;
        let connectData: { missingAction: 'iot:Connect'; resources: string[] } | undefined;
        if ((name === 'iot:Publish' || name === 'iot:Subscribe') && !connectAllowed && !connectReported) {
          connectReported = true;
          const first = refs.find((r) => r.parsed.region && r.parsed.account && !r.synthetic);
          const arn = first ? `arn:${first.parsed.partition!.text}:iot:${first.parsed.region!.text}:${first.parsed.account!.text}:client/${THING_VAR}` : `client/${THING_VAR}`;
          connectData = { missingAction: 'iot:Connect', resources: [arn] };
        }
        if (connectData && name === 'iot:Publish') {
          ctx.report({
            span: contentSpan(a.item),
            message: `MQTT clients also need \`iot:Connect\` (AWS checks it on every CONNECT), which no statement here allows. Allow it (e.g. on \`client/${THING_VAR}\` with \`iot:Connection.Thing.IsAttached\`); ignore this for HTTPS-only publishers or if another attached policy allows it.`,
            data: connectData,
          });
        }
        if (name === 'iot:RetainPublish') {
          const missing = refs.filter(usable).filter((r) => (r.type === 'topic' || r.type === '*')
            && !pubRefs.some((q) => !budget.spend() || contains(model, q, r)));
          if (budget.exhausted) return;
          if (missing.length) {
            ctx.report({
              span: contentSpan(a.item),
              message: `\`iot:RetainPublish\` only works together with \`iot:Publish\` on the same topic (AWS checks both for a retained PUBLISH), and no statement allows \`iot:Publish\` on ${missing.map((r) => `\`${r.resourcePart}\``).join(', ')}. Allow \`iot:Publish\` there too.`,
              data: { missingAction: 'iot:Publish', resources: missing.map((r) => r.value) },
            });
          }
        }
        if (name === 'iot:Subscribe') {
          const missing = refs.filter(usable).filter((r) => {
            // Filters no client can use are reported by invalid-topic.
            if (r.type !== 'topicfilter' || r.name === undefined || topicProblems(r).length) return false;
            // The topics a filter can deliver: its MQTT wildcards read as `*`.
            const delivered = textPat(model, 'topic/' + r.name.replace(/^\$share\/[^/]*\//, '').replace(/[+#]/g, '*'));
            // A Deny on Receive for these topics means the missing Allow is deliberate (AWS's "deny receiving" example).
            if (recvDenyRefs.some((q) => !budget.spend() || overlap(model, q, delivered))) return false;
            return !recvAllows.some((p) => {
              const qs = usableRefs(model, p);
              if (p.resource) return qs.some((q) => !budget.spend() || overlap(model, q, delivered));
              if (p.notResource) return !qs.some((q) => budget.spend() && contains(model, q, delivered));
              return false;
            });
          });
          if (budget.exhausted) return;
          const filters = missing.map((r) => `\`${r.resourcePart}\``).join(', ');
          if (missing.length && connectData) {
            // One finding for both: the Receive fix first, the Connect fix in `also`.
            ctx.report({
              span: contentSpan(a.item),
              message: `\`iot:Subscribe\` alone delivers nothing here: AWS checks \`iot:Connect\` on every MQTT CONNECT and \`iot:Receive\` on the topic of every message it delivers, and this policy allows neither (no \`iot:Receive\` on the topics of ${filters}). Allow \`iot:Connect\` (e.g. on \`client/${THING_VAR}\`) and \`iot:Receive\` on the matching \`topic/\` ARNs, unless another attached policy does.`,
              data: { missingAction: 'iot:Receive', resources: missing.map(topicArnFromFilter), also: [connectData] },
            });
          } else if (missing.length) {
            ctx.report({
              span: contentSpan(a.item),
              message: `Subscribing alone delivers nothing: AWS checks \`iot:Receive\` on the topic of every message it delivers, and no statement allows \`iot:Receive\` on the topics of ${filters}. Allow \`iot:Receive\` on the matching \`topic/\` ARNs, unless another attached policy does.`,
              data: { missingAction: 'iot:Receive', resources: missing.map(topicArnFromFilter) },
            });
          } else if (connectData) {
            ctx.report({
              span: contentSpan(a.item),
              message: `\`iot:Subscribe\` needs an MQTT connection, and \`iot:Connect\` (AWS checks it on every CONNECT) is allowed by no statement here. Allow it (e.g. on \`client/${THING_VAR}\` with \`iot:Connection.Thing.IsAttached\`), unless another attached policy does.`,
              data: connectData,
            });
          }
        }
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// thing-variable-in-greengrass-policy
// ---------------------------------------------------------------------------------------------

/** data: `{ variable }`; related: the Greengrass action. */
const thingVariableInGreengrassPolicy: Rule = {
  meta: {
    id: 'thing-variable-in-greengrass-policy', defaultSeverity: 'warning', category: 'security',
    description: 'Thing policy variables in a policy with Greengrass actions, where they do not resolve.',
  },
  check(ctx) {
    const { model } = ctx;
    const gg = hasGreengrassActions(model);
    if (!gg || !model.variablesEnabled) return;
    for (const st of model.statements) {
      const strings: StringValue[] = [...(st.resource?.items ?? []), ...(st.notResource?.items ?? [])];
      for (const op of st.condition?.operators ?? []) for (const k of op.keys) for (const v of k.values) if (v.str) strings.push(v.str);
      for (const s of strings) {
        for (const v of s.variables) {
          // Misspelled names are reported by the variable rules.
          if (v.form !== 'braces' || !isThingVariable(v.name) || !lookupVariable(v.name)) continue;
          ctx.report({
            span: v.span,
            message: `\`${v.text}\` does not resolve in a Greengrass V2 policy (AWS Greengrass does not support thing policy variables in the policies of core devices), so this resource matches nothing. Write the core device's thing name, or a prefix such as \`MyCoreDevice*\`.`,
            data: { variable: v.name },
            related: [{ span: contentSpan(gg), message: 'Greengrass action in this policy' }],
          });
        }
      }
    }
  },
};

export const securityRules: Rule[] = [
  overlyPermissive,
  notAction,
  mqttWildcardInDeny,
  denyBypassedByWildcard,
  clientIdVariableUnrestricted,
  connectWithoutAttachedThing,
  missingDependentAction,
  thingVariableInGreengrassPolicy,
];
