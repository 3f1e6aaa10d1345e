/**
 * The command-line examples of docs/cli.md marked `<!-- cli-example -->` are real runs: each `$`
 * line is run in process, in order, on a fresh copy of the repository's examples/bad-*.json (so
 * `--fix` in one command is seen by the next), and its standard output then standard error must
 * be the lines under it. A documented line that ends in `...` only has to start the real line
 * (the docs shorten the rules' long messages).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { nodeIo, type CliIo } from '../../server/src/cli/io';
import { main } from '../../server/src/cli/main';

const ROOT = path.join(__dirname, '..', '..', '..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'cli.md'), 'utf8');
const MARK = '<!-- cli-example:';

/** The fenced blocks under a cli-example mark. */
function examples(md: string): string[] {
  const out: string[] = [];
  for (let at = md.indexOf(MARK); at !== -1; at = md.indexOf(MARK, at + 1)) {
    const m = /-->\n```[a-z]*\n([\s\S]*?)\n```/.exec(md.slice(at));
    assert.ok(m, `a fenced block after the mark at offset ${at}`);
    out.push(m[1]);
  }
  return out;
}

/** A block's commands: the words after `$ iot-policy` (double quotes group, as a shell does), and the lines under it. */
function commands(block: string): { argv: string[]; expected: string[] }[] {
  const out: { argv: string[]; expected: string[] }[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('$ iot-policy ')) {
      const argv = [...line.slice('$ iot-policy '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((w) => w[1] ?? w[2]);
      out.push({ argv, expected: [] });
    } else {
      assert.ok(out.length, `output before any command: ${line}`);
      out[out.length - 1].expected.push(line);
    }
  }
  return out;
}

/** Where the real lines differ from the documented ones, or undefined. */
function mismatch(expected: readonly string[], actual: readonly string[]): string | undefined {
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const e = expected[i];
    const a = actual[i];
    if (e === undefined || a === undefined) return `line ${i + 1}: documented ${JSON.stringify(e)}, printed ${JSON.stringify(a)}`;
    const ok = e.endsWith('...') ? a.startsWith(e.slice(0, -3)) : a === e;
    if (!ok) return `line ${i + 1}: documented ${JSON.stringify(e)}, printed ${JSON.stringify(a)}`;
  }
  return undefined;
}

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function copyOfExamples(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-policy-docs-'));
  roots.push(root);
  fs.mkdirSync(path.join(root, '.git'));
  fs.mkdirSync(path.join(root, 'examples'));
  for (const f of fs.readdirSync(path.join(ROOT, 'examples'))) {
    if (f.startsWith('bad-')) fs.copyFileSync(path.join(ROOT, 'examples', f), path.join(root, 'examples', f));
  }
  return root;
}

async function run(cwd: string, argv: string[]): Promise<string[]> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readFile: nodeIo().readFile, cwd, isTTY: false, env: {} };
  await main(argv, io);
  return (stdout + stderr).replace(/\n$/, '').split('\n');
}

describe('docs/cli.md examples', () => {
  const blocks = examples(DOC);
  it('has examples to run', () => assert.ok(blocks.length >= 2));
  blocks.forEach((block, n) => {
    it(`example ${n + 1} (${block.split('\n')[0]}) prints what the docs show`, async () => {
      const root = copyOfExamples();
      for (const c of commands(block)) {
        const diff = mismatch(c.expected, await run(root, c.argv));
        assert.equal(diff, undefined, `iot-policy ${c.argv.join(' ')}: ${diff}`);
      }
    });
  });
  it('the matcher fails on a changed line and on a missing one', () => {
    assert.ok(mismatch(['a...', 'b'], ['abc', 'c']));
    assert.ok(mismatch(['a', 'b'], ['a']));
    assert.equal(mismatch(['a...', 'b'], ['abc', 'b']), undefined);
  });
});
