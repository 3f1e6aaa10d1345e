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
 *
 * The list it returns is compact ({@link JobList}): a folder's paths once, then each file's name,
 * the name the directory listing gave. A path built by `path.join` is a tree of string pieces
 * (about 0.6 KB for two paths of one file), which a hundred thousand files would hold for the whole
 * run; a job's paths are built when the job is taken, and dropped with it.
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
  /** The jobs it added: indexes `first` to `end` (exclusive) into the job list... */
  first: number;
  end: number;
  /** ...and the indexes of files it found that another input had reached first. */
  reached: number[];
  /** Files the glob matched (before detection). */
  matched: number;
}

/** The files to lint, in the order the output lists them. */
export interface JobList {
  readonly length: number;
  /** The job at `index` (its paths built now: the list holds folders once and names). */
  get(index: number): Job;
}

/** A folder whose files are listed: its absolute path, and how its files are named for the user. */
interface Folder {
  abs: string;
  /** `name` of a file in this folder as the user sees it. */
  display(name: string): string;
}

/** Jobs held as (folder, name) pairs; files named on the command line are kept whole. */
class CompactJobs implements JobList {
  private readonly folders: Folder[] = [];
  /** Per job: its index into `folders`, or -1 for a file kept whole in `whole`. */
  private readonly folderOf: number[] = [];
  private readonly names: string[] = [];
  private readonly whole = new Map<number, Job>();
  /** Jobs found under a folder and then named on the command line. */
  private readonly alsoNamed = new Set<number>();

  get length(): number {
    return this.folderOf.length;
  }

  addFolder(folder: Folder): number {
    this.folders.push(folder);
    return this.folders.length - 1;
  }

  /** A file found in folder `folder` (an index from addFolder). */
  addFound(folder: number, name: string): number {
    this.folderOf.push(folder);
    this.names.push(name);
    return this.folderOf.length - 1;
  }

  addWhole(job: Job): number {
    const index = this.folderOf.length;
    this.folderOf.push(-1);
    this.names.push('');
    this.whole.set(index, job);
    return index;
  }

  /** Marks a found file as named on the command line (linted even when it holds no policy). */
  markNamed(index: number): void {
    const whole = this.whole.get(index);
    if (whole) whole.named = true;
    else this.alsoNamed.add(index);
  }

  get(index: number): Job {
    const f = this.folderOf[index];
    if (f === undefined) throw new RangeError(`no job ${index}`);
    if (f < 0) return { ...this.whole.get(index)! };
    const folder = this.folders[f];
    const name = this.names[index];
    return { file: folder.display(name), abs: path.join(folder.abs, name), named: this.alsoNamed.has(index) };
  }
}

export interface Discovery {
  jobs: JobList;
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
  /** A file `name` in the folder `dir` (absolute), `rel` (`/`-separated, '' for the walked folder itself). */
  onFile(dir: string, rel: string, name: string): void;
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
      if (maxDepth > 1) walk(abs, rel ? `${rel}/${e.name}` : e.name, maxDepth - 1, root, cb);
    } else if (isFile && !cb.ignored(abs, false)) cb.onFile(dir, rel, e.name);
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

/**
 * Whether an input's folder or file overlaps an earlier input's: one path is the other or lies
 * below it, as strings (the de-duplication compares the paths jobs are named by). Each check
 * costs the depth of the path, also for a hundred thousand files named on the command line.
 */
class Overlaps {
  /** Earlier inputs' paths, each ending with a separator. */
  private readonly roots = new Set<string>();
  /** Those paths and every folder above them, each ending with a separator. */
  private readonly above = new Set<string>();

  /** True when `root` overlaps an earlier one; then records it. */
  add(root: string): boolean {
    const key = root.endsWith(path.sep) ? root : root + path.sep;
    let overlap = this.above.has(key);
    for (let i = key.indexOf(path.sep); i >= 0; i = key.indexOf(path.sep, i + 1)) {
      const prefix = key.slice(0, i + 1);
      if (this.roots.has(prefix)) overlap = true;
      this.above.add(prefix);
    }
    this.roots.add(key);
    return overlap;
  }
}

/** The files the inputs name, in order, each once; nothing is read. */
export function discoverTargets(inputs: readonly string[], io: Pick<CliIo, 'cwd'>, ignored: IgnoreTest = () => false): Discovery {
  const jobs = new CompactJobs();
  const out: Discovery = { jobs, unreadable: [], errors: [], notes: [], skipped: [], searches: [] };
  /**
   * The jobs by absolute path, to add each file once. Kept only from the first input whose folder
   * or file overlaps an earlier one's: inputs that do not overlap cannot reach a file twice, and a
   * large tree then costs no map of its paths.
   */
  let seen: Map<string, number> | undefined;
  const overlaps = new Overlaps();
  const startInput = (root: string): void => {
    if (seen || !overlaps.add(root)) return;
    seen = new Map();
    for (let i = 0; i < jobs.length; i++) seen.set(jobs.get(i).abs, i);
  };
  /** The index of the job for `abs` when a previous input reached it. */
  const known = (abs: () => string): number | undefined => seen?.get(abs());
  const onError = (abs: string, err: unknown): void => {
    out.unreadable.push({ file: displayPath(abs, io.cwd), abs, reason: `cannot read directory: ${fileErrorReason(err)}` });
  };
  const onSkip = (abs: string, reason: string): void => {
    const file = displayPath(abs, io.cwd);
    out.skipped.push({ file, abs, reason });
    out.notes.push(`skipped ${file}: ${reason}`);
  };
  /**
   * Walks `dir` for `search`; `accept` says whether a file (by its `/`-separated path below `dir`)
   * is one, and `display` how the user names it.
   */
  const walkFor = (search: InputSearch, dir: string, maxDepth: number, accept: (rel: string) => boolean, display: (rel: string) => string): void => {
    // Consecutive files of one folder share one entry (the walk passes the same folder string).
    let lastDir: string | undefined;
    let folder = -1;
    walk(dir, '', maxDepth, realpathSafe(dir) ?? dir, {
      onError, onSkip, ignored,
      onFile(fileDir, rel, name) {
        if (!accept(rel ? `${rel}/${name}` : name)) return;
        search.matched++;
        const again = known(() => path.join(fileDir, name));
        if (again !== undefined) {
          search.reached.push(again);
          return;
        }
        if (fileDir !== lastDir) {
          lastDir = fileDir;
          folder = jobs.addFolder({ abs: fileDir, display: (n) => display(rel ? `${rel}/${n}` : n) });
        }
        const index = jobs.addFound(folder, name);
        seen?.set(path.join(fileDir, name), index);
      },
    });
    search.end = jobs.length;
  };

  for (const input of inputs) {
    const abs = path.resolve(io.cwd, input);
    const st = statSafe(abs);
    if (st?.isDirectory()) {
      const search: InputSearch = { input, kind: 'directory', first: jobs.length, end: jobs.length, reached: [], matched: 0 };
      if (!ignored(abs, true)) {
        startInput(abs);
        walkFor(search, abs, Infinity, isCandidatePath, (rel) => path.join(input, rel));
        out.searches.push(search);
      } else out.notes.push(`${input} is ignored by the configuration (use --no-ignore to lint it)`);
      continue;
    }
    if (!st && hasGlobChars(input)) {
      const glob = splitGlob(input);
      const baseAbs = glob.hasPrefix ? path.resolve(io.cwd, glob.prefix === '' ? '/' : glob.prefix) : io.cwd;
      const matches = compileGlob(glob.rest, { anchored: true });
      const maxDepth = glob.rest.includes('**') ? Infinity : glob.rest.split('/').length;
      const search: InputSearch = { input, kind: 'glob', first: jobs.length, end: jobs.length, reached: [], matched: 0 };
      if (statSafe(baseAbs)?.isDirectory()) {
        startInput(baseAbs);
        walkFor(search, baseAbs, maxDepth, matches, (rel) => globMatchPath(glob, rel));
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
    startInput(abs);
    const again = known(() => abs);
    // Found under a folder, then named: linted even when it holds no policy.
    if (again !== undefined) jobs.markNamed(again);
    else {
      const index = jobs.addWhole({ file: input, abs, named: true });
      seen?.set(abs, index);
    }
  }
  return out;
}
