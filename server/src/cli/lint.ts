/**
 * `iot-policy lint [options] <files|dirs|globs>...`
 *
 * Runs the same analysis as the language server (the host that reads each file, then
 * analyzeDocument) over files and prints text, JSON, SARIF 2.1.0 or GitHub annotations, file by
 * file as they are done. `--fix` applies the editor's Fix all and `--fix-dry-run` prints it as a
 * diff. Exit codes: 0 no errors, 1 some error finding (or more warnings than `--max-warnings`),
 * 2 usage error, bad configuration, or a file that could not be read or fixed (the other files
 * are still reported).
 *
 * Which files are read: discover.ts. Which configuration applies: config.ts. One file's work:
 * lintFile.ts. In order, on one thread or several: run.ts and parallel.ts.
 */
import * as os from 'os';
import * as path from 'path';
import { parseLintArgs, lintUsage, type LintOptions } from './args/lint';
import { usageError } from './args/options';
import { resolveConfig } from './config';
import { discoverTargets } from './discover';
import { githubReporter } from './format/github';
import { jsonReporter } from './format/json';
import type { Reporter } from './format/reporter';
import { sarifReporter } from './format/sarif';
import { formatRuleList, summaryLines, textReporter, useColor } from './format/text';
import type { CliIo } from './io';
import { bufferedSink, fileSink, type Sink } from './output';
import { PARALLEL_MIN_FILES } from './parallel';
import { runLint as run } from './run';
import { cliVersion } from './version';

/**
 * Worker threads for `jobs` files: none for few files or an injected file reader; `--concurrency
 * N` asks for N; auto allows one per other core, started only when the run turns out long
 * (parallel.ts).
 */
/**
 * Workers for `--concurrency auto`: one per core beyond the main thread's, but only on cores that
 * are idle. On a machine already busy (a shared CI runner, a parallel build), a worker only
 * competes for the same cores and adds its heap, so the 1-minute load average (0 where the
 * system does not report one) is taken off, as `make -l` does.
 */
export function autoThreads(cores: number, load: number, jobs: number): number {
  if (jobs < PARALLEL_MIN_FILES) return 0;
  const idle = Math.round(cores - load);
  return Math.max(0, Math.min(cores - 1, idle - 1, Math.floor(jobs / PARALLEL_MIN_FILES)));
}

function threadsFor(opts: LintOptions, jobs: number, io: CliIo): number {
  if (!io.realFiles || jobs < 2) return 0;
  if (opts.concurrency !== undefined) return Math.min(opts.concurrency, jobs - 1);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return autoThreads(cores, os.loadavg()[0], jobs);
}

function reporterFor(opts: LintOptions, out: Sink, io: CliIo, version: string, toFile: boolean): Reporter {
  switch (opts.format) {
    case 'json':
      return jsonReporter(out);
    case 'sarif':
      return sarifReporter(out, io.cwd, version);
    case 'github':
      return githubReporter(out);
    default:
      return textReporter(out, !toFile && useColor(io, opts.color));
  }
}

/** A reporter that prints nothing (`--fix-dry-run` without `--output-file`: the diff is the output). */
const silent: Reporter = { file: () => undefined, unreadable: () => undefined, end: () => undefined };

/** `iot-policy lint ...`: resolves to the exit code. */
export async function runLint(argv: readonly string[], io: CliIo, version?: string): Promise<number> {
  const parsed = parseLintArgs(argv);
  if (parsed.kind === 'help') {
    io.stdout(lintUsage());
    return 0;
  }
  if (parsed.kind === 'list-rules') {
    io.stdout(formatRuleList());
    return 0;
  }
  if (parsed.kind === 'error') return usageError(io, 'lint', parsed.message);
  const opts = parsed.options;

  const config = resolveConfig(opts, io);
  if ('problems' in config) {
    io.stderr(config.problems.map((p) => `iot-policy lint: ${p}\n`).join(''));
    return 2;
  }

  const discovery = discoverTargets(opts.inputs, io, config.ignoring ? (abs, isDir) => config.isIgnored(abs, isDir) : undefined);
  if (discovery.errors.length) {
    io.stderr(discovery.errors.map((e) => `iot-policy lint: ${e}\n`).join(''));
    return 2;
  }

  const stdout = bufferedSink((t) => io.stdout(t));
  let out: Sink = stdout;
  if (opts.outputFile !== undefined) {
    try {
      out = fileSink(path.resolve(io.cwd, opts.outputFile));
    } catch (err) {
      io.stderr(`iot-policy lint: cannot write ${opts.outputFile}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
  }
  const dryRun = opts.fix === 'dry-run';
  // With --fix-dry-run the diff is what standard output carries; the report goes only to --output-file.
  const reporter = dryRun && opts.outputFile === undefined ? silent : reporterFor(opts, out, io, version ?? cliVersion(), opts.outputFile !== undefined);
  const note = (line: string): void => {
    stdout.flush();
    io.stderr(`iot-policy lint: ${line}\n`);
  };
  for (const n of discovery.notes) note(n);

  let totals;
  try {
    totals = await run({
      jobs: discovery.jobs,
      searches: discovery.searches,
      ctx: { io, configFor: (abs) => config.configFor(abs), fix: opts.fix, quiet: opts.quiet },
      reporter,
      diff: dryRun ? stdout : undefined,
      note,
      threads: threadsFor(opts, discovery.jobs.length, io),
      adaptive: opts.concurrency === undefined,
      config: config.data,
      skipped: discovery.skipped,
      unreadable: discovery.unreadable,
    });
    reporter.end(totals);
  } finally {
    if (out !== stdout) out.close();
    stdout.flush();
  }
  // The diff is on standard output: the summary goes to stderr.
  if (dryRun) io.stderr(summaryLines(totals).join('\n') + '\n');

  const tooManyWarnings = opts.maxWarnings !== undefined && totals.warnings > opts.maxWarnings;
  if (tooManyWarnings) io.stderr(`iot-policy lint: ${totals.warnings} warnings, more than --max-warnings ${opts.maxWarnings} allows\n`);
  if (totals.unreadable.length || totals.unwritable) return 2;
  return totals.counts.error > 0 || tooManyWarnings ? 1 : 0;
}
