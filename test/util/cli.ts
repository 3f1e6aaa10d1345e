/** Runs the CLI in process with captured output and the real file reader (no child process, no TTY, empty environment). */
import { nodeIo, type CliIo } from '../../server/src/cli/io';
import { main } from '../../server/src/cli/main';

export async function cli(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    readFile: nodeIo().readFile,
    cwd,
    isTTY: false,
    env: {},
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
