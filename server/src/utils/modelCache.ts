/**
 * Parses each document once per version: every feature asks the cache, never parses itself.
 * Entries are keyed by uri and evicted on close, when the cache is full (oldest first), and
 * after a while without use.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';

interface Entry<T> {
  version: number;
  languageId: string;
  model: T;
  lastUsed: number;
}

export interface ModelCache<T> {
  get(document: TextDocument): T;
  onDocumentRemoved(uri: string): void;
  /** Forgets every entry (what `parse` depends on changed, e.g. the settings). */
  clear(): void;
  dispose(): void;
  /** How many times `parse` ran (for tests and logs). */
  readonly parseCount: number;
}

/**
 * `parse` is given what it made of the document's last version (same language) as `previous`: it
 * may read the new version from it (and spend it), as the cache never hands it out again.
 */
export function createModelCache<T>(parse: (document: TextDocument, previous: T | undefined) => T, maxEntries = 20, cleanupSeconds = 60): ModelCache<T> {
  const entries = new Map<string, Entry<T>>();
  let parseCount = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  if (cleanupSeconds > 0) {
    timer = setInterval(() => {
      const cutoff = Date.now() - cleanupSeconds * 1000;
      for (const [uri, e] of entries) if (e.lastUsed < cutoff) entries.delete(uri);
    }, cleanupSeconds * 1000);
    // Node: the cleanup alone never keeps the process alive (browsers have no unref).
    (timer as { unref?: () => void }).unref?.();
  }
  return {
    get(document) {
      const e = entries.get(document.uri);
      if (e && e.version === document.version && e.languageId === document.languageId) {
        e.lastUsed = Date.now();
        return e.model;
      }
      // The stale version goes first, and only `parse` holds it: a standalone policy's next version
      // is read from it, and any other is built while the old tree and model are garbage (a
      // young-generation collection meanwhile does not copy them).
      entries.delete(document.uri);
      const model = parse(document, e && e.languageId === document.languageId ? e.model : undefined);
      parseCount++;
      entries.set(document.uri, { version: document.version, languageId: document.languageId, model, lastUsed: Date.now() });
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      return model;
    },
    onDocumentRemoved(uri) {
      entries.delete(uri);
    },
    clear() {
      entries.clear();
    },
    dispose() {
      if (timer) clearInterval(timer);
      entries.clear();
    },
    get parseCount() {
      return parseCount;
    },
  };
}
