import { filePath } from '../backends/backend.js';
import { CairnError, throwIfAborted } from '../errors.js';
import { RepositoryLock, type LockOptions } from '../lock/lock.js';
import type { PackedBlob } from '../pack/pack.js';
import { loadKeyFile } from '../repository/key-store.js';
import type { Repository } from '../repository/repository.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { loadTree } from '../tree/load.js';
import { mapLimit } from '../util/limiter.js';
import { transferable, type WorkerPool } from '../workers/pool.js';
import type { VerifyPackResult } from '../workers/protocol.js';
import { startWorkers } from '../workers/start.js';

export interface CheckOptions {
  /** Download every pack and verify every blob. */
  readData?: boolean;
  /** Like readData, for this share (0–1] of the packs, chosen at random. */
  readDataSubset?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { phase: string; done: number; total: number }) => void;
  lock?: Omit<LockOptions, 'exclusive'>;
}

export interface CheckProblem {
  /** The repository file concerned (`data/ab/ab…`, `index/…`), when there is one. */
  file?: string;
  message: string;
}

export interface CheckResult {
  errors: CheckProblem[];
  hints: CheckProblem[];
  snapshots: number;
  packs: number;
  packsRead: number;
}

/** Verifies the structure of a repository and, on request, every byte of its data. */
export async function check(repo: Repository, options: CheckOptions = {}): Promise<CheckResult> {
  const lock = await RepositoryLock.acquire(repo, { ...options.lock, exclusive: false });
  try {
    return await new Checker(repo, options).run();
  } finally {
    await lock.release();
  }
}

class Checker {
  private readonly result: CheckResult = { errors: [], hints: [], snapshots: 0, packs: 0, packsRead: 0 };
  /** Blob id → what is wrong with it (its pack is missing or damaged). */
  private readonly damagedBlobs = new Map<string, string>();
  private readonly checkedTrees = new Set<string>();

  constructor(
    private readonly repo: Repository,
    private readonly options: CheckOptions,
  ) {}

  async run(): Promise<CheckResult> {
    await this.checkKeys();
    const indexed = await this.checkIndexes();
    const packSizes = await this.checkPacks(indexed);
    if (this.options.readData || this.options.readDataSubset !== undefined)
      await this.readPacks(indexed, packSizes);
    await this.checkSnapshots();
    return this.result;
  }

  private error(message: string, file?: string): void {
    this.result.errors.push(file ? { file, message } : { message });
  }

  private async attempt(file: string, task: () => Promise<void>): Promise<void> {
    try {
      await task();
    } catch (error) {
      if (error instanceof CairnError && error.kind === 'cancelled') throw error;
      this.error(error instanceof Error ? error.message : String(error), file);
    }
  }

  private async checkKeys(): Promise<void> {
    for (const { name } of await this.repo.backend.list('key')) {
      await this.attempt(
        filePath('key', name),
        async () => void (await loadKeyFile(this.repo.backend, name)),
      );
    }
  }

  /** Loads every index file; returns pack id → blobs it should hold. */
  private async checkIndexes(): Promise<Map<string, PackedBlob[]>> {
    const packs = new Map<string, PackedBlob[]>();
    const files = await this.repo.backend.list('index');
    await mapLimit(files, this.repo.options.connections, ({ name }) =>
      this.attempt(filePath('index', name), async () => {
        const content = await this.repo.loadIndexFile(name);
        this.repo.indexFiles.add(name);
        for (const pack of content.packs) {
          this.repo.index.addPack(pack.id, pack.blobs);
          if (!packs.has(pack.id)) packs.set(pack.id, pack.blobs);
        }
      }),
    );
    return packs;
  }

  private async checkPacks(indexed: Map<string, PackedBlob[]>): Promise<Map<string, number>> {
    const stored = new Map((await this.repo.backend.list('pack')).map((pack) => [pack.name, pack.size]));
    this.result.packs = stored.size;
    for (const [packId, blobs] of indexed) {
      const size = stored.get(packId);
      const end = Math.max(0, ...blobs.map((blob) => blob.offset + blob.length));
      const problem =
        size === undefined
          ? 'is missing'
          : size < end
            ? `is truncated (${size} bytes, blobs end at ${end})`
            : undefined;
      if (problem) this.markPackDamaged(packId, blobs, `pack ${packId} ${problem}`);
    }
    for (const packId of stored.keys()) {
      if (!indexed.has(packId)) {
        this.result.hints.push({
          file: filePath('pack', packId),
          message: 'pack is not in any index (left by an interrupted backup; the next backup adopts it)',
        });
      }
    }
    return stored;
  }

  private markPackDamaged(packId: string, blobs: readonly PackedBlob[], message: string): void {
    this.error(message, filePath('pack', packId));
    for (const blob of blobs) this.damagedBlobs.set(blob.id, message);
  }

  private async readPacks(indexed: Map<string, PackedBlob[]>, sizes: Map<string, number>): Promise<void> {
    let packIds = [...indexed.keys()].filter((id) => sizes.has(id));
    const subset = this.options.readDataSubset;
    if (subset !== undefined && subset < 1) {
      packIds = packIds.filter(() => Math.random() < subset);
    }
    let done = 0;
    const { pool } = startWorkers(this.repo, 0);
    try {
      await mapLimit(packIds, this.repo.options.connections, async (packId) => {
        throwIfAborted(this.options.signal);
        const expected = indexed.get(packId)!;
        try {
          await this.verifyPack(pool, packId, expected);
        } catch (error) {
          if (error instanceof CairnError && error.kind === 'cancelled') throw error;
          this.markPackDamaged(packId, expected, `pack ${packId}: ${(error as Error).message}`);
        }
        this.result.packsRead++;
        this.options.onProgress?.({ phase: 'read data', done: ++done, total: packIds.length });
      });
    } finally {
      await pool.close();
    }
  }

  /** A worker checks the pack's hash and every blob in it; here its header is held against the index. */
  private async verifyPack(pool: WorkerPool, packId: string, expected: readonly PackedBlob[]): Promise<void> {
    const { view, transfer } = transferable(await this.repo.backend.load('pack', packId));
    const { blobs } = await pool.run<VerifyPackResult>(
      { kind: 'verify-pack', packId, bytes: view },
      view.length,
      transfer,
    );
    const inPack = new Map(blobs.map((blob) => [blob.id, blob]));
    for (const want of expected) {
      const have = inPack.get(want.id);
      if (!have || have.offset !== want.offset || have.length !== want.length) {
        throw new CairnError('corrupt', `blob ${want.id.slice(0, 16)} is not where the index says`);
      }
    }
  }

  private async checkSnapshots(): Promise<void> {
    const files = await this.repo.backend.list('snapshot');
    this.result.snapshots = files.length;
    for (const { name } of files) {
      await this.attempt(filePath('snapshot', name), async () => {
        const snapshot = await this.repo.loadJson<Snapshot>('snapshot', name);
        await this.checkTree(snapshot.tree, '', name);
      });
    }
  }

  private async checkTree(treeId: string, path: string, snapshotId: string): Promise<void> {
    throwIfAborted(this.options.signal);
    if (this.checkedTrees.has(treeId)) return;
    const where = `snapshot ${snapshotId.slice(0, 8)}`;
    const damage = this.blobProblem(treeId);
    if (damage) {
      this.error(`${where}: folder ${path || '/'} cannot be read: ${damage}`);
      return;
    }
    let nodes;
    try {
      nodes = (await loadTree(this.repo, treeId)).nodes;
    } catch (error) {
      this.error(`${where}: folder ${path || '/'}: ${(error as Error).message}`);
      return;
    }
    this.checkedTrees.add(treeId);
    for (const node of nodes) {
      const nodePath = `${path}/${node.name}`;
      if (node.type === 'dir' && node.subtree) await this.checkTree(node.subtree, nodePath, snapshotId);
      for (const id of node.content ?? []) {
        const problem = this.blobProblem(id);
        if (problem) {
          this.error(`${where}: file ${nodePath} is damaged: ${problem}`);
          break;
        }
      }
    }
  }

  private blobProblem(id: string): string | undefined {
    return (
      this.damagedBlobs.get(id) ??
      (this.repo.index.has(id) ? undefined : `blob ${id.slice(0, 16)} is not in any index`)
    );
  }
}
