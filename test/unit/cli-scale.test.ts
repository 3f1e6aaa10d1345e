/**
 * What keeps `iot-policy lint` small on large trees, tested for exactness: the compact job list
 * (paths built on demand, equal to the paths discovery used to hold), de-duplication only between
 * inputs that overlap, each file reported once whichever way it is reached first, the bounded
 * store of outcomes of repeated texts (admitted on second sight, evicted oldest first), and the
 * young generation of the process kept at its initial size (heap.ts).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { discoverTargets, type Discovery } from '../../server/src/cli/discover';
import { nodeIo, type CliIo } from '../../server/src/cli/io';
import { RememberedOutcomes } from '../../server/src/cli/lintFile';
import { PaceJudge } from '../../server/src/cli/parallel';
import { main } from '../../server/src/cli/main';
import { tempProject } from '../util/project';

const GOOD = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: 'arn:aws:iot:eu-west-1:493812760155:client/${iot:Connection.Thing.ThingName}' }],
}, null, 2);

const project = (files: Record<string, unknown>): string => tempProject(files, { prefix: 'cli-scale' });

function jobsOf(d: Discovery): { file: string; abs: string; named: boolean }[] {
  const out = [];
  for (let i = 0; i < d.jobs.length; i++) out.push(d.jobs.get(i));
  return out;
}

async function lintJson(cwd: string, args: string[]): Promise<{ code: number; files: string[]; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { ...nodeIo(), cwd, isTTY: false, env: {}, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) };
  const code = await main(['lint', '-f', 'json', ...args], io);
  return { code, files: (JSON.parse(stdout) as { file: string }[]).map((f) => f.file.split(path.sep).join('/')), stderr };
}

describe('lint discovery: the compact job list', () => {
  const tree = { 'a/p1.json': GOOD, 'a/b/p2.json': GOOD, 'a/b/c/p3.json': GOOD, 'a/z.json': GOOD, 'x.json': GOOD };

  it('names every file as path.join(input, path below it), whatever the spelling of the input', () => {
    const root = project(tree);
    for (const input of ['a', 'a/', './a', './a/', 'a/b/..', path.join(root, 'a'), `${path.join(root, 'a')}/`, '.', './']) {
      const d = discoverTargets([input], { cwd: root });
      const jobs = jobsOf(d);
      const rels = ['b/c/p3.json', 'b/p2.json', 'p1.json', 'z.json'].map((r) => (input === '.' || input === './' ? `a/${r}` : r));
      const want = (input === '.' || input === './' ? [...rels, 'x.json'] : rels);
      assert.deepEqual(jobs.map((j) => j.file), want.map((r) => path.join(input, r)), input);
      assert.deepEqual(jobs.map((j) => j.abs), want.map((r) => path.join(path.resolve(root, input), r)), input);
      assert.ok(jobs.every((j) => !j.named));
    }
  });

  it('names glob matches as the glob is written', () => {
    const root = project(tree);
    const d = discoverTargets(['./a/**/p*.json'], { cwd: root });
    assert.deepEqual(jobsOf(d).map((j) => j.file), ['./a/b/c/p3.json', './a/b/p2.json', './a/p1.json']);
    assert.deepEqual(jobsOf(d).map((j) => j.abs), ['b/c/p3.json', 'b/p2.json', 'p1.json'].map((r) => path.join(root, 'a', r)));
  });

  it('adds a file once when inputs overlap, in any order; keeps inputs that only share a name prefix apart', () => {
    const root = project({ ...tree, 'ab/q.json': GOOD });
    const files = (inputs: string[]): string[] => jobsOf(discoverTargets(inputs, { cwd: root })).map((j) => `${j.file}${j.named ? ' (named)' : ''}`);
    assert.deepEqual(files(['a/b', 'a']), ['a/b/c/p3.json', 'a/b/p2.json', 'a/p1.json', 'a/z.json']);
    assert.deepEqual(files(['a', 'a/b/p2.json']), ['a/b/c/p3.json', 'a/b/p2.json (named)', 'a/p1.json', 'a/z.json']);
    assert.deepEqual(files(['a/z.json', 'a']), ['a/z.json (named)', 'a/b/c/p3.json', 'a/b/p2.json', 'a/p1.json']);
    assert.deepEqual(files(['x.json', 'x.json', './x.json']), ['x.json (named)']);
    // `ab` starts with `a` as a string, not as a folder: both inputs are listed in full.
    assert.deepEqual(files(['a', 'ab']), ['a/b/c/p3.json', 'a/b/p2.json', 'a/p1.json', 'a/z.json', 'ab/q.json']);
    const d = discoverTargets(['a/b', 'a', 'a/**/*.json'], { cwd: root });
    assert.deepEqual(d.searches.map((s) => [s.input, s.first, s.end, s.reached]), [
      ['a/b', 0, 2, []],
      ['a', 2, 4, [0, 1]],
      ['a/**/*.json', 4, 4, [0, 1, 2, 3]],
    ]);
  });

  it('130,000 files named: each one job, without comparing every input with every other', () => {
    const root = project({});
    const inputs = Array.from({ length: 130_000 }, (_, i) => `missing-${i}.json`);
    const d = discoverTargets([...inputs, 'missing-7.json'], { cwd: root });
    assert.equal(d.jobs.length, 130_000);
    assert.deepEqual(d.jobs.get(129_999), { file: 'missing-129999.json', abs: path.join(root, 'missing-129999.json'), named: true });
  });
});

describe('lint: a file reached twice is reported once', () => {
  const TF = (target: string): string => [
    'resource "aws_iot_policy" "p" {', '  name   = "p"', `  policy = file("\${path.module}/${target}")`, '}', '',
  ].join('\n');

  it('a policy file listed before the Terraform file that names it: under its own path, once', async () => {
    const root = project({ 'a.json': GOOD, 'z.tf': TF('a.json') });
    const r = await lintJson(root, ['.']);
    assert.deepEqual(r.files, ['a.json', 'z.tf']);
  });

  it('a policy file named by a Terraform file listed before it: under its own path, once', async () => {
    const root = project({ 'a.tf': TF('z.json'), 'z.json': GOOD });
    const r = await lintJson(root, ['.']);
    assert.deepEqual(r.files, ['a.tf', 'z.json']);
  });

  it('a file named by two Terraform files: once', async () => {
    const root = project({ 'a.tf': TF('shared/p.json'), 'b.tf': TF('shared/p.json'), 'shared/p.json': GOOD });
    const r = await lintJson(root, ['a.tf', 'b.tf']);
    assert.deepEqual(r.files, ['a.tf', 'shared/p.json', 'b.tf']);
  });
});

describe('lint: outcomes of repeated texts', () => {
  const bounds = { entries: 3, chars: 1000, textChars: 100, sightings: 1000 };

  it('keeps a text on its second sight, never on its first', () => {
    const c = new RememberedOutcomes<string>(bounds);
    c.offer('ctx', 'text one', 'A');
    assert.equal(c.get('ctx', 'text one'), undefined);
    assert.equal(c.size, 0);
    c.offer('ctx', 'text one', 'A');
    assert.equal(c.get('ctx', 'text one'), 'A');
    assert.equal(c.size, 1);
  });

  it('answers only for the exact text and the same context', () => {
    const c = new RememberedOutcomes<string>(bounds);
    for (let i = 0; i < 2; i++) c.offer('ctx', 'abc', 'A');
    assert.equal(c.get('ctx', 'abd'), undefined);
    assert.equal(c.get('ctx', 'abc '), undefined);
    assert.equal(c.get('other', 'abc'), undefined);
    // Seen in another context, the text is new there.
    c.offer('other', 'abc', 'B');
    assert.equal(c.get('other', 'abc'), undefined);
  });

  it('evicts the oldest past the count and the characters it may hold; never keeps a long text', () => {
    const c = new RememberedOutcomes<number>(bounds);
    const keep = (t: string, v: number): void => {
      c.offer('ctx', t, v);
      c.offer('ctx', t, v);
    };
    for (let i = 0; i < 5; i++) keep(`text ${i}`, i);
    assert.equal(c.size, 3);
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => c.get('ctx', `text ${i}`)), [undefined, undefined, 2, 3, 4]);
    const wide = new RememberedOutcomes<number>({ ...bounds, entries: 100, chars: 25 });
    for (let i = 0; i < 5; i++) {
      wide.offer('ctx', `text ${i}`, i);
      wide.offer('ctx', `text ${i}`, i);
    }
    // 6 characters each: four fit in 25.
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => wide.get('ctx', `text ${i}`)), [undefined, 1, 2, 3, 4]);
    const long = 'x'.repeat(101);
    keep(long, 9);
    assert.equal(c.get('ctx', long), undefined);
  });

  it('forgets its sightings after the bound, so that a long run of distinct texts keeps nothing', () => {
    const c = new RememberedOutcomes<number>({ ...bounds, entries: 10_000, chars: 1e9, sightings: 100 });
    for (let i = 0; i < 100_050; i++) c.offer('ctx', `distinct ${i}`, i);
    // Every text was seen once; a hash collision lets one in now and then (about 10 here; without
    // forgetting, the filter would fill and let in thousands).
    assert.ok(c.size <= 50, `kept ${c.size}`);
    c.offer('ctx', 'distinct 100049', 1);
    assert.equal(c.get('ctx', 'distinct 100049'), 1);
  });

  it('evicts many times without losing the newest', () => {
    const c = new RememberedOutcomes<number>({ ...bounds, entries: 10, chars: 1e9, sightings: 1e9 });
    for (let i = 0; i < 5000; i++) {
      c.offer('ctx', `t${i}`, i);
      c.offer('ctx', `t${i}`, i);
    }
    assert.equal(c.size, 10);
    for (let i = 4990; i < 5000; i++) assert.equal(c.get('ctx', `t${i}`), i);
    assert.equal(c.get('ctx', 't4989'), undefined);
  });
});

describe('lint: the young generation of the process', () => {
  /**
   * In a child process (V8's flags are per process): tune, start a worker thread, then allocate
   * objects that survive scavenges (what makes V8 grow the young generation); print the size of
   * the main thread's new space. Without heap.ts the same script ends at 32 MB.
   */
  const script = (retune: boolean): string => `
    const v8 = require('v8');
    const { Worker } = require('worker_threads');
    const heap = require(${JSON.stringify(path.join(__dirname, '../../server/src/cli/heap.js'))});
    heap.tuneHeap();
    const w = new Worker('setTimeout(() => {}, 10000)', { eval: true });
    w.once('online', () => {
      ${retune ? 'heap.retuneHeap();' : ''}
      const keep = [];
      for (let i = 0; i < 2e6; i++) keep[i % 50000] = { i, s: 'x' + i };
      const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      console.log(space.space_size);
      w.terminate();
    });`;

  it('keeps its initial size through a run, also after a worker thread started', () => {
    const r = spawnSync(process.execPath, ['-e', script(true)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const size = Number(r.stdout.trim());
    assert.ok(size > 0 && size <= 4 * 1024 * 1024, `new space ${size} bytes`);
  });
});

describe('lint --concurrency auto: when workers start', () => {
  /**
   * Feeds the judge the main thread's batches of 16 files, file `i` taking `msPerFile(i)`; the
   * number of files done when it says to start workers, or undefined.
   */
  function startsAt(total: number, msPerFile: (i: number) => number): number | undefined {
    const judge = new PaceJudge(total);
    let ms = 100;
    for (let done = 0; done < total;) {
      for (let k = 0; k < 16 && done < total; k++) ms += msPerFile(done++);
      if (judge.startNow(done, done, ms)) return done;
    }
    return undefined;
  }
  /** The pace measured on 10,000 distinct policies, one window after another (cold code warming up). */
  const warming = (i: number): number => (i < 512 ? 0.77 : i < 1024 ? 0.51 : i < 2048 ? 0.31 : i < 4096 ? 0.19 : 0.13);

  it('not on a run whose first files are slow only while the code warms up', () => {
    assert.equal(startsAt(10_000, warming), undefined);
  });
  it('not on a short run at a steady pace', () => {
    assert.equal(startsAt(10_000, () => 0.1), undefined);
    assert.equal(startsAt(100_000, () => 0.02), undefined);
  });
  it('on a long run, once the pace has settled', () => {
    // Steady: the first window only opens (256), the next measures (512), the one after confirms (1,024).
    assert.equal(startsAt(10_000, () => 1), 1024);
    // The same warm-up, then many more files: once it has settled, the rest is long.
    assert.equal(startsAt(100_000, warming), 16_384);
  });
  it('when the files get slower later in the run', () => {
    assert.equal(startsAt(100_000, (i) => (i < 20_000 ? 0.01 : 0.5)), 32_768);
  });
});
