/**
 * The language server's host services on Node: file reads through the hardened reader, and the
 * folder walk of workspace diagnostics for editors whose client cannot list files.
 */
import { fileURLToPath } from 'node:url';
import type { ServerRuntime } from '../server';
import { readTextFile } from './files';
import { listFolderFiles, readFolderFile } from './listFiles';

export const nodeRuntime: ServerRuntime = {
  kind: 'node',
  pid: process.pid,
  async readFile(uri) {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return await readTextFile(fileURLToPath(uri));
    } catch {
      return undefined;
    }
  },
  listFiles: listFolderFiles,
  readFolderFile,
};
