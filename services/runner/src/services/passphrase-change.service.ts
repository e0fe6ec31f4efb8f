import { Inject, Injectable } from '@nestjs/common';
import { HandlerError, type ResolvedJob } from '@cairn/contracts';
import { isCairnError } from '@cairn/engine';
import type { RunnerConfig } from '../config.js';
import { EngineRepository } from '../repositories/engine.repository.js';
import { JobLockRepository } from '../repositories/job-lock.repository.js';
import { RUNNER_CONFIG } from '../tokens.js';

type Destination = ResolvedJob['destination'];

/**
 * The runner's part of a passphrase change (the catalog leads it): the new key is added and proven
 * before the catalog keeps the new passphrase, and the old key goes only after that.
 */
@Injectable()
export class PassphraseChangeService {
  constructor(
    private readonly engine: EngineRepository,
    private readonly locks: JobLockRepository,
    @Inject(RUNNER_CONFIG) private readonly config: RunnerConfig,
  ) {}

  async addKey(
    jobId: string,
    destination: Destination,
    passphrase: string,
    newPassphrase: string,
  ): Promise<{ repository: 'absent' } | { repository: 'keyed'; oldKey: string }> {
    // No run of the job in between: a first backup would make the repository with the old passphrase.
    const lock = await this.locks.tryAcquire(jobId, `${this.config.CAIRN_RUNNER_NAME} passphrase change`);
    if (!lock) {
      throw new HandlerError(
        'conflict',
        'a run of this job is going; change the passphrase once it has finished',
        'passphrase',
      );
    }
    try {
      const repo = await this.openCurrent(destination, passphrase);
      if (!repo) return { repository: 'absent' };
      try {
        await this.engine.addKey(repo, newPassphrase);
        await (await this.engine.openWith(destination, newPassphrase)).close();
        return { repository: 'keyed', oldKey: repo.keyName };
      } finally {
        await repo.close();
      }
    } finally {
      await lock.release();
    }
  }

  async removeKey(destination: Destination, passphrase: string, key: string): Promise<{ removed: string }> {
    const repo = await this.engine.openWith(destination, passphrase);
    try {
      return { removed: await this.engine.removeKey(repo, key) };
    } finally {
      await repo.close();
    }
  }

  /** The repository opened with the job's current passphrase; null when there is none yet. */
  private async openCurrent(destination: Destination, passphrase: string) {
    try {
      return await this.engine.openWith(destination, passphrase);
    } catch (error) {
      if (isCairnError(error, 'repository-not-found')) return null;
      if (isCairnError(error, 'wrong-password')) {
        throw new HandlerError(
          'conflict',
          "the job's current passphrase no longer opens its repository, so no key for the new one can be added",
          'passphrase',
        );
      }
      throw error;
    }
  }
}
