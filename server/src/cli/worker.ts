/**
 * A lint worker thread: it receives batches of files, lints each with lintFile.ts exactly as the
 * main thread does, and posts the outcomes back. The thread runs our own code only: the script is
 * this module's file (the CLI bundle, or this module when run from the compiled sources), never a
 * path or code from the workspace, and it reads files with the CLI's own reader.
 *
 * When the CLI bundle is loaded in a worker, main.ts asks {@link isLintWorker} and starts nothing.
 */
import { isMainThread, parentPort, workerData } from 'worker_threads';
import { readTextFileSync } from '../node/files';
import { useNodeWasm } from '../node/wasm';
import { buildLintConfig, type LintConfigData } from './config';
import { lintJob, type FixMode, type Job, type JobContext, type JobOutcome } from './lintFile';

/** The script a worker runs: this file (in the bundle, the bundle itself). */
export const WORKER_SCRIPT = __filename;

/** The marker and settings a lint worker is started with. */
export interface LintWorkerData {
  iotPolicyLintWorker: true;
  cwd: string;
  config: LintConfigData;
  fix: FixMode;
  quiet: boolean;
}

/** A batch of jobs: indexes `start`.. in the run's order. */
export interface WorkerRequest {
  start: number;
  jobs: Job[];
}

export interface WorkerReply {
  start: number;
  outcomes: JobOutcome[];
}

/** True in a thread started by the lint pool (then this module serves it). */
export function isLintWorker(): boolean {
  return !isMainThread && (workerData as Partial<LintWorkerData> | null)?.iotPolicyLintWorker === true;
}

function serve(data: LintWorkerData): void {
  useNodeWasm(false);
  const config = buildLintConfig(data.config);
  const ctx: JobContext = {
    io: { readFile: (f) => readTextFileSync(f), cwd: data.cwd },
    configFor: (abs) => config.configFor(abs),
    fix: data.fix,
    quiet: data.quiet,
  };
  // Batches are done one after another, in the order they arrive.
  let queue = Promise.resolve();
  parentPort!.on('message', (req: WorkerRequest) => {
    queue = queue.then(async () => {
      const outcomes: JobOutcome[] = [];
      for (const job of req.jobs) outcomes.push(await lintJob(job, ctx));
      const reply: WorkerReply = { start: req.start, outcomes };
      parentPort!.postMessage(reply);
    });
  });
}

if (isLintWorker()) serve(workerData as LintWorkerData);
