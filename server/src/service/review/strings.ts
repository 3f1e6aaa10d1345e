/**
 * Searches over strings for the review engine: a string that a Boolean combination of wildcard
 * patterns accepts (a resource inside one pattern and outside others), every class of strings a
 * set of condition values tells apart, and containment of one pattern in a union of patterns.
 *
 * The patterns are the wildcard engine's (`match/wildcard.ts`): `*` any run of characters, `?`
 * one, everything else literal; here also case-insensitive literals (`StringEqualsIgnoreCase`) and
 * wildcards that may not read some characters (the parts of an ARN never hold `:`). Every search
 * runs over the product of the patterns' automata, each made deterministic by its set of
 * positions, with an alphabet of the characters the patterns name plus one that none names (it
 * stands for all the others, which no pattern tells apart), so an answer is exact unless the state
 * budget runs out, which the result says.
 */
import type { PatternToken } from '../match/wildcard';

/** A pattern symbol. `except`: characters a wildcard may not read. */
export type Sym =
  | { kind: 'lit'; ch: string; ignoreCase?: boolean }
  | { kind: 'one'; except?: string }
  | { kind: 'star'; except?: string }
  /** Reads nothing: a variable left without a value makes its pattern match no string. */
  | { kind: 'never' };

export type Atom = readonly Sym[];

/** Explored states before a search gives up (its answer is then not exact). */
const STATE_BUDGET = 20_000;

/** Tokens of the wildcard engine as symbols; a variable token reads nothing (it has no value). */
export function atomOf(tokens: readonly PatternToken[], ignoreCase = false): Atom {
  return tokens.map((t): Sym => {
    if (t.kind === 'lit') return ignoreCase ? { kind: 'lit', ch: t.ch, ignoreCase } : { kind: 'lit', ch: t.ch };
    if (t.kind === 'star' || t.kind === 'one') return { kind: t.kind };
    return { kind: 'never' };
  });
}

/** A literal string as an atom. */
export function literalAtom(text: string, ignoreCase = false): Atom {
  return [...text].map((ch): Sym => (ignoreCase ? { kind: 'lit', ch, ignoreCase } : { kind: 'lit', ch }));
}

/**
 * The ARN operators' pattern (`ArnLike`): six `:`-separated parts matched separately, so a
 * wildcard in one of the first five parts never reads `:`. A pattern of fewer parts matches
 * anything when it is all `*`, else nothing (as the evaluator reads it).
 */
export function arnAtom(tokens: readonly PatternToken[]): Atom {
  const parts: PatternToken[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'lit' && t.ch === ':' && parts.length < 6) parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  if (parts.length < 6) return tokens.length > 0 && tokens.every((t) => t.kind === 'star') ? [{ kind: 'star' }] : [{ kind: 'never' }];
  const out: Sym[] = [];
  parts.forEach((part, i) => {
    if (i > 0) out.push({ kind: 'lit', ch: ':' });
    for (const s of atomOf(part)) out.push(i < 5 && (s.kind === 'star' || s.kind === 'one') ? { kind: s.kind, except: ':' } : s);
  });
  return out;
}

function fold(ch: string, ignoreCase: boolean | undefined): string {
  return ignoreCase ? ch.toLowerCase() : ch;
}

function reads(s: Sym, ch: string): boolean {
  switch (s.kind) {
    case 'lit':
      return fold(s.ch, s.ignoreCase) === fold(ch, s.ignoreCase);
    case 'never':
      return false;
    default:
      return !s.except?.includes(ch);
  }
}

/**
 * Positions reachable from `states` without reading (a star may read nothing), ascending.
 * `states` must be ascending (duplicates allowed), as `step` makes them: each position adds a
 * contiguous run (itself and the stars after it), so a position at or below the last one added
 * is already in. One pass, no set and no sort: this runs once per atom per explored state.
 */
function closure(atom: Atom, states: Iterable<number>): number[] {
  const out: number[] = [];
  let last = -1;
  for (let s of states) {
    if (s <= last) continue;
    out.push(s);
    while (s < atom.length && atom[s].kind === 'star') out.push(++s);
    last = s;
  }
  return out;
}

function step(atom: Atom, states: readonly number[], ch: string): number[] {
  const next: number[] = [];
  for (const s of states) {
    if (s >= atom.length || !reads(atom[s], ch)) continue;
    next.push(atom[s].kind === 'star' ? s : s + 1);
  }
  return next.length ? closure(atom, next) : next;
}

/** Characters that read nothing special, in the order a witness should prefer them. */
const FRESH = 'xyzqkjw0123456789';

/**
 * The characters a search must try: every character the atoms name (both cases for a literal
 * compared without case, and the characters a wildcard may not read), and first one that none
 * of them names. `prefer`: characters to try before the others (for readable witnesses).
 */
function alphabetOf(atoms: readonly Atom[], prefer = ''): string[] {
  const named = new Set<string>();
  for (const atom of atoms) {
    for (const s of atom) {
      if (s.kind === 'lit') {
        named.add(s.ch);
        if (s.ignoreCase) {
          named.add(s.ch.toLowerCase());
          named.add(s.ch.toUpperCase());
        }
      } else if ((s.kind === 'star' || s.kind === 'one') && s.except) for (const c of s.except) named.add(c);
    }
  }
  let fresh = [...FRESH].find((c) => !named.has(c) && !named.has(c.toUpperCase()));
  for (let code = 0x41; fresh === undefined; code++) {
    const c = String.fromCharCode(code);
    if (!named.has(c) && !named.has(c.toLowerCase()) && !named.has(c.toUpperCase())) fresh = c;
  }
  const out = [fresh];
  for (const c of prefer) if (named.has(c) && !out.includes(c)) out.push(c);
  // Lower case first: a witness reads `false`, not `FALSE`, where case does not matter.
  const rank = (c: string): number => (c !== c.toLowerCase() ? 1 : 0);
  for (const c of [...named].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))) if (!out.includes(c)) out.push(c);
  return out;
}

export type SearchResult = { found: string } | { found?: undefined; exact: boolean };

/**
 * The shortest string whose signature (which atoms accept it) satisfies `goal`. `alive`: atoms
 * that must accept (the search drops every state where one of them can no longer accept).
 * `{ exact: true }` without `found`: no string satisfies the goal.
 */
export function findString(atoms: readonly Atom[], goal: (accepts: readonly boolean[]) => boolean, alive: readonly number[] = []): SearchResult {
  let result: SearchResult = { exact: true };
  const complete = explore(atoms, alive, (accepts, text) => {
    if (!goal(accepts)) return false;
    result = { found: text };
    return true;
  });
  return 'found' in result && result.found !== undefined ? result : { exact: complete };
}

/**
 * One string for every signature the atoms can give a string (which atoms accept it), shortest
 * first. `exact` is false when the budget ran out before every signature was seen.
 */
export function signatureClasses(atoms: readonly Atom[]): { representatives: string[]; exact: boolean } {
  const seen = new Map<string, string>();
  const exact = explore(atoms, [], (accepts, text) => {
    const key = accepts.map((a) => (a ? '1' : '0')).join('');
    if (!seen.has(key)) seen.set(key, text);
    return false;
  });
  return { representatives: [...seen.values()], exact };
}

/** Breadth-first over the product; `visit` returns true to stop. Returns false when the budget ran out. */
function explore(atoms: readonly Atom[], alive: readonly number[], visit: (accepts: boolean[], text: string) => boolean): boolean {
  const alphabet = alphabetOf(atoms);
  interface Node { states: number[][]; text: string }
  const start: Node = { states: atoms.map((a) => closure(a, [0])), text: '' };
  const key = (states: number[][]): string => states.map((s) => s.join(',')).join('|');
  const seen = new Set<string>([key(start.states)]);
  const queue: Node[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    const accepts = node.states.map((s, i) => s.includes(atoms[i].length));
    if (visit(accepts, node.text)) return true;
    for (const ch of alphabet) {
      const states = node.states.map((s, i) => step(atoms[i], s, ch));
      if (alive.some((i) => states[i].length === 0)) continue;
      const k = key(states);
      if (seen.has(k)) continue;
      if (seen.size >= STATE_BUDGET) return false;
      seen.add(k);
      queue.push({ states, text: node.text + ch });
    }
  }
  return true;
}

/** Does the atom accept the text? */
export function atomAccepts(atom: Atom, text: string): boolean {
  let states = closure(atom, [0]);
  for (const ch of text) {
    states = step(atom, states, ch);
    if (!states.length) return false;
  }
  return states.includes(atom.length);
}

/**
 * Containment of one pattern in a union, with policy variables kept symbolic: every `${name}` is
 * one unknown value, the same wherever the name occurs; a `*` absorbs it, the same variable
 * matches it, nothing else does (the wildcard engine's `opaque` reading). A `true` holds for
 * every value the variables can take: each accepting run of the union maps to one on the
 * substituted strings. `undefined`: the budget ran out (not proven).
 */
export function unionContains(outer: readonly (readonly PatternToken[])[], inner: readonly PatternToken[]): boolean | undefined {
  // Symbols: characters, and one per variable name (a private-use character stands for it).
  const names = new Map<string, string>();
  const toSyms = (tokens: readonly PatternToken[]): Sym[] => tokens.map((t): Sym => {
    if (t.kind !== 'var') return t.kind === 'lit' ? { kind: 'lit', ch: t.ch } : { kind: t.kind };
    let ch = names.get(t.name);
    if (!ch) names.set(t.name, (ch = String.fromCharCode(0xe000 + names.size)));
    return { kind: 'lit', ch };
  });
  const a = toSyms(inner);
  const outs = outer.map(toSyms);
  // `?` reads one character, never a whole variable: variables are kept out of its reach.
  const varChars = [...names.values()].join('');
  const guard = (atom: Sym[]): Sym[] => atom.map((s) => (s.kind === 'one' ? { kind: 'one', except: varChars } : s));
  const atoms = [a, ...outs.map(guard)];
  const found = findString(atoms, (acc) => acc[0] && !acc.slice(1).some(Boolean), [0]);
  if (found.found !== undefined) return false;
  return found.exact ? true : undefined;
}
