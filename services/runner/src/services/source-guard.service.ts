import { Injectable } from '@nestjs/common';
import type { BackupResult, Repository } from '@cairn/engine';
import { EngineRepository } from '../repositories/engine.repository.js';
import { FilesystemRepository } from '../repositories/filesystem.repository.js';
import { sourceShrank } from '../utils/source-shrank.js';

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

  /** After a backup: why retention and prune must not run, or null. */
  async afterBackup(repo: Repository, result: BackupResult, minPercent: number): Promise<string | null> {
    const { parent, summary } = result.snapshot;
    if (!parent || !summary) return null;
    const reason = sourceShrank(summary, (await this.engine.snapshot(repo, parent)).summary, minPercent);
    return reason && `${reason}: retention and prune skipped`;
  }
}
