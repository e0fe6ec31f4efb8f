import type { KeyObject } from 'node:crypto';
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
 * Collects sealed blobs into packs (data and trees apart, so trees stay quick to read), uploads full
 * packs while the caller keeps producing, and records uploaded packs in the index. A caller that gets
 * ahead of the uploads waits in {@link add}: memory stays bounded by `packSize × (connections + 2)`.
 */
export class PackUploader {
  readonly stats: UploadStats = { packs: 0, bytes: 0 };
  private readonly writers = new Map<BlobType, PackWriter>();
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
    let writer = this.writers.get(type);
    if (!writer) this.writers.set(type, (writer = new PackWriter(this.takeBuffer(type))));
    writer.add(id, type, sealed, rawLength, compressed);
    if (writer.size >= this.options.packSize) {
      this.writers.delete(type);
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
    for (const [type, writer] of this.writers) {
      this.writers.delete(type);
      await this.upload(writer);
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
