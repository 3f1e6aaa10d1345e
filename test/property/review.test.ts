/**
 * Property tests of the review engine (fast-check) on random policy pairs and random requests:
 * - every witness of `diffPolicies` is decided differently by `evaluate` on the two sides;
 * - every sampled request that `evaluate` decides differently is covered by an item of its action
 *   and direction (no difference is ever left out);
 * - the same two properties for `explainPolicies` (a witness is allowed; every allowed request is
 *   covered) and `checkAccessNotGranted`;
 * - the statement probe the engine is built on (`probeStatement`) agrees with `evaluate`.
 * Each property runs with a fixed seed and with a fresh one that is printed (rerun with FC_SEED).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePolicy } from '../../server/src/service';
import { evaluate, probeResourceHit, probeStatement, type EvalPolicy, type EvalRequest } from '../../server/src/service/eval/evaluate';
import { checkAccessNotGranted, diffPolicies, explainPolicies, itemCovers, accessCheckMatches } from '../../server/src/service/review';

const FIXED_SEED = 20261205;
const FRESH_SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`# review fast-check seeds: fixed ${FIXED_SEED}, fresh ${FRESH_SEED} (rerun with FC_SEED=${FRESH_SEED})`);
const SEEDS: [string, number][] = [['fixed seed', FIXED_SEED], ['fresh seed', FRESH_SEED]];

const A = 'arn:aws:iot:eu-west-1:123456789012';
const THING = '${iot:Connection.Thing.ThingName}';
const CLIENT = '${iot:ClientId}';

const ACTIONS = ['iot:Connect', 'iot:Publish', 'iot:Receive'];
const ACTION_PATTERNS = ['iot:Connect', 'iot:Publish', 'iot:Receive', 'iot:*', 'iot:Pub*', 'iot:?eceive'];
const RESOURCES = [
  `${A}:client/*`, `${A}:client/${THING}`, `${A}:client/${CLIENT}`, `${A}:client/a*`, `${A}:client/a?`, `${A}:client/a`,
  `${A}:topic/a/*`, `${A}:topic/${THING}/*`, `${A}:topic/a/b`, `${A}:topic/*`, `${A}:topic/${THING}`, `${A}:topic/*/b`,
  `${A}:*`, '*', `arn:aws:iot:*:123456789012:topic/a/*`, `${A}:topic/\${iot:Connection.Thing.ThingName, 'dflt'}/*`,
];
const CONDITIONS: Record<string, unknown>[] = [
  { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
  { StringEquals: { 'iot:ClientId': THING } },
  { StringLike: { 'iot:ClientId': 'a*' } },
  { StringNotEquals: { 'iot:ClientId': ['a', 'b'] } },
  { StringEqualsIgnoreCase: { 'iot:ClientId': 'AB' } },
  { 'ForAnyValue:StringEquals': { 'iot:ConnectAttributes': ['PersistentConnect'] } },
  { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': ['PersistentConnect', 'LastWill'] } },
  { StringEqualsIfExists: { 'iot:ClientId': 'a' } },
  { NumericLessThan: { 'iot:Connection.Thing.Attributes[n]': '5' } },
  { NumericGreaterThanEquals: { 'iot:Connection.Thing.Attributes[n]': 3 } },
  { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } },
  { NotIpAddress: { 'aws:SourceIp': '10.1.0.0/16' } },
  { Null: { 'iot:ClientId': 'true' } },
  { Null: { 'iot:ClientId': 'false' } },
  { DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } },
];

const statementArb = fc.record({
  effect: fc.constantFrom('Allow', 'Allow', 'Deny', 'allow'),
  notAction: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
  actions: fc.subarray(ACTION_PATTERNS, { minLength: 1, maxLength: 2 }),
  notResource: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  resources: fc.subarray(RESOURCES, { minLength: 1, maxLength: 2 }),
  conditions: fc.subarray(CONDITIONS, { minLength: 0, maxLength: 2 }),
}).map((s) => {
  const out: Record<string, unknown> = { Effect: s.effect };
  out[s.notAction ? 'NotAction' : 'Action'] = s.actions.length === 1 ? s.actions[0] : s.actions;
  out[s.notResource ? 'NotResource' : 'Resource'] = s.resources.length === 1 ? s.resources[0] : s.resources;
  if (s.conditions.length) out.Condition = Object.assign({}, ...s.conditions);
  return out;
});

const policyArb = fc.record({
  version: fc.constantFrom('2012-10-17', '2012-10-17', '2012-10-17', '2008-10-17'),
  statements: fc.array(statementArb, { minLength: 1, maxLength: 4 }),
}).map((p) => ({ Version: p.version, Statement: p.statements }));

const NAMES = ['a', 'b', 'ab', 'a/b', 'x', 'thing-1', 't1', 'AB', '', 'a/b/c', '*'];
const requestArb = fc.record({
  action: fc.constantFrom(...ACTIONS),
  resource: fc.oneof(
    fc.tuple(fc.constantFrom('client/', 'topic/', 'topic/a/', 'thing/'), fc.constantFrom(...NAMES)).map(([t, n]) => `${A}:${t}${n}`),
    fc.constantFrom('*', `arn:aws:iot:us-east-1:123456789012:topic/a/b`),
  ),
  thing: fc.option(fc.constantFrom('a', 't1', 'thing-1', 'ab', 'b'), { nil: undefined }),
  client: fc.option(fc.oneof(fc.constantFrom('a', 't1', 'ab', 'AB', 'x', 'b'), fc.constant(['a', 'b'] as string[])), { nil: undefined }),
  attached: fc.option(fc.constantFrom('true', 'false'), { nil: undefined }),
  attrs: fc.option(fc.subarray(['PersistentConnect', 'LastWill', 'Other']), { nil: undefined }),
  n: fc.option(fc.constantFrom('2', '3', '4', '5', '6', 'x'), { nil: undefined }),
  ip: fc.option(fc.constantFrom('10.1.2.3', '10.2.0.1', '192.168.0.1', '::1'), { nil: undefined }),
  time: fc.option(fc.constantFrom('2025-06-01T00:00:00Z', '2027-01-01T00:00:00Z'), { nil: undefined }),
  own: fc.integer({ min: 0, max: 9 }).map((n) => n < 3),
}).map((r): EvalRequest => {
  const context: Record<string, string | string[]> = {};
  if (r.thing !== undefined) context['iot:Connection.Thing.ThingName'] = r.thing;
  if (r.client !== undefined) context['iot:ClientId'] = r.client;
  if (r.attached !== undefined) context['iot:Connection.Thing.IsAttached'] = r.attached;
  if (r.attrs !== undefined) context['iot:ConnectAttributes'] = r.attrs;
  if (r.n !== undefined) context['iot:Connection.Thing.Attributes[n]'] = r.n;
  if (r.ip !== undefined) context['aws:SourceIp'] = r.ip;
  if (r.time !== undefined) context['aws:CurrentTime'] = r.time;
  // A request often names the thing it connects as (where ordinary values meet the patterns).
  const resource = r.thing !== undefined && r.own ? r.resource.replace(/\/[^/]*$/, `/${r.thing}`) : r.resource;
  return { action: r.action, resource, context };
});

function policies(name: string, doc: unknown): EvalPolicy[] {
  return [{ name, model: parsePolicy(JSON.stringify(doc)) }];
}

const allowed = (p: EvalPolicy[], r: EvalRequest): boolean => evaluate(p, r).decision === 'Allow';

for (const [label, seed] of SEEDS) {
  test(`review: every witness differs and every differing request is covered (${label})`, () => {
    fc.assert(
      fc.property(policyArb, policyArb, fc.array(requestArb, { minLength: 20, maxLength: 40 }), (b, n, requests) => {
        const base = policies('base.json', b);
        const next = policies('new.json', n);
        const diff = diffPolicies(base, next, { actions: ACTIONS });
        for (const item of diff.items) {
          if (!item.witness) {
            assert.equal(item.certainty, 'may', `an item without a witness must say "may": ${item.summary}`);
            continue;
          }
          const r = item.witness.request;
          const wanted = item.change === 'newly-allowed' ? [true, false] : [false, true];
          assert.deepEqual([allowed(next, r), allowed(base, r)], wanted, `witness does not differ: ${item.summary} ${JSON.stringify(r)}`);
          assert.ok(itemCovers(item, r), `an item does not cover its own witness: ${item.summary}`);
        }
        for (const r of requests) {
          const a = allowed(next, r);
          const bb = allowed(base, r);
          if (a === bb) continue;
          const change = a ? 'newly-allowed' : 'no-longer-allowed';
          const covered = diff.items.some((i) => i.change === change && i.action === r.action && itemCovers(i, r));
          assert.ok(covered, `${change} request not covered: ${JSON.stringify(r)}\nbase ${JSON.stringify(b)}\nnew ${JSON.stringify(n)}\nitems:\n${diff.items.map((i) => i.summary).join('\n')}`);
        }
        if (!diff.items.length) assert.ok(diff.exact, 'no items but not exact');
      }),
      { seed, numRuns: 150 },
    );
  });

  test(`review: explain and access-not-granted cover every allowed request (${label})`, () => {
    fc.assert(
      fc.property(policyArb, fc.array(requestArb, { minLength: 20, maxLength: 40 }), fc.constantFrom(undefined, 'client/a*', 'topic/*', 'client/*'), (p, requests, resource) => {
        const pol = policies('policy.json', p);
        const ex = explainPolicies(pol);
        const items = ex.actions.flatMap((a) => a.items);
        for (const item of items) if (item.witness) assert.ok(allowed(pol, item.witness.request), `explain witness not allowed: ${item.summary}`);
        const check = checkAccessNotGranted(pol, { action: 'iot:*', resource });
        for (const item of check.items) if (item.witness) assert.ok(allowed(pol, item.witness.request) && (resource === undefined || accessCheckMatches(resource, item.witness.request.resource)));
        for (const r of requests) {
          if (!allowed(pol, r)) continue;
          assert.ok(items.some((i) => i.action === r.action && itemCovers(i, r)), `allowed request not covered by explain: ${JSON.stringify(r)}\n${JSON.stringify(p)}`);
          if (resource !== undefined && !accessCheckMatches(resource, r.resource)) continue;
          assert.ok(check.items.some((i) => i.action === r.action && itemCovers(i, r)), `allowed request not found by access-not-granted: ${JSON.stringify(r)}`);
        }
      }),
      { seed, numRuns: 100 },
    );
  });
}

for (const [label, seed] of SEEDS) {
  test(`review: the statement probe decides as evaluate does (${label})`, () => {
    fc.assert(
      fc.property(policyArb, policyArb, requestArb, (a, b, r) => {
        const set = [...policies('a.json', a), ...policies('b.json', b)];
        let allow = false;
        let deny = false;
        for (const p of set) {
          for (const st of p.model.statements) {
            const probe = probeStatement(p.model, st, r);
            const match = !!probe.effect && !!probe.conditions && probe.conditions.every((c) => c.holds) && probeResourceHit(probe, r.resource);
            if (match && probe.effect === 'Allow') allow = true;
            if (match && probe.effect === 'Deny') deny = true;
          }
        }
        assert.equal(deny ? 'ExplicitDeny' : allow ? 'Allow' : 'ImplicitDeny', evaluate(set, r).decision);
      }),
      { seed, numRuns: 500 },
    );
  });
}
