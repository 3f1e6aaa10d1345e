/**
 * Configuration for the CLI: discovery of iot-policy.config.json, --config, --no-config,
 * precedence of --rule flags, config problems as usage errors, and the JSON schema of the file.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import Ajv from 'ajv';
import { cli } from '../util/cli';
import { findConfigFile } from '../../server/src/cli/config';
import { CONFIG_FILE_NAME, LEVELS, RULE_IDS, mergeConfigs, readConfig } from '../../server/src/service';

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function project(files: Record<string, string>, opts: { git?: string } = { git: '.' }): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-policy-config-'));
  roots.push(root);
  if (opts.git !== undefined) fs.mkdirSync(path.join(root, opts.git, '.git'), { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return root;
}

/** One json-syntax error (a comment) on line 3. */
const BROKEN = '{\n  "Version": "2012-10-17",\n  // note\n  "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}]\n}\n';

function syntaxSeverities(stdout: string): string[] {
  const out = JSON.parse(stdout) as { findings: { ruleId: string; severity: string }[] }[];
  return out[0].findings.filter((f) => f.ruleId === 'json-syntax').map((f) => f.severity);
}

const cfg = (o: unknown): string => JSON.stringify(o, null, 2);

describe('findConfigFile', () => {
  it('finds the file in the directory itself', () => {
    const root = project({ [CONFIG_FILE_NAME]: '{}' });
    assert.equal(findConfigFile(root), path.join(root, CONFIG_FILE_NAME));
  });
  it('walks up from a subdirectory to the repository root', () => {
    const root = project({ [CONFIG_FILE_NAME]: '{}', 'a/b/c/x.json': '' });
    assert.equal(findConfigFile(path.join(root, 'a/b/c')), path.join(root, CONFIG_FILE_NAME));
  });
  it('takes the nearest file', () => {
    const root = project({ [CONFIG_FILE_NAME]: '{}', [`a/${CONFIG_FILE_NAME}`]: '{}', 'a/b/x.json': '' });
    assert.equal(findConfigFile(path.join(root, 'a/b')), path.join(root, 'a', CONFIG_FILE_NAME));
  });
  it('stops at the repository root (a directory holding .git)', () => {
    // root/iot-policy.config.json is outside the repository root/repo.
    const root = project({ [CONFIG_FILE_NAME]: '{}', 'repo/src/x.json': '' }, { git: 'repo' });
    assert.equal(findConfigFile(path.join(root, 'repo/src')), undefined);
    assert.equal(findConfigFile(path.join(root, 'repo')), undefined);
  });
  it('stops at the filesystem root when there is no repository', () => {
    const seen: string[] = [];
    const found = findConfigFile(path.join(path.parse(os.tmpdir()).root, 'a', 'b'), (p) => {
      seen.push(p);
      return false;
    });
    assert.equal(found, undefined);
    assert.ok(seen.includes(path.join(path.parse(os.tmpdir()).root, CONFIG_FILE_NAME)));
  });
});

describe('iot-policy lint: configuration', () => {
  it('without configuration json-syntax is an error', async () => {
    const root = project({ 'p.json': BROKEN });
    const r = await cli(root, ['lint', '-f', 'json', 'p.json']);
    assert.deepEqual(syntaxSeverities(r.stdout), ['error']);
    assert.equal(r.code, 1);
  });
  it('reads iot-policy.config.json from the current directory', async () => {
    const root = project({ 'p.json': BROKEN, [CONFIG_FILE_NAME]: cfg({ rules: { 'json-syntax': 'warning' } }) });
    const r = await cli(root, ['lint', '-f', 'json', 'p.json']);
    assert.deepEqual(syntaxSeverities(r.stdout), ['warning']);
  });
  it('reads it from a parent directory, and accepts comments and trailing commas in it', async () => {
    const root = project({
      'policies/p.json': BROKEN,
      [CONFIG_FILE_NAME]: '{\n  // quieter for now\n  "rules": { "json-syntax": "info", },\n}\n',
    });
    const r = await cli(path.join(root, 'policies'), ['lint', '-f', 'json', 'p.json']);
    assert.equal(r.stderr, '');
    assert.deepEqual(syntaxSeverities(r.stdout), ['info']);
  });
  it('"off" removes the rule', async () => {
    const root = project({ 'p.json': BROKEN, [CONFIG_FILE_NAME]: cfg({ rules: { 'json-syntax': 'off' } }) });
    const r = await cli(root, ['lint', '-f', 'json', 'p.json']);
    assert.deepEqual(syntaxSeverities(r.stdout), []);
  });
  it('--rule flags win over the file', async () => {
    const root = project({ 'p.json': BROKEN, [CONFIG_FILE_NAME]: cfg({ rules: { 'json-syntax': 'off' } }) });
    const r = await cli(root, ['lint', '-f', 'json', '--rule', 'json-syntax=hint', 'p.json']);
    assert.deepEqual(syntaxSeverities(r.stdout), ['hint']);
  });
  it('--config FILE replaces discovery; --no-config ignores the discovered file', async () => {
    const root = project({
      'p.json': BROKEN,
      [CONFIG_FILE_NAME]: cfg({ rules: { 'json-syntax': 'off' } }),
      'ci/strict.json': cfg({ rules: { 'json-syntax': 'warning' } }),
    });
    const explicit = await cli(root, ['lint', '-f', 'json', '--config', 'ci/strict.json', 'p.json']);
    assert.deepEqual(syntaxSeverities(explicit.stdout), ['warning']);
    const inline = await cli(root, ['lint', '-f', 'json', '--config=ci/strict.json', 'p.json']);
    assert.deepEqual(syntaxSeverities(inline.stdout), ['warning']);
    const none = await cli(root, ['lint', '-f', 'json', '--no-config', 'p.json']);
    assert.deepEqual(syntaxSeverities(none.stdout), ['error']);
    const both = await cli(root, ['lint', '--no-config', '--config', 'ci/strict.json', 'p.json']);
    assert.equal(both.code, 2);
  });

  const problems: [string, string, RegExp][] = [
    ['an unknown rule id', cfg({ rules: { 'no-such-rule': 'off' } }), /iot-policy\.config\.json: unknown rule id "no-such-rule"/],
    ['a bad level', cfg({ rules: { 'json-syntax': 'loud' } }), /iot-policy\.config\.json: rule "json-syntax": level must be one of off, error, warning, info, hint/],
    ['rules that are not an object', cfg({ rules: ['json-syntax'] }), /iot-policy\.config\.json: "rules" must be an object/],
    ['a top level that is not an object', '[]', /iot-policy\.config\.json: the configuration must be a JSON object/],
    ['broken JSON', '{ "rules": { "json-syntax": "off" ', /iot-policy\.config\.json:1:\d+: not valid JSON/],
  ];
  for (const [what, text, message] of problems) {
    it(`exits 2 naming the file on ${what}`, async () => {
      const root = project({ 'p.json': BROKEN, [CONFIG_FILE_NAME]: text });
      const r = await cli(root, ['lint', 'p.json']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }
  it('exits 2 when --config names a file that does not exist', async () => {
    const root = project({ 'p.json': BROKEN });
    const r = await cli(root, ['lint', '--config', 'nope.json', 'p.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read configuration file nope\.json: no such file or directory/);
  });
  it('names a discovered file in a parent directory by its path', async () => {
    const root = project({ 'sub/p.json': BROKEN, [CONFIG_FILE_NAME]: cfg({ rules: { nope: 'off' } }) });
    const r = await cli(path.join(root, 'sub'), ['lint', 'p.json']);
    assert.equal(r.code, 2);
    assert.ok(r.stderr.includes(`${path.join('..', CONFIG_FILE_NAME)}: unknown rule id "nope"`), r.stderr);
  });
});

describe('config library (readConfig / mergeConfigs)', () => {
  it('reads rules and defaults and later configs win', () => {
    const a = readConfig({ rules: { 'json-syntax': 'warning' }, defaults: { region: 'eu-west-1', accountId: '493812760155' } }, RULE_IDS);
    assert.deepEqual(a.problems, []);
    const merged = mergeConfigs(a.config, { rules: { 'json-syntax': 'off' }, defaults: { region: 'us-east-1' } });
    assert.deepEqual(merged, { rules: { 'json-syntax': 'off' }, defaults: { region: 'us-east-1', accountId: '493812760155' } });
  });
});

describe('schemas/iot-policy.config.schema.json', () => {
  const schemaPath = path.resolve(__dirname, '../../../schemas/iot-policy.config.schema.json');
  const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as {
    properties: { rules: { properties: Record<string, unknown> } };
    definitions: { level: { enum: string[] } };
  };
  const ajv = new Ajv({ allErrors: true });
  ajv.addVocabulary(['markdownDescription', 'enumDescriptions']);
  const validate = ajv.compile(schema);

  it('names every rule id', () => {
    const inSchema = new Set(Object.keys(schema.properties.rules.properties));
    const missing = [...RULE_IDS].filter((id) => !inSchema.has(id));
    assert.deepEqual(missing, [], 'add these rule ids to schemas/iot-policy.config.schema.json');
  });
  it('names no rule id that is not configurable, such as internal-error', () => {
    const extra = Object.keys(schema.properties.rules.properties).filter((id) => !RULE_IDS.has(id));
    assert.deepEqual(extra, []);
    assert.equal(RULE_IDS.has('internal-error'), false);
    assert.equal(readConfig({ rules: { 'internal-error': 'off' } }, RULE_IDS).problems.length, 1);
    assert.equal(validate({ rules: { 'internal-error': 'off' } }), false);
  });
  it('offers exactly the configuration levels', () => {
    assert.deepEqual(schema.definitions.level.enum, [...LEVELS]);
  });
  it('accepts a full configuration', () => {
    const ok = {
      $schema: './node_modules/iot-policy-language/schemas/iot-policy.config.schema.json',
      rules: { 'json-syntax': 'warning', 'overly-permissive': 'error', 'duplicate-value': 'off' },
      defaults: { region: 'eu-west-1', accountId: '493812760155', partition: 'aws' },
    };
    assert.equal(validate(ok), true, JSON.stringify(validate.errors));
  });
  it('accepts overrides and ignore; an override\'s rules name every rule id too (generated)', () => {
    const ok = {
      rules: { 'json-syntax': 'warning' },
      overrides: [{ files: ['legacy/**', '!legacy/keep.json'], rules: { 'overly-permissive': 'off' } }, { files: ['*.template.json'] }],
      ignore: ['generated/', '*.draft.json'],
    };
    assert.equal(validate(ok), true, JSON.stringify(validate.errors));
    const overrideRules = (schema as unknown as { definitions: { override: { properties: { rules: { properties: Record<string, unknown> } } } } })
      .definitions.override.properties.rules.properties;
    assert.deepEqual(Object.keys(overrideRules), Object.keys(schema.properties.rules.properties));
    for (const bad of [
      { overrides: [{ rules: {} }] },
      { overrides: [{ files: [], rules: {} }] },
      { overrides: [{ files: ['x'], rules: { 'no-such-rule': 'off' } }] },
      { overrides: [{ files: ['x'], rule: {} }] },
      { ignore: 'generated/' },
      { ignore: [''] },
    ]) {
      assert.equal(validate(bad), false, JSON.stringify(bad));
      assert.ok(readConfig(bad, RULE_IDS).problems.length > 0, `readConfig accepts ${JSON.stringify(bad)}`);
    }
  });
  it('rejects unknown rule ids, bad levels, bad defaults and unknown keys', () => {
    for (const bad of [
      { rules: { 'no-such-rule': 'off' } },
      { rules: { 'json-syntax': 'loud' } },
      { defaults: { accountId: '1234' } },
      { defaults: { region: 'Europe' } },
      { rule: {} },
    ]) {
      assert.equal(validate(bad), false, JSON.stringify(bad));
    }
  });
});
