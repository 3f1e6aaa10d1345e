/**
 * Issue 4's must-show, end to end over a real process: an outside LSP client talks to
 * `npx iot-policy-language-server --stdio` about a policy that grants `iot:Subscribe` on a
 * `topic/` ARN, and gets the diagnostic, hovers, completions and a quick fix that clears it.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeAction,
  CompletionItem,
  CompletionList,
  createProtocolConnection,
  Diagnostic,
  Hover,
  MarkupContent,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  TextEdit,
} from 'vscode-languageserver/node';

const ROOT = join(__dirname, '..', '..', '..');
const URI = 'file:///outside/device.iot-policy.json';
const ARN = 'arn:aws:iot:eu-west-1:493812760155';
const POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iot:Connect",
      "Resource": "${ARN}:client/\${iot:Connection.Thing.ThingName}",
      "Condition": { "Bool": { "iot:Connection.Thing.IsAttached": "true" } }
    },
    {
      "Effect": "Allow",
      "Action": ["iot:Subscribe", "iot:Receive"],
      "Resource": "${ARN}:topic/fleet/\${iot:Connection.Thing.ThingName}/cmd"
    },
    {
      "Effect": "Allow",
      "Action": "iot:Subscribe",
      "Resource": "${ARN}:topic/fleet/\${iot:Connection.Thing.ThingName}/status"
    }
  ]
}
`;

function deadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

function markdown(h: Hover | null): string {
  const c = h?.contents;
  return c && typeof c === 'object' && 'value' in c ? (c as MarkupContent).value : JSON.stringify(c);
}

test('an outside client gets diagnostics, hovers, completions and a working quick fix from `npx iot-policy-language-server --stdio`', async () => {
  const child = spawn('npx', ['--no-install', 'iot-policy-language-server', '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of waiters.splice(0)) w();
  });
  conn.onRequest('workspace/configuration', () => [{}]);
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const diagnosticsFor = async (version: number, accept: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> => {
    for (;;) {
      const last = [...published].reverse().find((p) => p.uri === URI);
      if (last && (last.version === undefined || last.version >= version) && accept(last.diagnostics)) return last.diagnostics;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  try {
    const init = await deadline(
      conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        workspaceFolders: null,
        capabilities: {
          textDocument: {
            publishDiagnostics: { relatedInformation: true, versionSupport: true },
            hover: { contentFormat: ['markdown', 'plaintext'] },
            completion: { completionItem: { snippetSupport: false } },
            codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
          },
        },
        initializationOptions: { diagnosticDelay: 0, warmUp: false },
      }),
      15000,
      'initialize',
    );
    assert.equal((init as { serverInfo?: { name: string } }).serverInfo?.name, 'iot-policy-language-server');
    await conn.sendNotification('initialized', {});
    let doc = TextDocument.create(URI, 'json', 1, POLICY);
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'json', version: 1, text: POLICY } });

    // 1. resource-type-mismatch, with source set, on the `topic` of the Subscribe-only statement.
    // The Subscribe-only statement (the third) is the one to look at; the second mixes Subscribe and Receive.
    const third = doc.positionAt(POLICY.indexOf('"Action": "iot:Subscribe"')).line;
    const inThird = (x: Diagnostic) => x.code === 'resource-type-mismatch' && x.range.start.line > third;
    const diags = await deadline(diagnosticsFor(1, (d) => d.some(inThird)), 10000, 'resource-type-mismatch');
    const mismatch = diags.find(inThird)!;
    assert.equal(doc.getText(mismatch.range), 'topic', 'the range is the resource type word');
    assert.equal(mismatch.source, 'iot-policy');
    assert.match(String(mismatch.message), /topicfilter/);

    // 2. Hover on the thing-name variable explains it.
    const varAt = doc.positionAt(POLICY.indexOf('${iot:Connection.Thing.ThingName}') + 10);
    const varHover = markdown(await conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: URI }, position: varAt }));
    assert.match(varHover, /iot:Connection\.Thing\.ThingName/);
    assert.match(varHover, /thing/i);
    assert.match(varHover, /attached/i);

    // 3. Hover on iot:Subscribe names topicfilter.
    const subAt = doc.positionAt(POLICY.indexOf('"iot:Subscribe"') + 6);
    assert.match(markdown(await conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: URI }, position: subAt })), /topicfilter/);

    // 4. A quick fix whose edit, applied, clears the diagnostic.
    const actions = await conn.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: mismatch.range,
      context: { diagnostics: [mismatch], only: ['quickfix'] },
    });
    const fix = actions.find((a) => a.kind === 'quickfix' && a.edit?.changes?.[URI]?.length);
    assert.ok(fix, `a quick fix for resource-type-mismatch: ${JSON.stringify(actions.map((a) => a.title))}`);
    const fixed = TextDocument.applyEdits(doc, fix!.edit!.changes![URI] as TextEdit[]);
    assert.ok(fixed.includes('topicfilter/fleet/${iot:Connection.Thing.ThingName}/status'), fixed);
    doc = TextDocument.create(URI, 'json', 2, fixed);
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 2 }, contentChanges: [{ text: fixed }] });
    await deadline(diagnosticsFor(2, (d) => !d.some(inThird)), 10000, 'the diagnostic clears');

    // 5. Completion after `${iot:Connection.Thing.` offers the thing variables.
    const partial = fixed.replace('/cmd"', '/${iot:Connection.Thing."');
    const cursor = partial.indexOf('${iot:Connection.Thing."') + '${iot:Connection.Thing.'.length;
    doc = TextDocument.create(URI, 'json', 3, partial);
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 3 }, contentChanges: [{ text: partial }] });
    const varItems = await conn.sendRequest<CompletionList | CompletionItem[]>('textDocument/completion', { textDocument: { uri: URI }, position: doc.positionAt(cursor) });
    const varLabels = (Array.isArray(varItems) ? varItems : varItems.items).map((i) => i.label);
    for (const want of ['ThingName', 'ThingTypeName', 'IsAttached', 'Attributes']) {
      assert.ok(varLabels.some((l) => l.includes(want)), `${want} in ${JSON.stringify(varLabels)}`);
    }

    // 6. Completion in Action offers the data-plane actions.
    const actionText = fixed.replace('"Action": "iot:Connect"', '"Action": "iot:"');
    const actionAt = actionText.indexOf('"Action": "iot:"') + '"Action": "iot:'.length;
    doc = TextDocument.create(URI, 'json', 4, actionText);
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 4 }, contentChanges: [{ text: actionText }] });
    const actItems = await conn.sendRequest<CompletionList | CompletionItem[]>('textDocument/completion', { textDocument: { uri: URI }, position: doc.positionAt(actionAt) });
    const actLabels = (Array.isArray(actItems) ? actItems : actItems.items).map((i) => i.label);
    for (const want of ['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive', 'iot:UpdateThingShadow', 'iotjobsdata:DescribeJobExecution']) {
      assert.ok(actLabels.includes(want), `${want} in ${JSON.stringify(actLabels)}`);
    }
    assert.ok(!actLabels.includes('iot:CreateThing'), 'control-plane actions are not offered');

    await deadline(conn.sendRequest('shutdown'), 5000, 'shutdown');
    await conn.sendNotification('exit');
  } catch (err) {
    if (stderr) console.error(stderr);
    throw err;
  } finally {
    conn.dispose();
    child.kill();
  }
});
