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

/** Instances kept by `keepLayout`: one per class, never read. */
const layouts: object[] = [];

/**
 * Keeps `instance` alive for the life of the process, so that V8 keeps the layout (the hidden
 * class) of its class's instances, and returns it.
 *
 * V8 holds the layout an object takes on as its constructor adds its fields through a weak link
 * only, and through the objects that have it. When every instance of a class made per keystroke
 * has died, a full collection (V8's memory reducer runs several once typing pauses) drops that
 * layout and deoptimizes every function compiled for it; the first keystrokes after the pause
 * then run unoptimized until V8 compiles those functions again. Measured on the keystroke path:
 * 45 functions deoptimized by one full collection, 10 (all in Node and the protocol library) with
 * one instance kept of each such class (`Budget`, the one-pass JSON parser). An object literal's
 * layout is kept by the code that creates it, so literals need none of this.
 */
export function keepLayout<T extends object>(instance: T): T {
  layouts.push(instance);
  return instance;
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
