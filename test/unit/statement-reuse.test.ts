/**
 * Statement reuse (`service/statementReuse.ts`): a statement-scoped rule runs again only on the
 * statements whose text changed, findings of the others move with their statement, and a
 * statement whose findings reach outside it, a broken text or a template is analysed whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, openPolicyDocument, parsePolicy } from '../../server/src/service';
import { runRule } from '../../server/src/service/analyze';
import { canReuse, clearStatementReuse, runStatementRules, statementReuseStats } from '../../server/src/service/statementReuse';
import { defineRule, type Finding, type Rule } from '../../server/src/service/rules/rule';
import type { PolicyModel } from '../../server/src/service/policy/model';

const A = 'arn:aws:iot:eu-west-1:123456789012';

function policy(actions: string[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: actions.map((a, i) => ({ Effect: 'Allow', Action: a, Resource: `${A}:topic/t${i}` })) }, null, 2);
}

/** A statement-scoped rule that reports every action and counts the statements it was run on. */
function countingRule(runs: number[], outside = false): Rule {
  return defineRule<{ at: { offset: number; length: number } }, { seen: (a: { action: string }) => string }>({
    meta: { id: 'counting', scope: 'statement', defaultSeverity: 'info', category: 'actions', description: 'test' },
    messages: { seen: (a) => `saw ${a.action}` },
    check(ctx) {
      runs.push(ctx.model.statements.length);
      for (const st of ctx.model.statements) {
        for (const item of st.action?.items ?? []) {
          const span = outside ? { offset: 0, length: 1 } : item.span;
          ctx.report({ messageId: 'seen', args: { action: item.value }, span, data: { at: item.span } });
        }
      }
    },
  });
}

function run(rule: Rule, model: PolicyModel): Finding[] {
  const out: Finding[] = [];
  runStatementRules(model, [rule], [0], runRule, (_, f) => out.push(f));
  return out.sort((a, b) => a.span.offset - b.span.offset);
}

function whole(rule: Rule, model: PolicyModel): Finding[] {
  const out: Finding[] = [];
  runRule(rule, model, (f) => out.push(f));
  return out.sort((a, b) => a.span.offset - b.span.offset);
}

test('only the edited statement is analysed again; the others\' findings move with them', () => {
  clearStatementReuse();
  const runs: number[] = [];
  const rule = countingRule(runs);
  const twin = countingRule([]);
  const text = policy(['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive', 'iot:Publish']);
  const first = parsePolicy(text);
  assert.deepEqual(run(rule, first), whole(twin, first));
  // Every statement in one view, then the rest of the policy.
  assert.deepEqual(runs, [5, 0]);
  runs.length = 0;
  // The second statement grows: it is analysed again, and every statement after it moves.
  const edited = text.replace('"iot:Publish"', '"iot:PublishRetained"');
  const second = parsePolicy(edited);
  const found = run(rule, second);
  assert.deepEqual(runs, [1, 0]);
  assert.deepEqual(found, whole(twin, second));
  // Offsets in the finding data move too.
  const receive = found.find((f) => f.message === 'saw iot:Receive')!;
  assert.deepEqual((receive.data as { at: unknown }).at, receive.span);
  assert.equal(edited.substr(receive.span.offset, receive.span.length), '"iot:Receive"');
});

test('a statement whose findings reach outside it is analysed every time', () => {
  clearStatementReuse();
  const runs: number[] = [];
  const rule = countingRule(runs, true);
  const twin = countingRule([], true);
  const model = parsePolicy(policy(['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive']));
  run(rule, model);
  runs.length = 0;
  assert.deepEqual(run(rule, parsePolicy(policy(['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive']))), whole(twin, model));
  assert.deepEqual(runs, [4, 0]);
});

test('kept findings are the same objects nowhere: changing a result does not change the next one', () => {
  clearStatementReuse();
  const rule = countingRule([]);
  const twin = rule;
  const text = policy(['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive']);
  const a = run(rule, parsePolicy(text));
  (a[0].span as { offset: number }).offset = -1;
  (a[0].data as { at: { offset: number } }).at.offset = -1;
  assert.deepEqual(run(rule, parsePolicy(text)), whole(twin, parsePolicy(text)));
});

test('reuse needs a self-contained policy without syntax errors', () => {
  const text = policy(['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive']);
  assert.equal(canReuse(parsePolicy(text)), true);
  assert.equal(canReuse(parsePolicy(text.replace('"iot:Publish"', '"iot:Publish",'))), false, 'a syntax error');
  assert.equal(canReuse(parsePolicy(text.replace(`"${A}:topic/t1"`, '{"Fn::Sub": "x"}'))), false, 'a template value');
  const template = JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: { P: { Type: 'AWS::IoT::Policy', Properties: { PolicyDocument: JSON.parse(text) } } },
  });
  const doc = openPolicyDocument(template, { path: '/w/template.json', languageId: 'json', policyGlobs: [], detectByContent: true });
  assert.ok(doc?.policies.length);
  assert.equal(canReuse(doc.policies[0].model), false, 'a policy in a template');
});

test('analyze with and without reuse agree on a policy with findings everywhere', () => {
  const text = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'allow', Action: ['iot:Publsh', 'iot:Publish', 'iot:Publish'], Resource: [`${A}:topic/a/+/b`, `arn:aws:iot:REGION:ACCOUNT:topic/x`] },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${A}:topicfilter/cmd/\${iot:clientid}/#` },
      { Effect: 'Deny', NotAction: 'iot:Connect', Resource: '*', Condition: { NumericLessThan: { 'iot:Connection.Thing.Attributes[batch]': 'x' } } },
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `arn:aws:iot:REGION:ACCOUNT:client/*`, Effect2: 'x' },
    ],
  }, null, 2);
  clearStatementReuse();
  const cold = analyze(parsePolicy(text));
  const warm = analyze(parsePolicy(text));
  const none = analyze(parsePolicy(text), undefined, { reuse: false });
  assert.ok(none.length > 10);
  assert.deepEqual(cold, none);
  assert.deepEqual(warm, none);
});

test('what is kept is bounded, whatever documents come', () => {
  clearStatementReuse();
  // 10,000 statements never seen before: at most 4,096 are kept.
  for (let i = 0; i < 2000; i++) analyze(parsePolicy(policy(['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive', `iot:Get${i}`].map((a, k) => `${a}${k === 4 ? '' : i}`))));
  const { statements, chars } = statementReuseStats();
  assert.ok(statements > 1000 && statements <= 4096, `${statements} statements kept`);
  assert.ok(chars <= 2_000_000);
  // A statement longer than any real one is analysed every time, never kept.
  clearStatementReuse();
  const huge = policy(['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'x'.repeat(70_000)]);
  analyze(parsePolicy(huge));
  assert.equal(statementReuseStats().statements, 3);
});
