/**
 * Resource rules: invalid-arn, arn-placeholder, resource-type-mismatch, mqtt-wildcard-is-literal,
 * invalid-topic.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, parsePolicy } from '../../server/src/service';
import { ARN, findings, policy } from '../util/markers';
import { ruleTester } from '../util/ruleTester';

const CONNECT = { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } };

function one(resource: string | string[], action: string | string[] = 'iot:Publish', effect = 'Allow'): string {
  return policy([CONNECT, { Effect: effect, Action: action, Resource: resource }]);
}

describe('invalid-arn', () => {
  it('reports an ARN without a service part on the region (corpus 085)', () => {
    const f = findings(one('arn:aws:<region>:<accountId>:client/${iot:Connection.Thing.ThingName}', 'iot:Connect'), 'invalid-arn');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'error');
    assert.equal(f[0].text, '<region>');
    assert.match(f[0].message, /no service part/);
    assert.equal(f[0].messageId, 'service');
    assert.deepEqual(f[0].data?.suggestions, ['iot:<region>']);
  });

  it('reports an ARN with no resource type before the slash (corpus 052)', () => {
    const f = findings(one('arn:aws:iot:eu-west-1:493812760155:/$aws/events/*', ['iot:Subscribe', 'iot:Receive']), 'invalid-arn');
    assert.equal(f.length, 1);
    assert.equal(f[0].text, '/');
    assert.match(f[0].message, /no resource type/);
    assert.deepEqual(f[0].data?.suggestions, ['topic/']);
  });

  it('calls a slash before a real type a stray slash and suggests removing it', () => {
    const f = findings(one('arn:aws:iot:eu-west-1:493812760155:/thing/MyThing1', 'iot:GetThingShadow'), 'invalid-arn');
    assert.equal(f.length, 1);
    assert.equal(f[0].text, '/');
    assert.match(f[0].message, /stray `\/`/);
    assert.equal(f[0].messageId, 'resourceType');
    assert.deepEqual(f[0].data?.suggestions, ['']);
  });

  it('points at an unknown resource type and suggests the nearest', () => {
    const f = findings(one(`${ARN}:topics/a/b`), 'invalid-arn');
    assert.equal(f.length, 1);
    assert.equal(f[0].text, 'topics');
    assert.deepEqual(f[0].data?.suggestions, ['topic']);
  });

  it('suggests iot for a misspelled service instead of calling it another service (review 1)', () => {
    const f = findings(one('arn:aws:iott:eu-west-1:493812760155:topic/a'), 'invalid-arn');
    assert.deepEqual(f.map((x) => [x.text, x.data?.suggestions]), [['iott', ['iot']]]);
    assert.match(f[0].message, /did you mean `iot`\? AWS/);
    assert.deepEqual(findings(one('arn:aws:iott:eu-west-1:493812760155:topic/a'), 'resource-type-mismatch'), []);
  });

  it('leaves spaces inside ${...} to the variable rules and says where a space is', () => {
    assert.deepEqual(findings(one(`${ARN}:topic/\${ iot:ClientId}`), 'invalid-arn'), []);
    const f = findings(one(`${ARN}:thing/my thing`), 'invalid-arn');
    assert.equal(f.length, 1);
    assert.equal(f[0].text, ' ');
    assert.equal(f[0].severity, 'error');
    assert.match(f[0].message, /space in the resource part \(after `thing\/my`\)/);
  });

  it('a space in a topic, topic filter or client ID is valid MQTT: a warning, and the evaluator allows it', () => {
    for (const [type, what] of [['topic', 'topic name'], ['topicfilter', 'topic filter'], ['client', 'client ID']]) {
      const f = findings(one(`${ARN}:${type}/building 5/temp`), 'invalid-arn');
      assert.deepEqual(f.map((x) => [x.text, x.severity, x.messageId]), [[' ', 'warning', 'spaceInName']], type);
      assert.match(f[0].message, new RegExp(`space in the ${what} \\(after \`building\`\\)`));
    }
    const policy = parsePolicy(one(`${ARN}:topic/building 5/temp`, 'iot:Publish'));
    const r = evaluate([{ name: 'p', model: policy }], { action: 'iot:Publish', resource: `${ARN}:topic/building 5/temp`, context: {} });
    assert.equal(r.decision, 'Allow');
  });

  it('points at a bad partition and a short account', () => {
    const f = findings(one('arn:aws-xx:iot:eu-west-1:4938127601:topic/a'), 'invalid-arn');
    assert.deepEqual(f.map((x) => x.text), ['aws-xx', '4938127601']);
  });

  it('points at an invisible character written as a JSON escape', () => {
    const text = one('PLACEHOLDER').replace('PLACEHOLDER', `${ARN}:topic/a\\u200bb`);
    const f = findings(text, 'invalid-arn');
    assert.equal(f.length, 1);
    assert.equal(f[0].text, '\\u200b');
    assert.equal(f[0].messageId, 'characters');
    assert.deepEqual(f[0].data, { suggestions: [''] });
  });

  it('reports a resource that is not an ARN, in NotResource too', () => {
    const text = policy([{ Effect: 'Deny', Action: 'sqs:*', NotResource: 'my-hardcoded-arn' }]);
    const f = findings(text, 'invalid-arn');
    assert.equal(f.length, 1);
    assert.equal(f[0].text, 'my-hardcoded-arn');
  });

  it('analyses a single Statement object and a broken document', () => {
    const single = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'iot:Publish', Resource: 'arn:aws:iot:eu-west-1:493812760155:Topic/a' } });
    assert.deepEqual(findings(single, 'invalid-arn').map((x) => x.text), ['Topic']);
    const broken = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:eu-west-1:493812760155:topics/a"';
    assert.deepEqual(findings(broken, 'invalid-arn').map((x) => x.text), ['topics']);
  });

  it('accepts valid ARNs, `*`, wildcards, variables and template placeholders', () => {
    const ok = [
      '*',
      `${ARN}:topic/a/b`,
      'arn:aws:iot:*:*:topicfilter/a/*',
      'arn:aws:iot:eu-west-1:493812760155:*',
      `${ARN}:client/\${iot:ClientId}`,
      'arn:aws-cn:iot:cn-north-1:493812760155:thing/t1',
      'arn:aws:greengrass:eu-west-1:493812760155:components:com.example.Hello:versions:1.0.0',
      'arn:aws:iot:<%= region %>:<%= account %>:topic/x',
      'arn:{partition}:iot:{region}:{account}:topic/x',
      '${aws_iot_topic_arn}',
    ];
    for (const r of ok) assert.deepEqual(findings(one(r), 'invalid-arn').map((x) => x.message), [], r);
  });
});

describe('arn-placeholder', () => {
  it('reports region and account placeholders with the part in data', () => {
    const f = findings(one('arn:aws:iot:region:account-id:topic/a'), 'arn-placeholder');
    assert.deepEqual(f.map((x) => [x.text, x.severity, x.data?.part]), [['region', 'warning', 'region'], ['account-id', 'warning', 'account']]);
  });

  it('knows the usual documentation spellings', () => {
    const cases: [string, string[]][] = [
      ['arn:aws:iot:REGION:123456789012:topic/a', ['REGION', '123456789012']],
      ['arn:aws:iot:<region>:<account-id>:topic/a', ['<region>', '<account-id>']],
      ['arn:aws:iot:us-west-2:57EXAMPLE833:topic/a', ['57EXAMPLE833']],
      ['arn:aws:iot:$REGION:$ACCOUNT:topic/a', ['$REGION', '$ACCOUNT']],
      ['arn:aws:iot:your-region:your-account-id:topic/a', ['your-region', 'your-account-id']],
    ];
    for (const [r, texts] of cases) assert.deepEqual(findings(one(r), 'arn-placeholder').map((x) => x.text), texts, r);
  });

  it('is not invalid-arn at the same time', () => {
    assert.deepEqual(findings(one('arn:aws:iot:REGION:57EXAMPLE833:topic/a'), 'invalid-arn'), []);
  });

  it('reports each distinct placeholder once per document, other occurrences as related (review 1)', () => {
    const f = findings(one(['arn:aws:iot:region:account:topic/a', 'arn:aws:iot:region:account:topic/b', 'arn:aws:iot:region:account:topic/c']), 'arn-placeholder');
    assert.deepEqual(f.map((x) => x.text), ['region', 'account']);
    assert.equal(f[0].related?.length, 2);
    assert.equal((f[0].data?.occurrences as unknown[]).length, 3);
  });

  it('reports HTML markup, partition and template placeholders, and names them truthfully', () => {
    const html = findings(one('arn:aws:iot:<b>region</b>:<b>account</b>:topic/$aws/things/<b>thingname</b>/jobs/get'), 'arn-placeholder');
    assert.deepEqual(html.map((x) => [x.text, x.data?.part, x.messageId]), [['<b>region</b>', 'region', 'html'], ['<b>account</b>', 'account', 'html'], ['<b>thingname</b>', 'name', 'html']]);
    assert.match(html[0].message, /HTML markup/);
    assert.deepEqual(findings(one('arn:aws:iot:<b>region</b>:<b>account</b>:topic/a'), 'invalid-arn'), []);
    const part = findings(one('arn:partition:iot:eu-west-1:493812760155:topic/a'), 'arn-placeholder');
    assert.deepEqual(part.map((x) => [x.text, x.data?.suggestions]), [['partition', ['aws']]]);
    assert.deepEqual(findings(one('arn:partition:iot:eu-west-1:493812760155:topic/a'), 'invalid-arn'), []);
    const tpl = findings(one('arn:{self.partition}:iot:{self.region}:493812760155:topic/a'), 'arn-placeholder');
    assert.deepEqual(tpl.map((x) => x.text), ['{self.partition}', '{self.region}']);
    assert.match(tpl[1].message, /template placeholder/);
    assert.doesNotMatch(tpl[1].message, /documentation/);
  });

  it('reports placeholders in the resource name', () => {
    assert.deepEqual(findings(one(`${ARN}:topic/$aws/things/\${iot:Connection.Thing.ThingName}/shadow/name/<shadowName>/get`), 'arn-placeholder').map((x) => x.text), ['<shadowName>']);
    const f = findings(one('arn:aws:iot:your region:your_aws_account_id:rolealias/your role alias', 'iot:AssumeRoleWithCertificate'), 'arn-placeholder');
    assert.deepEqual(f.map((x) => x.text), ['your region', 'your_aws_account_id', 'your role alias']);
    assert.deepEqual(findings(one('arn:aws:iot:your region:your_aws_account_id:rolealias/your role alias', 'iot:AssumeRoleWithCertificate'), 'invalid-arn'), []);
  });

  it('checks the values of Arn* condition operators', () => {
    const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/a`, Condition: { ArnEquals: { 'iot:LastWillTopic': 'arn:aws:iot:*region*:*account-id*:topic/will' } } }]);
    assert.deepEqual(findings(text, 'arn-placeholder').map((x) => x.text), ['*region*', '*account-id*']);
  });

  it('skips other services\' ARNs and ARNs that invalid-arn reports', () => {
    assert.deepEqual(findings(one('arn:aws:iotwireless:region:account:WirelessDevice/a'), 'arn-placeholder'), []);
    assert.deepEqual(findings(one('arn:aws:iot:region:account-id:/thing/MyThing1', 'iot:GetThingShadow'), 'arn-placeholder'), []);
  });

  it('accepts real regions and accounts and wildcards', () => {
    assert.deepEqual(findings(one(`${ARN}:topic/a`), 'arn-placeholder'), []);
    assert.deepEqual(findings(one('arn:aws:iot:*:*:topic/a'), 'arn-placeholder'), []);
  });
});

describe('resource-type-mismatch', () => {
  it('reports the topic type word of a Subscribe-only statement, with replaceWith topicfilter', () => {
    const f = findings(one(`${ARN}:topic/a/b`, 'iot:Subscribe'), 'resource-type-mismatch');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'error');
    assert.equal(f[0].text, 'topic');
    assert.deepEqual(f[0].data, { type: 'topic', replaceWith: 'topicfilter' });
    assert.match(f[0].message, /^`topic\/` ARN: `iot:Subscribe` is authorised against `topicfilter\/<name>`, so this resource has no effect\. Write `topicfilter` instead of `topic`\.$/);
    assert.equal(f[0].related?.length, 1);
  });

  it('says it once for many shadow and job actions, and gives another service\'s ARN a fix (review 1)', () => {
    const acts = ['iot:GetThingShadow', 'iot:UpdateThingShadow', 'iot:DeleteThingShadow', 'iotjobsdata:DescribeJobExecution'];
    const f = findings(one(`${ARN}:topic/$aws/things/dev1/shadow/*`, acts), 'resource-type-mismatch');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /^`topic\/` ARN: this statement's shadow and job actions are authorised against `thing\/<name>`, so this resource has no effect\. Write `thing\/dev1`\.$/);
    const w = findings(one('arn:aws:iotwireless:eu-west-1:493812760155:WirelessDevice/a', 'iot:Publish'), 'resource-type-mismatch');
    assert.equal(w.length, 1);
    assert.match(w[0].message, /Write `arn:aws:iot:eu-west-1:493812760155:topic\/\.\.\.`/);
  });

  it('reports a topic/ resource that no action uses among good ones (corpus 047)', () => {
    const f = findings(one([`${ARN}:topicfilter/a`, `${ARN}:topic/$aws/events/jobExecution/*`], 'iot:Subscribe'), 'resource-type-mismatch');
    assert.deepEqual(f.map((x) => [x.text, x.data?.replaceWith]), [['topic', 'topicfilter']]);
  });

  it('reports job and shadow actions on a topic/ ARN once, with the thing name (corpus 047, 103)', () => {
    const f = findings(one(`${ARN}:topic/$aws/things/thing1`, ['iotjobsdata:DescribeJobExecution', 'iot:GetThingShadow']), 'resource-type-mismatch');
    assert.equal(f.length, 1);
    assert.equal(f[0].text, 'topic');
    assert.deepEqual(f[0].data, { type: 'topic', replaceWith: 'thing', thingName: 'thing1' });
  });

  it('reports the action and offers a split when the actions need different types (corpus 050)', () => {
    const f = findings(one([`${ARN}:topic/$aws/events/job/*`], ['iot:Publish', 'iot:Subscribe']), 'resource-type-mismatch');
    assert.equal(f.length, 1);
    assert.equal(f[0].text, 'iot:Subscribe');
    assert.deepEqual(f[0].data?.split, [
      { actions: ['iot:Publish'], resourceType: 'topic' },
      { actions: ['iot:Subscribe'], resourceType: 'topicfilter' },
    ]);
    assert.deepEqual(f[0].related?.map((r) => r.message), ['resource of type `topic/`']);
  });

  it('knows Connect, AssumeRoleWithCertificate and ListRetainedMessages', () => {
    assert.deepEqual(findings(one(`${ARN}:topic/a`, 'iot:Connect'), 'resource-type-mismatch').map((x) => x.data?.replaceWith), ['client']);
    assert.deepEqual(findings(one(`${ARN}:client/a`, 'iot:AssumeRoleWithCertificate'), 'resource-type-mismatch').map((x) => x.data?.replaceWith), ['rolealias']);
    const list = findings(one(`${ARN}:topic/a`, 'iot:ListRetainedMessages'), 'resource-type-mismatch');
    assert.equal(list.length, 1);
    assert.match(list[0].message, /"Resource": "\*"/);
    assert.deepEqual(findings(one('*', 'iot:ListRetainedMessages'), 'resource-type-mismatch'), []);
  });

  it('accepts `*` or a thing for ListNamedShadowsForThing (sources disagree)', () => {
    assert.deepEqual(findings(one('*', 'iot:ListNamedShadowsForThing'), 'resource-type-mismatch'), []);
    assert.deepEqual(findings(one(`${ARN}:thing/t1`, 'iot:ListNamedShadowsForThing'), 'resource-type-mismatch'), []);
  });

  it('counts wildcard actions and wildcard resources as matching', () => {
    assert.deepEqual(findings(one(`${ARN}:topic/a`, 'iot:*'), 'resource-type-mismatch'), []);
    assert.deepEqual(findings(one([`${ARN}:topic/a`, `${ARN}:thing/t`], ['iot:Get*', 'iot:Publish']), 'resource-type-mismatch'), []);
    assert.deepEqual(findings(one('arn:aws:iot:*:*:*', 'iot:Subscribe'), 'resource-type-mismatch'), []);
    assert.deepEqual(findings(one('*', ['iot:Subscribe', 'iot:Connect']), 'resource-type-mismatch'), []);
    assert.deepEqual(findings(one(`${ARN}:topic*`, 'iot:Subscribe'), 'resource-type-mismatch'), []);
  });

  it('accepts mixed statements where each action has its type', () => {
    const text = one([`${ARN}:topic/a`, `${ARN}:topicfilter/a`], ['iot:Publish', 'iot:Subscribe', 'iot:Receive']);
    assert.deepEqual(findings(text, 'resource-type-mismatch'), []);
  });

  it('leaves malformed ARNs to invalid-arn', () => {
    const text = one('arn:aws:iot:eu-west-1:493812760155:/$aws/events/*', ['iot:Subscribe', 'iot:Receive']);
    assert.deepEqual(findings(text, 'resource-type-mismatch'), []);
  });

  it("reports another service's ARN", () => {
    const f = findings(one('arn:aws:iotwireless:eu-west-1:493812760155:/$aws/iotwireless/events/join/*', 'iot:Publish'), 'resource-type-mismatch');
    assert.deepEqual(f.map((x) => x.text), ['iotwireless']);
  });

  it('reads ARNs built with CloudFormation Fn::Join (corpus 103)', () => {
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Action: ['iot:GetThingShadow', 'iot:UpdateThingShadow'],
        Resource: { 'Fn::Join': ['', ['arn:aws:iot:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':topic/$aws/things/${iot:Connection.Thing.ThingName}']] },
      }],
    }, null, 2);
    const f = findings(text, 'resource-type-mismatch');
    assert.equal(f.length, 1);
    assert.equal(f[0].text, 'topic');
    assert.equal(f[0].data?.replaceWith, 'thing');
  });

  it('reads Fn::Sub and leaves opaque Ref/GetAtt alone', () => {
    const sub = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: [{ 'Fn::Sub': 'arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/a' }] }] });
    assert.deepEqual(findings(sub, 'resource-type-mismatch').map((x) => x.text), ['topic']);
    const getAtt = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:AssumeRoleWithCertificate', Resource: { 'Fn::GetAtt': ['Alias', 'RoleAliasArn'] } }] });
    assert.deepEqual(findings(getAtt, 'resource-type-mismatch'), []);
  });
});

describe('mqtt-wildcard-is-literal', () => {
  it('is info on a topicfilter `+` and points at the character (corpus 006)', () => {
    const f = findings(one(`${ARN}:topicfilter/some/+/topic`, 'iot:Subscribe'), 'mqtt-wildcard-is-literal');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'info');
    assert.equal(f[0].text, '+');
    assert.equal(f[0].messageId, 'inTopicFilter');
    assert.deepEqual(f[0].data, { suggestions: ['*'] });
    assert.match(f[0].message, /literal/);
  });

  it('is a warning on a topic `#`', () => {
    const f = findings(one(`${ARN}:topic/sensors/#`, 'iot:Receive'), 'mqtt-wildcard-is-literal');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].text, '#');
    assert.deepEqual(f[0].data?.suggestions, ['*']);
  });

  it('maps the span through escapes', () => {
    const text = one('X').replace('"X"', `"${ARN}:topic/a/\\u002b/b"`);
    const f = findings(text, 'mqtt-wildcard-is-literal');
    assert.equal(f.length, 1);
    assert.equal(f[0].text, '\\u002b');
  });

  it('is left to mqtt-wildcard-in-deny in a Deny, and to overly-permissive on other devices\' topics', () => {
    assert.deepEqual(findings(one(`${ARN}:topicfilter/a/#`, 'iot:Subscribe', 'Deny'), 'mqtt-wildcard-is-literal'), []);
    assert.deepEqual(findings(one(`${ARN}:topicfilter/$aws/things/+/shadow/update`, 'iot:Subscribe'), 'mqtt-wildcard-is-literal'), []);
  });

  it('ignores `*`, client IDs and the text of variables', () => {
    assert.deepEqual(findings(one(`${ARN}:topicfilter/a/*`, 'iot:Subscribe'), 'mqtt-wildcard-is-literal'), []);
    assert.deepEqual(findings(one(`${ARN}:client/core#2`, 'iot:Connect'), 'mqtt-wildcard-is-literal'), []);
  });
});

describe('invalid-topic', () => {
  it('reports `#` that is not last in a topic filter, once', () => {
    const text = one(`${ARN}:topicfilter/a/#/b`, 'iot:Subscribe');
    const f = findings(text, 'invalid-topic');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].text, '#');
    assert.deepEqual(findings(text, 'mqtt-wildcard-is-literal'), []);
  });

  it('reports `+` not alone in its level', () => {
    const f = findings(one(`${ARN}:topicfilter/a/b+/c`, 'iot:Subscribe'), 'invalid-topic');
    assert.deepEqual(f.map((x) => x.text), ['+']);
  });

  it('reports more than 7 slashes, not counting a $share prefix', () => {
    const deep = 'a/b/c/d/e/f/g/h/i';
    const f = findings(one(`${ARN}:topic/${deep}`), 'invalid-topic');
    assert.equal(f.length, 1);
    assert.equal(f[0].text, deep);
    assert.match(f[0].message, /8 slashes/);
    assert.deepEqual(findings(one(`${ARN}:topicfilter/$share/group/a/b/c/d/e/f/g/h`, 'iot:Subscribe'), 'invalid-topic'), []);
  });

  it('reports topics over 256 bytes', () => {
    const long = 'x'.repeat(257);
    assert.equal(findings(one(`${ARN}:topic/${long}`), 'invalid-topic').length, 1);
  });

  it('accepts ordinary topics and filters with variables', () => {
    assert.deepEqual(findings(one(`${ARN}:topic/$aws/things/\${iot:Connection.Thing.ThingName}/shadow/update`), 'invalid-topic'), []);
    assert.deepEqual(findings(one(`${ARN}:topicfilter/a/+/b/#`, 'iot:Subscribe'), 'invalid-topic'), []);
  });
});

describe('reserved-topic', () => {
  const T = '${iot:Connection.Thing.ThingName}';

  it('reports a misspelled shadow level with the reserved word as suggestion', () => {
    const f = findings(one(`${ARN}:topic/$aws/things/${T}/shadow/updte`), 'reserved-topic');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.equal(f[0].text, 'updte');
    assert.equal(f[0].messageId, 'typo');
    assert.deepEqual(f[0].data, { suggestions: ['update'] });
    assert.match(f[0].message, /did you mean `update`\?/);
    assert.deepEqual(findings(one(`${ARN}:topicfilter/$aws/things/${T}/shadow/name/main/update/acepted`, 'iot:Subscribe'), 'reserved-topic').map((x) => x.text), ['acepted']);
    assert.deepEqual(findings(one(`${ARN}:topic/$aws/things/${T}/jobs/notify-nxt`, 'iot:Receive'), 'reserved-topic').map((x) => x.text), ['notify-nxt']);
  });

  it('reports Publish to a response topic and to lifecycle events, on the level at fault', () => {
    const f = findings(one(`${ARN}:topic/$aws/things/${T}/shadow/update/accepted`), 'reserved-topic');
    assert.deepEqual(f.map((x) => [x.text, x.messageId]), [['accepted', 'publishToResponse']]);
    assert.match(f[0].message, /Publish to the request topic `\$aws\/things\/\$\{iot:Connection\.Thing\.ThingName\}\/shadow\/update`/);
    const e = findings(one(`${ARN}:topic/$aws/events/presence/connected/x`), 'reserved-topic');
    assert.deepEqual(e.map((x) => x.text), ['events']);
  });

  it('reports RetainPublish on $aws topics', () => {
    const f = findings(one(`${ARN}:topic/$aws/things/${T}/shadow/update`, ['iot:Publish', 'iot:RetainPublish']), 'reserved-topic');
    assert.deepEqual(f.map((x) => [x.text, x.messageId]), [['$aws', 'retainReserved']]);
  });

  it('is quiet on request topics, Receive on responses, wildcards, iot:* and unknown levels', () => {
    const quiet: [string | string[], string | string[]][] = [
      [`${ARN}:topic/$aws/things/${T}/shadow/update`, 'iot:Publish'],
      [`${ARN}:topic/$aws/things/${T}/shadow/update/accepted`, 'iot:Receive'],
      [`${ARN}:topic/$aws/things/${T}/shadow/*`, 'iot:Publish'],
      [`${ARN}:topic/$aws/things/${T}/shadow/update/*`, ['iot:Publish', 'iot:Receive']],
      [`${ARN}:topic/$aws/things/${T}/shadow/update/accepted`, 'iot:*'],
      [`${ARN}:topic/$aws/things/${T}/jobs/job-42/update`, 'iot:Publish'],
      [`${ARN}:topic/$aws/things/${T}/tunnels/notify`, 'iot:Receive'],
      [`${ARN}:topic/$aws/rules/myRule/a/b`, 'iot:Publish'],
      [`${ARN}:topic/sensors/update/accepted`, 'iot:Publish'],
    ];
    for (const [r, a] of quiet) assert.deepEqual(findings(one(r, a), 'reserved-topic').map((x) => x.message), [], `${r} ${a}`);
  });
});

describe('arn-placeholder and reserved-topic: document edge cases', () => {
  it('maps an escaped placeholder to its document text, with Statement as a single object', () => {
    const text = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:\\u0072egion:493812760155:topic/a"}}';
    assert.deepEqual(findings(text, 'arn-placeholder').map((x) => x.text), ['\\u0072egion']);
  });

  it('still reports in broken JSON', () => {
    const text = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:eu-west-1:493812760155:topic/$aws/things/t1/shadow/updte"}';
    assert.deepEqual(findings(text, 'reserved-topic').map((x) => x.text), ['updte']);
  });
});

// ---------------------------------------------------------------------------------------------
// Tables: message ids, exact ranges and the preferred fix. A resource is a JSON fragment: a
// string, or a CloudFormation value that the JSON host reads as a string with opaque ranges.

const A = 'arn:aws:iot:eu-west-1:493812760155';
/** The account and region a template fills in: opaque ranges. */
const SUB_A = 'arn:aws:iot:${AWS::Region}:${AWS::AccountId}';
const doc = (...statements: string[]): string => `{"Version": "2012-10-17", "Statement": [${statements.join(', ')}]}`;
const allow = (action: string, resource: string): string => `{"Effect": "Allow", "Action": ${action}, "Resource": ${resource}}`;
const deny = (action: string, resource: string): string => `{"Effect": "Deny", "Action": ${action}, "Resource": ${resource}}`;
const sub = (text: string): string => `{"Fn::Sub": "${text}"}`;
const DEFAULTS = { rules: {}, defaults: { region: 'eu-west-1', accountId: '493812760155' } };

ruleTester('invalid-arn', {
  valid: [
    doc(allow('"iot:Publish"', '"*"')),
    doc(allow('"iot:Publish"', `"${A}:topic/a"`)),
    doc(allow('"iot:Publish"', sub(`${SUB_A}:topic/a`))),
    { name: 'a template may fill in several ARN parts', code: doc(allow('"iot:Publish"', sub('arn:aws:iot:${RegionAndAccount}:topic/a'))) },
    { name: 'a template may fill in the `arn:` prefix', code: doc(allow('"iot:Publish"', sub('${Prefix}:topic/a'))) },
    { name: 'a template value may be any resource', code: doc(allow('"iot:Publish"', '{"Ref": "TopicArn"}')) },
  ],
  invalid: [
    { code: doc(allow('"iot:Publish"', `"${A}:[[topics]]/a"`)), errors: [{ messageId: 'resourceType' }], output: doc(allow('"iot:Publish"', `"${A}:topic/a"`)) },
    {
      code: doc(allow('"iot:Connect"', '"arn:aws:[[<region>]]:<accountId>:client/c1"')),
      errors: [{ messageId: 'service', message: /no service part/ }],
      output: doc(allow('"iot:Connect"', '"arn:aws:iot:<region>:<accountId>:client/c1"')),
    },
    { code: doc(allow('"iot:Publish"', '"arn:[[aws-xx]]:iot:eu-west-1:493812760155:topic/a"')), errors: [{ messageId: 'partition' }], output: null },
    { code: doc(allow('"iot:Publish"', '"arn:aws:iot:[[west-1]]:493812760155:topic/a"')), errors: [{ messageId: 'region' }], output: null },
    { code: doc(allow('"iot:Publish"', '"arn:aws:iot:eu-west-1:[[4938127601]]:topic/a"')), errors: [{ messageId: 'account' }], output: null },
    { code: doc(allow('"iot:Publish"', '"[[my-topic-arn]]"')), errors: [{ messageId: 'notArn' }], output: null },
    { code: doc(allow('"iot:Publish"', '"[[arn:aws:iot:topic/a]]"')), errors: [{ messageId: 'parts' }], output: null },
    { code: doc(allow('"iot:Publish"', `"${A}:[[cert]]/abc"`)), errors: [{ messageId: 'iamOnlyType', message: /never matches it\.$/ }], output: null },
    { code: doc(allow('"iot:Publish"', `"${A}:[[topic]]"`)), errors: [{ messageId: 'emptyName' }], output: null },
    { code: doc(allow('"iot:Publish"', `"${A}:topic/a[[\\u200b]]b"`)), errors: [{ messageId: 'characters' }], output: doc(allow('"iot:Publish"', `"${A}:topic/ab"`)) },
    {
      name: 'the known resource type of a template ARN is still checked',
      code: doc(allow('"iot:Publish"', sub(`${SUB_A}:[[topics]]/a`))),
      errors: [{ messageId: 'resourceType' }],
      output: doc(allow('"iot:Publish"', sub(`${SUB_A}:topic/a`))),
    },
    {
      name: 'text that cannot begin `arn:` is no ARN whatever the template fills in',
      code: doc(allow('"iot:Publish"', `{"Fn::Sub": "[[xyz\${P}:topic/a]]"}`)),
      errors: [{ messageId: 'notArn' }],
      output: null,
    },
  ],
});

ruleTester('arn-placeholder', {
  valid: [
    doc(allow('"iot:Publish"', `"${A}:topic/a"`)),
    doc(allow('"iot:Publish"', '"arn:aws:iot:*:*:topic/a"')),
    { name: 'template parts are not placeholders', code: doc(allow('"iot:Publish"', sub(`${SUB_A}:topic/a`))) },
  ],
  invalid: [
    {
      code: doc(allow('"iot:Publish"', '"arn:aws:iot:[[REGION]]:493812760155:topic/a"')),
      errors: [{ messageId: 'documentation', data: { part: 'region' } }],
      config: DEFAULTS,
      output: doc(allow('"iot:Publish"', `"${A}:topic/a"`)),
    },
    { name: 'no fix without a configured region', code: doc(allow('"iot:Publish"', '"arn:aws:iot:[[REGION]]:493812760155:topic/a"')), errors: [{ messageId: 'documentation' }], output: null },
    { code: doc(allow('"iot:Publish"', '"arn:aws:iot:[[{self.region}]]:493812760155:topic/a"')), errors: [{ messageId: 'template' }] },
    { code: doc(allow('"iot:Publish"', '"arn:aws:iot:[[<b>region</b>]]:493812760155:topic/a"')), errors: [{ messageId: 'html' }] },
    {
      code: doc(allow('"iot:Publish"', '"arn:[[partition]]:iot:eu-west-1:493812760155:topic/a"')),
      errors: [{ messageId: 'documentation', data: { part: 'partition', suggestions: ['aws'] } }],
      output: doc(allow('"iot:Publish"', `"${A}:topic/a"`)),
    },
    {
      code: doc(allow('"iot:Publish"', `"${A}:topic/$aws/things/t1/shadow/name/[[<shadowName>]]/get"`)),
      errors: [{ messageId: 'documentation', data: { part: 'name' } }],
      output: null,
    },
    {
      name: 'the placeholder is reported once, with every occurrence in the fix',
      code: doc(allow('"iot:Publish"', '["arn:aws:iot:[[REGION]]:493812760155:topic/a", "arn:aws:iot:REGION:493812760155:topic/b"]')),
      errors: [{ messageId: 'documentation' }],
      config: DEFAULTS,
      output: doc(allow('"iot:Publish"', `["${A}:topic/a", "${A}:topic/b"]`)),
    },
    {
      name: 'a placeholder beside a template part',
      code: doc(allow('"iot:Publish"', sub('arn:aws:iot:[[REGION]]:${AWS::AccountId}:topic/a'))),
      errors: [{ messageId: 'documentation' }],
      config: DEFAULTS,
      output: doc(allow('"iot:Publish"', sub('arn:aws:iot:eu-west-1:${AWS::AccountId}:topic/a'))),
    },
  ],
});

ruleTester('resource-type-mismatch', {
  valid: [
    doc(allow('"iot:Publish"', `"${A}:topic/a"`)),
    doc(allow('["iot:Publish", "iot:Subscribe"]', `["${A}:topic/a", "${A}:topicfilter/a"]`)),
    doc(allow('"iot:*"', `"${A}:client/a"`)),
    doc(allow('"iot:Publish"', sub(`${SUB_A}:topic/\${Topic}`))),
    { name: 'a template value may be of the type a named action needs', code: doc(allow('["iot:Publish", "iot:Subscribe"]', `[{"Ref": "TopicArn"}, "${A}:topicfilter/a"]`)) },
    { name: 'a template may fill in the type word', code: doc(allow('"iot:Subscribe"', sub(`${SUB_A}:\${Type}/a`))) },
  ],
  invalid: [
    {
      code: doc(allow('"iot:Subscribe"', `"${A}:[[topic]]/a"`)),
      errors: [{ messageId: 'typeWord', data: { type: 'topic', replaceWith: 'topicfilter' } }],
      output: doc(allow('"iot:Subscribe"', `"${A}:topicfilter/a"`)),
    },
    {
      name: 'a shadow topic written for a shadow action becomes the thing ARN',
      code: doc(allow('["iot:GetThingShadow", "iot:UpdateThingShadow"]', `"${A}:[[topic]]/$aws/things/t1/shadow/*"`)),
      errors: [{ messageId: 'typeWord', message: /Write `thing\/t1`\.$/ }],
      output: doc(allow('["iot:GetThingShadow", "iot:UpdateThingShadow"]', `"${A}:thing/t1"`)),
    },
    {
      code: doc(allow('["iot:Publish", "[[iot:Subscribe]]"]', `"${A}:topic/a"`)),
      errors: [{ messageId: 'missingType', data: { split: [{ actions: ['iot:Publish'], resourceType: 'topic' }, { actions: ['iot:Subscribe'], resourceType: 'topicfilter' }] } }],
      output: doc(`${allow('["iot:Publish"]', `"${A}:topic/a"`)},\n${allow('["iot:Subscribe"]', `"${A}:topicfilter/a"`)}`),
    },
    {
      code: doc(allow('["iot:Publish", "iot:Subscribe"]', `["${A}:topic/a", "${A}:topicfilter/a", "${A}:[[client]]/c1"]`)),
      errors: [{ messageId: 'unusedType' }],
      output: null,
    },
    {
      name: 'the known type word of a template ARN is still checked',
      code: doc(allow('"iot:Publish"', sub(`${SUB_A}:[[topicfilter]]/a`))),
      errors: [{ messageId: 'typeWord' }],
      output: doc(allow('"iot:Publish"', sub(`${SUB_A}:topic/a`))),
    },
  ],
});

ruleTester('mqtt-wildcard-is-literal', {
  valid: [
    doc(allow('"iot:Subscribe"', `"${A}:topicfilter/a/*"`)),
    doc(allow('"iot:Connect"', `"${A}:client/core#2"`)),
    doc(deny('"iot:Subscribe"', `"${A}:topicfilter/a/#"`)),
    doc(allow('"iot:Publish"', sub(`${SUB_A}:topic/\${Topic}`))),
  ],
  invalid: [
    { code: doc(allow('"iot:Publish"', `"${A}:topic/a/[[#]]"`)), errors: [{ messageId: 'inTopic' }], output: doc(allow('"iot:Publish"', `"${A}:topic/a/*"`)) },
    { code: doc(allow('"iot:Subscribe"', `"${A}:topicfilter/a/[[+]]/b"`)), errors: [{ messageId: 'inTopicFilter' }], output: doc(allow('"iot:Subscribe"', `"${A}:topicfilter/a/*/b"`)) },
    {
      name: 'a literal wildcard beside a template part',
      code: doc(allow('"iot:Publish"', sub(`${SUB_A}:topic/\${Thing}/[[#]]`))),
      errors: [{ messageId: 'inTopic' }],
      output: doc(allow('"iot:Publish"', sub(`${SUB_A}:topic/\${Thing}/*`))),
    },
  ],
});

ruleTester('invalid-topic', {
  valid: [
    doc(allow('"iot:Subscribe"', `"${A}:topicfilter/a/+/b/#"`)),
    doc(allow('"iot:Subscribe"', `"${A}:topicfilter/$share/g/a/b/c/d/e/f/g/h"`)),
    { name: 'a template part may hold the rest of the level', code: doc(allow('"iot:Subscribe"', sub(`${SUB_A}:topicfilter/a/\${Suffix}#`))) },
  ],
  invalid: [
    { code: doc(allow('"iot:Subscribe"', `"${A}:topicfilter/a/[[#]]/b"`)), errors: [{ messageId: 'misplacedWildcard' }], output: null },
    { code: doc(allow('"iot:Publish"', `"${A}:topic/[[a/b/c/d/e/f/g/h/i]]"`)), errors: [{ messageId: 'limit', message: /8 slashes/ }], output: null },
    { code: doc(allow('"iot:Subscribe"', `"${A}:topicfilter/$share/[[g+]]/a"`)), errors: [{ messageId: 'invalid' }], output: null },
    {
      name: 'a known level of a template topic is still checked',
      code: doc(allow('"iot:Subscribe"', sub(`${SUB_A}:topicfilter/\${Topic}/[[#]]/x`))),
      errors: [{ messageId: 'misplacedWildcard' }],
      output: null,
    },
  ],
});

ruleTester('reserved-topic', {
  valid: [
    doc(allow('"iot:Publish"', `"${A}:topic/$aws/things/t1/shadow/update"`)),
    doc(allow('"iot:Receive"', `"${A}:topic/$aws/things/t1/shadow/update/accepted"`)),
    { name: 'levels after a template part are not judged', code: doc(allow('"iot:Publish"', sub(`${SUB_A}:topic/$aws/things/\${Thing}/shadw/update`))) },
  ],
  invalid: [
    {
      code: doc(allow('"iot:Publish"', `"${A}:topic/$aws/things/t1/shadow/[[updte]]"`)),
      errors: [{ messageId: 'typo', data: { suggestions: ['update'] } }],
      output: doc(allow('"iot:Publish"', `"${A}:topic/$aws/things/t1/shadow/update"`)),
    },
    { code: doc(allow('"iot:Publish"', `"${A}:topic/$aws/things/t1/shadow/update/[[accepted]]"`)), errors: [{ messageId: 'publishToResponse' }], output: null },
    { code: doc(allow('"iot:Publish"', `"${A}:topic/$aws/[[events]]/presence/connected/c1"`)), errors: [{ messageId: 'publishToResponse' }], output: null },
    {
      code: doc(allow('["iot:Publish", "iot:RetainPublish"]', `"${A}:topic/[[$aws]]/things/t1/shadow/update"`)),
      errors: [{ messageId: 'retainReserved' }],
      output: null,
    },
    {
      name: 'known levels of a template topic are still checked',
      code: doc(allow('"iot:Publish"', sub(`${SUB_A}:topic/$aws/things/t1/shadow/[[updte]]`))),
      errors: [{ messageId: 'typo' }],
      output: doc(allow('"iot:Publish"', sub(`${SUB_A}:topic/$aws/things/t1/shadow/update`))),
    },
  ],
});
