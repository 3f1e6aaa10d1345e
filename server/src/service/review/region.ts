/**
 * A region of requests of one action: those that one statement's resource entry (the anchor)
 * matches, that some more statements also match (`musts`), and that no exception statement
 * matches. Every item the engine reports is a region; a region is decided concretely with the
 * evaluator's own probe (`regionContains`), so "covered by an item" means exactly what it says.
 *
 * `solveRegion` decides whether a region holds a request, in three steps:
 * 1. drop exceptions that cannot meet the anchor (disjoint for every value of the variables);
 * 2. prove the region empty when the exceptions that hold wherever the anchor holds cover the
 *    anchor's resources for every value of the variables (`unionContains`);
 * 3. otherwise search for a request: values for the variables (an ordinary value each first,
 *    then values that line a variable up with another pattern), one value per class for every
 *    condition key (`values.ts`), then a resource by the string search (`strings.ts`). A request
 *    found is confirmed by the caller with `evaluate`. When the search tried every class of every
 *    key and no variable was involved, finding nothing proves the region empty; otherwise the
 *    region "may" hold a request, and the result says why.
 */
import { parseOperatorCached } from '../catalog/conditions';
import { probeResourceHit, probeStatement, type ContextValue, type EvalRequest, type StatementProbe } from '../eval/evaluate';
import { parsePattern, patternsOverlap, type PatternToken } from '../match/wildcard';
import { certainlyDisjoint } from '../match/prefilter';
import type { StatementModel } from '../policy/model';
import { accepts, arnAtom, atomAccepts, atomOf, findString, unionContains, type Atom } from './strings';
import type { ReviewStatement } from './statements';
import { keyRepresentatives, type KeyTest } from './values';

/**
 * A statement that must also match, or an ARN pattern the resource must match (access checks):
 * part by part, as `ArnLike` matches, so a wildcard in the region never reads a `:`.
 */
export type Must = { kind: 'statement'; stmt: ReviewStatement } | { kind: 'resource'; tokens: PatternToken[]; text: string };

/** Does the resource match an access check's ARN pattern? */
export function resourceFilterMatches(tokens: readonly PatternToken[], resource: string): boolean {
  return atomAccepts(arnAtom(tokens), resource);
}

export interface Region {
  action: string;
  anchor: ReviewStatement;
  /** The anchor's resource entry; undefined for a `NotResource` anchor (all its resources). */
  entry?: number;
  musts: Must[];
  excepts: ReviewStatement[];
}

export type Solution =
  | { status: 'empty' }
  | { status: 'found'; request: EvalRequest }
  | { status: 'unknown'; reason: string; variables: string[] };

// ---- concrete membership ------------------------------------------------------------------------

const ONE_ENTRY = new WeakMap<StatementModel, StatementModel[]>();

/** The statement with only its `entry`-th resource (the anchor of a region). */
function withOneEntry(st: StatementModel, entry: number): StatementModel {
  let list = ONE_ENTRY.get(st);
  if (!list) ONE_ENTRY.set(st, (list = []));
  return (list[entry] ??= { ...st, resource: { ...st.resource!, items: [st.resource!.items[entry]] } });
}

function probe(s: ReviewStatement, request: EvalRequest, entry?: number): StatementProbe {
  return probeStatement(s.policy.model, entry === undefined ? s.st : withOneEntry(s.st, entry), request);
}

function conditionsHold(p: StatementProbe): boolean {
  return !!p.effect && !!p.conditions && p.conditions.every((c) => c.holds);
}

/** Does the statement (or its one entry) match the request, as the evaluator decides? */
function statementMatches(s: ReviewStatement, request: EvalRequest, entry?: number): boolean {
  const p = probe(s, request, entry);
  return conditionsHold(p) && probeResourceHit(p, request.resource);
}

/** Is the request in the region? Exactly the evaluator's semantics, statement by statement. */
export function regionContains(region: Region, request: EvalRequest): boolean {
  if (request.action.toLowerCase() !== region.action.toLowerCase()) return false;
  if (!statementMatches(region.anchor, request, region.entry)) return false;
  for (const m of region.musts) {
    if (m.kind === 'statement' ? !statementMatches(m.stmt, request) : !resourceFilterMatches(m.tokens, request.resource)) return false;
  }
  return !region.excepts.some((e) => statementMatches(e, request));
}

// ---- symbolic steps -----------------------------------------------------------------------------

const WILDCARD = { variables: 'wildcard' as const };

function widen(tokens: readonly PatternToken[]): PatternToken[] {
  return tokens.map((t) => (t.kind === 'var' ? { kind: 'star' as const } : t));
}

/**
 * Answers about patterns, kept per pattern object. A statement's entries are read once per diff
 * (`StatementIndex`), so the same entry objects meet again and again across regions: an anchor
 * against each exception, each Deny that must match, each union that may cover it. The answers
 * depend only on the tokens, which are never changed once read; the maps go with the entries.
 */
const OVERLAPS = new WeakMap<readonly PatternToken[], WeakMap<readonly PatternToken[], boolean>>();
const CONTAINS = new WeakMap<readonly PatternToken[], Map<string, boolean>>();
const PATTERN_IDS = new WeakMap<readonly PatternToken[], number>();
let nextPatternId = 0;

function patternId(tokens: readonly PatternToken[]): number {
  let id = PATTERN_IDS.get(tokens);
  if (id === undefined) PATTERN_IDS.set(tokens, (id = nextPatternId++));
  return id;
}

/** False only when no request's resource can match both, whatever the variables hold. */
export function mayOverlap(a: readonly PatternToken[], b: readonly PatternToken[]): boolean {
  let known = OVERLAPS.get(a);
  if (!known) OVERLAPS.set(a, (known = new WeakMap()));
  let r = known.get(b);
  if (r === undefined) {
    r = !certainlyDisjoint(widen(a), widen(b)) && patternsOverlap(a, b, WILDCARD);
    known.set(b, r);
  }
  return r;
}

/** True only when every resource `inner` matches, `outer` matches too, whatever the variables hold. */
function surelyContains(outer: readonly (readonly PatternToken[])[], inner: readonly PatternToken[]): boolean {
  let known = CONTAINS.get(inner);
  if (!known) CONTAINS.set(inner, (known = new Map()));
  const key = outer.map(patternId).join(',');
  let r = known.get(key);
  if (r === undefined) {
    r = unionContains(outer, inner) === true;
    known.set(key, r);
  }
  return r;
}

/** The anchor's resources as patterns: its entry, or `*` for a NotResource anchor. */
function anchorTokens(region: Region): readonly PatternToken[] {
  return region.entry === undefined ? ANY_RESOURCE : region.anchor.entries[region.entry].tokens;
}

/** `*`, one object for every NotResource anchor (answers about it are kept per object). */
const ANY_RESOURCE: readonly PatternToken[] = [{ kind: 'star' }];

/** Does the exception's condition hold wherever the anchor's and the musts' conditions hold? (Same parts, compared as written.) */
function impliedCondition(e: ReviewStatement, region: Region): boolean {
  const given = new Set(region.anchor.conditions.map((c) => c.canonical));
  for (const m of region.musts) if (m.kind === 'statement') for (const c of m.stmt.conditions) given.add(c.canonical);
  return e.conditions.every((c) => given.has(c.canonical));
}

const ENTRY_TOKENS = new WeakMap<ReviewStatement, readonly (readonly PatternToken[])[]>();

/** A statement's resource entries as patterns, one list per statement. */
function entryTokens(s: ReviewStatement): readonly (readonly PatternToken[])[] {
  let list = ENTRY_TOKENS.get(s);
  if (!list) ENTRY_TOKENS.set(s, (list = s.entries.map((x) => x.tokens)));
  return list;
}

/** Regions `pruneRegion` returned: pruning them again changes nothing. */
const PRUNED = new WeakSet<Region>();

/** The region without the exceptions that can never match inside it. Never changes which requests it holds. */
export function pruneRegion(region: Region): Region {
  if (PRUNED.has(region)) return region;
  const a = anchorTokens(region);
  const excepts = region.excepts.filter((e) => {
    if (e.negated) return !surelyContains(entryTokens(e), a);
    return e.entries.some((x) => mayOverlap(a, x.tokens));
  });
  const pruned = excepts.length === region.excepts.length ? region : { ...region, excepts };
  PRUNED.add(pruned);
  return pruned;
}

/** Entries of `e` that can meet the region's anchor (what a reader needs to see of an exception). */
export function meetingEntries(region: Region, e: ReviewStatement): string[] {
  if (e.negated) return e.entries.map((x) => x.text);
  const a = anchorTokens(region);
  return e.entries.filter((x) => mayOverlap(a, x.tokens)).map((x) => x.text);
}

/**
 * Does some statement (or pattern) that must also match meet none of the anchor's resources? Then
 * the region is empty whatever its exceptions, the variables and the values unknown before deploy
 * (read as `*`, they only widen a pattern) hold.
 */
export function mustMissesAnchor(region: Region): boolean {
  const a = anchorTokens(region);
  for (const m of region.musts) {
    if (m.kind === 'resource') {
      if (!mayOverlap(a, m.tokens)) return true;
    } else if (!m.stmt.negated && !m.stmt.entries.some((x) => mayOverlap(a, x.tokens))) return true;
  }
  return false;
}

/** Proves the region empty from the patterns and conditions alone; false when it cannot. */
function provedEmpty(region: Region): boolean {
  if (mustMissesAnchor(region)) return true;
  const a = anchorTokens(region);
  // Exceptions that hold wherever the region does, and whose resources are plain entries.
  const covering = region.excepts.filter((e) => !e.negated && impliedCondition(e, region));
  if (!covering.length) return false;
  const cover = covering.flatMap((e) => e.entries.map((x) => x.tokens));
  if (region.entry !== undefined) {
    const text = region.anchor.entries[region.entry].text;
    if (covering.some((e) => e.entries.some((x) => x.text === text) && e.policy.model.variablesEnabled === region.anchor.policy.model.variablesEnabled)) return true;
  }
  if (surelyContains(cover, a)) return true;
  // Inside a statement that must match: its resources may be the smaller side.
  return region.musts.some((m) => m.kind === 'statement' && !m.stmt.negated && m.stmt.entries.every((x) => surelyContains(cover, x.tokens)));
}

// ---- the search ---------------------------------------------------------------------------------

/** Budgets of one region's search: variable assignments, combinations of key values, resource searches. */
const MAX_ASSIGNMENTS = 64;
const MAX_COMBINATIONS = 2048;
const MAX_RESOURCE_SEARCHES = 256;

type Context = Record<string, ContextValue>;

function statementsOf(region: Region): ReviewStatement[] {
  return [region.anchor, ...region.musts.flatMap((m) => (m.kind === 'statement' ? [m.stmt] : [])), ...region.excepts];
}

function variablesOf(tokens: readonly PatternToken[]): string[] {
  return tokens.flatMap((t) => (t.kind === 'var' ? [t.name] : []));
}

/** The name a variable's value is looked up by (`${key, 'default'}` reads `key`). */
function variableKey(name: string): string {
  const comma = name.indexOf(',');
  return (comma === -1 ? name : name.slice(0, comma)).trim();
}

function conditionTokens(s: ReviewStatement, value: string): PatternToken[] {
  return parsePattern(value, { variables: s.policy.model.variablesEnabled });
}

/** The variables a region's patterns and String/ARN condition values name, by lookup key. */
function regionVariables(region: Region): string[] {
  const out = new Set<string>();
  for (const s of statementsOf(region)) {
    for (const e of s.entries) for (const v of variablesOf(e.tokens)) out.add(variableKey(v));
    for (const c of s.conditions) {
      const base = parseOperatorCached(c.operator).base;
      if (base === 'String' || base === 'Arn') for (const v of c.values) for (const n of variablesOf(conditionTokens(s, v))) out.add(variableKey(n));
    }
  }
  for (const m of region.musts) if (m.kind === 'resource') for (const v of variablesOf(m.tokens)) out.add(variableKey(v));
  return [...out];
}

/** An ordinary value for a variable: readable, and made of characters no pattern gives a meaning. */
function ordinaryValue(name: string, index: number): string {
  const n = index + 1;
  if (/thingname$/i.test(name)) return `thing-${n}`;
  if (/clientid$/i.test(name)) return `client-${n}`;
  return `value-${n}`;
}

/**
 * Lines two patterns up on a string both match, variables read as wildcards, and says what each
 * variable read: `topic/${v}` and `topic/a` give `v = a`. A value that makes the two meet is
 * worth trying when ordinary values do not.
 */
function alignVariables(a: readonly PatternToken[], b: readonly PatternToken[]): Map<string, string> | undefined {
  interface Step { i: number; j: number; prev?: Step; ch?: string; readA?: number; readB?: number }
  const n = a.length;
  const m = b.length;
  const loops = (t: PatternToken | undefined): boolean => t?.kind === 'star' || t?.kind === 'var';
  const seen = new Set<number>([0]);
  const queue: Step[] = [{ i: 0, j: 0 }];
  const push = (s: Step): void => {
    const k = s.i * (m + 1) + s.j;
    if (seen.has(k)) return;
    seen.add(k);
    queue.push(s);
  };
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head];
    if (s.i === n && s.j === m) {
      const read = new Map<string, string>();
      for (let p: Step | undefined = s; p?.prev; p = p.prev) {
        if (p.ch === undefined) continue;
        for (const t of [p.readA === undefined ? undefined : a[p.readA], p.readB === undefined ? undefined : b[p.readB]]) {
          if (t?.kind === 'var') read.set(t.name, p.ch + (read.get(t.name) ?? ''));
        }
      }
      for (const t of [...a, ...b]) if (t.kind === 'var' && !read.has(t.name)) read.set(t.name, '');
      return read;
    }
    const ta = a[s.i];
    const tb = b[s.j];
    if (loops(ta)) push({ i: s.i + 1, j: s.j, prev: s });
    if (loops(tb)) push({ i: s.i, j: s.j + 1, prev: s });
    // Two wildcards never need to read a character together: either may read it alone.
    if (!ta || !tb || (loops(ta) && loops(tb))) continue;
    let ch: string | undefined;
    if (ta.kind === 'lit' && tb.kind === 'lit') ch = ta.ch === tb.ch ? ta.ch : undefined;
    else if (ta.kind === 'lit') ch = ta.ch;
    else if (tb.kind === 'lit') ch = tb.ch;
    else ch = 'x';
    if (ch === undefined) continue;
    push({ i: loops(ta) ? s.i : s.i + 1, j: loops(tb) ? s.j : s.j + 1, prev: s, ch, readA: s.i, readB: s.j });
  }
  return undefined;
}

const ALIGNED = new WeakMap<readonly PatternToken[], WeakMap<readonly PatternToken[], Map<string, string> | null>>();

/** `alignVariables`, kept per pair of pattern objects (an anchor meets the same exceptions in many regions). */
function alignedOnce(a: readonly PatternToken[], b: readonly PatternToken[]): Map<string, string> | undefined {
  let known = ALIGNED.get(a);
  if (!known) ALIGNED.set(a, (known = new WeakMap()));
  let r = known.get(b);
  if (r === undefined) known.set(b, (r = alignVariables(a, b) ?? null));
  return r ?? undefined;
}

/** Values worth trying for each variable, most ordinary first. */
function variableCandidates(region: Region, names: readonly string[]): Map<string, (ContextValue | undefined)[]> {
  const out = new Map<string, (ContextValue | undefined)[]>();
  const a = anchorTokens(region);
  const inAnchor = new Set(variablesOf(a).map(variableKey));
  const others: PatternToken[][] = [];
  for (const m of region.musts) {
    if (m.kind === 'resource') others.push(m.tokens);
    else for (const e of m.stmt.entries) others.push(e.tokens);
  }
  for (const e of region.excepts) for (const x of e.entries) others.push(x.tokens);
  const specials = new Map<string, Set<string>>();
  const add = (name: string, value: string): void => {
    const key = variableKey(name);
    if (!specials.has(key)) specials.set(key, new Set());
    specials.get(key)!.add(value);
  };
  const anchorVariables = variablesOf(a).length > 0;
  for (const q of others) {
    if (!anchorVariables && !variablesOf(q).length) continue;
    const aligned = alignedOnce(a, q);
    if (aligned) for (const [name, value] of aligned) add(name, value);
  }
  // Values the conditions compare a variable's own key with.
  for (const s of statementsOf(region)) {
    for (const c of s.conditions) for (const v of c.values) if (!v.includes('${')) add(c.key, v);
  }
  names.forEach((name, i) => {
    const list: (ContextValue | undefined)[] = [ordinaryValue(name, i)];
    if (!inAnchor.has(name)) list.push(undefined);
    const push = (v: string): void => {
      if (!list.includes(v)) list.push(v);
    };
    const own = (n: string): string[] => [...specials.entries()].filter(([k]) => k.toLowerCase() === n.toLowerCase()).flatMap(([, v]) => [...v]);
    for (const v of own(name)) push(v);
    // Another variable's values: two variables may be equal, or meet the same pattern.
    names.forEach((other, j) => {
      if (j === i) return;
      push(ordinaryValue(other, j));
      for (const v of own(other)) push(v);
    });
    push(`\u00e9-${i + 1}`);
    out.set(name, list);
  });
  return out;
}

/** Every combination of one value per dimension, the ones using earlier (more ordinary) values first. */
function* combinations<T>(lists: readonly (readonly T[])[], limit: number): Generator<T[], boolean> {
  const sizes = lists.map((l) => l.length);
  if (sizes.some((s) => s === 0)) return true;
  const maxRank = sizes.reduce((a, s) => a + s - 1, 0);
  let emitted = 0;
  for (let rank = 0; rank <= maxRank; rank++) {
    // Index vectors whose sum is `rank`.
    const idx = new Array<number>(lists.length).fill(0);
    const rec = function* (d: number, left: number): Generator<number[]> {
      if (d === lists.length - 1) {
        if (left < sizes[d]) {
          idx[d] = left;
          yield idx;
        }
        return;
      }
      for (let v = 0; v <= Math.min(left, sizes[d] - 1); v++) {
        idx[d] = v;
        yield* rec(d + 1, left - v);
      }
    };
    if (!lists.length) {
      yield [];
      return true;
    }
    for (const vec of rec(0, rank)) {
      if (emitted++ >= limit) return false;
      yield vec.map((v, d) => lists[d][v]);
    }
  }
  return true;
}

/** The condition keys the region's statements test (by the first spelling seen, grouped without case). */
function regionKeys(region: Region, variables: readonly string[]): string[] {
  const vars = new Set(variables.map((v) => v.toLowerCase()));
  const out = new Map<string, string>();
  for (const s of statementsOf(region)) for (const c of s.conditions) if (!vars.has(c.key.toLowerCase()) && !out.has(c.key.toLowerCase())) out.set(c.key.toLowerCase(), c.key);
  return [...out.values()];
}

/** Substitutes the context's values for a condition value's variables (as the evaluator does for String and ARN operators). */
function substituted(tokens: readonly PatternToken[], ctx: Context): PatternToken[] {
  const out: PatternToken[] = [];
  for (const t of tokens) {
    if (t.kind !== 'var') {
      out.push(t);
      continue;
    }
    const raw = t.name;
    const comma = raw.indexOf(',');
    const def = comma === -1 ? undefined : /^\s*'(.*)'\s*$/.exec(raw.slice(comma + 1))?.[1];
    const v = ctx[variableKey(raw)];
    const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : Array.isArray(v) && v.length === 1 ? String(v[0]) : def;
    if (value === undefined) out.push(t);
    else for (const ch of value) out.push({ kind: 'lit', ch });
  }
  return out;
}

/** The tests of key `key` in the region's conditions, with the context's variable values. */
function keyTests(region: Region, key: string, ctx: Context): KeyTest[] {
  const out: KeyTest[] = [];
  for (const s of statementsOf(region)) {
    for (const c of s.conditions) {
      if (c.key.toLowerCase() !== key.toLowerCase()) continue;
      const op = parseOperatorCached(c.operator).operator;
      if (!op) continue;
      for (const v of c.values) {
        const tokens = op.base === 'String' || op.base === 'Arn' ? substituted(conditionTokens(s, v), ctx) : undefined;
        out.push({ base: op.base, tokens, raw: v, like: op.comparison === 'like', ignoreCase: op.ignoreCase });
      }
    }
  }
  return out;
}

interface SearchState {
  exact: boolean;
  reasons: Set<string>;
  resourceSearches: number;
  cache: Map<string, string | null>;
}

/**
 * Atoms of resource patterns, by their tokens, each with a number that names it in the keys of a
 * region's resource searches (numbers are never reused). Bounded: starts over when full.
 */
const ATOMS = new Map<string, { id: number; atom: Atom }>();
const ATOMS_KEPT = 4096;
let nextAtomId = 0;
const TOKEN_KEYS = new WeakMap<readonly PatternToken[], string>();
const WIDENED = new WeakMap<readonly PatternToken[], PatternToken[]>();

/** The tokens as a string, equal for equal tokens (kept per token array: most are a statement's entries, read once). */
function tokensKey(tokens: readonly PatternToken[]): string {
  let key = TOKEN_KEYS.get(tokens);
  if (key === undefined) {
    key = '';
    for (const t of tokens) {
      if (t.kind === 'lit') key += t.ch === '\u0000' ? '\u0000\u0000' : t.ch;
      else if (t.kind === 'var') key += `\u0000$${t.name.length}:${t.name}`;
      else key += t.kind === 'star' ? '\u0000*' : '\u0000?';
    }
    TOKEN_KEYS.set(tokens, key);
  }
  return key;
}

function resourceAtom(tokens: readonly PatternToken[], arn: boolean): { id: number; atom: Atom } {
  const key = (arn ? 'a' : 'p') + tokensKey(tokens);
  let a = ATOMS.get(key);
  if (!a) {
    if (ATOMS.size >= ATOMS_KEPT) ATOMS.clear();
    a = { id: nextAtomId++, atom: arn ? arnAtom(tokens) : atomOf(tokens) };
    ATOMS.set(key, a);
  }
  return a;
}

function widened(tokens: readonly PatternToken[]): PatternToken[] {
  let w = WIDENED.get(tokens);
  if (!w) WIDENED.set(tokens, (w = widen(tokens)));
  return w;
}

/**
 * A resource in the region for a context, or undefined (with `state.exact` lowered when unsure).
 * `relaxed`: the region with its variables let go: the anchor's and the musts' variables read as
 * `*` and their conditions on a variable's value taken as true, the exceptions' entries and
 * conditions with variables left out; so it holds every request the region holds whatever values
 * the variables take.
 */
function resourceFor(region: Region, ctx: Context, state: SearchState, relaxed = false): string | undefined {
  const request: EvalRequest = { action: region.action, resource: '', context: ctx };
  const holds = (s: ReviewStatement, p: StatementProbe, larger: boolean): boolean => (relaxed ? relaxedHold(s, p, ctx, larger) : conditionsHold(p));
  const anchor = probe(region.anchor, request, region.entry);
  if (!holds(region.anchor, anchor, true)) return undefined;
  // Each statement's resource test, as atoms: `negated` statements hit when none of theirs accepts.
  interface Test { atoms: number[]; negated: boolean }
  const atoms: Atom[] = [];
  const ids: number[] = [];
  const indexOfId = new Map<number, number>();
  const atomIndex = (tokens: readonly PatternToken[], arn = false): number => {
    const { id, atom } = resourceAtom(tokens, arn);
    let at = indexOfId.get(id);
    if (at === undefined) {
      indexOfId.set(id, (at = atoms.length));
      ids.push(id);
      atoms.push(atom);
    }
    return at;
  };
  /** The test of a statement; `larger`: relaxed toward matching more requests (else fewer). */
  const testOf = (s: ReviewStatement, p: StatementProbe, larger: boolean, entry?: number): Test => {
    if (!relaxed) return { negated: p.resource.negated, atoms: p.resource.entries.flatMap((t) => (t ? [atomIndex(t)] : [])) };
    const entries = entry === undefined ? s.entries : [s.entries[entry]];
    // A negated statement matches more when its entries match less, and the other way round.
    const widenEntries = larger !== s.negated;
    const atomsOf = entries.flatMap((e) => {
      if (!e.tokens.some((t) => t.kind === 'var')) return [atomIndex(e.tokens)];
      return widenEntries ? [atomIndex(widened(e.tokens))] : [];
    });
    return { negated: s.negated, atoms: atomsOf };
  };
  const must: Test[] = [testOf(region.anchor, anchor, true, region.entry)];
  for (const m of region.musts) {
    if (m.kind === 'resource') {
      must.push({ negated: false, atoms: [atomIndex(m.tokens, true)] });
      continue;
    }
    const p = probe(m.stmt, request);
    if (!holds(m.stmt, p, true)) return undefined;
    must.push(testOf(m.stmt, p, true));
  }
  const avoid: Test[] = [];
  for (const e of region.excepts) {
    const p = probe(e, request);
    if (holds(e, p, false)) avoid.push(testOf(e, p, false));
  }
  const hit = (t: Test, acc: readonly boolean[]): boolean => (t.negated ? !t.atoms.some((i) => acc[i]) : t.atoms.some((i) => acc[i]));
  const goal = (acc: readonly boolean[]): boolean => must.every((t) => hit(t, acc)) && !avoid.some((t) => hit(t, acc));
  const testKey = (t: Test): string => `${t.negated ? '!' : ''}${t.atoms.join(',')}`;
  const cacheKey = `${relaxed ? 1 : 0}|${ids.join(',')}|${must.map(testKey).join(';')}|${avoid.map(testKey).join(';')}`;
  const cached = state.cache.get(cacheKey);
  if (cached !== undefined) return cached ?? undefined;
  // A readable resource first: the anchor with every wildcard filled.
  const anchorText = relaxed ? undefined : naturalFill(anchor);
  if (anchorText !== undefined && goal(atoms.map((a) => accepts(a, anchorText)))) {
    state.cache.set(cacheKey, anchorText);
    return anchorText;
  }
  if (state.resourceSearches++ >= MAX_RESOURCE_SEARCHES) {
    state.exact = false;
    state.reasons.add('the search for a resource ran out of budget');
    return undefined;
  }
  const first = must[0];
  const alive = first.negated || first.atoms.length !== 1 ? [] : first.atoms;
  const r = findString(atoms, goal, alive);
  if (r.found !== undefined) {
    state.cache.set(cacheKey, r.found);
    return r.found;
  }
  if (!r.exact) {
    state.exact = false;
    state.reasons.add('the resource patterns are too many to compare exactly');
  }
  state.cache.set(cacheKey, null);
  return undefined;
}

/** The anchor's (first) entry with every `*` and `?` filled with `x`; undefined when it has no plain entry. */
function naturalFill(p: StatementProbe): string | undefined {
  if (p.resource.negated) return 'x';
  const t = p.resource.entries[0];
  if (!t || t.some((x) => x.kind === 'var')) return undefined;
  return t.map((x) => (x.kind === 'lit' ? x.ch : 'x')).join('');
}

/** Most sets of values tried for one key: every set of up to this many classes. */
const MAX_SET_CLASSES = 6;

/**
 * The values of a key worth trying: absent, one value per class (classes that no condition tells
 * apart merged), and sets of them (a key may be given several values); then only one value per
 * effect on the region's conditions. `present`: the key must have one value (a variable the
 * anchor's entry needs).
 */
function keyClasses(region: Region, key: string, ctx0: Context, state: SearchState, present: boolean): (ContextValue | undefined)[] {
  const reps = keyRepresentatives(key, keyTests(region, key, ctx0));
  if (!reps.exact) {
    state.exact = false;
    if (reps.reason) state.reasons.add(reps.reason);
  }
  const statements = statementsOf(region);
  const lower = key.toLowerCase();
  /** Which condition parts on the key hold, statement by statement (`and`: per statement, all of them). */
  const effect = (value: ContextValue | undefined, and: boolean): string => {
    const ctx = { ...ctx0 };
    if (value !== undefined) ctx[key] = value;
    return statements.map((s) => {
      const parts = (probe(s, { action: region.action, resource: '', context: ctx }).conditions ?? []).filter((x) => x.key.toLowerCase() === lower);
      return and ? (parts.every((x) => x.holds) ? '1' : '0') : parts.map((x) => (x.holds ? '1' : '0')).join('');
    }).join('|');
  };
  // A set of values satisfies a condition part by its members' single answers (some, or every).
  const singles = new Map<string, string>();
  for (const v of reps.values) {
    const e = effect(v, false);
    if (!singles.has(e)) singles.set(e, v);
  }
  const one = [...singles.values()];
  const sets: string[][] = [];
  if (!present && one.length >= 2) {
    if (one.length <= MAX_SET_CLASSES) {
      for (let mask = 1; mask < 1 << one.length; mask++) {
        const set = one.filter((_, i) => mask & (1 << i));
        if (set.length >= 2) sets.push(set);
      }
    } else {
      for (let i = 0; i < one.length; i++) for (let j = i + 1; j < one.length; j++) sets.push([one[i], one[j]]);
      sets.push([...one]);
      state.exact = false;
      state.reasons.add(`${key} has too many value classes to try every set of values`);
    }
  }
  const byEffect = new Map<string, ContextValue | undefined>();
  for (const c of [...(present ? [] : [undefined]), ...one, ...sets]) {
    const e = effect(c, true);
    if (!byEffect.has(e)) byEffect.set(e, c);
  }
  return [...byEffect.values()];
}

/** Variables an anchor's entry (or a one-entry must) names without a default: the region needs each to have one value. */
function requiredVariables(region: Region): string[] {
  const lists: (readonly PatternToken[])[] = [];
  if (region.entry !== undefined) lists.push(region.anchor.entries[region.entry].tokens);
  for (const m of region.musts) {
    if (m.kind === 'resource') lists.push(m.tokens);
    else if (!m.stmt.negated && m.stmt.entries.length === 1) lists.push(m.stmt.entries[0].tokens);
  }
  return lists.flatMap((t) => variablesOf(t).filter((n) => !n.includes(',')).map(variableKey));
}

/** Is the key in the context, with a value? (Condition keys are looked up without case.) */
function keyPresent(ctx: Context, key: string): boolean {
  const lower = key.toLowerCase();
  return Object.entries(ctx).some(([k, v]) => k.toLowerCase() === lower && v !== undefined && !(Array.isArray(v) && v.length === 0));
}

/**
 * The conditions of a statement with its variables let go: a part that compares a present key
 * with a variable's value is taken as true (`larger`) or as false. (With the key absent the part
 * does not read the value: the probe's answer stands.)
 */
function relaxedHold(s: ReviewStatement, p: StatementProbe, ctx: Context, larger: boolean): boolean {
  if (!p.effect || !p.conditions) return false;
  if (p.conditions.length !== s.conditions.length) return conditionsHold(p) && !s.conditions.some((c) => valueVariables(s, c).length);
  return p.conditions.every((part, i) => {
    const c = s.conditions[i];
    if (!valueVariables(s, c).length || !keyPresent(ctx, c.key)) return part.holds;
    return larger;
  });
}

/** Variables in a String or ARN condition's values (the operators that substitute them). */
function valueVariables(s: ReviewStatement, c: ReviewStatement['conditions'][number]): string[] {
  const base = parseOperatorCached(c.operator).base;
  if (base !== 'String' && base !== 'Arn') return [];
  return c.values.flatMap((v) => variablesOf(conditionTokens(s, v)));
}

/**
 * Tries every assignment of the variables (from `varCands`) and every class of every condition
 * key; returns the first request `accept` takes, or undefined (then `state.exact` says whether
 * every class was tried).
 */
function search(
  region: Region, variables: readonly string[], varCands: readonly (readonly (ContextValue | undefined)[])[], state: SearchState,
  accept: (request: EvalRequest) => boolean, relaxed = false,
): EvalRequest | undefined {
  const keys = regionKeys(region, relaxed ? [] : variables);
  // Let go, a variable of the anchor's entry still needs one value for the entry to match.
  const presentKeys = new Set(relaxed ? requiredVariables(region).map((v) => v.toLowerCase()) : []);
  const assignments = combinations(varCands, MAX_ASSIGNMENTS);
  let combos = 0;
  for (let a = assignments.next(); ; a = assignments.next()) {
    if (a.done) {
      if (!a.value) {
        state.exact = false;
        state.reasons.add('too many combinations of variable values');
      }
      return undefined;
    }
    const ctx0: Context = {};
    variables.forEach((v, i) => {
      const value = a.value[i];
      if (value !== undefined) ctx0[v] = value;
    });
    const perKey = keys.map((key) => keyClasses(region, key, ctx0, state, relaxed && presentKeys.has(key.toLowerCase())));
    const combosOfKeys = combinations(perKey, MAX_COMBINATIONS);
    for (let c = combosOfKeys.next(); ; c = combosOfKeys.next()) {
      if (c.done) {
        if (!c.value) state.exact = false;
        break;
      }
      if (combos++ >= MAX_COMBINATIONS) {
        state.exact = false;
        state.reasons.add('too many combinations of condition values');
        return undefined;
      }
      const ctx: Context = { ...ctx0 };
      keys.forEach((k, i) => {
        const value = c.value[i];
        if (value !== undefined) ctx[k] = value;
      });
      const resource = resourceFor(region, ctx, state, relaxed);
      if (resource === undefined) continue;
      const request: EvalRequest = { action: region.action, resource, context: ctx };
      if (accept(request)) return request;
    }
  }
}

/**
 * Decides whether the region holds a request. `confirm` is the caller's check with `evaluate`
 * (the two sides decide differently, or the policies allow it); a request it refuses is not
 * returned.
 */
export function solveRegion(input: Region, confirm: (request: EvalRequest) => boolean): Solution {
  const region = pruneRegion(input);
  if (provedEmpty(region)) return { status: 'empty' };
  const variables = regionVariables(region);
  const state: SearchState = { exact: true, reasons: new Set(), resourceSearches: 0, cache: new Map() };
  const cands = variableCandidates(region, variables);
  const found = search(region, variables, variables.map((v) => cands.get(v)!), state, (r) => regionContains(region, r) && confirm(r));
  if (found) return { status: 'found', request: found };
  if (!variables.length) {
    if (state.exact) return { status: 'empty' };
    return { status: 'unknown', reason: [...state.reasons].join('; '), variables };
  }
  // With the variables let go the region only grows: nothing there means nothing here.
  const loose: SearchState = { exact: true, reasons: new Set(), resourceSearches: 0, cache: new Map() };
  const any = search(region, [], [], loose, () => true, true);
  if (!any && loose.exact) return { status: 'empty' };
  if (!state.reasons.size) {
    state.reasons.add(`no request with ordinary values was found, and the difference could not be ruled out for special values of ${variables.map((v) => `\${${v}}`).join(', ')}`);
  }
  return { status: 'unknown', reason: [...state.reasons].join('; '), variables };
}
