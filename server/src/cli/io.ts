/**
 * What the CLI touches outside itself. Every subcommand receives it, so the whole CLI runs
 * in-process in tests with an injected {@link CliIo}; only {@link nodeIo} knows the real process.
 */
import { readStdinSync, readTextFileSync } from '../node/files';

/** Everything the CLI touches outside itself, injectable for in-process tests. */
export interface CliIo {
  /** Writes text to standard output (no newline added). */
  stdout(text: string): void;
  /** Writes text to standard error (no newline added). */
  stderr(text: string): void;
  /** Reads a regular file as UTF-8, at most 10 MB; throws when it cannot (node/files.ts). */
  readFile(file: string): string;
  /** Reads all of standard input (for `-` arguments); absent in tests that do not need it. */
  readStdin?(): string;
  /** Directory that relative paths are resolved against. */
  cwd: string;
  /** Whether standard output is a terminal (colours are used only then). */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  /**
   * True when `readFile` reads the real file system (nodeIo): lint may then read files on worker
   * threads too. An injected reader keeps lint on one thread, where the reader is.
   */
  realFiles?: boolean;
}

/** The I/O eval and test need: no terminal or environment, optionally a stdin reader (tests inject one). */
export type EvalIo = Pick<CliIo, 'stdout' | 'stderr' | 'readFile' | 'cwd'> & { readStdin?: () => string };

/** A subcommand: resolves to the process exit code. */
export type SubcommandRunner = (argv: string[], io: CliIo) => number | Promise<number>;

/** The real process: stdout/stderr streams, fs, process.cwd(). */
export function nodeIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readFile: (file) => readTextFileSync(file),
    readStdin: () => readStdinSync(),
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    realFiles: true,
  };
}
