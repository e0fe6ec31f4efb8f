import { Injectable } from '@nestjs/common';
import { describeShrinkage, sourceShrinkage, type BackupResult, type Repository } from '@cairn/engine';
import { EngineRepository } from '../repositories/engine.repository.js';
import { FilesystemRepository } from '../repositories/filesystem.repository.js';

/**
 * Keeps retention from deleting the snapshots that hold the data when the source is not what it
 * was: a NAS share not mounted yet after a reboot is an empty folder, a mistyped mount a missing one.
 */
@Injectable()
export class SourceGuard {
  constructor(
    private readonly fs: FilesystemRepository,
    private readonly engine: EngineRepository,
  ) {}

  /**
   * Before a backup: throws when a source is missing (the run fails); answers why not to back up
   * when one is an empty folder (the run warns), or null.
   */
  async beforeBackup(paths: string[]): Promise<string | null> {
    for (const path of paths) {
      const state = await this.fs.sourceState(path);
      if (state === 'missing') {
        throw new Error(
          `source ${path} does not exist (a share that is not mounted, or a mistyped path?): nothing backed up, retention and prune skipped`,
        );
      }
      if (state === 'empty') {
        return `source ${path} is an empty folder (a share that is not mounted yet?): nothing backed up, retention and prune skipped`;
      }
    }
    return null;
  }

  /**
   * After a backup: why retention and prune must not run, or null. The rule is the engine's, the
   * one `cairn forget` applies; `minPercent` 0 turns the guard off.
   */
  async afterBackup(repo: Repository, result: BackupResult, minPercent: number): Promise<string | null> {
    const { parent } = result.snapshot;
    if (!parent || minPercent === 0) return null;
    const shrinkage = sourceShrinkage(
      { ...result.snapshot, id: result.snapshotId },
      await this.engine.snapshot(repo, parent),
      minPercent,
    );
    return shrinkage ? `${describeShrinkage(shrinkage)}: retention and prune skipped` : null;
  }
}
