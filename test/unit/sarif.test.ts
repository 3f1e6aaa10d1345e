/**
 * `iot-policy lint --format sarif`: the log validates against the SARIF 2.1.0 JSON schema (with ajv)
 * and carries what GitHub code scanning reads: rules with helpUri, levels, relative artifact URIs
 * under %SRCROOT%, 1-based regions.
 *
 * The schema is the one shipped by the npm package @microsoft/jest-sarif
 * (lib/schemas/sarif-2.1.0-rtm.5.json, a devDependency). IOT_POLICY_SARIF_SCHEMA may point at
 * another copy of the official schema. When neither is there, the validation tests fail and say so.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import Ajv, { type ValidateFunction } from 'ajv';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { cli } from '../util/cli';
import { toSarif } from '../../server/src/cli/format/sarif';
import { ALL_RULES, RULE_IDS, ruleDocsUrl } from '../../server/src/service';

const SCHEMA_PACKAGE_FILE = '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';

function schemaPath(): string {
  const fromEnv = process.env.IOT_POLICY_SARIF_SCHEMA;
  if (fromEnv) return fromEnv;
  try {
    return require.resolve(SCHEMA_PACKAGE_FILE);
  } catch {
    throw new Error(
      `The SARIF 2.1.0 JSON schema was not found: install the devDependency @microsoft/jest-sarif (it ships ${SCHEMA_PACKAGE_FILE}), ` +
        'or set IOT_POLICY_SARIF_SCHEMA to the path of sarif-schema-2.1.0.json.',
    );
  }
}

let validator: ValidateFunction | undefined;

/** ajv 8 speaks draft-06+; the shipped schema is draft-04 whose only draft-04 keyword in use is `id`. */
function validateSarif(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(fs.readFileSync(schemaPath(), 'utf8')) as Record<string, unknown>;
  assert.match(String(schema.title ?? schema.$id ?? schema.id), /SARIF|sarif/, 'not a SARIF schema');
  delete schema.$schema;
  if (typeof schema.id === 'string') {
    schema.$id = schema.id;
    delete schema.id;
  }
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    // The official schema's `language` pattern has a stray `]`, valid only without the u flag.
    unicodeRegExp: false,
    formats: {
      uri: (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(s),
      'uri-reference': (s: string) => !/\s/.test(s),
      'date-time': (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s),
    },
  });
  validator = ajv.compile(schema);
  return validator;
}

function assertValidSarif(log: unknown): void {
  const validate = validateSarif();
  const ok = validate(log);
  assert.equal(ok, true, `SARIF log does not validate: ${JSON.stringify(validate.errors, null, 2)}`);
}

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'iot-policy-sarif-')));
  roots.push(root);
  fs.mkdirSync(path.join(root, '.git'));
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return root;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type SarifLog = any;

const BROKEN = '{\n  "Version": "2012-10-17",\n  // note\n  "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}]\n}\n';
const CLEAN = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:eu-west-1:493812760155:topic/a"}]}';

describe('SARIF 2.1.0 schema validation', () => {
  it('the schema is available and the validator rejects invalid logs', () => {
    const validate = validateSarif();
    assert.equal(validate({ version: '2.1.0', runs: [] }), true);
    assert.equal(validate({ version: '2.0.0', runs: [] }), false, 'wrong version must fail');
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false, 'driver.name is required');
    assert.equal(
      validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'info' }] }] }),
      false,
      '"info" is not a SARIF level',
    );
  });

  it('lint output on errors, a clean file and an unreadable file validates', async () => {
    const root = project({ 'policies/bad.json': BROKEN, 'policies/clean.json': CLEAN });
    const r = await cli(root, ['lint', '--format', 'sarif', 'policies/bad.json', 'policies/clean.json', 'policies/missing.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read policies\/missing\.json/);
    const log: SarifLog = JSON.parse(r.stdout);
    assertValidSarif(log);
    const run = log.runs[0];
    assert.equal(run.invocations[0].executionSuccessful, false);
    const note = run.invocations[0].toolExecutionNotifications[0];
    assert.equal(note.level, 'error');
    assert.deepEqual(note.locations[0].physicalLocation.artifactLocation, { uri: 'policies/missing.json', uriBaseId: '%SRCROOT%' });
  });

  it('validates with no findings at all', async () => {
    const root = project({ 'clean.json': CLEAN });
    const r = await cli(root, ['lint', '--format', 'sarif', '--rule', [...RULE_IDS].map((id) => `${id}=off`).join(','), 'clean.json']);
    assert.equal(r.code, 0);
    const log: SarifLog = JSON.parse(r.stdout);
    assertValidSarif(log);
    assert.deepEqual(log.runs[0].results, []);
    assert.equal(log.runs[0].invocations[0].executionSuccessful, true);
  });

  it('validates with every severity, related locations and a rule outside the catalogue', () => {
    const text = '{"Version": "2012-10-17"}';
    const abs = path.join(os.tmpdir(), 'x.json');
    const doc = TextDocument.create(pathToFileURL(abs).href, 'json', 0, text);
    const range = (offset: number, length: number) => ({ start: doc.positionAt(offset), end: doc.positionAt(offset + length) });
    const log = toSarif(
      [
        {
          file: 'x.json',
          abs,
          fixable: 0,
          findings: [
            { ruleId: 'json-syntax', severity: 'error', range: range(1, 9), message: 'e', related: [{ range: range(12, 12), message: 'here' }] },
            { ruleId: 'json-syntax', severity: 'warning', range: range(0, 0), message: 'w' },
            { ruleId: 'json-syntax', severity: 'info', range: range(0, 1), message: 'i' },
            { ruleId: 'json-syntax', severity: 'hint', range: range(text.length, 0), message: 'h' },
            { ruleId: 'internal-error', severity: 'warning', range: range(0, 0), message: 'boom' },
          ],
        },
      ],
      [],
      os.tmpdir(),
      '1.2.3',
    ) as SarifLog;
    assertValidSarif(log);
    const run = log.runs[0];
    assert.deepEqual(run.results.map((r: any) => r.level), ['error', 'warning', 'note', 'note', 'warning']);
    const internal = run.results[4];
    assert.equal(run.tool.driver.rules[internal.ruleIndex].id, 'internal-error');
    assert.deepEqual(run.results[0].relatedLocations[0].physicalLocation.region, { startLine: 1, startColumn: 13, endLine: 1, endColumn: 25 });
  });
});

describe('SARIF content for GitHub code scanning', () => {
  it('describes the tool and every rule with helpUri, description and default level', async () => {
    const root = project({ 'clean.json': CLEAN });
    const log: SarifLog = JSON.parse((await cli(root, ['lint', '--format', 'sarif', 'clean.json'])).stdout);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-schema-2\.1\.0\.json$/);
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'iot-policy');
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string };
    assert.equal(driver.version, pkg.version);
    assert.match(driver.informationUri, /^https:\/\//);
    const byId = new Map<string, any>(driver.rules.map((r: any) => [r.id, r]));
    for (const rule of ALL_RULES) {
      const d = byId.get(rule.meta.id);
      assert.ok(d, `rule ${rule.meta.id} is described`);
      assert.equal(d.shortDescription.text, rule.meta.description);
      assert.equal(d.helpUri, ruleDocsUrl(rule.meta.id));
      assert.equal(d.defaultConfiguration.level, { error: 'error', warning: 'warning', info: 'note', hint: 'note' }[rule.meta.defaultSeverity]);
    }
  });

  it('results carry ruleId, ruleIndex, level, message, a relative URI under %SRCROOT% and a 1-based region', async () => {
    const root = project({ 'my policies/bad #1.json': BROKEN });
    const sarif = await cli(root, ['lint', '--format', 'sarif', 'my policies/bad #1.json']);
    const json = await cli(root, ['lint', '--format', 'json', 'my policies/bad #1.json']);
    assert.equal(sarif.code, 1);
    const log: SarifLog = JSON.parse(sarif.stdout);
    assertValidSarif(log);
    const run = log.runs[0];
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, pathToFileURL(root).href + '/');
    const findings = JSON.parse(json.stdout)[0].findings;
    assert.equal(run.results.length, findings.length);
    run.results.forEach((r: any, i: number) => {
      const f = findings[i];
      assert.equal(r.ruleId, f.ruleId);
      assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
      assert.equal(r.level, { error: 'error', warning: 'warning', info: 'note', hint: 'note' }[f.severity as string]);
      assert.equal(r.message.text, f.message);
      const loc = r.locations[0].physicalLocation;
      assert.deepEqual(loc.artifactLocation, { uri: 'my%20policies/bad%20%231.json', uriBaseId: '%SRCROOT%' });
      assert.deepEqual(loc.region, {
        startLine: f.range.start.line + 1,
        startColumn: f.range.start.character + 1,
        endLine: f.range.end.line + 1,
        endColumn: f.range.end.character + 1,
      });
    });
    const syntax = run.results.find((r: any) => r.ruleId === 'json-syntax');
    assert.deepEqual(syntax.locations[0].physicalLocation.region, { startLine: 3, startColumn: 3, endLine: 3, endColumn: 10 });
  });

  it('maps configured info and hint levels to "note"', async () => {
    const root = project({ 'bad.json': BROKEN });
    for (const level of ['info', 'hint']) {
      const r = await cli(root, ['lint', '--format', 'sarif', '--rule', `json-syntax=${level}`, 'bad.json']);
      const log: SarifLog = JSON.parse(r.stdout);
      assertValidSarif(log);
      const syntax = log.runs[0].results.filter((x: any) => x.ruleId === 'json-syntax');
      assert.ok(syntax.length > 0);
      for (const x of syntax) assert.equal(x.level, 'note');
    }
  });

  it('a file outside the current directory gets an absolute file URI', async () => {
    const root = project({ 'outside/p.json': BROKEN, 'work/.keep': '' });
    const r = await cli(path.join(root, 'work'), ['lint', '--format', 'sarif', '../outside/p.json']);
    const log: SarifLog = JSON.parse(r.stdout);
    assertValidSarif(log);
    const loc = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    assert.deepEqual(loc, { uri: pathToFileURL(path.join(root, 'outside/p.json')).href });
  });
});
