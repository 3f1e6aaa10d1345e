/**
 * Cheap necessary conditions for the pattern algebra of `wildcard.ts`, so that rules comparing
 * many pairs of resources only run the exact (automaton) searches on pairs that can agree.
 *
 * Every function here answers "certainly not" or "maybe": a `true` from `certainlyDisjoint` means
 * `patternsOverlap(a, b)` is false, and since a pattern always matches some string, also that
 * `patternContains(a, b)` is false. The tokens are read as `patternsOverlap` reads token arrays
 * with its default options (variables opaque, case-sensitive literals).
 */
import type { PatternToken } from './wildcard';

/** Can one symbol be read by both tokens (neither a star)? Mirrors the exact search. */
function meet(a: PatternToken, b: PatternToken): boolean {
  if (a.kind === 'var' || b.kind === 'var') return a.kind === 'var' && b.kind === 'var' && a.name === b.name;
  if (a.kind === 'one' || b.kind === 'one') return true;
  return a.kind === 'lit' && b.kind === 'lit' && a.ch === b.ch;
}

function firstStar(t: readonly PatternToken[]): number {
  for (let i = 0; i < t.length; i++) if (t[i].kind === 'star') return i;
  return t.length;
}

function trailingFixed(t: readonly PatternToken[]): number {
  let k = 0;
  for (let i = t.length - 1; i >= 0 && t[i].kind !== 'star'; i--) k++;
  return k;
}

/**
 * True when no string matches both patterns, decided from their fixed heads and tails (the
 * tokens before the first and after the last `*`, which sit at fixed positions from the start and
 * the end of every matching string). False means "maybe": ask `patternsOverlap`.
 * O(length of the heads and tails).
 */
export function certainlyDisjoint(a: readonly PatternToken[], b: readonly PatternToken[]): boolean {
  const fa = firstStar(a);
  const fb = firstStar(b);
  if (fa === a.length && fb === b.length && a.length !== b.length) return true;
  const head = Math.min(fa, fb);
  for (let i = 0; i < head; i++) if (!meet(a[i], b[i])) return true;
  const tail = Math.min(trailingFixed(a), trailingFixed(b));
  for (let i = 1; i <= tail; i++) if (!meet(a[a.length - i], b[b.length - i])) return true;
  return false;
}

/**
 * True when `outer` cannot contain every string that starts with the literal `prefix` (the
 * pattern `prefix*`): it has no `*` (so it matches finitely many strings), or one of the tokens
 * before its first `*` cannot read the corresponding character of `prefix` or, beyond `prefix`,
 * every character (only `?` can). False means "maybe": ask `patternContains(outer, prefix*)`.
 */
export function certainlyNotAllWithPrefix(outer: readonly PatternToken[], prefix: string): boolean {
  const f = firstStar(outer);
  if (f === outer.length || f > prefix.length) return true;
  for (let i = 0; i < f; i++) {
    const t = outer[i];
    if (t.kind === 'one') continue;
    if (t.kind !== 'lit' || t.ch !== prefix[i]) return true;
  }
  return false;
}

/** Length of the literal text a policy pattern starts with: its characters before the first `*`, `?` or `${`. */
function headLength(pattern: string): number {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 0x2a /* * */ || c === 0x3f /* ? */ || (c === 0x24 /* $ */ && pattern.charCodeAt(i + 1) === 0x7b /* { */)) return i;
  }
  return pattern.length;
}

/** Length of the literal text a policy pattern ends with: its characters after the last `*`, `?` or `}`. */
function tailLength(pattern: string): number {
  for (let i = pattern.length - 1; i >= 0; i--) {
    const c = pattern.charCodeAt(i);
    if (c === 0x2a || c === 0x3f || c === 0x7d /* } */) return pattern.length - 1 - i;
  }
  return pattern.length;
}

/**
 * The literal text a policy pattern starts with: its characters before the first `*`, `?` or `${`
 * (where a variable or escape may begin; a `$` not followed by `{` is a plain character). Every string the pattern matches starts with it,
 * whether `${...}` is read as a variable or as text.
 */
export function literalHead(pattern: string): string {
  return pattern.slice(0, headLength(pattern));
}

/**
 * The literal text a policy pattern ends with: its characters after the last `*`, `?` or `}`
 * (where a variable or escape may end). Every string the pattern matches ends with it.
 */
export function literalTail(pattern: string): string {
  return pattern.slice(pattern.length - tailLength(pattern));
}

/**
 * `certainlyDisjoint` read off the pattern texts, before any tokens are built: two patterns whose
 * literal heads (or tails) disagree where both are fixed match no common string. Literals are
 * compared case-sensitively, as resources are. Allocates nothing.
 */
export function textsCertainlyDisjoint(a: string, b: string): boolean {
  const h = Math.min(headLength(a), headLength(b));
  for (let i = 0; i < h; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return true;
  const t = Math.min(tailLength(a), tailLength(b));
  for (let i = 1; i <= t; i++) if (a.charCodeAt(a.length - i) !== b.charCodeAt(b.length - i)) return true;
  return false;
}

/**
 * True when the pattern text certainly does not match the concrete `text` (case-sensitive):
 * `text` does not start with its literal head or does not end with its literal tail.
 */
export function textCertainlyUnmatched(pattern: string, text: string): boolean {
  const h = headLength(pattern);
  const t = tailLength(pattern);
  if (h > text.length || t > text.length) return true;
  for (let i = 0; i < h; i++) if (pattern.charCodeAt(i) !== text.charCodeAt(i)) return true;
  for (let i = 1; i <= t; i++) if (pattern.charCodeAt(pattern.length - i) !== text.charCodeAt(text.length - i)) return true;
  return false;
}

/** `text.startsWith(literalHead(pattern))`, without building the head: false means the pattern certainly does not match `text`. */
export function headFits(pattern: string, text: string): boolean {
  const h = headLength(pattern);
  if (h > text.length) return false;
  for (let i = 0; i < h; i++) if (pattern.charCodeAt(i) !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * Does `parsePattern(text, { variables: true })` produce a variable token? (A `${name}` that is not
 * one of the escapes `${*}`, `${?}`, `${$}`.) Such a pattern matches no concrete text in
 * `matchWildcard`, whatever else it says. Allocates nothing.
 */
export function hasVariableToken(text: string): boolean {
  let i = text.indexOf('${');
  while (i !== -1) {
    const close = text.indexOf('}', i + 2);
    if (close === -1) return false;
    const escape = close === i + 3 && (text[i + 2] === '*' || text[i + 2] === '?' || text[i + 2] === '$');
    if (!escape) return true;
    i = text.indexOf('${', close + 1);
  }
  return false;
}
