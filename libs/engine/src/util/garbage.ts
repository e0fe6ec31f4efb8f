import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Collects this thread's garbage once big buffers it dropped add up to {@link DROPPED_BYTES_PER_GC}.
 *
 * Every chunk of a backup and every pack of a restore or check passes through buffers that are
 * dropped moments later (compressed and sealed blobs, downloaded packs). Their memory lies outside
 * V8's heap, and V8 only collects it once each thread's such memory has grown by 64 MiB or so: with
 * two workers and the main thread that was ~170 MiB of a first backup's 500 MiB peak. A collection of
 * these small heaps takes a few milliseconds, once for every 32 MiB that passed through.
 */
const DROPPED_BYTES_PER_GC = 16 * 1024 * 1024;

let dropped = 0;
let collect: (() => void) | undefined;

/** Counts `bytes` of buffers this thread no longer holds, collecting when enough have piled up. */
export function countDropped(bytes: number): void {
  dropped += bytes;
  if (dropped < DROPPED_BYTES_PER_GC) return;
  dropped = 0;
  garbageCollector()();
}

// V8 gives a context its gc() only when the flag is set before the context is made: a new one, here.
function garbageCollector(): () => void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  return collect;
}
