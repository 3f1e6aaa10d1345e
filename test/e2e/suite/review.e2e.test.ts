/**
 * The review panel in a real VS Code: "Show Effective Permissions" opens the `explain` table beside
 * the policy and follows edits; "Compare with Git HEAD…" shows what a change newly allows, reading
 * HEAD through the built-in Git extension in a repository made here (outside the workspace, so no
 * fixture changes); "Compare with File…" compares with a file given as argument.
 */
import * as assert from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension } from '../helpers';
import { ARN, closeAllWithoutSaving, openPolicy, policy, THING } from './featureHelpers';

interface ReviewRender {
  params: { kind: string; uri: string };
  result: { kind: string; summary: string; problem?: string; sections: { action: string; rows: { change: string; resource: string; summary: string; witness?: { decisions: string } }[] }[] };
  html: string;
}

interface Api {
  reviewPanel(): ReviewRender | undefined;
  onDidRenderReview: vscode.Event<ReviewRender>;
}

/** Resolves with the first render that satisfies `predicate` (the current one included), with a deadline. */
function nextRender(api: Api, predicate: (r: ReviewRender) => boolean, what: string, timeoutMs = 15000): Promise<ReviewRender> {
  const now = api.reviewPanel();
  if (now && predicate(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const sub = api.onDidRenderReview((r) => {
      if (!predicate(r)) return;
      sub.dispose();
      clearTimeout(timer);
      resolve(r);
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; the panel shows ${api.reviewPanel()?.result.summary}`));
    }, timeoutMs);
  });
}

/** The review panel's tab, once the workbench lists it (it does so a moment after the panel is created). */
async function reviewTab(label: RegExp, timeoutMs = 10000): Promise<vscode.Tab> {
  const find = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && label.test(t.label));
  const deadline = Date.now() + timeoutMs;
  for (let tab = find(); ; tab = find()) {
    if (tab) return tab;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no tab labelled ${label}; tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)).join(', ')}`);
    await new Promise<void>((resolve) => {
      const sub = vscode.window.tabGroups.onDidChangeTabs(() => done());
      const timer = setTimeout(() => done(), Math.min(left, 500));
      function done(): void {
        sub.dispose();
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

const CONNECT = { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/${THING}` };

suite('review panel', () => {
  let api: Api;
  suiteSetup(async () => {
    api = (await activateExtension()).exports as Api;
  });
  teardown(closeAllWithoutSaving);

  test('Show Effective Permissions opens a table beside the policy, and an edit updates it', async () => {
    const editor = await openPolicy(policy([CONNECT]));
    const first = await vscode.commands.executeCommand<ReviewRender>('iotPolicy.showEffectivePermissions');
    assert.ok(first, 'the command returned nothing');
    assert.strictEqual(first.result.problem, undefined, first.result.summary);
    assert.deepStrictEqual(first.result.sections.map((s) => s.action), ['iot:Connect']);
    // Real HTML: a table per action with a caption and column headers, no script.
    assert.match(first.html, /<table><caption><code>iot:Connect<\/code><\/caption>/);
    for (const h of ['Resource', 'When', 'Except', 'From', 'Example request']) assert.ok(first.html.includes(`<th scope="col">${h}</th>`), `header ${h}`);
    assert.ok(first.html.includes(`<code>${ARN}:client/\${iot:Connection.Thing.ThingName}</code>`));
    assert.ok(!/<script/i.test(first.html), 'no script in the panel');
    const tab = await reviewTab(/^Effective Permissions: /);
    const policyGroup = vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === editor.document.uri.toString()));
    assert.notStrictEqual(tab.group.viewColumn, policyGroup?.viewColumn, 'beside the policy');

    // Typing a second statement: the panel follows.
    const publish = { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/${THING}/telemetry` };
    const whole = new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length));
    await editor.edit((b) => b.replace(whole, policy([CONNECT, publish])));
    const updated = await nextRender(api, (r) => r.result.sections.some((s) => s.action === 'iot:Publish'), 'the panel to show iot:Publish');
    assert.match(updated.html, /<caption><code>iot:Publish<\/code><\/caption>/);
    assert.match(updated.html, /telemetry/);
  });

  test('Compare with File… shows a newly allowed row with its witness', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iot-review-file-'));
    try {
      const base = join(dir, 'base.iot-policy.json');
      writeFileSync(base, policy([CONNECT]));
      await openPolicy(policy([{ ...CONNECT, Resource: `${ARN}:client/*` }]));
      const r = await vscode.commands.executeCommand<ReviewRender>('iotPolicy.compareWithFile', undefined, vscode.Uri.file(base));
      assert.ok(r);
      const rows = r.result.sections.flatMap((s) => s.rows);
      assert.strictEqual(rows.length, 1, r.result.summary);
      assert.strictEqual(rows[0].change, 'newly-allowed');
      assert.match(rows[0].witness?.decisions ?? '', /base ImplicitDeny, new Allow/);
      for (const h of ['Change', 'Resource', 'Witness']) assert.ok(r.html.includes(`<th scope="col">${h}</th>`), `header ${h}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Compare with Git HEAD… reads HEAD through the Git extension and shows the newly allowed iot:Connect', async function () {
    this.timeout(90000);
    if (!vscode.workspace.isTrusted) {
      // VS Code disables its Git extension in restricted mode (it does not support untrusted
      // workspaces), so there is no HEAD to read: the command must say so, not fail.
      const doc = await vscode.workspace.openTextDocument({ language: 'json', content: policy([CONNECT]) });
      await vscode.window.showTextDocument(doc);
      const r = await vscode.commands.executeCommand<ReviewRender | undefined>('iotPolicy.compareWithGitHead');
      assert.strictEqual(r, undefined, 'no panel without Git');
      return;
    }
    const git = vscode.workspace.getConfiguration('git');
    const wasEnabled = git.inspect<boolean>('enabled')?.globalValue;
    const wasParents = git.inspect<string>('openRepositoryInParentFolders')?.globalValue;
    const dir = mkdtempSync(join(tmpdir(), 'iot-review-git-'));
    try {
      const run = (...args: string[]) => execFileSync('git', ['-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', ...args], { cwd: dir, stdio: 'pipe' });
      run('init', '-q');
      const file = join(dir, 'device.iot-policy.json');
      writeFileSync(file, policy([CONNECT]));
      run('add', '.');
      run('commit', '-q', '-m', 'base');
      writeFileSync(file, policy([{ ...CONNECT, Resource: `${ARN}:client/*` }]));
      // The e2e settings turn Git off; this test turns it on (and back). The repository is outside
      // the workspace, which Git opens only when told to.
      await git.update('openRepositoryInParentFolders', 'always', vscode.ConfigurationTarget.Global);
      const ext = vscode.extensions.getExtension<{ enabled: boolean; onDidChangeEnablement: vscode.Event<boolean> }>('vscode.git');
      assert.ok(ext, 'the built-in Git extension is installed');
      const exports = ext.isActive ? ext.exports : await ext.activate();
      if (!exports.enabled) {
        const enabled = new Promise<void>((resolve) => {
          const sub = exports.onDidChangeEnablement((on) => on && (sub.dispose(), resolve()));
        });
        await git.update('enabled', true, vscode.ConfigurationTarget.Global);
        await Promise.race([enabled, new Promise((_, reject) => setTimeout(() => reject(new Error('Git did not turn on within 30 s')), 30000))]);
      }
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(doc);
      const r = await vscode.commands.executeCommand<ReviewRender>('iotPolicy.compareWithGitHead');
      assert.ok(r, 'the command returned nothing (see the error message)');
      assert.strictEqual(r.result.kind, 'diff');
      const rows = r.result.sections.flatMap((s) => s.rows);
      assert.strictEqual(rows.length, 1, r.result.summary);
      assert.strictEqual(rows[0].change, 'newly-allowed');
      assert.match(rows[0].summary, /newly allowed: `iot:Connect` on client IDs that differ from the connecting thing's name/);
      assert.match(r.html, /Access changes: .*device\.iot-policy\.json compared with HEAD/);
      assert.match(r.html, /newly allowed/);
      await reviewTab(/^Access Changes: device\.iot-policy\.json$/);
    } finally {
      // Restoring must not hide the test's own error.
      await git.update('enabled', wasEnabled, vscode.ConfigurationTarget.Global).then(undefined, () => undefined);
      await git.update('openRepositoryInParentFolders', wasParents, vscode.ConfigurationTarget.Global).then(undefined, () => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
