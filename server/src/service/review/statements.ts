/**
 * The statements of a set of policies that apply to one action, read once for the review engine:
 * their effect, resource entries as wildcard-engine tokens (variables kept as variables), their
 * condition parts, and what a template left unknown in them.
 *
 * A statement AWS ignores (no valid `Effect`, both `Action` and `NotAction`, no resource, an
 * invalid `Condition`) never matches a request, so it takes no part: the evaluator's probe
 * (`probeStatement`) decides that, so the engine and `evaluate` never disagree on it.
 */
import { IOT_POLICY_ACTIONS } from '../catalog/actions';
import type { EvalPolicy } from '../eval/evaluate';
import { actionPatternMatches, probeStatement } from '../eval/evaluate';
import { matchWildcard, parsePattern, type PatternToken } from '../match/wildcard';
import type { ConditionKeyEntry, PolicyNode, StatementModel, StringValue } from '../policy/model';

/** Which policies a statement belongs to: the two sides of a diff, or the one set of explain. */
export type Side = 'base' | 'new';

/** Where a statement is, for people and tools. */
export interface StatementRef {
  /** The policy's name (a file, `stack.yaml#DevicePolicy`). */
  policy: string;
  /** Zero-based index in `Statement`. */
  index: number;
  sid?: string;
  /** The statement in its document (offsets). */
  span: { offset: number; length: number };
}

export interface ResourceEntry {
  /** The entry as written (decoded; a value unknown before deploy reads `*`). */
  text: string;
  /** Wildcard-engine tokens, variables as variables when the policy's Version enables them. */
  tokens: PatternToken[];
  /** Labels of the template values left unknown in it. */
  unknowns: string[];
}

export interface ConditionPart {
  operator: string;
  key: string;
  /** The values as the evaluator reads them (strings; Booleans and numbers as their text). */
  values: string[];
  /** Equal for two parts that are true on exactly the same requests. */
  canonical: string;
}

export interface ReviewStatement {
  /** Undefined for the one set of policies of explain and the access checks. */
  side?: Side;
  policy: EvalPolicy;
  st: StatementModel;
  effect: 'Allow' | 'Deny';
  /** `NotResource`: the statement applies to every resource but its entries. */
  negated: boolean;
  entries: ResourceEntry[];
  conditions: ConditionPart[];
  /** Template values left unknown anywhere in the statement. */
  unknowns: string[];
  /** Resource entries that are wholly unknown before deploy (the evaluator skips them): their labels. */
  unknownEntries: string[];
  ref: StatementRef;
  /** Equal for two statements that match exactly the same requests of the action. */
  canonical: string;
}

/** The actions IoT Core authorises: the requests the engine reasons about. */
export function reviewActions(): string[] {
  return IOT_POLICY_ACTIONS.map((a) => a.name);
}

function opaqueLabels(sv: StringValue): string[] {
  return sv.opaque.map((o) => o.label);
}

function nodeUnknowns(node: PolicyNode | undefined, stringOf: (n: PolicyNode) => StringValue, out: Set<string>): void {
  if (!node) return;
  if (node.type === 'opaque') out.add(node.label ?? 'a value unknown before deploy');
  else if (node.type === 'string') for (const l of opaqueLabels(stringOf(node))) out.add(l);
  for (const c of node.children ?? []) nodeUnknowns(c, stringOf, out);
}

function conditionValues(k: ConditionKeyEntry): string[] {
  const out: string[] = [];
  for (const v of k.values) {
    if (v.kind === 'string' && v.str) out.push(v.str.value);
    else if (v.kind === 'boolean' || v.kind === 'number') out.push(String(v.node.value));
  }
  return out;
}

/** One statement, read for the review engine (undefined when it never matches a request of `action`). */
function readStatement(side: Side | undefined, policy: EvalPolicy, st: StatementModel, action: string): ReviewStatement | undefined {
  const probe = probeStatement(policy.model, st, { action, resource: '', context: {} });
  if (!probe.effect || !probe.conditions) return undefined;
  const model = policy.model;
  const list = st.resource ?? st.notResource!;
  const entries: ResourceEntry[] = list.items.map((sv) => ({
    text: sv.value,
    tokens: parsePattern(sv.value, { variables: model.variablesEnabled }),
    unknowns: opaqueLabels(sv),
  }));
  const conditions: ConditionPart[] = [];
  for (const op of st.condition?.operators ?? []) {
    for (const k of op.keys) {
      const values = conditionValues(k);
      // Variables are text under an old Version: the same words then mean something else.
      conditions.push({ operator: op.operator, key: k.key, values, canonical: JSON.stringify([model.variablesEnabled, op.operator, k.key, [...values].sort()]) });
    }
  }
  const unknowns = new Set<string>();
  nodeUnknowns(st.node, (n) => model.stringOf(n), unknowns);
  const negated = probe.resource.negated;
  const unknownEntries = list.invalid.filter((n) => n.type === 'opaque').map((n) => n.label ?? 'a value unknown before deploy');
  // Two unknown values both read `*`: their labels tell them apart.
  const canonical = JSON.stringify([
    probe.effect, negated, model.variablesEnabled, [...new Set(entries.map((e) => `${e.text}\u0000${e.unknowns.join('\u0000')}`))].sort(),
    [...new Set(conditions.map((c) => c.canonical))].sort(), [...unknowns].sort(),
  ]);
  return {
    ...(side ? { side } : {}), policy, st, effect: probe.effect, negated, entries, conditions, unknowns: [...unknowns], unknownEntries,
    ref: refOf(policy, st),
    canonical,
  };
}

/**
 * The statements of `policies` that can match a request of each action, per action. The work per
 * statement is shared: a statement's reading does not depend on the action once its action
 * matches.
 */
export class StatementIndex {
  private readonly read = new Map<StatementModel, ReviewStatement | null>();

  constructor(private readonly side: Side | undefined, readonly policies: readonly EvalPolicy[]) {}

  /** Statements read for some action that AWS ignores (no valid Effect, resource or Condition). */
  ignored(): { policy: EvalPolicy; st: StatementModel }[] {
    const out: { policy: EvalPolicy; st: StatementModel }[] = [];
    for (const policy of this.policies) for (const st of policy.model.statements) if (this.read.get(st) === null) out.push({ policy, st });
    return out;
  }

  /** The statements that apply to `action`, in policy and statement order. */
  forAction(action: string): ReviewStatement[] {
    const out: ReviewStatement[] = [];
    for (const policy of this.policies) {
      for (const st of policy.model.statements) {
        if (!actionApplies(st, action)) continue;
        let r = this.read.get(st);
        if (r === undefined) {
          r = readStatement(this.side, policy, st, action) ?? null;
          this.read.set(st, r);
        }
        if (r) out.push(r);
      }
    }
    return out;
  }
}

/** Does the statement's Action (or NotAction) take in `action`? (The rest is the probe's.) */
function actionApplies(st: StatementModel, action: string): boolean {
  const hit = (items: readonly StringValue[]): boolean => items.some((i) => actionPatternMatches(i, action));
  if (st.action && st.notAction) return false;
  if (st.action) return hit(st.action.items);
  if (st.notAction) return !hit(st.notAction.items);
  return false;
}

/** Where a statement is. */
export function refOf(policy: EvalPolicy, st: StatementModel): StatementRef {
  const sid = st.sid?.value?.type === 'string' ? String(st.sid.value.value) : undefined;
  return { policy: policy.name, index: st.index, ...(sid ? { sid } : {}), span: { offset: st.node.offset, length: st.node.length } };
}

/** Action patterns of the policies that name no action IoT Core authorises. */
export function actionsMatchingNothing(policies: readonly EvalPolicy[]): { pattern: string; ref: StatementRef }[] {
  const known = reviewActions();
  const out: { pattern: string; ref: StatementRef }[] = [];
  for (const policy of policies) {
    for (const st of policy.model.statements) {
      for (const item of st.action?.items ?? st.notAction?.items ?? []) {
        if (known.some((a) => matchWildcard(item.value, a, { ignoreCase: true }))) continue;
        out.push({ pattern: item.value, ref: refOf(policy, st) });
      }
    }
  }
  return out;
}
