/**
 * Bounded caches for pure functions of a string (an action name, an operator spelling): the same
 * few strings are asked about again and again, across documents. When a cache is full it starts
 * over, so a hostile document cannot grow it without bound.
 */
export function memoizeString<T>(fn: (key: string) => T, limit: number): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as T;
    const value = fn(key);
    if (cache.size >= limit) cache.clear();
    cache.set(key, value);
    return value;
  };
}
