import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A worker collects its garbage once big buffers it dropped add up to {@link DROPPED_BYTES_PER_GC}.
 *
 * Every chunk of a backup and every pack of a restore or check passes through a worker's buffers that
 * are dropped moments later (compressed chunks, packs, plaintext blobs). Their memory lies outside
 * V8's heap, and V8 only collects it once a thread's such memory has grown by 64 MiB or so. A worker's
 * heap is small, so collecting it takes a millisecond or two (about 0.5 s of CPU in a first backup of
 * 1 GiB, for some 60 MiB less at its peak). The main thread does not do this: its larger heap made
 * the same collections cost seconds.
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
