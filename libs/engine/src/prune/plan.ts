import type { PackedBlob } from '../pack/pack.js';

export interface PackUsage {
  id: string;
  size: number;
  blobs: PackedBlob[];
  /** Blobs of this pack that stay: referenced, and this is the copy the repository keeps. */
  keep: PackedBlob[];
}

export interface PrunePlan {
  /** Packs with nothing worth keeping. */
  remove: PackUsage[];
  /** Packs whose kept blobs move to new packs, because too much of them is unused. */
  repack: PackUsage[];
  /** Packs left as they are. */
  retain: PackUsage[];
  /** Files in data/ that no index lists (left by an interrupted backup). */
  orphans: { id: string; size: number }[];
}

/**
 * Decides what prune does, from what the indexes say and what the snapshots use. A blob stored twice
 * is kept once; a pack whose unused share exceeds `maxUnused` is repacked, one with nothing used is
 * removed.
 */
export function planPrune(
  packs: Map<string, PackedBlob[]>,
  sizes: Map<string, number>,
  used: Set<string>,
  maxUnused: number,
): PrunePlan {
  const plan: PrunePlan = { remove: [], repack: [], retain: [], orphans: [] };
  const kept = new Set<string>();
  for (const [id, blobs] of packs) {
    const keep = blobs.filter((blob) => used.has(blob.id) && !kept.has(blob.id) && kept.add(blob.id));
    const size = sizes.get(id)!;
    const usage = { id, size, blobs, keep };
    // Unused means blobs not kept; a pack's header is not waste, however small the pack.
    const keptBytes = keep.reduce((sum, blob) => sum + blob.length, 0);
    const unusedBytes = blobs.reduce((sum, blob) => sum + blob.length, 0) - keptBytes;
    if (keep.length === 0) plan.remove.push(usage);
    else if (unusedBytes / size > maxUnused) plan.repack.push(usage);
    else plan.retain.push(usage);
  }
  for (const [id, size] of sizes) if (!packs.has(id)) plan.orphans.push({ id, size });
  return plan;
}
