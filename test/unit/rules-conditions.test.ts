/**
 * Condition rules: unknown-condition-operator, unsupported-condition-key, condition-value-type.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARN, findings, lint, policy } from '../util/markers';
import { ruleTester } from '../util/ruleTester';

const COND_RULES = ['unknown-condition-operator', 'unsupported-condition-key', 'condition-value-type'];

function withCondition(condition: unknown): string {
  return policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}`, Condition: condition }]);
}

function condFindings(text: string) {
  return lint(text).filter((f) => COND_RULES.includes(f.ruleId)).map((f) => ({ ...f, text: text.substr(f.span.offset, f.span.length) }));
}

function one(text: string, id: string) {
  const all = condFindings(text);
  assert.deepEqual(all.map((f) => f.ruleId), [id], JSON.stringify(all.map((f) => [f.ruleId, f.text, f.message])));
  return all[0];
}

test('documented conditions report nothing', () => {
  for (const c of [
    { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
    { Bool: { 'iot:Connection.Thing.IsAttached': ['true'] } },
    { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } },
    { Null: { 'iot:Certificate.SerialNumber': 'false' } },
    { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': ['PersistentConnect', 'LastWill'] } },
    { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': [] } },
    { 'ForAnyValue:StringEquals': { 'iot:Certificate.Subject.CommonName.List': 'Administrator' } },
    { StringEquals: { 'iot:Connection.Thing.Attributes[building]': 'B1', 'iot:Connection.Thing.ThingTypeName': 'Lightbulb' } },
    { ArnEquals: { 'iot:LastWillTopic': `${ARN}:topic/my/lastwill/topicName` } },
    { StringLikeIfExists: { 'iot:DomainName': '*.example.com' } },
    { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
  ]) {
    assert.deepEqual(condFindings(withCondition(c)).map((f) => f.message), [], JSON.stringify(c));
  }
});

test('unknown-condition-operator: typo, case, bad prefix, IfExists on Null', () => {
  const typo = one(withCondition({ StringEqual: { 'iot:ClientId': 'a' } }), 'unknown-condition-operator');
  assert.equal(typo.text, 'StringEqual');
  assert.equal(typo.severity, 'error');
  assert.deepEqual(typo.data?.suggestions, ['StringEquals']);
  assert.match(typo.message, /Did you mean `StringEquals`\?/);
  const lower = one(withCondition({ stringequals: { 'iot:ClientId': 'a' } }), 'unknown-condition-operator');
  assert.deepEqual(lower.data?.suggestions, ['StringEquals']);
  assert.match(lower.message, /case-sensitive/);
  const prefix = one(withCondition({ 'ForAnyValues:StringEquals': { 'iot:ConnectAttributes': ['LastWill'] } }), 'unknown-condition-operator');
  assert.deepEqual(prefix.data?.suggestions, ['ForAnyValue:StringEquals']);
  const nullIf = one(withCondition({ NullIfExists: { 'iot:ClientId': 'true' } }), 'unknown-condition-operator');
  assert.deepEqual(nullIf.data?.suggestions, ['Null']);
});

test('unsupported-condition-key: IAM-only keys and typos', () => {
  const tag = one(withCondition({ StringEquals: { 'aws:RequestTag/env': 'prod' } }), 'unsupported-condition-key');
  assert.equal(tag.text, 'aws:RequestTag/env');
  assert.equal(tag.severity, 'warning');
  assert.equal(tag.messageId, 'iamOnly');
  // Said once (the catalogue's reason names what the key is), not "is not a key ...: ... not a key".
  assert.match(tag.message, /^`aws:RequestTag\/env` is an IAM condition key for AWS IoT control-plane APIs/);
  assert.equal(tag.message.match(/not a (condition )?key/g)?.length, 1);
  // Not documented for IoT is not "never set": the message says "may".
  const time = one(withCondition({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }), 'unsupported-condition-key');
  assert.match(time.message, /AWS may never set it for an IoT request/);
  assert.doesNotMatch(time.message, /AWS never sets it/);
  const cred = one(withCondition({ StringEquals: { 'credentials-iot:ThingName': 'a' } }), 'unsupported-condition-key');
  assert.deepEqual(cred.data?.suggestions, ['iot:Connection.Thing.ThingName']);
  const typo = one(withCondition({ Bool: { 'iot:Connection.Thing.IsAtached': 'true' } }), 'unsupported-condition-key');
  assert.deepEqual(typo.data?.suggestions?.[0], 'iot:Connection.Thing.IsAttached');
  assert.match(typo.message, /this condition is false \(true for negated operators/);
  const undocumented = one(withCondition({ StringEquals: { 'iot:Thing.ThingName': 'a' } }), 'unsupported-condition-key');
  assert.deepEqual(undocumented.data?.suggestions, ['iot:Connection.Thing.ThingName']);
});

test('unsupported-condition-key: Attributes[ without a name or without the closing bracket', () => {
  const empty = one(withCondition({ StringEquals: { 'iot:Connection.Thing.Attributes[]': 'a' } }), 'unsupported-condition-key');
  assert.match(empty.message, /needs an attribute name between the brackets: `iot:Connection\.Thing\.Attributes\[name\]`/);
  assert.deepEqual(empty.data?.suggestions, []);
  const open = one(withCondition({ StringEquals: { 'iot:Connection.Thing.Attributes[floor': 'a' } }), 'unsupported-condition-key');
  assert.match(open.message, /missing the `\]`/);
  assert.deepEqual(open.data?.suggestions, ['iot:Connection.Thing.Attributes[floor]']);
});

test('unknown-condition-operator: operator names in code format; condition-value-type: IPv6 prefix length and ARN example', () => {
  const nul = one(withCondition({ NullIfExists: { 'iot:ClientId': 'true' } }), 'unknown-condition-operator');
  assert.match(nul.message, /^`Null` cannot take the `IfExists` suffix/);
  const ip = one(withCondition({ IpAddress: { 'aws:SourceIp': '2001:db8::/129' } }), 'condition-value-type');
  assert.equal(ip.message, '`2001:db8::/129`: the prefix length must be 0–128 for IPv6 (0–32 for IPv4). AWS rejects or never matches this value.');
  const arn = one(withCondition({ ArnEquals: { 'iot:LastWillTopic': 'will' } }), 'condition-value-type');
  assert.match(arn.message, /`arn:aws:iot:<region>:<account-id>:topic\/\.\.\.`/);
  assert.doesNotMatch(arn.message, /493812760155/);
});

test('condition-value-type: Bool and Null need true/false', () => {
  const yes = one(withCondition({ Bool: { 'iot:Connection.Thing.IsAttached': 'yes' } }), 'condition-value-type');
  assert.equal(yes.text, 'yes');
  assert.deepEqual(yes.data?.suggestions, ['true', 'false']);
  const upper = one(withCondition({ Bool: { 'iot:Connection.Thing.IsAttached': 'True' } }), 'condition-value-type');
  // AWS writes Bool values in lower case but does not document that `True` fails: a warning, and the evaluator notes it.
  assert.equal(upper.severity, 'warning');
  assert.deepEqual(upper.data?.suggestions, ['true']);
  const nul = one(withCondition({ Null: { 'iot:Certificate.SerialNumber': 'no' } }), 'condition-value-type');
  assert.match(nul.message, /`Null` takes `"true"` \(the key must be absent\)/);
  // JSON booleans are accepted
  assert.deepEqual(condFindings(withCondition({ Bool: { 'iot:Connection.Thing.IsAttached': true } })), []);
});

test('condition-value-type: IpAddress, Numeric, Date, Arn values', () => {
  const ip = one(withCondition({ IpAddress: { 'aws:SourceIp': '10.0.0.300/8' } }), 'condition-value-type');
  assert.equal(ip.text, '10.0.0.300/8');
  assert.match(ip.message, /IPv4 or IPv6 address or CIDR block/);
  // No IoT key is numeric or a date: a typed IoT key gets the operator/key finding instead; an unknown key gets both rules.
  // A Numeric operator on a string key is undocumented (a warning); a value that is no number never matches (an error).
  const serial = findings(withCondition({ NumericLessThan: { 'iot:Certificate.SerialNumber': 'ten' } }), 'condition-value-type');
  assert.deepEqual(serial.map((f) => [f.messageId, f.text, f.severity]), [['stringKeyCompared', 'NumericLessThan', 'warning'], ['numeric', 'ten', 'error']]);
  const num = findings(withCondition({ NumericLessThan: { 'custom:Count': 'ten' } }), 'condition-value-type');
  assert.deepEqual(num.map((f) => f.text), ['ten']);
  assert.match(num[0].message, /takes a number/);
  const date = findings(withCondition({ DateGreaterThan: { 'custom:When': 'yesterday' } }), 'condition-value-type');
  assert.match(date[0].message, /takes a date/);
  assert.deepEqual(findings(withCondition({ DateGreaterThan: { 'custom:When': '2026-01-31T12:00:00Z' } }), 'condition-value-type'), []);
  const arn = one(withCondition({ ArnEquals: { 'iot:LastWillTopic': 'my/lastwill' } }), 'condition-value-type');
  assert.match(arn.message, /takes an ARN/);
  // a variable in an Arn value is substituted at run time: not checked
  assert.deepEqual(condFindings(withCondition({ ArnLike: { 'iot:LastWillTopic': `${ARN}:topic/\${iot:ClientId}/will` } })), []);
});

test('condition-value-type: an operator that does not fit the key points at the operator', () => {
  const f = one(withCondition({ Bool: { 'aws:SourceIp': '203.0.113.7' } }), 'condition-value-type');
  assert.equal(f.text, 'Bool');
  assert.equal(f.messageId, 'operatorKey');
  assert.match(f.message, /Use `IpAddress` \(or another IpAddress operator\)\.$/);
  assert.deepEqual(f.data, { suggestions: [] });
  assert.equal(f.related?.length, 1);
  assert.match(f.message, /`aws:SourceIp` is an IP address/);
});

test('condition-value-type: a value iot:ConnectAttributes never has is a warning with the nearest value', () => {
  const f = one(withCondition({ 'ForAnyValue:StringEquals': { 'iot:ConnectAttributes': ['persistentConnect'] } }), 'condition-value-type');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.data?.suggestions, ['PersistentConnect']);
  assert.match(f.message, /values are case-sensitive/);
  assert.deepEqual(condFindings(withCondition({ 'ForAnyValue:StringEqualsIgnoreCase': { 'iot:ConnectAttributes': ['persistentconnect'] } })), []);
});

test('no condition findings for variables in names (another rule) or broken JSON', () => {
  assert.deepEqual(condFindings(withCondition({ StringEquals: { '${iot:ClientId}': 'a' } })), []);
  const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*", "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": ';
  assert.doesNotThrow(() => lint(text));
  assert.deepEqual(findings(text, 'internal-error'), []);
});

test('condition-value-type: a value a template leaves unknown is never checked', () => {
  const text = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/a`,
      Condition: { Bool: { 'iot:Connection.Thing.IsAttached': { 'Fn::Sub': '${Attached}' } }, IpAddress: { 'aws:SourceIp': { Ref: 'Cidr' } } },
    }],
  });
  assert.deepEqual(findings(text, 'condition-value-type'), []);
});

// ---- tables -----------------------------------------------------------------------------------

/** A policy whose one statement has `condition` (JSON text) as its Condition. */
const cond = (condition: string): string =>
  `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "${ARN}:client/a", "Condition": ${condition}}]}`;

ruleTester('unknown-condition-operator', {
  valid: [cond('{"StringEquals": {"iot:ClientId": "a"}}'), cond('{"ForAnyValue:StringLikeIfExists": {"iot:ClientId": "a*"}}')],
  invalid: [
    { code: cond('{"[[StringEqual]]": {"iot:ClientId": "a"}}'), errors: [{ messageId: 'unknown' }], output: cond('{"StringEquals": {"iot:ClientId": "a"}}') },
    { code: cond('{"[[stringequals]]": {"iot:ClientId": "a"}}'), errors: [{ messageId: 'caseOnly' }], output: cond('{"StringEquals": {"iot:ClientId": "a"}}') },
    {
      name: 'no rename to an operator the block already has',
      code: cond('{"StringEquals": {"iot:ClientId": "a"}, "[[StringEqual]]": {"iot:ClientId": "b"}}'),
      errors: [{ messageId: 'unknown' }],
      output: null,
    },
    {
      code: cond('{"[[NullIfExists]]": {"iot:ClientId": "true"}}'),
      errors: [{ messageId: 'unknown', message: /^`Null` cannot take the `IfExists` suffix/ }],
      output: cond('{"Null": {"iot:ClientId": "true"}}'),
    },
  ],
});

ruleTester('unsupported-condition-key', {
  valid: [cond('{"StringEquals": {"iot:Connection.Thing.Attributes[floor]": "1"}}'), cond('{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}')],
  invalid: [
    {
      code: cond('{"StringEquals": {"[[credentials-iot:ThingName]]": "a"}}'),
      errors: [{ messageId: 'iamOnly' }],
      output: cond('{"StringEquals": {"iot:Connection.Thing.ThingName": "a"}}'),
    },
    { code: cond('{"StringEquals": {"[[aws:RequestTag/env]]": "prod"}}'), errors: [{ messageId: 'iamOnly' }], output: null },
    {
      code: cond('{"StringEquals": {"[[iot:Connection.Thing.Attributes[floor]]": "1"}}'),
      errors: [{ messageId: 'attributeUnclosed' }],
      output: cond('{"StringEquals": {"iot:Connection.Thing.Attributes[floor]": "1"}}'),
    },
    { code: cond('{"StringEquals": {"[[iot:Connection.Thing.Attributes[]]": "1"}}'), errors: [{ messageId: 'attributeNameEmpty' }], output: null },
    {
      code: cond('{"Bool": {"[[iot:Connection.Thing.IsAtached]]": "true"}}'),
      errors: [{ messageId: 'unknown' }],
      output: cond('{"Bool": {"iot:Connection.Thing.IsAttached": "true"}}'),
    },
  ],
});

const ATTACHED = (value: string): string => cond(`{"Bool": {"iot:Connection.Thing.IsAttached": ${value}}}`);

ruleTester('condition-value-type', {
  valid: [
    ATTACHED('"true"'),
    ATTACHED('true'),
    cond('{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}'),
    { name: 'a template value (Fn::Sub)', code: ATTACHED('{"Fn::Sub": "${Attached}"}') },
    { name: 'a template value (Ref)', code: ATTACHED('{"Ref": "Attached"}') },
    { name: 'a string partly a template value', code: cond('{"IpAddress": {"aws:SourceIp": {"Fn::Sub": "${Network}/24"}}}') },
  ],
  invalid: [
    { code: cond('{"[[Bool]]": {"aws:SourceIp": "203.0.113.7"}}'), errors: [{ messageId: 'operatorKey' }], output: null },
    { code: ATTACHED('"[[True]]"'), errors: [{ messageId: 'boolCase' }], output: ATTACHED('"true"') },
    { code: ATTACHED('"[[yes]]"'), errors: [{ messageId: 'bool', data: { suggestions: ['true', 'false'] } }], output: ATTACHED('"true"') },
    {
      code: cond('{"Null": {"iot:Certificate.SerialNumber": "[[no]]"}}'),
      errors: [{ messageId: 'null' }],
      output: cond('{"Null": {"iot:Certificate.SerialNumber": "true"}}'),
    },
    { code: cond('{"IpAddress": {"aws:SourceIp": "[[2001:db8::/129]]"}}'), errors: [{ messageId: 'ipPrefixLength' }], output: null },
    { code: cond('{"IpAddress": {"aws:SourceIp": "[[10.0.0.300/8]]"}}'), errors: [{ messageId: 'ip' }], output: null },
    { code: cond('{"NumericLessThan": {"custom:Count": "[[ten]]"}}'), errors: [{ messageId: 'numeric' }], output: null },
    { code: cond('{"DateGreaterThan": {"custom:When": "[[yesterday]]"}}'), errors: [{ messageId: 'date' }], output: null },
    { code: cond('{"ArnEquals": {"iot:LastWillTopic": "[[my/lastwill]]"}}'), errors: [{ messageId: 'arn' }], output: null },
    { code: cond('{"BinaryEquals": {"custom:Data": "[[***]]"}}'), errors: [{ messageId: 'binary' }], output: null },
    {
      code: cond('{"ForAnyValue:StringEquals": {"iot:ConnectAttributes": ["[[persistentConnect]]"]}}'),
      errors: [{ messageId: 'unknownValue', message: /values are case-sensitive/ }],
      output: cond('{"ForAnyValue:StringEquals": {"iot:ConnectAttributes": ["PersistentConnect"]}}'),
    },
  ],
});
