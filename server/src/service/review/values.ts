/**
 * The values of one condition key that the policies tell apart. Every condition operator sorts
 * the values of a key into classes (a string matches `StringLike` `sensor-*` or not; a number is
 * below, at or above each bound of the `Numeric` operators; an address is inside a CIDR block or
 * not): one value per class is enough to decide every condition on the key, so the engine tries
 * these and nothing else. Classes come from the string search (`strings.ts`) for the string, ARN,
 * Boolean and binary operators, from the bounds for numbers and dates, and from the block edges
 * for IP addresses.
 */
import { parseDateValue, parseNumericValue, type ConditionBase } from '../catalog/conditions';
import { parseCidr, type CidrBlock } from '../catalog/ip';
import type { PatternToken } from '../match/wildcard';
import { arnAtom, atomOf, literalAtom, signatureClasses, type Atom } from './strings';

/** One value a condition compares a key with, its variables already given their values. */
export interface KeyTest {
  base: ConditionBase;
  /** String and ARN operators: the value as pattern tokens (`like`: wildcards; equals: literal). */
  tokens?: PatternToken[];
  /** The value as written (numbers, dates, addresses, Booleans, base-64). */
  raw: string;
  like: boolean;
  ignoreCase: boolean;
}

export interface Representatives {
  values: string[];
  /** False when some class may have no value here (several families of operators on one key, or a search ran out of budget). */
  exact: boolean;
  /** Why not exact, for the "may" of an item. */
  reason?: string;
}

/** A value no operator accepts (not a number, a date, an address, a Boolean or base-64). */
const NOTHING = 'x-none';

/** The value classes of a key, one value each. */
export function keyRepresentatives(key: string, tests: readonly KeyTest[]): Representatives {
  const families = new Map<string, KeyTest[]>();
  for (const t of tests) {
    if (t.base === 'Null') continue;
    const family = t.base === 'Arn' || t.base === 'Bool' ? 'String' : t.base;
    families.set(family, [...(families.get(family) ?? []), t]);
  }
  const values = new Set<string>();
  let exact = true;
  let reason: string | undefined;
  for (const [family, list] of families) {
    const r = familyRepresentatives(family, list);
    for (const v of r.values) values.add(v);
    if (!r.exact) {
      exact = false;
      reason ??= r.reason;
    }
  }
  if (families.size > 1) {
    exact = false;
    reason ??= `${key} is compared by operators of different types (${[...families.keys()].join(', ')}), whose value classes are not combined`;
  }
  if (!values.size) values.add('value-1');
  return { values: [...values], exact, reason };
}

function familyRepresentatives(family: string, tests: readonly KeyTest[]): Representatives {
  switch (family) {
    case 'String':
      return stringClasses(tests);
    case 'Binary':
      return { values: [...new Set(tests.map((t) => t.raw)), NOTHING], exact: true };
    case 'Numeric':
      return numberClasses(tests);
    case 'Date':
      return dateClasses(tests);
    case 'IpAddress':
      return addressClasses(tests);
    default:
      return { values: [NOTHING], exact: false, reason: `the ${family} operator is not compared` };
  }
}

function stringAtom(t: KeyTest): Atom {
  if (t.base === 'Bool') {
    const v = t.raw.toLowerCase();
    return v === 'true' || v === 'false' ? literalAtom(v, true) : [{ kind: 'never' }];
  }
  const tokens = t.tokens ?? [];
  if (t.base === 'Arn') return arnAtom(tokens);
  if (t.like) return atomOf(tokens);
  // Equality compares with the value's text, where `*` and `?` are plain characters.
  if (tokens.some((x) => x.kind === 'var')) return [{ kind: 'never' }];
  const text = tokens.map((x) => (x.kind === 'lit' ? x.ch : x.kind === 'star' ? '*' : '?')).join('');
  return literalAtom(text, t.ignoreCase);
}

function stringClasses(tests: readonly KeyTest[]): Representatives {
  const { representatives, exact } = signatureClasses(tests.map(stringAtom));
  // The empty string is a value, but a poor example: prefer a non-empty one of the same class.
  const values = representatives.map((v) => v);
  return exact ? { values, exact } : { values, exact, reason: 'the string values are too many to compare exactly' };
}

/** Below, at, between and above every bound; plus a value that is no number. */
function pointsAround(bounds: number[], between: (a: number, b: number) => number | undefined, below: (a: number) => number | undefined, above: (a: number) => number | undefined): number[] {
  const sorted = [...new Set(bounds)].sort((a, b) => a - b);
  if (!sorted.length) return [];
  const out: number[] = [];
  const first = below(sorted[0]);
  if (first !== undefined) out.push(first);
  sorted.forEach((b, i) => {
    out.push(b);
    const next = sorted[i + 1];
    if (next === undefined) return;
    const mid = between(b, next);
    if (mid !== undefined) out.push(mid);
  });
  const last = above(sorted[sorted.length - 1]);
  if (last !== undefined) out.push(last);
  return out;
}

function numberClasses(tests: readonly KeyTest[]): Representatives {
  const bounds = tests.map((t) => parseNumericValue(t.raw)).filter((n): n is number => n !== undefined);
  const points = pointsAround(
    bounds,
    (a, b) => {
      const m = (a + b) / 2;
      return m > a && m < b ? m : undefined;
    },
    (a) => a - 1,
    (a) => a + 1,
  );
  return { values: [...points.map((n) => String(n)), NOTHING], exact: true };
}

/** Dates are read to whole milliseconds; ISO 8601 covers years 0 to 9999. */
const DATE_MIN = new Date(0).setUTCFullYear(0, 0, 1);
const DATE_MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function isoDate(ms: number): string | undefined {
  if (ms < DATE_MIN || ms > DATE_MAX) return undefined;
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) return undefined;
  const iso = d.toISOString();
  return parseDateValue(iso) === ms ? iso : undefined;
}

function dateClasses(tests: readonly KeyTest[]): Representatives {
  const bounds = tests.map((t) => parseDateValue(t.raw)).filter((n): n is number => n !== undefined);
  const points = pointsAround(
    bounds,
    (a, b) => (b - a >= 2 ? Math.floor((a + b) / 2) : undefined),
    (a) => a - 1000,
    (a) => a + 1000,
  );
  const values = points.map(isoDate).filter((v): v is string => v !== undefined);
  // A point outside the years ISO dates can write is left out: the class has no other value.
  return { values: [...values, NOTHING], exact: true };
}

function formatAddress(version: 4 | 6, value: bigint): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  return groups.join(':');
}

function addressClasses(tests: readonly KeyTest[]): Representatives {
  const blocks = tests.map((t) => parseCidr(t.raw)).filter((b): b is CidrBlock => b !== undefined);
  const values: string[] = [NOTHING];
  for (const version of [4, 6] as const) {
    const bits = BigInt(version === 4 ? 32 : 128);
    const top = (1n << bits) - 1n;
    const own = blocks.filter((b) => b.version === version);
    if (!own.length) continue;
    // The edges of every block cut the address space into intervals no block tells apart.
    const edges = new Set<bigint>([0n]);
    for (const b of own) {
      const size = 1n << (bits - BigInt(b.prefix));
      const lo = (b.value >> (bits - BigInt(b.prefix))) << (bits - BigInt(b.prefix));
      edges.add(lo);
      if (lo + size <= top) edges.add(lo + size);
    }
    for (const e of [...edges].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) values.push(formatAddress(version, e));
  }
  return { values, exact: true };
}
