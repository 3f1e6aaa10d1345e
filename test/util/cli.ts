/** Runs the CLI in process with captured output (no child process, no TTY, empty environment). */
import * as fs from 'node:fs';
import { main, type CliIo } from '../../server/src/cli/main';

export async function cli(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    readFile: (f) => fs.readFileSync(f, 'utf8'),
    cwd,
    isTTY: false,
    env: {},
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
