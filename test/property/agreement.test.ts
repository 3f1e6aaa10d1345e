/**
 * The linter and the evaluator answer the same question, "does this resource or condition ever
 * match?": whenever a rule says, at error level, that a statement's resource or condition never
 * matches, no realistic request made to match it gets Allow from `evaluate()`.
 *
 * Policies: one Allow statement, one action, one resource built from parts that are sometimes
 * wrong (partition, service, region, account, type, stray characters), sometimes a condition with
 * a value of the wrong kind. Requests: the statement's resource with its wildcards filled in, kept
 * only when it is a request AWS could really see for that action (a valid partition, region,
 * account, the action's resource type, a name MQTT allows); contexts from realistic values of
 * each key. Each property runs with a fixed seed and a fresh one that is printed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, parsePolicy, type AnalyzedFinding } from '../../server/src/service';
import { evaluate } from '../../server/src/service/eval/evaluate';

const FIXED_SEED = 20261205;
const FRESH_SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`# fast-check seeds (agreement): fixed ${FIXED_SEED}, fresh ${FRESH_SEED} (rerun with FC_SEED=${FRESH_SEED})`);

/** The resource type each action is authorised against. */
const ACTION_TYPE: Readonly<Record<string, string>> = {
  'iot:Publish': 'topic', 'iot:Receive': 'topic', 'iot:RetainPublish': 'topic', 'iot:Subscribe': 'topicfilter',
  'iot:Connect': 'client', 'iot:GetThingShadow': 'thing', 'iot:UpdateThingShadow': 'thing',
};

/** Rules whose errors say a resource or condition never matches. */
const NEVER_MATCHES = new Set(['invalid-arn', 'resource-type-mismatch', 'condition-value-type', 'invalid-topic']);

/** Mostly right, sometimes wrong: the wrong parts are what the rules report. */
const arnPart = {
  partition: fc.constantFrom('aws', 'aws', 'aws', 'aws', 'aws', 'aws', 'aws-cn', 'aws-xx', 'AWS', ''),
  service: fc.constantFrom('iot', 'iot', 'iot', 'iot', 'iot', 'iot', 'IoT', 'iott', 's3'),
  region: fc.constantFrom('eu-west-1', 'eu-west-1', 'eu-west-1', 'eu-west-1', '*', 'region', 'eu west 1', ''),
  account: fc.constantFrom('493812760155', '493812760155', '493812760155', '493812760155', '*', '1234', '123456789012', ''),
  type: fc.constantFrom('topic', 'topic', 'topicfilter', 'topicfilter', 'client', 'client', 'thing', 'thing', 'topics', 'rolealias', ''),
  name: fc.array(fc.constantFrom('a', 'b', 'c', '/', 'a', 'b', '/', '*', '?', '+', '#', ' ', '$aws', '\u200b', ':'), { minLength: 1, maxLength: 8 }).map((xs) => xs.join('')),
};

/** A resource for an action: usually of the action's own type, so that requests can be made to match it. */
function resourceFor(action: string): fc.Arbitrary<string> {
  const parts = { ...arnPart, type: fc.oneof({ weight: 4, arbitrary: fc.constant(ACTION_TYPE[action]) }, { weight: 1, arbitrary: arnPart.type }) };
  return fc.oneof(
    { weight: 6, arbitrary: fc.record(parts).map((p) => `arn:${p.partition}:${p.service}:${p.region}:${p.account}:${p.type}/${p.name}`) },
    { weight: 1, arbitrary: fc.record(parts).map((p) => `arn:${p.partition}:${p.region}:${p.account}:${p.type}/${p.name}`) },
    { weight: 1, arbitrary: arnPart.name },
  );
}

/** Keys with realistic request values (each pool holds values that satisfy the conditions below, when any can). */
const CONTEXT_POOL: Readonly<Record<string, string[]>> = {
  'iot:Connection.Thing.IsAttached': ['true', 'false'],
  'iot:ClientId': ['a', 'x', '5'],
  'aws:SourceIp': ['10.1.2.3', '192.0.2.1', '2001:db8::1'],
  'iot:Connection.Thing.Attributes[batch]': ['5', '20', 'abc'],
};

const condition = fc.option(
  fc.record({
    operator: fc.constantFrom('Bool', 'StringEquals', 'NumericLessThan', 'IpAddress', 'Null', 'DateGreaterThan'),
    key: fc.constantFrom(...Object.keys(CONTEXT_POOL)),
    value: fc.constantFrom('true', 'yes', 'True', '10', 'ten', '10.0.0.0/8', '10.0.0.300/8', 'a', 'false', '2026-01-01T00:00:00Z'),
  }),
  { nil: undefined },
);

const policyCase = fc.constantFrom(...Object.keys(ACTION_TYPE)).chain((action) => fc.record({ action: fc.constant(action), resource: resourceFor(action), condition }));

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The request AWS could see that the policy resource names (wildcards filled in), if there is one. */
function requestResource(policyResource: string, action: string): string | undefined {
  const filled = policyResource.replace(/\*/g, 'x').replace(/\?/g, 'y');
  const m = /^arn:(aws|aws-cn|aws-us-gov):iot:([^:]*):(\d{12}):([a-z]+)\/(.+)$/.exec(filled);
  if (!m || !REGION.test(m[2]) || m[4] !== ACTION_TYPE[action]) return undefined;
  const name = m[5];
  // Names AWS could see: no invisible or control characters; topics hold no MQTT wildcards when published.
  if (/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\ufeff]/.test(name)) return undefined;
  if (m[4] === 'topic' && /[+#]/.test(name)) return undefined;
  if ((m[4] === 'thing' || m[4] === 'client') && !/^[a-zA-Z0-9:_\-/ $]+$/.test(name)) return undefined;
  if (m[4] === 'thing' && !/^[a-zA-Z0-9:_-]+$/.test(name)) return undefined;
  return filled;
}

function contexts(key: string | undefined): Record<string, string>[] {
  if (!key) return [{}];
  return [{}, ...CONTEXT_POOL[key].map((v) => ({ [key]: v }))];
}

const errorsOf = (findings: AnalyzedFinding[]): AnalyzedFinding[] => findings.filter((f) => f.severity === 'error' && NEVER_MATCHES.has(f.ruleId));

for (const [label, seed] of [['fixed seed', FIXED_SEED], ['fresh seed', FRESH_SEED]] as const) {
  test(`a statement a rule says never matches allows no realistic request made to match it (${label})`, () => {
    let checked = 0;
    fc.assert(
      fc.property(policyCase, (c) => {
        const statement: Record<string, unknown> = { Effect: 'Allow', Action: c.action, Resource: c.resource };
        if (c.condition) statement.Condition = { [c.condition.operator]: { [c.condition.key]: c.condition.value } };
        const text = JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
        const model = parsePolicy(text);
        const errors = errorsOf(analyze(model));
        if (!errors.length) return;
        const res = requestResource(c.resource, c.action);
        if (!res) return;
        for (const context of contexts(c.condition?.key)) {
          checked++;
          const r = evaluate([{ name: 'p', model }], { action: c.action, resource: res, context });
          assert.notEqual(
            r.decision, 'Allow',
            `errors say never matches, but ${c.action} on ${res} with ${JSON.stringify(context)} is allowed:\n${errors.map((f) => `${f.ruleId}: ${f.message}`).join('\n')}\n${text}`,
          );
        }
      }),
      { seed, numRuns: 6000 },
    );
    console.log(`# ${label}: ${checked} requests made to match a statement a rule says never matches`);
    // The property must have had requests to check, or it proves nothing.
    assert.ok(checked > 300, `only ${checked} requests checked`);
  });
}
