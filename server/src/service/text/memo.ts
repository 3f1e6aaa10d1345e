/**
 * A string equal to `value` that shares no memory with the text `value` was cut from.
 *
 * A string read from a document (a parser's token, a `slice`) is a view into the document's
 * whole text, and so is every string cut from it: a cache entry that kept one would keep the
 * whole text alive, one document per entry, long after it was closed.
 */
export function ownCopy(value: string): string {
  return JSON.parse(JSON.stringify(value)) as string;
}

/**
 * Bounded caches for pure functions of a string (an action name, an operator spelling): the same
 * few strings are asked about again and again, across documents. When a cache is full it starts
 * over, so a hostile document cannot grow it without bound. The key is copied (`ownCopy`), and
 * `fn` computes from the copy, so that nothing kept refers to the document it came from.
 */
export function memoizeString<T>(fn: (key: string) => T, limit: number): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    const found = cache.get(key);
    if (found !== undefined || cache.has(key)) return found as T;
    const own = ownCopy(key);
    const value = fn(own);
    if (cache.size >= limit) cache.clear();
    cache.set(own, value);
    return value;
  };
}
