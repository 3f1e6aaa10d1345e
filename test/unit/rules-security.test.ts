/**
 * Security rules. Besides the findings themselves, each rule is checked against concrete
 * requests decided by the evaluator: what a rule says a policy allows (or fails to deny) must be
 * what AWS IoT's evaluation logic does with it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, parsePolicy, type PolicyModel } from '../../server/src/service';
import { reparsePolicy } from '../../server/src/service/hosts/json/parse';
import { evaluate, type ContextValue, type Decision } from '../../server/src/service/eval/evaluate';
import { ARN, findings, policy } from '../util/markers';
import { ruleTester } from '../util/ruleTester';

const THING = '${iot:Connection.Thing.ThingName}';
const ATTACHED = { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } };
const CONNECT = { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/${THING}`, Condition: ATTACHED };

function decide(text: string, action: string, resource: string, context?: Record<string, ContextValue>): Decision {
  return evaluate([{ name: 'p', model: parsePolicy(text) }], { action, resource: resource === '*' ? '*' : `${ARN}:${resource}`, context }).decision;
}

describe('overly-permissive', () => {
  it('reports `iot:*` on `*` once, on the action (corpus 100)', () => {
    const text = policy([{ Effect: 'Allow', Action: ['iot:*'], Resource: '*' }]);
    const f = findings(text, 'overly-permissive');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].text, 'iot:*');
    assert.equal(f[0].messageId, 'allActions');
    assert.match(f[0].message, /IOT_POLICY_OVERLY_PERMISSIVE_CHECK/);
    assert.match(f[0].message, /ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS/);
    assert.equal(decide(text, 'iot:UpdateThingShadow', 'thing/someone-elses-thing'), 'Allow');
  });

  it('reports a bare `*` action (corpus 135)', () => {
    const text = policy([{ Effect: 'Allow', Action: '*', Resource: [`${ARN}:client/client`] }]);
    assert.deepEqual(findings(text, 'overly-permissive').map((f) => f.text), ['*']);
  });

  it('reports `client/*` on the `*`, with the thing variable and the IsAttached condition as the fix', () => {
    const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/*` }]);
    const f = findings(text, 'overly-permissive');
    assert.equal(f.length, 1);
    assert.equal(f[0].text, '*');
    assert.equal(f[0].messageId, 'anyClient');
    assert.deepEqual(f[0].data, { suggestions: [THING] });
    assert.match(f[0].message, /ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS/);
    assert.equal(decide(text, 'iot:Connect', 'client/another-device'), 'Allow');
  });

  it('accepts `client/*` and `*` for Connect when the statement requires an attached thing', () => {
    for (const r of [`${ARN}:client/*`, '*']) {
      assert.deepEqual(findings(policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: r, Condition: ATTACHED }]), 'overly-permissive'), [], r);
    }
  });

  it('reports `client/${iot:ClientId}` without the IsAttached condition', () => {
    const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:ClientId}` }]);
    const f = findings(text, 'overly-permissive');
    assert.deepEqual(f.map((x) => [x.text, x.messageId]), [['${iot:ClientId}', 'clientIdVariable']]);
    // Any client ID the device chooses is allowed.
    assert.equal(decide(text, 'iot:Connect', 'client/victim', { 'iot:ClientId': 'victim' }), 'Allow');
    const ok = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:ClientId}`, Condition: ATTACHED }]);
    assert.deepEqual(findings(ok, 'overly-permissive'), []);
  });

  it('does not flag prefixes such as `client/GGCore-*`', () => {
    const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/GGCore-*` }]);
    assert.deepEqual(findings(text, 'overly-permissive'), []);
    assert.equal(decide(text, 'iot:Connect', 'client/sensor-1'), 'ImplicitDeny');
  });

  it("reports Publish on other devices' shadow topics, pointing at the thing level", () => {
    const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/$aws/things/*/shadow/update` }]);
    const f = findings(text, 'overly-permissive');
    assert.equal(f.length, 1);
    assert.equal(f[0].text, '*');
    assert.equal(f[0].messageId, 'otherDevicesTopics');
    assert.deepEqual(f[0].data?.suggestions, [THING]);
    assert.equal(decide(text, 'iot:Publish', 'topic/$aws/things/other-device/shadow/update'), 'Allow');
  });

  it('reports `topic/$aws/things/*` and the `#` and `+` filter forms', () => {
    const cases: [string, string, string, string][] = [
      ['iot:Publish', 'topic/$aws/things/*', '*', `${THING}/*`],
      ['iot:Subscribe', 'topicfilter/$aws/things/*', '*', `${THING}/*`],
      ['iot:Subscribe', 'topicfilter/$aws/things/#', '#', `${THING}/#`],
      ['iot:Subscribe', 'topicfilter/$aws/things/+/shadow/update', '+', THING],
    ];
    for (const [action, res, text, suggestion] of cases) {
      const f = findings(policy([CONNECT, { Effect: 'Allow', Action: action, Resource: `${ARN}:${res}` }]), 'overly-permissive');
      assert.deepEqual(f.map((x) => [x.text, x.data?.suggestions]), [[text, [suggestion]]], res);
    }
  });

  it('accepts Receive on `topic/$aws/things/*` (a device only receives what it may subscribe to)', () => {
    const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/$aws/things/*` }]);
    assert.deepEqual(findings(text, 'overly-permissive'), []);
  });

  it('reports `thing/*` for shadow and job actions, and whole `topic/*` / `*` for data-plane actions', () => {
    const thing = findings(policy([{ Effect: 'Allow', Action: ['iot:GetThingShadow', 'iotjobsdata:DescribeJobExecution'], Resource: `${ARN}:thing/*` }]), 'overly-permissive');
    assert.deepEqual(thing.map((x) => [x.text, x.messageId]), [['*', 'anyThing']]);
    assert.match(thing[0].message, /lets `iot:GetThingShadow`, `iotjobsdata:DescribeJobExecution` read or change the shadows and jobs of every thing/);
    const topic = findings(policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/*` }]), 'overly-permissive');
    assert.deepEqual(topic.map((x) => [x.text, x.messageId]), [['*', 'anyTopic']]);
    const star = findings(policy([CONNECT, { Effect: 'Allow', Action: ['iot:Publish', 'iot:Subscribe'], Resource: '*' }]), 'overly-permissive');
    assert.deepEqual(star.map((x) => [x.text, x.messageId]), [['*', 'allResources']]);
    const arnStar = findings(policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: 'arn:aws:iot:eu-west-1:493812760155:*' }]), 'overly-permissive');
    assert.deepEqual(arnStar.map((x) => [x.text, x.messageId]), [['*', 'allResources']]);
  });

  it("accepts the device's own resources, actions that need `*`, and Deny statements", () => {
    const text = policy([
      CONNECT,
      { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: [`${ARN}:topic/$aws/things/${THING}/shadow/*`, `${ARN}:topic/${THING}/*`] },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: [`${ARN}:topicfilter/$aws/things/${THING}/shadow/*`] },
      { Effect: 'Allow', Action: ['iot:GetThingShadow'], Resource: [`${ARN}:thing/${THING}`] },
      { Effect: 'Allow', Action: ['iot:ListRetainedMessages', 'greengrass:ResolveComponentCandidates'], Resource: '*' },
      { Effect: 'Deny', Action: 'iot:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ]);
    assert.deepEqual(findings(text, 'overly-permissive').map((f) => f.message), []);
    // The variable scopes the shadow to the connected thing.
    assert.equal(decide(text, 'iot:Publish', 'topic/$aws/things/t2/shadow/update', { 'iot:Connection.Thing.ThingName': 't1' }), 'ImplicitDeny');
    assert.equal(decide(text, 'iot:Publish', 'topic/$aws/things/t1/shadow/update', { 'iot:Connection.Thing.ThingName': 't1' }), 'Allow');
  });
});

describe('mqtt-wildcard-in-deny', () => {
  // Device Defender example 1.
  const text = policy([
    CONNECT,
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/*` },
    { Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/control_room/#` },
    { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/building/*` },
  ]);

  it('reports the `#` of a Deny', () => {
    const f = findings(text, 'mqtt-wildcard-in-deny');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].text, '#');
    assert.equal(f[0].messageId, 'literalInDeny');
    assert.deepEqual(f[0].data, { suggestions: ['*'] });
    assert.match(f[0].message, /POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT/);
    // Not also deny-bypassed-by-wildcard or mqtt-wildcard-is-literal.
    assert.deepEqual(findings(text, 'deny-bypassed-by-wildcard'), []);
    assert.deepEqual(findings(text, 'mqtt-wildcard-is-literal'), []);
  });

  it('agrees with the evaluator: the `#` Deny does not stop a subscription below it', () => {
    assert.equal(decide(text, 'iot:Subscribe', 'topicfilter/building/control_room/data1'), 'Allow');
    assert.equal(decide(text, 'iot:Subscribe', 'topicfilter/building/control_room/#'), 'ExplicitDeny');
  });

  it('reports `+` in a NotResource of a Deny too, and nothing for `*`', () => {
    const plus = policy([{ Effect: 'Deny', Action: 'iot:Publish', NotResource: `${ARN}:topic/a/+/b` }]);
    assert.deepEqual(findings(plus, 'mqtt-wildcard-in-deny').map((f) => f.text), ['+']);
    const star = policy([{ Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/control_room/*` }]);
    assert.deepEqual(findings(star, 'mqtt-wildcard-in-deny'), []);
  });
});

describe('deny-bypassed-by-wildcard', () => {
  // Device Defender example 2.
  const statements = [
    CONNECT,
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/*` },
    { Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/control_room/*` },
    { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/building/*` },
  ];
  const text = policy(statements);

  it('reports the Deny filter, with the broader Allow as related information and the Receive Deny as data', () => {
    const f = findings(text, 'deny-bypassed-by-wildcard');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].text, 'building/control_room/*');
    assert.deepEqual(f[0].data, { resources: [`${ARN}:topic/building/control_room/*`] });
    assert.match(f[0].message, /^This Deny does not keep `building\/control_room\/x` from the device: .* can subscribe to `building\/#`/);
    assert.equal(text.substr(f[0].related![0].span.offset, f[0].related![0].span.length), `${ARN}:topicfilter/building/*`);
    assert.match(f[0].message, /TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS/);
  });

  it('agrees with the evaluator: `building/#` is allowed and `building/control_room/data1` is delivered', () => {
    assert.equal(decide(text, 'iot:Subscribe', 'topicfilter/building/control_room/data1'), 'ExplicitDeny');
    assert.equal(decide(text, 'iot:Subscribe', 'topicfilter/building/#'), 'Allow');
    assert.equal(decide(text, 'iot:Receive', 'topic/building/control_room/data1'), 'Allow');
  });

  it('is satisfied by the Receive Deny that the fix adds, and the evaluator agrees', () => {
    const fixed = policy([...statements, { Effect: 'Deny', Action: 'iot:Receive', Resource: `${ARN}:topic/building/control_room/*` }]);
    assert.deepEqual(findings(fixed, 'deny-bypassed-by-wildcard'), []);
    assert.equal(decide(fixed, 'iot:Receive', 'topic/building/control_room/data1'), 'ExplicitDeny');
  });

  it('is satisfied by an Allow on Receive with NotResource (AWS pub/sub example)', () => {
    const ok = policy([
      CONNECT,
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/a/*` },
      { Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/a/restricted/*` },
      { Effect: 'Allow', Action: 'iot:Receive', NotResource: `${ARN}:topic/a/restricted/*` },
    ]);
    assert.deepEqual(findings(ok, 'deny-bypassed-by-wildcard'), []);
    assert.equal(decide(ok, 'iot:Receive', 'topic/a/restricted/x'), 'ImplicitDeny');
  });

  it('is quiet when no allowed filter is broader than the Deny', () => {
    const ok = policy([
      CONNECT,
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/lobby/*` },
      { Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/building/control_room/*` },
      { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/building/*` },
    ]);
    assert.deepEqual(findings(ok, 'deny-bypassed-by-wildcard'), []);
    assert.equal(decide(ok, 'iot:Subscribe', 'topicfilter/building/#'), 'ImplicitDeny');
  });

  it('works on topics scoped by a thing variable', () => {
    const t = policy([
      CONNECT,
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/${THING}/*` },
      { Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/${THING}/admin/*` },
      { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/${THING}/*` },
    ]);
    const f = findings(t, 'deny-bypassed-by-wildcard');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /can subscribe to `\$\{iot:Connection\.Thing\.ThingName\}\/#`/);
    const ctx = { 'iot:Connection.Thing.ThingName': 't1' };
    assert.equal(decide(t, 'iot:Subscribe', 'topicfilter/t1/#', ctx), 'Allow');
    assert.equal(decide(t, 'iot:Receive', 'topic/t1/admin/reboot', ctx), 'Allow');
  });
});

describe('client-id-variable-unrestricted', () => {
  const text = policy([
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/*` },
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/\${iot:ClientId}` },
  ]);

  it('reports `${iot:ClientId}` in a topic filter while Connect allows any client ID', () => {
    const f = findings(text, 'client-id-variable-unrestricted');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].text, '${iot:ClientId}');
    assert.deepEqual(f[0].data?.suggestions, [THING]);
    assert.equal(text.substr(f[0].related![0].span.offset, f[0].related![0].span.length), `${ARN}:client/*`);
  });

  it('agrees with the evaluator: a client connected as `#` may subscribe to `#`', () => {
    assert.equal(decide(text, 'iot:Connect', 'client/#', { 'iot:ClientId': '#' }), 'Allow');
    assert.equal(decide(text, 'iot:Subscribe', 'topicfilter/#', { 'iot:ClientId': '#' }), 'Allow');
  });

  it('is quiet when Connect is restricted', () => {
    const restricted = [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: [`${ARN}:client/sensor-1`, `${ARN}:client/sensor-2`] },
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:ClientId}`, Condition: ATTACHED },
      CONNECT,
    ];
    for (const c of restricted) {
      const t = policy([c, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:ClientId}/data` }]);
      assert.deepEqual(findings(t, 'client-id-variable-unrestricted'), [], JSON.stringify(c.Resource));
    }
  });
});

describe('connect-without-attached-thing', () => {
  const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/${THING}` }]);

  it('reports the thing variable of a Connect without the condition, with the condition as data', () => {
    const f = findings(text, 'connect-without-attached-thing');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'info');
    assert.equal(f[0].text, THING);
    assert.equal(f[0].messageId, 'noCondition');
    assert.deepEqual(f[0].data, {});
  });

  it('agrees with the evaluator: without an attached thing the variable does not resolve', () => {
    assert.equal(decide(text, 'iot:Connect', 'client/t1', {}), 'ImplicitDeny');
    assert.equal(decide(text, 'iot:Connect', 'client/t1', { 'iot:Connection.Thing.ThingName': 't1' }), 'Allow');
  });

  it('is quiet with the condition, and leaves Greengrass policies to thing-variable-in-greengrass-policy', () => {
    assert.deepEqual(findings(policy([CONNECT]), 'connect-without-attached-thing'), []);
    const gg = policy([
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/${THING}` },
      { Effect: 'Allow', Action: 'greengrass:Discover', Resource: `${ARN}:thing/${THING}` },
    ]);
    assert.deepEqual(findings(gg, 'connect-without-attached-thing'), []);
  });
});

describe('missing-dependent-action', () => {
  it('reports Publish with no Connect anywhere', () => {
    const text = policy([{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/a` }]);
    const f = findings(text, 'missing-dependent-action');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'info');
    assert.equal(f[0].text, 'iot:Publish');
    assert.deepEqual(f[0].data, { missingAction: 'iot:Connect', resources: [`${ARN}:client/${THING}`] });
    assert.equal(decide(text, 'iot:Connect', 'client/t1'), 'ImplicitDeny');
  });

  it('reports RetainPublish without Publish on its topics, decided by containment', () => {
    const bad = policy([CONNECT, { Effect: 'Allow', Action: 'iot:RetainPublish', Resource: `${ARN}:topic/device/config` }]);
    const f = findings(bad, 'missing-dependent-action');
    assert.deepEqual(f.map((x) => [x.text, x.data]), [['iot:RetainPublish', { missingAction: 'iot:Publish', resources: [`${ARN}:topic/device/config`] }]]);
    const narrow = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/device/other` }, { Effect: 'Allow', Action: 'iot:RetainPublish', Resource: `${ARN}:topic/device/*` }]);
    assert.equal(findings(narrow, 'missing-dependent-action').length, 1);
    const ok = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/device/*` }, { Effect: 'Allow', Action: 'iot:RetainPublish', Resource: `${ARN}:topic/device/config` }]);
    assert.deepEqual(findings(ok, 'missing-dependent-action'), []);
    assert.equal(decide(ok, 'iot:Publish', 'topic/device/config'), 'Allow');
  });

  it('reports Subscribe without a Receive that overlaps its topics', () => {
    const bad = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/sensors/+/temp` }]);
    const f = findings(bad, 'missing-dependent-action');
    assert.deepEqual(f.map((x) => [x.text, x.data]), [['iot:Subscribe', { missingAction: 'iot:Receive', resources: [`${ARN}:topic/sensors/*/temp`] }]]);
    assert.equal(decide(bad, 'iot:Receive', 'topic/sensors/s1/temp'), 'ImplicitDeny');
    const ok = policy([
      CONNECT,
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: [`${ARN}:topicfilter/sensors/+/temp`, `${ARN}:topicfilter/$share/g1/jobs/*`] },
      { Effect: 'Allow', Action: 'iot:Receive', Resource: [`${ARN}:topic/sensors/s1/temp`, `${ARN}:topic/jobs/*`] },
    ]);
    assert.deepEqual(findings(ok, 'missing-dependent-action'), []);
  });

  it('does not ask for Receive where a Deny on Receive says it is deliberate', () => {
    const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/device/update` }, { Effect: 'Deny', Action: 'iot:Receive', Resource: `${ARN}:topic/device/update` }]);
    assert.deepEqual(findings(text, 'missing-dependent-action'), []);
  });

  it('answers kept with Receive statements across versions run the budget out where a fresh analysis does', () => {
    // 40 Receive statements of 10 topics each, none delivered by the filters: every filter is
    // compared with all 400 (one budget unit each). Up to five filters fit the budget of 2,000; six do not.
    const receives = Array.from({ length: 40 }, (_, i) => ({ Effect: 'Allow', Action: 'iot:Receive', Resource: Array.from({ length: 10 }, (_, j) => `${ARN}:topic/r${i}/t${j}`) }));
    const filters = (n: number) => Array.from({ length: n }, (_, i) => `${ARN}:topicfilter/f${i}/+`);
    const text = (n: number, extra = '') => policy([CONNECT, { Effect: 'Allow', Action: 'iot:Subscribe', Resource: filters(n) }, ...receives]).replace('topic/r7/t3', `topic/r7/t3${extra}`);
    const found = (m: PolicyModel) => analyze(m, undefined, { reuse: false }).filter((f) => f.ruleId === 'missing-dependent-action').map((f) => [f.messageId, f.span, f.data]);
    const versions = [text(4), text(6), text(4), text(4, 'x'), text(6, 'x'), text(5, 'x')];
    let model = parsePolicy(versions[0]);
    const counts: number[] = [];
    for (const v of versions.slice(1)) {
      model = reparsePolicy(model, v);
      const fresh = found(parsePolicy(v));
      assert.deepEqual(found(model), fresh);
      counts.push(fresh.length);
    }
    assert.deepEqual(counts, [0, 1, 1, 0, 1], 'four or five filters are reported; with six the budget runs out and nothing is');
  });

  it('a Subscribe statement kept across versions reports the filters each version leaves without Receive', () => {
    // The Subscribe statement is carried over unchanged while a Receive statement after it is
    // edited: its report is kept, and must follow which of its filters lose or gain a Receive.
    const sub = { Effect: 'Allow', Action: 'iot:Subscribe', Resource: ['a', 'b', 'c', 'd'].map((x) => `${ARN}:topicfilter/${x}/+`) };
    const text = (receives: string[]) => policy([CONNECT, sub, { Effect: 'Allow', Action: 'iot:Receive', Resource: receives.map((x) => `${ARN}:topic/${x}/1`) }]);
    const report = (m: PolicyModel) => analyze(m).filter((f) => f.ruleId === 'missing-dependent-action');
    const shown = (m: PolicyModel) => report(m).map((f) => [f.messageId, f.message, f.span, f.data]);
    const versions = [['a'], ['a', 'b'], ['a', 'b', 'z'], ['b'], ['z'], ['a', 'b', 'c', 'd'], ['a', 'c'], ['a', 'c', 'y']];
    let model = parsePolicy(text(versions[0]));
    let last = report(model)[0]?.data;
    const kept: boolean[] = [];
    for (const receives of versions.slice(1)) {
      const v = text(receives);
      model = reparsePolicy(model, v);
      assert.deepEqual(shown(model), shown(parsePolicy(v)), `Receive on ${receives.join(', ')}`);
      const data = report(model)[0]?.data;
      kept.push(data !== undefined && data === last);
      last = data;
    }
    // The same filters missing give the same report back (not written again); others a new one.
    assert.deepEqual(kept, [false, true, false, false, false, false, true]);
  });
});

describe('thing-variable-in-greengrass-policy', () => {
  it('reports thing variables in a policy with Greengrass actions', () => {
    const text = policy([
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/${THING}` },
      { Effect: 'Allow', Action: ['greengrass:Discover'], Resource: `${ARN}:thing/${THING}` },
    ]);
    const f = findings(text, 'thing-variable-in-greengrass-policy');
    assert.deepEqual(f.map((x) => [x.text, x.severity]), [[THING, 'warning'], [THING, 'warning']]);
    assert.equal(text.substr(f[0].related![0].span.offset, f[0].related![0].span.length), 'greengrass:Discover');
  });

  it('is quiet for core-device name prefixes and for policies without Greengrass actions', () => {
    const gg = policy([
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/MyCoreDevice*` },
      { Effect: 'Allow', Action: 'greengrass:GetConnectivityInfo', Resource: `${ARN}:thing/MyCoreDevice*` },
    ]);
    assert.deepEqual(findings(gg, 'thing-variable-in-greengrass-policy'), []);
    assert.deepEqual(findings(policy([CONNECT]), 'thing-variable-in-greengrass-policy'), []);
  });
});

describe('security rules: document edge cases', () => {
  it('read a single Statement object', () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/*` } });
    assert.deepEqual(findings(text, 'overly-permissive').map((f) => f.text), ['*']);
  });

  it('point through JSON escapes (`\\u0024{`)', () => {
    const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: 'X' }]).replace('"X"', `"${ARN}:client/\\u0024{iot:Connection.Thing.ThingName}"`);
    const f = findings(text, 'connect-without-attached-thing');
    assert.equal(f.length, 1);
    assert.equal(f[0].text, '\\u0024{iot:Connection.Thing.ThingName}');
  });

  it('still analyse a broken document', () => {
    const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "${ARN}:client/*",}`;
    assert.deepEqual(findings(text, 'overly-permissive').map((f) => f.text), ['*']);
  });

  it('treat variables as plain text under Version 2008-10-17', () => {
    const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:ClientId}` }], '2008-10-17');
    assert.deepEqual(findings(text, 'overly-permissive'), []);
  });
});

describe('review 1: security rule findings', () => {
  it('overly-permissive: `iot:*` on a narrow topic names only the topic actions and no Device Defender reason', () => {
    const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:*', Resource: `${ARN}:topic/sensors/dev1` }]);
    const f = findings(text, 'overly-permissive');
    assert.equal(f.length, 1);
    assert.equal(f[0].text, 'iot:*');
    assert.equal(f[0].messageId, 'allActionsNarrow');
    assert.match(f[0].message, /^`iot:\*` on this resource allows `iot:Publish`, `iot:Receive`, `iot:RetainPublish`, `iot:GetRetainedMessage`; list only those/);
    assert.doesNotMatch(f[0].message, /iot:Connect/);
    assert.doesNotMatch(f[0].message, /ALLOWS_BROAD_ACCESS|client ID|shadows/);
  });

  it('overly-permissive: `*` with several actions gives each action its reach', () => {
    const text = policy([{ Effect: 'Allow', Action: ['iot:Connect', 'iot:Publish', 'iot:Subscribe'], Resource: '*' }]);
    const f = findings(text, 'overly-permissive');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /`iot:Connect` any client ID, `iot:Publish` any topic \(other devices' shadow and jobs topics included\), `iot:Subscribe` any topic filter/);
  });

  it('overly-permissive: `thing/*` with shadow actions only talks about shadows', () => {
    const text = policy([{ Effect: 'Allow', Action: ['iot:GetThingShadow', 'iot:UpdateThingShadow'], Resource: `${ARN}:thing/*` }]);
    const f = findings(text, 'overly-permissive');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /read or change the shadows of every thing/);
    assert.doesNotMatch(f[0].message, /jobs/);
  });

  it('overly-permissive: Connect on `client/*` pinned by StringEquals on iot:ClientId is not "any client ID"', () => {
    const text = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/*`, Condition: { StringEquals: { 'iot:ClientId': 'abc' } } }]);
    assert.deepEqual(findings(text, 'overly-permissive'), []);
    const like = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/*`, Condition: { StringLike: { 'iot:ClientId': 'abc*' } } }]);
    assert.equal(findings(like, 'overly-permissive').length, 1);
  });

  it('not-action: reported on the key, and an Allow with NotAction is overly permissive', () => {
    const text = policy([CONNECT, { Effect: 'Allow', NotAction: 'iot:Connect', Resource: `${ARN}:topic/a` }]);
    const n = findings(text, 'not-action');
    assert.equal(n.length, 1);
    assert.equal(n[0].severity, 'warning');
    assert.equal(n[0].text, 'NotAction');
    assert.equal(n[0].messageId, 'inAllow');
    assert.match(n[0].message, /in an Allow it would allow every action it does not list/);
    const o = findings(text, 'overly-permissive');
    assert.equal(o.length, 1);
    assert.equal(o[0].text, '"iot:Connect"');
    assert.equal(o[0].messageId, 'notAction');
    assert.match(o[0].message, /^An Allow with `NotAction` allows every action it does not list: here `iot:Publish`, .* on this resource/);
    assert.equal(decide(text, 'iot:Publish', 'topic/a'), 'Allow');
    const deny = policy([CONNECT, { Effect: 'Deny', NotAction: ['iot:Connect'], Resource: `${ARN}:topic/a` }]);
    assert.match(findings(deny, 'not-action')[0].message, /in a Deny/);
    assert.deepEqual(findings(deny, 'overly-permissive'), []);
  });

  it('missing-dependent-action: one finding for a Subscribe that lacks both Connect and Receive', () => {
    const text = policy([{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/a/b` }]);
    const f = findings(text, 'missing-dependent-action');
    assert.equal(f.length, 1);
    assert.equal(f[0].messageId, 'subscribeWithoutConnectAndReceive');
    assert.deepEqual(f[0].data, { missingAction: 'iot:Receive', resources: [`${ARN}:topic/a/b`], also: [{ missingAction: 'iot:Connect', resources: [`${ARN}:client/${THING}`] }] });
    assert.match(f[0].message, /iot:Connect.*iot:Receive/);
  });

  it('missing-dependent-action: the Connect message does not call Publish useless (HTTPS publishers)', () => {
    const f = findings(policy([{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/a` }]), 'missing-dependent-action');
    assert.match(f[0].message, /MQTT clients also need `iot:Connect`.*HTTPS-only/);
    assert.doesNotMatch(f[0].message, /useless/);
  });

  it('missing-dependent-action: skips filters that invalid-topic reports', () => {
    const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/a/#/b` }]);
    assert.deepEqual(findings(text, 'missing-dependent-action'), []);
  });

  it('connect-without-attached-thing: says what is missing and why', () => {
    const f = findings(policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/${THING}` }]), 'connect-without-attached-thing');
    assert.match(f[0].message, /^`iot:Connect` on `client\/\$\{iot:Connection\.Thing\.ThingName\}` has no `"Bool"/);
  });
});

// ---------------------------------------------------------------------------------------------
// Tables: message ids, exact ranges and the preferred fix, on policies written as JSON.stringify
// writes them. `[[`/`]]` inside a string value mark the range; a CloudFormation value such as
// `sub(...)` is read by the JSON host as a string with opaque ranges.

/** The region and account a template fills in: opaque ranges. */
const SUB_ARN = 'arn:aws:iot:${AWS::Region}:${AWS::AccountId}';
const sub = (text: string) => ({ 'Fn::Sub': text });
const allow = (Action: unknown, Resource: unknown, Condition?: unknown) => ({ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) });
const deny = (Action: unknown, Resource: unknown) => ({ Effect: 'Deny', Action, Resource });
const CONNECT_ANY = allow('iot:Connect', `${ARN}:client/*`);

ruleTester('overly-permissive', {
  valid: [
    policy([CONNECT]),
    policy([CONNECT, allow('iot:Publish', `${ARN}:topic/${THING}/*`)]),
    { name: 'a resource part a template fills in is never fleet-wide', code: policy([CONNECT, allow('iot:Publish', sub(`${SUB_ARN}:topic/\${Topic}`))]) },
    { name: 'nor a template value', code: policy([CONNECT, allow('iot:Subscribe', { Ref: 'FilterArn' })]) },
  ],
  invalid: [
    { code: policy([allow('[[iot:*]]', '*')]), errors: [{ messageId: 'allActions' }], output: null },
    { code: policy([CONNECT, allow('[[iot:*]]', `${ARN}:topic/a`)]), errors: [{ messageId: 'allActionsNarrow' }], output: null },
    {
      code: policy([allow('[[iot:*]]', `${ARN}:rolealias/r1`)]),
      errors: [{ messageId: 'allActionsNarrow', data: { suggestions: ['iot:AssumeRoleWithCertificate'] } }],
      output: policy([allow('iot:AssumeRoleWithCertificate', `${ARN}:rolealias/r1`)]),
    },
    { code: policy([allow('[[iot:*]]', 'arn:aws:s3:::bucket')]), errors: [{ messageId: 'allActionsNone' }], output: null },
    {
      code: policy([CONNECT, { Effect: 'Allow', NotAction: 'MARK', Resource: `${ARN}:topic/a` }]).replace('"MARK"', '[["iot:Connect"]]'),
      errors: [{ messageId: 'notAction' }],
      output: null,
    },
    { code: policy([CONNECT, allow('iot:Publish', '[[*]]')]), errors: [{ messageId: 'allResources' }], output: null },
    {
      code: policy([allow('iot:Connect', `${ARN}:client/[[*]]`)]),
      errors: [{ messageId: 'anyClient', data: { suggestions: [THING] } }],
      output: policy([CONNECT]),
    },
    { code: policy([allow('iot:Connect', `${ARN}:client/[[\${iot:ClientId}]]`)]), errors: [{ messageId: 'clientIdVariable' }], output: policy([CONNECT]) },
    {
      code: policy([allow('iot:GetThingShadow', `${ARN}:thing/[[*]]`)]),
      errors: [{ messageId: 'anyThing' }],
      output: policy([allow('iot:GetThingShadow', `${ARN}:thing/${THING}`)]),
    },
    {
      code: policy([CONNECT, allow('iot:Publish', `${ARN}:topic/[[*]]`)]),
      errors: [{ messageId: 'anyTopic' }],
      output: policy([CONNECT, allow('iot:Publish', `${ARN}:topic/${THING}/*`)]),
    },
    {
      code: policy([CONNECT, allow('iot:Publish', `${ARN}:topic/$aws/things/[[*]]/shadow/update`)]),
      errors: [{ messageId: 'otherDevicesTopics' }],
      output: policy([CONNECT, allow('iot:Publish', `${ARN}:topic/$aws/things/${THING}/shadow/update`)]),
    },
    {
      name: 'a resource part written in full beside a template\'s region and account',
      code: policy([CONNECT, allow('iot:Publish', sub(`${SUB_ARN}:[[*]]`))]),
      errors: [{ messageId: 'allResources' }],
      output: null,
    },
    {
      // The output is not checked: the writer does not yet escape `${` as `${!` inside Fn::Sub.
      name: 'a literal `*` beside template parts is still fleet-wide',
      code: policy([allow('iot:Connect', sub(`${SUB_ARN}:client/[[*]]`))]),
      errors: [{ messageId: 'anyClient' }],
    },
  ],
});

ruleTester('not-action', {
  valid: [policy([CONNECT])],
  invalid: [
    { code: policy([CONNECT, { Effect: 'Allow', '[[NotAction]]': 'iot:Connect', Resource: `${ARN}:topic/a` }]), errors: [{ messageId: 'inAllow' }], output: null },
    { code: policy([CONNECT, { Effect: 'Deny', '[[NotAction]]': 'iot:Connect', Resource: '*' }]), errors: [{ messageId: 'inDeny' }], output: null },
  ],
});

ruleTester('mqtt-wildcard-in-deny', {
  valid: [
    policy([deny('iot:Subscribe', `${ARN}:topicfilter/a/*`)]),
    policy([deny('iot:Publish', sub(`${SUB_ARN}:topic/\${Topic}`))]),
  ],
  invalid: [
    {
      code: policy([deny('iot:Publish', `${ARN}:topic/a/[[#]]`)]),
      errors: [{ messageId: 'literalInDeny', data: { suggestions: ['*'] } }],
      output: policy([deny('iot:Publish', `${ARN}:topic/a/*`)]),
    },
    {
      name: 'a literal wildcard beside template parts',
      code: policy([deny('iot:Subscribe', sub(`${SUB_ARN}:topicfilter/\${Area}/[[+]]/alarm`))]),
      errors: [{ messageId: 'literalInDeny', message: /also deny `iot:Receive`/ }],
      output: policy([deny('iot:Subscribe', sub(`${SUB_ARN}:topicfilter/\${Area}/*/alarm`))]),
    },
  ],
});

const SUB_BUILDING = allow('iot:Subscribe', `${ARN}:topicfilter/building/*`);
const RECEIVE_BUILDING = allow('iot:Receive', `${ARN}:topic/building/*`);
const RECEIVE_DENY = deny('iot:Receive', `${ARN}:topic/building/control_room/*`);

ruleTester('deny-bypassed-by-wildcard', {
  valid: [
    policy([CONNECT, SUB_BUILDING, deny('iot:Subscribe', `${ARN}:topicfilter/building/control_room/*`), RECEIVE_BUILDING, RECEIVE_DENY]),
    {
      name: 'a denied filter a template fills in is not judged',
      code: policy([CONNECT, SUB_BUILDING, deny('iot:Subscribe', sub(`${SUB_ARN}:topicfilter/building/\${Room}/*`)), RECEIVE_BUILDING]),
    },
  ],
  invalid: [
    {
      code: policy([CONNECT, SUB_BUILDING, deny('iot:Subscribe', `${ARN}:topicfilter/[[building/control_room/*]]`), RECEIVE_BUILDING]),
      errors: [{ messageId: 'bypassed', data: { resources: [`${ARN}:topic/building/control_room/*`] } }],
      output: policy([CONNECT, SUB_BUILDING, deny('iot:Subscribe', `${ARN}:topicfilter/building/control_room/*`), RECEIVE_DENY, RECEIVE_BUILDING]),
    },
    {
      name: 'a filter written in full beside a template\'s region and account',
      code: policy([CONNECT, SUB_BUILDING, deny('iot:Subscribe', sub(`${SUB_ARN}:topicfilter/[[building/control_room/*]]`)), RECEIVE_BUILDING]),
      errors: [{ messageId: 'bypassed' }],
    },
  ],
});

ruleTester('client-id-variable-unrestricted', {
  valid: [
    policy([CONNECT, allow('iot:Subscribe', `${ARN}:topicfilter/\${iot:ClientId}`)]),
    {
      name: 'Connect on client IDs a template fills in',
      code: policy([allow('iot:Connect', sub(`${SUB_ARN}:client/\${Prefix}`)), allow('iot:Subscribe', `${ARN}:topicfilter/\${iot:ClientId}`)]),
    },
  ],
  invalid: [
    {
      code: policy([CONNECT_ANY, allow('iot:Subscribe', `${ARN}:topicfilter/[[\${iot:ClientId}]]/cmd`)]),
      errors: [{ messageId: 'inTopicFilter', message: /becomes `topicfilter\/#\/cmd`/ }],
      output: policy([CONNECT_ANY, allow('iot:Subscribe', `${ARN}:topicfilter/${THING}/cmd`)]),
    },
    {
      code: policy([CONNECT_ANY, allow('iot:Publish', `${ARN}:topic/[[\${iot:ClientId}]]/data`)]),
      errors: [{ messageId: 'inTopic' }],
      output: policy([CONNECT_ANY, allow('iot:Publish', `${ARN}:topic/${THING}/data`)]),
    },
    {
      name: 'in a template topic (the variable escaped for Fn::Sub)',
      code: policy([CONNECT_ANY, allow('iot:Publish', sub(`${SUB_ARN}:topic/[[\${!iot:ClientId}]]/data`))]),
      errors: [{ messageId: 'inTopic' }],
    },
  ],
});

ruleTester('connect-without-attached-thing', {
  valid: [policy([CONNECT]), policy([allow('iot:Connect', `${ARN}:client/c1`)])],
  invalid: [
    { code: policy([allow('iot:Connect', `${ARN}:client/[[${THING}]]`)]), errors: [{ messageId: 'noCondition' }], output: policy([CONNECT]) },
    {
      name: 'a template client ARN',
      code: policy([allow('iot:Connect', sub(`${SUB_ARN}:client/[[\${!iot:Connection.Thing.ThingName}]]`))]),
      errors: [{ messageId: 'noCondition' }],
      output: policy([allow('iot:Connect', sub(`${SUB_ARN}:client/\${!iot:Connection.Thing.ThingName}`), ATTACHED)]),
    },
  ],
});

const CONNECT_ANYWHERE = { ...CONNECT, Resource: `arn:aws:iot:*:*:client/${THING}` };

ruleTester('missing-dependent-action', {
  valid: [
    policy([CONNECT, allow('iot:Publish', `${ARN}:topic/a`)]),
    policy([CONNECT, allow(['iot:Subscribe', 'iot:Receive'], [`${ARN}:topicfilter/a/+`, `${ARN}:topic/a/*`])]),
    { name: 'filters a template fills in are not judged', code: policy([CONNECT, allow('iot:Subscribe', sub(`${SUB_ARN}:topicfilter/\${Filter}`))]) },
    { name: 'a statement a template fills in could allow Connect', code: policy([allow('iot:Publish', `${ARN}:topic/a`), { Ref: 'MoreStatements' }]) },
    { name: 'actions a template fills in could be Connect', code: policy([allow('iot:Publish', `${ARN}:topic/a`), allow({ Ref: 'Actions' }, `${ARN}:client/a`)]) },
  ],
  invalid: [
    {
      code: policy([allow('[[iot:Publish]]', `${ARN}:topic/a`)]),
      errors: [{ messageId: 'connectForPublish', data: { missingAction: 'iot:Connect', resources: [`${ARN}:client/${THING}`] } }],
      output: policy([allow('iot:Publish', `${ARN}:topic/a`), CONNECT]),
    },
    {
      name: 'without an ARN to copy, the Connect ARN takes the configured region and account (here none)',
      code: policy([allow('[[iot:Publish]]', '*')]),
      errors: [{ messageId: 'connectForPublish', data: { resources: [] } }],
      output: policy([allow('iot:Publish', '*'), CONNECT_ANYWHERE]),
    },
    {
      code: policy([CONNECT, allow('[[iot:Subscribe]]', `${ARN}:topicfilter/a/+`)]),
      errors: [{ messageId: 'subscribeWithoutReceive', data: { resources: [`${ARN}:topic/a/*`] } }],
      output: policy([CONNECT, allow('iot:Subscribe', `${ARN}:topicfilter/a/+`), allow('iot:Receive', `${ARN}:topic/a/*`)]),
    },
    {
      code: policy([allow('[[iot:Subscribe]]', `${ARN}:topicfilter/a`)]),
      errors: [{ messageId: 'subscribeWithoutConnectAndReceive' }],
      output: policy([allow('iot:Subscribe', `${ARN}:topicfilter/a`), allow('iot:Receive', `${ARN}:topic/a`), CONNECT]),
    },
    {
      code: policy([allow('[[iot:Subscribe]]', `${ARN}:topicfilter/a`), allow('iot:Receive', `${ARN}:topic/a`)]),
      errors: [{ messageId: 'subscribeWithoutConnect' }],
      output: policy([allow('iot:Subscribe', `${ARN}:topicfilter/a`), allow('iot:Receive', `${ARN}:topic/a`), CONNECT]),
    },
    {
      code: policy([CONNECT, allow(['[[iot:RetainPublish]]'], `${ARN}:topic/a`)]),
      errors: [{ messageId: 'retainWithoutPublish' }],
      output: policy([CONNECT, allow(['iot:RetainPublish', 'iot:Publish'], `${ARN}:topic/a`)]),
    },
    {
      name: 'template region and account: the Connect ARN takes the configured ones',
      code: policy([allow('[[iot:Publish]]', sub(`${SUB_ARN}:topic/a`))]),
      errors: [{ messageId: 'connectForPublish' }],
      config: { rules: {}, defaults: { region: 'eu-west-1', accountId: '493812760155' } },
      output: policy([allow('iot:Publish', sub(`${SUB_ARN}:topic/a`)), CONNECT]),
    },
  ],
});

ruleTester('thing-variable-in-greengrass-policy', {
  valid: [policy([allow('greengrass:Discover', `${ARN}:thing/MyCoreDevice*`)]), policy([CONNECT])],
  invalid: [
    { code: policy([allow('greengrass:Discover', `${ARN}:thing/[[${THING}]]`)]), errors: [{ messageId: 'unresolved' }], output: null },
    {
      name: 'in a template ARN (the variable escaped for Fn::Sub)',
      code: policy([allow('greengrass:Discover', sub(`${SUB_ARN}:thing/[[\${!iot:Connection.Thing.ThingName}]]`))]),
      errors: [{ messageId: 'unresolved' }],
      output: null,
    },
  ],
});
