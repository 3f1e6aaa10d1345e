/**
 * Hostile input to the CLI (issue 16, defect 7): each ends in a one-line message and the exit code
 * of its kind, never "internal error" with a stack trace; `test` runs the other files.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { cli } from '../util/cli';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-policy-hostile-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const DEEP = '['.repeat(200000) + ']'.repeat(200000);
const ARN = 'arn:aws:iot:us-east-1:123456789012';
const write = (rel: string, text: string): string => {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  return abs;
};
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/x` }] });

/** One line on stderr, no stack frame. */
function oneLine(stderr: string): void {
  assert.doesNotMatch(stderr, /internal error|^\s+at /m, stderr.slice(0, 500));
  assert.ok(stderr.trim().split('\n').length <= 2, stderr.slice(0, 500));
}

describe('iot-policy: hostile input ends cleanly', () => {
  it('a configuration file nested 200,000 deep: usage error naming the place', async () => {
    write('deep/p.json', POLICY);
    write('deep/iot-policy.config.json', `{"rules": ${DEEP}}`);
    const r = await cli(path.join(root, 'deep'), ['lint', 'p.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /iot-policy\.config\.json:1:\d+: nested deeper than 256 levels/);
    oneLine(r.stderr);
  });

  it('a test file nested 200,000 deep fails alone; the other test files still run and the summary is printed', async () => {
    write('tests/p.json', POLICY);
    write('tests/a.iot-policy-test.json', `{"policies": ["p.json"], "cases": ${DEEP}}`);
    write('tests/b.iot-policy-test.json', JSON.stringify({ policies: ['p.json'], cases: [{ name: 'connects', request: { action: 'iot:Connect', resource: `${ARN}:client/x` }, expect: 'Allow' }] }));
    const r = await cli(path.join(root, 'tests'), ['test', 'a.iot-policy-test.json', 'b.iot-policy-test.json']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr + r.stdout, /a\.iot-policy-test\.json.*Nesting deeper than 256 levels/);
    assert.match(r.stdout, /PASS\s+connects/);
    assert.match(r.stdout, /1 passed, 0 failed/);
    assert.doesNotMatch(r.stderr + r.stdout, /internal error|^\s+at /m);
  });

  it('a request nested 200,000 deep: invalid request', async () => {
    write('req/p.json', POLICY);
    write('req/r.json', `{"action": "iot:Connect", "resource": "*", "context": ${DEEP}}`);
    const r = await cli(path.join(root, 'req'), ['eval', '--policy', 'p.json', '--request', 'r.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid request/);
    oneLine(r.stderr);
  });

  it('eval of a policy past 10,000 statements refuses it instead of answering from the first 10,000', async () => {
    const statements = Array.from({ length: 20000 }, () => ({ Effect: 'Allow', Action: 'a', Resource: '*' }));
    statements.push({ Effect: 'Allow', Action: 'iot:Publish', Resource: '*' });
    write('big/p.json', JSON.stringify({ Version: '2012-10-17', Statement: statements }));
    write('big/r.json', JSON.stringify({ action: 'iot:Publish', resource: `${ARN}:topic/t` }));
    const r = await cli(path.join(root, 'big'), ['eval', '--policy', 'p.json', '--request', 'r.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /has 20001 statements, and only the first 10000 are read/);
    oneLine(r.stderr);
  });

  it('130,000 arguments: each missing file named once, one summary', async () => {
    const args = Array.from({ length: 130000 }, (_, i) => `f${i}.json`);
    const r = await cli(root, ['lint', ...args]);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stderr, /internal error|^\s+at /m);
    assert.match(r.stdout, /130000 files could not be read/);
    assert.equal(r.stderr.split("\n").filter((l) => l.includes("cannot read")).length, 130000);
    // After `--` too (they were spread into one call).
    const dashed = await cli(root, ['lint', '--', ...args]);
    assert.match(dashed.stdout, /130000 files could not be read/);
  });
});

describe('iot-policy: names are escaped in text output', () => {
  const evil = 'a\nb\u001b[31mred\u202e.iot-policy.json';
  const dir = path.join(root, 'names');
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] });
  write(path.join('names', evil), policy);
  write('names/t.iot-policy-test.json', JSON.stringify({ policies: [evil], cases: [{ name: 'x', request: { action: 'iot:Connect', resource: `${ARN}:client/x` }, expect: 'Allow' }] }));

  it('lint: a newline or an ESC in a file name never reaches the output as such', async () => {
    const r = await cli(dir, ['lint', '.']);
    const line = r.stdout.split('\n').find((l) => l.includes('overly-permissive'));
    assert.ok(line, r.stdout);
    assert.ok(line.startsWith('a\\nb\\x1b[31mred\\u202e.iot-policy.json:1:'), line);
    assert.doesNotMatch(r.stdout + r.stderr, /\u001b|\u202e/);
  });

  it('lint: names in messages on stderr are escaped too', async () => {
    const r = await cli(dir, ['lint', 'missing\u001b[2J.json']);
    assert.match(r.stderr, /cannot read missing\\x1b\[2J\.json/);
    assert.doesNotMatch(r.stderr, /\u001b/);
  });

  it('test: policy names in the report are escaped', async () => {
    const r = await cli(dir, ['test', 't.iot-policy-test.json']);
    assert.match(r.stdout, /PASS\s+x/);
    assert.doesNotMatch(r.stdout + r.stderr, /\u001b|\u202e/);
  });

  it('JSON output keeps the name exact (JSON escapes it in its own syntax)', async () => {
    const r = await cli(dir, ['lint', '-f', 'json', '.']);
    const files = (JSON.parse(r.stdout) as { file: string }[]).map((f) => f.file);
    assert.ok(files.includes(evil), files.join(', '));
  });
});
