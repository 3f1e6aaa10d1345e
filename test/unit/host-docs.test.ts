/**
 * The examples of docs/cloudformation.md and docs/terraform.md are real files, linted by the real
 * CLI in process. A page is read top to bottom:
 *
 * - `<!-- file: NAME -->` before a fenced block: the block is written to NAME in the page's own
 *   scratch folder (a later block of the same name replaces it, as an edit would);
 * - `<!-- run -->` before a fenced block: each `$ iot-policy ...` line in it is run there, and its
 *   standard output then standard error must be the lines under it. The docs shorten the rules'
 *   long messages: a documented line `A ... B` must start with A and end with B (so the position
 *   and the rule id are checked), and one that ends in `...` only has to start the real line;
 * - `<!-- fragment -->` before a fenced block: a part of a file, shown and not linted.
 *
 * Every YAML, JSON, HCL or template block must carry one of these marks, and every file must be
 * named in a run block, so no example goes unchecked.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { cli } from '../util/cli';

const ROOT = path.join(__dirname, '..', '..', '..');

type Step =
  | { kind: 'file'; name: string; text: string }
  | { kind: 'run'; block: string }
  | { kind: 'fragment' };

/** Languages of fenced blocks that are policy files or parts of one. */
const FILE_LANGUAGES = new Set(['yaml', 'yml', 'json', 'hcl', 'terraform', 'tf']);

/** The page's marked blocks, in order; throws on a file-like block without a mark. */
function steps(md: string): Step[] {
  const out: Step[] = [];
  const fence = /^```([a-z]*)\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(md); m; m = fence.exec(md)) {
    const before = md.slice(0, m.index).replace(/\s+$/, '');
    const mark = /<!-- (file: (\S+)|run|fragment) -->$/.exec(before);
    const body = m[2].replace(/\n$/, '');
    if (!mark) {
      assert.ok(!FILE_LANGUAGES.has(m[1]), `a \`\`\`${m[1]} block at offset ${m.index} without a file, run or fragment mark`);
      continue;
    }
    if (mark[2]) out.push({ kind: 'file', name: mark[2], text: `${body}\n` });
    else if (mark[1] === 'run') out.push({ kind: 'run', block: body });
    else out.push({ kind: 'fragment' });
  }
  return out;
}

/** A run block's commands: the words after `$ iot-policy` (quotes group, as a shell does), and the lines under each. */
function commands(block: string): { argv: string[]; expected: string[] }[] {
  const out: { argv: string[]; expected: string[] }[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('$ iot-policy ')) {
      const argv = [...line.slice('$ iot-policy '.length).matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((w) => w[1] ?? w[2] ?? w[3]);
      out.push({ argv, expected: [] });
    } else {
      assert.ok(out.length, `output before any command: ${line}`);
      out[out.length - 1].expected.push(line);
    }
  }
  return out;
}

/** Whether a printed line is the documented one, shortened or not. */
function matches(documented: string, printed: string): boolean {
  const gap = documented.indexOf(' ... ');
  if (gap !== -1) {
    const head = documented.slice(0, gap);
    const tail = documented.slice(gap + ' ... '.length);
    return printed.length > head.length + tail.length && printed.startsWith(head) && printed.endsWith(tail);
  }
  return documented.endsWith('...') ? printed.startsWith(documented.slice(0, -3)) : printed === documented;
}

/** Where the printed lines differ from the documented ones, or undefined. */
function mismatch(expected: readonly string[], actual: readonly string[]): string | undefined {
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const e = expected[i];
    const a = actual[i];
    if (e === undefined || a === undefined || !matches(e, a)) return `line ${i + 1}: documented ${JSON.stringify(e)}, printed ${JSON.stringify(a)}`;
  }
  return undefined;
}

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

/**
 * Plays a page's steps in a fresh folder (a `.git` marks it as the repository root, so no
 * configuration file above it applies); resolves to the first difference, or undefined.
 */
async function play(all: readonly Step[]): Promise<string | undefined> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-policy-host-docs-'));
  roots.push(root);
  fs.mkdirSync(path.join(root, '.git'));
  for (const s of all) {
    if (s.kind === 'file') {
      fs.mkdirSync(path.dirname(path.join(root, s.name)), { recursive: true });
      fs.writeFileSync(path.join(root, s.name), s.text);
    } else if (s.kind === 'run') {
      for (const c of commands(s.block)) {
        const r = await cli(root, c.argv);
        const printed = (r.stdout + r.stderr).replace(/\n$/, '').split('\n');
        const diff = mismatch(c.expected, printed);
        if (diff) return `iot-policy ${c.argv.join(' ')}: ${diff}`;
      }
    }
  }
  return undefined;
}

for (const page of ['cloudformation.md', 'terraform.md']) {
  describe(`docs/${page} examples`, () => {
    const md = fs.readFileSync(path.join(ROOT, 'docs', page), 'utf8');
    const all = steps(md);
    const runs = all.filter((s) => s.kind === 'run').map((s) => s.block).join('\n');

    it('has example files, and runs that lint them', () => {
      assert.ok(all.filter((s) => s.kind === 'file').length >= 3);
      assert.ok(runs.length > 0);
    });

    it('every example file is named by a command or its output', () => {
      const unnamed = all.flatMap((s) => (s.kind === 'file' && !runs.includes(s.name) ? [s.name] : []));
      assert.deepEqual(unnamed, []);
    });

    it('each command prints what the page shows', async () => {
      assert.equal(await play(all), undefined);
    });
  });
}

describe('the example player can fail', () => {
  const file: Step = { kind: 'file', name: 'stack.yaml', text: 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  P:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument:\n        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n            Action: iot:Conect\n            Resource: "*"\n' };

  it('a command whose output is not shown, or is shown at the wrong line, is a difference', async () => {
    const silent = await play([file, { kind: 'run', block: '$ iot-policy lint --format json stack.yaml' }]);
    assert.match(silent ?? '', /line 1: documented undefined, printed "\["/);
    const wrong = await play([file, { kind: 'run', block: '$ iot-policy lint stack.yaml\nstack.yaml:9:21 error `iot:Conect` ... [unknown-action]' }]);
    assert.match(wrong ?? '', /line 1: documented "stack\.yaml:9:21 .*printed "stack\.yaml:10:21 /);
    const right = await play([file, { kind: 'run', block: '$ iot-policy lint stack.yaml\nstack.yaml:10:21 error `iot:Conect` ... [unknown-action]\n1 problem can be fixed...\n1 problem (1 error, 0 warnings, 0 infos) in 1 file' }]);
    assert.equal(right, undefined);
  });

  it('a shortened line must keep its start and its end', () => {
    const printed = ['a.yaml:1:1 error `x` is not an IoT policy action. [unknown-action]'];
    assert.equal(mismatch(['a.yaml:1:1 error `x` is ... [unknown-action]'], printed), undefined);
    assert.ok(mismatch(['a.yaml:1:1 error `x` is ... [invalid-arn]'], printed), 'another rule id');
    assert.ok(mismatch(['a.yaml:1:2 error `x` is ... [unknown-action]'], printed), 'another column');
    assert.ok(mismatch(['a.yaml:1:1 error `x` is...'], [...printed, 'more']), 'a line more');
  });

  it('an unmarked file block is refused', () => {
    assert.throws(() => steps('text\n\n```yaml\na: 1\n```\n'), /without a file, run or fragment mark/);
    assert.deepEqual(steps('<!-- fragment -->\n```yaml\na: 1\n```\n'), [{ kind: 'fragment' }]);
  });
});
