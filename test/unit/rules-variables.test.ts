/**
 * Policy variable rules: unknown-policy-variable, policy-variable-case, undocumented-policy-variable,
 * policy-variable-syntax, policy-variable-not-allowed-here, iam-only-policy-variable,
 * variables-require-2012-10-17.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getCodeActions, jsonDocument, parsePolicy, toDiagnostics } from '../../server/src/service';
import { ARN, findings, lint, policy } from '../util/markers';
import { ruleTester } from '../util/ruleTester';

const VAR_RULES = ['unknown-policy-variable', 'policy-variable-case', 'undocumented-policy-variable', 'policy-variable-syntax',
  'policy-variable-not-allowed-here', 'iam-only-policy-variable', 'variables-require-2012-10-17', 'template-syntax'];

function withResource(resource: string, version?: string): string {
  const statements = [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:${resource}` }];
  if (version === 'none') return JSON.stringify({ Statement: statements }, null, 2);
  return policy(statements, version);
}

function varFindings(text: string) {
  return lint(text).filter((f) => VAR_RULES.includes(f.ruleId)).map((f) => ({ ...f, text: text.substr(f.span.offset, f.span.length) }));
}

/** The document after the preferred quick fix of the first `ruleId` finding, with its title. */
function preferredFix(text: string, ruleId: string): { out: string; title: string } {
  const doc = jsonDocument(parsePolicy(text));
  const found = lint(text).filter((f) => f.ruleId === ruleId);
  const td = TextDocument.create('file:///test/policy.iot-policy.json', 'json', 1, text);
  const diagnostics = toDiagnostics(td, found.slice(0, 1));
  assert.equal(diagnostics.length, 1, `no ${ruleId} finding`);
  const preferred = getCodeActions(td, doc, diagnostics[0].range, diagnostics, { only: ['quickfix'] }).find((a) => a.isPreferred);
  assert.ok(preferred, `no preferred quick fix for ${ruleId}`);
  return { out: TextDocument.applyEdits(td, preferred.edit?.changes?.[td.uri] ?? []), title: preferred.title };
}

/** Exactly one variable finding overall, from `id`. */
function one(text: string, id: string) {
  const all = varFindings(text);
  assert.deepEqual(all.map((f) => f.ruleId), [id], JSON.stringify(all.map((f) => [f.ruleId, f.text, f.message])));
  return all[0];
}

test('documented variables, forms and escapes report nothing', () => {
  for (const r of ['topic/${iot:ClientId}', 'topic/${iot:Connection.Thing.ThingName}/*', 'topic/${iot:Connection.Thing.Attributes[building]}',
    'topic/${iot:Certificate.Subject.CommonName.2}', 'topic/${iot:CertificateId}', 'topic/a${*}b${?}c${$}', 'topic/${cognito-identity.amazonaws.com:sub}']) {
    assert.deepEqual(varFindings(withResource(r)).map((f) => f.message), [], r);
  }
});

test('unknown-policy-variable: covers the whole ${...} and suggests whole ${name} texts', () => {
  const f = one(withResource('topic/${iot:ClientID2}'), 'unknown-policy-variable');
  assert.equal(f.text, '${iot:ClientID2}');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.data?.suggestions?.[0], '${iot:ClientId}');
  assert.match(f.message, /is not an AWS IoT policy variable, so AWS leaves it as literal text/);
  const attr = one(withResource('topic/${iot:Connection.Thing.Attributes.building}'), 'unknown-policy-variable');
  assert.deepEqual(attr.data?.suggestions, ['${iot:Connection.Thing.Attributes[building]}']);
  const prefix = one(withResource('topic/${ClientId}'), 'unknown-policy-variable');
  assert.deepEqual(prefix.data?.suggestions, ['${iot:ClientId}']);
});

test('unknown-policy-variable: Attributes[ without the closing bracket or without a name', () => {
  const open = one(withResource('topic/${iot:Connection.Thing.Attributes[floor}'), 'unknown-policy-variable');
  assert.match(open.message, /missing the `\]` after the attribute name/);
  assert.deepEqual(open.data?.suggestions, ['${iot:Connection.Thing.Attributes[floor]}']);
  const empty = one(withResource('topic/${iot:Connection.Thing.Attributes[]}'), 'unknown-policy-variable');
  assert.match(empty.message, /needs an attribute name/);
  assert.doesNotMatch(empty.message, /IsAttached/);
});

test('template-syntax: template substitutions are one warning per tool per document, on the whole ${...}', () => {
  const cfn = one(withResource('client/${AWS::Region}'), 'template-syntax');
  assert.equal(cfn.text, '${AWS::Region}');
  assert.equal(cfn.severity, 'warning');
  assert.equal(cfn.messageId, 'looksLikeTemplate');
  assert.deepEqual(cfn.data, { occurrences: [cfn.span] });
  assert.match(cfn.message, /^This file looks like a CloudFormation template, not a policy document\. `\$\{AWS::Region\}` is not an AWS IoT policy variable; it is a CloudFormation pseudo parameter/);
  assert.match(cfn.message, /The rest of this file is still checked as written\.$/);
  const terraform = /^This file looks like a Terraform template, not a policy document\. /;
  assert.match(one(withResource('client/${var.thing_name}'), 'template-syntax').message, terraform);
  assert.match(one(withResource('client/${data.aws_region.current.name}'), 'template-syntax').message, terraform);
  assert.match(one(withResource('client/${local.prefix}'), 'template-syntax').message, terraform);
  const esc = one(withResource('topic/$${aws}/things'), 'template-syntax');
  assert.match(esc.message, /Terraform's escape for a literal/);
  const sub = one(withResource('client/${!iot:ClientId}'), 'template-syntax');
  assert.match(sub.message, /Fn::Sub/);
  // A bare name is no policy variable (they are `service:Name`): a template parameter.
  assert.match(one(withResource('client/${thing}'), 'template-syntax').message, /^This file looks like a template, not a policy document\. `\$\{thing\}` is not an AWS IoT policy variable/);
  // Many occurrences: one finding on the first, the others as related information; the rest still analysed.
  const text = policy([
    { Effect: 'Allow', Action: 'iot:Connect', Resource: 'arn:aws:iot:${var.region}:${var.account}:client/${iot:Connection.Thing.ThingName}' },
    { Effect: 'Allow', Action: 'iot:Publsh', Resource: 'arn:aws:iot:${var.region}:${var.account}:topic/${iot:clientid}' },
  ]);
  const many = findings(text, 'template-syntax');
  assert.deepEqual(many.map((x) => x.text), ['${var.region}']);
  assert.equal(many[0].related?.length, 3);
  assert.equal((many[0].data?.occurrences as unknown[]).length, 4);
  assert.match(many[0].message, /\(3 more template expressions of this kind in the file\)/);
  assert.equal(findings(text, 'unknown-action').length, 1);
  assert.equal(findings(text, 'policy-variable-case').length, 1);
});

test('policy-variable-case: warning, exclusive with unknown-policy-variable', () => {
  const f = one(withResource('topic/${iot:clientId}'), 'policy-variable-case');
  assert.equal(f.text, '${iot:clientId}');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.data, { suggestions: ['${iot:ClientId}'] });
  assert.match(f.message, /case-sensitive/);
  const cert = one(withResource('topic/${iot:certificate.subject.commonname.list}'), 'policy-variable-case');
  assert.deepEqual(cert.data?.suggestions, ['${iot:Certificate.Subject.CommonName.List}']);
});

test('undocumented-policy-variable: ${iot:Thing.ThingName} suggests the documented name', () => {
  const f = one(withResource('topic/${iot:Thing.ThingName}/*'), 'undocumented-policy-variable');
  assert.equal(f.text, '${iot:Thing.ThingName}');
  assert.equal(f.severity, 'warning');
  assert.equal(f.messageId, 'undocumented');
  assert.deepEqual(f.data, { suggestions: ['${iot:Connection.Thing.ThingName}'] });
  const dflt = one(withResource("topic/${iot:ClientId, 'none'}"), 'undocumented-policy-variable');
  assert.equal(dflt.messageId, 'defaultValue');
  assert.deepEqual(dflt.data?.suggestions, ['${iot:ClientId}']);
});

test('policy-variable-syntax: $(*), unclosed, empty, white space, nested', () => {
  const parens = one(withResource('topic/a$(*)b'), 'policy-variable-syntax');
  assert.equal(parens.text, '$(*)');
  assert.equal(parens.messageId, 'parens');
  assert.deepEqual(parens.data, { suggestions: ['${*}'] });
  const unclosed = one(withResource('topic/${iot:ClientId/x'), 'policy-variable-syntax');
  assert.equal(unclosed.text, '${iot:ClientId');
  assert.deepEqual(unclosed.data?.suggestions, ['${iot:ClientId}']);
  const empty = one(withResource('topic/${}'), 'policy-variable-syntax');
  assert.equal(empty.messageId, 'empty');
  const ws = one(withResource('topic/${ iot:ClientId }'), 'policy-variable-syntax');
  assert.equal(ws.text, '${ iot:ClientId }');
  assert.deepEqual(ws.data?.suggestions, ['${iot:ClientId}']);
  const nested = one(withResource('topic/${iot:${iot:ClientId}}'), 'policy-variable-syntax');
  assert.equal(nested.messageId, 'nested');
});

test('policy-variable-syntax: an escaped \\u0024{ is still seen, with the span on the escape', () => {
  const text = withResource('topic/$(*)').replace('$(*)', '\\u0024(*)');
  const f = one(text, 'policy-variable-syntax');
  assert.equal(f.text, '\\u0024(*)');
});

test('policy-variable-not-allowed-here: Action, Sid, Effect, condition key name and operator, numeric value', () => {
  const action = one(policy([{ Effect: 'Allow', Action: 'iot:${iot:ClientId}', Resource: '*' }]), 'policy-variable-not-allowed-here');
  assert.equal(action.text, '${iot:ClientId}');
  assert.equal(action.messageId, 'action');
  assert.match(action.message, /in `Action` is not substituted/);
  const sid = one(policy([{ Sid: 'S${iot:ClientId}', Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/a` }]), 'policy-variable-not-allowed-here');
  assert.equal(sid.messageId, 'element');
  assert.match(sid.message, /^A policy variable in `Sid` is not substituted/);
  const key = one(policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/a`, Condition: { StringEquals: { '${iot:ClientId}': 'a' } } }]), 'policy-variable-not-allowed-here');
  assert.equal(key.messageId, 'conditionKey');
  assert.match(key.message, /condition key's name/);
  const num = one(policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/a`, Condition: { NumericLessThan: { 'iot:ClientId': '${iot:ClientId}' } } }]), 'policy-variable-not-allowed-here');
  assert.equal(num.messageId, 'operator');
  assert.match(num.message, /is not substituted in a `NumericLessThan` condition/);
  // In Effect and Version, the variable is the one finding (not also invalid-effect / invalid-version)
  const eff = lint(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: '${iot:ClientId}', Action: 'iot:Connect', Resource: '*' }] }));
  assert.deepEqual(eff.filter((f) => f.ruleId === 'invalid-effect' || f.ruleId === 'policy-variable-not-allowed-here').map((f) => f.ruleId), ['policy-variable-not-allowed-here']);
  const ver = lint(JSON.stringify({ Version: '${v}', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] }));
  assert.deepEqual(ver.filter((f) => f.ruleId === 'invalid-version' || f.ruleId === 'policy-variable-not-allowed-here').map((f) => f.ruleId), ['policy-variable-not-allowed-here']);
  // String condition values are fine
  assert.deepEqual(varFindings(policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/a`, Condition: { StringEquals: { 'iot:Connection.Thing.ThingName': '${iot:ClientId}' } } }])), []);
});

test('iam-only-policy-variable: credentials-iot:* with the IoT equivalent', () => {
  const f = one(withResource('topic/${credentials-iot:ThingName}'), 'iam-only-policy-variable');
  assert.equal(f.text, '${credentials-iot:ThingName}');
  assert.deepEqual(f.data, { suggestions: ['${iot:Connection.Thing.ThingName}'] });
  assert.match(f.message, /works only in IAM policies/);
  const user = one(withResource('topic/${aws:username}'), 'iam-only-policy-variable');
  assert.deepEqual(user.data?.suggestions, []);
  // An acronym at the start of the catalogue's reason keeps its case.
  assert.doesNotMatch(user.message, /iAM/);
});

test('variables-require-2012-10-17: one error when Version is missing, on the first variable, the others related, with the Version fix', () => {
  const text = withResource('topic/${iot:ClientId}/${iot:Connection.Thing.ThingName}', 'none');
  const f = findings(text, 'variables-require-2012-10-17');
  assert.deepEqual(f.map((x) => x.text), ['${iot:ClientId}']);
  assert.deepEqual(f[0].related?.map((r) => text.substr(r.span.offset, r.span.length)), ['${iot:Connection.Thing.ThingName}']);
  assert.equal(f[0].severity, 'error');
  assert.match(f[0].message, /^2 policy variables in this policy \(`\$\{iot:ClientId\}`, `\$\{iot:Connection\.Thing\.ThingName\}`\) are plain text: the policy has no `Version`, so AWS reads it as `2008-10-17`/);
  const fix = preferredFix(text, 'variables-require-2012-10-17');
  assert.equal(fix.title, 'Set Version to 2012-10-17 so that policy variables are substituted');
  assert.equal(fix.out, withResource('topic/${iot:ClientId}/${iot:Connection.Thing.ThingName}'));
});

test('variables-require-2012-10-17: Version 2008-10-17 replaces the value; none with 2012-10-17 or an invalid Version', () => {
  const text = withResource('topic/${iot:ClientId}', '2008-10-17');
  const f = findings(text, 'variables-require-2012-10-17');
  assert.equal(f.length, 1);
  assert.equal(f[0].text, '2008-10-17');
  assert.equal(preferredFix(text, 'variables-require-2012-10-17').out, withResource('topic/${iot:ClientId}'));
  assert.equal(f[0].related?.length, 1);
  assert.deepEqual(findings(withResource('topic/${iot:ClientId}'), 'variables-require-2012-10-17'), []);
  assert.deepEqual(findings(withResource('topic/${iot:ClientId}', '2012-10-18'), 'variables-require-2012-10-17'), []);
});

test('a reference that touches a template value unknown before deploy gets no variable finding', () => {
  // `${iot:` + {"Ref": ...} + `}` reads `${iot:*}`, whose `*` could be any name once deployed.
  const closed = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: { 'Fn::Join': ['', [`${ARN}:client/\${iot:`, { Ref: 'Suffix' }, '}']] } }] });
  const unclosed = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: { 'Fn::Join': ['', [`${ARN}:client/\${`, { Ref: 'Name' }]] } }] });
  for (const text of [closed, unclosed]) {
    assert.deepEqual(varFindings(text).map((f) => [f.ruleId, f.text]), [['template-syntax', 'Fn::Join']]);
  }
});

// ---- tables -----------------------------------------------------------------------------------

const VERSION = '"Version": "2012-10-17", ';
/** A policy whose one statement publishes to `resource` (an ARN suffix); `version` is the Version property, or ''. */
const res = (resource: string, version = VERSION): string =>
  `{${version}"Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": "${ARN}:${resource}"}]}`;
/** A policy whose one statement has `condition` (JSON text) as its Condition. */
const cond = (condition: string): string =>
  `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "${ARN}:client/a", "Condition": ${condition}}]}`;
/** A standalone policy whose resource is a CloudFormation `Fn::Join` of `parts` (JSON text). */
const join = (parts: string, version = VERSION): string =>
  `{${version}"Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": {"Fn::Join": ["", [${parts}]]}}]}`;
const DEFAULTS = { rules: {}, defaults: { region: 'eu-west-1', accountId: '493812760155' } };

ruleTester('unknown-policy-variable', {
  valid: [
    res('topic/${iot:ClientId}'),
    res('topic/${iot:Connection.Thing.Attributes[floor]}'),
    { name: 'a name that is partly a template value', code: join(`"${ARN}:topic/\${iot:", {"Ref": "Suffix"}, "}"`) },
  ],
  invalid: [
    { code: res('topic/[[${ClientId}]]'), errors: [{ messageId: 'unknown', data: { suggestions: ['${iot:ClientId}'] } }], output: res('topic/${iot:ClientId}') },
    {
      code: res('topic/[[${iot:Connection.Thing.Attributes[floor}]]'),
      errors: [{ messageId: 'attributeUnclosed' }],
      output: res('topic/${iot:Connection.Thing.Attributes[floor]}'),
    },
    { code: res('topic/[[${iot:Connection.Thing.Attributes[}]]'), errors: [{ messageId: 'attributeNameMissing' }], output: null },
    { code: res('topic/[[${iot:Connection.Thing.Attributes[]}]]'), errors: [{ messageId: 'attributeNameEmpty' }], output: null },
    {
      name: 'a whole region without suggestions is filled from the configured defaults',
      code: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:[[${aws:Region}]]:493812760155:topic/a"}]}',
      errors: [{ messageId: 'unknown', data: { suggestions: [] } }],
      config: DEFAULTS,
      output: res('topic/a'),
    },
  ],
});

ruleTester('policy-variable-case', {
  valid: [res('topic/${iot:ClientId}')],
  invalid: [
    { code: res('topic/[[${iot:clientid}]]'), errors: [{ messageId: 'caseOnly' }], output: res('topic/${iot:ClientId}') },
    { name: 'through a JSON escape', code: res('topic/[[\\u0024{iot:clientid}]]'), errors: [{ messageId: 'caseOnly' }], output: res('topic/\\u0024{iot:ClientId}') },
  ],
});

ruleTester('undocumented-policy-variable', {
  valid: [res('topic/${iot:Connection.Thing.ThingName}')],
  invalid: [
    { code: res('topic/[[${iot:Thing.ThingName}]]'), errors: [{ messageId: 'undocumented' }], output: res('topic/${iot:Connection.Thing.ThingName}') },
    { code: res("topic/[[${iot:ClientId, 'none'}]]"), errors: [{ messageId: 'defaultValue' }], output: res('topic/${iot:ClientId}') },
  ],
});

ruleTester('policy-variable-syntax', {
  valid: [res('topic/a${*}b${?}c${$}'), { name: 'an unclosed ${ before a template value', code: join(`"${ARN}:topic/\${", {"Ref": "Name"}`) }],
  invalid: [
    { code: res('topic/a[[$(*)]]b'), errors: [{ messageId: 'parens' }], output: res('topic/a${*}b') },
    { code: res('topic/[[${iot:ClientId]]/x'), errors: [{ messageId: 'unclosed' }], output: res('topic/${iot:ClientId}/x') },
    { code: res('topic/[[${iot:${iot:ClientId}]]}'), errors: [{ messageId: 'nested' }], output: null },
    { code: res('topic/[[${}]]'), errors: [{ messageId: 'empty' }], output: null },
    { code: res('topic/[[${ iot:ClientId }]]'), errors: [{ messageId: 'whitespace' }], output: res('topic/${iot:ClientId}') },
  ],
});

ruleTester('policy-variable-not-allowed-here', {
  valid: [cond('{"StringEquals": {"iot:Connection.Thing.ThingName": "${iot:ClientId}"}}'), cond('{"NumericLessThan": {"custom:Count": "${*}"}}')],
  invalid: [
    {
      code: '{"Version": "2012-10-17", "Statement": [{"Sid": "S[[${iot:ClientId}]]", "Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}]}',
      errors: [{ messageId: 'element', message: /^A policy variable in `Sid` is not substituted/ }],
      output: null,
    },
    {
      code: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:[[${iot:ClientId}]]", "Resource": "*"}]}',
      errors: [{ messageId: 'action' }],
      output: null,
    },
    { code: cond('{"String[[${iot:ClientId}]]": {"iot:ClientId": "a"}}'), errors: [{ messageId: 'conditionOperator' }], output: null },
    { code: cond('{"StringEquals": {"[[${iot:ClientId}]]": "a"}}'), errors: [{ messageId: 'conditionKey' }], output: null },
    { code: cond('{"NumericLessThan": {"custom:Count": "[[${iot:ClientId}]]"}}'), errors: [{ messageId: 'operator' }], output: null },
  ],
});

ruleTester('iam-only-policy-variable', {
  valid: [res('topic/${iot:Connection.Thing.ThingName}')],
  invalid: [
    {
      code: res('topic/[[${credentials-iot:ThingName}]]'),
      errors: [{ messageId: 'iamOnly', data: { suggestions: ['${iot:Connection.Thing.ThingName}'] } }],
      output: res('topic/${iot:Connection.Thing.ThingName}'),
    },
    { code: res('topic/[[${aws:username}]]'), errors: [{ messageId: 'iamOnly' }], output: null },
  ],
});

ruleTester('variables-require-2012-10-17', {
  valid: [
    res('topic/${iot:ClientId}'),
    res('topic/a', ''),
    { name: 'a reference made partly of a template value', code: join(`"${ARN}:topic/\${iot:", {"Ref": "Suffix"}, "}"`, '') },
  ],
  invalid: [
    {
      code: res('topic/${iot:ClientId}', '"Version": "[[2008-10-17]]", '),
      errors: [{ messageId: 'oldVersion', message: /^`"Version": "2008-10-17"` does not substitute policy variables: the policy variable in this policy \(`\$\{iot:ClientId\}`\) is plain text\./ }],
      output: res('topic/${iot:ClientId}'),
    },
    {
      code: res('topic/[[${iot:ClientId}]]/${iot:ClientId}/${iot:Connection.Thing.ThingName}', ''),
      errors: [{ messageId: 'noVersion', message: /^3 policy variables in this policy \(such as `\$\{iot:ClientId\}`, `\$\{iot:Connection\.Thing\.ThingName\}`\) are plain text/ }],
      output: `{"Version": "2012-10-17",${res('topic/${iot:ClientId}/${iot:ClientId}/${iot:Connection.Thing.ThingName}', '').slice(1)}`,
    },
  ],
});

ruleTester('template-syntax', {
  valid: [res('topic/${iot:ClientId}')],
  invalid: [
    {
      code: res('client/[[${var.thing_name}]]'),
      errors: [{ messageId: 'looksLikeTemplate', message: /^This file looks like a Terraform template, not a policy document\. `\$\{var\.thing_name\}` is not an AWS IoT policy variable; it is a Terraform interpolation/ }],
      output: null,
    },
    {
      name: 'a bare name: a template parameter of no known tool',
      code: res('client/[[${thing}]]'),
      errors: [{ messageId: 'looksLikeTemplate', message: /^This file looks like a template, not a policy document\./ }],
      output: null,
    },
    {
      name: 'a CloudFormation construct (a host note), its values unknown until deploy',
      code: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": {"[[Fn::Sub]]": "arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/a"}}]}',
      errors: [{ messageId: 'looksLikeTemplate', message: /^This file looks like a CloudFormation template, not a policy document\. `Fn::Sub`/ }],
      output: null,
    },
    {
      name: 'a region and account filled from the configured defaults, every place at once',
      code: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:[[${region}]]:${account_id}:topic/a"}]}',
      errors: [{ messageId: 'looksLikeTemplate', message: /\(1 more template expression of this kind in the file\)/ }],
      config: DEFAULTS,
      output: res('topic/a'),
    },
  ],
});
