import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import {
  certainlyDisjoint,
  certainlyNotAllWithPrefix,
  hasVariableToken,
  headFits,
  literalHead,
  literalTail,
  textCertainlyUnmatched,
  textsCertainlyDisjoint,
} from '../../server/src/service/match/prefilter';
import { matchWildcard, parsePattern, patternContains, patternsOverlap } from '../../server/src/service/match/wildcard';

// Small alphabets so that random patterns often agree: literals, wildcards, `$`, braces and variables.
const piece = fc.constantFrom('a', 'b', '/', '*', '?', '$', '{', '}', '${x}', '${y}', '${*}', '${');
const pattern = fc.array(piece, { maxLength: 8 }).map((p) => p.join(''));
const text = fc.array(fc.constantFrom('a', 'b', '/', '$', '{', '}', '*'), { maxLength: 8 }).map((p) => p.join(''));
const runs = { numRuns: 3000, seed: 20261128 };

describe('match/prefilter: cheap tests never contradict the exact engine', () => {
  it('literal heads and tails', () => {
    assert.equal(literalHead('topic/a/*/b'), 'topic/a/');
    assert.equal(literalHead('topic/$aws/things/${iot:ClientId}/x'), 'topic/$aws/things/');
    assert.equal(literalTail('topic/${iot:ClientId}/status'), '/status');
    assert.equal(literalTail('topic/a/?'), '');
    assert.equal(literalHead('plain'), 'plain');
  });

  it('textsCertainlyDisjoint and certainlyDisjoint imply no overlap (variables opaque or literal)', () => {
    fc.assert(fc.property(pattern, pattern, fc.boolean(), (p, q, variables) => {
      const a = parsePattern(p, { variables });
      const b = parsePattern(q, { variables });
      const overlap = patternsOverlap(a, b);
      if (textsCertainlyDisjoint(p, q)) assert.equal(overlap, false, `${p} / ${q}`);
      if (certainlyDisjoint(a, b)) assert.equal(overlap, false, `${p} / ${q}`);
      // Containment implies overlap, so the same tests rule it out.
      if (certainlyDisjoint(a, b)) assert.equal(patternContains(a, b), false, `${p} ⊇ ${q}`);
    }), runs);
  });

  it('textCertainlyUnmatched and headFits imply no match', () => {
    fc.assert(fc.property(pattern, text, fc.boolean(), (p, t, variables) => {
      const m = matchWildcard(parsePattern(p, { variables }), t);
      if (textCertainlyUnmatched(p, t)) assert.equal(m, false, `${p} ~ ${t}`);
      if (!headFits(p, t)) assert.equal(m, false, `${p} ~ ${t}`);
    }), runs);
  });

  it('certainlyNotAllWithPrefix implies the pattern does not contain prefix*', () => {
    fc.assert(fc.property(pattern, fc.constantFrom('a/', 'ab/', 'a', ''), fc.boolean(), (p, prefix, variables) => {
      const tokens = parsePattern(p, { variables });
      if (certainlyNotAllWithPrefix(tokens, prefix)) assert.equal(patternContains(tokens, parsePattern(`${prefix}*`)), false, `${p} ⊇ ${prefix}*`);
    }), runs);
  });

  it('hasVariableToken agrees with parsePattern', () => {
    fc.assert(fc.property(pattern, (p) => {
      assert.equal(hasVariableToken(p), parsePattern(p, { variables: true }).some((t) => t.kind === 'var'), p);
    }), runs);
    assert.equal(hasVariableToken('topic/${*}/${?}/${$}'), false);
    assert.equal(hasVariableToken('topic/${iot:ClientId}'), true);
    assert.equal(hasVariableToken('topic/${iot:ClientId'), false);
  });

  it('settles the common case: unrelated resources', () => {
    assert.equal(textsCertainlyDisjoint('topic/fleet/${iot:ClientId}/cmd/1/*', 'topic/fleet/${iot:ClientId}/cmd/2/*'), false); // tails agree ('/*' is not literal)
    assert.equal(textsCertainlyDisjoint('topic/fleet/a/telemetry', 'topic/fleet/b/telemetry'), true);
    assert.equal(textsCertainlyDisjoint('topic/a/*', 'topicfilter/a/*'), true);
    assert.equal(certainlyNotAllWithPrefix(parsePattern('topic/fleet/*'), 'topic/'), true);
    assert.equal(certainlyNotAllWithPrefix(parsePattern('topic*'), 'topic/'), false);
    assert.equal(certainlyNotAllWithPrefix(parsePattern('*'), 'client/'), false);
  });
});
