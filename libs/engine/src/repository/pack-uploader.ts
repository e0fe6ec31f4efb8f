import { randomInt, type KeyObject } from 'node:crypto';
import type { Backend } from '../backends/backend.js';
import type { IndexContent } from '../index/index-file.js';
import type { MasterIndex } from '../index/master-index.js';
import { PackWriter, type BlobType, type PackedBlob } from '../pack/pack.js';

export interface UploaderOptions {
  packSize: number;
  connections: number;
  /** Write an index file at least this often during long backups, so an interruption loses little. */
  checkpointMs: number;
  dryRun: boolean;
}

export interface UploadStats {
  packs: number;
  bytes: number;
}

/**
 * Packs of one blob type being filled at once. Each blob goes to one of them at random (a CSPRNG), so
 * which blobs share a pack, and so a pack's size, says nothing about where a file's chunks begin and
 * end: a storage provider who knows a file cannot find its chunk sizes in the pack sizes (restic 0.18
 * does the same against the 2025 attacks on content-defined chunking).
 */
const OPEN_PACKS = 2;

/**
 * Collects sealed blobs into packs (data and trees apart, so trees stay quick to read), uploads full
 * packs while the caller keeps producing, and records uploaded packs in the index. A caller that gets
 * ahead of the uploads waits in {@link add}: memory stays bounded by
 * `packSize × (connections + OPEN_PACKS + 1)`.
 */
export class PackUploader {
  readonly stats: UploadStats = { packs: 0, bytes: 0 };
  /** Per blob type, the packs being filled ({@link OPEN_PACKS}; a slot is empty until a blob comes). */
  private readonly writers = new Map<BlobType, (PackWriter | undefined)[]>();
  /** Pack buffers whose upload finished, ready for the next pack. */
  private readonly spareBuffers: Buffer[] = [];
  private readonly uploads = new Set<Promise<void>>();
  private unsaved: IndexContent['packs'] = [];
  private lastCheckpoint = Date.now();
  private failure: unknown;

  constructor(
    private readonly backend: Backend,
    private readonly encryptionKey: KeyObject,
    private readonly index: MasterIndex,
    private readonly saveIndex: (content: IndexContent) => Promise<unknown>,
    private readonly onPackStored: (blobs: readonly PackedBlob[]) => void,
    private readonly options: UploaderOptions,
  ) {}

  async add(
    type: BlobType,
    id: string,
    sealed: Buffer,
    rawLength: number,
    compressed: boolean,
  ): Promise<void> {
    this.throwIfFailed();
    let slots = this.writers.get(type);
    if (!slots) this.writers.set(type, (slots = new Array<PackWriter | undefined>(OPEN_PACKS)));
    const slot = randomInt(OPEN_PACKS);
    const writer = (slots[slot] ??= new PackWriter(this.takeBuffer(type)));
    writer.add(id, type, sealed, rawLength, compressed);
    if (this.isFull(writer)) {
      slots[slot] = undefined;
      await this.upload(writer);
    }
    if (Date.now() - this.lastCheckpoint >= this.options.checkpointMs) await this.writeIndex();
  }

  /** Uploads every partial pack, waits for all uploads, and writes the index for them. */
  async flush(): Promise<void> {
    this.unsaved = await this.finishPacks();
    await this.writeIndex();
  }

  /**
   * Uploads every partial pack and waits for all uploads; returns the packs not yet in an index file
   * and forgets them, for a caller that writes the index itself (prune).
   */
  async finishPacks(): Promise<IndexContent['packs']> {
    for (const [type, slots] of this.writers) {
      this.writers.delete(type);
      // The partial packs left become one: a small backup's few chunks, each alone in a pack of its
      // own, would give their sizes away. The last pack may so reach twice the target size.
      const [largest, ...rest] = slots.filter((w) => w !== undefined).sort((a, b) => b.size - a.size);
      if (!largest) continue;
      for (const writer of rest) largest.absorb(writer);
      await this.upload(largest);
    }
    await Promise.all(this.uploads);
    this.throwIfFailed();
    const packs = this.unsaved;
    this.unsaved = [];
    return packs;
  }

  private async upload(writer: PackWriter): Promise<void> {
    while (this.uploads.size >= this.options.connections) await Promise.race(this.uploads);
    this.throwIfFailed();
    const pack = writer.finish(this.encryptionKey);
    const task = (async () => {
      if (!this.options.dryRun) await this.backend.save('pack', pack.id, pack.bytes);
      this.index.addPack(pack.id, pack.blobs);
      this.unsaved.push({ id: pack.id, blobs: pack.blobs });
      this.stats.packs++;
      this.stats.bytes += pack.bytes.length;
      this.onPackStored(pack.blobs);
      if (
        this.spareBuffers.length <= this.options.connections &&
        pack.buffer.length >= this.options.packSize
      ) {
        this.spareBuffers.push(pack.buffer);
      }
    })().then(undefined, (error: unknown) => {
      this.failure ??= error;
    });
    const tracked = task.finally(() => this.uploads.delete(tracked));
    this.uploads.add(tracked);
  }

  /**
   * A pack closes at the target size, or up to an eighth before it once its size lies just below a
   * Padmé length (padding ≤ 0.4 %): the target itself is a Padmé length by default, so a pack just
   * past it would be padded by almost 3 %. Only the pack's own size decides, which the padding hides.
   */
  private isFull(writer: PackWriter): boolean {
    const { packSize } = this.options;
    if (writer.size >= packSize) return true;
    return writer.size >= packSize - packSize / 8 && writer.padding <= writer.size / 256;
  }

  private takeBuffer(type: BlobType): Buffer {
    // Tree packs stay small in most backups; data packs get room for a full pack plus one maximal blob.
    if (type === 'tree') return Buffer.allocUnsafeSlow(1024 * 1024);
    return this.spareBuffers.pop() ?? Buffer.allocUnsafeSlow(this.options.packSize + 9 * 1024 * 1024);
  }

  private async writeIndex(): Promise<void> {
    this.lastCheckpoint = Date.now();
    if (this.unsaved.length === 0 || this.options.dryRun) return;
    const packs = this.unsaved;
    this.unsaved = [];
    await this.saveIndex({ supersedes: [], packs });
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
