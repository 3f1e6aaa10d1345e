/**
 * Workspace files for the Node server's workspace diagnostics when the client cannot list them
 * (an editor other than VS Code): a bounded walk of a `file:` folder with the CLI's rules
 * (service/discovery.ts), asynchronous so that it never holds the message loop.
 *
 * The CLI's safety: folders reached through a symbolic link are never entered (no cycles, no
 * walking out of the folder); a link to a file is taken only when its real path is a regular file
 * inside the folder, so a repository cannot make the server read, and quote,
 * `~/.aws/credentials`; every file is read by the hardened reader (regular files, 10 MB).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCandidatePath, SKIPPED_DIRS } from '../service';
import type { ListFilesOptions } from '../utils/workspaceFiles';
import { readTextFile } from './files';

/** Directory entries looked at in one walk, whatever the depth: a huge tree is cut, not walked for minutes. */
const MAX_ENTRIES = 200_000;

function isInside(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

async function realpathSafe(p: string): Promise<string | undefined> {
  try {
    return await fs.promises.realpath(p);
  } catch {
    return undefined;
  }
}

function folderPath(folder: string): string | undefined {
  if (!folder.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(folder);
  } catch {
    return undefined;
  }
}

/** The URI of a file below `folder`, its path segments encoded. */
function childUri(folder: string, rel: string): string {
  return `${folder.replace(/\/$/, '')}/${rel.split('/').map(encodeURIComponent).join('/')}`;
}

export async function listFolderFiles(folder: string, options: ListFilesOptions): Promise<string[]> {
  const root = folderPath(folder);
  if (root === undefined) return [];
  const realRoot = (await realpathSafe(root)) ?? root;
  const out: string[] = [];
  let entries = 0;
  const walk = async (dir: string, rel: string): Promise<void> => {
    let list: fs.Dirent[];
    try {
      list = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing from it
    }
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of list) {
      if (out.length >= options.max || ++entries > MAX_ENTRIES || options.cancelled()) return;
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name) && !options.ignored(childRel, true)) await walk(abs, childRel);
        continue;
      }
      if (!isCandidatePath(childRel) || options.ignored(childRel, false)) continue;
      if (e.isSymbolicLink()) {
        const real = await realpathSafe(abs);
        const st = real === undefined ? undefined : await fs.promises.stat(real).catch(() => undefined);
        if (!real || !st?.isFile() || !isInside(real, realRoot)) continue;
      } else if (!e.isFile()) continue;
      out.push(childUri(folder, childRel));
    }
  };
  await walk(root, '');
  return out;
}

/** The real path of each folder, resolved once (a pull reads thousands of its files). */
const realRoots = new Map<string, Promise<string | undefined>>();

/** Reads a listed file, refusing one whose real path leaves the folder; undefined (not a promise) for a URI that is not `file:`. */
export function readFolderFile(uri: string, folder: string): Promise<string | undefined> | undefined {
  const root = folderPath(folder);
  if (root === undefined || !uri.startsWith('file:')) return undefined;
  let realRoot = realRoots.get(root);
  if (!realRoot) {
    if (realRoots.size > 100) realRoots.clear();
    realRoot = realpathSafe(root);
    realRoots.set(root, realRoot);
  }
  const rootReal = realRoot;
  return (async () => {
    try {
      const [real, resolvedRoot] = await Promise.all([realpathSafe(fileURLToPath(uri)), rootReal]);
      if (!real || !isInside(real, resolvedRoot ?? root)) return undefined;
      return await readTextFile(real);
    } catch {
      return undefined;
    }
  })();
}
