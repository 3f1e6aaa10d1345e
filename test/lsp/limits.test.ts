/**
 * A document far beyond any policy, over LSP: its diagnostics still arrive (at most 1,000, then a
 * notice with the count of the rest), and the server keeps answering.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HoverRequest } from 'vscode-languageserver/node';
import { startClient, type TestClient } from './harness';

describe('documents beyond the analysis limits', () => {
  let client: TestClient;
  before(async () => (client = await startClient()));
  after(() => client.dispose());

  test('200,000 empty statements: 1,000 diagnostics and a notice, then the server still answers', async () => {
    const uri = 'file:///ws/huge.iot-policy.json';
    const text = `{"Version": "2012-10-17", "Statement": [${Array(200_000).fill('{}').join(',')}]}`;
    await client.open(uri, text);
    const p = await client.waitForDiagnostics(uri, (x) => x.diagnostics.length > 0, 60_000);
    assert.equal(p.diagnostics.length, 1_002);
    // 10,000 statements modelled, each empty one a finding: 1,000 shown, 9,001 counted.
    assert.deepEqual(p.diagnostics.filter((d) => d.code === 'analysis-limit').map((d) => d.message.split(':')[0]), [
      'This policy has 200,000 statements',
      '9,001 more problems are not shown',
    ]);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 45 } });
    assert.ok(hover === null || typeof hover === 'object');
  });
});
