/**
 * The review engine's string search (service/review/strings.ts) against a brute-force reference,
 * and the answers the engine keeps between searches: each pattern's automaton is shared by every
 * search that uses the pattern, whatever the other patterns and so the alphabet are; answers about
 * a pair of patterns are kept per pattern object; a region's answer is moved to another action with
 * the same statements. Every kept answer must be the one a fresh search would give.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { openPolicyDocument, parsePolicy } from '../../server/src/service';
import { evaluate, type EvalPolicy } from '../../server/src/service/eval/evaluate';
import { matchWildcard, parsePattern, patternToString, type PatternToken } from '../../server/src/service/match/wildcard';
import { diffPolicies } from '../../server/src/service/review';
import { arnAtom, atomAccepts, atomOf, findString, literalAtom, signatureClasses, unionContains, type Atom } from '../../server/src/service/review/strings';

/** A small deterministic generator, so a failure names its case. */
function generator(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const PIECES = ['a', 'b', '/', ':', '*', '?', 'A'];

function randomAtom(next: () => number): { text: string; atom: Atom } {
  const length = 1 + Math.floor(next() * 4);
  let text = '';
  for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
  const kind = next();
  if (kind < 0.15) return { text: `literal, no case: ${text}`, atom: literalAtom(text.replace(/[*?]/g, 'a'), true) };
  if (kind < 0.3) return { text: `ARN: ${text}`, atom: arnAtom(parsePattern(`x:y:z:w:v:${text}`)) };
  return { text, atom: atomOf(parsePattern(text)) };
}

/** Every string over `chars` up to `max` characters. */
function stringsUpTo(chars: readonly string[], max: number): string[] {
  const out = [''];
  let layer = [''];
  for (let n = 1; n <= max; n++) {
    layer = layer.flatMap((s) => chars.map((c) => s + c));
    out.push(...layer);
  }
  return out;
}

const signature = (atoms: readonly Atom[], text: string): string => atoms.map((a) => (atomAccepts(a, text) ? '1' : '0')).join('');

describe('review: the string search', () => {
  it('finds every class of strings a brute-force enumeration finds, with automata shared between searches over different alphabets', () => {
    const next = generator(20261206);
    // Characters the atoms name, and two that none names.
    const chars = ['a', 'b', 'A', 'B', '/', ':', 'x', 'q'];
    const all = stringsUpTo(chars, 3);
    for (let round = 0; round < 250; round++) {
      const picked = Array.from({ length: 1 + Math.floor(next() * 3) }, () => randomAtom(next));
      const atoms = picked.map((p) => p.atom);
      const label = picked.map((p) => p.text).join(' | ');
      const found = signatureClasses(atoms);
      assert.ok(found.exact, label);
      const classes = new Set(found.representatives.map((r) => signature(atoms, r)));
      // Sound: one representative per class. Complete: every class the short strings show is found.
      assert.equal(classes.size, found.representatives.length, label);
      for (const text of all) assert.ok(classes.has(signature(atoms, text)), `${label}: the class of ${JSON.stringify(text)} is missing`);
    }
  });

  it('finds a shortest string for a goal, the same after other searches reused its automata', () => {
    const star = atomOf(parsePattern('a*'));
    const ab = literalAtom('ab');
    const endsX = atomOf(parsePattern('*x'));
    const first = findString([star, ab], (acc) => acc[0] && !acc[1], [0]);
    assert.deepEqual(first, { found: 'a' });
    assert.deepEqual(findString([star, endsX], (acc) => acc[0] && acc[1], [0]), { found: 'ax' });
    assert.deepEqual(findString([star, ab], (acc) => acc[0] && !acc[1], [0]), first);
    assert.deepEqual(findString([star, ab], (acc) => !acc[0] && acc[1]), { exact: true });
  });

  it('compares without case a character the pattern does not name but reads (the Kelvin sign reads as k)', () => {
    const k = literalAtom('k', true);
    // The automaton of `k` is built for an alphabet without the Kelvin sign first.
    assert.deepEqual(new Set(signatureClasses([k]).representatives.map((r) => signature([k], r))), new Set(['0', '1']));
    const kelvin = literalAtom('\u212a');
    assert.ok(atomAccepts(k, '\u212a'));
    assert.deepEqual(findString([k, kelvin], (acc) => acc[0] && acc[1]), { found: '\u212a' });
    assert.deepEqual(findString([k, kelvin], (acc) => !acc[0] && acc[1]), { exact: true });
  });
});

describe('review: containment with variables kept symbolic', () => {
  it('a containment it proves holds for every value of the variables (brute force)', () => {
    const next = generator(7);
    const pieces = ['a', '/', '*', '?', '${v}', '${w}'];
    const pattern = (): PatternToken[] => {
      let text = '';
      for (let i = 0, n = 1 + Math.floor(next() * 5); i < n; i++) text += pieces[Math.floor(next() * pieces.length)];
      return parsePattern(text, { variables: true });
    };
    const values = ['', 'a', '/', 'ab'];
    const texts = stringsUpTo(['a', 'b', '/'], 4);
    const substitute = (tokens: readonly PatternToken[], v: string, w: string): PatternToken[] =>
      tokens.flatMap((t) => (t.kind === 'var' ? [...(t.name === 'v' ? v : w)].map((ch): PatternToken => ({ kind: 'lit', ch })) : [t]));
    let proved = 0;
    for (let round = 0; round < 400; round++) {
      const inner = pattern();
      const outer = Array.from({ length: 1 + Math.floor(next() * 3) }, pattern);
      if (unionContains(outer, inner) !== true) continue;
      proved++;
      const label = `${patternToString(inner)} in ${outer.map(patternToString).join(' | ')}`;
      for (const v of values) {
        for (const w of values) {
          const own = substitute(inner, v, w);
          const others = outer.map((o) => substitute(o, v, w));
          for (const text of texts) {
            if (matchWildcard(own, text)) assert.ok(others.some((o) => matchWildcard(o, text)), `${label}: ${JSON.stringify(text)} with v=${JSON.stringify(v)}, w=${JSON.stringify(w)}`);
          }
        }
      }
    }
    assert.ok(proved >= 40, `only ${proved} containments proved`);
  });
});

const A = 'arn:aws:iot:eu-west-1:123456789012';
const pol = (name: string, statements: Record<string, unknown>[], version = '2012-10-17'): EvalPolicy[] => [
  { name, model: parsePolicy(JSON.stringify({ Version: version, Statement: statements })) },
];

describe('review: answers kept between regions and actions', () => {
  it('two actions with the same statements but different resource types each get their own note and witness', () => {
    const both = ['iot:Publish', 'iot:Subscribe'];
    const base = pol('b', [{ Effect: 'Allow', Action: both, Resource: `${A}:topic/a` }]);
    const next = pol('n', [{ Effect: 'Allow', Action: both, Resource: `${A}:topic/*` }]);
    const d = diffPolicies(base, next, { actions: both });
    const publish = d.items.find((i) => i.action === 'iot:Publish')!;
    const subscribe = d.items.find((i) => i.action === 'iot:Subscribe')!;
    assert.deepEqual(publish.notes, []);
    assert.equal(subscribe.notes.length, 1);
    assert.match(subscribe.notes[0], /iot:Subscribe requests name `topicfilter\/` resources/);
    for (const i of [publish, subscribe]) {
      const r = i.witness!.request;
      assert.equal(r.action, i.action);
      assert.equal(evaluate(next, r).decision, 'Allow');
      assert.notEqual(evaluate(base, r).decision, 'Allow');
    }
  });

  it('the same text under another Version is another pattern: ${...} is a variable in one, text in the other', () => {
    const resource = `${A}:topic/\${iot:Connection.Thing.ThingName}`;
    const publish = (version: string) => pol(version, [{ Effect: 'Allow', Action: 'iot:Publish', Resource: resource }], version);
    const actions = ['iot:Publish'];
    assert.deepEqual(diffPolicies(publish('2012-10-17'), publish('2012-10-17'), { actions }).items, []);
    const d = diffPolicies(publish('2012-10-17'), publish('2008-10-17'), { actions });
    const witness = (change: string) => d.items.find((i) => i.change === change)!.witness!.request;
    assert.equal(witness('newly-allowed').resource, resource);
    const thing = witness('no-longer-allowed').context!['iot:Connection.Thing.ThingName'];
    assert.equal(witness('no-longer-allowed').resource, `${A}:topic/${thing}`);
    assert.deepEqual(diffPolicies(publish('2008-10-17'), publish('2008-10-17'), { actions }).items, []);
  });

  it('a Deny the change dropped that cannot meet an Allow makes no item, even beside an exception unknown before deploy', () => {
    const yaml = (statements: string[][]) => [
      'Resources:', '  DevicePolicy:', '    Type: AWS::IoT::Policy', '    Properties:', '      PolicyDocument:', "        Version: '2012-10-17'",
      '        Statement:', ...statements.flat(), '',
    ].join('\n');
    const st = (effect: string, resource: string) => [`          - Effect: ${effect}`, '            Action: iot:Publish', `            Resource: ${resource}`];
    const model = (text: string) => openPolicyDocument(text, { path: '/t/stack.yaml', policyGlobs: [], detectByContent: true })!.policies[0].model;
    const base = model(yaml([st('Allow', `${A}:topic/x`), st('Deny', `${A}:client/admin`)]));
    const next = model(yaml([st('Allow', `${A}:topic/*`), st('Deny', `!Sub ${A}:topic/\${Name}`)]));
    const d = diffPolicies([{ name: 'b', model: base }], [{ name: 'n', model: next }], { actions: ['iot:Publish'] });
    // The Deny on a client ID never meets a topic: no request lies inside both.
    assert.deepEqual(d.items.flatMap((i) => i.within.map((w) => w.resources)), [[`${A}:topic/*`]]);
    assert.equal(d.items.length, 2);
    assert.ok(d.items.every((i) => i.certainty === 'may'));
  });
});
