/**
 * Which files `iot-policy lint` reads:
 * - a file named on the command line is always linted: by the host that reads it (a template, a
 *   Terraform file, a CDK stack), else as a standalone IoT policy, even when broken or empty;
 * - a directory is searched recursively (skipping SKIPPED_DIRS) for files a host reads
 *   (`.json`, `.yaml`, `.yml`, `.tf`, `.ts`, `.js`, `.py`...) that hold IoT policies by the editor's
 *   detection: standalone policies by name (POLICY_FILE_GLOBS) or content, templates by content,
 *   Terraform and code by their policy resources and constructs;
 * - a glob (`*`, `**`, `?`, `{a,b}`) is matched against paths under its static prefix and its matches
 *   go through the same detection;
 * - files and folders the configuration ignores (`ignore`, `.iot-policyignore`) are left out: an
 *   ignored folder is not even entered, and a named file that is ignored is said so.
 *
 * Discovery only walks folders and names files; nothing is read here. Each file is read once,
 * later, when it is linted (lintFile.ts), where detection costs the host's cheap text checks first.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compileGlob, isCandidatePath, SKIPPED_DIRS } from '../service';
import { fileErrorReason } from '../node/files';
import type { CliIo } from './io';
import type { Job } from './lintFile';
import { displayPath, isInside, toPosix } from './paths';

// The rules of which files are searched are shared with the language server's workspace
// diagnostics (service/discovery.ts).
export { SKIPPED_DIRS } from '../service';

/** A file that could not be read, or was left out on purpose (then `reason` says why). */
export interface UnreadableFile {
  file: string;
  abs: string;
  reason: string;
}

/** What a directory or glob on the command line found, for the note when none holds a policy. */
export interface InputSearch {
  input: string;
  kind: 'directory' | 'glob';
  /** Indexes into `jobs` of the files it found (also those another input reached first). */
  jobs: number[];
  /** Files the glob matched (before detection). */
  matched: number;
}

export interface Discovery {
  jobs: Job[];
  /** Directories that could not be read. */
  unreadable: UnreadableFile[];
  /** Usage problems: a glob that matches no file. */
  errors: string[];
  /** Notes for stderr: files skipped on purpose, named files that are ignored. */
  notes: string[];
  /** Files left out on purpose (symbolic links that leave the linted folder), for SARIF notifications. */
  skipped: UnreadableFile[];
  searches: InputSearch[];
}

/** Which files the configuration leaves out. */
export type IgnoreTest = (abs: string, isDir: boolean) => boolean;

function statSafe(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

function realpathSafe(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

function hasGlobChars(s: string): boolean {
  return /[*?{]/.test(s);
}

interface WalkCallbacks {
  onFile(relPosix: string, abs: string): void;
  onError(abs: string, err: unknown): void;
  /** A file left out on purpose: a symbolic link that leaves the walked folder or ends at no regular file. */
  onSkip(abs: string, reason: string): void;
  /** True for an ignored folder or file: not entered, not listed. */
  ignored(abs: string, isDir: boolean): boolean;
}

/**
 * Walks `dir` (sorted, skipping SKIPPED_DIRS and ignored folders) up to `maxDepth` levels.
 * Symbolic links to directories are never followed (no cycles); links to files are followed only
 * when the file is a regular file inside the walked folder (`root`, a real path), so that a
 * repository cannot make the linter read, and quote, a file elsewhere
 * (`ln -s ~/.aws/credentials x.iot-policy.json`).
 */
function walk(dir: string, rel: string, maxDepth: number, root: string, cb: WalkCallbacks): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    cb.onError(dir, err);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const abs = path.join(dir, e.name);
    const childRel = rel ? `${rel}/${e.name}` : e.name;
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      isDir = false;
      const real = realpathSafe(abs);
      const st = real === undefined ? undefined : statSafe(real);
      if (!st?.isFile()) {
        if (st && !st.isDirectory()) cb.onSkip(abs, 'a symbolic link to something that is not a regular file');
        continue;
      }
      if (!isInside(real!, root)) {
        cb.onSkip(abs, 'a symbolic link to a file outside the linted folder');
        continue;
      }
      isFile = true;
    }
    if (isDir) {
      if (SKIPPED_DIRS.has(e.name) || cb.ignored(abs, true)) continue;
      if (maxDepth > 1) walk(abs, childRel, maxDepth - 1, root, cb);
    } else if (isFile && !cb.ignored(abs, false)) cb.onFile(childRel, abs);
  }
}

/** A glob split at its last static folder: the walk starts there and matches the rest. */
interface GlobBase {
  /** The static folders, `/`-separated; '' for a glob at the filesystem root. */
  prefix: string;
  /** False when the glob starts with a pattern: then the walk starts at the working directory. */
  hasPrefix: boolean;
  /** The pattern below the static folders. */
  rest: string;
}

function splitGlob(input: string): GlobBase {
  const segments = toPosix(input).split('/');
  let staticCount = 0;
  while (staticCount < segments.length - 1 && !hasGlobChars(segments[staticCount])) staticCount++;
  return {
    prefix: segments.slice(0, staticCount).join('/'),
    hasPrefix: staticCount > 0,
    rest: segments.slice(staticCount).join('/'),
  };
}

/** The path of a glob match as the user wrote the glob. */
function globMatchPath(glob: GlobBase, rel: string): string {
  if (!glob.hasPrefix) return rel;
  return glob.prefix === '' ? `/${rel}` : `${glob.prefix}/${rel}`;
}

/** The files the inputs name, in order, each once; nothing is read. */
export function discoverTargets(inputs: readonly string[], io: Pick<CliIo, 'cwd'>, ignored: IgnoreTest = () => false): Discovery {
  const out: Discovery = { jobs: [], unreadable: [], errors: [], notes: [], skipped: [], searches: [] };
  const seen = new Map<string, number>();
  /** Adds a job unless a previous input reached the file; its index either way. */
  const add = (job: Job): number => {
    const known = seen.get(job.abs);
    if (known !== undefined) {
      // Found under a folder, then named: linted even when it holds no policy.
      if (job.named) out.jobs[known].named = true;
      return known;
    }
    seen.set(job.abs, out.jobs.length);
    out.jobs.push(job);
    return out.jobs.length - 1;
  };
  const onError = (abs: string, err: unknown): void => {
    out.unreadable.push({ file: displayPath(abs, io.cwd), abs, reason: `cannot read directory: ${fileErrorReason(err)}` });
  };
  const onSkip = (abs: string, reason: string): void => {
    const file = displayPath(abs, io.cwd);
    out.skipped.push({ file, abs, reason });
    out.notes.push(`skipped ${file}: ${reason}`);
  };
  const walkFrom = (dir: string, maxDepth: number, onFile: WalkCallbacks['onFile']): void => {
    walk(dir, '', maxDepth, realpathSafe(dir) ?? dir, { onError, onSkip, onFile, ignored });
  };

  for (const input of inputs) {
    const abs = path.resolve(io.cwd, input);
    const st = statSafe(abs);
    if (st?.isDirectory()) {
      const search: InputSearch = { input, kind: 'directory', jobs: [], matched: 0 };
      if (!ignored(abs, true)) {
        walkFrom(abs, Infinity, (rel, fileAbs) => {
          if (!isCandidatePath(rel)) return;
          search.matched++;
          search.jobs.push(add({ file: path.join(input, rel), abs: fileAbs, named: false }));
        });
        out.searches.push(search);
      } else out.notes.push(`${input} is ignored by the configuration (use --no-ignore to lint it)`);
      continue;
    }
    if (!st && hasGlobChars(input)) {
      const glob = splitGlob(input);
      const baseAbs = glob.hasPrefix ? path.resolve(io.cwd, glob.prefix === '' ? '/' : glob.prefix) : io.cwd;
      const matches = compileGlob(glob.rest, { anchored: true });
      const maxDepth = glob.rest.includes('**') ? Infinity : glob.rest.split('/').length;
      const search: InputSearch = { input, kind: 'glob', jobs: [], matched: 0 };
      if (statSafe(baseAbs)?.isDirectory()) {
        walkFrom(baseAbs, maxDepth, (rel, fileAbs) => {
          if (!matches(rel)) return;
          search.matched++;
          search.jobs.push(add({ file: globMatchPath(glob, rel), abs: fileAbs, named: false }));
        });
      }
      if (search.matched === 0) out.errors.push(`no files match "${input}"`);
      out.searches.push(search);
      continue;
    }
    // A file named on the command line (or a path that does not exist: reading it reports why).
    if (st && ignored(abs, false)) {
      out.notes.push(`${input} is ignored by the configuration (use --no-ignore to lint it)`);
      continue;
    }
    add({ file: input, abs, named: true });
  }
  return out;
}
