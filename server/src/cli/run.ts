/**
 * Running lint over the files discovery found: each file is linted (lintFile.ts) on the main
 * thread or a worker (parallel.ts), and its outcome is handed on in order as soon as it is its
 * turn: printed by the output format, fixed on disk (`--fix`) or shown as a diff
 * (`--fix-dry-run`), then dropped. Nothing holds all the results: the totals are counts.
 *
 * A file reached twice (named and found under a folder, or named by a Terraform file) is linted
 * and fixed once, under the first path that reached it.
 */
import type { Severity } from '../service';
import type { InputSearch, JobList, UnreadableFile } from './discover';
import { unifiedDiff } from './unifiedDiff';
import type { Reporter, RunTotals } from './format/reporter';
import { lintJob, type FileReport, type FixMode, type JobContext, type JobOutcome } from './lintFile';
import type { Sink } from './output';
import { runJobs } from './parallel';
import type { LintConfigData } from './config';
import { toPosix } from './paths';
import { writeFixed } from './write';
import { printable } from './format/printable';

export interface RunOptions {
  jobs: JobList;
  searches: readonly InputSearch[];
  ctx: JobContext;
  reporter: Reporter;
  /** Where `--fix-dry-run` writes its diff. */
  diff?: Sink;
  /** Writes a line to stderr, after flushing the report so far (so a terminal shows both in order). */
  note(line: string): void;
  /** Worker threads besides the main one. */
  threads: number;
  /** Start them only when the run turns out long (`--concurrency auto`). */
  adaptive: boolean;
  config: LintConfigData;
  /** Files left out on purpose, for the totals (SARIF notifications). */
  skipped: readonly UnreadableFile[];
  /** Directories that could not be read. */
  unreadable: readonly UnreadableFile[];
}

export interface RunResult extends RunTotals {
  /** Warnings found, including those `--quiet` does not show. */
  warnings: number;
  /** Files whose fix could not be written. */
  unwritable: number;
}

function emptyCounts(): Record<Severity, number> {
  return { error: 0, warning: 0, info: 0, hint: 0 };
}

export async function runLint(o: RunOptions): Promise<RunResult> {
  const fix: FixMode = o.ctx.fix;
  const totals: RunResult = {
    files: 0, counts: emptyCounts(), unreadable: [...o.unreadable], skipped: o.skipped, fix, fixable: 0,
    fixed: { problems: 0, files: 0 }, warnings: 0, unwritable: 0,
  };
  const unreadable = totals.unreadable as UnreadableFile[];
  for (const u of o.unreadable) {
    o.reporter.unreadable(u);
    o.note(`cannot read ${printable(u.file)}: ${u.reason}`);
  }
  const isPolicy = new Uint8Array(o.jobs.length);
  /**
   * Which files have been reported (each once, under the first path that reached it): a job's own
   * report by its index; a file another names (Terraform's `file("policy.json")`) by its path,
   * or by the index of the job for that path. The paths of the jobs are looked up only once a
   * file names another, which most runs never see.
   */
  const claimed = new Uint8Array(o.jobs.length);
  const claimedPaths = new Set<string>();
  let jobOfPath: Map<string, number> | undefined;
  const claimJob = (index: number): boolean => {
    if (claimed[index]) return false;
    claimed[index] = 1;
    return true;
  };
  const claimLinked = (abs: string): boolean => {
    if (!jobOfPath) {
      jobOfPath = new Map();
      for (let i = 0; i < o.jobs.length; i++) jobOfPath.set(o.jobs.get(i).abs, i);
    }
    const index = jobOfPath.get(abs);
    if (index !== undefined) return claimJob(index);
    if (claimedPaths.has(abs)) return false;
    claimedPaths.add(abs);
    return true;
  };

  const emitReport = (r: FileReport): void => {
    let shown = r;
    if (r.fixed && fix === 'write') {
      const reason = writeFixed(r.abs, r.fixed.original, r.fixed.text, o.ctx.io.cwd);
      if (reason) {
        totals.unwritable++;
        o.note(`cannot write ${printable(r.file)}: ${reason}; left unchanged`);
        shown = { ...r, findings: r.fixed.before };
      } else {
        totals.fixed.problems += r.fixed.applied;
        totals.fixed.files++;
      }
    } else if (r.fixed && fix === 'dry-run') {
      o.diff?.write(unifiedDiff(toPosix(r.file), r.fixed.original, r.fixed.text));
      totals.fixed.problems += r.fixed.applied;
      totals.fixed.files++;
    }
    totals.files++;
    totals.fixable += r.fixable;
    totals.warnings += r.hiddenWarnings ?? 0;
    for (const x of shown.findings) {
      totals.counts[x.severity]++;
      if (x.severity === 'warning') totals.warnings++;
    }
    o.reporter.file(shown);
  };

  const emit = (index: number, x: JobOutcome): void => {
    for (const n of x.notes) o.note(n);
    switch (x.kind) {
      case 'linted':
        isPolicy[index] = 1;
        // The first report is the job's own file; the others, files it names.
        x.reports.forEach((r, k) => {
          if (k === 0 ? claimJob(index) : claimLinked(r.abs)) emitReport(r);
        });
        break;
      case 'unreadable': {
        if (!claimJob(index)) break;
        const u = { file: x.file, abs: x.abs, reason: x.reason };
        unreadable.push(u);
        o.reporter.unreadable(u);
        o.note(`cannot read ${printable(x.file)}: ${x.reason}`);
        break;
      }
      case 'empty':
        o.note(`no IoT policy in ${printable(o.jobs.get(index).file)}`);
        break;
      default:
        break;
    }
  };

  await runJobs({
    jobs: o.jobs,
    threads: o.threads,
    adaptive: o.adaptive,
    data: { cwd: o.ctx.io.cwd, config: o.config, fix, quiet: o.ctx.quiet },
    lintHere: (job) => lintJob(job, o.ctx),
    emit,
  });

  for (const s of o.searches) {
    if (isPolicy.subarray(s.first, s.end).includes(1) || s.reached.some((i) => isPolicy[i])) continue;
    if (s.kind === 'directory') o.note(`no IoT policy found in ${s.input}`);
    else if (s.matched > 0) o.note(`no IoT policy among the ${s.matched} file${s.matched === 1 ? '' : 's'} matching "${s.input}"`);
  }
  return totals;
}
