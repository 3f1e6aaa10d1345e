/**
 * The review engine (service/review): what a change of policies grants and takes away, the
 * effective permissions and the two access checks, on the cases a reviewer meets: wildcards
 * (`*`, `?`), policy variables kept symbolic, NotAction and NotResource, Deny carve-outs,
 * `IfExists`, `ForAnyValue`/`ForAllValues`, numbers, dates, addresses, several policies, and
 * values a template leaves unknown. Every witness is checked with `evaluate` here too.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parsePolicy, openPolicyDocument } from '../../server/src/service';
import { evaluate, type EvalPolicy, type EvalRequest } from '../../server/src/service/eval/evaluate';
import { checkAccessNotGranted, checkNoNewAccess, diffPolicies, explainPolicies, itemCovers, type AccessItem } from '../../server/src/service/review';

const A = 'arn:aws:iot:eu-west-1:123456789012';
const THING = '${iot:Connection.Thing.ThingName}';

type Statement = Record<string, unknown>;

function pol(name: string, statements: Statement[], version = '2012-10-17'): EvalPolicy[] {
  return [{ name, model: parsePolicy(JSON.stringify({ Version: version, Statement: statements })) }];
}

const allow = (action: string | string[], resource: string | string[], extra: Statement = {}): Statement => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });
const deny = (action: string | string[], resource: string | string[], extra: Statement = {}): Statement => ({ Effect: 'Deny', Action: action, Resource: resource, ...extra });

const allowed = (p: EvalPolicy[], r: EvalRequest): boolean => evaluate(p, r).decision === 'Allow';

/** Every item's witness really differs, and its item covers it. */
function checkWitnesses(base: EvalPolicy[], next: EvalPolicy[], items: readonly AccessItem[]): void {
  for (const i of items) {
    assert.ok(i.witness, `no witness: ${i.summary}`);
    const r = i.witness.request;
    assert.deepEqual([allowed(next, r), allowed(base, r)], i.change === 'newly-allowed' ? [true, false] : [false, true], i.summary);
    assert.ok(itemCovers(i, r));
  }
}

function diff(base: EvalPolicy[], next: EvalPolicy[], actions = ['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive']) {
  const d = diffPolicies(base, next, { actions });
  checkWitnesses(base, next, d.items);
  return d;
}

const newly = (items: readonly AccessItem[]) => items.filter((i) => i.change === 'newly-allowed');
const gone = (items: readonly AccessItem[]) => items.filter((i) => i.change === 'no-longer-allowed');

describe('review: diff', () => {
  it('client/${thing} to client/* newly allows iot:Connect on client IDs that differ from the thing name, with a witness', () => {
    const base = pol('base.json', [allow('iot:Connect', `${A}:client/${THING}`)]);
    const next = pol('new.json', [allow('iot:Connect', `${A}:client/*`)]);
    const d = diff(base, next);
    assert.equal(d.items.length, 1);
    const [item] = d.items;
    assert.equal(item.change, 'newly-allowed');
    assert.equal(item.action, 'iot:Connect');
    assert.equal(item.certainty, 'certain');
    assert.equal(item.summary, "newly allowed: `iot:Connect` on client IDs that differ from the connecting thing's name");
    assert.deepEqual(item.except.map((e) => e.resources), [[`${A}:client/${THING}`]]);
    const ctx = item.witness!.request.context!;
    assert.notEqual(item.witness!.request.resource, `${A}:client/${ctx['iot:Connection.Thing.ThingName']}`);
    assert.deepEqual(item.witness!.decisions, { base: 'ImplicitDeny', new: 'Allow' });
    assert.ok(d.exact);
  });

  it('a pure narrowing grants nothing new and says what it takes away', () => {
    const base = pol('base.json', [allow('iot:Publish', `${A}:topic/${THING}/*`)]);
    const next = pol('new.json', [allow('iot:Publish', `${A}:topic/${THING}/telemetry`)]);
    const d = diff(base, next);
    assert.deepEqual(newly(d.items), []);
    assert.equal(gone(d.items).length, 1);
    assert.deepEqual(gone(d.items)[0].except.map((e) => e.resources), [[`${A}:topic/${THING}/telemetry`]]);
    assert.equal(checkNoNewAccess(base, next).items.length, 0);
  });

  it('identical policies written differently have no difference', () => {
    const base = pol('base.json', [allow(['iot:Publish', 'iot:Receive'], [`${A}:topic/a/*`, `${A}:topic/b`])]);
    const next = pol('new.json', [allow('iot:Receive', [`${A}:topic/b`, `${A}:topic/a/*`]), allow('iot:Publish', `${A}:topic/*`, { Condition: {} }), deny('iot:Publish', `${A}:topic/c*`)]);
    const d = diff(next, pol('x.json', [allow('iot:Receive', [`${A}:topic/a/*`, `${A}:topic/b`]), allow('iot:Publish', `${A}:topic/*`), deny('iot:Publish', `${A}:topic/c*`)]));
    assert.deepEqual(d.items, []);
    assert.ok(d.exact);
    assert.deepEqual(diff(base, base).items, []);
  });

  it('`*` and `?`: topic/a/? is inside topic/a/*, topic/a?/* is not', () => {
    const base = pol('base.json', [allow('iot:Publish', `${A}:topic/a/*`)]);
    assert.deepEqual(newly(diff(base, pol('new.json', [allow('iot:Publish', `${A}:topic/a/?`)])).items), []);
    const wider = newly(diff(base, pol('new.json', [allow('iot:Publish', `${A}:topic/a?/*`)])).items);
    assert.equal(wider.length, 1);
    assert.match(wider[0].witness!.request.resource, /topic\/a[^/]\//);
    // `*` spans levels; `?` is one character, `/` included.
    assert.deepEqual(newly(diff(pol('b', [allow('iot:Publish', `${A}:topic/*`)]), pol('n', [allow('iot:Publish', `${A}:topic/?/?`)])).items), []);
  });

  it('wildcards beside a variable: topic/a/${thing}/? is inside topic/a*/${thing}/? or another pattern, for every thing', () => {
    const base = pol('b', [allow('iot:Publish', `${A}:topic/a/${THING}/?`)]);
    const next = pol('n', [allow('iot:Publish', [`${A}:topic/a*/${THING}/data/*`, `${A}:topic/a*/${THING}/?`])]);
    const d = diff(base, next, ['iot:Publish']);
    // Nothing the base allows is taken away, and that is certain, not "may".
    assert.deepEqual(gone(d.items), []);
    assert.ok(d.exact);
    assert.equal(newly(d.items).length, 2);
  });

  it('MQTT + and # are literal: topic/+ grants only the topic named "+"', () => {
    const d = diff(pol('b', []), pol('n', [allow('iot:Publish', `${A}:topic/+`)]));
    assert.equal(d.items.length, 1);
    assert.equal(d.items[0].witness!.request.resource, `${A}:topic/+`);
  });

  it('policy variables stay symbolic: topic/${thing}/* to topic/*/data newly allows other things\' data topics', () => {
    const base = pol('base.json', [allow('iot:Publish', `${A}:topic/${THING}/*`)]);
    const next = pol('new.json', [allow('iot:Publish', `${A}:topic/*/data`)]);
    const [item] = newly(diff(base, next).items);
    assert.ok(item);
    const r = item.witness!.request;
    assert.ok(!r.resource.startsWith(`${A}:topic/${(r.context as Record<string, string>)['iot:Connection.Thing.ThingName']}/`));
    assert.match(item.summary, /topics matching `\*\/data` other than `\$\{iot:Connection\.Thing\.ThingName\}\/\*`/);
  });

  it('a special value of a variable: removing the Deny on topic/admin matters only for a thing named "admin"', () => {
    const base = pol('base.json', [allow('iot:Publish', `${A}:topic/*`), deny('iot:Publish', `${A}:topic/admin`)]);
    const next = pol('new.json', [allow('iot:Publish', `${A}:topic/${THING}`)]);
    const [item] = newly(diff(base, next).items);
    assert.ok(item, 'found');
    assert.equal(item.witness!.request.resource, `${A}:topic/admin`);
    assert.equal((item.witness!.request.context as Record<string, string>)['iot:Connection.Thing.ThingName'], 'admin');
  });

  it('a variable in both versions with the same value cancels out', () => {
    const st = allow('iot:Subscribe', `${A}:topicfilter/${THING}/+/cmd`, { Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } });
    const d = diff(pol('b', [st]), pol('n', [{ ...st, Sid: 'Renamed' }]));
    assert.deepEqual(d.items, []);
    assert.ok(d.exact);
  });

  it('NotAction: allowing everything but iot:Connect newly allows the other actions', () => {
    const base = pol('base.json', [allow('iot:Publish', `${A}:topic/a`)]);
    const next = pol('new.json', [{ Effect: 'Allow', NotAction: 'iot:Connect', Resource: `${A}:topic/a` }]);
    const d = diff(base, next);
    assert.deepEqual(newly(d.items).map((i) => i.action).sort(), ['iot:Receive', 'iot:Subscribe']);
    assert.deepEqual(gone(d.items), []);
  });

  it('NotResource: every resource but the ones named', () => {
    const base = pol('base.json', [allow('iot:Receive', `${A}:topic/a/*`)]);
    const next = pol('new.json', [{ Effect: 'Allow', Action: 'iot:Receive', NotResource: `${A}:topic/secret/*` }]);
    const [item] = newly(diff(base, next).items);
    assert.deepEqual(item.notResources, [`${A}:topic/secret/*`]);
    assert.ok(!item.witness!.request.resource.startsWith(`${A}:topic/secret/`));
    assert.ok(!item.witness!.request.resource.startsWith(`${A}:topic/a/`));
  });

  it('Deny carve-outs: dropping a Deny newly allows what it denied, narrowing one too', () => {
    const base = pol('base.json', [allow('iot:Publish', `${A}:topic/*`), deny('iot:Publish', `${A}:topic/admin/*`)]);
    const dropped = newly(diff(base, pol('new.json', [allow('iot:Publish', `${A}:topic/*`)])).items);
    assert.equal(dropped.length, 1);
    assert.deepEqual(dropped[0].within.map((w) => w.resources), [[`${A}:topic/admin/*`]]);
    assert.match(dropped[0].witness!.request.resource, /topic\/admin\//);
    assert.match(dropped[0].summary, /where statement 2 of base\.json denied it before/);
    const narrowed = newly(diff(base, pol('new.json', [allow('iot:Publish', `${A}:topic/*`), deny('iot:Publish', `${A}:topic/admin/keys`)])).items);
    assert.equal(narrowed.length, 1);
    assert.notEqual(narrowed[0].witness!.request.resource, `${A}:topic/admin/keys`);
    // A Deny kept as it was takes the same requests from both.
    assert.deepEqual(diff(base, pol('new.json', [deny('iot:Publish', `${A}:topic/admin/*`), allow('iot:Publish', `${A}:topic/*`)])).items, []);
  });

  it('a conditional Deny carves out only where its condition holds', () => {
    const base = pol('base.json', [allow('iot:Connect', `${A}:client/*`)]);
    const next = pol('new.json', [allow('iot:Connect', `${A}:client/*`), deny('iot:Connect', `${A}:client/*`, { Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'false' } } })]);
    const d = diff(base, next);
    assert.deepEqual(newly(d.items), []);
    const [item] = gone(d.items);
    assert.equal((item.witness!.request.context as Record<string, string>)['iot:Connection.Thing.IsAttached'], 'false');
  });

  it('IfExists: StringEqualsIfExists also allows a request without the key', () => {
    const base = pol('base.json', [allow('iot:Connect', `${A}:client/*`, { Condition: { StringEquals: { 'iot:ClientId': 'gateway' } } })]);
    const next = pol('new.json', [allow('iot:Connect', `${A}:client/*`, { Condition: { StringEqualsIfExists: { 'iot:ClientId': 'gateway' } } })]);
    const d = diff(base, next);
    assert.deepEqual(gone(d.items), []);
    const [item] = newly(d.items);
    assert.equal(item.certainty, 'certain');
    assert.ok(!('iot:ClientId' in (item.witness!.request.context ?? {})) || (item.witness!.request.context as Record<string, unknown>)['iot:ClientId'] === undefined || Array.isArray((item.witness!.request.context as Record<string, unknown>)['iot:ClientId']));
  });

  it('ForAnyValue and ForAllValues: an absent set, a partial one and a larger one', () => {
    const base = pol('base.json', [allow('iot:Connect', `${A}:client/*`, { Condition: { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': ['PersistentConnect'] } } })]);
    const next = pol('new.json', [allow('iot:Connect', `${A}:client/*`, { Condition: { 'ForAnyValue:StringEquals': { 'iot:ConnectAttributes': ['PersistentConnect'] } } })]);
    const d = diff(base, next);
    const [more] = newly(d.items);
    const [less] = gone(d.items);
    // Newly: a set with PersistentConnect and something else; no longer: no set at all (ForAllValues is true on it).
    const attrs = (i: AccessItem) => (i.witness!.request.context as Record<string, unknown>)['iot:ConnectAttributes'];
    assert.ok(Array.isArray(attrs(more)) && (attrs(more) as string[]).includes('PersistentConnect') && (attrs(more) as string[]).length > 1);
    assert.ok(attrs(less) === undefined || (attrs(less) as string[]).length === 0);
  });

  it('numbers, dates and addresses are compared exactly', () => {
    const n = (op: string, v: string) => pol('p', [allow('iot:Connect', `${A}:client/*`, { Condition: { [op]: { 'iot:Connection.Thing.Attributes[tier]': v } } })]);
    const [num] = newly(diff(n('NumericLessThan', '5'), n('NumericLessThanEquals', '5')).items);
    assert.equal((num.witness!.request.context as Record<string, string>)['iot:Connection.Thing.Attributes[tier]'], '5');
    assert.deepEqual(newly(diff(n('NumericLessThanEquals', '5'), n('NumericLessThan', '5')).items), []);
    const d = (op: string, v: string) => pol('p', [allow('iot:Connect', `${A}:client/*`, { Condition: { [op]: { 'aws:CurrentTime': v } } })]);
    const [date] = newly(diff(d('DateLessThan', '2026-01-01T00:00:00Z'), d('DateLessThan', '2027-01-01T00:00:00Z')).items);
    assert.equal(date.certainty, 'certain');
    const t = Date.parse((date.witness!.request.context as Record<string, string>)['aws:CurrentTime']);
    assert.ok(t >= Date.parse('2026-01-01T00:00:00Z') && t < Date.parse('2027-01-01T00:00:00Z'));
    const ip = (v: string) => pol('p', [allow('iot:Connect', `${A}:client/*`, { Condition: { IpAddress: { 'aws:SourceIp': v } } })]);
    assert.deepEqual(newly(diff(ip('10.0.0.0/8'), ip('10.1.0.0/16')).items), []);
    const [wide] = newly(diff(ip('10.1.0.0/16'), ip('10.0.0.0/8')).items);
    const addr = (wide.witness!.request.context as Record<string, string>)['aws:SourceIp'];
    assert.match(addr, /^10\./);
    assert.doesNotMatch(addr, /^10\.1\./);
  });

  it('several policies: the Deny of one policy carves out of the Allow of another', () => {
    const allowAll = pol('allow.json', [allow('iot:Publish', `${A}:topic/*`)])[0];
    const denyAdmin = pol('deny.json', [deny('iot:Publish', `${A}:topic/admin`)])[0];
    const d = diff([allowAll, denyAdmin], [allowAll]);
    const [item] = newly(d.items);
    assert.equal(item.witness!.request.resource, `${A}:topic/admin`);
    assert.deepEqual(item.within.map((w) => w.statement.policy), ['deny.json']);
    assert.deepEqual(diff([allowAll, denyAdmin], [denyAdmin, allowAll]).items, []);
  });

  it('Version 2008-10-17 reads ${...} as text, not a variable', () => {
    const st = allow('iot:Connect', `${A}:client/${THING}`);
    const d = diff(pol('b', [st]), pol('n', [st], '2008-10-17'));
    const [item] = gone(d.items);
    assert.ok(item);
    assert.deepEqual(newly(d.items).map((i) => i.witness!.request.resource), [`${A}:client/${THING}`]);
  });

  it('a template value unknown before deploy is compared as "anything" and says "may"', () => {
    const yaml = (resource: string) => [
      'Resources:', '  DevicePolicy:', '    Type: AWS::IoT::Policy', '    Properties:', '      PolicyDocument:', "        Version: '2012-10-17'",
      '        Statement:', '          - Effect: Allow', '            Action: iot:Connect', `            Resource: ${resource}`, '',
    ].join('\n');
    const model = (text: string) => openPolicyDocument(text, { path: '/t/stack.yaml', policyGlobs: [], detectByContent: true })!.policies[0].model;
    const same = model(yaml('!Sub arn:aws:iot:${AWS::Region}:123456789012:client/a'));
    const d0 = diffPolicies([{ name: 'b', model: same }], [{ name: 'n', model: model(yaml('!Sub arn:aws:iot:${AWS::Region}:123456789012:client/a')) }]);
    assert.deepEqual(d0.items, []);
    assert.ok(d0.exact);
    const d = diffPolicies([{ name: 'b', model: model(yaml('arn:aws:iot:eu-west-1:123456789012:client/*')) }], [{ name: 'n', model: same }]);
    assert.ok(d.items.length > 0);
    assert.ok(d.items.every((i) => i.certainty === 'may' && /AWS::Region/.test(i.reason ?? '')), JSON.stringify(d.items.map((i) => [i.summary, i.reason])));
    assert.ok(!d.exact);
  });

  it('the same statements for several actions give one answer per action', () => {
    const d = diffPolicies(pol('b', [allow('iot:*', `${A}:topic/a`)]), pol('n', [allow('iot:*', `${A}:topic/*`)]));
    const actions = newly(d.items).map((i) => i.action);
    assert.ok(actions.includes('iot:Publish') && actions.includes('iot:Receive') && actions.includes('iot:RetainPublish'));
    for (const i of d.items) assert.equal(i.witness!.request.action, i.action);
  });
});

describe('review: explain', () => {
  const policy = pol('device.json', [
    allow('iot:Connect', `${A}:client/${THING}`, { Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } }),
    allow(['iot:Publish', 'iot:Receive'], `${A}:topic/${THING}/*`),
    deny('iot:Publish', `${A}:topic/${THING}/config`),
    deny('iot:Publish', `${A}:client/*`),
    allow('iot:Publsh', `${A}:topic/x`),
    allow('iot:Receive', `${A}:topic/${THING}/secret`),
    deny('iot:Receive', `${A}:topic/*/secret`),
    { Effect: 'allow', Action: 'iot:Subscribe', Resource: '*' },
  ]);
  const ex = explainPolicies(policy);
  const item = (action: string) => ex.actions.find((a) => a.action === action)!.items;

  it('per action: the allowed resources with their conditions and the Deny carve-outs, and an example', () => {
    assert.deepEqual(ex.actions.map((a) => a.action), ['iot:Connect', 'iot:Publish', 'iot:Receive']);
    const [connect] = item('iot:Connect');
    assert.deepEqual(connect.conditions, ['Bool iot:Connection.Thing.IsAttached = "true"']);
    assert.ok(allowed(policy, connect.witness!.request));
    const [publish] = item('iot:Publish');
    assert.deepEqual(publish.except.map((e) => e.resources), [[`${A}:topic/${THING}/config`]]);
  });

  it('warnings for what matches nothing', () => {
    const kinds = ex.warnings.map((w) => `${w.kind} ${w.statement.index + 1}`).sort();
    assert.deepEqual(kinds, ['always-denied 6', 'deny-meets-no-allow 4', 'ignored-statement 8', 'unknown-action 5']);
    assert.match(ex.warnings.find((w) => w.kind === 'unknown-action')!.message, /`iot:Publsh` names no action/);
  });
});

describe('review: access checks', () => {
  const policy = pol('device.json', [allow('iot:Connect', `${A}:client/*`), deny('iot:Connect', `${A}:client/admin*`, { Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'false' } } })]);

  it('access-not-granted finds an allowed request of the action on the resource, with its context', () => {
    const r = checkAccessNotGranted(policy, { action: 'iot:Connect', resource: 'client/admin*' });
    assert.equal(r.items.length, 1);
    const w = r.items[0].witness!.request;
    assert.match(w.resource, /client\/admin/);
    assert.ok(allowed(policy, w));
  });

  it('passes when no context allows it', () => {
    const strict = pol('device.json', [allow('iot:Connect', `${A}:client/*`), deny('iot:Connect', `${A}:client/admin*`)]);
    assert.deepEqual(checkAccessNotGranted(strict, { action: 'iot:Connect', resource: 'client/admin*' }).items, []);
    assert.deepEqual(checkAccessNotGranted(strict, { action: 'iot:Publish' }).items, []);
    assert.equal(checkAccessNotGranted(strict, { action: 'iot:C*' }).items.length, 1);
  });

  it('no-new-access reports only what is newly allowed', () => {
    const base = pol('b', [allow('iot:Connect', `${A}:client/a`), allow('iot:Publish', `${A}:topic/*`)]);
    const next = pol('n', [allow('iot:Connect', `${A}:client/*`)]);
    const r = checkNoNewAccess(base, next);
    assert.deepEqual(r.items.map((i) => [i.action, i.change]), [['iot:Connect', 'newly-allowed']]);
  });
});
