/**
 * Path patterns in `.gitignore` syntax, for `.iot-policyignore`, the `ignore` key of
 * `iot-policy.config.json` and the `files` of its `overrides`:
 * - `#` starts a comment line; blank lines are skipped; trailing spaces are dropped unless escaped;
 * - `!` negates: a later pattern re-includes what an earlier one matched (the last match wins),
 *   but nothing below a folder that is itself matched can be re-included, as in git;
 * - a trailing `/` matches folders only (and so everything inside them);
 * - a pattern with a `/` at its start or in its middle is anchored to the base folder; without
 *   one it matches a name at any depth (`*.generated.json`, `legacy`);
 * - `*` and `?` never cross a `/`; `[a-z]`, `[!a]` are character classes; `**` spans folders
 *   (first, last or between two slashes); `\` escapes the next character.
 *
 * No regular expression is built from a pattern: a hostile pattern cannot backtrack
 * exponentially (the star matcher keeps one backtrack point per segment, as compileGlob does).
 */
import { matchSegments } from './detect';

/** One character of a segment pattern: a literal, `?`, a class, or `*`. */
type Token = { kind: 'char'; c: string } | { kind: 'any' } | { kind: 'star' } | { kind: 'class'; negated: boolean; ranges: [string, string][] };

interface CompiledPattern {
  negated: boolean;
  dirOnly: boolean;
  /** Segments to match; `**` is `undefined`. */
  segments: (Token[] | undefined)[];
}

/** Splits a pattern at unescaped `/`. */
function splitSegments(p: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length) {
      cur += c + p[++i];
    } else if (c === '/') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** A class `[...]` starting at `p[at] === '['`; undefined when it is not closed (then `[` is literal). */
function readClass(p: string, at: number): { token: Token; end: number } | undefined {
  let i = at + 1;
  const negated = p[i] === '!' || p[i] === '^';
  if (negated) i++;
  const ranges: [string, string][] = [];
  let first = true;
  while (i < p.length && (p[i] !== ']' || first)) {
    first = false;
    let lo = p[i];
    if (lo === '\\' && i + 1 < p.length) lo = p[++i];
    let hi = lo;
    if (p[i + 1] === '-' && i + 2 < p.length && p[i + 2] !== ']') {
      hi = p[i + 2];
      if (hi === '\\' && i + 3 < p.length) hi = p[++i + 2];
      i += 2;
    }
    ranges.push([lo, hi]);
    i++;
  }
  if (i >= p.length) return undefined;
  return { token: { kind: 'class', negated, ranges }, end: i + 1 };
}

function tokenize(segment: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < segment.length; ) {
    const c = segment[i];
    if (c === '\\' && i + 1 < segment.length) {
      out.push({ kind: 'char', c: segment[i + 1] });
      i += 2;
    } else if (c === '*') {
      // Runs of `*` within a segment match the same as one.
      if (out[out.length - 1]?.kind !== 'star') out.push({ kind: 'star' });
      i++;
    } else if (c === '?') {
      out.push({ kind: 'any' });
      i++;
    } else if (c === '[') {
      const cls = readClass(segment, i);
      if (cls) {
        out.push(cls.token);
        i = cls.end;
      } else {
        out.push({ kind: 'char', c });
        i++;
      }
    } else {
      out.push({ kind: 'char', c });
      i++;
    }
  }
  return out;
}

function tokenMatches(t: Token, c: string): boolean {
  switch (t.kind) {
    case 'char':
      return t.c === c;
    case 'any':
      return true;
    case 'class': {
      const inside = t.ranges.some(([lo, hi]) => c >= lo && c <= hi);
      return inside !== t.negated;
    }
    default:
      return false;
  }
}

/** Greedy `*` matching with one backtrack point: linear-ish, never exponential. */
function segmentMatches(tokens: readonly Token[], text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const tok = tokens[p];
    if (tok && tok.kind !== 'star' && tokenMatches(tok, text[t])) {
      p++;
      t++;
    } else if (tok?.kind === 'star') {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (tokens[p]?.kind === 'star') p++;
  return p === tokens.length;
}

/** Segment lists, `undefined` being `**`: dynamic programming over (pattern, path) prefixes. */
function segmentsMatch(pattern: readonly (Token[] | undefined)[], path: readonly string[]): boolean {
  return matchSegments(pattern, path, (seg) => seg === undefined, (seg, text) => segmentMatches(seg as Token[], text));
}

/** Drops trailing unescaped spaces (git keeps `\ `). */
function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ' && line[end - 2] !== '\\') end--;
  return line.slice(0, end);
}

/** Compiles one line; undefined for blank lines and comments. */
function compileLine(raw: string): CompiledPattern | undefined {
  let line = trimTrailingSpaces(raw.replace(/\r$/, ''));
  if (line === '' || line.startsWith('#')) return undefined;
  let negated = false;
  if (line.startsWith('!')) {
    negated = true;
    line = line.slice(1);
  } else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
  let dirOnly = false;
  if (line.endsWith('/') && !line.endsWith('\\/')) {
    dirOnly = true;
    line = line.slice(0, -1);
  }
  if (line === '') return undefined;
  const parts = splitSegments(line);
  // A slash at the start or in the middle anchors the pattern; otherwise it matches at any depth.
  const anchored = parts.length > 1;
  if (parts[0] === '') parts.shift();
  const segments: (Token[] | undefined)[] = parts.filter((s, i) => s !== '' || i === parts.length - 1)
    .map((s) => (s === '**' ? undefined : tokenize(s)))
    .filter((s, i, a) => !(s === undefined && i > 0 && a[i - 1] === undefined));
  if (!anchored && segments[0] !== undefined) segments.unshift(undefined);
  // A trailing `**` matches everything inside, not the folder itself (so `!dir/keep` can re-include).
  if (segments.length > 1 && segments[segments.length - 1] === undefined) segments.splice(segments.length - 1, 0, tokenize('*'));
  return { negated, dirOnly, segments };
}

/** Patterns compiled once, asked about many paths. */
export class PathPatterns {
  private readonly patterns: CompiledPattern[];

  /** `lines`: patterns as written, one a line (the lines of an ignore file, or a list of globs). */
  constructor(lines: readonly string[]) {
    this.patterns = [];
    for (const l of lines) {
      const p = compileLine(l);
      if (p) this.patterns.push(p);
    }
  }

  get size(): number {
    return this.patterns.length;
  }

  /**
   * The verdict of the last pattern that matches `parts` itself (not its folders): true for a
   * match, false for a negated match, undefined when none matches.
   */
  private verdict(parts: readonly string[], isDir: boolean): boolean | undefined {
    for (let i = this.patterns.length - 1; i >= 0; i--) {
      const p = this.patterns[i];
      if (p.dirOnly && !isDir) continue;
      if (segmentsMatch(p.segments, parts)) return !p.negated;
    }
    return undefined;
  }

  /** True when the folder at `relPath` (`/`-separated, relative to the base) is matched itself. */
  matchesDir(relPath: string): boolean {
    return this.verdict(splitPath(relPath), true) === true;
  }

  /**
   * True when `relPath` (`/`-separated, relative to the base folder) is matched: by a pattern
   * for the path itself, or because one of its folders is. `isDir` says whether it is a folder.
   */
  matches(relPath: string, isDir = false): boolean {
    if (!this.patterns.length) return false;
    const parts = splitPath(relPath);
    // A matched folder matches everything inside it; nothing below it can be re-included.
    for (let n = 1; n < parts.length; n++) if (this.verdict(parts.slice(0, n), true) === true) return true;
    return this.verdict(parts, isDir) === true;
  }
}

function splitPath(relPath: string): string[] {
  return relPath.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
}

/** The lines of an ignore file's text. */
export function ignoreFileLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split('\n');
}
