import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentSymbol, Range } from 'vscode-languageserver-types';
import { getDocumentSymbols, parsePolicy } from '../../server/src/service';
import { ARN, doc, policy } from '../util/markers';

function symbols(text: string): DocumentSymbol[] {
  return getDocumentSymbols(doc(text), parsePolicy(text));
}

function textAt(text: string, r: Range): string {
  const d = doc(text);
  return text.slice(d.offsetAt(r.start), d.offsetAt(r.end));
}

function contains(outer: Range, inner: Range): boolean {
  const le = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

function walk(list: DocumentSymbol[], f: (s: DocumentSymbol) => void): void {
  for (const s of list) {
    f(s);
    walk(s.children ?? [], f);
  }
}

test('symbols: Version and one symbol per statement, summary names', () => {
  const text = policy([
    { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/fleet/*` },
    { Effect: 'Deny', Action: ['iot:Subscribe', 'iot:Receive', 'iot:Connect'], Resource: [`${ARN}:topicfilter/a/*`, `${ARN}:topic/a/*`, `${ARN}:topic/b/*`] },
  ]);
  const s = symbols(text);
  assert.deepEqual(s.map((x) => x.name), [
    'Version',
    'Allow iot:Publish → topic/fleet/*',
    'Deny iot:Subscribe, iot:Receive +1 → topicfilter/a/*, topic/a/* +1',
  ]);
  assert.equal(s[0].detail, '2012-10-17');
  assert.equal(textAt(text, s[0].selectionRange), '"Version"');
  assert.ok(textAt(text, s[1].range).startsWith('{') && textAt(text, s[1].range).endsWith('}'));
  assert.deepEqual(s[1].children?.map((c) => c.name), ['Effect', 'Action', 'Resource']);
  const deny = s[2].children!;
  const action = deny.find((c) => c.name === 'Action')!;
  assert.deepEqual(action.children?.map((c) => c.name), ['iot:Subscribe', 'iot:Receive', 'iot:Connect']);
  assert.equal(textAt(text, action.children![0].range), '"iot:Subscribe"');
});

test('symbols: named by Sid, long lists and long resources shortened', () => {
  const long = `${ARN}:topic/` + 'very/long/topic/name/that/goes/on/and/on/*';
  const text = policy([
    { Sid: 'DeviceTelemetry', Effect: 'Allow', Action: 'iot:Publish', Resource: long },
    { Effect: 'Allow', Action: 'iot:Publish', Resource: long },
  ]);
  const s = symbols(text);
  assert.equal(s[1].name, 'DeviceTelemetry');
  assert.equal(s[1].detail?.startsWith('Allow iot:Publish → topic/very/long/'), true);
  assert.ok(s[2].name.endsWith('…'), s[2].name);
  assert.ok(s[2].name.length < 60, s[2].name);
});

test('symbols: condition children with operators and keys', () => {
  const text = policy([
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
  ]);
  const s = symbols(text);
  assert.equal(s[1].name, 'Allow iot:Connect → client/${ThingName}');
  const cond = s[1].children!.find((c) => c.name === 'Condition')!;
  assert.equal(cond.children![0].name, 'Bool');
  assert.equal(cond.children![0].children![0].name, 'iot:Connection.Thing.IsAttached');
  assert.equal(cond.children![0].children![0].detail, 'true');
});

test('symbols: every selection range lies in its range, every name non-empty, ranges inside the document', () => {
  const texts = [
    policy([{ Effect: 'Allow', Action: [], Resource: [] }, { Sid: '', Effect: 'Allow' }]),
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Pub',
    '{"Statement": {"Effect": "Deny", "NotAction": "iot:Connect", "NotResource": "*", "Condition": {"": {"": 1}}}}',
    '{"Statement": [1, "x", null]}',
    '',
    '[]',
  ];
  for (const text of texts) {
    const d = doc(text);
    const end = d.positionAt(text.length);
    walk(symbols(text), (sym) => {
      assert.ok(sym.name.length > 0, `empty name in ${text}`);
      assert.ok(contains(sym.range, sym.selectionRange), `selection outside range: ${sym.name}`);
      assert.ok(contains({ start: { line: 0, character: 0 }, end }, sym.range), `range outside the document: ${sym.name}`);
    });
  }
  assert.equal(symbols('{"Statement": {"Effect": "Deny", "NotAction": "iot:Connect", "NotResource": "*"}}')[0].name, 'Deny not iot:Connect → not *');
  assert.deepEqual(symbols('{"Statement": [1]}').map((x) => x.name), ['Statement 1']);
  assert.deepEqual(symbols('{"Statement": [{"Effect": "Allow"}]}').map((x) => x.name), ['Allow (no action) → (no resource)']);
  assert.deepEqual(symbols('{"Statement": [{"Effect": "Allow", "Action": "", "Resource": [" "]}]}').map((x) => x.name), ['Allow (no action) → (no resource)']);
});

test('symbols: past 5,000 in a policy, statements are listed without children', () => {
  const statements = Array.from({ length: 1500 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${ARN}:topic/t${i}` }));
  const text = policy(statements);
  const list = symbols(text).filter((s) => s.name.startsWith('S'));
  assert.equal(list.length, 1500, 'every statement is in the outline');
  let total = 0;
  walk(list, () => total++);
  assert.ok(total > 5000 && total < 5000 + 1500, `${total} symbols`);
  assert.ok(list[0].children?.length, 'the first statements keep their children');
  assert.equal(list[1499].children?.length ?? 0, 0, 'the last ones are listed alone');
  assert.equal(list[1499].detail, 'Allow iot:Publish, iot:Receive → topic/t1499');
  // A small policy is not cut.
  const small = symbols(policy(statements.slice(0, 10))).filter((s) => s.name.startsWith('S'));
  assert.ok(small.every((s) => s.children?.length));
});
