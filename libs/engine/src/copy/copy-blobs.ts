import { throwIfAborted } from '../errors.js';
import { decodeBlob } from '../pack/blob-codec.js';
import type { Repository } from '../repository/repository.js';
import { groupRanges } from '../restorer/ranges.js';

/**
 * Moves blobs by id from one repository into another that uses the same ids: read pack by pack
 * (neighbours in one range read), verified, and stored again under the target's encryption key.
 */
export async function copyBlobs(
  source: Repository,
  target: Repository,
  ids: readonly string[],
  signal?: AbortSignal,
): Promise<number> {
  const byPack = new Map<string, { offset: number; length: number; item: string }[]>();
  for (const id of ids) {
    const location = source.index.get(id)!;
    let list = byPack.get(location.packId);
    if (!list) byPack.set(location.packId, (list = []));
    list.push({ offset: location.offset, length: location.length, item: id });
  }
  let copied = 0;
  for (const [packId, requests] of byPack) {
    for (const group of groupRanges(requests)) {
      throwIfAborted(signal);
      const bytes = await source.backend.load('pack', packId, { offset: group.offset, length: group.length });
      for (const { item: id, offset, length } of group.requests) {
        const location = source.index.get(id)!;
        const plaintext = decodeBlob(
          source.keyObjects,
          id,
          location,
          bytes.subarray(offset - group.offset, offset - group.offset + length),
        );
        if ((await target.saveBlob(location.type, plaintext, id)).added) copied++;
      }
    }
  }
  return copied;
}
