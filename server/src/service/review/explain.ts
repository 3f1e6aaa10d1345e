/**
 * Effective permissions: per action IoT Core authorises, what the policies (attached together)
 * allow (each Allow entry with its conditions and the Deny statements carved out of it, and a
 * request it allows), and warnings for what matches nothing: action patterns that name no IoT
 * action, statements AWS ignores, Allow entries every request of which a Deny takes back, Deny
 * statements that meet no Allow. The IAM console's policy summary, with IoT semantics.
 *
 * `checkAccessNotGranted` asks the same regions a narrower question: is any request of these
 * actions (and this resource pattern) allowed under some context?
 */
import { evaluate, type EvalPolicy, type EvalRequest } from '../eval/evaluate';
import { matchWildcard, parsePattern } from '../match/wildcard';
import { statementLabel } from './describe';
import { solveAll } from './diff';
import { itemFor, itemForAction, type AccessItem, type Witness } from './items';
import { mayOverlap, resourceFilterMatches, type Must, type Region } from './region';
import { actionsMatchingNothing, refOf, reviewActions, StatementIndex, type ReviewStatement, type StatementRef } from './statements';

export type WarningKind = 'unknown-action' | 'ignored-statement' | 'always-denied' | 'deny-meets-no-allow' | 'unknown-resource';

export interface ExplainWarning {
  kind: WarningKind;
  message: string;
  statement: StatementRef;
}

export interface ExplainResult {
  /** Per action (catalogue order), what is allowed; actions nothing allows are left out. */
  actions: { action: string; items: AccessItem[] }[];
  warnings: ExplainWarning[];
  /** False when some item says "may". */
  exact: boolean;
}

const where = statementLabel;

function allowDecider(policies: readonly EvalPolicy[]): (request: EvalRequest) => { witness: boolean; decisions: Witness['decisions'] } {
  return (request) => {
    const decision = evaluate(policies, request).decision;
    return { witness: decision === 'Allow', decisions: { policy: decision } };
  };
}

/** Regions of what one action's statements allow (each Allow entry minus every Deny), with `musts` added. */
function allowRegions(action: string, statements: readonly ReviewStatement[], musts: Must[] = []): Region[] {
  const denies = statements.filter((s) => s.effect === 'Deny');
  const out: Region[] = [];
  for (const s of statements) {
    if (s.effect !== 'Allow') continue;
    for (const entry of s.negated ? [undefined] : s.entries.map((_, i) => i)) out.push({ action, anchor: s, entry, musts, excepts: denies });
  }
  return out;
}

/** The effective permissions of `policies` attached together. Never throws. */
export function explainPolicies(policies: readonly EvalPolicy[]): ExplainResult {
  const index = new StatementIndex(undefined, policies);
  const decide = allowDecider(policies);
  const actions: ExplainResult['actions'] = [];
  const warnings: ExplainWarning[] = [];
  const warned = new Set<string>();
  const warn = (kind: WarningKind, message: string, statement: StatementRef): void => {
    const key = `${kind}\u0000${message}`;
    if (warned.has(key)) return;
    warned.add(key);
    warnings.push({ kind, message, statement });
  };
  for (const u of actionsMatchingNothing(policies)) {
    warn('unknown-action', `${where(u.ref)}: \`${u.pattern}\` names no action AWS IoT Core authorises, so it matches nothing`, u.ref);
  }
  const denyMeets = new Map<ReviewStatement, boolean>();
  const cache = new Map<string, AccessItem[]>();
  for (const action of reviewActions()) {
    const statements = index.forAction(action);
    if (!statements.length) continue;
    const key = statements.map((s) => `${s.ref.policy}#${s.ref.index}`).join(',');
    const seen = cache.get(key);
    let items: AccessItem[] | undefined;
    if (seen) {
      const moved = seen.map((i) => itemForAction(i, action, decide));
      if (moved.every((i) => i !== undefined)) items = moved as AccessItem[];
    }
    if (!items) {
      items = [];
      for (const region of allowRegions(action, statements)) {
        const item = itemFor(region, 'allowed', decide);
        if (item) items.push(item);
        else {
          const entry = region.entry === undefined ? 'every resource it names' : `\`${region.anchor.entries[region.entry].text}\``;
          warn('always-denied', `${where(region.anchor.ref)} allows ${entry}, but a Deny takes back every request it allows`, region.anchor.ref);
        }
      }
      cache.set(key, items);
    }
    if (items.length) actions.push({ action, items });
    for (const s of statements) {
      for (const label of s.unknownEntries) warn('unknown-resource', `${where(s.ref)}: a resource is \`${label}\`, unknown before deploy, so it is left out`, s.ref);
      if (s.effect !== 'Deny') continue;
      const meets = statements.some((a) => a.effect === 'Allow' && (a.negated || s.negated || a.entries.some((x) => s.entries.some((y) => mayOverlap(x.tokens, y.tokens)))));
      denyMeets.set(s, (denyMeets.get(s) ?? false) || meets);
    }
  }
  for (const [s, meets] of denyMeets) if (!meets) warn('deny-meets-no-allow', `${where(s.ref)} denies nothing the policies allow (no Allow meets its resources)`, s.ref);
  for (const { policy, st } of index.ignored()) {
    const ref = refOf(policy, st);
    warn('ignored-statement', `${where(ref)} is ignored: AWS accepts no statement without a valid Effect, one of Resource or NotResource, and a valid Condition`, ref);
  }
  return { actions, warnings, exact: actions.every((a) => a.items.every((i) => i.certainty === 'certain')) };
}

export interface AccessCheck {
  /** An action name or pattern (`iot:Connect`, `iot:*`), matched against the actions IoT Core authorises. */
  action: string;
  /** A resource pattern the request must match: a full ARN pattern, or the part after the account (`client/admin*`). */
  resource?: string;
}

/** A resource pattern as given to an access check: the part after the account is read in any partition, region and account. */
export function accessCheckResource(resource: string): string {
  return resource === '*' || resource.startsWith('arn:') ? resource : `arn:*:iot:*:*:${resource}`;
}

/** Does a resource match an access check's pattern (part by part, as `ArnLike` matches)? */
export function accessCheckMatches(resource: string, request: string): boolean {
  return resourceFilterMatches(parsePattern(accessCheckResource(resource)), request);
}

/**
 * `check access-not-granted`: the items of what the policies allow for the action (and
 * resource); none means no request of it is allowed under any context.
 */
export function checkAccessNotGranted(policies: readonly EvalPolicy[], check: AccessCheck): { items: AccessItem[]; exact: boolean; actions: string[] } {
  const index = new StatementIndex(undefined, policies);
  const actions = reviewActions().filter((a) => matchWildcard(check.action, a, { ignoreCase: true }));
  const decide = allowDecider(policies);
  const pattern = check.resource === undefined ? undefined : accessCheckResource(check.resource);
  const musts: Must[] = pattern === undefined ? [] : [{ kind: 'resource', tokens: parsePattern(pattern), text: pattern }];
  const items: AccessItem[] = [];
  for (const action of actions) items.push(...solveAll(allowRegions(action, index.forAction(action), musts), 'allowed', decide));
  return { items, exact: items.every((i) => i.certainty === 'certain'), actions };
}
