import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createModelCache } from '../../server/src/utils/modelCache';
import { runSafe, runSafeAsync } from '../../server/src/utils/runner';
import { parseConfigFile, parseSettings } from '../../server/src/utils/settings';

const logger = () => {
  const errors: string[] = [];
  return { errors, error: (m: string) => errors.push(m) };
};

describe('runSafe', () => {
  test('returns the result', async () => {
    assert.equal(await runSafe(logger(), () => 42, 0, 'x', undefined), 42);
  });

  test('turns an exception into the error value and logs it', async () => {
    const log = logger();
    const r = await runSafe(log, () => { throw new Error('boom'); }, 'empty', 'Error while testing', undefined);
    assert.equal(r, 'empty');
    assert.match(log.errors[0], /Error while testing: boom/);
  });

  test('a request cancelled before it runs answers RequestCancelled without running', async () => {
    const src = new CancellationTokenSource();
    let ran = false;
    const p = runSafe(logger(), () => (ran = true), false, 'x', src.token);
    src.cancel();
    const r = await p;
    assert.ok(r instanceof ResponseError);
    assert.equal(r.code, LSPErrorCodes.RequestCancelled);
    assert.equal(ran, false);
  });

  test('runSafeAsync contains rejections', async () => {
    const log = logger();
    assert.deepEqual(await runSafeAsync(log, () => Promise.reject(new Error('nope')), [], 'async', undefined), []);
    assert.equal(log.errors.length, 1);
  });
});

describe('model cache', () => {
  test('parses once per uri and version', () => {
    const cache = createModelCache((d) => ({ text: d.getText() }), 10, 0);
    const v1 = TextDocument.create('file:///a.json', 'json', 1, '{}');
    const m1 = cache.get(v1);
    assert.equal(cache.get(v1), m1);
    assert.equal(cache.parseCount, 1);
    const v2 = TextDocument.update(v1, [{ text: '[]' }], 2);
    assert.notEqual(cache.get(v2), m1);
    assert.equal(cache.parseCount, 2);
    cache.onDocumentRemoved('file:///a.json');
    cache.get(v2);
    assert.equal(cache.parseCount, 3);
    cache.dispose();
  });

  test('a new version replaces the old one before it is parsed', () => {
    // Nothing keeps the old tree alive while the new one is built: when that parse fails, the
    // old version is not found either.
    const cache = createModelCache((d) => {
      if (d.version === 2) throw new Error('parse failed');
      return { text: d.getText() };
    }, 10, 0);
    const v1 = TextDocument.create('file:///a.json', 'json', 1, '{}');
    cache.get(v1);
    assert.throws(() => cache.get(TextDocument.update(v1, [{ text: '[]' }], 2)));
    cache.get(TextDocument.create('file:///a.json', 'json', 1, '{}'));
    assert.equal(cache.parseCount, 2, 'version 1 was parsed again');
    cache.dispose();
  });

  test('hands the last version of the same document and language over to the parse, once', () => {
    const seen: (string | undefined)[] = [];
    const cache = createModelCache<{ text: string }>((d, previous) => {
      seen.push(previous?.text);
      return { text: d.getText() };
    }, 10, 0);
    const v1 = TextDocument.create('file:///a.json', 'json', 1, '{}');
    cache.get(v1);
    const v2 = TextDocument.update(v1, [{ text: '[]' }], 2);
    cache.get(v2);
    cache.get(v2);
    cache.get(TextDocument.create('file:///a.json', 'jsonc', 3, '[1]'));
    cache.onDocumentRemoved('file:///a.json');
    cache.get(v2);
    assert.deepEqual(seen, [undefined, '{}', undefined, undefined], 'none at first, none for another language, none after close');
    cache.dispose();
  });

  test('evicts the oldest entry when full', () => {
    const cache = createModelCache((d) => d.uri, 2, 0);
    const docs = [1, 2, 3].map((i) => TextDocument.create(`file:///${i}.json`, 'json', 1, ''));
    for (const d of docs) cache.get(d);
    cache.get(docs[0]);
    assert.equal(cache.parseCount, 4, 'the first was evicted and parsed again');
    cache.dispose();
  });
});

describe('settings', () => {
  test('defaults', () => {
    assert.deepEqual(parseSettings(undefined), {
      files: ['**/*.iot-policy.json', '**/*.iotpolicy.json'], detectByContent: true, rules: {}, defaults: {}, diagnostics: { workspace: true },
    });
  });

  test('diagnostics.workspace: nested or dotted; a wrong type is logged and the default kept', () => {
    assert.equal(parseSettings({ diagnostics: { workspace: false } }).diagnostics.workspace, false);
    assert.equal(parseSettings({ 'diagnostics.workspace': false }).diagnostics.workspace, false);
    const log: string[] = [];
    assert.equal(parseSettings({ diagnostics: { workspace: 'off' } }, (m) => log.push(m)).diagnostics.workspace, true);
    assert.deepEqual(log, ['iotPolicy.diagnostics.workspace must be true or false, not "off"; using the default']);
  });

  test('reads nested and dotted keys, ignores wrong types', () => {
    const log: string[] = [];
    const s = parseSettings({ files: ['a/*.json', 3], 'defaults.region': 'eu-west-1', defaults: { accountId: '123456789012' }, rules: { 'json-syntax': 'off', 'invalid-arn': 'loud' }, detectByContent: 'no' }, (m) => log.push(m));
    assert.deepEqual(s.files, ['a/*.json']);
    assert.deepEqual(s.defaults, { region: 'eu-west-1', accountId: '123456789012' });
    assert.deepEqual(s.rules, { 'json-syntax': 'off' });
    assert.equal(s.detectByContent, true);
    assert.equal(log.length, 1);
  });

  test('unknown rule ids are reported, with the nearest known one, and dropped', () => {
    const log: string[] = [];
    const s = parseSettings({ rules: { 'json-syntx': 'off', 'rules.x': 'off', 'json-syntax': 'hint' } }, (m) => log.push(m));
    assert.deepEqual(s.rules, { 'json-syntax': 'hint' });
    assert.ok(log.some((m) => m.includes('unknown rule id "json-syntx" (did you mean "json-syntax"?)')), log.join('\n'));
  });

  test('a value nested 10,000 deep is reported, and the rest of the update still applies', () => {
    let deep: unknown[] = [];
    const top = deep;
    for (let i = 0; i < 10000; i++) {
      const next: unknown[] = [];
      deep.push(next);
      deep = next;
    }
    const log: string[] = [];
    const s = parseSettings({ rules: { 'json-syntax': top, 'invalid-arn': 'warning' }, defaults: { region: top }, files: [top, 'x/*.json'] }, (m) => log.push(m));
    assert.deepEqual(s.rules, { 'invalid-arn': 'warning' });
    assert.deepEqual(s.files, ['x/*.json']);
    assert.ok(log.some((m) => m.includes('"json-syntax" has an unknown level an array')), log.join('\n'));
  });

  test('__proto__ in settings or in the config file is data, never applied', () => {
    // As JSON-RPC delivers it: JSON.parse keeps "__proto__" as an own key.
    const raw = JSON.parse('{"__proto__": {"rules": {"json-syntax": "off"}, "files": ["**/*"]}, "defaults.__proto__.region": "x"}') as unknown;
    const log: string[] = [];
    const s = parseSettings(raw, (m) => log.push(m));
    assert.deepEqual(s.rules, {});
    assert.deepEqual(s.files, ['**/*.iot-policy.json', '**/*.iotpolicy.json']);
    assert.deepEqual(s.defaults, {});
    assert.equal(log.filter((m) => m.includes('is ignored')).length, 2);
    assert.equal(Object.prototype.hasOwnProperty.call({}, 'rules'), false, 'Object.prototype untouched');
    const file = parseConfigFile('{"__proto__": {"rules": {"json-syntax": "off"}}, "rules": {"invalid-arn": "info"}}');
    assert.deepEqual(file.config.rules, { 'invalid-arn': 'info' });
    assert.deepEqual(file.problems, ['unknown key "__proto__"']);
  });

  test('200,000 rule keys: read up to 1,000, named up to 10, the rest counted', () => {
    const rules: Record<string, string> = {};
    for (let i = 0; i < 200000; i++) rules[`r${i}`] = 'off';
    const log: string[] = [];
    const s = parseSettings({ rules }, (m) => log.push(m));
    assert.deepEqual(s.rules, {});
    assert.ok(log.length <= 13, `${log.length} log lines`);
    assert.ok(log.some((m) => /more than 1000 keys/.test(m)));
    const file = parseConfigFile(JSON.stringify({ rules }));
    assert.ok(file.problems.length <= 21, `${file.problems.length} problems`);
    assert.match(file.problems.at(-1) ?? '', /199980 more problems not shown/);
  });

  test('a config file nested 200,000 deep is a problem, not a stack overflow', () => {
    const text = `{"rules": ${'['.repeat(200000)}${']'.repeat(200000)}}`;
    assert.deepEqual(parseConfigFile(text).problems, ['the file is nested deeper than 256 levels']);
  });

  test('config file problems are collected, not thrown', () => {
    const { config, problems } = parseConfigFile('{ "rules": { "json-syntax": "warning", "json-syntax-x": "off" }, "defaults": { "region": "us-east-1" } }');
    assert.equal(config.rules['json-syntax'], 'warning');
    assert.equal(config.defaults.region, 'us-east-1');
    assert.ok(problems.some((p) => p.includes('json-syntax-x')));
    assert.ok(parseConfigFile('{').problems.length > 0);
  });
});
