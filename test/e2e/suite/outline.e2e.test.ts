import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, openFixture, replaceText } from '../helpers';
import { askUntil, closeAllWithoutSaving } from './featureHelpers';

const FIXTURE = 'features/subscribe-on-topic.iot-policy.json';

function symbols(uri: vscode.Uri): Thenable<vscode.DocumentSymbol[]> {
  return vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri).then((x) => x ?? []);
}

function lenses(uri: vscode.Uri): Thenable<vscode.CodeLens[]> {
  return vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri).then((x) => x ?? []);
}

const statementsOf = (xs: vscode.DocumentSymbol[]) => xs.filter((s) => s.kind === vscode.SymbolKind.Object);

suite('outline and policy size', () => {
  suiteSetup(activateExtension);
  teardown(closeAllWithoutSaving);

  test('one symbol per statement, named by Sid or by a summary, spanning the statement', async () => {
    const editor = await openFixture(FIXTURE);
    const doc = editor.document;
    const all = await askUntil(() => symbols(doc.uri), (x) => statementsOf(x).length === 3, 'three statement symbols', 15000, (x) => JSON.stringify(x.map((s) => s.name)));
    const st = statementsOf(all);
    assert.deepStrictEqual(
      st.map((s) => s.name),
      ['Allow iot:Connect → client/${ThingName}', 'Allow iot:Subscribe → topic/fleet/${ThingName}/cmd', 'ReceiveCommands'],
    );
    assert.strictEqual(st[2].detail, 'Allow iot:Receive → topic/fleet/${ThingName}/cmd', 'a Sid-named statement keeps the summary as detail');
    // Each symbol spans its statement object; the Sid one selects the Sid key.
    for (const s of st) {
      const t = doc.getText(s.range);
      assert.ok(t.startsWith('{') && t.endsWith('}'), `symbol ${s.name} spans ${JSON.stringify(t.slice(0, 40))}`);
    }
    assert.ok(doc.getText(st[1].range).includes('"iot:Subscribe"'));
    assert.strictEqual(doc.getText(st[2].selectionRange), '"Sid"');
    assert.ok(all.some((s) => s.name === 'Version' && s.detail === '2012-10-17'), 'Version symbol');
    // Children: Effect, Action, Resource (and Condition where there is one).
    assert.deepStrictEqual(st[0].children.map((c) => c.name), ['Effect', 'Action', 'Resource', 'Condition']);
  });

  test('the outline follows edits: a new Sid renames the statement symbol', async () => {
    const editor = await openFixture(FIXTURE);
    const doc = editor.document;
    await askUntil(() => symbols(doc.uri), (x) => statementsOf(x).length === 3, 'three statement symbols');
    await replaceText(editor, '"Effect": "Allow",\n      "Action": "iot:Subscribe"', '"Sid": "SubscribeCommands",\n      "Effect": "Allow",\n      "Action": "iot:Subscribe"');
    const st = statementsOf(await askUntil(() => symbols(doc.uri), (x) => statementsOf(x).some((s) => s.name === 'SubscribeCommands'), 'the renamed symbol', 15000, (x) => JSON.stringify(x.map((s) => s.name))));
    assert.deepStrictEqual(st.map((s) => s.name), ['Allow iot:Connect → client/${ThingName}', 'SubscribeCommands', 'ReceiveCommands']);
  });

  test('a code lens shows the policy size against the 2048-character limit (white space excluded)', async () => {
    const editor = await openFixture(FIXTURE);
    const doc = editor.document;
    const ls = await askUntil(() => lenses(doc.uri), (l) => l.some((x) => /Policy size/.test(x.command?.title ?? '')), 'the policy size lens', 15000, (l) => JSON.stringify(l.map((x) => x.command?.title)));
    const lens = ls.find((x) => /Policy size/.test(x.command?.title ?? ''))!;
    // The size AWS counts: the document without white space outside strings.
    const size = JSON.stringify(JSON.parse(doc.getText())).length;
    assert.strictEqual(lens.command?.title, `Policy size: ${size} / 2048 characters (${Math.round((size / 2048) * 100)} %, white space excluded)`);
    assert.strictEqual(lens.range.start.line, 0, 'above the document');
  });

  test('the size lens warns close to the limit and past it', async () => {
    const editor = await openFixture(FIXTURE);
    const doc = editor.document;
    await askUntil(() => lenses(doc.uri), (l) => l.some((x) => /Policy size/.test(x.command?.title ?? '')), 'the policy size lens');
    // Grow the topic name: first to 90 % of the limit or more, then past it.
    const base = JSON.stringify(JSON.parse(doc.getText())).length;
    const near = Math.ceil(2048 * 0.9) - base + 10;
    await replaceText(editor, 'fleet/${iot:Connection.Thing.ThingName}/cmd"\n    },', `fleet/${'x'.repeat(near)}/\${iot:Connection.Thing.ThingName}/cmd"\n    },`);
    const show = (l: vscode.CodeLens[]) => JSON.stringify(l.map((x) => x.command?.title));
    const l1 = await askUntil(() => lenses(doc.uri), (l) => l.some((x) => /close to the AWS IoT limit/.test(x.command?.title ?? '')), 'the close-to-the-limit lens', 15000, show);
    assert.match(l1.find((x) => /Policy size/.test(x.command?.title ?? ''))!.command!.title, /^\$\(warning\) Policy size: \d+ \/ 2048 characters/);
    await replaceText(editor, 'x'.repeat(near), 'x'.repeat(near + 300));
    const l2 = await askUntil(() => lenses(doc.uri), (l) => l.some((x) => /over the AWS IoT limit/.test(x.command?.title ?? '')), 'the over-the-limit lens', 15000, show);
    const title = l2.find((x) => /Policy size/.test(x.command?.title ?? ''))!.command!.title;
    assert.match(title, /^\$\(error\) Policy size: \d+ \/ 2048 characters/);
  });
});
