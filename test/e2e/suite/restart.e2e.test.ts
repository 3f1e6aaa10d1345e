import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { closeAllEditors, codeOf, EXTENSION_ID, openFixture, replaceText, waitForDiagnostics } from '../helpers';

interface Api {
  serverStatus(): Promise<{ pid: number; policyDocuments: number } | undefined>;
  onDidChangeState: vscode.Event<{ oldState: number; newState: number }>;
}

const RUNNING = 2;

/** Resolves when the client reports the server running again; rejects after the deadline. */
function nextRunning(api: Api, timeoutMs = 20000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`the server was not restarted within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = api.onDidChangeState((e) => {
      if (e.newState === RUNNING) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
}

suite('server restarts', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await closeAllEditors();
  });

  test('the server is restarted every time it dies (more often than the default handler allows)', async () => {
    const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
    assert.ok(ext);
    const api = await ext.activate();
    const editor = await openFixture('with-comment.jsonc');
    await waitForDiagnostics(editor.document.uri, (d) => d.some((x) => codeOf(x) === 'json-syntax'), 15000, 'json-syntax');
    const pids = new Set<number>();
    // vscode-languageclient's default handler gives up after 5 crashes in 3 minutes.
    for (let i = 0; i < 6; i++) {
      const status = await api.serverStatus();
      assert.ok(status, `server running before kill ${i + 1}`);
      assert.ok(!pids.has(status.pid), 'a new process each time');
      pids.add(status.pid);
      const running = nextRunning(api);
      process.kill(status.pid, 'SIGKILL');
      await running;
    }
    const status = await api.serverStatus();
    assert.ok(status && !pids.has(status.pid));
    // The new server has the document (re-sent on restart) and follows edits: a new finding
    // appears, then clears.
    await replaceText(editor, '"2012-10-17"', '"2013-01-01"');
    await waitForDiagnostics(editor.document.uri, (d) => d.some((x) => codeOf(x) === 'invalid-version'), 15000, 'invalid-version from the restarted server');
    await replaceText(editor, '"2013-01-01"', '"2012-10-17"');
    await waitForDiagnostics(editor.document.uri, (d) => !d.some((x) => codeOf(x) === 'invalid-version'), 15000, 'invalid-version to clear');
  });
});
