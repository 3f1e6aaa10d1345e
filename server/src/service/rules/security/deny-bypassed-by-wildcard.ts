/**
 * `deny-bypassed-by-wildcard`: a Deny on Subscribe that a broader allowed wildcard filter gets
 * around, because no Deny on Receive covers those topics (Device Defender
 * `TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS`). Decided by the wildcard engine on a
 * concrete topic the Deny means to keep from the device; the fix adds that Deny on Receive.
 */
import { literalResources, mqttWildcardPositions, isLiteralResource, resourceRefs, refTokens, type LiteralResource, type ResourceRef } from '../../analysis/resources';
import { textCertainlyUnmatched } from '../../match/prefilter';
import { matchWildcard, parsePattern, type PatternToken } from '../../match/wildcard';
import type { PolicyModel, StatementModel } from '../../policy/model';
import { defineRule, type RelatedFinding, type RuleMeta } from '../rule';
import { addReceiveDeny, allowStatements, Budget, denyStatements, MATCH_BUDGET, MISCONFIG } from './shared';

const meta: RuleMeta = {
  id: 'deny-bypassed-by-wildcard', defaultSeverity: 'warning', category: 'security',
  description: 'A Deny on Subscribe that a broader allowed wildcard filter gets around, because no Deny on Receive covers those topics.',
  deviceDefender: { check: MISCONFIG, reason: 'TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS' },
};

export interface DenyBypassedData {
  /** Topic ARNs for the Deny on `iot:Receive` the fix adds. */
  resources: string[];
}

interface Args {
  /** The allowed filter that gets around the Deny, and a topic it delivers. */
  filter: string;
  topic: string;
  /** The denied filter's name, for the `topic/` ARN to deny. */
  name: string;
}

type Messages = { bypassed: (a: Args) => string };

const messages: Messages = {
  bypassed: (a) => [
    `This Deny does not keep \`${a.topic}\` from the device: \`iot:Subscribe\` is checked against the literal filter,`,
    `so a client can subscribe to \`${a.filter}\` (allowed elsewhere in this policy) and then receive \`${a.topic}\`,`,
    'because no Deny on `iot:Receive` covers it.',
    `Add a Deny on \`iot:Receive\` for \`topic/${a.name}\` (Device Defender audit check \`${MISCONFIG}\`, reason \`TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS\`).`,
  ].join(' '),
};

/** Replaces variables by fixed private-use characters, so one variable is one unknown fixed value. */
class VariableProbes {
  private readonly ids = new Map<string, string>();
  private readonly cache = new Map<ResourceRef, PatternToken[]>();
  concreteOf(model: PolicyModel, ref: LiteralResource): PatternToken[] {
    let t = this.cache.get(ref);
    if (!t) {
      t = this.concrete(refTokens(model, ref));
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
function mqttFilterMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return i === f.length - 1 && t.length > i;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

type Match = LiteralResource | 'not-resource';

/** The first resource of the statement that applies to `resource` (a resource part such as `topic/a/b`), honouring NotResource. */
function statementResourceMatch(model: PolicyModel, st: StatementModel, resource: string, probes: VariableProbes, budget: Budget): Match | undefined {
  const refs = literalResources(model, st);
  const matches = (r: LiteralResource): boolean => budget.spend() && !textCertainlyUnmatched(r.resourcePart, resource) && matchWildcard(probes.concreteOf(model, r), resource);
  if (st.resource) return refs.find(matches);
  if (st.notResource) return refs.length && !refs.some(matches) ? 'not-resource' : undefined;
  return undefined;
}

/** The first statement's match for `resource`. */
function firstMatch(model: PolicyModel, sts: StatementModel[], resource: string, probes: VariableProbes, budget: Budget): Match | undefined {
  for (const st of sts) {
    const m = statementResourceMatch(model, st, resource, probes, budget);
    if (m) return m;
  }
  return undefined;
}

/** MQTT filters that deliver `topic`, the longest `#` prefix first (`building/#` before `#`). */
function bypassCandidates(topic: string): string[] {
  const levels = topic.split('/');
  const out: string[] = [];
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

export const denyBypassedByWildcard = defineRule<DenyBypassedData, Messages>({
  meta,
  messages,
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
        if (ref.type !== 'topicfilter' || ref.name === undefined || ref.nameStart === undefined || !isLiteralResource(ref)) continue;
        if (mqttWildcardPositions(ref).length) continue; // mqtt-wildcard-in-deny reports it
        if (ref.name.startsWith('$share/')) continue;
        // A topic the Deny is meant to keep from the device: its filter pattern with wildcards filled in.
        const tokens = probes.concrete(parsePattern(ref.name, { variables: model.variablesEnabled }));
        const topic = tokens.map((t) => (t.kind === 'lit' ? t.ch : 'x')).join('');
        if (!topic || topic.includes('#') || topic.includes('+')) continue;
        let found: { filter: string; allow: Match } | undefined;
        for (const f of bypassCandidates(topic)) {
          const target = `topicfilter/${f}`;
          const allow = firstMatch(model, subAllows, target, probes, budget);
          if (!allow) continue;
          if (subDenies.some((d) => statementResourceMatch(model, d, target, probes, budget))) continue;
          found = { filter: f, allow };
          break;
        }
        if (budget.exhausted) return;
        if (!found) continue;
        const topicRes = `topic/${topic}`;
        if (recvDenies.some((d) => statementResourceMatch(model, d, topicRes, probes, budget))) continue;
        const recvAllow = firstMatch(model, recvAllows, topicRes, probes, budget);
        if (budget.exhausted) return;
        if (recvAllows.length && !recvAllow) continue;
        const filter = probes.display(found.filter);
        const topicText = probes.display(topic);
        const related: RelatedFinding[] = [];
        if (found.allow !== 'not-resource') related.push({ span: found.allow.span, message: `this Allow lets a client subscribe to \`${filter}\`` });
        if (recvAllow && recvAllow !== 'not-resource') related.push({ span: recvAllow.span, message: `this Allow delivers \`${topicText}\` to the client` });
        const receiveDeny = ref.value.slice(0, ref.parsed.resource!.start) + 'topic/' + ref.name;
        ctx.report({
          messageId: 'bypassed',
          args: { filter, topic: topicText, name: ref.name },
          span: ref.spanOf(ref.nameStart, ref.value.length),
          data: { resources: [receiveDeny] },
          related,
        });
      }
    }
  },
  fix: (ctx, f) => addReceiveDeny(ctx, f, f.data?.resources ?? [], true),
});
