/**
 * Gives memory back to the system when the server goes idle.
 *
 * While a user types, V8 grows its young generation (up to two 16 MB semi-spaces) for
 * throughput, and keeps it when the work stops: after 1,000 documents the server held 109 MB of
 * RSS, 34 MB of it an empty young generation, and a minute of idling changed nothing. Capping
 * the heap with flags costs every keystroke instead: `--optimize-for-size` made analysis about
 * 50% slower, and small semi-spaces only moved the garbage into the old generation.
 *
 * So the server stays fast while busy and trims when it falls idle, with two collections: one
 * after `idleMs` without a message, and one `settleMs` later if it is still idle. After any
 * collection V8 shrinks its young generation when its allocation rate, measured over at least
 * five seconds of collections, is low: at the first collection the rate still counts the burst,
 * at the second it is nil. Each collection takes a millisecond or so, and runs only when nothing
 * has come for seconds.
 *
 * Both are young-generation collections, unless the old generation has grown by more than
 * FULL_TRIM_GROWTH since the last full one (documents opened and closed): then both are full.
 * A full collection also drops the layouts of objects no longer alive, deoptimizing the
 * functions compiled for them (45 on the keystroke path before `keepLayout`, 10 after), so that
 * the first keystrokes after the pause run unoptimized code; typing in one document grows the
 * old generation far less, and its pauses cost no full collection. After 1,000 documents, young
 * collections alone left 81 MB (two bench runs), full ones 72 to 76 MB (six).
 *
 * The collector is reached through `--expose-gc` set at run time and a fresh context, the only
 * way Node offers without a command-line flag (editors start the server as `node server.js`).
 * If that ever fails, trimming is simply off.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { DataCallback, Disposable, Message, MessageReader } from 'vscode-languageserver/node';

/** Idle time before the first collection. */
export const IDLE_TRIM_MS = 3000;
/** Time between the two collections: longer than the five seconds over which V8 measures the allocation rate. */
export const SETTLE_TRIM_MS = 6000;

export interface IdleTrimmer extends Disposable {
  /** A message came: the server is busy; trim once it has been idle for `idleMs`, and again `settleMs` later. */
  touch(): void;
  /** Collections run so far (for tests). */
  readonly trims: number;
}

type Collect = (options?: { type: 'minor' }) => void;

let collector: Collect | null | undefined;

/** V8's collector, or null when this Node does not let us reach it. */
function reachCollector(): Collect | null {
  if (collector !== undefined) return collector;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
    collector = typeof gc === 'function' ? (gc as Collect) : null;
  } catch {
    collector = null;
  }
  return collector;
}

/** Old-generation growth since the last full collection beyond which a trim collects it all. */
export const FULL_TRIM_GROWTH = 16 * 2 ** 20;

/** Bytes in use outside the young generation. */
function oldGenerationBytes(): number {
  let n = 0;
  for (const s of getHeapSpaceStatistics()) if (s.space_name !== 'new_space' && s.space_name !== 'new_large_object_space') n += s.space_used_size;
  return n;
}

/** The old generation's size after the last full collection (or the smallest seen since). */
let oldBaseline: number | undefined;

/**
 * Which collection a trim runs: a full one when the old generation has grown by more than
 * `growth` since the last (documents opened and closed left garbage there), else a young one.
 */
export function trimKind(old: number, baseline: number | undefined, growth = FULL_TRIM_GROWTH): 'full' | 'young' {
  return baseline === undefined || old - baseline > growth ? 'full' : 'young';
}

/** The kind of collection of the current idle period, chosen at its first trim. */
let periodKind: 'full' | 'young' = 'young';

/**
 * One collection, as the idle trim runs: young, or full when the old generation has grown much
 * since the last full one (see `trimKind`). The `second` trim of an idle period runs the kind
 * its first chose: a full collection frees the old generation's garbage, and the second one
 * gives its pages back. False when no collector is reachable.
 */
export function trimMemory(second = false): boolean {
  const gc = reachCollector();
  if (!gc) return false;
  const old = oldGenerationBytes();
  if (!second) periodKind = trimKind(old, oldBaseline);
  if (periodKind === 'full') {
    gc();
    oldBaseline = oldGenerationBytes();
  } else {
    gc({ type: 'minor' });
    // V8 collects the old generation on its own too: the baseline follows it down.
    oldBaseline = Math.min(oldBaseline ?? old, old);
  }
  return true;
}

/** One full collection (tests that measure what stays alive). False when no collector is reachable. */
export function collectAllGarbage(): boolean {
  const gc = reachCollector();
  if (!gc) return false;
  // Without options: `gc({ type: 'major' })` leaves objects only weakly held alive (measured).
  gc();
  return true;
}

export function createIdleTrimmer(
  idleMs = IDLE_TRIM_MS,
  trim: (second: boolean) => boolean = trimMemory,
  now: () => number = Date.now,
  settleMs = SETTLE_TRIM_MS,
): IdleTrimmer {
  let last = now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Collections left in this idle period: 2 after a message, then 1, then 0. */
  let left = 0;
  let trims = 0;
  let disabled = false;

  /** How long after the last message the next collection is due. */
  const dueAfter = () => (left === 2 ? idleMs : idleMs + settleMs);

  const check = () => {
    timer = undefined;
    if (disabled || left === 0) return;
    const quiet = now() - last;
    if (quiet < dueAfter()) {
      arm(dueAfter() - quiet);
      return;
    }
    left--;
    if (trim(left === 0)) trims++;
    else disabled = true;
    if (left > 0 && !disabled) arm(dueAfter() - quiet);
  };
  /** When the armed timer fires. */
  let armedAt = 0;
  const arm = (ms: number) => {
    armedAt = now() + ms;
    timer = setTimeout(check, ms);
    // Never keep the process alive for a trim.
    timer.unref?.();
  };

  return {
    touch() {
      last = now();
      left = 2;
      if (disabled) return;
      // A timer already armed for the first collection fires in time (it re-arms itself); one
      // armed for a second collection fires too late for this idle period's first.
      if (timer && armedAt > last + idleMs) {
        clearTimeout(timer);
        timer = undefined;
      }
      if (!timer) arm(idleMs);
    },
    get trims() {
      return trims;
    },
    dispose() {
      disabled = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** `reader`, telling `trimmer` of every message it delivers. */
export function observeActivity(reader: MessageReader, trimmer: IdleTrimmer): MessageReader {
  return {
    onError: reader.onError,
    onClose: reader.onClose,
    onPartialMessage: reader.onPartialMessage,
    listen(callback: DataCallback): Disposable {
      return reader.listen((message: Message) => {
        trimmer.touch();
        callback(message);
      });
    },
    dispose() {
      trimmer.dispose();
      reader.dispose();
    },
  };
}
