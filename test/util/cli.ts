/** Runs the CLI in process with captured output and the real file reader (no child process, no TTY, empty environment). */
import { nodeIo, type CliIo } from '../../server/src/cli/io';
import { main } from '../../server/src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr as one stream, in the order written. */
  both: string;
}

/** `extra` replaces parts of the I/O (a failing writer, an environment, a TTY). */
export async function cli(cwd: string, args: string[], extra: Partial<CliIo> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  let both = '';
  const io: CliIo = {
    stdout: (s) => void ((stdout += s), (both += s)),
    stderr: (s) => void ((stderr += s), (both += s)),
    readFile: nodeIo().readFile,
    cwd,
    isTTY: false,
    env: {},
    ...extra,
  };
  const code = await main(args, io);
  return { code, stdout, stderr, both };
}
