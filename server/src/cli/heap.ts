/**
 * The size of V8's young generation in the CLI's process. Left to itself, V8 doubles each of the
 * two semi-spaces of an isolate's young generation up to 16 MB when objects survive a scavenge;
 * lint allocates much that lives for one file, so the semi-spaces of the main thread grow to
 * the maximum and hold 32 MB for the rest of the run (a third of the process on 10,000 files).
 * With a growth factor of 1 they keep their initial size (1 MB each): one run on 10,000 distinct
 * files, 104 MB peak RSS before, 75 MB after, for about 5% more CPU time in scavenges.
 *
 * The flag takes effect at run time (V8 reads it each time a young generation would grow), but
 * V8 puts it back to its default whenever it sets up a heap: after a lint worker thread has
 * started (its own isolate), the flag is set again. Worker threads bound their own young
 * generation with `resourceLimits` (parallel.ts).
 *
 * Only the `iot-policy` process does this ({@link tuneHeap} from main.ts's `run`): an embedder
 * or a test that calls `main` keeps its own heap settings.
 */
import * as v8 from 'v8';

const FLAGS = '--semi-space-growth-factor=1';
let tuned = false;

/** Keeps the young generation of this process's isolates at their initial size from now on. */
export function tuneHeap(): void {
  tuned = true;
  v8.setFlagsFromString(FLAGS);
}

/** After a new isolate (a worker thread) is set up: sets the flag again, if this process tuned it. */
export function retuneHeap(): void {
  if (tuned) v8.setFlagsFromString(FLAGS);
}
