/**
 * Running lint's jobs on the main thread and, when there are many files, on worker threads too
 * (worker.ts), with the outcomes handed on strictly in job order: the output of a parallel run is
 * byte for byte that of a serial one.
 *
 * Work goes out in batches: each worker has up to two batches in flight (so it never waits for
 * the main thread), and the main thread lints small batches itself between handing outcomes on.
 * Outcomes that arrive ahead of their turn wait in a bounded buffer; when it is full, the main
 * thread stops taking work until the turn comes. A worker that fails gives its batches back to
 * the main thread, which lints them itself.
 */
import { performance } from 'perf_hooks';
import { Worker } from 'worker_threads';
import type { JobList } from './discover';
import { retuneHeap } from './heap';
import type { Job, JobOutcome } from './lintFile';
import { WORKER_SCRIPT, type LintWorkerData, type WorkerReply, type WorkerRequest } from './worker';

/** Fewer files than this are linted on the main thread alone: starting a worker costs more. */
export const PARALLEL_MIN_FILES = 400;
const WORKER_BATCH = 64;
const MAIN_BATCH = 16;
/** Outcomes held ahead of their turn before the main thread stops taking work. */
const MAX_AHEAD = 4096;
/** The young generation of a worker's heap: lint allocates short-lived objects; a small nursery keeps memory low. */
const WORKER_YOUNG_MB = 4;
/** Adaptive start: the pace is judged over windows of files that start here and double... */
const FIRST_WINDOW = 256;
/** ...once it has settled (a window at least this fraction of the previous one's time per file)... */
const SETTLED = 0.75;
/** ...and workers start when the rest, at that pace, would take longer than this on the main thread alone. */
const WORTH_A_WORKER_MS = 3000;

/**
 * When `--concurrency auto` starts its workers. A worker costs a thread, its own heap and copy of
 * the code (about 25 MB) and its own warm-up, so it pays only on a long run. The pace of the first
 * files says little: the code is cold for thousands of files (measured on 10,000 distinct
 * policies: 0.77, 0.51, 0.31, 0.19, 0.13 ms a file over files 256-512, 512-1,024, ... 4,096-8,192),
 * and in a tree of copies the first files are the only ones analysed. So the pace is measured over
 * windows that double, and judged only once it has settled (no longer improving by more than a
 * quarter from one window to the next); workers start when the rest would then take longer than
 * WORTH_A_WORKER_MS. The rule it replaces (the pace from the first file, judged after 256 files)
 * started a worker on runs of 0.8 and 2 s on two idle cores, which made them no faster and
 * added 22 to 27 MB.
 */
export class PaceJudge {
  private windowStart: { files: number; ms: number } | undefined;
  private lastPace: number | undefined;
  private nextCheck = FIRST_WINDOW;

  constructor(private readonly total: number) {}

  /** After the main thread has done `done` files (`taken` being taken) at `ms` (a monotonic clock): true to start workers now. */
  startNow(done: number, taken: number, ms: number): boolean {
    if (done < this.nextCheck) return false;
    const w = this.windowStart;
    this.windowStart = { files: done, ms };
    this.nextCheck = done * 2;
    if (!w) return false;
    const pace = (ms - w.ms) / (done - w.files);
    const last = this.lastPace;
    this.lastPace = pace;
    if (last === undefined || pace < last * SETTLED) return false;
    return pace * (this.total - taken) > WORTH_A_WORKER_MS;
  }
}

export interface PoolOptions {
  jobs: JobList;
  /** Worker threads besides the main thread (0: the main thread alone). */
  threads: number;
  /**
   * Start the workers only once the main thread's pace says the rest would take longer than
   * WORTH_A_WORKER_MS (a worker costs a thread start and its own heap; PaceJudge):
   * `--concurrency auto`.
   */
  adaptive: boolean;
  data: Omit<LintWorkerData, 'iotPolicyLintWorker'>;
  /** Lints one job on the main thread. */
  lintHere(job: Job): Promise<JobOutcome>;
  /** Called with every outcome, in job order. */
  emit(index: number, outcome: JobOutcome): void;
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Member {
  worker: Worker;
  /** Batches sent and not answered: [start, end). */
  inFlight: [number, number][];
  alive: boolean;
}

export async function runJobs(o: PoolOptions): Promise<void> {
  const { jobs } = o;
  let next = 0;
  /** Ranges a failed worker gave back. */
  const retry: [number, number][] = [];
  const ahead = new Map<number, JobOutcome>();
  let emitted = 0;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const handOn = (): void => {
    for (let x = ahead.get(emitted); x !== undefined; x = ahead.get(emitted)) {
      ahead.delete(emitted);
      o.emit(emitted++, x);
    }
  };
  const take = (n: number): [number, number] | undefined => {
    const r = retry.shift();
    if (r) return r;
    if (next >= jobs.length) return undefined;
    const start = next;
    next = Math.min(jobs.length, start + n);
    return [start, next];
  };

  const members: Member[] = [];
  const give = (m: Member): void => {
    if (!m.alive || ahead.size >= MAX_AHEAD) return;
    const range = next < jobs.length ? take(WORKER_BATCH) : undefined;
    if (!range) return;
    m.inFlight.push(range);
    const batch: Job[] = [];
    for (let i = range[0]; i < range[1]; i++) batch.push(jobs.get(i));
    const req: WorkerRequest = { start: range[0], jobs: batch };
    m.worker.postMessage(req);
  };
  const fail = (m: Member): void => {
    if (!m.alive) return;
    m.alive = false;
    retry.push(...m.inFlight);
    m.inFlight = [];
    void m.worker.terminate();
    signal();
  };
  const startWorkers = (): void => {
    for (let i = 0; i < o.threads; i++) members.push(startWorker(o, give, fail, ahead, signal));
    for (const m of members) {
      give(m);
      give(m);
    }
  };
  let started = false;
  const pace = new PaceJudge(jobs.length);
  let doneHere = 0;
  if (!o.adaptive && o.threads > 0) {
    startWorkers();
    started = true;
  }

  try {
    while (emitted < jobs.length) {
      handOn();
      if (emitted >= jobs.length) break;
      // Work on the main thread while there is some and the buffer has room; else wait for a worker.
      const range = ahead.size < MAX_AHEAD || retry.length ? take(MAIN_BATCH) : undefined;
      if (range) {
        for (let i = range[0]; i < range[1]; i++) ahead.set(i, await o.lintHere(jobs.get(i)));
        doneHere += range[1] - range[0];
        handOn();
        if (!started && o.threads > 0 && next < jobs.length && pace.startNow(doneHere, next, performance.now())) {
          startWorkers();
          started = true;
        }
        for (const m of members) if (m.inFlight.length < 2) give(m);
        if (members.length) await nextTick();
        continue;
      }
      if (!members.some((m) => m.alive && m.inFlight.length)) {
        // Nothing in flight and nothing to take: the buffer is full of outcomes ahead of a turn
        // no one holds. Cannot happen; lint what is missing here rather than wait forever.
        const missing = emitted;
        ahead.set(missing, await o.lintHere(jobs.get(missing)));
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    for (const m of members) {
      m.alive = false;
      m.worker.removeAllListeners('exit');
      void m.worker.terminate();
    }
  }
}

/** A worker thread that lints the batches it is given and hands the outcomes back. */
function startWorker(
  o: PoolOptions, give: (m: Member) => void, fail: (m: Member) => void, ahead: Map<number, JobOutcome>, signal: () => void,
): Member {
  const data: LintWorkerData = { iotPolicyLintWorker: true, ...o.data };
  const worker = new Worker(WORKER_SCRIPT, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
  const m: Member = { worker, inFlight: [], alive: true };
  // Its isolate is set up once it runs: V8 has then reset the growth of young generations (heap.ts).
  worker.once('online', retuneHeap);
  worker.on('message', (reply: WorkerReply) => {
    m.inFlight.shift();
    reply.outcomes.forEach((x, k) => ahead.set(reply.start + k, x));
    give(m);
    signal();
  });
  worker.on('error', () => fail(m));
  worker.on('exit', () => fail(m));
  return m;
}
