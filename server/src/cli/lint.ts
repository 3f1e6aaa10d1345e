/**
 * `iot-policy lint [--format text|json|sarif] [--rule id=level]... [--config FILE] <files|dirs|globs>...`
 *
 * Runs the same analysis as the language server (the host that reads each file, then
 * analyzeDocument) over files and prints
 * text, JSON or SARIF 2.1.0. Exit codes: 0 no errors, 1 some error finding, 2 usage error,
 * bad configuration or an unreadable file (the other files are still reported).
 *
 * Which files are read: discover.ts. Which configuration applies: config.ts.
 */
import { parseLintArgs, lintUsage } from './args/lint';
import { usageError } from './args/options';
import { resolveConfig } from './config';
import { discoverTargets } from './discover';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatRuleList, formatText, useColor } from './format/text';
import type { CliIo } from './io';
import { lintTargets } from './run';
import { cliVersion } from './version';

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

  const resolved = resolveConfig(opts, io);
  if ('problems' in resolved) {
    io.stderr(resolved.problems.map((p) => `iot-policy lint: ${p}\n`).join(''));
    return 2;
  }

  const discovery = await discoverTargets(opts.inputs, io);
  if (discovery.errors.length) {
    io.stderr(discovery.errors.map((e) => `iot-policy lint: ${e}\n`).join(''));
    return 2;
  }
  for (const n of discovery.notes) io.stderr(`iot-policy lint: ${n}\n`);

  const { linted, unreadable: unread, empty } = await lintTargets(discovery.targets, resolved.config, io);
  const unreadable = [...discovery.unreadable, ...unread];
  for (const u of unreadable) io.stderr(`iot-policy lint: cannot read ${u.file}: ${u.reason}\n`);
  for (const e of empty) io.stderr(`iot-policy lint: no IoT policy in ${e}\n`);

  switch (opts.format) {
    case 'json':
      io.stdout(formatJson(linted));
      break;
    case 'sarif':
      io.stdout(formatSarif(linted, unreadable, io.cwd, version ?? cliVersion(), discovery.skipped));
      break;
    default:
      io.stdout(formatText(linted, useColor(io, opts.color)));
  }

  if (unreadable.length) return 2;
  return linted.some((f) => f.findings.some((x) => x.severity === 'error')) ? 1 : 0;
}
