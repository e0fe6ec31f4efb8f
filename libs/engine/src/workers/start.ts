import type { Repository } from '../repository/repository.js';
import { SharedBloom } from './bloom.js';
import { WorkerPool } from './pool.js';

/** Sealed bytes that workers may have posted ahead of the main thread storing them. */
const CREDIT_LIMIT_KIB = 8 * 1024;

export interface RepositoryWorkers {
  pool: WorkerPool;
  bloom: SharedBloom;
  credit: Int32Array;
}

/** Starts workers that share the repository's keys, and a Bloom filter primed with every indexed blob. */
export function startWorkers(repo: Repository, expectedNewBlobs = 1 << 20): RepositoryWorkers {
  const bloom = SharedBloom.create(repo.index.blobCount + expectedNewBlobs);
  for (const [id] of repo.index.entries()) bloom.add(id);
  const credit = new SharedArrayBuffer(4);
  const pool = new WorkerPool({
    encryptionKey: repo.keys.encryption,
    idKey: repo.keys.id,
    chunker: repo.config.chunker,
    compression: repo.options.compression,
    bloom: bloom.buffer,
    credit,
    creditLimitKiB: CREDIT_LIMIT_KIB,
  });
  return { pool, bloom, credit: new Int32Array(credit) };
}
