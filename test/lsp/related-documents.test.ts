/**
 * Policy test-file results in the `relatedDocuments` of a policy's diagnostic pull (LSP 3.17),
 * for clients that read them; pushed, as before, to every other client. Never both.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DocumentDiagnosticRequest,
  type ClientCapabilities,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type FullDocumentDiagnosticReport,
  type RelatedFullDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { PULL_CAPABILITIES, startClient, type TestClient } from './harness';
import type { ServerRuntime } from '../../server/src/server';
import { ServerStatusRequest } from '../../shared/src/protocol';

const DIR = 'file:///ws/related';
const POLICY = `${DIR}/device.iot-policy.json`;
const TEST_FILE = `${DIR}/device.iot-policy-test.json`;
const ARN = 'arn:aws:iot:eu-west-1:493812760155';

const policy = (telemetry: boolean) => `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": "iot:Connect", "Resource": "${ARN}:client/t1" }${telemetry ? `,
    { "Effect": "Allow", "Action": "iot:Publish", "Resource": "${ARN}:topic/t1/telemetry/*" }` : ''}
  ]
}
`;

const TEST_TEXT = JSON.stringify(
  {
    policies: ['device.iot-policy.json'],
    cases: [
      { name: 'connects', request: { action: 'iot:Connect', resource: `${ARN}:client/t1` }, expect: 'Allow' },
      { name: 'publishes telemetry', request: { action: 'iot:Publish', resource: `${ARN}:topic/t1/telemetry/temp` }, expect: 'Allow' },
    ],
  },
  null,
  2,
);

const RELATED_CAPABILITIES: ClientCapabilities = {
  ...PULL_CAPABILITIES,
  textDocument: { ...PULL_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false, relatedDocumentSupport: true } },
};

function runtimeWith(files: Record<string, string>): ServerRuntime {
  return { readFile: async (uri) => (Object.prototype.hasOwnProperty.call(files, uri) ? files[uri] : undefined) };
}

/** The names of the failing cases in a list of diagnostics. */
const failing = (items: Diagnostic[]) =>
  items.filter((d) => d.code === 'policy-test-failed').map((d) => /^"([^"]+)"/.exec(String(d.message))?.[1]).sort();

describe('relatedDocuments: test-file results in the policy pull', () => {
  let client: TestClient;
  let refreshes = 0;
  before(async () => {
    client = await startClient({ capabilities: RELATED_CAPABILITIES, runtime: runtimeWith({ [POLICY]: policy(true) }) });
    client.connection.onRequest('workspace/diagnostic/refresh', () => {
      refreshes++;
      return null;
    });
  });
  after(() => client.dispose());

  const pull = (uri: string) => client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }) as Promise<DocumentDiagnosticReport>;
  /** A round trip: every message the server sent before it has arrived. */
  const settle = () => client.connection.sendRequest(ServerStatusRequest.type);

  test('declares inter-file dependencies, so the client pulls test files again when a policy changes', () => {
    assert.equal(client.initializeResult.capabilities.diagnosticProvider?.interFileDependencies, true);
  });

  test('the test file\'s own pull carries its case results, and nothing is pushed for it', async () => {
    await client.open(POLICY, policy(true));
    await client.open(TEST_FILE, TEST_TEXT);
    const own = (await pull(TEST_FILE)) as RelatedFullDocumentDiagnosticReport;
    assert.equal(own.kind, 'full');
    assert.deepEqual(failing(own.items), []);
    await client.change(POLICY, policy(false), 2);
    const again = (await pull(TEST_FILE)) as RelatedFullDocumentDiagnosticReport;
    assert.deepEqual(failing(again.items), ['publishes telemetry']);
    await settle();
    assert.deepEqual(client.published.filter((p) => p.uri === TEST_FILE), []);
  });

  test('a policy edit answers, with the policy\'s pull, the cases it breaks and the cases it fixes', async () => {
    await client.change(POLICY, policy(true), 3);
    const fixed = (await pull(POLICY)) as RelatedFullDocumentDiagnosticReport;
    const related = fixed.relatedDocuments?.[TEST_FILE] as FullDocumentDiagnosticReport | undefined;
    assert.ok(related, `relatedDocuments: ${JSON.stringify(fixed.relatedDocuments)}`);
    assert.equal(related.kind, 'full');
    assert.deepEqual(failing(related.items), []);

    await client.change(POLICY, policy(false), 4);
    const broken = (await pull(POLICY)) as RelatedFullDocumentDiagnosticReport;
    const r2 = broken.relatedDocuments?.[TEST_FILE] as FullDocumentDiagnosticReport | undefined;
    assert.deepEqual(failing(r2?.items ?? []), ['publishes telemetry']);
    // The policy's own findings stay in its items, not in the test file's.
    assert.ok(!broken.items.some((d) => d.code === 'policy-test-failed'));
    await settle();
    assert.deepEqual(client.published.filter((p) => p.uri === TEST_FILE), []);
  });

  test('closing the policy reverts the test file to the policy on disk and asks the client to pull again', async () => {
    const before = refreshes;
    await client.close(POLICY); // the file on disk allows telemetry: the failure goes away
    const deadline = Date.now() + 5000;
    while (refreshes === before && Date.now() < deadline) await settle();
    assert.ok(refreshes > before, 'no workspace/diagnostic/refresh after the policy closed');
    assert.deepEqual(failing(((await pull(TEST_FILE)) as RelatedFullDocumentDiagnosticReport).items), []);
  });

  test('a document no test file names has no relatedDocuments', async () => {
    const other = `${DIR}/other.iot-policy.json`;
    await client.open(other, policy(true));
    const report = (await pull(other)) as RelatedFullDocumentDiagnosticReport;
    assert.equal(report.relatedDocuments, undefined);
    await client.close(other);
  });
});

describe('relatedDocuments: clients that do not read them keep pushed test-file results', () => {
  let client: TestClient;
  before(async () => {
    client = await startClient({ capabilities: PULL_CAPABILITIES, runtime: runtimeWith({ [POLICY]: policy(false) }) });
  });
  after(() => client.dispose());

  test('no inter-file dependencies declared, results pushed once, none in the pull', async () => {
    assert.equal(client.initializeResult.capabilities.diagnosticProvider?.interFileDependencies, false);
    await client.open(POLICY, policy(false));
    await client.open(TEST_FILE, TEST_TEXT);
    const pushed = await client.waitForDiagnostics(TEST_FILE, (p) => p.diagnostics.some((d) => d.code === 'policy-test-failed'));
    assert.deepEqual(failing(pushed.diagnostics as Diagnostic[]), ['publishes telemetry']);
    const policyReport = (await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: POLICY } })) as RelatedFullDocumentDiagnosticReport;
    assert.equal(policyReport.relatedDocuments, undefined);
    const own = (await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: TEST_FILE } })) as RelatedFullDocumentDiagnosticReport;
    assert.deepEqual(failing(own.items), []);
  });
});
