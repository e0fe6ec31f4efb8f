import { throwIfAborted } from '../errors.js';
import { RepositoryLock, type LockOptions } from '../lock/lock.js';
import type { Repository } from '../repository/repository.js';
import { listSnapshots, saveSnapshot, type Snapshot } from '../snapshot/snapshot.js';
import { loadTree } from '../tree/load.js';
import { encodeTree, type TreeNode } from '../tree/tree.js';

export interface RepairSnapshotsOptions {
  /** Remove each damaged snapshot once its repaired copy is saved. */
  forget?: boolean;
  dryRun?: boolean;
  signal?: AbortSignal;
  lock?: Omit<LockOptions, 'exclusive'>;
}

export interface RepairedSnapshot {
  id: string;
  /** The repaired copy (absent in a dry run). */
  newId?: string;
  /** Paths left out because their data is gone. */
  lost: string[];
}

/**
 * Rewrites every snapshot that refers to data the repository no longer has, leaving out the files and
 * folders whose blobs are gone; everything else in them stays restorable. Repaired copies are tagged
 * `repaired` and name their original.
 */
export async function repairSnapshots(
  repo: Repository,
  options: RepairSnapshotsOptions = {},
): Promise<RepairedSnapshot[]> {
  const lock = await RepositoryLock.acquire(repo, { ...options.lock, exclusive: true });
  try {
    await repo.loadIndex();
    const existingPacks = new Set((await repo.backend.list('pack')).map((pack) => pack.name));
    const available = (id: string) => existingPacks.has(repo.index.get(id)?.packId ?? '');
    const rewriter = new TreeRewriter(repo, available, options.signal);
    const repaired: RepairedSnapshot[] = [];
    for (const snapshot of await listSnapshots(repo)) {
      const { id: tree, lost } = await rewriter.rewrite(snapshot.tree, '');
      if (lost.length === 0) continue;
      const entry: RepairedSnapshot = { id: snapshot.id, lost };
      if (!options.dryRun) {
        const { id: _id, ...fields } = snapshot;
        const copy: Snapshot & { original: string } = {
          ...fields,
          tree,
          original: snapshot.id,
          tags: [...new Set([...snapshot.tags, 'repaired'])],
        };
        await repo.flush();
        entry.newId = await saveSnapshot(repo, copy);
        if (options.forget) await repo.backend.remove('snapshot', snapshot.id);
      }
      repaired.push(entry);
    }
    return repaired;
  } finally {
    await lock.release();
  }
}

class TreeRewriter {
  private readonly done = new Map<string, { id: string; lost: string[] }>();

  constructor(
    private readonly repo: Repository,
    private readonly available: (id: string) => boolean,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async rewrite(treeId: string, path: string): Promise<{ id: string; lost: string[] }> {
    throwIfAborted(this.signal);
    const known = this.done.get(treeId);
    if (known) return { id: known.id, lost: known.lost.map((lost) => `${path}${lost}`) };
    if (!this.available(treeId)) return { id: await this.save([]), lost: [`${path}/ (the whole folder)`] };
    const nodes: TreeNode[] = [];
    const lost: string[] = [];
    for (const node of (await loadTree(this.repo, treeId)).nodes) {
      const nodePath = `/${node.name}`;
      if (node.type === 'dir' && node.subtree) {
        const sub = await this.rewrite(node.subtree, '');
        lost.push(...sub.lost.map((p) => `${nodePath}${p}`));
        nodes.push(sub.id === node.subtree ? node : { ...node, subtree: sub.id });
      } else if (node.content && !node.content.every(this.available)) {
        lost.push(nodePath);
      } else {
        nodes.push(node);
      }
    }
    const id = lost.length === 0 ? treeId : await this.save(nodes);
    this.done.set(treeId, { id, lost });
    return { id, lost: lost.map((p) => `${path}${p}`) };
  }

  private async save(nodes: TreeNode[]): Promise<string> {
    return (await this.repo.saveBlob('tree', encodeTree({ nodes }))).id;
  }
}
