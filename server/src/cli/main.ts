/**
 * `iot-policy`: the command-line entry point. It dispatches to subcommands through a table;
 * every subcommand takes `(argv, io)` and resolves to an exit code, so the whole CLI runs
 * in-process in tests with an injected {@link CliIo}.
 *
 * Bundled by esbuild into server/dist/cli.js (see esbuild.mjs); bin/iot-policy.js loads it.
 * The CLI runs by itself when this module is the entry module; otherwise call {@link run} or
 * {@link main}.
 */
import { useNodeWasm } from '../node/wasm';
import { runCheck } from './check';
import { tuneHeap } from './heap';
import { runDiff } from './diff';
import { runEval } from './eval';
import { runExplain } from './explain';
import { nodeIo, type CliIo, type SubcommandRunner } from './io';
import { runLint } from './lint';
import { runTest } from './test';
import { cliVersion } from './version';
import { isLintWorker } from './worker';
import { printableLines } from './format/printable';

// The bundle's exports (scripts and embedders load server/dist/cli.js, whose module is this one).
export { cliVersion, nodeIo, type CliIo, type SubcommandRunner };

interface Subcommand {
  summary: string;
  /** Undefined for a command listed but not part of this build (it then reports "not available", exit 2). */
  run: SubcommandRunner | undefined;
}

/** The dispatch table. */
export const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  lint: { summary: 'Check IoT policy files and report problems (text, JSON or SARIF).', run: runLint },
  eval: { summary: 'Evaluate a request (action, resource, context) against a policy.', run: runEval },
  test: { summary: 'Run policy test cases (expected Allow/Deny decisions).', run: runTest },
  diff: { summary: 'What a policy change newly allows and no longer allows, with a witness request each.', run: runDiff },
  check: { summary: 'Access checks for CI: no-new-access, access-not-granted (text, JSON, markdown, SARIF).', run: runCheck },
  explain: { summary: 'The effective permissions of policies: per action, what is allowed and carved out.', run: runExplain },
};

function usage(): string {
  const names = Object.keys(SUBCOMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  const unavailable = (n: string): string => (SUBCOMMANDS[n].run ? '' : ' (not available in this build)');
  const lines = [
    'Usage: iot-policy <command> [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${SUBCOMMANDS[n].summary}${unavailable(n)}`),
    '',
    'Options:',
    '  -h, --help     Show this help, or a command\'s help with `iot-policy <command> --help`.',
    '  -v, --version  Print the version.',
    '',
    'Example: iot-policy lint --format sarif policies/ > iot-policy.sarif',
    '',
  ];
  return lines.join('\n');
}

/**
 * Runs the CLI with `argv` (the arguments after the program name) and resolves to the exit code:
 * 0 success, 1 problems found (errors), 2 usage error or unreadable input.
 * Never throws: an unexpected failure is reported on stderr with exit code 2.
 */
export async function main(argv: readonly string[], io: CliIo = nodeIo()): Promise<number> {
  useNodeWasm(false);
  const args = [...argv];
  const first = args[0];
  try {
    if (first === undefined) {
      io.stderr(usage());
      return 2;
    }
    if (first === '-h' || first === '--help') {
      io.stdout(usage());
      return 0;
    }
    if (first === 'help') {
      const topic = args[1];
      if (topic === undefined) {
        io.stdout(usage());
        return 0;
      }
      return main([topic, '--help'], io);
    }
    if (first === '-v' || first === '--version') {
      io.stdout(`${cliVersion()}\n`);
      return 0;
    }
    const cmd = Object.prototype.hasOwnProperty.call(SUBCOMMANDS, first) ? SUBCOMMANDS[first] : undefined;
    if (!cmd) {
      io.stderr(`iot-policy: unknown command "${first}"\n\n${usage()}`);
      return 2;
    }
    if (!cmd.run) {
      io.stderr(`iot-policy: the "${first}" command is not available in this build.\n`);
      return 2;
    }
    return await cmd.run(args.slice(1), terminalSafe(first, io));
  } catch (err) {
    io.stderr(`iot-policy: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 2;
  }
}

/** Commands whose standard output is only text and JSON (no colours, no patches): escaped as a whole. */
const PLAIN_OUTPUT = new Set(['test', 'eval']);

/**
 * What reaches a terminal or a CI log never carries control characters from file or policy names
 * (an ESC sequence in a file name would drive the terminal): stderr is escaped for every command,
 * stdout for the commands that print plain text; lint's reporters escape the names themselves.
 */
function terminalSafe(command: string, io: CliIo): CliIo {
  return {
    ...io,
    stderr: (text) => io.stderr(printableLines(text)),
    stdout: PLAIN_OUTPUT.has(command) ? (text) => io.stdout(printableLines(text)) : io.stdout,
  };
}

let running: Promise<number> | undefined;

/**
 * Runs the CLI on the real process and sets process.exitCode (never process.exit, so output drains).
 * Runs once per process: a second call returns the first run's promise.
 */
export function run(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  tuneHeap();
  // The reader went away (`iot-policy lint . | head`): stop quietly, as other command-line tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  running ??= main(argv, nodeIo()).then((code) => {
    process.exitCode = code;
    return code;
  });
  return running;
}

/** True when this module is the program: run directly, or loaded by the bin/iot-policy.js launcher. */
function isEntry(): boolean {
  const entry = require.main;
  if (!entry) return false;
  return entry === module || /[\\/]bin[\\/]iot-policy(\.js)?$/.test(entry.filename ?? '');
}

// Loaded in a lint worker thread (worker.ts serves it), the bundle runs no command.
if (isEntry() && !isLintWorker()) {
  void run();
}
