/**
 * Writing a fixed file for `--fix`: atomically (a temporary file in the same folder, then a
 * rename over the original), with the original's permissions and owner, and only when it is safe:
 * - never through a symbolic link (of the file or of a folder on its path) that leads out of the
 *   working directory: a repository cannot make `--fix` rewrite a file elsewhere;
 * - never a file without write permission (as an editor refuses to save a read-only file), nor
 *   anything but a regular file;
 * - never a file that changed since it was read (another process wrote it meanwhile).
 * The text itself is the fixed text as it is: the hosts' writers keep line endings, indentation
 * and the final newline, so nothing is normalised here.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { fileErrorReason, readTextFileSync } from '../node/files';
import { isInside } from './paths';

function realpathSafe(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/** Writes `text` over `abs`, which held `original` when it was read. Resolves to why not, or undefined once written. */
export function writeFixed(abs: string, original: string, text: string, cwd: string): string | undefined {
  const target = realpathSafe(abs);
  if (!target) return 'it no longer exists';
  const root = realpathSafe(cwd) ?? cwd;
  if (target !== path.resolve(abs) && !isInside(target, root)) return 'it is reached through a symbolic link that leads out of the working directory';
  let st: fs.Stats;
  try {
    st = fs.statSync(target);
  } catch (err) {
    return fileErrorReason(err);
  }
  if (!st.isFile()) return 'it is not a regular file';
  if ((st.mode & 0o222) === 0) return 'it is read-only';
  try {
    fs.accessSync(target, fs.constants.W_OK);
  } catch {
    return 'permission denied';
  }
  try {
    if (readTextFileSync(target) !== original) return 'it changed since it was read';
  } catch (err) {
    return fileErrorReason(err);
  }
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.iot-policy-fix`);
  try {
    const fd = fs.openSync(tmp, 'wx', st.mode & 0o7777);
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // The umask may have narrowed the mode; the owner stays the original's when we may set it.
    fs.chmodSync(tmp, st.mode & 0o7777);
    if (typeof process.getuid === 'function' && process.getuid() === 0 && (st.uid !== 0 || st.gid !== 0)) fs.chownSync(tmp, st.uid, st.gid);
    fs.renameSync(tmp, target);
    return undefined;
  } catch (err) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // Not created, or already renamed.
    }
    return fileErrorReason(err);
  }
}
