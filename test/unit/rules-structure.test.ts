/**
 * Structure rules: json-syntax, duplicate-key, missing-version, invalid-version, missing-statement,
 * unknown-element, principal-not-supported, missing-element, invalid-effect, invalid-value-type,
 * policy-too-large, duplicate-value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RULES_BY_ID, buildModel, getCodeActions, jsonDocument, parsePolicy, runRule, toDiagnostics, type Finding } from '../../server/src/service';
import { jsonPolicySource, parseJsonText } from '../../server/src/service/hosts/json';
import { ARN, findings, lint, policy } from '../util/markers';
import { ruleTester } from '../util/ruleTester';

const CONNECT = { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}` };
const GOOD = policy([CONNECT]);
const noVersion = (statements: unknown[]): string => JSON.stringify({ Statement: statements }, null, 2);

function only(text: string, id: string) {
  const f = findings(text, id);
  assert.equal(f.length, 1, `expected one ${id}, got ${JSON.stringify(f.map((x) => x.text))}`);
  return f[0];
}

/** The document after the preferred quick fix of the rule's first finding (as the editor applies it). */
function fixed(text: string, id: string): string {
  const td = TextDocument.create('file:///test/policy.iot-policy.json', 'json', 1, text);
  const diagnostics = toDiagnostics(td, findings(text, id).slice(0, 1));
  assert.equal(diagnostics.length, 1, `no ${id}`);
  const actions = getCodeActions(td, jsonDocument(parsePolicy(text)), diagnostics[0].range, diagnostics, { only: ['quickfix'] });
  const preferred = actions.find((a) => a.isPreferred);
  assert.ok(preferred, `no preferred fix for ${id}; got ${JSON.stringify(actions.map((a) => a.title))}`);
  return TextDocument.applyEdits(td, preferred.edit?.changes?.[td.uri] ?? []);
}

// ------------------------------------------------------------------------------------------- json-syntax

test('json-syntax: a valid policy has no syntax finding', () => {
  assert.deepEqual(findings(GOOD, 'json-syntax'), []);
});

test('json-syntax: trailing comma points at the comma and says which bracket', () => {
  const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*",}]}';
  const f = only(text, 'json-syntax');
  assert.equal(f.text, ',');
  assert.equal(f.severity, 'error');
  assert.match(f.message, /^Trailing comma: strict JSON \(as AWS IoT reads policies\) does not allow a comma before `}`\. Remove it\.$/);
  assert.deepEqual(f.data, { kind: 'trailing-comma', suggestions: [''] });
  // the model is still built past the comma
  assert.deepEqual(findings(text, 'missing-element'), []);
});

test('json-syntax: trailing comma before ] in an array', () => {
  const f = only('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iot:Connect",], "Resource": "*"}]}', 'json-syntax');
  assert.equal(f.text, ',');
  assert.match(f.message, /before `\]`/);
});

test('json-syntax: line and block comments', () => {
  const text = '{\n  // devices\n  "Version": "2012-10-17", /* x */ "Statement": []\n}';
  const f = findings(text, 'json-syntax');
  assert.deepEqual(f.map((x) => x.text), ['// devices', '/* x */']);
  assert.match(f[0].message, /no `\/\/` comments/);
  assert.match(f[1].message, /no `\/\* \.\.\. \*\/` comments/);
  assert.deepEqual(f[0].data?.suggestions, ['']);
});

test('json-syntax: U+00A0 indentation is one finding per run, with code point and a replacement', () => {
  const text = '{\n\u00a0 \u00a0"Version": "2012-10-17",\n  "Statement": []\n}';
  const f = only(text, 'json-syntax');
  assert.equal(f.text, '\u00a0 \u00a0');
  assert.match(f.message, /2 characters U\+00A0 \(no-break space\) outside a string/);
  assert.deepEqual(f.data, { kind: 'character', codePoint: 'U+00A0', suggestions: ['   '], edits: [{ offset: 2, length: 3, text: '   ' }] });
});

test('json-syntax: U+00A0 on several lines is one finding per document, the other lines as related information, edits for all', () => {
  const text = '{\n\u00a0\u00a0"Version": "2012-10-17",\n\u00a0\u00a0"Statement": [],\n\u00a0\u00a0"Id": "x"\n}';
  const f = only(text, 'json-syntax');
  assert.equal(f.text, '\u00a0\u00a0');
  assert.match(f.message, /^6 characters U\+00A0 \(no-break space\) outside a string.*\(in 3 places/);
  assert.equal(f.related?.length, 2);
  const edits = f.data?.edits as { offset: number; length: number; text: string }[];
  assert.equal(edits.length, 3);
  let fixed = text;
  for (const e of [...edits].reverse()) fixed = fixed.slice(0, e.offset) + e.text + fixed.slice(e.offset + e.length);
  assert.equal(fixed, text.replace(/\u00a0/g, ' '));
  assert.deepEqual(findings(fixed, 'json-syntax'), []);
});

test('json-syntax: zero width space between tokens is named and deleted', () => {
  const f = only('{\u200b"Version": "2012-10-17", "Statement": []}', 'json-syntax');
  assert.equal(f.text, '\u200b');
  assert.match(f.message, /Character U\+200B \(zero width space\)/);
  assert.deepEqual(f.data?.suggestions, ['']);
});

test('json-syntax: unquoted *, single quotes, curly quotes, True', () => {
  const star = only('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": [*]}]}', 'json-syntax');
  assert.equal(star.text, '*');
  assert.deepEqual(star.data?.suggestions, ['"*"']);
  const single = only("{\"Version\": '2012-10-17', \"Statement\": []}", 'json-syntax');
  assert.equal(single.text, "'2012-10-17'");
  assert.match(single.message, /Single quotes/);
  assert.deepEqual(single.data?.suggestions, ['"2012-10-17"']);
  const curly = only('{"Version": \u201c2012-10-17\u201d, "Statement": []}', 'json-syntax');
  assert.match(curly.message, /Curly quotes \(U\+201C/);
  assert.deepEqual(curly.data?.suggestions, ['"2012-10-17"']);
  const t = only('{"Version": "2012-10-17", "Statement": [], "Id": True}', 'json-syntax');
  assert.equal(t.text, 'True');
  assert.deepEqual(t.data?.suggestions, ['true']);
});

test('json-syntax: unquoted property name', () => {
  const f = only('{Version: "2012-10-17", "Statement": []}', 'json-syntax');
  assert.equal(f.text, 'Version');
  assert.match(f.message, /Unquoted property name `Version`/);
});

test('json-syntax: missing comma between statements points at the next object and gives the insertion point', () => {
  const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}\n {"Effect": "Deny", "Action": "iot:Connect", "Resource": "*"}]}';
  const f = only(text, 'json-syntax');
  assert.equal(f.text, '{');
  assert.match(f.message, /^Missing comma between these objects/);
  const ins = f.data?.insert as { offset: number; text: string };
  assert.equal(text[ins.offset - 1], '}');
  assert.equal(ins.text, ',');
});

test('json-syntax: a JavaScript escape \\$ in a string points at the two characters', () => {
  const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "client/\\${iot:ClientId}"}]}';
  const f = only(text, 'json-syntax');
  assert.equal(f.text, '\\$');
  assert.match(f.message, /template-literal escape/);
  assert.deepEqual(f.data?.suggestions, ['$', '\\\\$']);
});

test('json-syntax: unclosed document, raw tab in a string, text after the end, empty document', () => {
  const openText = '{"Version": "2012-10-17", "Statement": []\n';
  const open = only(openText, 'json-syntax');
  assert.match(open.message, /ends before an object is closed: add `}`/);
  // At the end of the document (not on the last `]`), with the unclosed `{` as related information.
  assert.deepEqual(open.span, { offset: openText.trimEnd().length, length: 0 });
  assert.deepEqual(open.related?.map((r) => r.span), [{ offset: 0, length: 1 }]);
  const tab = only('{"Version": "2012-10-17", "Statement": [], "Id": "a\tb"}', 'json-syntax');
  assert.equal(tab.text, '\t');
  assert.deepEqual(tab.data?.suggestions, ['\\t']);
  const extra = only('{"Version": "2012-10-17", "Statement": []}\n]', 'json-syntax');
  assert.equal(extra.text, ']');
  assert.match(extra.message, /^Text after the end of the policy/);
  const empty = only('  \n', 'json-syntax');
  assert.match(empty.message, /empty/);
});

// ------------------------------------------------------------------------------------------- duplicate-key

test('duplicate-key: the later key is reported with the first as related information', () => {
  const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Action": "iot:Publish", "Resource": "*"}]}';
  const f = only(text, 'duplicate-key');
  assert.equal(f.text, 'Action');
  assert.equal(f.span.offset, text.lastIndexOf('"Action"') + 1);
  assert.deepEqual(f.related?.map((r) => r.span), [{ offset: text.indexOf('"Action"'), length: '"Action"'.length }]);
  assert.match(f.message, /Merge the values into one `Action`/);
});

test('duplicate-key: also inside Condition (two StringEquals), none in a good policy', () => {
  const text = policy([{ ...CONNECT, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } }]).replace('"Bool": {', '"StringEquals": {"iot:ClientId": "a"}, "StringEquals": {"iot:ClientId": "b"}, "Bool": {');
  assert.deepEqual(findings(text, 'duplicate-key').map((f) => f.text), ['StringEquals']);
  assert.deepEqual(findings(GOOD, 'duplicate-key'), []);
});

// ------------------------------------------------------------------------------------------- versions

test('missing-version: warning on the root brace; the fix inserts Version as the first property', () => {
  const statements = [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/device1` }];
  const text = noVersion(statements);
  const f = only(text, 'missing-version');
  assert.equal(f.severity, 'warning');
  assert.equal(f.text, '{');
  assert.equal(fixed(text, 'missing-version'), policy(statements));
  assert.deepEqual(findings(GOOD, 'missing-version'), []);
});

test('missing-version: not reported when variables-require-2012-10-17 reports the variables', () => {
  const text = noVersion([CONNECT]);
  assert.deepEqual(findings(text, 'missing-version'), []);
  assert.equal(findings(text, 'variables-require-2012-10-17').length, 1);
});

test('invalid-version: a date that is not a policy version', () => {
  const f = only(policy([CONNECT], '2023-01-01'), 'invalid-version');
  assert.equal(f.text, '2023-01-01');
  assert.deepEqual(f.data?.suggestions, ['2012-10-17']);
  assert.match(f.message, /not the date you wrote the policy/);
  assert.deepEqual(findings(policy([CONNECT], '2008-10-17'), 'invalid-version'), []);
  const padded = only(policy([CONNECT], '2012-10-17 '), 'invalid-version');
  assert.deepEqual(padded.data?.suggestions, ['2012-10-17']);
  const nbsp = only(policy([CONNECT], '2012-10-17\u00a0'), 'invalid-version');
  assert.match(nbsp.message, /It contains the invisible character U\+00A0 \(no-break space\)\.$/);
  assert.doesNotMatch(nbsp.message, /not the date/);
});

// ------------------------------------------------------------------------------------------- statements

test('missing-statement: no Statement, or an empty array', () => {
  const none = only('{"Version": "2012-10-17"}', 'missing-statement');
  assert.equal(none.text, '{');
  const empty = only('{"Version": "2012-10-17", "Statement": []}', 'missing-statement');
  assert.equal(empty.text, '[]');
  assert.deepEqual(findings(GOOD, 'missing-statement'), []);
  // A misspelled Statement key is unknown-element's finding, not this one.
  assert.deepEqual(findings('{"Version": "2012-10-17", "Statements": []}', 'missing-statement'), []);
});

test('unknown-element: near misses get the right name', () => {
  const text = policy([{ effect: 'Allow', Action: 'iot:Connect', Resources: [`${ARN}:client/a`] }]);
  const f = findings(text, 'unknown-element');
  assert.deepEqual(f.map((x) => [x.text, x.data?.suggestions]), [['effect', ['Effect']], ['Resources', ['Resource']]]);
  assert.match(f[1].message, /Did you mean `Resource`\?/);
  // and missing-element does not also complain about the misspelled ones
  assert.deepEqual(findings(text, 'missing-element'), []);
  const actions = only(policy([{ Effect: 'Allow', Actions: ['iot:Connect'], Resource: '*' }]), 'unknown-element');
  assert.deepEqual(actions.data?.suggestions, ['Action']);
  const cond = only(policy([{ ...CONNECT, Conditions: {} }]), 'unknown-element');
  assert.deepEqual(cond.data?.suggestions, ['Condition']);
});

test('unknown-element: statements under a misspelled Statement key are checked too', () => {
  const text = '{"Version": "2012-10-17", "Statements": [{"Effect": "Allow", "Action": "iot:Connect", "Resources": "*"}]}';
  assert.deepEqual(findings(text, 'unknown-element').map((f) => [f.text, f.data?.suggestions]), [['Statements', ['Statement']], ['Resources', ['Resource']]]);
});

test('unknown-element: a top-level `Resources` says it belongs inside a statement', () => {
  const f = only('{"Version": "2012-10-17", "Resources": "*", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}]}', 'unknown-element');
  assert.match(f.message, /^`Resources` looks like `Resource`, which belongs inside a statement/);
  assert.equal(f.messageId, 'misplacedAtTop');
  assert.deepEqual(f.data?.suggestions, []);
});

test('unknown-element: no cascade after a syntax error that damaged the object (doubled `{`)', () => {
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n    {\n      "Effect": "Allow",\n      "Action": "iot:Connect",\n      "Resource": "*"\n    },\n      "Effect": "Allow",\n      "Action": "iot:Publish",\n      "Resource": "*"\n    }\n  ]\n}';
  assert.ok(findings(text, 'json-syntax').length > 0);
  assert.deepEqual(findings(text, 'unknown-element'), []);
  assert.deepEqual(findings(text, 'missing-element'), []);
  // A comment or trailing comma does not damage the structure: a real misspelling after it is still reported.
  const comment = '{"Version": "2012-10-17", // x\n "Statment": [], "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*",}]}';
  assert.deepEqual(findings(comment, 'unknown-element').map((f) => f.text), ['Statment']);
});

test('unknown-element: top level, misplaced elements, and a key with no near miss', () => {
  const top = only('{"Version": "2012-10-17", "Statment": [], "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}]}', 'unknown-element');
  assert.equal(top.messageId, 'unknownAtTop');
  assert.deepEqual(top.data, { suggestions: ['Statement'] });
  const misplaced = only('{"Version": "2012-10-17", "Effect": "Allow", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}]}', 'unknown-element');
  assert.match(misplaced.message, /belongs inside a statement/);
  assert.equal(misplaced.messageId, 'misplacedAtTop');
  const version = only(policy([{ ...CONNECT, Version: '2012-10-17' }]), 'unknown-element');
  assert.match(version.message, /belongs at the top level/);
  assert.equal(version.messageId, 'misplacedInStatement');
  const far = only(policy([{ ...CONNECT, Comment: 'x' }]), 'unknown-element');
  assert.deepEqual(far.data?.suggestions, []);
  assert.deepEqual(findings(GOOD, 'unknown-element'), []);
  assert.deepEqual(findings(policy([{ ...CONNECT, Sid: 'A1' }]).replace('"Version"', '"Id": "p", "Version"'), 'unknown-element'), []);
});

test('principal-not-supported: Principal and NotPrincipal; the fix removes the property', () => {
  const text = policy([{ ...CONNECT, Principal: { AWS: '*' } }]);
  const f = only(text, 'principal-not-supported');
  assert.equal(f.text, 'Principal');
  assert.equal(fixed(text, 'principal-not-supported'), policy([CONNECT]));
  assert.equal(findings(text, 'unknown-element').length, 0);
  assert.equal(only(policy([{ ...CONNECT, NotPrincipal: '*' }]), 'principal-not-supported').text, 'NotPrincipal');
});

test('missing-element: one finding per statement listing what is missing, at the statement brace; Statement as a single object', () => {
  const text = '{"Version": "2012-10-17", "Statement": {"Action": "iot:Connect"}}';
  const f = findings(text, 'missing-element');
  assert.deepEqual(f.map((x) => x.text), ['{']);
  assert.equal(f[0].span.offset, text.indexOf('{"Action"'));
  assert.match(f[0].message, /^This statement has no `Effect` or `Resource`:/);
  assert.doesNotMatch(f[0].message, /493812760155/);
  const empty = only('{"Version": "2012-10-17", "Statement": [{}]}', 'missing-element');
  assert.match(empty.message, /^This statement has no `Effect`, `Action` or `Resource`:/);
  assert.deepEqual(findings(policy([{ Effect: 'Allow', NotAction: 'iot:Connect', NotResource: '*' }]), 'missing-element'), []);
});

test('invalid-effect: case, misspelling and empty, suggestions ranked', () => {
  const lower = only(policy([{ ...CONNECT, Effect: 'allow' }]), 'invalid-effect');
  assert.equal(lower.text, 'allow');
  assert.deepEqual(lower.data?.suggestions, ['Allow', 'Deny']);
  assert.match(lower.message, /case-sensitive/);
  const deny = only(policy([{ ...CONNECT, Effect: 'Denied' }]), 'invalid-effect');
  assert.deepEqual(deny.data?.suggestions, ['Deny', 'Allow']);
  const empty = only(policy([{ ...CONNECT, Effect: '' }]), 'invalid-effect');
  assert.equal(empty.text, '""');
  // the span of an empty string is the literal, so the suggestions are literals too
  assert.deepEqual(empty.data?.suggestions, ['"Allow"', '"Deny"']);
  assert.deepEqual(findings(GOOD, 'invalid-effect'), []);
});

// ------------------------------------------------------------------------------------------- value types

test('invalid-value-type: Action a number, Condition a string, Statement a string, Version a number', () => {
  const num = only(policy([{ ...CONNECT, Action: 42 }]), 'invalid-value-type');
  assert.equal(num.text, '42');
  assert.deepEqual(num.data?.suggestions, ['"42"']);
  const cond = only(policy([{ ...CONNECT, Condition: 'true' }]), 'invalid-value-type');
  assert.equal(cond.text, '"true"');
  assert.match(cond.message, /`Condition` must be an object/);
  const st = only('{"Version": "2012-10-17", "Statement": "iot:Connect"}', 'invalid-value-type');
  assert.equal(st.text, '"iot:Connect"');
  const ver = only('{"Version": 2012, "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}]}', 'invalid-value-type');
  assert.equal(ver.text, '2012');
  assert.deepEqual(ver.data?.suggestions, ['"2012-10-17"']);
});

test('invalid-value-type: empty list, empty string, statement that is not an object, root array', () => {
  const empty = only(policy([{ ...CONNECT, Resource: [] }]), 'invalid-value-type');
  assert.equal(empty.text, '[]');
  const blank = only(policy([{ ...CONNECT, Action: ['iot:Connect', ''] }]), 'invalid-value-type');
  assert.equal(blank.text, '""');
  const notObj = only('{"Version": "2012-10-17", "Statement": [42]}', 'invalid-value-type');
  assert.equal(notObj.text, '42');
  const root = only('[{"Effect": "Allow"}]', 'invalid-value-type');
  assert.equal(root.text, '[');
  assert.match(root.message, /wrap them/);
  assert.deepEqual(findings(GOOD, 'invalid-value-type'), []);
});

test('invalid-value-type: CloudFormation intrinsics are left to template-syntax (one warning for the file)', () => {
  const text = policy([{ ...CONNECT, Resource: [{ 'Fn::Sub': 'arn:aws:iot:${AWS::Region}:${AWS::AccountId}:client/a' }, { Ref: 'ThingArn' }] }]);
  assert.deepEqual(findings(text, 'invalid-value-type'), []);
  const f = only(text, 'template-syntax');
  assert.equal(f.text, 'Fn::Sub');
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /^This file looks like a CloudFormation template, not a policy document\. `Fn::Sub` is a CloudFormation intrinsic function/);
  assert.deepEqual(f.related?.map((r) => text.substr(r.span.offset, r.span.length)), ['Ref']);
});

test('invalid-value-type: a condition value that is an object, and a condition operator that is not an object', () => {
  const obj = only(policy([{ ...CONNECT, Condition: { StringEquals: { 'iot:ClientId': { a: 1 } } } }]), 'invalid-value-type');
  assert.equal(obj.text, '{');
  const op = only(policy([{ ...CONNECT, Condition: { StringEquals: 'iot:ClientId' } }]), 'invalid-value-type');
  assert.equal(op.text, '"iot:ClientId"');
  // An empty list of condition values is meaningful (iot:ConnectAttributes []).
  assert.deepEqual(findings(policy([{ ...CONNECT, Condition: { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': [] } } }]), 'invalid-value-type'), []);
});

// ------------------------------------------------------------------------------------------- size, duplicates

test('policy-too-large: counts characters without white space, gives the count', () => {
  const many = Array.from({ length: 40 }, (_, i) => `${ARN}:topic/devices/telemetry/sensor-${i}`);
  const text = policy([CONNECT, { Effect: 'Allow', Action: 'iot:Publish', Resource: many }]);
  const f = only(text, 'policy-too-large');
  const size = text.replace(/\s/g, '').length;
  assert.ok(size > 2048);
  assert.equal(f.text, 'Statement');
  assert.equal(f.messageId, 'tooLarge');
  assert.ok(f.message.startsWith(`The policy is ${size.toLocaleString('en-US')} characters long excluding white space;`), f.message);
  assert.ok(f.message.includes(`(${(size - 2048).toLocaleString('en-US')} too many)`), f.message);
  assert.deepEqual(findings(GOOD, 'policy-too-large'), []);
});

test('duplicate-value: same action case-insensitively and same resource, span on the later one', () => {
  const text = policy([{ Effect: 'Allow', Action: ['iot:Connect', 'iot:connect'], Resource: [`${ARN}:client/a`, `${ARN}:client/b`, `${ARN}:client/a`] }]);
  const f = findings(text, 'duplicate-value');
  // Without the quotes, like the other rules; the fix still removes the whole literal and its comma.
  assert.deepEqual(f.map((x) => x.text), ['iot:connect', `${ARN}:client/a`]);
  assert.equal(f[0].severity, 'info');
  assert.deepEqual(f[0].tags, ['unnecessary']);
  assert.match(f[0].message, /action names ignore case/);
  assert.equal(f[1].span.offset, text.lastIndexOf(`"${ARN}:client/a"`) + 1);
  assert.equal(fixed(text, 'duplicate-value'), text.replace(/,\s+"iot:connect"/, ''));
  const last = policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: [`${ARN}:client/a`, `${ARN}:client/b`, `${ARN}:client/a`] }]);
  assert.equal(fixed(last, 'duplicate-value'), policy([{ Effect: 'Allow', Action: 'iot:Connect', Resource: [`${ARN}:client/a`, `${ARN}:client/b`] }]));
  assert.deepEqual(findings(GOOD, 'duplicate-value'), []);
});

test('broken JSON is still analysed, and never crashes', () => {
  const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "alow", "Action": "iot:Connect", "Resource": "*",}';
  assert.ok(findings(text, 'json-syntax').length >= 1);
  assert.equal(only(text, 'invalid-effect').text, 'alow');
  for (const t of ['', '{', '[', '{"Statement": {', '{"Version": }', '"x"', '{"Statement": [{"Condition": {"Bool": ', '\u00a0']) {
    assert.doesNotThrow(() => lint(t));
    assert.deepEqual(lint(t).filter((f) => f.ruleId === 'internal-error'), []);
  }
});

// ------------------------------------------------------------------------------------------- other hosts' JSON text

/** The findings of one rule on a model, without the others. */
function runOne(id: string, model: ReturnType<typeof buildModel>): Finding[] {
  const out: Finding[] = [];
  runRule(RULES_BY_ID.get(id)!, model, (f) => out.push(f as Finding));
  return out;
}

test('json-syntax: spans and fix offsets of JSON text held inside a document are mapped to the document', () => {
  // A policy written as a string in a template: its JSON text starts after `prefix`.
  const prefix = 'PolicyDocument: |\n  ';
  const json = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}\n {"Effect": "Deny",\u00a0"Action": "iot:Connect", "Resource": "*",}]}';
  const text = prefix + json;
  const source = jsonPolicySource(json);
  const model = buildModel({ ...source, text, json: { text: json, errors: parseJsonText(json).errors, toDocument: (o) => o + prefix.length } });
  const found = runOne('json-syntax', model);
  const at = (f: Finding) => text.substr(f.span.offset, f.span.length);
  assert.deepEqual(found.map((f) => [f.messageId, at(f)]), [['missingComma', '{'], ['trailingComma', ','], ['character', '\u00a0']]);
  const insert = found[0].data?.insert as { offset: number; text: string };
  assert.equal(insert.offset, text.indexOf('"*"}') + 4);
  const edits = found[2].data?.edits as { offset: number; length: number; text: string }[];
  assert.deepEqual(edits, [{ offset: text.indexOf('\u00a0'), length: 1, text: ' ' }]);
});

test('json-syntax: a long stray token is named by its line and column in the document', () => {
  const prefix = 'a\nbb\n';
  const json = '{"Version": "2012-10-17", "Statement": [], "Id": secretvalue123}';
  const model = buildModel({ ...jsonPolicySource(json), text: prefix + json, json: { text: json, errors: parseJsonText(json).errors, toDocument: (o) => o + prefix.length } });
  const [f] = runOne('json-syntax', model);
  assert.equal(f.message, `Unquoted text at 3:${json.indexOf('secret') + 1} (14 characters): JSON strings need double quotes, so AWS rejects the document. Put it in double quotes.`);
});

test('json-syntax: a policy not parsed from JSON text has no JSON syntax finding', () => {
  const json = '{"Version": "2012-10-17", "Statement": [],}';
  assert.equal(runOne('json-syntax', buildModel(jsonPolicySource(json))).length, 1);
  assert.deepEqual(runOne('json-syntax', buildModel({ ...jsonPolicySource(json), json: undefined })), []);
});

test('policy-too-large: with template values unknown, only the known characters count, and the message says so', () => {
  const text = policy([CONNECT]);
  const sized = (chars: number, complete: boolean) => buildModel({ ...jsonPolicySource(text), size: () => ({ chars, complete }) });
  const [f] = runOne('policy-too-large', sized(3000, false));
  assert.equal(f.messageId, 'knownTooLarge');
  assert.equal(text.substr(f.span.offset, f.span.length), 'Statement');
  assert.match(f.message, /^The policy is at least 3,000 characters long excluding white space, counting only the characters known before deploy \(template values are left out\); AWS IoT accepts at most 2,048 \(at least 952 too many\) and rejects the policy\. Split it/);
  assert.deepEqual(runOne('policy-too-large', sized(2048, false)), []);
  assert.equal(runOne('policy-too-large', sized(2049, true))[0].messageId, 'tooLarge');
});

// ------------------------------------------------------------------------------------------- template values

test('template values are never reported: an opaque Version, Effect, Statement, Id or Condition could be anything', () => {
  const C = '{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}';
  const cases: [string, string][] = [
    [`{"Version": {"Fn::Sub": "\${V}"}, "Statement": [${C}]}`, 'invalid-version'],
    ['{"Version": "2012-10-17", "Statement": [{"Effect": {"Fn::Sub": "${E}"}, "Action": "iot:Connect", "Resource": "*"}]}', 'invalid-effect'],
    ['{"Version": "2012-10-17", "Statement": {"Ref": "Statements"}}', 'invalid-value-type'],
    [`{"Version": "2012-10-17", "Statement": [${C}], "Id": {"Ref": "PolicyId"}}`, 'invalid-value-type'],
    ['{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*", "Condition": {"Ref": "C"}}]}', 'invalid-value-type'],
  ];
  for (const [text, id] of cases) assert.deepEqual(findings(text, id).map((f) => f.text), [], text);
});

test('duplicate-value: two template values that read the same may differ at deploy', () => {
  const subs = ['iot:${A}', 'iot:${B}'].map((x) => ({ 'Fn::Sub': x }));
  assert.deepEqual(findings(policy([{ Effect: 'Allow', Action: subs, Resource: '*' }]), 'duplicate-value'), []);
});

// ---------------------------------------------------------------------------------------------
// Tables: message ids, exact ranges and fixed output. (A range that ends in `]` cannot be marked:
// `]]]` reads as the end marker and a bracket; the plain tests above cover `[]`.)

const C = '{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}';
/** A policy with these statements and, after them, these top-level properties. */
const doc = (statements: string, after = ''): string => `{"Version": "2012-10-17", "Statement": [${statements}]${after}}`;
/** A policy with one statement of this body. */
const stmt = (body: string): string => doc(`{${body}}`);
const tail = (after: string): string => doc(C, after);

ruleTester('json-syntax', {
  valid: [doc(C), stmt('"Effect": "Allow", "Action": "iot:Connect", "Resource": "a\\u0024b"')],
  invalid: [
    { code: stmt('"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"[[,]]'), errors: [{ messageId: 'trailingComma' }], output: doc(C) },
    { code: tail(', "Id": "x"[[,]] '), errors: [{ messageId: 'trailingComma' }], output: tail(', "Id": "x" ') },
    { code: `{"Version": "2012-10-17", [[// devices]]\n"Statement": [${C}]}`, errors: [{ messageId: 'comment' }], output: `{"Version": "2012-10-17", \n"Statement": [${C}]}` },
    { code: `{"Version": "2012-10-17", [[/* devices */]] "Statement": [${C}]}`, errors: [{ messageId: 'comment' }], output: `{"Version": "2012-10-17",  "Statement": [${C}]}` },
    { code: `{[[Version]]: "2012-10-17", "Statement": [${C}]}`, errors: [{ messageId: 'unquotedPropertyName', message: /`Version`/ }], output: doc(C) },
    { code: doc(`${C}\n [[{]]"Effect": "Deny", "Action": "iot:Connect", "Resource": "*"}`), errors: [{ messageId: 'missingComma' }], output: doc(`${C},\n {"Effect": "Deny", "Action": "iot:Connect", "Resource": "*"}`) },
    { code: `{"Version": "2012-10-17" [["]]Statement": [${C}]}`, errors: [{ messageId: 'missingComma' }], output: doc(C) },
    { code: tail(', "Id" [["]]x"'), errors: [{ messageId: 'colonExpected' }], output: tail(', "Id": "x"') },
    {
      name: 'stray text longer than 8 characters is named by position, never quoted',
      code: tail(', "Id": [[secretvalue123]]'),
      errors: [{ messageId: 'unquotedText', message: /^Unquoted text at 1:\d+ \(14 characters\): JSON strings need double quotes, so AWS rejects the document\. Put it in double quotes\.$/ }],
      output: tail(', "Id": "secretvalue123"'),
    },
    { code: tail(', "Id": [[\u2018x\u2019]]'), errors: [{ messageId: 'curlyQuotes' }], output: tail(', "Id": "x"') },
    { code: tail(", \"Id\": [['x']]"), errors: [{ messageId: 'singleQuotes' }], output: tail(', "Id": "x"') },
    { code: tail(', "Id": [[True]]'), errors: [{ messageId: 'literalCase' }], output: tail(', "Id": true') },
    { code: `{"Version": "2012-10-17",[[\u00a0]]"Statement": [${C}]}`, errors: [{ messageId: 'character' }], output: `{"Version": "2012-10-17", "Statement": [${C}]}` },
    { code: tail(', "Id": "[[\\$]]x"'), errors: [{ messageId: 'invalidEscape' }], output: tail(', "Id": "$x"') },
    { code: tail(', "Id": "[[\\u12"]]'), errors: [{ messageId: 'invalidUnicode' }], output: null },
    { code: tail(', "Id": "a[[\t]]b"'), errors: [{ messageId: 'controlCharacter' }], output: tail(', "Id": "a\\tb"') },
    { code: tail(', "Id": [[1.]]'), errors: [{ messageId: 'invalidNumber' }], output: tail(', "Id": "1."') },
    { code: `{"Version": "2012-10-17", "Statement": [${C}], "Id": [["]]a[[]]`, errors: [{ messageId: 'unterminatedString' }, { messageId: 'endsUnclosed' }], output: `{"Version": "2012-10-17", "Statement": [${C}], "Id": "a"` },
    { code: `{"Version": "2012-10-17", "Statement": [${C}][[]]`, errors: [{ messageId: 'endsUnclosed' }], output: doc(C) },
    { code: `${doc(C)}\n[[}]]`, errors: [{ messageId: 'extraText' }], output: null },
    { code: `{"Version": "2012-10-17", "Statement": [${C}], [[{]]"Id": "x"}[[}]]`, errors: [{ messageId: 'bracketForKey' }, { messageId: 'extraText' }], output: null },
    { code: doc(`${C}, "Id"[[:]] "x"`), errors: [{ messageId: 'misplacedColon' }], output: null },
    { code: tail(', "Id": {[[1]]: 2[[}]]'), errors: [{ messageId: 'propertyNameExpected' }, { messageId: 'valueExpected' }], output: null },
    { code: `{"Version": "2012-10-17", "Statement": [${C}], "Id": [[}]]`, errors: [{ messageId: 'valueExpected' }], output: null },
    { code: '{"Version":[[]] [[]]', errors: [{ messageId: 'endsUnclosed' }, { messageId: 'endsBeforeValue' }], output: '{"Version":} ' },
    { code: '[[  ]]', errors: [{ messageId: 'empty' }], output: null },
    { code: `${'{"a": '.repeat(256)}[[{]]"a": 1${'}'.repeat(257)}`, errors: [{ messageId: 'hostProblem', message: /^Nesting deeper than 256 levels/ }], output: null },
  ],
});

ruleTester('duplicate-key', {
  valid: [doc(C), doc(C, ', "Id": "a"')],
  invalid: [
    { code: stmt('"Effect": "Allow", "Action": "iot:Connect", "[[Action]]": "iot:Publish", "Resource": "*"'), errors: [{ messageId: 'duplicate', message: /Merge the values into one `Action`\.$/ }], output: null },
    { code: doc(C, ', "x": 1, "[[x]]": 2'), errors: [{ messageId: 'duplicate', message: /Merge them into one key\.$/ }], output: null },
  ],
});

ruleTester('missing-version', {
  valid: [doc(C), '{"Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/${iot:ClientId}"}]}'],
  invalid: [
    { code: `[[{]] "Statement": [${C}]}`, errors: [{ messageId: 'missing' }], output: `{ "Version": "2012-10-17", "Statement": [${C}]}` },
  ],
});

ruleTester('invalid-version', {
  valid: [doc(C), `{"Version": "2008-10-17", "Statement": [${C}]}`, `{"Version": {"Fn::Sub": "\${PolicyVersion}"}, "Statement": [${C}]}`],
  invalid: [
    { code: `{"Version": "[[2023-01-01]]", "Statement": [${C}]}`, errors: [{ messageId: 'invalid', message: /not the date you wrote the policy/ }], output: doc(C) },
    { code: `{"Version": [[""]], "Statement": [${C}]}`, errors: [{ messageId: 'invalid', message: /^`Version` is empty/ }], output: doc(C) },
  ],
});

ruleTester('missing-statement', {
  valid: [doc(C), '{"Version": "2012-10-17", "Statements": []}', '{"Version": "2012-10-17", "Statement": {"Ref": "Statements"}}'],
  invalid: [
    { code: '[[{]]"Version": "2012-10-17"}', errors: [{ messageId: 'missing' }], output: null },
  ],
});

ruleTester('unknown-element', {
  valid: [doc(C), doc(C, ', "Id": "p"'), doc(`{"Ref": "Statement"}, ${C}`), stmt('"Sid": "A", "Effect": "Allow", "NotAction": "iot:Connect", "NotResource": "*"')],
  invalid: [
    { code: stmt('"Effect": "Allow", "Action": "iot:Connect", "[[Resources]]": "*"'), errors: [{ messageId: 'unknownInStatement', data: { suggestions: ['Resource'] } }], output: doc(C) },
    { code: stmt('"Effect": "Allow", "Action": "iot:Connect", "Resource": "*", "[[Comment]]": "x"'), errors: [{ messageId: 'unknownInStatement', data: { suggestions: [] } }], output: null },
    { code: `{"Version": "2012-10-17", "[[Statment]]": [${C}]}`, errors: [{ messageId: 'unknownAtTop' }], output: doc(C) },
    { code: `{"Version": "2012-10-17", "[[Statment]]": [], "Statement": [${C}]}`, errors: [{ messageId: 'unknownAtTop' }], output: null },
    { code: `{"Version": "2012-10-17", "[[Effect]]": "Allow", "Statement": [${C}]}`, errors: [{ messageId: 'misplacedAtTop' }], output: null },
    { code: stmt('"Effect": "Allow", "Action": "iot:Connect", "Resource": "*", "[[Version]]": "2012-10-17"'), errors: [{ messageId: 'misplacedInStatement' }], output: null },
  ],
});

ruleTester('principal-not-supported', {
  valid: [doc(C)],
  invalid: [
    { code: stmt('"Effect": "Allow", "[[Principal]]": {"AWS": "*"}, "Action": "iot:Connect", "Resource": "*"'), errors: [{ messageId: 'principal' }], output: doc(C) },
    { code: `{"Version": "2012-10-17", "[[NotPrincipal]]": "*", "Statement": [${C}]}`, errors: [{ messageId: 'principal' }], output: doc(C) },
  ],
});

ruleTester('missing-element', {
  valid: [doc(C), stmt('"Effect": "Deny", "NotAction": "iot:Connect", "NotResource": "*"'), stmt('"Effect": "Allow", "Actions": "iot:Connect", "Resource": "*"'), doc('{"Ref": "Statement"}')],
  invalid: [
    { code: doc(' [[{]]"Action": "iot:Connect"}'), errors: [{ messageId: 'missing', message: /^This statement has no `Effect` or `Resource`:/ }], output: null },
    { code: doc(`${C}, [[{]]}`), errors: [{ messageId: 'missing', message: /^This statement has no `Effect`, `Action` or `Resource`:/ }], output: null },
  ],
});

ruleTester('invalid-effect', {
  valid: [doc(C), stmt('"Effect": {"Ref": "Effect"}, "Action": "iot:Connect", "Resource": "*"'), stmt('"Effect": {"Fn::Sub": "${Effect}"}, "Action": "iot:Connect", "Resource": "*"')],
  invalid: [
    { code: stmt('"Effect": "[[allow]]", "Action": "iot:Connect", "Resource": "*"'), errors: [{ messageId: 'caseOnly' }], output: doc(C) },
    { code: stmt('"Effect": "[[Denied]]", "Action": "iot:Connect", "Resource": "*"'), errors: [{ messageId: 'invalid', data: { suggestions: ['Deny', 'Allow'] } }], output: stmt('"Effect": "Deny", "Action": "iot:Connect", "Resource": "*"') },
    { code: stmt('"Effect": [[""]], "Action": "iot:Connect", "Resource": "*"'), errors: [{ messageId: 'invalid', message: /Write `Allow` or `Deny`\.$/ }], output: doc(C) },
  ],
});

ruleTester('invalid-value-type', {
  valid: [
    doc(C),
    stmt('"Effect": "Allow", "Action": {"Ref": "Actions"}, "Resource": ["*", {"Ref": "Topic"}], "Condition": {"Ref": "Conditions"}'),
    stmt('"Effect": "Allow", "Action": "iot:Connect", "Resource": "*", "Condition": {"Bool": {"Ref": "Keys"}, "StringEquals": {"iot:ClientId": {"Ref": "Client"}}}'),
    '{"Version": "2012-10-17", "Statement": {"Ref": "Statements"}, "Id": {"Ref": "PolicyId"}}',
    doc(`{"Ref": "Statement"}, ${C}`),
  ],
  invalid: [
    { code: `[[[]]${C}]`, errors: [{ messageId: 'rootNotObject', message: /wrap them/ }], output: null },
    { code: `{"Version": [[2012]], "Statement": [${C}]}`, errors: [{ messageId: 'version' }], output: doc(C) },
    { code: doc(C, ', "Id": [[7]]'), errors: [{ messageId: 'id' }], output: null },
    { code: '{"Version": "2012-10-17", "Statement": [["iot:Connect"]]}', errors: [{ messageId: 'statement' }], output: null },
    { code: doc(` [[42]]`), errors: [{ messageId: 'statementItem' }], output: null },
    { code: stmt('"Sid": [[1]], "Effect": "Allow", "Action": "iot:Connect", "Resource": "*"'), errors: [{ messageId: 'sid' }], output: null },
    { code: stmt('"Effect": [[true]], "Action": "iot:Connect", "Resource": "*"'), errors: [{ messageId: 'effect' }], output: stmt('"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"') },
    { code: stmt('"Effect": "Allow", "Action": [[42]], "Resource": "*"'), errors: [{ messageId: 'listEntry' }], output: stmt('"Effect": "Allow", "Action": "42", "Resource": "*"') },
    { code: stmt('"Effect": "Allow", "Action": ["iot:Connect", [[""]]], "Resource": "*"'), errors: [{ messageId: 'emptyString' }], output: null },
    { code: stmt('"Effect": "Allow", "Action": "iot:Connect", "Resource": "*", "Condition": [["true"]]'), errors: [{ messageId: 'condition' }], output: null },
    { code: stmt('"Effect": "Allow", "Action": "iot:Connect", "Resource": "*", "Condition": {"StringEquals": [["x"]]}'), errors: [{ messageId: 'conditionOperator' }], output: null },
    { code: stmt('"Effect": "Allow", "Action": "iot:Connect", "Resource": "*", "Condition": {"StringEquals": {"iot:ClientId": [[{]]"a": 1}}}'), errors: [{ messageId: 'conditionValue' }], output: null },
  ],
});

const many = Array.from({ length: 40 }, (_, i) => `"${ARN}:topic/devices/telemetry/sensor-${i}"`).join(', ');

ruleTester('policy-too-large', {
  valid: [doc(C)],
  invalid: [
    { code: `{"Version": "2012-10-17", "[[Statement]]": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": [${many}]}]}`, errors: [{ messageId: 'tooLarge' }], output: null },
  ],
});

ruleTester('duplicate-value', {
  valid: [
    doc(C),
    stmt(`"Effect": "Allow", "Action": "iot:Connect", "Resource": [{"Fn::Sub": "${ARN}:client/\${A}"}, {"Fn::Sub": "${ARN}:client/\${B}"}]`),
  ],
  invalid: [
    { code: stmt('"Effect": "Allow", "Action": ["iot:Connect", "[[iot:connect]]"], "Resource": "*"'), errors: [{ messageId: 'duplicate', message: /as `iot:Connect` \(action names ignore case\)/ }], output: stmt('"Effect": "Allow", "Action": ["iot:Connect"], "Resource": "*"') },
    { code: stmt('"Effect": "Allow", "Action": "iot:Connect", "Resource": ["*", "[[*]]"]'), errors: [{ messageId: 'duplicate' }], output: doc(C).replace('"Resource": "*"', '"Resource": ["*"]') },
  ],
});
