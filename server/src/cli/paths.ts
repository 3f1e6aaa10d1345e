/** How the CLI names files: relative to the working directory when inside it, else absolute. */
import * as path from 'path';

/** `abs` relative to `dir` when it lies strictly inside `dir`, else undefined. */
export function relativeInside(abs: string, dir: string): string | undefined {
  const rel = path.relative(dir, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : undefined;
}

/** True when `p` is `dir` or inside it (both real paths). */
export function isInside(p: string, dir: string): boolean {
  return path.relative(dir, p) === '' || relativeInside(p, dir) !== undefined;
}

/** The path users see in messages: relative to `cwd` when inside it, else absolute. */
export function displayPath(abs: string, cwd: string): string {
  return relativeInside(abs, cwd) ?? abs;
}

export function toPosix(p: string): string {
  return p.replace(/\\/g, '/');
}
