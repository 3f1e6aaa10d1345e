/**
 * Policies held as JSON text in a string constant of a CDK app (no `CfnPolicy` around them), over
 * LSP in process: diagnostics at the characters of the file through the literal's escapes, never
 * on a substitution or a template placeholder; a quick fix written as JSON text inside the string,
 * escaped for it; hover and completion inside the JSON text; off with `iotPolicy.detectByContent`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionRequest,
  CompletionRequest,
  HoverRequest,
  type CompletionItem,
  type CompletionList,
  type MarkupContent,
  type TextEdit,
} from 'vscode-languageserver/node';
import { loadGrammars } from '../util/grammars';
import { withMarkers } from '../util/markers';
import { described, startClient, type TestClient } from './harness';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'cdk');
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

describe('policies in CDK string constants over LSP', () => {
  let client: TestClient;
  before(async () => {
    // As the Node server does at start (node/main.ts): the grammars from node_modules.
    await loadGrammars('typescript', 'python');
    client = await startClient();
  });
  after(() => client.dispose());

  test('a TypeScript constant: findings in place, none on ${...} or <%= ... %>', async () => {
    const uri = 'file:///ws/lib/policy-constants.ts';
    const text = fixture('policy-constants.ts');
    await client.open(uri, text, 'typescript');
    const p = await client.waitForDiagnostics(uri, (x) => x.diagnostics.length > 0);
    assert.deepEqual(described(text, p.diagnostics), [
      'connect-without-attached-thing 12:68 "\\\\${iot:Connection.Thing.ThingName}"',
      'resource-type-mismatch 17:59 "topicfilter"',
      'resource-type-mismatch 22:52 "topic"',
      'unknown-action 28:83 "iot:Publsh"',
    ]);
  });

  test('the quick fix is written inside the quoted string, its quote escaped as before', async () => {
    const uri = 'file:///ws/lib/fix-constants.ts';
    const text = fixture('policy-constants.ts');
    await client.open(uri, text, 'typescript');
    const p = await client.waitForDiagnostics(uri, (x) => x.diagnostics.length > 0);
    const d = p.diagnostics.find((x) => x.code === 'unknown-action')!;
    const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } });
    const action = actions?.find((a) => 'edit' in a && a.isPreferred) as { edit: { changes: Record<string, TextEdit[]> } } | undefined;
    assert.ok(action, 'a preferred quick fix');
    const out = TextDocument.applyEdits(TextDocument.create(uri, 'typescript', 1, text), action.edit.changes[uri]);
    assert.equal(out, text.replace('"iot:Publsh"', '"iot:Publish"'));
  });

  test('hover on an action in the JSON text of a template literal', async () => {
    const uri = 'file:///ws/lib/hover-constants.ts';
    const text = fixture('policy-constants.ts');
    await client.open(uri, text, 'typescript');
    await client.waitForDiagnostics(uri);
    const doc = TextDocument.create(uri, 'typescript', 1, text);
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: doc.positionAt(text.indexOf('iot:Receive') + 5) });
    assert.match((h?.contents as MarkupContent).value, /iot:Receive/);
  });

  test('completion of an action and of a key inside the JSON text, escaped for the literal', async () => {
    const source = [
      'export const p = \'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Pub|", "Resource": "arn:aws:iot:<%= region %>:*:topic/a"}]}\';',
      'export const q = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", Res|}]}`;',
      '',
    ].join('\n');
    const { text, offsets } = withMarkers(source);
    const uri = 'file:///ws/lib/complete-constants.ts';
    await client.open(uri, text, 'typescript');
    await client.waitForDiagnostics(uri);
    const doc = TextDocument.create(uri, 'typescript', 1, text);
    const accept = async (offset: number, label: string): Promise<string> => {
      const r = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: doc.positionAt(offset) });
      const items = Array.isArray(r) ? r : (r as CompletionList).items;
      const item = items.find((i: CompletionItem) => i.label === label);
      assert.ok(item && item.textEdit && 'range' in item.textEdit, `${label} offered: ${items.slice(0, 8).map((i) => i.label).join(', ')}`);
      return TextDocument.applyEdits(doc, [item.textEdit]).split('\n')[doc.positionAt(offset).line];
    };
    assert.match(await accept(offsets[0], 'iot:Publish'), /"Action": "iot:Publish", "Resource"/);
    assert.match(await accept(offsets[1], 'Resource'), /"iot:Connect", "Resource": ""\}\]\}`;$/);
  });

  test('a Python triple-quoted constant is read; detectByContent off reads none', async () => {
    const uri = 'file:///ws/app/policy_constants.py';
    const text = fixture('policy_constants.py');
    await client.open(uri, text, 'python');
    const p = await client.waitForDiagnostics(uri, (x) => x.diagnostics.length > 0);
    assert.deepEqual(described(text, p.diagnostics).filter((d) => d.startsWith('resource-type-mismatch')), [
      'resource-type-mismatch 8:61 "topicfilter"',
      'resource-type-mismatch 14:139 "topic"',
    ]);
    const since = client.published.length;
    await client.changeSettings({ detectByContent: false });
    const off = await client.waitForDiagnostics(uri, (x) => x.diagnostics.length === 0, undefined, since);
    assert.deepEqual(off.diagnostics, []);
    await client.changeSettings({ detectByContent: true });
  });
});
