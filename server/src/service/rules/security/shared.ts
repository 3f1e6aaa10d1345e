/**
 * What several security rules share: the Device Defender names, the statements that apply to an
 * action, pattern questions between resources (answered by the wildcard engine after the cheap
 * prefilters), the budgets that keep pairwise comparisons bounded, and the fix that adds a Deny
 * on `iot:Receive`.
 */
import { IOT_POLICY_ACTIONS } from '../../catalog';
import { actionMatches, statementsFor } from '../../analysis/actions';
import { refTokens, resourceRefs, type LiteralResource } from '../../analysis/resources';
import { actionNames, statementFor } from '../../fixes/helpers';
import type { Fix, FixContext } from '../../fixes/types';
import { certainlyDisjoint, textsCertainlyDisjoint } from '../../match/prefilter';
import { parsePattern, patternContains, patternsOverlap, type PatternToken } from '../../match/wildcard';
import { modelMemo, type PolicyModel, type StatementModel } from '../../policy/model';
import type { StringValue } from '../../policy/tree';
import { keepLayout } from '../../text/memo';
import type { AnalyzedFinding } from '../rule';

export const OVERLY_PERMISSIVE = 'Device Defender audit check `IOT_POLICY_OVERLY_PERMISSIVE_CHECK`, reason `ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS`';
export const MISCONFIG = 'IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK';

export function allowStatements(model: PolicyModel, action: string): StatementModel[] {
  return statementsFor(model, 'Allow', action);
}

export function denyStatements(model: PolicyModel, action: string): StatementModel[] {
  return statementsFor(model, 'Deny', action);
}

const IOT_PREFIXED = IOT_POLICY_ACTIONS.filter((a) => a.name.startsWith('iot:')).map((a) => a.name);

/** An action pattern that grants every `iot:` data-plane action (`*`, `iot:*`, `iot*`). */
export function grantsAllIotActions(pattern: string): boolean {
  if (!pattern.includes('*')) return false;
  return IOT_PREFIXED.every((a) => actionMatches(pattern, a));
}

const GREENGRASS_ACTION = {};

/** The first Greengrass action of the policy, if any. */
export function greengrassAction(model: PolicyModel): StringValue | undefined {
  return modelMemo(model, GREENGRASS_ACTION, firstGreengrassAction);
}

const GREENGRASS_PREFIX = /^greengrass:/i;

function firstGreengrassAction(model: PolicyModel): StringValue | undefined {
  for (const st of model.statements) for (const a of st.action?.items ?? []) if (GREENGRASS_PREFIX.test(a.value)) return a;
  return undefined;
}

// ---- pattern questions ------------------------------------------------------------------------

/**
 * A pattern as its text and, built on demand, its tokens: most pairs of resources are settled by
 * the cheap tests of `match/prefilter` on the text, and never tokenised.
 */
export interface Pat {
  text: string;
  tokens(): PatternToken[];
}

export function textPat(model: PolicyModel, text: string): Pat {
  let t: PatternToken[] | undefined;
  return { text, tokens: () => (t ??= parsePattern(text, { variables: model.variablesEnabled })) };
}

/** `patternsOverlap(resource, pattern)` after the cheap tests that settle most pairs of unrelated resources. */
export function overlap(model: PolicyModel, a: LiteralResource, b: Pat): boolean {
  if (textsCertainlyDisjoint(a.resourcePart, b.text)) return false;
  const ta = refTokens(model, a);
  const tb = b.tokens();
  return !certainlyDisjoint(ta, tb) && patternsOverlap(ta, tb);
}

/** `patternContains(outer, inner)` after the same cheap tests (containment implies overlap). */
export function contains(model: PolicyModel, outer: LiteralResource, inner: LiteralResource | Pat): boolean {
  const innerText = 'resourcePart' in inner ? inner.resourcePart : inner.text;
  if (textsCertainlyDisjoint(outer.resourcePart, innerText)) return false;
  const to = refTokens(model, outer);
  const ti = 'resourcePart' in inner ? refTokens(model, inner) : inner.tokens();
  return !certainlyDisjoint(to, ti) && patternContains(to, ti);
}

/**
 * Pattern comparisons are pairs of resources, so a huge document could make a rule quadratic.
 * Rules spend from a budget per run; when it runs out they stop and report nothing more (policies
 * that big are far over AWS's 2,048-character limit anyway, which policy-too-large reports).
 */
export class Budget {
  constructor(private left: number) {}
  spend(n = 1): boolean {
    this.left -= n;
    return this.left >= 0;
  }
  get exhausted(): boolean {
    return this.left < 0;
  }
  /** What is left (negative once exhausted). */
  get remaining(): number {
    return this.left;
  }
}
// Made afresh by every analysis (see `keepLayout`).
keepLayout(new Budget(0));
export const PAIR_BUDGET = 2_000;
export const MATCH_BUDGET = 50_000;

// ---- the Deny on iot:Receive ------------------------------------------------------------------

/** Topic ARNs for `iot:Receive` from the topic filters of a statement (`+`/`#` become `*`). */
function receiveResourcesFrom(model: PolicyModel, st: StatementModel): string[] {
  const out: string[] = [];
  if (!st.resource) return out;
  for (const r of resourceRefs(model, st)) {
    const t = r.parsed.resourceType;
    if (t?.text !== 'topicfilter' && t?.text !== 'topic') continue;
    const name = (r.parsed.name?.text ?? '').replace(/(^|\/)#$/, '$1*').replace(/(^|\/)\+(?=\/|$)/g, '$1*');
    out.push(`${r.value.slice(0, t.start)}topic/${name}`);
  }
  return [...new Set(out)];
}

/**
 * Adds `{"Effect": "Deny", "Action": "iot:Receive", "Resource": [...]}` after the Deny on
 * Subscribe the finding is in: on `resources`, or on the topics of the statement's filters.
 */
export function addReceiveDeny(ctx: FixContext, f: AnalyzedFinding<object>, resources: string[], preferred: boolean): Fix[] {
  const st = statementFor(ctx, f);
  if (!st) return [];
  const acts = actionNames(st).map((a) => a.toLowerCase());
  if (!acts.some((a) => a === 'iot:subscribe' || a === 'iot:*' || a === '*')) return [];
  const isReceiveDeny = (x: StatementModel): boolean => x.effectValue?.value === 'Deny' && actionNames(x).some((a) => a.toLowerCase() === 'iot:receive');
  const denied = new Set(ctx.model.statements.filter(isReceiveDeny).flatMap((x) => (x.resource?.items ?? []).map((i) => i.value)));
  const wanted = (resources.length ? resources : receiveResourcesFrom(ctx.model, st)).filter((r) => !denied.has(r));
  if (!wanted.length) return [];
  const edits = ctx.writer.insertStatements(st, [{ Effect: 'Deny', Action: 'iot:Receive', Resource: wanted.length === 1 ? wanted[0] : wanted }]);
  if (!edits.length) return [];
  const what = wanted.length === 1 ? wanted[0].replace(/^.*?:topic\//, 'topic/') : `${wanted.length} topics`;
  return [{ title: `Add a Deny on iot:Receive for ${what}`, edits, preferred }];
}
