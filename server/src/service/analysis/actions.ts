/**
 * Which IoT policy actions a statement names, and which statements apply to an action: shared by
 * the resource and security rules, the features and the evaluator. Action names ignore case; `*`
 * and `?` are wildcards.
 */
import { findAction, IOT_POLICY_ACTIONS, type ActionInfo } from '../catalog';
import { matchWildcard, parsePattern, type PatternToken } from '../match/wildcard';
import { memoizeString } from '../text/memo';
import { modelMemo, statementMemo, type PolicyModel, type StatementModel } from '../policy/model';
import type { StringValue } from '../policy/tree';

/** True when a policy text holds a policy wildcard (`*` or `?`). */
export function isPatternText(s: string): boolean {
  return s.includes('*') || s.includes('?');
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
const actionTokens: (pattern: string) => PatternToken[] = memoizeString((p) => parsePattern(p), ACTION_TABLE_LIMIT);

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

/** The catalogue's IoT policy actions an action pattern matches (a shared array: do not modify). */
const actionsMatching: (pattern: string) => readonly ActionInfo[] = memoizeString(
  (pattern) => IOT_POLICY_ACTIONS.filter((a) => actionMatches(pattern, a.name)), ACTION_TABLE_LIMIT);

const ACTIONS = {};

/** The action items of a statement (Action, or NotAction), once per statement (a shared array: do not modify). */
export function actionEntries(model: PolicyModel, st: StatementModel): ActionEntry[] {
  return statementMemo(model, st, ACTIONS, readActionEntries);
}

function readActionEntries(_model: PolicyModel, st: StatementModel): ActionEntry[] {
  const items = st.action?.items ?? st.notAction?.items ?? [];
  return items.map((item) => {
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
}

const NAMED = {};
const NONE: ActionEntry[] = [];

/** The entries of `Action` that name exactly one catalogue action (no wildcard); once per statement (a shared array: do not modify). */
export function namedActions(model: PolicyModel, st: StatementModel): ActionEntry[] {
  if (!st.action) return NONE;
  return statementMemo(model, st, NAMED, readNamedActions);
}

function readNamedActions(model: PolicyModel, st: StatementModel): ActionEntry[] {
  const all = actionEntries(model, st);
  return all.every(isNamed) ? all : all.filter(isNamed);
}

function isNamed(a: ActionEntry): boolean {
  return !a.wildcard && a.infos.length === 1;
}

const COVERS = {};
const newCoverMap = (): Map<string, boolean> => new Map();

/**
 * Does the statement apply to the action (by `Action` patterns, or by not being in `NotAction`)?
 * Kept with the statement, per action.
 */
function statementCovers(model: PolicyModel, st: StatementModel, action: string): boolean {
  if (!st.action && !st.notAction) return false;
  const covers = statementMemo(model, st, COVERS, newCoverMap);
  let yes = covers.get(action);
  if (yes === undefined) {
    const items = (st.action ?? st.notAction)!.items;
    let named = false;
    for (let i = 0; i < items.length && !named; i++) named = actionMatches(items[i].value, action);
    yes = st.action ? named : !named;
    covers.set(action, yes);
  }
  return yes;
}

export type Effect = 'Allow' | 'Deny';

export function effectOf(st: StatementModel): Effect | undefined {
  const v = st.effectValue?.value;
  return v === 'Allow' || v === 'Deny' ? v : undefined;
}

const STATEMENTS_BY_EFFECT = {};
const newEffectMaps = (): Record<Effect, Map<string, StatementModel[]>> => ({ Allow: new Map(), Deny: new Map() });

/** The Allow (or Deny) statements that apply to `action`, in document order; computed once per model. */
export function statementsFor(model: PolicyModel, effect: Effect, action: string): StatementModel[] {
  const byEffect = modelMemo(model, STATEMENTS_BY_EFFECT, newEffectMaps);
  const memo = byEffect[effect];
  let sts = memo.get(action);
  if (!sts) {
    let n = 0;
    for (const st of model.statements) if (effectOf(st) === effect && statementCovers(model, st, action)) n++;
    sts = new Array<StatementModel>(n);
    n = 0;
    for (const st of model.statements) if (effectOf(st) === effect && statementCovers(model, st, action)) sts[n++] = st;
    memo.set(action, sts);
  }
  return sts;
}
