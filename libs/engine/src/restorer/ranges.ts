import type { Backend } from '../backends/backend.js';

export interface RangeRequest<T> {
  offset: number;
  length: number;
  item: T;
}

/** Blobs closer than this are fetched in one read: one request beats two round trips. */
const MAX_GAP = 1024 * 1024;

/**
 * Reads the wanted blobs of one pack with as few requests as possible: neighbouring blobs are merged
 * into one range read. `handle` gets each blob's bytes in pack order.
 */
export async function readRanges<T>(
  backend: Backend,
  packId: string,
  requests: RangeRequest<T>[],
  handle: (bytes: Buffer, item: T) => Promise<void>,
): Promise<void> {
  const sorted = [...requests].sort((a, b) => a.offset - b.offset);
  let group: RangeRequest<T>[] = [];
  const flush = async () => {
    if (group.length === 0) return;
    const start = group[0]!.offset;
    const end = Math.max(...group.map((request) => request.offset + request.length));
    const bytes = await backend.load('pack', packId, { offset: start, length: end - start });
    for (const request of group) {
      await handle(bytes.subarray(request.offset - start, request.offset - start + request.length), request.item);
    }
    group = [];
  };
  for (const request of sorted) {
    const last = group.at(-1);
    if (last && request.offset - (last.offset + last.length) > MAX_GAP) await flush();
    group.push(request);
  }
  await flush();
}
