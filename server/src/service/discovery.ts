/**
 * Which files of a folder are worth reading for IoT policies, the same for the CLI's directory
 * walk (`iot-policy lint .`) and the language server's workspace diagnostics: the files a host
 * reads by their name (`fileFamilyOf`), outside the folders no one lints. Whether a file holds a
 * policy is decided later, on its text, by the host's own detection (cheap text checks first).
 */
import { fileFamilyOf } from './hosts';

/**
 * Directories never searched when expanding directories and globs: dependencies, version control,
 * Terraform's module cache, and CDK's synthesized output (it repeats the stacks' own policies;
 * name `cdk.out` to lint it).
 */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.terraform', 'cdk.out']);

/**
 * The file names a host may read, as one glob for an editor's file search (VS Code's
 * `workspace.findFiles`). `isCandidatePath` has the last word: the glob also takes `.d.ts` files,
 * which no host reads.
 */
export const CANDIDATE_FILES_GLOB = '**/*.{json,jsonc,yaml,yml,tf,ts,mts,cts,js,mjs,cjs,py}';

/** The glob of SKIPPED_DIRS and everything in them, for an editor's file search. */
export const SKIPPED_DIRS_GLOB = `**/{${[...SKIPPED_DIRS].join(',')}}/**`;

/** True for a file found under a folder that a host may read (by its name alone). */
export function isCandidatePath(path: string): boolean {
  return fileFamilyOf(path) !== undefined;
}

/** True when a `/`-separated path relative to the searched folder lies in one of SKIPPED_DIRS. */
export function inSkippedDir(relPath: string): boolean {
  const parts = relPath.split('/');
  for (let i = 0; i < parts.length - 1; i++) if (SKIPPED_DIRS.has(parts[i])) return true;
  return false;
}
