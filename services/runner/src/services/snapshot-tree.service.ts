import { Injectable } from '@nestjs/common';
import { CATALOG, type TreeEntry } from '@cairn/contracts';
import { nodeNameBytes, type TreeNode } from '@cairn/engine';
import { EngineRepository } from '../repositories/engine.repository.js';
import { NatsRepository } from '../repositories/nats.repository.js';

/** One folder of a snapshot, read from the job's repository (the catalog only mirrors snapshot lists). */
@Injectable()
export class SnapshotTreeService {
  constructor(
    private readonly nats: NatsRepository,
    private readonly engine: EngineRepository,
  ) {}

  async list(jobId: string, snapshotId: string, path: string): Promise<TreeEntry[]> {
    const job = await this.nats.request(CATALOG.jobs.resolve, { id: jobId });
    const repo = await this.engine.open(job);
    try {
      const folder = path.replace(/\/+$/, '');
      return (await this.engine.folder(repo, snapshotId, path)).map((node) => entry(folder, node));
    } finally {
      await repo.close();
    }
  }
}

function entry(folder: string, node: TreeNode): TreeEntry {
  // Names that are not UTF-8 are shown with replacement characters; the repository keeps the bytes.
  const name = nodeNameBytes(node).toString();
  return {
    name,
    path: `${folder}/${name}`,
    type: node.type,
    ...(node.size !== undefined ? { size: node.size } : {}),
    mtime: new Date(Number(BigInt(node.mtime) / 1_000_000n)).toISOString(),
    mode: node.mode,
  };
}
