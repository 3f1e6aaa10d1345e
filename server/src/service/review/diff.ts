/**
 * What a change of policies grants and takes away: for every action IoT Core authorises, the
 * requests the new policies allow and the base ones do not ("newly allowed"), and the other way
 * round ("no longer allowed").
 *
 * A request is allowed by a set of policies when some Allow statement matches it and no Deny does
 * (`evaluate`'s decision is `Allow`). So a request is newly allowed exactly when
 * - an Allow of the new policies matches it, no Deny of the new policies does, and no Allow of the
 *   base does (region "i": the anchor is the new Allow, the exceptions the new Denies and the base
 *   Allows); or
 * - an Allow of the new policies and a Deny of the base match it, and no Deny of the new policies
 *   does (region "ii": a Deny the change dropped or narrowed).
 * One region per Allow entry (and per base Deny for "ii") covers every such request: the items
 * are complete. Each region is solved (`region.ts`): an empty one is left out, one that holds a
 * request becomes an item with that request as its witness, confirmed by `evaluate`.
 */
import { evaluate, type EvalPolicy, type EvalRequest } from '../eval/evaluate';
import { unknownValues } from '../inputs';
import { statementLabel } from './describe';
import { itemFor, itemForAction, type AccessItem, type Change, type Witness } from './items';
import type { Region } from './region';
import { reviewActions, StatementIndex, type ReviewStatement, type Side } from './statements';

export interface DiffResult {
  /** Grouped by action, in the catalogue's order; newly allowed first within an action. */
  items: AccessItem[];
  /** False when some item says "may", or a template value unknown before deploy takes part. */
  exact: boolean;
  /** The template values left unknown, per policy. */
  unknowns: { side: Side; policy: string; values: string[] }[];
  /** What could not be compared at all (a resource wholly unknown before deploy). */
  notes: string[];
}

export interface ReviewOptions {
  /** Only these actions (names from the catalogue); default every action IoT Core authorises. */
  actions?: readonly string[];
  /** Which changes to look for (default both). */
  changes?: readonly Change[];
}

type Decide = (request: EvalRequest) => { witness: boolean; decisions: Witness['decisions'] };

/** Numbers statements so that a set of them can key a cache. */
class Ids {
  private readonly ids = new WeakMap<ReviewStatement, number>();
  private next = 0;
  of(s: ReviewStatement): number {
    let id = this.ids.get(s);
    if (id === undefined) this.ids.set(s, (id = this.next++));
    return id;
  }
}

/**
 * The regions of requests that `to` allows and `from` does not, for one action's statements.
 * Regions an identical statement already settles are left out before any search.
 */
function changeRegions(action: string, to: readonly ReviewStatement[], from: readonly ReviewStatement[]): Region[] {
  const toAllows = to.filter((s) => s.effect === 'Allow');
  const toDenies = to.filter((s) => s.effect === 'Deny');
  const fromAllows = from.filter((s) => s.effect === 'Allow');
  const fromDenies = from.filter((s) => s.effect === 'Deny');
  const sameAllow = new Set(fromAllows.map((s) => s.canonical));
  const sameDeny = new Set(toDenies.map((s) => s.canonical));
  const out: Region[] = [];
  for (const s of toAllows) {
    const entries = s.negated ? [undefined] : s.entries.map((_, i) => i);
    for (const entry of entries) {
      if (!sameAllow.has(s.canonical)) out.push({ action, anchor: s, entry, musts: [], excepts: [...toDenies, ...fromAllows] });
      for (const d of fromDenies) {
        // A Deny both sides have removes the same requests from both.
        if (sameDeny.has(d.canonical)) continue;
        out.push({ action, anchor: s, entry, musts: [{ kind: 'statement', stmt: d }], excepts: toDenies });
      }
    }
  }
  return out;
}

function decider(to: readonly EvalPolicy[], from: readonly EvalPolicy[], toSide: Side, fromSide: Side): Decide {
  return (request) => {
    const a = evaluate(to, request).decision;
    const b = evaluate(from, request).decision;
    return { witness: a === 'Allow' && b !== 'Allow', decisions: { [fromSide]: b, [toSide]: a } };
  };
}

/** The access `next` grants that `base` does not, and the access it takes away. Never throws. */
export function diffPolicies(base: readonly EvalPolicy[], next: readonly EvalPolicy[], options: ReviewOptions = {}): DiffResult {
  const baseIndex = new StatementIndex('base', base);
  const nextIndex = new StatementIndex('new', next);
  const ids = new Ids();
  const cache = new Map<string, AccessItem[]>();
  const grants = decider(next, base, 'new', 'base');
  const takes = decider(base, next, 'base', 'new');
  const changes = new Set(options.changes ?? ['newly-allowed', 'no-longer-allowed']);
  const items: AccessItem[] = [];
  const notes = new Set<string>();
  for (const action of options.actions ?? reviewActions()) {
    const b = baseIndex.forAction(action);
    const n = nextIndex.forAction(action);
    if (!b.length && !n.length) continue;
    for (const s of unmatched(n, b)) for (const label of s.unknownEntries) notes.add(unknownEntryNote(s, label));
    // Actions the same statements apply to have the same answer, but for the action itself.
    const key = `${b.map((s) => ids.of(s)).join(',')}|${n.map((s) => ids.of(s)).join(',')}`;
    const seen = cache.get(key);
    if (seen) {
      const moved = seen.map((i) => itemForAction(i, action, i.change === 'newly-allowed' ? grants : takes));
      if (moved.every((i) => i !== undefined)) {
        items.push(...(moved as AccessItem[]));
        continue;
      }
    }
    const found = [
      ...(changes.has('newly-allowed') ? solveAll(changeRegions(action, n, b), 'newly-allowed', grants) : []),
      ...(changes.has('no-longer-allowed') ? solveAll(changeRegions(action, b, n), 'no-longer-allowed', takes) : []),
    ];
    cache.set(key, found);
    items.push(...found);
  }
  const unknowns = [
    ...base.map((p) => ({ side: 'base' as const, policy: p.name, values: unknownValues(p.model) })),
    ...next.map((p) => ({ side: 'new' as const, policy: p.name, values: unknownValues(p.model) })),
  ].filter((u) => u.values.length);
  return { items, exact: !notes.size && items.every((i) => i.certainty === 'certain'), unknowns, notes: [...notes] };
}

/** Statements of one side that the other side does not have word for word. */
function unmatched(side: readonly ReviewStatement[], other: readonly ReviewStatement[]): ReviewStatement[] {
  const inOther = new Set(other.map((s) => s.canonical));
  const inSide = new Set(side.map((s) => s.canonical));
  return side.filter((s) => !inOther.has(s.canonical)).concat(other.filter((s) => !inSide.has(s.canonical)));
}

function unknownEntryNote(s: ReviewStatement, label: string): string {
  return `${statementLabel(s.ref)}: a resource is \`${label}\`, unknown before deploy, so what it ${s.effect === 'Allow' ? 'allows' : 'denies'} there is not compared`;
}

export function solveAll(regions: readonly Region[], change: Change, decide: Decide): AccessItem[] {
  const out: AccessItem[] = [];
  for (const r of regions) {
    const item = itemFor(r, change, decide);
    if (item) out.push(item);
  }
  return out;
}

/** `check no-new-access`: the newly allowed items (and whether the answer is exact). */
export function checkNoNewAccess(base: readonly EvalPolicy[], next: readonly EvalPolicy[], options: ReviewOptions = {}): DiffResult {
  return diffPolicies(base, next, { ...options, changes: ['newly-allowed'] });
}
