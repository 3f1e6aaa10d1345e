/**
 * Templates over LSP, in process: a CloudFormation YAML template, a JSON template, a
 * `serverless.yml` and a `cdk.out` template get diagnostics at template positions, hover,
 * completion that writes `${!iot:...}` inside `!Sub`, quick fixes that keep the YAML valid, one
 * outline entry per policy and a size lens per policy. Other YAML gets nothing.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DocumentSymbolRequest,
  HoverRequest,
  type CompletionItem,
  type CompletionList,
  type DocumentSymbol,
  type MarkupContent,
  type TextEdit,
} from 'vscode-languageserver/node';
import { parseDocument } from 'yaml';
import { withMarkers } from '../util/markers';
import { described, startClient, type TestClient } from './harness';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'templates');
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

describe('templates over LSP', () => {
  let client: TestClient;
  before(async () => (client = await startClient()));
  after(() => client.dispose());

  test('a YAML template gets its findings at template positions, each once', async () => {
    const uri = 'file:///ws/infra/device-policy.yaml';
    const text = fixture('device-policy.yaml');
    await client.open(uri, text, 'yaml');
    const p = await client.waitForDiagnostics(uri, (x) => x.diagnostics.length > 0);
    assert.deepEqual(described(text, p.diagnostics), [
      'sub-variable-not-escaped 26:102 "${iot:ClientId}"',
      'resource-type-mismatch 29:87 "topic"',
      'pseudo-parameter-outside-sub 32:35 "${AWS::Region}"',
      'pseudo-parameter-outside-sub 32:50 "${AWS::AccountId}"',
      'escape-outside-sub 32:74 "${!iot:Connection.Thing.ThingName}"',
    ]);
  });

  test('the quick fix of sub-variable-not-escaped writes the escape and keeps the YAML valid', async () => {
    const uri = 'file:///ws/infra/fix.yaml';
    const text = fixture('device-policy.yaml');
    await client.open(uri, text, 'yaml');
    const p = await client.waitForDiagnostics(uri, (x) => x.diagnostics.length > 0);
    const d = p.diagnostics.find((x) => x.code === 'sub-variable-not-escaped')!;
    const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } });
    const action = actions?.find((a) => 'edit' in a && a.isPreferred) as { edit: { changes: Record<string, TextEdit[]> } } | undefined;
    assert.ok(action, 'a preferred quick fix');
    const out = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), action.edit.changes[uri]);
    assert.deepEqual(parseDocument(out).errors, []);
    assert.equal(out, text.replace('${TopicPrefix}/${iot:ClientId}/telemetry', '${TopicPrefix}/${!iot:ClientId}/telemetry'));
  });

  test('hover on an action in YAML explains it', async () => {
    const uri = 'file:///ws/infra/hover.yaml';
    const text = fixture('device-policy.yaml');
    await client.open(uri, text, 'yaml');
    await client.waitForDiagnostics(uri);
    const doc = TextDocument.create(uri, 'yaml', 1, text);
    const position = doc.positionAt(text.indexOf('iot:Connect') + 5);
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    assert.match((h?.contents as MarkupContent).value, /iot:Connect/);
    assert.match((h?.contents as MarkupContent).value, /client/);
  });

  test('completion inside !Sub writes ${!iot:...}; in a plain string ${iot:...}', async () => {
    const source = [
      'Resources:', '  P:', '    Type: AWS::IoT::Policy', '    Properties:', '      PolicyDocument:', '        Statement:',
      '          - Effect: Allow', '            Action: iot:Publish',
      '            Resource:',
      '              - !Sub "arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/${|"',
      '              - "arn:aws:iot:eu-west-1:493812760155:topic/${|"', '',
    ].join('\n');
    const { text, offsets } = withMarkers(source);
    const uri = 'file:///ws/infra/complete.yaml';
    await client.open(uri, text, 'yaml');
    await client.waitForDiagnostics(uri);
    const doc = TextDocument.create(uri, 'yaml', 1, text);
    /** The document after accepting each item: the text around the cursor. */
    const accepted = async (offset: number): Promise<string[]> => {
      const r = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: doc.positionAt(offset) });
      const items = Array.isArray(r) ? r : (r as CompletionList).items;
      return items.map((i: CompletionItem) => {
        const edit: TextEdit = i.textEdit && 'range' in i.textEdit
          ? i.textEdit
          : { range: { start: doc.positionAt(offset), end: doc.positionAt(offset) }, newText: i.insertText ?? i.label };
        const out = TextDocument.applyEdits(doc, [edit]);
        return out.slice(offset - 8, out.indexOf('"', offset));
      });
    };
    const inSub = await accepted(offsets[0]);
    assert.ok(inSub.includes('topic/${!iot:Connection.Thing.ThingName}'), inSub.slice(0, 5).join(', '));
    assert.ok(!inSub.some((t) => t.includes('${iot:')), 'no unescaped variable offered in a Sub');
    const plain = await accepted(offsets[1]);
    assert.ok(plain.includes('topic/${iot:Connection.Thing.ThingName}'), plain.slice(0, 5).join(', '));
  });

  test('the outline has one entry per policy by logical id; a size lens per policy', async () => {
    const uri = 'file:///ws/infra/two.yaml';
    const text = [
      'AWSTemplateFormatVersion: "2010-09-09"', 'Resources:',
      '  DevicePolicy:', '    Type: AWS::IoT::Policy', '    Properties:', '      PolicyDocument:',
      '        Statement: [{ Effect: Allow, Action: iot:Connect, Resource: "*" }]',
      '  Bucket:', '    Type: AWS::S3::Bucket',
      '  AdminPolicy:', '    Type: AWS::IoT::Policy', '    Properties:', '      PolicyDocument:',
      '        Statement: [{ Effect: Allow, Action: "iot:*", Resource: "*" }]', '',
    ].join('\n');
    await client.open(uri, text, 'yaml');
    await client.waitForDiagnostics(uri);
    const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => [s.name, s.range.start.line + 1]), [['DevicePolicy', 3], ['AdminPolicy', 10]]);
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    assert.equal(lenses?.length, 2);
  });

  test('a JSON template and a serverless.yml are read; cdk.out messages carry the construct path', async () => {
    const json = 'file:///ws/infra/template.json';
    await client.open(json, fixture('template.json'), 'json');
    const j = await client.waitForDiagnostics(json, (x) => x.diagnostics.length > 0);
    assert.ok(j.diagnostics.some((d) => d.code === 'sub-variable-not-escaped'));
    const sls = 'file:///ws/svc/serverless.yml';
    await client.open(sls, fixture('serverless.yml'), 'yaml');
    const s = await client.waitForDiagnostics(sls, (x) => x.diagnostics.length > 0);
    assert.ok(s.diagnostics.some((d) => d.code === 'escape-outside-sub'));
    const cdk = 'file:///ws/cdk.out/DeviceStack.template.json';
    await client.open(cdk, fixture('cdk.out/DeviceStack.template.json'), 'json');
    const c = await client.waitForDiagnostics(cdk, (x) => x.diagnostics.length > 0);
    assert.ok(c.diagnostics.every((d) => d.message.endsWith(' (DeviceStack/DevicePolicy)')), c.diagnostics.map((d) => d.message).join('\n'));
  });

  test('YAML that is no template gets nothing', async () => {
    const uri = 'file:///ws/.github/workflows/ci.yml';
    const text = 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "iot:Connect ${!iot:ClientId}"\n';
    await client.open(uri, text, 'yaml');
    const marker = 'file:///ws/infra/after.yaml';
    await client.open(marker, fixture('device-policy.yaml'), 'yaml');
    await client.waitForDiagnostics(marker, (x) => x.diagnostics.length > 0);
    assert.deepEqual(client.published.filter((p) => p.uri === uri && p.diagnostics.length), []);
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 5, character: 20 } });
    assert.equal(h, null);
  });
});

describe('resource snippets for Terraform files over LSP', () => {
  let client: TestClient;
  before(async () => (client = await startClient({
    initializationOptions: { editor: 'vscode' },
    capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } },
  })));
  after(() => client.dispose());

  const labels = async (uri: string, languageId: string): Promise<string[]> => {
    await client.open(uri, 'provider "aws" {}\n\n', languageId);
    const r = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 2, character: 0 } });
    return (Array.isArray(r) ? r : (r as CompletionList).items).map((i) => i.label);
  };

  test('a plain-text .tf file gets aws_iot_policy resources at the top level', async () => {
    assert.ok((await labels('file:///ws/infra/plain.tf', 'plaintext')).includes('aws_iot_policy: device on its own topics'));
  });

  test('in VS Code\'s terraform language the extension\'s snippet file serves them: no duplicates', async () => {
    assert.deepEqual(await labels('file:///ws/infra/hashicorp.tf', 'terraform'), []);
  });
});
