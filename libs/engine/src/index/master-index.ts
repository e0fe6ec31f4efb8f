import type { BlobType, PackedBlob } from '../pack/pack.js';

export interface BlobLocation {
  packId: string;
  type: BlobType;
  offset: number;
  length: number;
  rawLength: number;
  compressed: boolean;
}

/** Every known blob of a repository, in memory: blob id → where it is stored. */
export class MasterIndex {
  private readonly blobs = new Map<string, BlobLocation>();
  private readonly packBlobCounts = new Map<string, number>();

  addPack(packId: string, blobs: readonly PackedBlob[]): void {
    if (this.packBlobCounts.has(packId)) return;
    this.packBlobCounts.set(packId, blobs.length);
    for (const { id, type, offset, length, rawLength, compressed } of blobs) {
      if (!this.blobs.has(id)) this.blobs.set(id, { packId, type, offset, length, rawLength, compressed });
    }
  }

  get(id: string): BlobLocation | undefined {
    return this.blobs.get(id);
  }

  has(id: string): boolean {
    return this.blobs.has(id);
  }

  hasPack(packId: string): boolean {
    return this.packBlobCounts.has(packId);
  }

  /** How many blobs the index files list for the pack (also those the index locates elsewhere). */
  packBlobCount(packId: string): number | undefined {
    return this.packBlobCounts.get(packId);
  }

  get packIds(): IterableIterator<string> {
    return this.packBlobCounts.keys();
  }

  get blobCount(): number {
    return this.blobs.size;
  }

  entries(): IterableIterator<[string, BlobLocation]> {
    return this.blobs.entries();
  }
}
