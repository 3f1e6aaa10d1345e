/**
 * Completion: every item is applied (its textEdit put into the text) and the result compared as
 * text. Snippets are expanded the way an editor does before comparing (placeholders and first
 * choices kept, tab stops removed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTree, type ParseError } from 'jsonc-parser';
import { CompletionItemTag, InsertTextFormat, type CompletionItem, type MarkupContent, type TextEdit } from 'vscode-languageserver-types';
import { doComplete, jsonDocument, parsePolicy, type CompletionOptions } from '../../server/src/service';
import { jsonEscape } from '../../server/src/service/hosts/json/complete';
import { ARN, doc, withMarkers } from '../util/markers';
import { expandSnippet } from '../util/snippets';

export { expandSnippet };

interface Result {
  text: string;
  items: CompletionItem[];
  labels: string[];
  isIncomplete: boolean;
  /** The text after accepting the item with this label. */
  apply(label: string): string;
  item(label: string): CompletionItem;
}

function complete(source: string, options: CompletionOptions = {}): Result {
  const { text, offsets } = withMarkers(source);
  assert.equal(offsets.length, 1, 'one cursor marker');
  const offset = offsets[0];
  const d = doc(text);
  const list = doComplete(d, jsonDocument(parsePolicy(text)), d.positionAt(offset), options);
  const items = [...list.items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label) || a.label.localeCompare(b.label));
  for (const it of items) {
    const e = it.textEdit as TextEdit;
    assert.ok(e && 'range' in e, `${it.label}: no textEdit`);
    assert.equal(e.range.start.line, e.range.end.line, `${it.label}: the range spans lines`);
    const s = d.offsetAt(e.range.start);
    const en = d.offsetAt(e.range.end);
    assert.ok(s <= offset && offset <= en, `${it.label}: the range does not contain the cursor`);
    if (it.insertTextFormat !== InsertTextFormat.Snippet) assert.equal(expandSnippet(e.newText.replace(/[\\$}]/g, '\\$&')), e.newText);
  }
  const item = (label: string): CompletionItem => {
    const it = items.find((i) => i.label === label);
    assert.ok(it, `no item "${label}" among ${items.map((i) => i.label).join(', ')}`);
    return it;
  };
  return {
    text,
    items,
    labels: items.map((i) => i.label),
    isIncomplete: list.isIncomplete,
    item,
    apply(label) {
      const it = item(label);
      const e = it.textEdit as TextEdit;
      const newText = it.insertTextFormat === InsertTextFormat.Snippet ? expandSnippet(e.newText) : e.newText;
      return text.slice(0, d.offsetAt(e.range.start)) + newText + text.slice(d.offsetAt(e.range.end));
    },
  };
}

function assertJson(text: string): void {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  assert.deepEqual(errors, [], `not valid JSON: ${text}`);
}

const SNIPPETS: CompletionOptions = { snippetSupport: true };
const DEFAULTS: CompletionOptions = { config: { rules: {}, defaults: { region: 'eu-west-1', accountId: '493812760155' } } };
const T = '${iot:Connection.Thing.ThingName}';
const docOf = (it: CompletionItem): string => (it.documentation as MarkupContent | undefined)?.value ?? '';

function res(resource: string, action = 'iot:Publish'): string {
  return `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "${action}", "Resource": "${resource}"}]}`;
}

// ---- must-show ------------------------------------------------------------------------------

test('completion: after ${iot:Connection.Thing. offers ThingName, ThingTypeName, IsAttached and Attributes', () => {
  const r = complete(res(`${ARN}:topic/\${iot:Connection.Thing.|`));
  assert.deepEqual([...r.labels].sort(), [
    'iot:Connection.Thing.Attributes[attributeName]',
    'iot:Connection.Thing.IsAttached',
    'iot:Connection.Thing.ThingName',
    'iot:Connection.Thing.ThingTypeName',
  ]);
  assert.equal(r.isIncomplete, true);
  assert.equal(r.apply('iot:Connection.Thing.ThingName'), res(`${ARN}:topic/${T}`), 'closing } added when absent');
  assert.equal(r.apply('iot:Connection.Thing.Attributes[attributeName]'), res(`${ARN}:topic/\${iot:Connection.Thing.Attributes[attributeName]}`));
  assert.match(docOf(r.item('iot:Connection.Thing.ThingName')), /name of the registry thing/);
  // The closing brace is not doubled, and the rest of the name is replaced.
  const mid = complete(res(`${ARN}:topic/\${iot:Connection.Thing.Th|ingNam}/*`));
  assert.equal(mid.apply('iot:Connection.Thing.ThingName'), res(`${ARN}:topic/${T}/*`));
  // With snippets, Attributes gets a tab stop on the name.
  const sn = complete(res(`${ARN}:topic/\${iot:Connection.Thing.|}`), SNIPPETS);
  assert.equal((sn.item('iot:Connection.Thing.Attributes[attributeName]').textEdit as TextEdit).newText, 'iot:Connection.Thing.Attributes[${1:attributeName}]');
  assert.equal(sn.apply('iot:Connection.Thing.IsAttached'), res(`${ARN}:topic/\${iot:Connection.Thing.IsAttached}`));
});

test('completion: in Action offers the data-plane actions with docs; legacy job spellings deprecated and last', () => {
  const r = complete('{"Statement": [{"Effect": "Allow", "Action": "|"}]}');
  for (const a of ['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive', 'iot:RetainPublish', 'iot:GetThingShadow', 'iot:UpdateThingShadow',
    'iotjobsdata:DescribeJobExecution', 'iot:AssumeRoleWithCertificate', 'greengrass:ResolveComponentCandidates']) {
    assert.ok(r.labels.includes(a), a);
  }
  assert.deepEqual(r.labels.slice(0, 4), ['iot:Connect', 'iot:Publish', 'iot:Receive', 'iot:Subscribe']);
  const legacy = r.items.filter((i) => i.tags?.includes(CompletionItemTag.Deprecated)).map((i) => i.label);
  assert.deepEqual(legacy, ['iot:DescribeJobExecution', 'iot:GetPendingJobExecutions', 'iot:StartNextPendingJobExecution', 'iot:UpdateJobExecution']);
  assert.deepEqual(r.labels.slice(-4), legacy);
  assert.match(docOf(r.item('iot:Subscribe')), /topicfilter/);
  assert.equal(r.apply('iot:Publish'), '{"Statement": [{"Effect": "Allow", "Action": "iot:Publish"}]}');
  // In the middle of a word the whole string is replaced.
  assert.equal(complete('{"Statement": [{"Action": "iot:Pu|bx"}]}').apply('iot:Publish'), '{"Statement": [{"Action": "iot:Publish"}]}');
  // Outside a string the item brings its quotes, and a comma when another item follows.
  assert.equal(complete('{"Statement": [{"Action": [|]}]}').apply('iot:Connect'), '{"Statement": [{"Action": ["iot:Connect"]}]}');
  assert.equal(complete('{"Statement": [{"Action": [| "iot:Publish"]}]}').apply('iot:Connect'), '{"Statement": [{"Action": ["iot:Connect", "iot:Publish"]}]}');
  assert.equal(complete('{"Statement": [{"Action": ["iot:Publish" |]}]}').apply('iot:Connect'), '{"Statement": [{"Action": ["iot:Publish" ,"iot:Connect"]}]}');
  assert.equal(complete('{"Statement": [{"NotAction": iot:Pu|}]}').apply('iot:Publish'), '{"Statement": [{"NotAction": "iot:Publish"}]}');
  // An unterminated string gets its closing quote.
  assert.equal(complete('{"Statement": [{"Action": "iot:Su|').apply('iot:Subscribe'), '{"Statement": [{"Action": "iot:Subscribe"');
  // Actions already listed in the statement come after the others.
  const listed = complete('{"Statement": [{"Action": ["iot:Connect", "|"]}]}');
  assert.ok(listed.labels.indexOf('iot:Connect') > listed.labels.indexOf('iot:Receive'));
});

// ---- keys ------------------------------------------------------------------------------------

test('completion: keys by position, missing ones first, full "Key": value outside strings', () => {
  const top = complete('{|}');
  assert.deepEqual(top.labels, ['Version', 'Statement', 'Id']);
  assert.equal(top.apply('Version'), '{"Version": "2012-10-17"}');
  assert.equal(top.apply('Statement'), '{"Statement": []}');
  const topSn = complete('{\n  |\n}', SNIPPETS);
  assert.equal(topSn.apply('Statement'), '{\n  "Statement": [\n\t{\n\t\t"Effect": "Allow",\n\t\t"Action": "",\n\t\t"Resource": ""\n\t}\n]\n}');
  assertJson(topSn.apply('Statement'));
  assert.deepEqual(complete('{"Version": "2012-10-17", |}').labels, ['Statement', 'Id', 'Version']);

  const st = complete('{"Statement": [{|}]}');
  assert.deepEqual(st.labels, ['Effect', 'Action', 'Resource', 'Condition', 'Sid', 'NotAction', 'NotResource']);
  assert.equal(st.apply('Effect'), '{"Statement": [{"Effect": "Allow"}]}');
  const present = complete('{"Statement": [{"Effect": "Allow", "Action": "iot:Connect", |}]}');
  assert.deepEqual(present.labels, ['Resource', 'Condition', 'Sid', 'NotResource', 'Effect', 'Action', 'NotAction']);
  assert.equal(present.apply('Resource'), '{"Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": ""}]}');

  const sn = complete('{"Statement": [{"Effect": "Allow", |}]}', SNIPPETS);
  const eff = sn.item('Action');
  assert.equal((eff.textEdit as TextEdit).newText, '"Action": "$1"');
  assert.equal(eff.command?.command, 'editor.action.triggerSuggest');
  assert.equal((complete('{"Statement": [{|}]}', SNIPPETS).item('Effect').textEdit as TextEdit).newText, '"Effect": "${1|Allow,Deny|}"');
  const cond = sn.apply('Condition');
  assert.equal(cond, '{"Statement": [{"Effect": "Allow", "Condition": {\n\t"StringEquals": {\n\t\t"": ""\n\t}\n}}]}');
  assertJson(cond);
  // A single statement object.
  assert.ok(complete('{"Statement": {"Effect": "Allow", |}}').labels.includes('Action'));
});

test('completion: keys inside a key string, unquoted words, missing and following commas', () => {
  // In a key string followed by `:`, only the key is replaced.
  assert.equal(complete('{"Statement": [{"Eff|ect": "Deny"}]}').apply('Effect'), '{"Statement": [{"Effect": "Deny"}]}');
  // Without a colon the value comes too, and a comma when a key follows.
  assert.equal(complete('{"Statement": [{"Act|"}]}').apply('Action'), '{"Statement": [{"Action": ""}]}');
  const before = complete('{"Statement": [{"Act|"\n "Effect": "Allow"}]}');
  assert.equal(before.apply('Action'), '{"Statement": [{"Action": "",\n "Effect": "Allow"}]}');
  assertJson(before.apply('Action'));
  // An unquoted word is replaced by the quoted key.
  assert.equal(complete('{"Statement": [{ Eff| }]}').apply('Effect'), '{"Statement": [{ "Effect": "Allow" }]}');
  // A missing comma after the previous element is added.
  const after = complete('{"Statement": [{"Effect": "Allow" |}]}').apply('Action');
  assert.equal(after, '{"Statement": [{"Effect": "Allow" ,"Action": ""}]}');
  assertJson(after);
  const afterObj = complete('{"Statement": [{"Effect": "Allow", "Condition": {} |}]}').apply('Sid');
  assertJson(afterObj);
  // Top-level key after a value.
  assertJson(complete('{"Version": "2012-10-17" |}').apply('Statement'));
});

// ---- values ----------------------------------------------------------------------------------

test('completion: Version and Effect values, inside and outside strings', () => {
  const v = complete('{"Version": "|"}');
  assert.deepEqual(v.labels, ['2012-10-17', '2008-10-17']);
  assert.equal(v.item('2012-10-17').preselect, true);
  assert.equal(v.apply('2012-10-17'), '{"Version": "2012-10-17"}');
  assert.equal(complete('{"Version": |, "Statement": []}').apply('2012-10-17'), '{"Version": "2012-10-17", "Statement": []}');
  assert.equal(complete('{"Version": "2012|-1"}').apply('2012-10-17'), '{"Version": "2012-10-17"}');
  const e = complete('{"Statement": [{"Effect": "|"}]}');
  assert.deepEqual(e.labels, ['Allow', 'Deny']);
  assert.equal(e.apply('Deny'), '{"Statement": [{"Effect": "Deny"}]}');
  assert.equal(complete('{"Statement": [{"Effect": al|}]}').apply('Allow'), '{"Statement": [{"Effect": "Allow"}]}');
  assert.equal(complete('{"Statement": [{"Effect": | "Action": "x"}]}').apply('Allow'), '{"Statement": [{"Effect": "Allow", "Action": "x"}]}');
  assert.equal(complete('{"Statement": [{"Effect":|}]}').apply('Allow'), '{"Statement": [{"Effect": "Allow"}]}', 'a space after the colon');
  // Statement skeletons.
  assertJson(complete('{"Statement": |}').apply('Statement list'));
  assertJson(complete('{"Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}, |]}', SNIPPETS).apply('New statement'));
});

// ---- resources --------------------------------------------------------------------------------

test('completion: resource ARN templates fit the statement actions; region and account from settings or tab stops', () => {
  const sub = complete(res('|', 'iot:Subscribe'), DEFAULTS);
  assert.deepEqual(sub.labels, [`${ARN}:topicfilter/${T}/*`, `${ARN}:topicfilter/topicFilter`]);
  assert.equal(sub.apply(`${ARN}:topicfilter/${T}/*`), res(`${ARN}:topicfilter/${T}/*`, 'iot:Subscribe'));
  assert.match(sub.item(`${ARN}:topicfilter/${T}/*`).detail ?? '', /topicfilter — iot:Subscribe/);

  const connect = complete(res('|', 'iot:Connect'), SNIPPETS);
  const label = `arn:aws:iot:region:account:client/${T}`;
  assert.equal((connect.item(label).textEdit as TextEdit).newText, 'arn:aws:iot:${1:region}:${2:account}:client/\\${iot:Connection.Thing.ThingName\\}');
  assert.equal(connect.apply(label), res(`arn:aws:iot:region:account:client/${T}`, 'iot:Connect'));
  const named = complete(res('|', 'iot:Connect'), SNIPPETS).item('arn:aws:iot:region:account:client/clientId');
  assert.equal((named.textEdit as TextEdit).newText, 'arn:aws:iot:${1:region}:${2:account}:client/${3:clientId}');
  // No snippets and no settings: `*` for region and account.
  assert.equal(complete(res('|', 'iot:Connect')).apply(label), res(`arn:aws:iot:*:*:client/${T}`, 'iot:Connect'));

  // Several actions: every type they need; `*` when an action has no resource.
  const mixed = complete(`{"Statement": [{"Action": ["iot:Connect", "iot:Publish", "iot:ListRetainedMessages"], "Resource": ["|"]}]}`, DEFAULTS);
  assert.ok(mixed.labels.includes(`${ARN}:client/${T}`));
  assert.ok(mixed.labels.includes(`${ARN}:topic/${T}/*`));
  assert.ok(mixed.labels.includes('*'));
  assert.ok(!mixed.labels.some((l) => l.includes('topicfilter')));
  assert.ok(complete('{"Statement": [{"Action": "iot:AssumeRoleWithCertificate", "Resource": "|"}]}', DEFAULTS).labels.includes(`${ARN}:rolealias/roleAlias`));
  assert.ok(complete('{"Statement": [{"Action": "iot:*Shadow", "Resource": "|"}]}', DEFAULTS).labels.includes(`${ARN}:thing/${T}`));
  assert.ok(complete('{"Statement": [{"Action": "greengrass:GetComponentVersionArtifact", "Resource": "|"}]}', DEFAULTS).labels.some((l) => l.startsWith('arn:aws:greengrass:eu-west-1:493812760155:components:')));
  // No action yet: every type.
  const none = complete('{"Statement": [{"Resource": "|"}]}', DEFAULTS).labels;
  for (const t of ['client', 'topic', 'topicfilter', 'thing', 'rolealias']) assert.ok(none.some((l) => l.includes(`:${t}/`)), t);
  // Region and account already typed are kept.
  const typed = complete(res('arn:aws-cn:iot:cn-north-1:111122223333:|', 'iot:Publish'));
  assert.equal(typed.apply(`arn:aws-cn:iot:cn-north-1:111122223333:topic/${T}/*`), res(`arn:aws-cn:iot:cn-north-1:111122223333:topic/${T}/*`));
  // Outside a string.
  assert.equal(
    complete('{"Statement": [{"Action": "iot:Connect", "Resource": |}]}', DEFAULTS).apply(`${ARN}:client/${T}`),
    `{"Statement": [{"Action": "iot:Connect", "Resource": "${ARN}:client/${T}"}]}`,
  );
});

test('completion: reserved topic templates after topic/ and topicfilter/', () => {
  const pub = complete(res(`${ARN}:topic/|`));
  assert.equal(pub.apply(`$aws/things/${T}/shadow/update`), res(`${ARN}:topic/$aws/things/${T}/shadow/update`));
  assert.ok(pub.labels.includes(`$aws/things/${T}/jobs/get`));
  assert.ok(pub.labels.includes('$aws/certificates/create/<payloadFormat>'));
  // Publish: the topics devices publish to come before those they subscribe to.
  assert.ok(pub.labels.indexOf(`$aws/things/${T}/shadow/update`) < pub.labels.indexOf(`$aws/things/${T}/shadow/update/accepted`));
  const sub = complete(res(`${ARN}:topicfilter/$aws/things/|x`, 'iot:Subscribe'), SNIPPETS);
  assert.ok(sub.labels.indexOf(`$aws/things/${T}/shadow/update/accepted`) < sub.labels.indexOf(`$aws/things/${T}/shadow/update`));
  const namedLabel = `$aws/things/${T}/shadow/name/<shadowName>/update/delta`;
  assert.equal((sub.item(namedLabel).textEdit as TextEdit).newText, '\\$aws/things/\\${iot:Connection.Thing.ThingName\\}/shadow/name/${1:shadowName}/update/delta');
  assert.equal(sub.apply(namedLabel), res(`${ARN}:topicfilter/$aws/things/${T}/shadow/name/shadowName/update/delta`, 'iot:Subscribe'));
  assert.equal(sub.apply(`${T}/*`), res(`${ARN}:topicfilter/${T}/*`, 'iot:Subscribe'));
  assert.equal(complete(res(`${ARN}:client/|`, 'iot:Connect')).apply(T), res(`${ARN}:client/${T}`, 'iot:Connect'));
});

// ---- variables --------------------------------------------------------------------------------

test('completion: policy variables after ${, certificate forms, escapes; } added only when absent', () => {
  const all = complete(res(`${ARN}:topic/\${|`));
  for (const v of ['iot:ClientId', 'iot:Connection.Thing.ThingName', 'iot:Certificate.Subject.CommonName', 'iot:Certificate.Subject.CommonName.List',
    'iot:Certificate.Issuer.AlternativeName.DNSName.List', 'iot:CertificateId', 'iot:Certificate.SerialNumber', 'cognito-identity.amazonaws.com:sub', '*', '?', '$']) {
    assert.ok(all.labels.includes(v), v);
  }
  assert.equal(all.labels[0], 'iot:Connection.Thing.Attributes[attributeName]');
  assert.ok(all.labels.indexOf('iot:Connection.Thing.ThingName') < all.labels.indexOf('iot:ClientId'));
  assert.ok(all.labels.indexOf('iot:Certificate.Subject.CommonName') < all.labels.indexOf('iot:Certificate.Subject.CommonName.List'), '.List is for conditions');
  assert.equal(all.apply('iot:ClientId'), res(`${ARN}:topic/\${iot:ClientId}`));
  assert.equal(all.apply('*'), res(`${ARN}:topic/\${*}`));
  assert.equal(complete(res(`${ARN}:topic/\${iot:Cl|}/x`)).apply('iot:ClientId'), res(`${ARN}:topic/\${iot:ClientId}/x`));
  assert.equal(complete(res(`${ARN}:topic/a/\${iot:Conn|`)).apply('iot:Connection.Thing.ThingName'), res(`${ARN}:topic/a/${T}`));
  const cert = complete(res(`${ARN}:topic/\${iot:Certificate.Subject.|`));
  assert.ok(cert.labels.every((l) => l.startsWith('iot:Certificate.Subject.')));
  assert.ok(cert.labels.includes('iot:Certificate.Subject.Organization.List'));
  assert.equal(cert.labels.length, 36);
  // Partly typed names keep their case-insensitive segment filter.
  assert.ok(complete(res(`${ARN}:topic/\${iot:connection.thing.|`)).labels.includes('iot:Connection.Thing.ThingName'));
  // After a closed variable there is nothing to complete there, and Action strings take no variables.
  assert.ok(!complete(res(`${ARN}:topic/\${iot:ClientId}|`)).labels.includes('iot:ClientId'));
  assert.ok(!complete('{"Statement": [{"Action": "${|"}]}').labels.includes('iot:Connection.Thing.ThingName'));
  // Version 2008-10-17: still offered, with a note.
  const old = complete(`{"Version": "2008-10-17", "Statement": [{"Resource": "${ARN}:topic/\${|"}]}`);
  assert.match(old.item('iot:ClientId').detail ?? '', /needs "Version": "2012-10-17"/);
  // In condition values too.
  const c = complete('{"Version": "2012-10-17", "Statement": [{"Condition": {"StringEquals": {"iot:ClientId": "${iot:Connection.Thing.|"}}}]}');
  assert.equal(c.apply('iot:Connection.Thing.ThingName'), `{"Version": "2012-10-17", "Statement": [{"Condition": {"StringEquals": {"iot:ClientId": "${T}"}}}]}`);
});

// ---- conditions -------------------------------------------------------------------------------

test('completion: condition operators with IfExists and ForAnyValue:/ForAllValues:', () => {
  const r = complete('{"Statement": [{"Condition": {|}}]}');
  for (const o of ['StringEquals', 'StringLike', 'Bool', 'Null', 'ArnEquals', 'IpAddress', 'NumericLessThan', 'StringEqualsIfExists', 'ForAnyValue:StringEquals', 'ForAllValues:StringNotEqualsIfExists']) {
    assert.ok(r.labels.includes(o), o);
  }
  assert.ok(!r.labels.includes('NullIfExists'));
  assert.equal(r.labels[0], 'StringEquals');
  assert.ok(r.labels.indexOf('Bool') < r.labels.indexOf('StringEqualsIfExists'));
  assert.ok(r.labels.indexOf('ForAnyValue:StringEquals') < r.labels.indexOf('ForAnyValue:NumericEquals'));
  assert.match(docOf(r.item('ForAnyValue:StringEquals')), /at least one/);
  assert.equal(r.apply('Bool'), '{"Statement": [{"Condition": {"Bool": {}}}]}');
  const sn = complete('{"Statement": [{"Condition": {"Bo|"}}]}', SNIPPETS);
  assert.equal(sn.apply('Bool'), '{"Statement": [{"Condition": {"Bool": {\n\t"": ""\n}}}]}');
  assert.equal(complete('{"Statement": [{"Condition": {"Bo|": {}}}]}').apply('Bool'), '{"Statement": [{"Condition": {"Bool": {}}}]}');
});

test('completion: condition keys with value snippets, ranked by the operator', () => {
  const bool = complete('{"Statement": [{"Condition": {"Bool": {|}}}]}', SNIPPETS);
  assert.equal(bool.labels[0], 'iot:Connection.Thing.IsAttached');
  const applied = bool.apply('iot:Connection.Thing.IsAttached');
  assert.equal(applied, '{"Statement": [{"Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}}]}');
  assert.equal((bool.item('iot:Connection.Thing.IsAttached').textEdit as TextEdit).newText, '"iot:Connection.Thing.IsAttached": "${1|true,false|}"');
  const set = complete('{"Statement": [{"Condition": {"ForAllValues:StringEquals": {"|"}}}]}', SNIPPETS);
  assert.equal(set.labels[0], 'iot:ConnectAttributes');
  assert.equal(set.apply('iot:ConnectAttributes'), '{"Statement": [{"Condition": {"ForAllValues:StringEquals": {"iot:ConnectAttributes": ["PersistentConnect"]}}}]}');
  const ip = complete('{"Statement": [{"Condition": {"IpAddress": {|}}}]}');
  assert.equal(ip.labels[0], 'aws:SourceIp');
  assert.equal(ip.apply('aws:SourceIp'), '{"Statement": [{"Condition": {"IpAddress": {"aws:SourceIp": ""}}}]}');
  const str = complete('{"Statement": [{"Condition": {"StringEquals": {|}}}]}');
  assert.ok(str.labels.includes('iot:Certificate.Subject.CommonName.List'));
  assert.ok(str.labels.includes('iot:Connection.Thing.Attributes[attributeName]'));
  assert.ok(str.labels.indexOf('iot:ClientId') < str.labels.indexOf('aws:SourceIp'));
  assert.match(docOf(str.item('iot:LastWillTopic')), /will message/);
  const nul = complete('{"Statement": [{"Condition": {"Null": {"iot:Certificate.Subject.CommonName": "false"}, |}}]}');
  assert.ok(nul.labels.includes('StringEquals'), 'operators again after an operator');
});

test('completion: condition values true/false, PersistentConnect/LastWill, will topic', () => {
  const b = complete('{"Statement": [{"Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "|"}}}]}');
  assert.deepEqual(b.labels, ['true', 'false']);
  assert.equal(b.apply('true'), '{"Statement": [{"Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}}]}');
  assert.equal(complete('{"Statement": [{"Condition": {"Bool": {"iot:Connection.Thing.IsAttached": [|]}}}]}').apply('true'), '{"Statement": [{"Condition": {"Bool": {"iot:Connection.Thing.IsAttached": ["true"]}}}]}');
  const n = complete('{"Statement": [{"Condition": {"Null": {"iot:Certificate.SerialNumber": |}}}]}');
  assert.deepEqual(n.labels, ['false', 'true']);
  assert.equal(n.apply('false'), '{"Statement": [{"Condition": {"Null": {"iot:Certificate.SerialNumber": "false"}}}]}');
  const ca = complete('{"Statement": [{"Condition": {"ForAllValues:StringEquals": {"iot:ConnectAttributes": ["PersistentConnect", "|"]}}}]}');
  assert.deepEqual(ca.labels, ['PersistentConnect', 'LastWill']);
  assert.equal(ca.apply('LastWill'), '{"Statement": [{"Condition": {"ForAllValues:StringEquals": {"iot:ConnectAttributes": ["PersistentConnect", "LastWill"]}}}]}');
  const will = complete('{"Statement": [{"Condition": {"ArnEquals": {"iot:LastWillTopic": "|"}}}]}', DEFAULTS);
  assert.equal(will.apply(`${ARN}:topic/willTopic`), `{"Statement": [{"Condition": {"ArnEquals": {"iot:LastWillTopic": "${ARN}:topic/willTopic"}}}]}`);
  assert.deepEqual(complete('{"Statement": [{"Condition": {"StringEquals": {"iot:ClientId": "|"}}}]}').labels, []);
});

// ---- robustness ---------------------------------------------------------------------------------

test('completion: never throws on broken documents; every item replaces a range around the cursor', () => {
  const texts = [
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iot:Pub", ], "Resource": "arn:aws:iot:eu-west-1:1:topic/${iot:',
    '{"Statement": {"Condition": {"": {"": [1, null, {"a": "${"}]}}}}',
    '{"Statement": [1, "x", null, {"Action": {"a": 1}, "Resource": 5}]}',
    '{"Statement": [{"Condition": {"Bool" {"iot:', '[{"Version": 1}]', '"\\u0024{iot:ClientId}"', '{"Resource": "${iot:Client"}', '{{{{', '}}]]', '',
    '{"Statement": [{"Resource": "arn:aws:iot:eu-west-1:1:topic/\\"${|}"}]}',
  ];
  for (const t of texts) {
    const text = t.replace('|', '');
    for (let o = 0; o <= text.length; o++) {
      const src = text.slice(0, o).replace(/\|/g, '||') + '|' + text.slice(o).replace(/\|/g, '||');
      complete(src, SNIPPETS);
      complete(src);
    }
  }
});

test('completion: fast on a 2 KB policy', () => {
  const statements = Array.from({ length: 12 }, (_, i) => `{"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"], "Resource": ["${ARN}:topic/fleet/${i}/\${iot:Connection.Thing.ThingName}/*"]}`);
  const src = `{"Version": "2012-10-17", "Statement": [${statements.join(', ')}, {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "${ARN}:topicfilter/\${iot:Connection.Thing.|"}]}`;
  const { text, offsets } = withMarkers(src);
  assert.ok(text.length > 2000);
  const d = doc(text);
  const model = parsePolicy(text);
  const start = process.hrtime.bigint();
  for (let i = 0; i < 200; i++) doComplete(d, jsonDocument(model), d.positionAt(offsets[0]), SNIPPETS);
  const perCall = Number(process.hrtime.bigint() - start) / 1e6 / 200;
  assert.ok(perCall < 5, `${perCall.toFixed(2)} ms per completion`);
});

test('completion texts are escaped for a JSON string exactly as JSON.stringify escapes them', () => {
  // The fast path returns the text as it is when nothing in it needs an escape.
  const samples = ['iot:Publish', '${iot:Connection.Thing.ThingName}', 'a"b', 'c\\d', 'tab\there', '\ud83d\ude00', 'lone \ud83d high', 'lone \ude00 low'];
  for (let c = 0; c < 0x10000; c++) samples.push(`a${String.fromCharCode(c)}b`);
  for (const s of samples) assert.equal(jsonEscape(s), JSON.stringify(s).slice(1, -1), JSON.stringify(s));
});
