import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyze, parsePolicy } from '../../server/src/service';
import { evaluate, type EvalRequest } from '../../server/src/service/eval/evaluate';

const ARN = 'arn:aws:iot:eu-west-1:493812760155';

function policy(statements: unknown[], version: string | null = '2012-10-17', name = 'p.json') {
  const doc: Record<string, unknown> = {};
  if (version !== null) doc.Version = version;
  doc.Statement = statements;
  return { name, model: parsePolicy(JSON.stringify(doc, null, 2)) };
}

function decide(statements: unknown[], request: EvalRequest, version: string | null = '2012-10-17') {
  return evaluate([policy(statements, version)], request);
}

const allow = (Action: unknown, Resource: unknown, Condition?: unknown) => ({ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) });
const deny = (Action: unknown, Resource: unknown, Condition?: unknown) => ({ Effect: 'Deny', Action, Resource, ...(Condition ? { Condition } : {}) });

describe('evaluate: effects and defaults', () => {
  it('denies by default', () => {
    const r = evaluate([], { action: 'iot:Connect', resource: `${ARN}:client/a` });
    assert.equal(r.decision, 'ImplicitDeny');
    assert.deepEqual(r.matched, []);
    assert.ok(r.notes.some((n) => n.includes('no Allow statement')));
  });
  it('allows with a matching Allow and reports the statement and its span', () => {
    const p = policy([allow('iot:Connect', `${ARN}:client/a`)]);
    const r = evaluate([p], { action: 'iot:Connect', resource: `${ARN}:client/a` });
    assert.equal(r.decision, 'Allow');
    assert.equal(r.matched.length, 1);
    assert.equal(r.matched[0].statementIndex, 0);
    assert.equal(r.matched[0].policy, 'p.json');
    const text = p.model.text.substr(r.matched[0].span.offset, r.matched[0].span.length);
    assert.ok(text.startsWith('{') && text.includes('"Effect": "Allow"'));
    // The statement starts on line 4 (zero-based 3), indented by four spaces.
    assert.deepEqual(r.matched[0].range.start, { line: 3, character: 4 });
    assert.equal(r.matched[0].range.end.line, 7);
    assert.equal(r.deciding, r.matched[0]);
  });
  it('an explicit Deny wins, in the same policy', () => {
    const r = decide([allow('iot:*', '*'), deny('iot:Publish', `${ARN}:topic/secret`)], { action: 'iot:Publish', resource: `${ARN}:topic/secret` });
    assert.equal(r.decision, 'ExplicitDeny');
    assert.equal(r.deciding?.statementIndex, 1);
    assert.equal(r.matched.length, 2);
  });
  it('an explicit Deny wins across policies', () => {
    const a = policy([allow('iot:Publish', `${ARN}:topic/*`)], '2012-10-17', 'a.json');
    const b = policy([deny('iot:Publish', `${ARN}:topic/secret`)], '2012-10-17', 'b.json');
    const req = { action: 'iot:Publish', resource: `${ARN}:topic/secret` };
    assert.equal(evaluate([a, b], req).decision, 'ExplicitDeny');
    assert.equal(evaluate([b, a], req).decision, 'ExplicitDeny');
    assert.equal(evaluate([a, b], req).deciding?.policy, 'b.json');
    assert.equal(evaluate([a, b], { action: 'iot:Publish', resource: `${ARN}:topic/open` }).decision, 'Allow');
    assert.equal(evaluate([b], { action: 'iot:Publish', resource: `${ARN}:topic/open` }).decision, 'ImplicitDeny');
  });
  it('ignores statements with an invalid Effect, with a note', () => {
    const r = decide([{ Effect: 'allow', Action: 'iot:Connect', Resource: '*' }], { action: 'iot:Connect', resource: `${ARN}:client/a` });
    assert.equal(r.decision, 'ImplicitDeny');
    assert.ok(r.notes.some((n) => n.includes('Effect')));
  });
  it('accepts a single statement object', () => {
    const model = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: allow('iot:Connect', '*') }));
    assert.equal(evaluate([{ name: 'x', model }], { action: 'iot:Connect', resource: `${ARN}:client/a` }).decision, 'Allow');
  });
});

describe('evaluate: actions', () => {
  const req = (action: string) => ({ action, resource: `${ARN}:topic/t` });
  it('matches action names ignoring case, with * and ?', () => {
    assert.equal(decide([allow('IOT:publish', '*')], req('iot:Publish')).decision, 'Allow');
    assert.equal(decide([allow('iot:Pub*', '*')], req('iot:Publish')).decision, 'Allow');
    assert.equal(decide([allow('iot:*', '*')], req('iot:Receive')).decision, 'Allow');
    assert.equal(decide([allow('iot:?eceive', '*')], req('iot:Receive')).decision, 'Allow');
    assert.equal(decide([allow('iot:?eceive', '*')], req('iot:Publish')).decision, 'ImplicitDeny');
    assert.equal(decide([allow(['iot:Connect', 'iot:Publish'], '*')], req('iot:Publish')).decision, 'Allow');
    assert.equal(decide([allow('iot:Connect', '*')], req('iot:Publish')).decision, 'ImplicitDeny');
  });
  it('NotAction matches every other action', () => {
    const st = { Effect: 'Allow', NotAction: 'iot:Publish', Resource: '*' };
    assert.equal(decide([st], req('iot:Receive')).decision, 'Allow');
    assert.equal(decide([st], req('iot:Publish')).decision, 'ImplicitDeny');
    assert.equal(decide([st], req('iot:publish')).decision, 'ImplicitDeny');
  });
  it('answers one policy the same on many actions, past the answers it keeps per pattern', () => {
    const p = policy([allow(['iot:Pub*', 'iot:?eceive'], '*')]);
    const actions = Array.from({ length: 600 }, (_, i) => [`iot:Pub${i}`, `iot:Sub${i}`, `IOT:PUB${i}`, `iot:${i % 10}eceive`][i % 4]);
    // Twice: the second pass meets answers kept by the first, or a cache that started over.
    for (const pass of [1, 2]) {
      for (const action of actions) {
        const expected = /^iot:pub/i.test(action) || /^iot:.eceive$/i.test(action) ? 'Allow' : 'ImplicitDeny';
        assert.equal(evaluate([p], req(action)).decision, expected, `${action}, pass ${pass}`);
      }
    }
  });
});

describe('evaluate: resources', () => {
  it('is case-sensitive, * spans levels, + and # are literal', () => {
    const st = [allow('iot:Subscribe', `${ARN}:topicfilter/sensors/*`)];
    const sub = (f: string) => decide(st, { action: 'iot:Subscribe', resource: `${ARN}:topicfilter/${f}` }).decision;
    assert.equal(sub('sensors/t1'), 'Allow');
    assert.equal(sub('sensors/a/b/c'), 'Allow');
    assert.equal(sub('sensors/#'), 'Allow');
    assert.equal(sub('Sensors/t1'), 'ImplicitDeny');
    const lit = [allow('iot:Subscribe', `${ARN}:topicfilter/sensors/+/temp`)];
    assert.equal(decide(lit, { action: 'iot:Subscribe', resource: `${ARN}:topicfilter/sensors/+/temp` }).decision, 'Allow');
    assert.equal(decide(lit, { action: 'iot:Subscribe', resource: `${ARN}:topicfilter/sensors/t1/temp` }).decision, 'ImplicitDeny');
  });
  it('? matches one character', () => {
    const st = [allow('iot:Publish', `${ARN}:topic/some/?????/topic`)];
    assert.equal(decide(st, { action: 'iot:Publish', resource: `${ARN}:topic/some/abcde/topic` }).decision, 'Allow');
    assert.equal(decide(st, { action: 'iot:Publish', resource: `${ARN}:topic/some/abcdef/topic` }).decision, 'ImplicitDeny');
  });
  it('NotResource matches every other resource', () => {
    const st = [{ Effect: 'Allow', Action: 'iot:Receive', NotResource: `${ARN}:topic/a/restricted/*` }];
    assert.equal(decide(st, { action: 'iot:Receive', resource: `${ARN}:topic/a/open` }).decision, 'Allow');
    assert.equal(decide(st, { action: 'iot:Receive', resource: `${ARN}:topic/a/restricted/x` }).decision, 'ImplicitDeny');
    const d = [allow('iot:Receive', '*'), { Effect: 'Deny', Action: 'iot:Receive', NotResource: [`${ARN}:topic/a/*`, `${ARN}:topic/b`] }];
    assert.equal(decide(d, { action: 'iot:Receive', resource: `${ARN}:topic/b` }).decision, 'Allow');
    assert.equal(decide(d, { action: 'iot:Receive', resource: `${ARN}:topic/c` }).decision, 'ExplicitDeny');
  });
  it('Resource "*" matches everything', () => {
    assert.equal(decide([allow('iot:ListRetainedMessages', '*')], { action: 'iot:ListRetainedMessages', resource: '*' }).decision, 'Allow');
  });
});

describe('evaluate: policy variables', () => {
  const own = [allow('iot:Publish', `${ARN}:topic/\${iot:Connection.Thing.ThingName}/*`)];
  it('substitutes variables from the context', () => {
    const ctx = { 'iot:Connection.Thing.ThingName': 'pump-7' };
    assert.equal(decide(own, { action: 'iot:Publish', resource: `${ARN}:topic/pump-7/telemetry`, context: ctx }).decision, 'Allow');
    assert.equal(decide(own, { action: 'iot:Publish', resource: `${ARN}:topic/pump-8/telemetry`, context: ctx }).decision, 'ImplicitDeny');
  });
  it('an unresolved variable makes the entry not match, with a note', () => {
    const r = decide(own, { action: 'iot:Publish', resource: `${ARN}:topic/pump-7/telemetry` });
    assert.equal(r.decision, 'ImplicitDeny');
    assert.ok(r.notes.includes('variable iot:Connection.Thing.ThingName has no value in the request, so statement 1 cannot match'), r.notes.join('\n'));
    // Even the literal text does not match.
    assert.equal(decide(own, { action: 'iot:Publish', resource: `${ARN}:topic/\${iot:Connection.Thing.ThingName}/x` }).decision, 'ImplicitDeny');
  });
  it('a substituted value is literal: its * is not a wildcard', () => {
    const st = [allow('iot:Publish', `${ARN}:topic/\${iot:ClientId}/data`)];
    assert.equal(decide(st, { action: 'iot:Publish', resource: `${ARN}:topic/*/data`, context: { 'iot:ClientId': '*' } }).decision, 'Allow');
    assert.equal(decide(st, { action: 'iot:Publish', resource: `${ARN}:topic/other/data`, context: { 'iot:ClientId': '*' } }).decision, 'ImplicitDeny');
    // A client connecting as "+" can use the literal + filter.
    const f = [allow('iot:Subscribe', `${ARN}:topicfilter/my/\${iot:ClientId}/topic`)];
    assert.equal(decide(f, { action: 'iot:Subscribe', resource: `${ARN}:topicfilter/my/+/topic`, context: { 'iot:ClientId': '+' } }).decision, 'Allow');
  });
  it('with Version 2008-10-17 or no Version, variables are literal text', () => {
    for (const v of ['2008-10-17', null]) {
      const r = decide(own, { action: 'iot:Publish', resource: `${ARN}:topic/pump-7/x`, context: { 'iot:Connection.Thing.ThingName': 'pump-7' } }, v);
      assert.equal(r.decision, 'ImplicitDeny');
      assert.ok(r.notes.some((n) => n.includes('literal text')), r.notes.join('\n'));
      const lit = decide(own, { action: 'iot:Publish', resource: `${ARN}:topic/\${iot:Connection.Thing.ThingName}/x` }, v);
      assert.equal(lit.decision, 'Allow');
    }
  });
  it('escapes ${*}, ${?}, ${$} are literal characters', () => {
    const st = [allow('iot:Publish', `${ARN}:topic/a/\${*}/\${?}/\${$}`)];
    assert.equal(decide(st, { action: 'iot:Publish', resource: `${ARN}:topic/a/*/?/$` }).decision, 'Allow');
    assert.equal(decide(st, { action: 'iot:Publish', resource: `${ARN}:topic/a/x/y/$` }).decision, 'ImplicitDeny');
    // Under 2008-10-17 the escape itself is literal text.
    assert.equal(decide(st, { action: 'iot:Publish', resource: `${ARN}:topic/a/\${*}/\${?}/\${$}` }, '2008-10-17').decision, 'Allow');
  });
  it('thing attributes and certificate variables with .N and .List', () => {
    const attr = [allow('iot:Publish', `${ARN}:topic/\${iot:Connection.Thing.Attributes[building]}/*`)];
    assert.equal(decide(attr, { action: 'iot:Publish', resource: `${ARN}:topic/b12/x`, context: { 'iot:Connection.Thing.Attributes[building]': 'b12' } }).decision, 'Allow');
    const cn = [allow('iot:Publish', `${ARN}:topic/\${iot:Certificate.Subject.CommonName.1}`)];
    const ctx = { 'iot:Certificate.Subject.CommonName': ['first', 'second'] };
    assert.equal(decide(cn, { action: 'iot:Publish', resource: `${ARN}:topic/second`, context: ctx }).decision, 'Allow');
    const cn0 = [allow('iot:Publish', `${ARN}:topic/\${iot:Certificate.Subject.CommonName}`)];
    assert.equal(decide(cn0, { action: 'iot:Publish', resource: `${ARN}:topic/first`, context: ctx }).decision, 'Allow');
    const list = [allow('iot:Connect', '*', { 'ForAnyValue:StringEquals': { 'iot:Certificate.Subject.CommonName.List': 'second' } })];
    assert.equal(decide(list, { action: 'iot:Connect', resource: `${ARN}:client/x`, context: ctx }).decision, 'Allow');
    const missing = [allow('iot:Publish', `${ARN}:topic/\${iot:Certificate.Subject.CommonName.5}`)];
    assert.equal(decide(missing, { action: 'iot:Publish', resource: `${ARN}:topic/first`, context: ctx }).decision, 'ImplicitDeny');
  });
  it('does not substitute certificate values with wildcard characters', () => {
    const st = [allow('iot:Publish', `${ARN}:topic/\${iot:Certificate.Subject.Organization}/x`)];
    const r = decide(st, { action: 'iot:Publish', resource: `${ARN}:topic/a#b/x`, context: { 'iot:Certificate.Subject.Organization': 'a#b' } });
    assert.equal(r.decision, 'ImplicitDeny');
    assert.ok(r.notes.some((n) => n.includes('not substituted')));
  });
  it('supports IAM default values', () => {
    const st = [allow('iot:Publish', `${ARN}:topic/\${iot:ClientId, 'anonymous'}/x`)];
    assert.equal(decide(st, { action: 'iot:Publish', resource: `${ARN}:topic/anonymous/x` }).decision, 'Allow');
    assert.equal(decide(st, { action: 'iot:Publish', resource: `${ARN}:topic/c1/x`, context: { 'iot:ClientId': 'c1' } }).decision, 'Allow');
  });
  it('variable names are case-sensitive; condition keys are not', () => {
    const r = decide(own, { action: 'iot:Publish', resource: `${ARN}:topic/p/x`, context: { 'IOT:connection.thing.thingname': 'p' } });
    assert.equal(r.decision, 'ImplicitDeny');
    assert.ok(r.notes.some((n) => n.includes('differs in case')), r.notes.join('\n'));
    const cond = [allow('iot:Connect', '*', { StringEquals: { 'IOT:clientid': 'c1' } })];
    assert.equal(decide(cond, { action: 'iot:Connect', resource: `${ARN}:client/c1`, context: { 'iot:ClientId': 'c1' } }).decision, 'Allow');
  });
});

describe('evaluate: conditions', () => {
  const R = { action: 'iot:Connect', resource: `${ARN}:client/c1` };
  const withCond = (cond: unknown, context: EvalRequest['context'], effect: 'Allow' | 'Deny' = 'Allow') =>
    decide(effect === 'Allow' ? [allow('iot:Connect', '*', cond)] : [allow('iot:Connect', '*'), deny('iot:Connect', '*', cond)], { ...R, context }).decision;

  it('StringEquals, StringNotEquals, IgnoreCase variants', () => {
    assert.equal(withCond({ StringEquals: { 'iot:DomainName': 'iot.example.com' } }, { 'iot:DomainName': 'iot.example.com' }), 'Allow');
    assert.equal(withCond({ StringEquals: { 'iot:DomainName': 'iot.example.com' } }, { 'iot:DomainName': 'IOT.example.com' }), 'ImplicitDeny');
    assert.equal(withCond({ StringEquals: { 'iot:DomainName': ['a', 'b'] } }, { 'iot:DomainName': 'b' }), 'Allow');
    assert.equal(withCond({ StringEquals: { 'iot:DomainName': 'a*' } }, { 'iot:DomainName': 'abc' }), 'ImplicitDeny');
    assert.equal(withCond({ StringEqualsIgnoreCase: { 'iot:DomainName': 'IOT.EXAMPLE.COM' } }, { 'iot:DomainName': 'iot.example.com' }), 'Allow');
    assert.equal(withCond({ StringNotEquals: { 'iot:DomainName': ['a', 'b'] } }, { 'iot:DomainName': 'c' }), 'Allow');
    assert.equal(withCond({ StringNotEquals: { 'iot:DomainName': ['a', 'b'] } }, { 'iot:DomainName': 'b' }), 'ImplicitDeny');
    assert.equal(withCond({ StringNotEqualsIgnoreCase: { 'iot:DomainName': 'A' } }, { 'iot:DomainName': 'a' }), 'ImplicitDeny');
    assert.equal(withCond({ StringNotEqualsIgnoreCase: { 'iot:DomainName': 'A' } }, { 'iot:DomainName': 'b' }), 'Allow');
  });
  it('StringLike and StringNotLike with wildcards', () => {
    assert.equal(withCond({ StringLike: { 'iot:ClientId': 'sensor-??' } }, { 'iot:ClientId': 'sensor-42' }), 'Allow');
    assert.equal(withCond({ StringLike: { 'iot:ClientId': 'sensor-??' } }, { 'iot:ClientId': 'sensor-420' }), 'ImplicitDeny');
    assert.equal(withCond({ StringLike: { 'iot:ClientId': 'Sensor-*' } }, { 'iot:ClientId': 'sensor-1' }), 'ImplicitDeny');
    assert.equal(withCond({ StringNotLike: { 'iot:ClientId': 'test-*' } }, { 'iot:ClientId': 'sensor-1' }), 'Allow');
    assert.equal(withCond({ StringNotLike: { 'iot:ClientId': 'test-*' } }, { 'iot:ClientId': 'test-1' }), 'ImplicitDeny');
  });
  it('variables in condition values', () => {
    const cond = { StringEquals: { 'iot:ClientId': '${iot:Connection.Thing.ThingName}' } };
    assert.equal(withCond(cond, { 'iot:ClientId': 't1', 'iot:Connection.Thing.ThingName': 't1' }), 'Allow');
    assert.equal(withCond(cond, { 'iot:ClientId': 't1', 'iot:Connection.Thing.ThingName': 't2' }), 'ImplicitDeny');
    const r = decide([allow('iot:Connect', '*', cond)], { ...R, context: { 'iot:ClientId': 't1' } });
    assert.equal(r.decision, 'ImplicitDeny');
    assert.ok(r.notes.some((n) => n.includes('iot:Connection.Thing.ThingName has no value')));
  });
  it('Numeric operators', () => {
    const n = (op: string, v: unknown, c: string) => withCond({ [op]: { 'iot:Connection.Thing.Attributes[floor]': v } }, { 'iot:Connection.Thing.Attributes[floor]': c });
    assert.equal(n('NumericEquals', '3', '3.0'), 'Allow');
    assert.equal(n('NumericEquals', 3, '4'), 'ImplicitDeny');
    assert.equal(n('NumericNotEquals', '3', '4'), 'Allow');
    assert.equal(n('NumericLessThan', '3', '2'), 'Allow');
    assert.equal(n('NumericLessThan', '3', '3'), 'ImplicitDeny');
    assert.equal(n('NumericLessThanEquals', '3', '3'), 'Allow');
    assert.equal(n('NumericGreaterThan', '3', '4'), 'Allow');
    assert.equal(n('NumericGreaterThan', '3', '3'), 'ImplicitDeny');
    assert.equal(n('NumericGreaterThanEquals', '3', '3'), 'Allow');
    assert.equal(n('NumericEquals', 'x', 'x'), 'ImplicitDeny');
  });
  it('Date operators (ISO 8601 and epoch)', () => {
    const key = 'iot:Connection.Thing.Attributes[installed]';
    const d = (op: string, v: string, c: string) => withCond({ [op]: { [key]: v } }, { [key]: c });
    assert.equal(d('DateEquals', '2026-01-01T00:00:00Z', '1767225600'), 'Allow');
    assert.equal(d('DateNotEquals', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'), 'Allow');
    assert.equal(d('DateLessThan', '2026-01-01', '2025-12-31T23:59:59Z'), 'Allow');
    assert.equal(d('DateLessThan', '2026-01-01', '2026-01-01'), 'ImplicitDeny');
    assert.equal(d('DateLessThanEquals', '2026-01-01', '2026-01-01'), 'Allow');
    assert.equal(d('DateGreaterThan', '2026-01-01', '2026-06-01T00:00:00+02:00'), 'Allow');
    assert.equal(d('DateGreaterThanEquals', '2026-01-01', '2025-01-01'), 'ImplicitDeny');
  });
  it('Bool', () => {
    const attached = { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } };
    assert.equal(withCond(attached, { 'iot:Connection.Thing.IsAttached': 'true' }), 'Allow');
    assert.equal(withCond(attached, { 'iot:Connection.Thing.IsAttached': true }), 'Allow');
    assert.equal(withCond(attached, { 'iot:Connection.Thing.IsAttached': 'false' }), 'ImplicitDeny');
    assert.equal(withCond(attached, {}), 'ImplicitDeny');
    assert.equal(withCond({ Bool: { 'iot:Connection.Thing.IsAttached': ['true'] } }, { 'iot:Connection.Thing.IsAttached': 'true' }), 'Allow');
    assert.equal(withCond({ Bool: { 'iot:Connection.Thing.IsAttached': true } }, { 'iot:Connection.Thing.IsAttached': 'true' }), 'Allow');
  });
  it('BinaryEquals', () => {
    const key = 'iot:Connection.Thing.Attributes[blob]';
    assert.equal(withCond({ BinaryEquals: { [key]: 'QmluYXJ5' } }, { [key]: 'QmluYXJ5' }), 'Allow');
    assert.equal(withCond({ BinaryEquals: { [key]: 'QmluYXJ5' } }, { [key]: 'QmluYXJ6' }), 'ImplicitDeny');
  });
  it('IpAddress and NotIpAddress with IPv4 and IPv6 CIDR', () => {
    const ip = (op: string, v: unknown, c: string) => withCond({ [op]: { 'aws:SourceIp': v } }, { 'aws:SourceIp': c });
    assert.equal(ip('IpAddress', '203.0.113.0/24', '203.0.113.77'), 'Allow');
    assert.equal(ip('IpAddress', '203.0.113.0/24', '203.0.114.1'), 'ImplicitDeny');
    assert.equal(ip('IpAddress', '203.0.113.5', '203.0.113.5'), 'Allow');
    assert.equal(ip('IpAddress', ['198.51.100.0/24', '2001:db8::/32'], '2001:db8:0:1::7'), 'Allow');
    assert.equal(ip('IpAddress', '2001:db8::/32', '2001:db9::1'), 'ImplicitDeny');
    assert.equal(ip('IpAddress', '2001:db8:abcd:12::/64', '2001:db8:abcd:12:ffff:ffff:ffff:ffff'), 'Allow');
    assert.equal(ip('IpAddress', '2001:db8:abcd:12::/64', '2001:db8:abcd:13::'), 'ImplicitDeny');
    assert.equal(ip('IpAddress', '0.0.0.0/0', '8.8.8.8'), 'Allow');
    assert.equal(ip('IpAddress', '::/0', '8.8.8.8'), 'ImplicitDeny');
    assert.equal(ip('IpAddress', '203.0.113.0/24', 'not-an-ip'), 'ImplicitDeny');
    assert.equal(ip('NotIpAddress', '203.0.113.0/24', '198.51.100.1'), 'Allow');
    assert.equal(ip('NotIpAddress', '203.0.113.0/24', '203.0.113.1'), 'ImplicitDeny');
  });
  it('Arn operators match part by part', () => {
    const a = (op: string, v: string, c: string) => withCond({ [op]: { 'iot:LastWillTopic': v } }, { 'iot:LastWillTopic': c });
    assert.equal(a('ArnEquals', `${ARN}:topic/will/c1`, `${ARN}:topic/will/c1`), 'Allow');
    assert.equal(a('ArnLike', `${ARN}:topic/will/*`, `${ARN}:topic/will/c1`), 'Allow');
    assert.equal(a('ArnLike', 'arn:aws:iot:*:493812760155:topic/will/*', `${ARN}:topic/will/c1`), 'Allow');
    assert.equal(a('ArnLike', 'arn:aws:iot:*:topic/will/*', `${ARN}:topic/will/c1`), 'ImplicitDeny');
    assert.equal(a('ArnEquals', `${ARN}:topic/will/c1`, `${ARN}:topic/will/C1`), 'ImplicitDeny');
    assert.equal(a('ArnNotEquals', `${ARN}:topic/will/c1`, `${ARN}:topic/will/c2`), 'Allow');
    assert.equal(a('ArnNotLike', `${ARN}:topic/will/*`, `${ARN}:topic/will/c2`), 'ImplicitDeny');
    assert.equal(a('ArnLike', `${ARN}:topic/will/\${iot:ClientId}`, `${ARN}:topic/will/c1`), 'ImplicitDeny');
    assert.equal(
      decide([allow('iot:Connect', '*', { ArnEquals: { 'iot:LastWillTopic': `${ARN}:topic/will/\${iot:ClientId}` } })], { ...R, context: { 'iot:LastWillTopic': `${ARN}:topic/will/c1`, 'iot:ClientId': 'c1' } }).decision,
      'Allow',
    );
  });
  it('Null', () => {
    const cond = { Null: { 'iot:Certificate.SerialNumber': 'false' } };
    assert.equal(withCond(cond, { 'iot:Certificate.SerialNumber': '1234' }), 'Allow');
    assert.equal(withCond(cond, {}), 'ImplicitDeny');
    assert.equal(withCond({ Null: { 'iot:Certificate.SerialNumber': 'true' } }, {}), 'Allow');
    assert.equal(withCond({ Null: { 'iot:Certificate.SerialNumber': 'true' } }, { 'iot:Certificate.SerialNumber': '1' }), 'ImplicitDeny');
    assert.equal(withCond({ Null: { 'iot:ConnectAttributes': 'true' } }, { 'iot:ConnectAttributes': [] }), 'Allow');
  });
  it('absent keys: positive operators false, negated operators true, IfExists true', () => {
    assert.equal(withCond({ StringEquals: { 'iot:DomainName': 'a' } }, {}), 'ImplicitDeny');
    assert.equal(withCond({ StringNotEquals: { 'iot:DomainName': 'a' } }, {}), 'Allow');
    assert.equal(withCond({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, {}), 'Allow');
    assert.equal(withCond({ StringEqualsIfExists: { 'iot:DomainName': 'a' } }, {}), 'Allow');
    assert.equal(withCond({ StringEqualsIfExists: { 'iot:DomainName': 'a' } }, { 'iot:DomainName': 'b' }), 'ImplicitDeny');
    assert.equal(withCond({ StringEqualsIfExists: { 'iot:DomainName': 'a' } }, { 'iot:DomainName': 'a' }), 'Allow');
    assert.equal(withCond({ IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }, {}), 'Allow');
    assert.equal(withCond({ BoolIfExists: { 'iot:Connection.Thing.IsAttached': 'true' } }, {}), 'Allow');
    assert.equal(withCond({ NumericLessThanIfExists: { 'iot:Connection.Thing.Attributes[n]': '1' } }, {}), 'Allow');
    assert.equal(withCond({ DateLessThanIfExists: { 'iot:Connection.Thing.Attributes[d]': '2026-01-01' } }, {}), 'Allow');
    assert.equal(withCond({ ArnLikeIfExists: { 'iot:LastWillTopic': `${ARN}:topic/*` } }, {}), 'Allow');
  });
  it('several keys and several operators are ANDed', () => {
    const cond = { StringEquals: { 'iot:DomainName': 'd', 'iot:ClientId': 'c' }, Bool: { 'iot:Connection.Thing.IsAttached': 'true' } };
    assert.equal(withCond(cond, { 'iot:DomainName': 'd', 'iot:ClientId': 'c', 'iot:Connection.Thing.IsAttached': 'true' }), 'Allow');
    assert.equal(withCond(cond, { 'iot:DomainName': 'd', 'iot:ClientId': 'x', 'iot:Connection.Thing.IsAttached': 'true' }), 'ImplicitDeny');
    assert.equal(withCond(cond, { 'iot:DomainName': 'd', 'iot:ClientId': 'c' }), 'ImplicitDeny');
  });
  it('a condition on a Deny statement', () => {
    const cond = { 'ForAnyValue:StringEquals': { 'iot:ConnectAttributes': 'PersistentConnect' } };
    assert.equal(withCond(cond, { 'iot:ConnectAttributes': ['PersistentConnect'] }, 'Deny'), 'ExplicitDeny');
    assert.equal(withCond(cond, { 'iot:ConnectAttributes': [] }, 'Deny'), 'Allow');
  });
  it('an invalid operator makes the statement not match, with a suggestion', () => {
    const r = decide([allow('iot:Connect', '*', { StringEqual: { 'iot:ClientId': 'c1' } })], { ...R, context: { 'iot:ClientId': 'c1' } });
    assert.equal(r.decision, 'ImplicitDeny');
    assert.ok(r.notes.some((n) => n.includes('StringEquals')), r.notes.join('\n'));
  });
});

describe('evaluate: ForAnyValue / ForAllValues', () => {
  const R = { action: 'iot:Connect', resource: `${ARN}:client/c1` };
  const c = (cond: unknown, attrs: string[] | undefined) =>
    decide([allow('iot:Connect', '*', cond)], { ...R, context: attrs === undefined ? {} : { 'iot:ConnectAttributes': attrs } }).decision;
  it('ForAllValues: every request value must match; empty or absent set is true', () => {
    const onlyPersistent = { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': ['PersistentConnect'] } };
    assert.equal(c(onlyPersistent, ['PersistentConnect']), 'Allow');
    assert.equal(c(onlyPersistent, ['PersistentConnect', 'LastWill']), 'ImplicitDeny');
    assert.equal(c(onlyPersistent, []), 'Allow');
    assert.equal(c(onlyPersistent, undefined), 'Allow');
    const defaultsOnly = { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': [] } };
    assert.equal(c(defaultsOnly, []), 'Allow');
    assert.equal(c(defaultsOnly, ['LastWill']), 'ImplicitDeny');
  });
  it('ForAllValues with a negated operator', () => {
    const noPersistent = { 'ForAllValues:StringNotEquals': { 'iot:ConnectAttributes': ['PersistentConnect'] } };
    assert.equal(c(noPersistent, ['LastWill']), 'Allow');
    assert.equal(c(noPersistent, ['LastWill', 'PersistentConnect']), 'ImplicitDeny');
    assert.equal(c(noPersistent, []), 'Allow');
  });
  it('ForAnyValue: some request value must match; empty or absent set is false', () => {
    const requirePersistent = { 'ForAnyValue:StringEquals': { 'iot:ConnectAttributes': ['PersistentConnect'] } };
    assert.equal(c(requirePersistent, ['LastWill', 'PersistentConnect']), 'Allow');
    assert.equal(c(requirePersistent, ['LastWill']), 'ImplicitDeny');
    assert.equal(c(requirePersistent, []), 'ImplicitDeny');
    assert.equal(c(requirePersistent, undefined), 'ImplicitDeny');
    assert.equal(c({ 'ForAnyValue:StringEqualsIfExists': { 'iot:ConnectAttributes': ['PersistentConnect'] } }, undefined), 'Allow');
    assert.equal(c({ 'ForAnyValue:StringNotEquals': { 'iot:ConnectAttributes': ['PersistentConnect'] } }, ['PersistentConnect', 'LastWill']), 'Allow');
    assert.equal(c({ 'ForAnyValue:StringLike': { 'iot:ConnectAttributes': ['Last*'] } }, ['LastWill']), 'Allow');
  });
  it('requiring both attributes (Allow + three Denies, from the AWS docs)', () => {
    const sts = [
      allow('iot:Connect', '*', { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': ['PersistentConnect', 'LastWill'] } }),
      deny('iot:Connect', '*', { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': ['PersistentConnect'] } }),
      deny('iot:Connect', '*', { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': ['LastWill'] } }),
      deny('iot:Connect', '*', { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': [] } }),
    ];
    const d = (attrs: string[]) => decide(sts, { ...R, context: { 'iot:ConnectAttributes': attrs } }).decision;
    assert.equal(d(['PersistentConnect', 'LastWill']), 'Allow');
    assert.equal(d(['PersistentConnect']), 'ExplicitDeny');
    assert.equal(d(['LastWill']), 'ExplicitDeny');
    assert.equal(d([]), 'ExplicitDeny');
  });
});

describe('evaluate: the Subscribe/Receive bypass (Device Defender)', () => {
  const A = `${ARN}`;
  const flawed = [
    allow('iot:Subscribe', `${A}:topicfilter/building/*`),
    deny('iot:Subscribe', `${A}:topicfilter/building/control_room/*`),
    allow('iot:Receive', `${A}:topic/building/*`),
  ];
  it('the deny stops the direct subscription but not building/#, and Receive still delivers', () => {
    assert.equal(decide(flawed, { action: 'iot:Subscribe', resource: `${A}:topicfilter/building/control_room/data1` }).decision, 'ExplicitDeny');
    assert.equal(decide(flawed, { action: 'iot:Subscribe', resource: `${A}:topicfilter/building/#` }).decision, 'Allow');
    assert.equal(decide(flawed, { action: 'iot:Receive', resource: `${A}:topic/building/control_room/data1` }).decision, 'Allow');
  });
  it('a Receive deny closes the bypass', () => {
    const fixed = [...flawed, deny('iot:Receive', `${A}:topic/building/control_room/*`)];
    assert.equal(decide(fixed, { action: 'iot:Subscribe', resource: `${A}:topicfilter/building/#` }).decision, 'Allow');
    assert.equal(decide(fixed, { action: 'iot:Receive', resource: `${A}:topic/building/control_room/data1` }).decision, 'ExplicitDeny');
    assert.equal(decide(fixed, { action: 'iot:Receive', resource: `${A}:topic/building/lobby/data1` }).decision, 'Allow');
  });
  it('a # in a deny is literal and denies nothing else', () => {
    const mqttDeny = [allow('iot:Subscribe', `${A}:topicfilter/building/*`), deny('iot:Subscribe', `${A}:topicfilter/building/control_room/#`)];
    assert.equal(decide(mqttDeny, { action: 'iot:Subscribe', resource: `${A}:topicfilter/building/control_room/data1` }).decision, 'Allow');
    assert.equal(decide(mqttDeny, { action: 'iot:Subscribe', resource: `${A}:topicfilter/building/control_room/#` }).decision, 'ExplicitDeny');
  });
});

describe('evaluate: robustness', () => {
  it('never throws on broken policies', () => {
    for (const text of ['', '{', '[]', '{"Statement": 3}', '{"Statement": [1, null, {"Effect": "Allow"}]}', '{"Statement": [{"Effect": "Allow", "Action": 5, "Resource": {}}]}',
      '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": 3}}]}',
      '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "${unclosed", "Condition": []}]}']) {
      const r = evaluate([{ name: 'x', model: parsePolicy(text) }], { action: 'iot:Connect', resource: 'arn:aws:iot:eu-west-1:1:client/a', context: { 'iot:ClientId': 'a' } });
      assert.notEqual(r.decision, 'Allow', text);
    }
  });
  it('both Action and NotAction: ignored with a note', () => {
    const r = decide([{ Effect: 'Allow', Action: 'iot:Connect', NotAction: 'iot:Publish', Resource: '*' }], { action: 'iot:Connect', resource: `${ARN}:client/a` });
    assert.equal(r.decision, 'ImplicitDeny');
    assert.ok(r.notes.some((n) => n.includes('both Action and NotAction')));
  });
  it('explains near misses', () => {
    const r = decide([allow('iot:Publish', `${ARN}:topic/a`)], { action: 'iot:Publish', resource: `${ARN}:topic/b` });
    assert.ok(r.notes.some((n) => n.includes('matches action iot:Publish but not resource')), r.notes.join('\n'));
    const c = decide([allow('iot:Connect', '*', { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } })], { action: 'iot:Connect', resource: `${ARN}:client/a` });
    assert.ok(c.notes.some((n) => n.includes('Bool on iot:Connection.Thing.IsAttached')), c.notes.join('\n'));
  });
});

describe('duplicate keys: the last one wins, for the evaluator and the rules alike', () => {
  const text = `{"Version": "2012-10-17", "Statement": [{
    "Effect": "allow", "Effect": "Allow",
    "Action": "iot:Publish", "Action": "iot:Receive",
    "Resource": "${ARN}:topic/t",
    "Condition": {"StringEquals": {"iot:ClientId": "a"}, "StringEquals": {"iot:ClientId": "b", "iot:ClientId": "c"}}
  }]}`;
  const model = parsePolicy(text);
  const decide2 = (action: string, clientId: string) =>
    evaluate([{ name: 'p', model }], { action, resource: `${ARN}:topic/t`, context: { 'iot:ClientId': clientId } }).decision;

  it('the evaluator reads the last Action and the last StringEquals (and its last key)', () => {
    assert.equal(decide2('iot:Receive', 'c'), 'Allow');
    assert.equal(decide2('iot:Publish', 'c'), 'ImplicitDeny');
    assert.equal(decide2('iot:Receive', 'a'), 'ImplicitDeny');
    assert.equal(decide2('iot:Receive', 'b'), 'ImplicitDeny');
  });

  it('the rules read the same values: the lost lower-case Effect is duplicate-key only', () => {
    const ids = analyze(model).map((f) => `${f.ruleId} ${JSON.stringify(text.substr(f.span.offset, f.span.length))}`).filter((l) => !l.startsWith('missing-dependent-action'));
    assert.ok(!ids.some((l) => l.startsWith('invalid-effect')), ids.join('\n'));
    assert.deepEqual(ids.filter((l) => l.startsWith('duplicate-key')).length, 4, ids.join('\n'));
  });
});
