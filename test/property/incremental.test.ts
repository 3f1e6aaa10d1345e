/**
 * Incremental analysis gives what a whole analysis gives. Each case is a policy and a run of
 * edits, as a user makes them: a character typed or deleted anywhere (which often breaks the JSON
 * for a while), a statement added, removed, duplicated or moved, a value changed, the Version
 * switched. Every version is analysed with statement reuse (the kept findings of the versions
 * before it, and of every case before, in the cache) and with nothing reused; the findings must be
 * the same, to the span, message, data and related information. Runs with a fixed seed and a
 * fresh one that is printed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, parsePolicy, type PolicyConfig } from '../../server/src/service';
import { A, apply, render, scenario, type State } from '../util/policyEdits';

const FIXED_SEED = 20261206;
const FRESH_SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`# fast-check seeds (incremental): fixed ${FIXED_SEED}, fresh ${FRESH_SEED} (rerun with FC_SEED=${FRESH_SEED})`);

const CONFIGS: (PolicyConfig | undefined)[] = [undefined, { defaults: {}, rules: { 'unknown-action': 'off', 'duplicate-value': 'warning', 'invalid-arn': 'off' } }];

function check(seed: number): void {
  fc.assert(
    fc.property(scenario(CONFIGS.length), (sc) => {
      let state: State = { version: sc.version, statements: sc.statements, compact: sc.compact, duplicateKey: sc.duplicateKey };
      const config = CONFIGS[sc.config];
      for (const e of [undefined, ...sc.edits]) {
        if (e) state = apply(state, e);
        const text = state.text ?? render(state.version, state.statements, state.compact, state.duplicateKey);
        const reused = analyze(parsePolicy(text), config);
        const whole = analyze(parsePolicy(text), config, { reuse: false });
        assert.deepEqual(reused, whole, `findings differ on:\n${text}`);
      }
    }),
    { seed, numRuns: Number(process.env.FC_RUNS ?? 150) },
  );
}

test('statement reuse gives the findings of a whole analysis (fixed seed)', () => check(FIXED_SEED));
test('statement reuse gives the findings of a whole analysis (fresh seed)', () => check(FRESH_SEED));

test('a policy analysed again after an edit reuses its other statements', () => {
  // Not a timing: the property above would pass if nothing were ever reused. A statement's
  // findings are moved, not recomputed, when an edit before it shifts it.
  const sts = Array.from({ length: 8 }, (_, i) => ({ Effect: 'Allow', Action: i === 5 ? 'iot:Publsh' : 'iot:Publish', Resource: `${A}:topic/t${i}` }));
  const text = JSON.stringify({ Version: '2012-10-17', Statement: sts }, null, 2);
  const first = analyze(parsePolicy(text));
  const moved = text.replace('topic/t0', 'topic/t0-longer');
  const second = analyze(parsePolicy(moved));
  const a = first.find((f) => f.ruleId === 'unknown-action')!;
  const b = second.find((f) => f.ruleId === 'unknown-action')!;
  assert.equal(b.span.offset - a.span.offset, '-longer'.length);
  assert.equal(moved.substr(b.span.offset, b.span.length), text.substr(a.span.offset, a.span.length));
  assert.deepEqual(second, analyze(parsePolicy(moved), undefined, { reuse: false }));
});
