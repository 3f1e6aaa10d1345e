import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import {
  matchWildcard,
  matchWork,
  normalizePattern,
  parsePattern,
  patternContains,
  patternContainsDetailed,
  patternsEquivalent,
  patternsOverlap,
  patternToString,
} from '../../server/src/service/match/wildcard';

describe('matchWildcard', () => {
  it('matches literals exactly', () => {
    assert.equal(matchWildcard('topic/a/b', 'topic/a/b'), true);
    assert.equal(matchWildcard('topic/a/b', 'topic/a/c'), false);
    assert.equal(matchWildcard('topic/a/b', 'topic/a/b/'), false);
    assert.equal(matchWildcard('', ''), true);
    assert.equal(matchWildcard('', 'x'), false);
  });
  it('* matches any sequence, spanning topic levels, including the empty one', () => {
    assert.equal(matchWildcard('topic/a/*', 'topic/a/b/c/d'), true);
    assert.equal(matchWildcard('topic/a/*', 'topic/a/'), true);
    assert.equal(matchWildcard('topic/a/*', 'topic/a'), false);
    assert.equal(matchWildcard('topic/*/x', 'topic/a/b/x'), true);
    assert.equal(matchWildcard('*', ''), true);
    assert.equal(matchWildcard('**', 'abc'), true);
    assert.equal(matchWildcard('a*b*c', 'aXbYbZc'), true);
    assert.equal(matchWildcard('a*b*c', 'aXbYbZ'), false);
  });
  it('? matches exactly one character, including /', () => {
    assert.equal(matchWildcard('topic/some/?????/topic', 'topic/some/abcde/topic'), true);
    assert.equal(matchWildcard('topic/some/?????/topic', 'topic/some/abcd/topic'), false);
    assert.equal(matchWildcard('a?c', 'a/c'), true);
    assert.equal(matchWildcard('?', ''), false);
  });
  it('+ and # are literal', () => {
    assert.equal(matchWildcard('topicfilter/some/+/topic', 'topicfilter/some/+/topic'), true);
    assert.equal(matchWildcard('topicfilter/some/+/topic', 'topicfilter/some/x/topic'), false);
    assert.equal(matchWildcard('topicfilter/a/#', 'topicfilter/a/b'), false);
    assert.equal(matchWildcard('topicfilter/a/#', 'topicfilter/a/#'), true);
    assert.equal(matchWildcard('topicfilter/a/*', 'topicfilter/a/#'), true);
  });
  it('is case-sensitive unless ignoreCase', () => {
    assert.equal(matchWildcard('iot:Pub*', 'iot:publish'), false);
    assert.equal(matchWildcard('iot:Pub*', 'iot:publish', { ignoreCase: true }), true);
    assert.equal(matchWildcard('IOT:?ONNECT', 'iot:Connect', { ignoreCase: true }), true);
  });
  it('does not treat regex metacharacters specially', () => {
    assert.equal(matchWildcard('a.b', 'axb'), false);
    assert.equal(matchWildcard('a.b', 'a.b'), true);
    assert.equal(matchWildcard('(a|b)[c]^$', '(a|b)[c]^$'), true);
    assert.equal(matchWildcard('\\d', '1'), false);
  });
  it('escapes and variables through parsePattern', () => {
    const t = parsePattern('topic/${*}/${?}/${$}/*', { variables: true });
    assert.equal(matchWildcard(t, 'topic/*/?/$/x'), true);
    assert.equal(matchWildcard(t, 'topic/a/b/$/x'), false);
    // Unresolved variables never match.
    const v = parsePattern('topic/${iot:ClientId}', { variables: true });
    assert.equal(matchWildcard(v, 'topic/${iot:ClientId}'), false);
    assert.equal(matchWildcard(v, 'topic/x'), false);
    // Without variables, ${...} is literal text.
    const l = parsePattern('topic/${iot:ClientId}', { variables: false });
    assert.equal(matchWildcard(l, 'topic/${iot:ClientId}'), true);
    // Unclosed ${ is literal.
    assert.equal(matchWildcard(parsePattern('a/${x', { variables: true }), 'a/${x'), true);
  });
  it('containment stays fast on long patterns (fuzzing found a slow case)', () => {
    const t0 = Date.now();
    const long = 'topic/' + 'a'.repeat(3000);
    assert.equal(patternContains(long, long + '*'), false);
    assert.equal(patternContains(long + '*', long + '?'), true);
    assert.equal(patternContains('topic/?' + 'a'.repeat(2000) + '*', 'topic/*' + 'a'.repeat(2000)), false);
    const many = 'x?'.repeat(300) + '*';
    assert.equal(patternContains(many, 'x*'.repeat(300)), false);
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
  });
  it('runs in bounded time on adversarial patterns', () => {
    const pattern = 'a*'.repeat(200) + 'b';
    const text = 'a'.repeat(20000);
    const t0 = Date.now();
    assert.equal(matchWildcard(pattern, text), false);
    assert.equal(matchWildcard(pattern, text + 'b'), true);
    assert.equal(patternsOverlap(pattern, text), false);
    assert.equal(patternContains('*' + 'a*'.repeat(100), 'a'.repeat(150) + '*'), true);
    const ms = Date.now() - t0;
    assert.ok(ms < 2000, `took ${ms} ms`);
  });
});

describe('normalizePattern / patternToString', () => {
  it('puts ? before * and merges stars', () => {
    assert.equal(patternToString(normalizePattern(parsePattern('a*?*?b'))), 'a??*b');
  });
  it('round-trips escapes', () => {
    const s = 'topic/${*}/${iot:ClientId}/x${?}';
    assert.equal(patternToString(parsePattern(s, { variables: true })), s);
  });
});

describe('patternsOverlap', () => {
  it('decides common cases', () => {
    assert.equal(patternsOverlap('topicfilter/building/*', 'topicfilter/building/control_room/*'), true);
    assert.equal(patternsOverlap('topic/a/*', 'topic/b/*'), false);
    assert.equal(patternsOverlap('topic/*/x', 'topic/y/*'), true);
    assert.equal(patternsOverlap('topic/??', 'topic/abc'), false);
    assert.equal(patternsOverlap('topic/??', 'topic/a*'), true);
    assert.equal(patternsOverlap('iot:Pub*', 'iot:publish', { ignoreCase: true }), true);
    assert.equal(patternsOverlap('iot:Pub*', 'iot:publish'), false);
  });
  it('treats variables as opaque values by default', () => {
    const own = 'topic/${iot:Connection.Thing.ThingName}/*';
    assert.equal(patternsOverlap(own, 'topic/${iot:Connection.Thing.ThingName}/bar'), true);
    assert.equal(patternsOverlap(own, 'topic/*'), true);
    assert.equal(patternsOverlap(own, 'topic/thing1/a'), false);
    assert.equal(patternsOverlap(own, 'topic/?/a'), false);
    assert.equal(patternsOverlap(own, 'topic/thing1/a', { variables: 'wildcard' }), true);
    assert.equal(patternsOverlap(own, 'topic/${iot:ClientId}/a'), false);
    assert.equal(patternsOverlap(own, 'topic/${iot:Connection.Thing.ThingName}/a', { variables: 'literal' }), true);
    assert.equal(patternsOverlap(own, 'topic/thing1/a', { variables: 'literal' }), false);
    assert.equal(patternsOverlap(own, 'topic/${iot:Connection.Thing.ThingName}/a', { variables: 'literal' }), true);
    assert.equal(patternsOverlap('topic/${*}', 'topic/?'), true);
    assert.equal(patternsOverlap('topic/${*}', 'topic/a'), false);
  });
  it('reads a variable as one non-empty topic level with `level`', () => {
    const shadow = '$aws/things/${thing}/shadow/get';
    const level = { variables: 'level' } as const;
    assert.equal(patternsOverlap('$aws/things/lamp/shadow/get', shadow, level), true);
    assert.equal(patternsOverlap('$aws/things/a/b/shadow/get', shadow, level), false);
    assert.equal(patternsOverlap('$aws/things//shadow/get', shadow, level), false);
    assert.equal(patternsOverlap('$aws/things/*', shadow, level), true);
    assert.equal(patternsOverlap('$aws/things/?/shadow/get', shadow, level), true);
    assert.equal(patternsOverlap('$aws/things/${x}/shadow/*', shadow, level), true);
    assert.equal(patternsOverlap('$aws/things/${x}/jobs/*', shadow, level), false);
    // Without `level` the same pair is opaque: two different variables never meet.
    assert.equal(patternsOverlap('$aws/things/${x}/shadow/get', shadow), false);
  });
});

describe('patternContains', () => {
  it('decides common cases', () => {
    assert.equal(patternContains('topicfilter/building/*', 'topicfilter/building/control_room/*'), true);
    assert.equal(patternContains('topicfilter/building/control_room/*', 'topicfilter/building/*'), false);
    assert.equal(patternContains('*', 'anything*?'), true);
    assert.equal(patternContains('?*', '*?'), true);
    assert.equal(patternContains('*?', '??*'), true);
    assert.equal(patternContains('??*', '*?'), false);
    assert.equal(patternContains('a*', 'a'), true);
    assert.equal(patternContains('a?', 'a*'), false);
    assert.equal(patternContains('*a*', '*a*a*'), true);
    assert.equal(patternContains('*a?*', '*a*'), false);
    assert.equal(patternContains('topic/+/x', 'topic/a/x'), false);
    assert.equal(patternContains('?*', '*a'), true);
    assert.equal(patternContains('*?', '${v}a'), true);
    assert.equal(patternContains('?*', '${v}a'), false);
  });
  it('gives a witness when not contained', () => {
    const r = patternContainsDetailed('topic/a?*', 'topic/*');
    assert.equal(r.contained, false);
    assert.equal(r.exact, true);
    assert.ok(r.witness !== undefined && matchWildcard('topic/*', r.witness) && !matchWildcard('topic/a?*', r.witness), r.witness);
    const lit = patternContainsDetailed('topic/a/*', 'topic/b');
    assert.equal(lit.witness, 'topic/b');
    assert.equal(patternContainsDetailed('topic/a/*', 'topic/*').contained, false);
    const v = patternContainsDetailed('topic/${iot:ClientId}/*', 'topic/*');
    assert.equal(v.contained, false);
  });
  it('treats variables as opaque values by default', () => {
    const v = 'topic/${iot:Connection.Thing.ThingName}';
    assert.equal(patternContains('topic/*', v + '/x'), true);
    assert.equal(patternContains(v + '/*', v + '/x'), true);
    assert.equal(patternContains(v + '/*', 'topic/thing1/x'), false);
    assert.equal(patternContains('topic/?', v), false);
    assert.equal(patternContains('topic/${iot:ClientId}', v), false);
    assert.equal(patternContains('topic/*', v, { variables: 'wildcard' }), true);
    assert.equal(patternContains(v, 'topic/*', { variables: 'wildcard' }), true);
    assert.equal(patternsEquivalent('a*?', 'a?*'), true);
    assert.equal(patternsOverlap('*?', '${v}a'), true);
    assert.equal(patternsOverlap('?*', '${v}a'), false);
  });
});

// Brute-force oracles over the alphabet {a, b, /} plus a letter that no pattern uses, which
// stands for the unbounded rest of the alphabet.
const ALPHA = ['a', 'b', '/', 'z'];
function* strings(maxLen: number): Generator<string> {
  yield '';
  let layer = [''];
  for (let len = 1; len <= maxLen; len++) {
    const next: string[] = [];
    for (const s of layer) for (const c of ALPHA) next.push(s + c);
    for (const s of next) yield s;
    layer = next;
  }
}
const patternArb = fc.array(fc.constantFrom('a', 'b', '/', '*', '?'), { maxLength: 4 }).map((a) => a.join(''));

describe('pattern algebra agrees with brute force', () => {
  it('patternsOverlap', () => {
    fc.assert(
      fc.property(patternArb, patternArb, (p, q) => {
        let brute = false;
        for (const s of strings(8)) if (matchWildcard(p, s) && matchWildcard(q, s)) { brute = true; break; }
        return patternsOverlap(p, q) === brute;
      }),
      { numRuns: 400 },
    );
  });
  it('patternContains', () => {
    fc.assert(
      fc.property(patternArb, patternArb, (p, q) => {
        let brute = true;
        for (const s of strings(8)) if (matchWildcard(q, s) && !matchWildcard(p, s)) { brute = false; break; }
        return patternContains(p, q) === brute;
      }),
      { numRuns: 400 },
    );
  });
});

describe('matchWildcard: linear in the text on the worst shapes', () => {
  /** The backtracking matcher it replaced, as the reference for answers (small inputs only). */
  function reference(p: string, t: string): boolean {
    const memo = new Map<string, boolean>();
    const go = (i: number, j: number): boolean => {
      const k = `${i},${j}`;
      if (memo.has(k)) return memo.get(k)!;
      let r: boolean;
      if (i === p.length) r = j === t.length;
      else if (p[i] === '*') r = go(i + 1, j) || (j < t.length && go(i, j + 1));
      else r = j < t.length && (p[i] === '?' || p[i] === t[j]) && go(i + 1, j + 1);
      memo.set(k, r);
      return r;
    };
    return go(0, 0);
  }

  it('answers as the reference on every pattern and text over a small alphabet', () => {
    const alphabet = ['a', 'b', '*', '?'];
    const patterns: string[] = [''];
    for (let len = 1; len <= 5; len++) for (const q of [...patterns]) if (q.length === len - 1) for (const c of alphabet) patterns.push(q + c);
    const texts = ['', 'a', 'b', 'ab', 'ba', 'aab', 'abab', 'bbba', 'aaaab', 'babab'];
    for (const p of patterns) for (const t of texts) assert.equal(matchWildcard(p, t), reference(p, t), `${p} ~ ${t}`);
  });

  it('examines each character of the text a bounded number of times, whatever the pattern', () => {
    const text = 'topic/' + 'a'.repeat(100_000);
    const shapes = [
      `topic/*${'a'.repeat(20_000)}c*b`, // the attack: a long literal segment that almost matches everywhere
      `topic/*${'a?'.repeat(2_000)}c*b`, // the same with `?`: Shift-And
      `topic/${'*a'.repeat(2_000)}*c`, // many short segments
      `topic/${'?'.repeat(50_000)}*c`, // a long prefix of `?`
    ];
    for (const shape of shapes) {
      matchWork.steps = 0;
      assert.equal(matchWildcard(shape, text), false);
      const bound = 4 * (text.length + shape.length) + Math.ceil(shape.length / 32) * text.length;
      assert.ok(matchWork.steps <= bound, `${shape.slice(0, 24)}…: ${matchWork.steps} steps, bound ${bound}`);
    }
  });
});
