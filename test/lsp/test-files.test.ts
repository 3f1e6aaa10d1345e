import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CodeLensRequest, DiagnosticSeverity, type CodeLens } from 'vscode-languageserver/node';
import { startClient, type PublishDiagnosticsParams, type TestClient } from './harness';
import type { ServerRuntime } from '../../server/src/server';
import type { AuthorizationAction, EvaluateResult, RunTestFileResult } from '../../shared/src/protocol';

const DIR = 'file:///ws/authz';
const POLICY = `${DIR}/device.iot-policy.json`;
const DENY_POLICY = `${DIR}/deny.iot-policy.json`;
const TEST_FILE = `${DIR}/device.iot-policy-test.json`;

const ARN = 'arn:aws:iot:eu-west-1:493812760155';
const POLICY_TEXT = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ConnectAsThing",
      "Effect": "Allow",
      "Action": "iot:Connect",
      "Resource": "${ARN}:client/\${iot:Connection.Thing.ThingName}"
    },
    {
      "Sid": "PublishOwnTelemetry",
      "Effect": "Allow",
      "Action": "iot:Publish",
      "Resource": "${ARN}:topic/\${iot:Connection.Thing.ThingName}/telemetry/*"
    }
  ]
}
`;
const DENY_TEXT = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Deny", "Action": "iot:Publish", "Resource": "${ARN}:topic/t1/telemetry/secret" }
  ]
}
`;

function testFile(policies: string[], cases: { name: string; action: string; resource: string; thing?: string; expect: string }[]): string {
  return JSON.stringify(
    {
      policies,
      cases: cases.map((c) => ({
        name: c.name,
        request: { action: c.action, resource: c.resource, context: { 'iot:ClientId': c.thing ?? 't1', 'iot:Connection.Thing.ThingName': c.thing ?? 't1' } },
        expect: c.expect,
      })),
    },
    null,
    2,
  );
}

const CASES = [
  { name: 'connects as itself', action: 'iot:Connect', resource: `${ARN}:client/t1`, expect: 'Allow' },
  { name: 'publishes telemetry', action: 'iot:Publish', resource: `${ARN}:topic/t1/telemetry/temp`, expect: 'Allow' },
  { name: 'wrongly expects a deny', action: 'iot:Publish', resource: `${ARN}:topic/t1/telemetry/x`, expect: 'Deny' },
];

function runtimeWith(files: Record<string, string>): ServerRuntime & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async readFile(uri) {
      reads.push(uri);
      return Object.prototype.hasOwnProperty.call(files, uri) ? files[uri] : undefined;
    },
  };
}

const failures = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === 'policy-test-failed');

describe('policy test files', () => {
  let client: TestClient;
  let runtime: ReturnType<typeof runtimeWith>;
  before(async () => {
    runtime = runtimeWith({ [POLICY]: POLICY_TEXT, [DENY_POLICY]: DENY_TEXT });
    client = await startClient({ runtime });
  });
  after(() => client.dispose());

  test('advertises one code lens provider', () => {
    assert.deepEqual(client.initializeResult.capabilities.codeLensProvider, { resolveProvider: false });
  });

  test('a failing case gets a diagnostic on its expect value naming the deciding statement, related to it in the policy', async () => {
    const text = testFile(['device.iot-policy.json'], CASES);
    await client.open(TEST_FILE, text);
    const p = await client.waitForDiagnostics(TEST_FILE, (x) => failures(x).length > 0);
    const f = failures(p);
    assert.equal(f.length, 1, JSON.stringify(p.diagnostics));
    const d = f[0];
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.equal(d.source, 'iot-policy');
    assert.match(d.message, /wrongly expects a deny/);
    assert.match(d.message, /expected Deny, got Allow/);
    assert.match(d.message, /statement 2 \("PublishOwnTelemetry"\) \(Allow\) of device\.iot-policy\.json, line 10/);
    // The range is the "Deny" value of the third case.
    const lines = text.split('\n');
    assert.equal(lines[d.range.start.line].slice(d.range.start.character, d.range.end.character), '"Deny"');
    const rel = d.relatedInformation ?? [];
    assert.equal(rel.length, 1);
    assert.equal(rel[0].location.uri, POLICY);
    assert.equal(rel[0].location.range.start.line, 9, 'the second statement starts on line 10');
    assert.ok(runtime.reads.includes(POLICY), 'the closed policy was read from disk');
  });

  test('code lenses: "Run N cases" with the uri, then one per case with its result', async () => {
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: TEST_FILE } })) as CodeLens[];
    assert.equal(lenses.length, 4);
    assert.equal(lenses[0].command?.title, '▶ Run 3 cases');
    assert.equal(lenses[0].command?.command, 'iotPolicy.runTestFile');
    assert.deepEqual(lenses[0].command?.arguments, [TEST_FILE]);
    assert.equal(lenses[0].range.start.line, 0);
    assert.match(lenses[1].command?.title ?? '', /passed: Allow, decided by statement 1 \("ConnectAsThing"\)/);
    assert.match(lenses[3].command?.title ?? '', /failed: expected Deny, got Allow/);
    assert.ok(lenses[1].range.start.line < lenses[2].range.start.line && lenses[2].range.start.line < lenses[3].range.start.line);
  });

  test('iotPolicy/runTestFile answers the counts and the cases', async () => {
    const r = (await client.connection.sendRequest('iotPolicy/runTestFile', { uri: TEST_FILE })) as RunTestFileResult;
    assert.equal(r.passed, 2);
    assert.equal(r.failed, 1);
    assert.deepEqual(r.cases.map((c) => c.passed), [true, true, false]);
    assert.deepEqual(r.problems, []);
  });

  test('an unsaved edit of an open policy re-runs the test file (the failing case now passes)', async () => {
    const since = client.published.length;
    // The open policy no longer allows telemetry on "x": the case expecting a deny passes.
    await client.open(POLICY, POLICY_TEXT.replace('/telemetry/*', '/telemetry/temp'));
    const p = await client.waitForDiagnostics(TEST_FILE, (x) => failures(x).length > 0 || x.diagnostics.length === 0, 5000, since);
    assert.deepEqual(failures(p).map((d) => d.message.split('\n')[0]), []);
    const r = (await client.connection.sendRequest('iotPolicy/runTestFile', { uri: TEST_FILE })) as RunTestFileResult;
    assert.deepEqual([r.passed, r.failed], [3, 0]);
    // Closing the policy reverts to the file on disk: the case fails again.
    const since2 = client.published.length;
    await client.close(POLICY);
    await client.waitForDiagnostics(TEST_FILE, (x) => failures(x).length === 1, 5000, since2);
  });

  test('a deny in a second policy wins; the diagnostic names that policy', async () => {
    const since = client.published.length;
    const text = testFile(['device.iot-policy.json', 'deny.iot-policy.json'], [
      { name: 'secret is allowed?', action: 'iot:Publish', resource: `${ARN}:topic/t1/telemetry/secret`, expect: 'Allow' },
    ]);
    await client.change(TEST_FILE, text, 2);
    const p = await client.waitForDiagnostics(TEST_FILE, (x) => x.version === 2 && failures(x).length > 0, 5000, since);
    const d = failures(p)[0];
    assert.match(d.message, /expected Allow, got ExplicitDeny, decided by statement 1 \(Deny\) of deny\.iot-policy\.json, line 4/);
    assert.ok(d.relatedInformation?.some((r) => r.location.uri === DENY_POLICY && r.location.range.start.line === 3));
  });

  test('an unknown policy file and a bad request are diagnostics of the test file', async () => {
    const since = client.published.length;
    const text = JSON.stringify(
      {
        policies: ['missing.iot-policy.json'],
        cases: [{ name: 'no action', request: { resource: `${ARN}:client/t1` }, expect: 'Allow' }],
      },
      null,
      2,
    );
    await client.change(TEST_FILE, text, 3);
    const p = await client.waitForDiagnostics(TEST_FILE, (x) => x.version === 3, 5000, since);
    const missing = p.diagnostics.find((d) => /policy file "missing\.iot-policy\.json" not found/.test(d.message));
    assert.ok(missing, JSON.stringify(p.diagnostics));
    const lines = text.split('\n');
    assert.equal(lines[missing.range.start.line].slice(missing.range.start.character, missing.range.end.character), '"missing.iot-policy.json"');
    assert.ok(p.diagnostics.some((d) => /no action: "action" must be a non-empty string/.test(d.message)), JSON.stringify(p.diagnostics));
  });

  test('broken JSON never crashes the server; closing clears the diagnostics', async () => {
    const since = client.published.length;
    await client.change(TEST_FILE, '{"policies": [', 4);
    const p = await client.waitForDiagnostics(TEST_FILE, (x) => x.version === 4, 5000, since);
    assert.ok(p.diagnostics.some((d) => /JSON syntax error/.test(d.message)));
    const since2 = client.published.length;
    await client.close(TEST_FILE);
    const cleared = await client.waitForDiagnostics(TEST_FILE, undefined, 5000, since2);
    assert.deepEqual(cleared.diagnostics, []);
  });
});

describe('iotPolicy/evaluate', () => {
  let client: TestClient;
  before(async () => {
    client = await startClient({ runtime: runtimeWith({ [DENY_POLICY]: DENY_TEXT }) });
  });
  after(() => client.dispose());

  const ctx = { 'iot:ClientId': 't1', 'iot:Connection.Thing.ThingName': 't1' };

  test('evaluates against an open (unsaved) policy and answers the deciding statement with its range and uri', async () => {
    await client.open(POLICY, POLICY_TEXT);
    const r = (await client.connection.sendRequest('iotPolicy/evaluate', {
      policyUris: [POLICY],
      request: { action: 'iot:Publish', resource: `${ARN}:topic/t1/telemetry/temp`, context: ctx },
    })) as EvaluateResult;
    assert.equal(r.decision, 'Allow');
    assert.equal(r.deciding?.statementIndex, 1);
    assert.equal(r.deciding?.sid, 'PublishOwnTelemetry');
    assert.equal(r.deciding?.uri, POLICY);
    assert.equal(r.deciding?.range.start.line, 9);
    assert.match(r.decidingLabel ?? '', /statement 2 \("PublishOwnTelemetry"\) \(Allow\), line 10/);
  });

  test('an unresolved variable: implicit deny with a note', async () => {
    const r = (await client.connection.sendRequest('iotPolicy/evaluate', {
      policyUris: [POLICY],
      request: { action: 'iot:Publish', resource: `${ARN}:topic/t1/telemetry/temp`, context: { 'iot:ClientId': 't1' } },
    })) as EvaluateResult;
    assert.equal(r.decision, 'ImplicitDeny');
    assert.equal(r.deciding, undefined);
    assert.ok(r.notes.some((n) => n.includes('iot:Connection.Thing.ThingName')), r.notes.join('\n'));
  });

  test('a Deny in a policy read from disk wins over the open policy', async () => {
    const r = (await client.connection.sendRequest('iotPolicy/evaluate', {
      policyUris: [POLICY, DENY_POLICY],
      request: { action: 'iot:Publish', resource: `${ARN}:topic/t1/telemetry/secret`, context: ctx },
    })) as EvaluateResult;
    assert.equal(r.decision, 'ExplicitDeny');
    assert.equal(r.deciding?.uri, DENY_POLICY);
    assert.equal(r.matched.length, 2);
  });

  test('bad input is an InvalidParams error, not a crash', async () => {
    await assert.rejects(client.connection.sendRequest('iotPolicy/evaluate', { policyUris: [POLICY], request: { action: 1 } }), /invalid request/);
    await assert.rejects(client.connection.sendRequest('iotPolicy/evaluate', { policyUris: [], request: {} }), /policyUris/);
    await assert.rejects(client.connection.sendRequest('iotPolicy/evaluate', null), /policyUris/);
    await assert.rejects(
      client.connection.sendRequest('iotPolicy/evaluate', { policyUris: ['file:///nowhere.json'], request: { action: 'iot:Connect', resource: '*' } }),
      /cannot read/,
    );
  });

  test('a document that is not a JSON policy is an error, not an implicit deny', async () => {
    const c = await startClient({ runtime: runtimeWith({ [`${DIR}/notes.json`]: 'Statement: allow everything', [`${DIR}/list.json`]: '[1, 2]' }) });
    try {
      const request = { action: 'iot:Connect', resource: `${ARN}:client/t1` };
      await assert.rejects(c.connection.sendRequest('iotPolicy/evaluate', { policyUris: [`${DIR}/notes.json`], request }), /notes\.json is not valid JSON: .* at line 1, column 1/);
      await assert.rejects(c.connection.sendRequest('iotPolicy/evaluate', { policyUris: [`${DIR}/list.json`], request }), /list\.json must be a JSON object with "Statement"/);
    } finally {
      c.dispose();
    }
  });

  test('many documents: each read once, named apart, evaluated together', async () => {
    // 3,000 documents with one base name (naming them used to be quadratic) and one named twice.
    const reads: string[] = [];
    const c = await startClient({
      runtime: {
        async readFile(uri) {
          reads.push(uri);
          return /^file:\/\/\/many\/d\d+\/p\.json$/.test(uri) ? POLICY_TEXT : undefined;
        },
      },
    });
    try {
      const uris = Array.from({ length: 3000 }, (_, i) => `file:///many/d${i}/p.json`);
      const r = (await c.connection.sendRequest('iotPolicy/evaluate', {
        policyUris: [...uris, uris[0]],
        request: { action: 'iot:Publish', resource: `${ARN}:topic/t1/telemetry/temp`, context: ctx },
      })) as EvaluateResult;
      assert.equal(r.decision, 'Allow');
      assert.equal(r.matched.length, 3000);
      assert.equal(new Set(r.matched.map((m) => m.policy)).size, 3000, 'every document has its own name');
      assert.equal(r.matched[2999].policy, 'p.json (3000)');
      assert.equal(r.matched[2999].uri, uris[2999]);
      assert.equal(reads.length, 3000, 'the repeated document is read once');
    } finally {
      c.dispose();
    }
  });

  test('iotPolicy/authorizationActions answers the catalogue\'s actions with their resource types', async () => {
    const actions = (await client.connection.sendRequest('iotPolicy/authorizationActions')) as AuthorizationAction[];
    const publish = actions.find((a) => a.name === 'iot:Publish');
    assert.deepEqual(publish?.resourceTypes, ['topic']);
    assert.ok(publish.description && publish.resourceName, JSON.stringify(publish));
    assert.deepEqual(actions.find((a) => a.name === 'iot:Connect')?.resourceTypes, ['client']);
    assert.ok(actions.length > 10, `${actions.length} actions`);
  });

  test('policy documents get the size lens', async () => {
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: POLICY } })) as CodeLens[];
    assert.equal(lenses.length, 1);
    assert.match(lenses[0].command?.title ?? '', /^Policy size: \d+ \/ 2048 characters/);
  });

  test('documents that are neither get no lenses', async () => {
    await client.open('file:///ws/package.json', '{"name": "x"}');
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: 'file:///ws/package.json' } });
    assert.deepEqual(lenses, []);
  });
});
