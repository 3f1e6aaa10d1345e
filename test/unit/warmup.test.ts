import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeDocument, openPolicyDocument } from '../../server/src/service';
import { startWarmUp, warmUpPolicy, warmUpRound } from '../../server/src/utils/warmup';

describe('start-up warm-up (utils/warmup.ts)', () => {
  test('the sample trips the rules the warm-up is meant to exercise', () => {
    const text = warmUpPolicy(3);
    const pdoc = openPolicyDocument(text, { path: '/w.iot-policy.json', languageId: 'json', policyGlobs: ['**/*.iot-policy.json'], detectByContent: true });
    assert.ok(pdoc);
    const rules = new Set(analyzeDocument(pdoc).map((f) => f.ruleId));
    for (const id of ['unknown-action', 'invalid-effect', 'arn-placeholder', 'mqtt-wildcard-is-literal', 'iam-only-policy-variable']) {
      assert.ok(rules.has(id), `${id} not reported on the sample (got ${[...rules].join(', ')})`);
    }
    assert.ok(warmUpRound(3).diagnostics >= 5);
  });

  test('each round changes one statement, and every other round all of them', () => {
    const statements = (round: number): string[] => (JSON.parse(warmUpPolicy(round)) as { Statement: unknown[] }).Statement.map((st) => JSON.stringify(st));
    const changed = (a: number, b: number): number => statements(a).filter((st, i) => st !== statements(b)[i]).length;
    assert.equal(changed(2, 3), 1, 'a keystroke: one statement changes, the others are reused');
    assert.equal(changed(3, 4), statements(4).length, 'a new account: every statement changes, every rule runs on each');
  });

  test('a round is read from the round before it, as the model cache hands a last version over', () => {
    const two = warmUpRound(2).document!;
    const first = two.policies[0].model.statements[0];
    const three = warmUpRound(3, two).document!;
    assert.equal(three.policies[0].model.statements[0], first, 'an unchanged statement is the same object');
    const four = warmUpRound(4, three).document!;
    assert.notEqual(four.policies[0].model.statements[0], first, 'a new account: parsed whole');
  });

  test('one round per turn of the event loop: a message waits for one round at most', async () => {
    const w = startWarmUp(20, undefined, 0);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 0));
      seen.push(w.rounds);
    }
    assert.ok(seen[0] <= 2, `rounds before the first timer: ${seen[0]}`);
    assert.ok(seen[4] < 20, 'the rounds are spread over turns');
    assert.equal(await w.done, 20);
  });

  test('the first round waits for the documents opened at start-up', async () => {
    const w = startWarmUp(5);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(w.rounds, 0);
    w.stop();
    await w.done;
  });

  test('stop ends it at the next turn', async () => {
    const w = startWarmUp(1000, undefined, 0);
    await new Promise((r) => setTimeout(r, 0));
    w.stop();
    const n = await w.done;
    assert.ok(n < 10, `ran ${n} rounds after stop`);
  });
});
