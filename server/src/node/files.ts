/**
 * Reading files named by a workspace, a test file or the command line, which may be hostile:
 * only regular files are read, never more than MAX_FILE_BYTES, and opening never blocks (a FIFO
 * is opened non-blocking, seen not to be a regular file and refused). The CLI and the Node
 * language server read every file through here.
 */
import * as fs from 'node:fs';

/** Larger files are refused: no policy, template or test file comes near it. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** How long the server waits for one file before giving up on it. */
const READ_TIMEOUT_MS = 5000;

/** A read refused by these checks; `code` is `ENOTREG`, `EFBIG` or `ETIMEDOUT`. */
class FileReadError extends Error {
  constructor(readonly code: 'ENOTREG' | 'EFBIG' | 'ETIMEDOUT', message: string) {
    super(message);
  }
}

// O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
// Windows has no such flag (and no FIFOs of this kind).
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

function notRegular(st: fs.Stats): FileReadError {
  const what = st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device'
    : st.isSocket() ? 'a socket' : undefined;
  return new FileReadError('ENOTREG', what ? `is ${what}, not a regular file` : 'not a regular file');
}

function tooLarge(maxBytes: number): FileReadError {
  return new FileReadError('EFBIG', `larger than ${Math.round(maxBytes / (1024 * 1024))} MB`);
}

function decode(buf: Buffer, length: number): string {
  return buf.toString('utf8', 0, length);
}

/** Reused by every synchronous read of a file that fits (the CLI reads thousands): decoded into a new string each time. */
const scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * Reads a regular file as UTF-8, refusing anything else (directories, FIFOs, devices, sockets)
 * and anything over `maxBytes`. Throws FileReadError, or the system error of open/read.
 */
export function readTextFileSync(file: string, maxBytes = MAX_FILE_BYTES): string {
  const fd = fs.openSync(file, OPEN_FLAGS);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw notRegular(st);
    if (st.size > maxBytes) throw tooLarge(maxBytes);
    if (st.size > 0 && st.size < scratch.length) {
      // A regular file returns less than asked only at its end: one read of size + 1 says it all.
      const n = fs.readSync(fd, scratch, 0, st.size + 1, null);
      if (n <= st.size) return decode(scratch, n);
    }
    // The size may be 0 for files whose length is unknown until read (/proc), or the file grew:
    // read from the start until the end, capped.
    const buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(st.size + 1, 64 * 1024)));
    let length = 0;
    let grown = buf;
    for (;;) {
      if (length === grown.length) {
        if (grown.length > maxBytes) throw tooLarge(maxBytes);
        const next = Buffer.allocUnsafe(Math.min(maxBytes + 1, grown.length * 2));
        grown.copy(next, 0, 0, length);
        grown = next;
      }
      const n = fs.readSync(fd, grown, length, grown.length - length, length);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) throw tooLarge(maxBytes);
    }
    return decode(grown, length);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads standard input as UTF-8, capped like a file. */
export function readStdinSync(maxBytes = MAX_FILE_BYTES): string {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    const n = fs.readSync(0, buf, 0, buf.length, null);
    if (n === 0) break;
    total += n;
    if (total > maxBytes) throw tooLarge(maxBytes);
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The asynchronous form for the language server: the same checks, and a time bound, so that a
 * slow or hostile file never holds a request (or the message loop) for long.
 */
export async function readTextFile(file: string, options: { maxBytes?: number; timeoutMs?: number } = {}): Promise<string> {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  const timeoutMs = options.timeoutMs ?? READ_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FileReadError('ETIMEDOUT', `not read within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([readCapped(file, maxBytes), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(file: string, maxBytes: number): Promise<string> {
  const handle = await fs.promises.open(file, OPEN_FLAGS);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw notRegular(st);
    if (st.size > maxBytes) throw tooLarge(maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(maxBytes + 1 - total, Math.max(st.size + 1, 64 * 1024)));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(maxBytes);
      chunks.push(buf.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** A short reason for a failed read, for one-line messages. */
export function fileErrorReason(err: unknown): string {
  if (err instanceof FileReadError) return err.message;
  const e = err as NodeJS.ErrnoException | undefined;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return e instanceof Error ? e.message : String(err);
  }
}
