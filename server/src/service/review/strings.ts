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
import { patternContainsDetailed, type PatternToken } from '../match/wildcard';

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

/** The characters the atoms name: literals (both cases when compared without case), and those a wildcard may not read. */
function namedChars(atoms: readonly Atom[]): Set<string> {
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
  return named;
}

/**
 * The characters a search must try: every character the atoms name (both cases for a literal
 * compared without case, and the characters a wildcard may not read), and first one that none
 * of them names. `prefer`: characters to try before the others (for readable witnesses).
 */
function alphabetOf(atoms: readonly Atom[], prefer = ''): string[] {
  const named = namedChars(atoms);
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
    result = { found: text() };
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
    if (!seen.has(key)) seen.set(key, text());
    return false;
  });
  return { representatives: [...seen.values()], exact };
}

/**
 * One atom made deterministic on demand: a state is a set of positions, interned as a number (0:
 * the empty set, from which nothing is accepted), and each transition is computed once, the first
 * time a search needs it. Transitions read character classes, not characters: each character the
 * atom names is a class, and every other character is one more class (the atom cannot tell them
 * apart), so the automaton does not depend on a search's alphabet and is shared by every search
 * on the same atom (`dfaOf`): the ARN prefix all resource patterns share is stepped once, not once
 * per search.
 */
class LazyDfa {
  /** State numbers by their set: a one-position set by the position, others by their joined text. */
  private readonly ids = new Map<string | number, number>();
  private readonly sets: number[][] = [];
  readonly accepting: boolean[] = [];
  /** The atom's classes: the characters it names, then one that it does not name. */
  private readonly classChars: string[];
  private readonly classIndex = new Map<string, number>();
  /** `next[state * classes + class]`: the state after reading a character of the class; -1 until computed. */
  private next: Int32Array;
  readonly start: number;

  /** `extra`: characters the atom reads like one it names, without naming them (`K` and `k` compared without case). */
  constructor(private readonly atom: Atom, extra: readonly string[]) {
    const named = namedChars([atom]);
    for (const c of extra) named.add(c);
    this.classChars = [...named];
    this.classChars.forEach((c, i) => this.classIndex.set(c, i));
    // The class of the rest: stepped with a character that no symbol reads as one it names.
    let other = 1;
    const special = (c: string): boolean => named.has(c) || atom.some((s) => s.kind === 'lit' && reads(s, c));
    while (special(String.fromCharCode(other))) other++;
    this.classChars.push(String.fromCharCode(other));
    this.next = new Int32Array(this.classChars.length * 16).fill(-1);
    this.intern([]);
    this.next.fill(0, 0, this.classChars.length);
    this.start = this.intern(closure(atom, [0]));
  }

  get size(): number {
    return this.sets.length;
  }

  /** Runs the text (by code points, as `atomAccepts`); for an atom that names every character it reads. */
  accepts(text: string): boolean {
    const other = this.classChars.length - 1;
    let state = this.start;
    for (const ch of text) {
      state = this.step(state, this.classIndex.get(ch) ?? other);
      if (state === 0) return false;
    }
    return this.accepting[state];
  }

  /** The class of each of the alphabet's characters. */
  classesOf(alphabet: readonly string[]): Int32Array {
    const other = this.classChars.length - 1;
    return Int32Array.from(alphabet, (c) => this.classIndex.get(c) ?? other);
  }

  private intern(set: number[]): number {
    const k = set.length === 1 ? set[0] : set.join(',');
    let id = this.ids.get(k);
    if (id !== undefined) return id;
    id = this.sets.length;
    statesKept++;
    this.ids.set(k, id);
    this.sets.push(set);
    // `closure` gives the positions ascending: the set accepts when its last one is the end.
    this.accepting.push(set.length > 0 && set[set.length - 1] === this.atom.length);
    const need = this.sets.length * this.classChars.length;
    if (need > this.next.length) {
      const grown = new Int32Array(need * 2).fill(-1);
      grown.set(this.next);
      this.next = grown;
    }
    return id;
  }

  step(state: number, cls: number): number {
    const at = state * this.classChars.length + cls;
    let to = this.next[at];
    if (to === -1) {
      if (this.literalOnly(state)) return this.next[at];
      to = this.intern(step(this.atom, this.sets[state], this.classChars[cls]));
      this.next[at] = to;
    }
    return to;
  }

  /**
   * Fills a state's whole row when none of its positions is a wildcard (the long literal runs of
   * ARNs): every class but the literals' leads to the empty set, without stepping the positions.
   */
  private literalOnly(state: number): boolean {
    const set = this.sets[state];
    for (const p of set) {
      const s = this.atom[p];
      if (s !== undefined && (s.kind !== 'lit' || s.ignoreCase)) return false;
    }
    const width = this.classChars.length;
    const row = state * width;
    const classes: number[] = [];
    const targets: number[] = [];
    for (const p of set) {
      const s = this.atom[p];
      if (s?.kind !== 'lit') continue;
      classes.push(this.classIndex.get(s.ch)!);
      targets.push(this.intern(step(this.atom, set, s.ch)));
    }
    // `intern` may have grown the table: the row is written after it.
    this.next.fill(0, row, row + width);
    for (let i = 0; i < classes.length; i++) this.next[row + classes[i]] = targets[i];
    return true;
  }
}

/**
 * Automata kept for reuse: at most `DFA_CACHE_LIMIT` of them and `STATES_KEPT` states in all (a
 * state costs a row of the table and its set, some 200 bytes), and an automaton that grew past
 * `DFA_STATE_LIMIT` states is started afresh. When a bound is reached the cache starts over.
 */
const DFA_CACHE_LIMIT = 2048;
const DFA_STATE_LIMIT = 4096;
const STATES_KEPT = 50_000;
const DFAS = new Map<string, LazyDfa>();
let statesKept = 0;

const ATOM_KEYS = new WeakMap<Atom, { key: string; folds?: Set<string> }>();

/** The atom's symbols as a string, equal for two atoms that read every string the same way; and the folded literals compared without case. */
function atomKey(atom: Atom): { key: string; folds?: Set<string> } {
  let known = ATOM_KEYS.get(atom);
  if (known) return known;
  let key = '';
  let folds: Set<string> | undefined;
  for (const s of atom) {
    if (s.kind === 'lit') {
      key += (s.ignoreCase ? 'i' : 'l') + s.ch;
      if (s.ignoreCase) (folds ??= new Set()).add(fold(s.ch, true));
    } else if (s.kind === 'never') key += 'n';
    else key += (s.kind === 'one' ? 'o' : 's') + String.fromCharCode(s.except?.length ?? 0) + (s.except ?? '');
  }
  known = folds ? { key, folds } : { key };
  ATOM_KEYS.set(atom, known);
  return known;
}

/**
 * The shared automaton of an atom, for a search over `alphabet`. Bounded: the cache starts over
 * when full, and an automaton that grew too large is replaced.
 */
function dfaOf(atom: Atom, alphabet: readonly string[]): LazyDfa {
  const { key: symbols, folds } = atomKey(atom);
  let key = symbols;
  // Compared without case, a character the atom does not name may still read like one it names.
  let extra: string[] = [];
  if (folds) {
    const named = namedChars([atom]);
    extra = alphabet.filter((c) => !named.has(c) && folds.has(fold(c, true)));
    if (extra.length) key += `\u0000${extra.join('')}`;
  }
  let dfa = DFAS.get(key);
  if (!dfa || dfa.size > DFA_STATE_LIMIT) {
    if (DFAS.size >= DFA_CACHE_LIMIT || statesKept >= STATES_KEPT) {
      DFAS.clear();
      statesKept = 0;
    }
    dfa = new LazyDfa(atom, extra);
    DFAS.set(key, dfa);
  }
  return dfa;
}

/**
 * The key of a product state: each atom's state number as one character (two above 0x7fff, the
 * first with the high bit set, so no two tuples share a key).
 */
function productKey(states: Int32Array | readonly number[], codes: number[]): string {
  codes.length = 0;
  for (const id of states) {
    if (id < 0x8000) codes.push(id);
    else codes.push(0x8000 | (id >>> 15), id & 0x7fff);
  }
  if (codes.length <= KEY_CHUNK) return String.fromCharCode(...codes);
  // Thousands of atoms (a union of many entries): in chunks, within the engine's argument limit.
  let key = '';
  for (let i = 0; i < codes.length; i += KEY_CHUNK) key += String.fromCharCode(...codes.slice(i, i + KEY_CHUNK));
  return key;
}

const KEY_CHUNK = 4096;

/**
 * Breadth-first over the product; `visit` returns true to stop (`text` spells the state's
 * shortest string; `accepts` is valid during the call only). Returns false when the budget ran out. The atoms that must stay alive are
 * stepped first, so a character that kills one costs one step, not one per atom.
 */
function explore(atoms: readonly Atom[], alive: readonly number[], visit: (accepts: boolean[], text: () => string) => boolean): boolean {
  const alphabet = alphabetOf(atoms);
  const dfas = atoms.map((a) => dfaOf(a, alphabet));
  const classes = dfas.map((d) => d.classesOf(alphabet));
  const n = atoms.length;
  const mustLive = new Set(alive);
  const order = [...mustLive, ...atoms.map((_, i) => i).filter((i) => !mustLive.has(i))];
  const lives = mustLive.size;
  // The queue: node `k`'s states at `states[k * n + i]`, its parent and last character.
  let states = new Int32Array(n * 64);
  const parent: number[] = [-1];
  const char: number[] = [-1];
  dfas.forEach((d, i) => (states[i] = d.start));
  const codes: number[] = [];
  const seen = new Set<string>([productKey(states.subarray(0, n), codes)]);
  const textOf = (k: number): string => {
    let text = '';
    for (let at = k; parent[at] !== -1; at = parent[at]) text = alphabet[char[at]] + text;
    return text;
  };
  const next = new Int32Array(n);
  // One signature array and one text function for every node: `visit` reads them during its call.
  const signature = new Array<boolean>(n);
  let head = 0;
  const text = (): string => textOf(head);
  for (; head < parent.length; head++) {
    const base = head * n;
    for (let i = 0; i < n; i++) signature[i] = dfas[i].accepting[states[base + i]];
    if (visit(signature, text)) return true;
    chars: for (let c = 0; c < alphabet.length; c++) {
      for (let o = 0; o < n; o++) {
        const i = order[o];
        const to = dfas[i].step(states[base + i], classes[i][c]);
        if (to === 0 && o < lives) continue chars;
        next[i] = to;
      }
      const k = productKey(next, codes);
      if (seen.has(k)) continue;
      if (seen.size >= STATE_BUDGET) return false;
      seen.add(k);
      const at = parent.length * n;
      if (at + n > states.length) {
        const grown = new Int32Array(states.length * 2);
        grown.set(states);
        states = grown;
      }
      states.set(next, at);
      parent.push(head);
      char.push(c);
    }
  }
  return true;
}

/**
 * Does the atom accept the text? Through its shared automaton: no sets are built. (An atom that
 * compares without case is run as written: a character it does not name may still read.)
 */
export function accepts(atom: Atom, text: string): boolean {
  if (atomKey(atom).folds) return atomAccepts(atom, text);
  return dfaOf(atom, NO_EXTRA).accepts(text);
}

const NO_EXTRA: readonly string[] = [];

/** Does the atom accept the text? Position sets, stepped character by character. */
export function atomAccepts(atom: Atom, text: string): boolean {
  let states = closure(atom, [0]);
  for (const ch of text) {
    states = step(atom, states, ch);
    if (!states.length) return false;
  }
  return states.includes(atom.length);
}

/**
 * Plain strings of the first atom: its wildcards read one character that no atom names, or
 * nothing. Most patterns that are not contained in a union fail on one of them, which settles
 * them without a search (`undefined`); otherwise the others that accept both, the only ones that
 * can hold the first alone.
 */
function plainStrings(atoms: readonly Atom[]): number[] | undefined {
  const [inner, ...outs] = atoms;
  let holders = outs.map((_, i) => i + 1);
  if (inner.some((s) => s.kind === 'never')) return holders;
  const fresh = alphabetOf(atoms)[0];
  for (const fill of [fresh, '']) {
    let text = '';
    for (const s of inner) text += s.kind === 'lit' ? s.ch : s.kind === 'one' ? fresh : fill;
    const accepted = outs.map((o) => accepts(o, text));
    if (!accepted.includes(true)) return undefined;
    holders = holders.filter((i) => accepted[i - 1]);
  }
  return holders;
}

/**
 * Containment of one pattern in a union, with policy variables kept symbolic: every `${name}` is
 * one unknown value, the same wherever the name occurs; a `*` absorbs it, the same variable
 * matches it, nothing else does (the wildcard engine's `opaque` reading). A `true` holds for
 * every value the variables can take: each accepting run of the union maps to one on the
 * substituted strings. `undefined`: the budget ran out (not proven).
 */
export function unionContains(outer: readonly (readonly PatternToken[])[], inner: readonly PatternToken[]): boolean | undefined {
  // Symbols: characters, and one per variable name (a private-use character that no pattern
  // names stands for it).
  const used = new Set<string>();
  for (const tokens of [inner, ...outer]) for (const t of tokens) if (t.kind === 'lit') used.add(t.ch);
  let code = 0xe000;
  const names = new Map<string, string>();
  const toSyms = (tokens: readonly PatternToken[]): Sym[] => tokens.map((t): Sym => {
    if (t.kind !== 'var') return t.kind === 'lit' ? { kind: 'lit', ch: t.ch } : { kind: t.kind };
    let ch = names.get(t.name);
    if (!ch) {
      while (used.has(String.fromCharCode(code))) code++;
      names.set(t.name, (ch = String.fromCharCode(code++)));
    }
    return { kind: 'lit', ch };
  });
  const a = toSyms(inner);
  const outs = outer.map(toSyms);
  // `?` reads one character, never a whole variable: variables are kept out of its reach. In the
  // inner pattern no wildcard reads a variable's symbol either: every resource it matches, for a
  // value of the variables, is the image of a string where only its own variables read them.
  const varChars = [...names.values()].join('');
  const guard = (atom: Sym[], stars: boolean): Sym[] => atom.map((s) => (s.kind === 'one' || (stars && s.kind === 'star') ? { kind: s.kind, except: varChars } : s));
  const atoms = varChars ? [guard(a, true), ...outs.map((o) => guard(o, false))] : [a, ...outs];
  const holders = plainStrings(atoms);
  if (!holders) return false;
  // One pattern of the union that holds the inner one settles it without the product search.
  if (holders.some((i) => patternContainsDetailed(outer[i - 1], inner).contained)) return true;
  const found = findString(atoms, (acc) => acc[0] && !acc.slice(1).some(Boolean), [0]);
  if (found.found !== undefined) return false;
  return found.exact ? true : undefined;
}
