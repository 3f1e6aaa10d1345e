/**
 * The files of the workspace folders, for workspace diagnostics: listed and read through the
 * client (VS Code, Node and browser: `iotPolicy/findFiles` and `iotPolicy/readFile`, so that
 * `files.exclude` holds and virtual workspaces are reached) or, for other editors on Node, by
 * the runtime's own bounded walk. The discovery rules are the CLI's (service/discovery.ts): files a
 * host reads by name, outside SKIPPED_DIRS, minus what the folder's configuration ignores.
 *
 * The same safety as the CLI: only regular files of at most 10 MB, never a symbolic link that
 * leaves the folder (Node resolves it; the client refuses every link it is asked about).
 */
import { CANDIDATE_FILES_GLOB, inSkippedDir, isCandidatePath, SKIPPED_DIRS_GLOB } from '../service';
import type { ClientFiles } from './clientFiles';
import { pathInFolder } from './settings';

/** What a listing leaves out and where it stops. */
export interface ListFilesOptions {
  /** At most this many files. */
  max: number;
  /** True for a folder or file the configuration leaves out (`ignore`, `.iot-policyignore`), by its `/`-separated path in the folder. */
  ignored(relPath: string, isDir: boolean): boolean;
  /** True once the listing is no longer wanted (the request was cancelled). */
  cancelled(): boolean;
}

/** The part of the server's runtime that lists and reads folder files itself (Node; see ServerRuntime). */
export interface FolderFileAccess {
  /** The URIs of a folder's candidate files (service/discovery.ts), sorted; nothing for a folder it cannot walk. */
  listFiles?(folder: string, options: ListFilesOptions): Promise<string[]>;
  /**
   * Reads a listed file: a regular file of at most 10 MB whose real path is inside `folder`.
   * Returns undefined at once (not a promise) for a URI this runtime does not read.
   */
  readFolderFile?(uri: string, folder: string): Promise<string | undefined> | undefined;
}

export interface WorkspaceFiles {
  /** Where the files come from, for the log. */
  source: 'client' | 'runtime';
  list(folder: string, options: ListFilesOptions): Promise<string[]>;
  read(uri: string, folder: string): Promise<string | undefined>;
}

/**
 * How this server reaches workspace files, or undefined when it cannot list them (a browser
 * server whose client does not answer `iotPolicy/findFiles`): then it offers no workspace
 * diagnostics.
 */
export function workspaceFiles(runtime: FolderFileAccess, client: ClientFiles | undefined): WorkspaceFiles | undefined {
  const read = (uri: string, folder: string): Promise<string | undefined> =>
    runtime.readFolderFile?.(uri, folder) ?? client?.readFile(uri, { followLinks: false }) ?? Promise.resolve(undefined);
  if (client) {
    return {
      source: 'client',
      async list(folder, options) {
        const found = await client.findFiles({ folder, include: CANDIDATE_FILES_GLOB, exclude: SKIPPED_DIRS_GLOB, maxResults: options.max });
        const out: string[] = [];
        for (const uri of found) {
          // The client's answer is checked like any input: inside the folder, a candidate, not skipped or ignored.
          const rel = pathInFolder(folder, uri);
          if (rel === undefined || !isCandidatePath(rel) || inSkippedDir(rel) || options.ignored(rel, false)) continue;
          out.push(uri);
        }
        return out.sort();
      },
      read,
    };
  }
  const listFiles = runtime.listFiles?.bind(runtime);
  if (!listFiles) return undefined;
  return { source: 'runtime', list: listFiles, read };
}
