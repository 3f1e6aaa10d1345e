import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { doHover, parsePolicy } from '../../server/src/service';
import { ELEMENT_DOCS } from '../../server/src/service/catalog';
import { ARN, doc, withMarkers } from '../util/markers';

/** Hovers at every `|` of `source`: the markdown and the text of the hover range. */
function hovers(source: string): ({ md: string; range: string } | null)[] {
  const { text, offsets } = withMarkers(source);
  const d = doc(text);
  const model = parsePolicy(text);
  return offsets.map((o) => {
    const h = doHover(d, model, d.positionAt(o));
    if (!h) return null;
    assert.ok(h.range, 'hover has a range');
    return { md: (h.contents as MarkupContent).value, range: text.slice(d.offsetAt(h.range.start), d.offsetAt(h.range.end)) };
  });
}

function hover(source: string): { md: string; range: string } {
  const [h] = hovers(source);
  assert.ok(h, `no hover in ${source}`);
  return h;
}

const V = '"Version": "2012-10-17"';
function st(body: string, version = V): string {
  return `{${version}, "Statement": [{"Effect": "Allow", ${body}}]}`;
}

test('hover: ${iot:Connection.Thing.ThingName} explains what it resolves to, when, caveats, example and docs', () => {
  const h = hover(st(`"Action": "iot:Connect", "Resource": "${ARN}:client/\${iot:Connection.Th|ing.ThingName}"`));
  assert.equal(h.range, '${iot:Connection.Thing.ThingName}');
  assert.match(h.md, /thing policy variable/);
  assert.match(h.md, /name of the registry thing/);
  assert.match(h.md, /\*\*Available:\*\* Only for MQTT and MQTT over WebSocket/);
  assert.match(h.md, /AttachThingPrincipal/);
  assert.match(h.md, /exclusive thing association/, 'both readings of the client-ID requirement');
  assert.match(h.md, /access is denied/);
  assert.match(h.md, /\*\*Example:\*\*\n```json\n/);
  assert.match(h.md, /\(https:\/\/docs\.aws\.amazon\.com\/iot\/latest\/developerguide\/thing-policy-variables\.html\)/);
});

test('hover: iot:Subscribe names topicfilter with its ARN template, dependencies, when checked, docs', () => {
  const h = hover(st(`"Action": ["iot:Connect", "iot:Sub|scribe"], "Resource": "*"`));
  assert.equal(h.range, 'iot:Subscribe');
  assert.match(h.md, /\*\*Resource type:\*\* `topicfilter` — `arn:\$\{Partition\}:iot:\$\{Region\}:\$\{Account\}:topicfilter\/\$\{TopicFilter\}`/);
  assert.match(h.md, /\*\*Requires:\*\* `iot:Connect`, `iot:Receive`/);
  assert.match(h.md, /\*\*Checked:\*\* on every SUBSCRIBE/);
  assert.match(h.md, /iot-policy-actions\.html/);
  assert.match(h.md, /Device Defender audits flag/);
});

test('hover: other actions — disagreements, legacy spellings, case, control plane, other services, typos', () => {
  assert.match(hover(st('"Action": "iot:ListNamedShadows|ForThing", "Resource": "*"')).md, /AWS sources disagree/);
  const legacy = hover(st('"Action": "iot:DescribeJob|Execution", "Resource": "*"')).md;
  assert.match(legacy, /Legacy spelling:\* prefer `iotjobsdata:DescribeJobExecution`/);
  assert.match(legacy, /with `iot:`\..*Both spellings are accepted/s);
  assert.match(hover(st('"Action": "IOT:pub|lish", "Resource": "*"')).md, /documented spelling is `iot:Publish`/);
  assert.match(hover(st('"Action": "iot:Create|Thing", "Resource": "*"')).md, /control-plane action.*no effect/);
  assert.match(hover(st('"Action": "s3:Get|Object", "Resource": "*"')).md, /another AWS service \(`s3`\)/);
  assert.match(hover(st('"Action": "iot:Pubish|", "Resource": "*"')).md, /Did you mean `iot:Publish`/);
  assert.match(hover(st('"Action": "greengrass:Disc|over", "Resource": "*"')).md, /thing policy variables do not resolve/);
  assert.match(hover(st('"NotAction": "iot:Conn|ect", "Resource": "*"')).md, /NotAction.*every action except/);
});

test('hover: wildcard actions list what they match', () => {
  const shadow = hover(st('"Action": "iot:*Sha|dow", "Resource": "*"')).md;
  assert.match(shadow, /Matches 3 IoT policy actions/);
  for (const a of ['iot:GetThingShadow', 'iot:UpdateThingShadow', 'iot:DeleteThingShadow']) assert.ok(shadow.includes('`' + a + '`'), a);
  const all = hover(st('"Action": "iot:|*", "Resource": "*"')).md;
  assert.match(all, /`iot:Publish`/);
  assert.match(all, /`iot:DescribeJobExecution` \(legacy spelling\)/);
  assert.match(all, /IAM control-plane actions/);
  assert.match(all, /advises against wildcard actions/);
  assert.match(hover(st('"Action": "iot:Nothing*|", "Resource": "*"')).md, /matches no IoT policy action/);
});

test('hover: resource ARNs in words', () => {
  const fleet = hover(st(`"Action": "iot:Publish", "Resource": "${ARN}:topic/fleet/\${iot:Connection.Thing.ThingName}/|*"`));
  assert.equal(fleet.range, `${ARN}:topic/fleet/\${iot:Connection.Thing.ThingName}/*`);
  assert.match(fleet.md, /\*\*`topic` ARN\*\*/);
  assert.match(fleet.md, /Matches any topic under `fleet\/<thing name>\/`; `\*` spans levels/);
  assert.match(fleet.md, /region `eu-west-1`, account `493812760155`/);
  assert.match(fleet.md, /- `\$\{iot:Connection\.Thing\.ThingName\}`: The name of the registry thing/);
  assert.match(fleet.md, /Used by: `iot:Publish`, `iot:Receive`/);

  const plus = hover(st(`"Action": "iot:Subscribe", "Resource": "${ARN}:topicfilter/some/+/to|pic"`)).md;
  assert.match(plus, /exactly the topic filter `some\/\+\/topic`; `\+` here is a literal character/);
  assert.match(hover(st(`"Action": "iot:Subscribe", "Resource": "${ARN}:topicfilter/|a/*/b"`)).md, /any topic filter matching `a\/\*\/b`/);
  assert.match(hover(st(`"Action": "iot:Connect", "Resource": "${ARN}:client/sensor-|*"`)).md, /any client ID starting with `sensor-`/);
  assert.match(hover(st(`"Action": "iot:Publish", "Resource": "${ARN}:topic/room|???"`)).md, /`\?` matches exactly one character/);
  assert.match(hover(st(`"Action": "iot:GetThingShadow", "Resource": "${ARN}:thing/lamp/con|fig"`)).md, /named shadow `config` of the thing `lamp`/);
  assert.match(hover(st(`"Action": "iot:Publish", "Resource": "arn:aws:iot:*:*:topic/|a"`)).md, /any region, any account/);

  const star = hover(st('"Action": "iot:Publish", "Resource": "|*"'));
  assert.equal(star.range, '*');
  assert.match(star.md, /every resource/);

  const mismatch = hover(st(`"Action": "iot:Subscribe", "Resource": "${ARN}:topic/|a"`)).md;
  assert.match(mismatch, /`iot:Subscribe` is authorised against `topicfilter`, not `topic`/);
  assert.match(hover(st(`"Action": "iot:Publish", "Resource": "${ARN}:cert/|abc"`)).md, /only IAM policies use/);
  assert.match(hover(st(`"Action": "iot:Publish", "Resource": "arn:aws:s3:::bu|cket"`)).md, /AWS service `s3`/);
  assert.match(hover(st(`"Action": "iot:Publish", "NotResource": "${ARN}:topic/|a"`)).md, /NotResource/);
  assert.match(hover(st('"Action": "iot:Publish", "NotResource": "|*"')).md, /no effect/);
  assert.match(hover(st('"Action": "iot:Publish", "Resource": "arn:aws:iot:eu-west-1:to|pic/a"')).md, /the ARN has 5 colon-separated parts/);
});

test('hover: reserved topics are recognised', () => {
  const T = '${iot:Connection.Thing.ThingName}';
  const update = hover(st(`"Action": "iot:Publish", "Resource": "${ARN}:topic/$aws/things/${T}/shadow/up|date"`)).md;
  assert.match(update, /\*\*Reserved topic\*\* \(classic shadow\): Request to update the classic shadow\. Devices publish to it\./);
  const named = hover(st(`"Action": "iot:Receive", "Resource": "${ARN}:topic/$aws/things/${T}/shadow/name/config/update/del|ta"`)).md;
  assert.match(named, /\(named shadow\)/);
  const jobs = hover(st(`"Action": "iot:Subscribe", "Resource": "${ARN}:topicfilter/$aws/things/${T}/jobs/notify-ne|xt"`)).md;
  assert.match(jobs, /\(jobs\): Notification when the next pending job execution changes\. Devices subscribe to it\./);
  const shadowStar = hover(st(`"Action": "iot:Publish", "Resource": "${ARN}:topic/$aws/things/${T}/shadow/|*"`)).md;
  assert.match(shadowStar, /Covers reserved topics:\*\* classic shadow \(11\), named shadow \(11\)\./);
  assert.doesNotMatch(shadowStar, /jobs/);
  assert.match(hover(st(`"Action": "iot:Publish", "Resource": "${ARN}:topic/$aws/fo|o"`)).md, /not a documented reserved topic/);
  // A thing name is one topic level: `a/b` is no thing.
  assert.match(hover(st(`"Action": "iot:Publish", "Resource": "${ARN}:topic/$aws/things/a/b/shadow/up|date"`)).md, /not a documented reserved topic/);
  assert.match(hover(st(`"Action": "iot:Subscribe", "Resource": "${ARN}:topicfilter/$share/g/a|/b"`)).md, /shared subscription/);
});

test('hover: certificate forms, attributes, escapes and problem variables', () => {
  const r = (v: string) => st(`"Action": "iot:Publish", "Resource": "${ARN}:topic/${v}"`);
  const idx = hover(r('${iot:Certificate.Subject.Common|Name.2}'));
  assert.equal(idx.range, '${iot:Certificate.Subject.CommonName.2}');
  assert.match(idx.md, /one-based.*zero-based/s, 'both readings of .N');
  const list = hover(r('${iot:Certificate.Subject.Organization.Li|st}')).md;
  assert.match(list, /`\.List` gives all values .*`ForAnyValue:`/);
  assert.match(hover(r('${iot:Certificate.Subject.Co|mmonName}')).md, /gives the first value/);
  assert.match(hover(r('${iot:Certificate.Issuer.Ini|tials}')).md, /`initials` \(lower case\)/);
  assert.match(hover(r('${iot:Connection.Thing.Attributes[buil|ding]}')).md, /thing attribute `building`/);
  const esc = hover(r('a/${|*}'));
  assert.equal(esc.range, '${*}');
  assert.match(esc.md, /literal `\*`/);
  const parens = hover(r('a/$(|*)'));
  assert.equal(parens.range, '$(*)');
  assert.match(parens.md, /documentation typo/);
  assert.match(parens.md, /still a wildcard/);
  assert.match(hover(r('${iot:Thing.Thing|Name}')).md, /not a documented policy variable.*Use `\$\{iot:Connection\.Thing\.ThingName\}`/s);
  assert.match(hover(r('${credentials-iot:Thing|Name}')).md, /only in IAM policies/);
  assert.match(hover(r('${iot:clien|tid}')).md, /case-sensitive.*`\$\{iot:ClientId\}`/s);
  assert.match(hover(r('${iot:Clin|t}/x')).md, /unknown policy variable.*Did you mean `\$\{iot:ClientId\}`/s);
  assert.match(hover(r('${iot:Clie|ntId')).md, /Unclosed `\$\{`/);
  assert.match(hover(r("${iot:ClientId, 'x|'}")).md, /default value/);
  assert.match(hover(r('${iot:ClientId|}')).md, /Nothing validates the client ID/);
  const old = hover(st(`"Action": "iot:Publish", "Resource": "${ARN}:topic/\${iot:Client|Id}"`, '"Version": "2008-10-17"')).md;
  assert.match(old, /plain text/);
  const none = hover(`{"Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": "${ARN}:topic/\${iot:Client|Id}"}]}`).md;
  assert.match(none, /missing \(AWS then assumes `2008-10-17`\)/);
  assert.match(hover(st(`"Sid": "\${iot:Client|Id}", "Action": "iot:Publish", "Resource": "*"`)).md, /substituted only in `Resource` and `Condition` values/);
  assert.match(hover(st(`"Action": "iot:Connect", "Resource": "${ARN}:client/\${iot:Connection.Thing.IsAtt|ached}"`)).md, /meant as a condition key/);
});

test('hover: condition operators, keys and values', () => {
  const c = (cond: string) => st(`"Action": "iot:Connect", "Resource": "*", "Condition": ${cond}`);
  const any = hover(c('{"ForAnyValue:StringEquals|IfExists": {"iot:ConnectAttributes": ["PersistentConnect"]}}'));
  assert.equal(any.range, '"ForAnyValue:StringEqualsIfExists"');
  assert.match(any.md, /string condition operator/);
  assert.match(any.md, /`IfExists` — when the key is absent/);
  assert.match(any.md, /`ForAnyValue:` — .*at least one/);
  const all = hover(c('{"ForAllValues:String|Equals": {"iot:ConnectAttributes": []}}')).md;
  assert.match(all, /\*\*every\*\* value.*absent or empty/s);
  assert.match(hover(c('{"Nu|ll": {"iot:Certificate.SerialNumber": "false"}}')).md, /existence condition operator/);
  assert.match(hover(c('{"StrinEq|uals": {"iot:ClientId": "a"}}')).md, /Did you mean `StringEquals`/);
  assert.match(hover(c('{"NullIfEx|ists": {"iot:ClientId": "a"}}')).md, /cannot take the IfExists suffix/);

  const key = hover(c('{"ForAllValues:StringEquals": {"iot:ConnectAt|tributes": ["PersistentConnect"]}}'));
  assert.equal(key.range, '"iot:ConnectAttributes"');
  assert.match(key.md, /\*\*Values:\*\* `PersistentConnect`, `LastWill`/);
  assert.match(hover(c('{"StringEquals": {"iot:ConnectAt|tributes": ["PersistentConnect"]}}')).md, /use `ForAnyValue:StringEquals` or `ForAllValues:StringEquals`/);
  const attached = hover(c('{"Bool": {"iot:Connection.Thing.IsAtt|ached": "true"}}')).md;
  assert.match(attached, /`bool`/);
  assert.match(attached, /\*\*Available:\*\* Only for MQTT/);
  assert.match(hover(c('{"IpAddress": {"iot:Client|Id": "1.2.3.4/32"}}')).md, /never matches as intended/);
  assert.match(hover(c('{"StringEquals": {"iot:To|pic": "a"}}')).md, /not usable in an AWS IoT policy/);
  assert.match(hover(c('{"StringEquals": {"iot:Clinetid|": "a"}}')).md, /Did you mean `iot:ClientId`/);
  assert.match(hover(c('{"StringEquals": {"iot:Certificate.Subject.commonname|": "a"}}')).md, /documented spelling is `iot:Certificate\.Subject\.CommonName`/);

  assert.match(hover(c('{"ForAnyValue:StringEquals": {"iot:ConnectAttributes": ["Persistent|Connect"]}}')).md, /persistent session/);
  assert.match(hover(c('{"ForAnyValue:StringEquals": {"iot:ConnectAttributes": ["Last|Will"]}}')).md, /will message/);
  assert.match(hover(c('{"Null": {"iot:Certificate.SerialNumber": "fal|se"}}')).md, /\*\*present\*\*/);
  assert.match(hover(c('{"Bool": {"iot:Connection.Thing.IsAttached": "tr|ue"}}')).md, /holds when `iot:Connection\.Thing\.IsAttached` is true/);
  assert.match(hover(c('{"Bool": {"iot:Connection.Thing.IsAttached": "Tr|ue"}}')).md, /lower case/);
  const will = hover(c(`{"ArnEquals": {"iot:LastWillTopic": "${ARN}:topic/will/|*"}}`)).md;
  assert.match(will, /Will topic.*any topic under `will\/`/s);
  const v = hover(c('{"StringEquals": {"iot:ClientId": "${iot:Connection.Thing.Thing|Name}"}}'));
  assert.equal(v.range, '${iot:Connection.Thing.ThingName}');
});

test('hover: Effect, Version and every element key', () => {
  const [vk, vv, ek, ev] = hovers('{"Vers|ion": "2012-|10-17", "Statement": [{"Eff|ect": "De|ny", "Action": "iot:Connect", "Resource": "*"}]}');
  assert.equal(vk?.range, '"Version"');
  assert.match(vk!.md, /only version in which policy variables/);
  assert.match(vv!.md, /current policy language version/);
  assert.match(ek!.md, /exactly `Allow` or `Deny`/);
  assert.match(ev!.md, /overrides every `Allow`/);
  assert.match(hover('{"Version": "2008-|10-17"}').md, /legacy/);
  assert.match(hover('{"Version": "2012-|10-18"}').md, /not a policy language version/);
  assert.match(hover('{"Statement": [{"Effect": "al|low"}]}').md, /case-sensitive/);

  const top = ['Version', 'Statement', 'Id'];
  const stmt = Object.keys(ELEMENT_DOCS).filter((k) => !top.includes(k));
  const src = `{${top.map((k) => `"${k[0]}|${k.slice(1)}": ${k === 'Statement' ? `[{${stmt.map((s) => `"${s[0]}|${s.slice(1)}": "x"`).join(', ')}}]` : '"x"'}`).join(', ')}}`;
  const hs = hovers(src);
  const keys = [...top.slice(0, 2), ...stmt, 'Id'];
  assert.equal(hs.length, keys.length);
  hs.forEach((h, i) => {
    assert.ok(h, `no hover for ${keys[i]}`);
    assert.equal(h.range, `"${keys[i]}"`);
    assert.ok(h.md.includes(ELEMENT_DOCS[keys[i]]), `${keys[i]} hover shows ELEMENT_DOCS`);
  });
  assert.match(hover('{"Statement": [{"Princi|pal": "*"}]}').md, /not used in AWS IoT policies/);
  assert.match(hover('{"Statement": [{"Efect|": "Allow"}]}').md, /Did you mean `Effect`/);
  assert.match(hover('{"Statement": [{"Effect": "Allow"}], "Vers|ion": "2012-10-17"}').md, /only version/);
});

test('hover: nothing on punctuation and white space; never throws on broken documents', () => {
  assert.deepEqual(hovers('|{| "Version":| "2012-10-17",| "Statement": [|]|}'), [null, null, null, null, null, null]);
  const broken = [
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Pub',
    '{"Statement": [{"Resource": "arn:aws:iot:eu-west-1:1:topic/${iot:',
    '{"Statement": {"Condition": {"": {"": [1, null, {"a": "${"}]}}}}',
    '{"Statement": [{"Action": ["iot:*", 1, {}], "Resource": [null, "$(?)", "${${a}}"]}]}',
    '[{"Version": 1}]',
    '"\\u0024{iot:ClientId}"',
    '',
  ];
  for (const text of broken) {
    const d = doc(text);
    const model = parsePolicy(text);
    for (let o = 0; o <= text.length; o++) {
      const h = doHover(d, model, d.positionAt(o));
      if (h?.range) assert.ok(d.offsetAt(h.range.end) <= text.length);
    }
  }
});
