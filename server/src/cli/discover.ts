/**
 * Which files `iot-policy lint` reads:
 * - a file named on the command line is always linted: by the host that reads it (a template, a
 *   Terraform file, a CDK stack), else as a standalone IoT policy, even when broken or empty;
 * - a directory is searched recursively (skipping SKIPPED_DIRS) for files a host reads
 *   (`.json`, `.yaml`, `.yml`, `.tf`, `.ts`, `.js`, `.py`...) that hold IoT policies by the editor's
 *   detection: standalone policies by name (POLICY_FILE_GLOBS) or content, templates by content,
 *   Terraform and code by their policy resources and constructs;
 * - a glob (`*`, `**`, `?`, `{a,b}`) is matched against paths under its static prefix and its matches
 *   go through the same detection.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compileGlob, fileFamilyOf, type PolicyDocument } from '../service';
import { fileErrorReason } from '../node/files';
import type { CliIo } from './io';
import { openFile } from './open';
import { displayPath, isInside, toPosix } from './paths';

/**
 * Directories never searched when expanding directories and globs: dependencies, version control,
 * Terraform's module cache, and CDK's synthesized output (it repeats the stacks' own policies;
 * name `cdk.out` to lint it).
 */
export const SKIPPED_DIRS = new Set(['node_modules', '.git', '.terraform', 'cdk.out']);

/** A file that could not be read, or was left out on purpose (then `reason` says why). */
export interface UnreadableFile {
  file: string;
  abs: string;
  reason: string;
}

/** A file to lint. */
export interface Target {
  /** The path as given on the command line, or as found under a given directory or glob. */
  file: string;
  abs: string;
  /** Already read and opened during detection. */
  text?: string;
  document?: PolicyDocument;
}

export interface Discovery {
  targets: Target[];
  unreadable: UnreadableFile[];
  /** Usage problems: a glob that matches no file. */
  errors: string[];
  /** Notes for stderr: inputs that held no IoT policy, files skipped on purpose. */
  notes: string[];
  /** Files left out on purpose (symbolic links that leave the linted folder), for SARIF notifications. */
  skipped: UnreadableFile[];
}

type DiscoverIo = Pick<CliIo, 'readFile' | 'cwd'>;

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
}

/**
 * Walks `dir` (sorted, skipping node_modules/.git) up to `maxDepth` levels. Symbolic links to
 * directories are never followed (no cycles); links to files are followed only when the file is
 * a regular file inside the walked folder (`root`, a real path), so that a repository cannot make
 * the linter read, and quote, a file elsewhere (`ln -s ~/.aws/credentials x.iot-policy.json`).
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
      if (SKIPPED_DIRS.has(e.name)) continue;
      if (maxDepth > 1) walk(abs, childRel, maxDepth - 1, root, cb);
    } else if (isFile) cb.onFile(childRel, abs);
  }
}

/** Decides whether a file found under a directory or glob holds IoT policies (the editor's detection). */
async function detect(candidate: Target, io: DiscoverIo, unreadable: UnreadableFile[], notes: string[]): Promise<boolean> {
  let text: string;
  try {
    text = io.readFile(candidate.abs);
  } catch (err) {
    unreadable.push({ file: candidate.file, abs: candidate.abs, reason: fileErrorReason(err) });
    return false;
  }
  let document;
  try {
    document = await openFile(text, candidate.abs, false, undefined, { ...io, note: (m) => notes.push(m) });
  } catch (err) {
    unreadable.push({ file: candidate.file, abs: candidate.abs, reason: fileErrorReason(err) });
    return false;
  }
  if (!document) return false;
  candidate.text = text;
  candidate.document = document;
  return true;
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

export async function discoverTargets(inputs: readonly string[], io: DiscoverIo): Promise<Discovery> {
  const out: Discovery = { targets: [], unreadable: [], errors: [], notes: [], skipped: [] };
  const seen = new Set<string>();
  const add = (t: Target): void => {
    if (seen.has(t.abs)) return;
    seen.add(t.abs);
    out.targets.push(t);
  };
  /** True when the file holds policies to lint (already taken, or taken now). */
  const consider = async (t: Target): Promise<boolean> => {
    if (seen.has(t.abs)) return true;
    if (!(await detect(t, io, out.unreadable, out.notes))) return false;
    add(t);
    return true;
  };
  /** How many of the files found hold policies. */
  const considerAll = async (found: Target[]): Promise<number> => {
    let n = 0;
    for (const t of found) if (await consider(t)) n++;
    return n;
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
    walk(dir, '', maxDepth, realpathSafe(dir) ?? dir, { onError, onSkip, onFile });
  };

  for (const input of inputs) {
    const abs = path.resolve(io.cwd, input);
    const st = statSafe(abs);
    if (st?.isDirectory()) {
      const candidates: Target[] = [];
      walkFrom(abs, Infinity, (rel, fileAbs) => {
        if (fileFamilyOf(rel)) candidates.push({ file: path.join(input, rel), abs: fileAbs });
      });
      if ((await considerAll(candidates)) === 0) out.notes.push(`no IoT policy found in ${input}`);
      continue;
    }
    if (!st && hasGlobChars(input)) {
      const glob = splitGlob(input);
      const baseAbs = glob.hasPrefix ? path.resolve(io.cwd, glob.prefix === '' ? '/' : glob.prefix) : io.cwd;
      const matches = compileGlob(glob.rest, { anchored: true });
      const maxDepth = glob.rest.includes('**') ? Infinity : glob.rest.split('/').length;
      const candidates: Target[] = [];
      if (statSafe(baseAbs)?.isDirectory()) {
        walkFrom(baseAbs, maxDepth, (rel, fileAbs) => {
          if (matches(rel)) candidates.push({ file: globMatchPath(glob, rel), abs: fileAbs });
        });
      }
      const matched = candidates.length;
      const found = await considerAll(candidates);
      if (matched === 0) out.errors.push(`no files match "${input}"`);
      else if (found === 0) out.notes.push(`no IoT policy among the ${matched} file${matched === 1 ? '' : 's'} matching "${input}"`);
      continue;
    }
    // A file named on the command line (or a path that does not exist: reading it reports why).
    add({ file: input, abs });
  }
  return out;
}
