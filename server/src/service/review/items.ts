/**
 * What the review engine reports: an item per region that holds requests (a resource pattern, its
 * conditions, the exceptions carved out of it, and a witness request), built from a solved region.
 * The region itself stays with the item (`regionOf`), so a caller can ask whether any request is
 * covered by it with the evaluator's semantics (`itemCovers`).
 */
import { findAction } from '../catalog/actions';
import type { Decision, EvalRequest } from '../eval/evaluate';
import { conditionText, resourceTypeNote, statementLabel, summarize } from './describe';
import { meetingEntries, mustMissesAnchor, pruneRegion, regionContains, solveRegion, type Region } from './region';
import type { ReviewStatement, Side, StatementRef } from './statements';

export type Change = 'newly-allowed' | 'no-longer-allowed' | 'allowed';

/** A statement an item is carved out of, or must also hold for it (`within`). */
export interface ItemPart {
  side?: Side;
  effect: 'Allow' | 'Deny';
  /** The statement's resources that meet the item's resource (`notResource`: the ones it excludes). */
  resources: string[];
  notResource: boolean;
  conditions: string[];
  statement: StatementRef;
}

export interface Witness {
  request: EvalRequest;
  /** How each side decides it (`policy` for explain and access checks). */
  decisions: Partial<Record<Side | 'policy', Decision>>;
}

export interface AccessItem {
  action: string;
  change: Change;
  /** The resource pattern (a `Resource` entry as written), or `*` for a `NotResource` statement. */
  resource: string;
  /** The entries of a `NotResource` statement: every resource but these. */
  notResources?: string[];
  /** The statement's conditions, as written. */
  conditions: string[];
  /** Statements that must match too (a Deny of the base that the new policies dropped). */
  within: ItemPart[];
  /** Statements carved out: where the other side already allows, or a Deny applies. */
  except: ItemPart[];
  /** The statement the item comes from. */
  statement: StatementRef;
  side?: Side;
  /** `may`: the engine could neither find a request nor rule one out (`reason` says why). */
  certainty: 'certain' | 'may';
  reason?: string;
  witness?: Witness;
  /** A line in IoT terms. */
  summary: string;
  /** Remarks (a resource of a type the action never names). */
  notes: string[];
}

const REGIONS = new WeakMap<AccessItem, Region>();

/** Is the request covered by the item (inside its resource, conditions and exceptions)? */
export function itemCovers(item: AccessItem, request: EvalRequest): boolean {
  const region = REGIONS.get(item);
  return !!region && regionContains(region, request);
}

const CHANGE_WORDS: Record<Change, string> = { 'newly-allowed': 'newly allowed', 'no-longer-allowed': 'no longer allowed', allowed: 'allowed' };

function partOf(region: Region, s: ReviewStatement, meeting: boolean): ItemPart {
  return {
    ...(s.side ? { side: s.side } : {}),
    effect: s.effect,
    resources: meeting ? meetingEntries(region, s) : s.entries.map((e) => e.text),
    notResource: s.negated,
    conditions: s.conditions.map(conditionText),
    statement: s.ref,
  };
}

/**
 * The witness as a device would send it, when that changes nothing: a CONNECT's client ID is the
 * one in its resource. (The evaluator does not tie them; IoT Core does.)
 */
function realistic(request: EvalRequest): EvalRequest | undefined {
  const ctx = request.context ?? {};
  const client = /^arn:[^:]*:iot:[^:]*:[^:]*:client\/(.+)$/.exec(request.resource)?.[1];
  if (client === undefined || Object.keys(ctx).some((k) => k.toLowerCase() === 'iot:clientid')) return undefined;
  if (!findAction(request.action)?.resourceTypes.includes('client')) return undefined;
  return { ...request, context: { ...ctx, 'iot:ClientId': client } };
}

/** Where a Deny that must also match makes the item: "where statement 2 of base.json denied it". */
function withinPhrase(w: ItemPart, change: Change): string {
  const where = statementLabel(w.statement);
  const verb = change === 'newly-allowed' ? 'denied it before' : 'denies it now';
  return `, where ${where} ${verb}`;
}

/** The unknown template values of the statements that shape a region. */
function unknownsOf(region: Region): string[] {
  const out = new Set<string>();
  const statements = [region.anchor, ...region.musts.flatMap((m) => (m.kind === 'statement' ? [m.stmt] : [])), ...region.excepts];
  for (const s of statements) for (const u of s.unknowns) out.add(u);
  return [...out];
}

/**
 * Solves a region and turns it into an item, or undefined when it holds no request. `decide`
 * gives the decisions of a request and whether they make it a witness.
 */
export function itemFor(
  input: Region, change: Change, decide: (request: EvalRequest) => { witness: boolean; decisions: Witness['decisions'] },
): AccessItem | undefined {
  // Empty before any exception is read: no item, not even a "may" for an exception's unknown value.
  if (mustMissesAnchor(input)) return undefined;
  const region = pruneRegion(input);
  const decided = new Map<EvalRequest, Witness['decisions']>();
  let solution = solveRegion(region, (request) => {
    const d = decide(request);
    decided.set(request, d.decisions);
    return d.witness;
  });
  if (solution.status === 'found') {
    const closer = realistic(solution.request);
    if (closer && regionContains(region, closer)) {
      const d = decide(closer);
      if (d.witness) {
        decided.set(closer, d.decisions);
        solution = { status: 'found', request: closer };
      }
    }
  }
  if (solution.status === 'empty') {
    // An unknown value reads `*`, so an exception that holds one may cover less once it is known.
    const unsure = region.excepts.flatMap((e) => e.unknowns);
    if (!unsure.length) return undefined;
    solution = { status: 'unknown', reason: 'the exceptions were read with every unknown value as "anything"', variables: [] };
  }
  const anchor = region.anchor;
  const resource = region.entry === undefined ? '*' : anchor.entries[region.entry].text;
  const notResources = region.entry === undefined ? anchor.entries.map((e) => e.text) : undefined;
  const conditions = anchor.conditions.map(conditionText);
  const within = region.musts.flatMap((m) => (m.kind === 'statement' ? [partOf(region, m.stmt, false)] : []));
  const except = region.excepts.map((e) => partOf(region, e, true));
  const unknowns = unknownsOf(region);
  const reasons: string[] = [];
  if (solution.status === 'unknown') reasons.push(solution.reason);
  if (unknowns.length) reasons.push(`it depends on ${unknowns.map((u) => `\`${u}\``).join(', ')}, unknown before deploy (read as "anything")`);
  const notes: string[] = [];
  const typeNote = resourceTypeNote(region.action, resource);
  if (typeNote) notes.push(typeNote);
  const item: AccessItem = {
    action: region.action,
    change,
    resource,
    ...(notResources ? { notResources } : {}),
    conditions,
    within,
    except,
    statement: anchor.ref,
    ...(anchor.side ? { side: anchor.side } : {}),
    certainty: reasons.length ? 'may' : 'certain',
    ...(reasons.length ? { reason: reasons.join('; ') } : {}),
    ...(solution.status === 'found' ? { witness: { request: solution.request, decisions: decided.get(solution.request) ?? {} } } : {}),
    summary: summarize({
      change: (reasons.length ? 'may be ' : '') + CHANGE_WORDS[change],
      action: region.action,
      resource,
      notResources,
      conditions: [...conditions, ...within.flatMap((w) => w.conditions)],
      excepts: except.map((e) => ({ resources: e.notResource ? [] : e.resources, conditions: e.conditions })),
    }) + within.map((w) => withinPhrase(w, change)).join(''),
    notes,
  };
  REGIONS.set(item, region);
  return item;
}

/** The same item for another action with the same statements (its witness re-decided); undefined when the witness no longer holds. */
export function itemForAction(item: AccessItem, action: string, decide: (request: EvalRequest) => { witness: boolean; decisions: Witness['decisions'] }): AccessItem | undefined {
  const region = REGIONS.get(item);
  if (!region) return undefined;
  const moved: Region = { ...region, action };
  let witness: Witness | undefined;
  if (item.witness) {
    const request = { ...item.witness.request, action };
    const d = decide(request);
    if (!d.witness || !regionContains(moved, request)) return undefined;
    witness = { request, decisions: d.decisions };
  }
  const notes: string[] = [];
  const typeNote = resourceTypeNote(action, item.resource);
  if (typeNote) notes.push(typeNote);
  const copy: AccessItem = {
    ...item,
    action,
    ...(witness ? { witness } : {}),
    summary: item.summary.replace(`\`${item.action}\``, `\`${action}\``),
    notes,
  };
  REGIONS.set(copy, moved);
  return copy;
}
