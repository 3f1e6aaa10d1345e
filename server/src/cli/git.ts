/**
 * `git:REF` policy sources of `diff` and `check no-new-access`: the same file as it is at a git
 * revision, read with `git show REF:./file` run in the file's folder. The only place the CLI
 * starts a process, and the only process it starts: `git` itself, with its arguments as an array
 * (no shell), a deadline and the CLI's file-size limit. The language server never comes here.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { MAX_FILE_BYTES } from '../node/files';

/** Reads a file at a revision: `(ref, absolute path)` to its text; throws with git's reason. */
export type GitReader = (ref: string, file: string) => string;

/** The revision has no such file (it was added since): thrown by readers. */
export class GitMissingFile extends Error {}

/** Revisions are names, hashes and `HEAD~2`-like expressions: never an option, never a path of their own. */
const REF = /^[A-Za-z0-9_./~^@{}+-]+$/;

/** Why a revision cannot be used, or undefined when it can. */
export function refProblem(ref: string): string | undefined {
  if (!ref) return 'git: needs a revision (git:HEAD, git:main, git:HEAD~1)';
  if (ref.startsWith('-') || !REF.test(ref) || ref.includes('..')) return `"${ref}" is not a git revision`;
  return undefined;
}

const GIT_TIMEOUT_MS = 15_000;

/** The real reader: `git show REF:./name` in the file's folder. */
export const gitShow: GitReader = (ref, file) => {
  const problem = refProblem(ref);
  if (problem) throw new Error(problem);
  try {
    return execFileSync('git', ['show', `${ref}:./${path.basename(file)}`], {
      cwd: path.dirname(file),
      encoding: 'utf8',
      maxBuffer: MAX_FILE_BYTES,
      timeout: GIT_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      shell: false,
    });
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message?: string };
    if (e.code === 'ENOENT') throw new Error('git is not installed (or not on the PATH)');
    const reason = ((e.stderr ?? '').trim().split('\n').filter(Boolean).pop() ?? e.message ?? String(err)).replace(/^fatal:\s*/, '');
    if (/does not exist in|exists on disk, but not in/.test(reason)) throw new GitMissingFile(reason);
    throw new Error(reason);
  }
};
