/**
 * `iot-policy lint` for CI: per-folder configuration (`overrides`), ignored files (`ignore`,
 * `.iot-policyignore`, `--ignore-path`, `--no-ignore`), the `.gitignore` pattern matcher itself,
 * `--max-warnings`, `--quiet`, `--output-file`, `--format github`, read errors in order and in the
 * summary, and the parallel path giving byte for byte the serial output.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { escapeProperty } from '../../server/src/cli/format/github';
import { autoThreads } from '../../server/src/cli/lint';
import { PathPatterns, RULE_IDS, readConfig } from '../../server/src/service';
import { cli, type CliRun } from '../util/cli';
import { tempProject } from '../util/project';

const project = (files: Record<string, unknown>): string => tempProject(files, { prefix: 'opts' });

/** One json-syntax finding (a comment on line 3). */
const BROKEN = '{\n  "Version": "2012-10-17",\n  // note\n  "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:eu-west-1:493812760155:client/${iot:Connection.Thing.ThingName}", "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}}]\n}\n';
/** Warnings only: overly-permissive on `client/*`. */
const WARNS = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:eu-west-1:493812760155:client/*"}]}\n';

const cfg = (o: unknown): string => JSON.stringify(o, null, 2);

/** `file ruleId severity` for each finding of a JSON report. */
function findings(r: CliRun): string[] {
  return (JSON.parse(r.stdout) as { file: string; findings: { ruleId: string; severity: string }[] }[])
    .flatMap((f) => f.findings.map((x) => `${f.file.split(path.sep).join('/')} ${x.ruleId} ${x.severity}`));
}

function linted(r: CliRun): string[] {
  return (JSON.parse(r.stdout) as { file: string }[]).map((f) => f.file.split(path.sep).join('/'));
}

describe('.gitignore patterns (PathPatterns)', () => {
  const cases: [string[], string, boolean, boolean][] = [
    // patterns, path, is a folder, matched
    [['*.json'], 'a/b/c.json', false, true],
    [['*.json'], 'a/b/c.yaml', false, false],
    [['legacy'], 'src/legacy/x.json', false, true],
    [['/legacy'], 'src/legacy/x.json', false, false],
    [['/legacy'], 'legacy/x.json', false, true],
    [['legacy/'], 'legacy', false, false],
    [['legacy/'], 'legacy', true, true],
    [['legacy/'], 'legacy/deep/x.json', false, true],
    [['a/*.json'], 'a/x.json', false, true],
    [['a/*.json'], 'a/b/x.json', false, false],
    [['a/**/x.json'], 'a/x.json', false, true],
    [['a/**/x.json'], 'a/b/c/x.json', false, true],
    [['**/gen'], 'deep/er/gen/x.json', false, true],
    [['dir/**'], 'dir/x.json', false, true],
    [['dir/**'], 'dir', true, false],
    [['p-[0-9].json'], 'p-7.json', false, true],
    [['p-[!0-9].json'], 'p-7.json', false, false],
    [['p-?.json'], 'p-ab.json', false, false],
    [['*.json', '!keep.json'], 'x/keep.json', false, false],
    [['*.json', '!keep.json', 'keep.json'], 'keep.json', false, true],
    // Nothing inside an ignored folder can be re-included (as in git).
    [['gen/', '!gen/keep.json'], 'gen/keep.json', false, true],
    // ...but inside `dir/**` it can, since the folder itself is not matched.
    [['dir/**', '!dir/keep.json'], 'dir/keep.json', false, false],
    [['# comment', '', '\\#hash.json'], '#hash.json', false, true],
    [['\\!bang.json'], '!bang.json', false, true],
    [['trailing.json   '], 'trailing.json', false, true],
    [['[unclosed.json'], '[unclosed.json', false, true],
  ];
  for (const [patterns, p, isDir, want] of cases) {
    it(`${JSON.stringify(patterns)} ${want ? 'matches' : 'does not match'} ${p}${isDir ? '/' : ''}`, () => {
      assert.equal(new PathPatterns(patterns).matches(p, isDir), want);
    });
  }
  it('answers fast on patterns built to backtrack', () => {
    const p = new PathPatterns([`${'*a'.repeat(40)}b`]);
    assert.equal(p.matches('a'.repeat(5000)), false);
  });
});

describe('configuration: overrides and ignores', () => {
  const tree = {
    'root.iot-policy.json': BROKEN,
    'legacy/old.iot-policy.json': BROKEN,
    'legacy/strict/new.iot-policy.json': BROKEN,
    'generated/out.iot-policy.json': BROKEN,
    'drafts/wip.draft.iot-policy.json': BROKEN,
    'drafts/keep.draft.iot-policy.json': BROKEN,
  };
  const config = {
    rules: { 'json-syntax': 'info' },
    overrides: [
      { files: ['legacy/**'], rules: { 'json-syntax': 'off' } },
      { files: ['legacy/strict/*.json'], rules: { 'json-syntax': 'warning' } },
    ],
    ignore: ['generated/'],
  };

  it('an override applies to the files its glob matches; a later override wins over an earlier one', async () => {
    const root = project({ ...tree, 'iot-policy.config.json': cfg(config) });
    const r = await cli(root, ['lint', '-f', 'json', '--no-ignore', '.']);
    assert.deepEqual(findings(r), [
      'drafts/keep.draft.iot-policy.json json-syntax info',
      'drafts/wip.draft.iot-policy.json json-syntax info',
      'generated/out.iot-policy.json json-syntax info',
      'legacy/strict/new.iot-policy.json json-syntax warning',
      'root.iot-policy.json json-syntax info',
    ]);
  });

  it('--rule flags win over the file and its overrides', async () => {
    const root = project({ ...tree, 'iot-policy.config.json': cfg(config) });
    const r = await cli(root, ['lint', '-f', 'json', '--rule', 'json-syntax=error', 'legacy']);
    assert.deepEqual(findings(r), ['legacy/old.iot-policy.json json-syntax error', 'legacy/strict/new.iot-policy.json json-syntax error']);
  });

  it('override patterns are relative to the configuration file, wherever lint runs from', async () => {
    const root = project({ ...tree, 'iot-policy.config.json': cfg(config) });
    const r = await cli(path.join(root, 'legacy'), ['lint', '-f', 'json', '.']);
    assert.deepEqual(findings(r), ['strict/new.iot-policy.json json-syntax warning']);
  });

  it('an ignored folder is not searched; a .iot-policyignore pattern and its negation apply', async () => {
    const root = project({ ...tree, 'iot-policy.config.json': cfg(config), '.iot-policyignore': '# drafts are scratch\n*.draft.iot-policy.json\n!keep.draft.iot-policy.json\n' });
    const r = await cli(root, ['lint', '-f', 'json', '.']);
    assert.deepEqual(linted(r), ['drafts/keep.draft.iot-policy.json', 'legacy/old.iot-policy.json', 'legacy/strict/new.iot-policy.json', 'root.iot-policy.json']);
    assert.equal(r.code, 0);
  });

  it('a named file that is ignored is said so and not linted; --no-ignore lints it', async () => {
    const root = project({ ...tree, 'iot-policy.config.json': cfg(config) });
    const r = await cli(root, ['lint', '-f', 'json', 'generated/out.iot-policy.json', 'root.iot-policy.json']);
    assert.deepEqual(linted(r), ['root.iot-policy.json']);
    assert.match(r.stderr, /generated\/out\.iot-policy\.json is ignored by the configuration \(use --no-ignore to lint it\)/);
    const all = await cli(root, ['lint', '-f', 'json', '--no-ignore', 'generated/out.iot-policy.json']);
    assert.deepEqual(linted(all), ['generated/out.iot-policy.json']);
  });

  it('--ignore-path names the ignore file; its patterns are relative to the current directory', async () => {
    const root = project({ ...tree, 'ci/lint.ignore': '/root.iot-policy.json\nlegacy/strict/\n' });
    const r = await cli(root, ['lint', '-f', 'json', '--ignore-path', 'ci/lint.ignore', '.']);
    assert.deepEqual(linted(r).filter((f) => !f.startsWith('drafts/')), ['generated/out.iot-policy.json', 'legacy/old.iot-policy.json']);
    const missing = await cli(root, ['lint', '--ignore-path', 'nope.ignore', '.']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read ignore file nope\.ignore: no such file or directory/);
  });

  const invalid: [string, unknown, RegExp][] = [
    ['overrides that are not an array', { overrides: {} }, /iot-policy\.config\.json: "overrides" must be an array/],
    ['an override without files', { overrides: [{ rules: {} }] }, /iot-policy\.config\.json: "overrides\[0\]\.files" is missing/],
    ['an override with empty files', { overrides: [{ files: [], rules: {} }] }, /iot-policy\.config\.json: "overrides\[0\]\.files" is empty/],
    ['an override with an unknown rule', { overrides: [{ files: ['x'], rules: {} }, { files: ['y'], rules: { 'json-syntaks': 'off' } }] },
      /iot-policy\.config\.json: overrides\[1\]\.rules: unknown rule id "json-syntaks" \(did you mean "json-syntax"\?\)/],
    ['an override with a bad level', { overrides: [{ files: ['x'], rules: { 'json-syntax': 'loud' } }] }, /overrides\[0\]\.rules: rule "json-syntax": level must be one of/],
    ['an unknown key in an override', { overrides: [{ files: ['x'], rule: {} }] }, /unknown key "overrides\[0\]\.rule" \(did you mean "rules"\?\)/],
    ['ignore that is not a list of patterns', { ignore: 'generated/' }, /iot-policy\.config\.json: "ignore" must be an array of patterns/],
    ['an unknown top-level key', { ignores: [] }, /iot-policy\.config\.json: unknown key "ignores" \(did you mean "ignore"\?\)/],
    ['a region that is no region', { defaults: { region: 'Europe' } }, /iot-policy\.config\.json: "defaults\.region": "Europe" is not a region name/],
  ];
  for (const [what, value, message] of invalid) {
    it(`exits 2 with one line naming the file and the key on ${what}`, async () => {
      const root = project({ 'p.json': BROKEN, 'iot-policy.config.json': cfg(value) });
      const r = await cli(root, ['lint', 'p.json']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.equal(r.stdout, '');
    });
  }

  it('readConfig keeps overrides and ignore as written', () => {
    const ok = readConfig(config, RULE_IDS);
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.config.overrides, config.overrides);
    assert.deepEqual(ok.config.ignore, ['generated/']);
  });
});

describe('options for CI', () => {
  it('--max-warnings N: more warnings than N exit 1, N or fewer exit 0', async () => {
    const root = project({ 'a.json': WARNS, 'b.json': WARNS });
    const two = await cli(root, ['lint', 'a.json', 'b.json']);
    assert.equal(two.code, 0);
    const at = await cli(root, ['lint', '--max-warnings', '2', 'a.json', 'b.json']);
    assert.equal(at.code, 0);
    const over = await cli(root, ['lint', '--max-warnings=1', 'a.json', 'b.json']);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /2 warnings, more than --max-warnings 1 allows/);
    const bad = await cli(root, ['lint', '--max-warnings', 'many', 'a.json']);
    assert.equal(bad.code, 2);
  });

  it('--quiet reports errors only; warnings still count for --max-warnings', async () => {
    const root = project({ 'w.json': WARNS, 'e.json': BROKEN });
    const r = await cli(root, ['lint', '-f', 'json', '--quiet', 'w.json', 'e.json']);
    assert.deepEqual(findings(r), ['e.json json-syntax error']);
    const text = await cli(root, ['lint', '--quiet', '--max-warnings', '0', 'w.json']);
    assert.equal(text.stdout, '0 problems (0 errors, 0 warnings, 0 infos) in 1 file\n');
    assert.equal(text.code, 1);
  });

  it('--output-file writes the report to the file (its folder made), nothing to stdout', async () => {
    const root = project({ 'e.json': BROKEN });
    const r = await cli(root, ['lint', '-f', 'sarif', '-o', 'reports/lint.sarif', 'e.json']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const log = JSON.parse(fs.readFileSync(path.join(root, 'reports/lint.sarif'), 'utf8')) as { runs: { results: unknown[] }[] };
    assert.ok(log.runs[0].results.length > 0);
    const text = await cli(root, ['lint', '--output-file', 'out.txt', '--color', 'e.json']);
    assert.doesNotMatch(fs.readFileSync(path.join(root, 'out.txt'), 'utf8'), /\u001b\[/, 'no colour in a file');
    assert.equal(text.stdout, '');
  });

  it('--format github prints workflow annotations with escaped properties and messages', async () => {
    const root = project({ 'odd, name:1.json': BROKEN, 'w.json': WARNS });
    const r = await cli(root, ['lint', '-f', 'github', 'odd, name:1.json', 'w.json', 'missing.json']);
    assert.equal(r.code, 2);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^::error file=odd%2C name%3A1\.json,line=3,col=3,endLine=3,endColumn=10,title=json-syntax::\S/);
    assert.match(r.stdout, /^::warning file=w\.json,line=1,col=\d+,endLine=1,endColumn=\d+,title=overly-permissive::/m);
    assert.match(r.stdout, /^::error file=missing\.json,title=iot-policy::cannot read missing\.json: no such file or directory$/m);
    assert.match(lines[lines.length - 1], /^\d+ problems .* in 2 files; 1 file could not be read$/);
    assert.equal(escapeProperty('a%b\r\nc:d,e'), 'a%25b%0D%0Ac%3Ad%2Ce');
  });

  it('messages with newlines and percent signs are escaped for the runner', async () => {
    const root = project({ 'p%.json': '{"Version": "2012-10-17", "Statement": [' });
    const r = await cli(root, ['lint', '-f', 'github', 'p%.json']);
    for (const line of r.stdout.trimEnd().split('\n').filter((l) => l.startsWith('::'))) {
      assert.match(line, /^::error file=p%25\.json,/);
      assert.doesNotMatch(line.slice(line.indexOf('::', 2) + 2), /[\r\n]/);
    }
  });
});

describe('read errors', () => {
  it('when no named file can be read, the summary says so instead of "0 problems in 0 files"', async () => {
    const root = project({});
    const r = await cli(root, ['lint', 'a.json', 'b.json']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, 'No file linted: 2 files could not be read\n');
    assert.equal(r.stderr, 'iot-policy lint: cannot read a.json: no such file or directory\niot-policy lint: cannot read b.json: no such file or directory\n');
  });

  it('each read error is on its own line, in order with the findings of the other files', async () => {
    const root = project({ 'a.json': BROKEN, 'c.json': BROKEN });
    const r = await cli(root, ['lint', 'a.json', 'b.json', 'c.json']);
    const order = r.both.split('\n').filter(Boolean).map((l) => (l.startsWith('a.json') ? 'a' : l.startsWith('c.json') ? 'c' : l.includes('cannot read b.json') ? 'b' : 'summary'));
    assert.deepEqual([...new Set(order)], ['a', 'b', 'c', 'summary']);
    assert.match(r.stdout, / in 2 files; 1 file could not be read\n$/);
  });
});

describe('parallel linting', () => {
  /** Enough files, of every host and with findings, fixes and read errors, for several batches. */
  function bigTree(): string {
    const files: Record<string, string> = { 'iot-policy.config.json': cfg({ overrides: [{ files: ['b/**'], rules: { 'overly-permissive': 'error' } }] }) };
    for (let i = 0; i < 150; i++) {
      const dir = ['a', 'b', 'c'][i % 3];
      files[`${dir}/p${String(i).padStart(3, '0')}.iot-policy.json`] = [BROKEN, WARNS, BROKEN.replace('iot:Connect', 'iot:connect')][i % 3].replace('"2012-10-17"', `"2012-10-17", "Id": "${i}"`);
    }
    files['t/stack.yaml'] = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  P:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: iot:publish\n            Resource: '*'\n";
    return project(files);
  }

  for (const format of ['text', 'json', 'sarif', 'github']) {
    it(`--concurrency 2 prints byte for byte what --concurrency off prints (${format})`, async () => {
      const root = bigTree();
      const args = ['lint', '-f', format, '.', 'missing.json'];
      const serial = await cli(root, [...args, '--concurrency', 'off']);
      const parallel = await cli(root, [...args, '--concurrency', '2'], { realFiles: true });
      assert.ok(serial.stdout.length > 1000);
      assert.equal(parallel.stdout, serial.stdout);
      assert.equal(parallel.stderr, serial.stderr);
      assert.equal(parallel.code, serial.code);
    });
  }

  it('--fix-dry-run on worker threads prints the same diff as on one thread', async () => {
    const root = bigTree();
    const serial = await cli(root, ['lint', '--fix-dry-run', '--concurrency', 'off', '.']);
    const parallel = await cli(root, ['lint', '--fix-dry-run', '--concurrency', '2', '.'], { realFiles: true });
    assert.match(serial.stdout, /^\+\+\+ b\/t\/stack\.yaml$/m);
    assert.equal(parallel.stdout, serial.stdout);
    assert.equal(parallel.stderr, serial.stderr);
  });

  it('auto starts a worker per idle core beyond the main thread\'s, none on a busy machine or a short run', () => {
    assert.equal(autoThreads(8, 0, 100_000), 7, 'idle: every other core');
    assert.equal(autoThreads(8, 0, 1_000), 2, 'a short run: a worker per 400 files');
    assert.equal(autoThreads(8, 3, 100_000), 4, 'three cores busy');
    assert.equal(autoThreads(2, 0.3, 10_000), 1, 'background noise is not load');
    assert.equal(autoThreads(2, 1, 10_000), 0, 'the other core is busy');
    assert.equal(autoThreads(2, 14, 10_000), 0, 'an overloaded machine');
    assert.equal(autoThreads(8, 0, 399), 0, 'too few files');
  });

  it('--concurrency takes auto, off or a number', async () => {
    const r = await cli(os.tmpdir(), ['lint', '--concurrency', 'lots', 'x.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--concurrency needs auto, off or a number/);
  });
});
