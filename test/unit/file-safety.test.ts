/**
 * What a hostile repository can make the CLI read: symbolic links out of the linted folder,
 * FIFOs, devices and huge files. Every read goes through node/files.ts; these tests run the CLI
 * in process with that reader and check that nothing outside the folder is read or quoted, and
 * that nothing hangs or exhausts memory.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { MAX_FILE_BYTES, readTextFile, readTextFileSync } from '../../server/src/node/files';
import { nodeRuntime } from '../../server/src/node/runtime';
import { cli } from '../util/cli';

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  roots.push(root);
  return root;
}

function project(files: Record<string, string>): string {
  const root = tempDir('iot-policy-safety-');
  fs.mkdirSync(path.join(root, '.git'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function mkfifo(p: string): void {
  execFileSync('mkfifo', [p]);
}

/** Fails the test instead of hanging it when `work` does not settle within `ms`. */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const CREDENTIALS = `[default]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`;
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: 'arn:aws:iot:eu-west-1:123456789012:client/a' }] });

describe('symbolic links in a linted folder', () => {
  it('a link to a file outside the folder is skipped and reported, and its content never printed', async () => {
    const home = tempDir('iot-policy-home-');
    fs.writeFileSync(path.join(home, 'credentials'), CREDENTIALS);
    const root = project({ 'repo/ok.iot-policy.json': POLICY });
    fs.symlinkSync(path.join(home, 'credentials'), path.join(root, 'repo/x.iot-policy.json'));
    for (const format of ['text', 'json', 'sarif']) {
      const r = await within(5000, cli(root, ['lint', '--format', format, 'repo']));
      const all = r.stdout + r.stderr;
      assert.ok(!all.includes(KEY_ID) && !all.includes('EXAMPLEKEY') && !all.includes('aws_secret'), `${format}: ${all}`);
      assert.match(r.stderr, /skipped repo[\\/]x\.iot-policy\.json: a symbolic link to a file outside the linted folder/);
      if (format === 'sarif') {
        const notes = JSON.parse(r.stdout).runs[0].invocations[0].toolExecutionNotifications as { level: string; message: { text: string } }[];
        assert.deepEqual(notes.map((n) => n.level), ['note']);
        assert.match(notes[0].message.text, /^Skipped repo[\\/]x\.iot-policy\.json/);
      }
      if (format === 'json') assert.deepEqual((JSON.parse(r.stdout) as { file: string }[]).map((f) => f.file), [path.join('repo', 'ok.iot-policy.json')]);
    }
  });

  it('a link to a file inside the folder is followed', async () => {
    const root = project({ 'repo/real/policy.json': POLICY.replace('client/a', 'client/*') });
    fs.symlinkSync(path.join(root, 'repo/real/policy.json'), path.join(root, 'repo/linked.iot-policy.json'));
    const r = await cli(root, ['lint', '--format', 'json', 'repo']);
    const files = (JSON.parse(r.stdout) as { file: string }[]).map((f) => f.file);
    assert.ok(files.includes(path.join('repo', 'linked.iot-policy.json')), files.join());
  });

  it('a link to a FIFO inside the folder is skipped, without blocking', async () => {
    const root = project({ 'repo/ok.iot-policy.json': POLICY });
    mkfifo(path.join(root, 'repo/pipe'));
    fs.symlinkSync(path.join(root, 'repo/pipe'), path.join(root, 'repo/p.iot-policy.json'));
    const r = await within(5000, cli(root, ['lint', 'repo']));
    assert.match(r.stderr, /skipped repo[\\/]p\.iot-policy\.json: a symbolic link to something that is not a regular file/);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
});

describe('stray text is named, not quoted', () => {
  it('a credentials file linted by name: json-syntax names tokens by position', async () => {
    const root = project({ 'credentials.iot-policy.json': CREDENTIALS });
    for (const format of ['text', 'json', 'sarif']) {
      const r = await cli(root, ['lint', '--format', format, 'credentials.iot-policy.json']);
      assert.equal(r.code, 1);
      assert.ok(!r.stdout.includes(KEY_ID) && !r.stdout.includes('EXAMPLEKEY') && !r.stdout.includes('aws_access_key_id'), `${format}: ${r.stdout}`);
    }
    const text = await cli(root, ['lint', 'credentials.iot-policy.json']);
    assert.match(text.stdout, /Unquoted text at 2:1 \(17 characters\)/);
  });

  it('short tokens and policy words are still quoted', async () => {
    const root = project({ 'p.iot-policy.json': '{Statement: [], Version: "2012-10-17"}' });
    const r = await cli(root, ['lint', 'p.iot-policy.json']);
    assert.match(r.stdout, /Unquoted property name `Statement`: .* Write `"Statement"`/);
  });
});

describe('special and huge files', () => {
  it('lint /dev/zero: a one-line error, exit 2, at once', async () => {
    const root = project({});
    const r = await within(5000, cli(root, ['lint', '/dev/zero']));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read \/dev\/zero: is a device, not a regular file/);
  });

  it('a configuration file symlinked to /dev/zero is refused', async () => {
    const root = project({ 'p.iot-policy.json': POLICY });
    fs.symlinkSync('/dev/zero', path.join(root, 'iot-policy.config.json'));
    const r = await within(5000, cli(root, ['lint', 'p.iot-policy.json']));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read configuration file iot-policy\.config\.json: is a device, not a regular file/);
  });

  it('a FIFO named on the command line does not hang', async () => {
    const root = project({});
    mkfifo(path.join(root, 'fifo.iot-policy.json'));
    const r = await within(5000, cli(root, ['lint', 'fifo.iot-policy.json']));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is a FIFO, not a regular file/);
  });

  it('test: a test file naming a FIFO policy fails that file only, and the others still run', async () => {
    const root = project({
      'device.iot-policy.json': POLICY,
      'a.iot-policy-test.json': JSON.stringify({ policies: ['fifo.json'], cases: [{ name: 'x', request: { action: 'iot:Connect', resource: 'arn:aws:iot:eu-west-1:123456789012:client/a' }, expect: 'Allow' }] }),
      'b.iot-policy-test.json': JSON.stringify({ policies: ['device.iot-policy.json'], cases: [{ name: 'y', request: { action: 'iot:Connect', resource: 'arn:aws:iot:eu-west-1:123456789012:client/a' }, expect: 'Allow' }] }),
    });
    mkfifo(path.join(root, 'fifo.json'));
    const r = await within(5000, cli(root, ['test', 'a.iot-policy-test.json', 'b.iot-policy-test.json']));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read policy fifo\.json: is a FIFO, not a regular file/);
    assert.match(r.stdout, /1 passed, 0 failed/);
  });

  it('eval: a request read from a FIFO is refused', async () => {
    const root = project({ 'p.iot-policy.json': POLICY });
    mkfifo(path.join(root, 'request.json'));
    const r = await within(5000, cli(root, ['eval', '--policy', 'p.iot-policy.json', '--request', 'request.json']));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read request request\.json: is a FIFO, not a regular file/);
  });

  it('a file over the size cap is refused, by both readers', async () => {
    const root = project({});
    const big = path.join(root, 'big.iot-policy.json');
    fs.writeFileSync(big, Buffer.alloc(MAX_FILE_BYTES + 1, 0x20));
    assert.throws(() => readTextFileSync(big), /larger than 10 MB/);
    await assert.rejects(readTextFile(big), /larger than 10 MB/);
    const r = await cli(root, ['lint', 'big.iot-policy.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read big\.iot-policy\.json: larger than 10 MB/);
  });

  it('files of unknown length (/proc) are read up to the cap', () => {
    if (!fs.existsSync('/proc/self/status')) return;
    assert.match(readTextFileSync('/proc/self/status'), /^Name:/);
    assert.throws(() => readTextFileSync('/proc/self/status', 16), /larger than/);
  });
});

describe('the language server reads only regular files', () => {
  it('FIFOs, devices, standard input and missing files resolve to undefined at once', async () => {
    const root = tempDir('iot-policy-server-');
    mkfifo(path.join(root, 'fifo'));
    const uris = [path.join(root, 'fifo'), '/dev/zero', '/dev/stdin', '/proc/self/fd/0', path.join(root, 'missing')].map((p) => `file://${p}`);
    const texts = await within(3000, Promise.all(uris.map((u) => nodeRuntime.readFile(u))));
    assert.deepEqual(texts, uris.map(() => undefined));
  });

  it('a regular file is read', async () => {
    const root = tempDir('iot-policy-server-');
    fs.writeFileSync(path.join(root, 'p.json'), POLICY);
    assert.equal(await nodeRuntime.readFile(`file://${path.join(root, 'p.json')}`), POLICY);
  });
});
