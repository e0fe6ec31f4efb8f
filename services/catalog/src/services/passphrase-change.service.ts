import { Inject, Injectable } from '@nestjs/common';
import { HandlerError, RemoteError, RUNNER, type Logger, type ResolvedJob } from '@cairn/contracts';
import { NatsRepository } from '../repositories/nats.repository.js';
import { LOGGER } from '../tokens.js';

/**
 * Changes a job's passphrase without locking it out of its repository: a runner adds a key for the
 * new passphrase (and proves it opens the repository), then the catalog saves it, then the old key
 * is removed. Refused, with nothing changed, when no runner can add the key.
 */
@Injectable()
export class PassphraseChangeService {
  constructor(
    private readonly nats: NatsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async change<T>(job: ResolvedJob, newPassphrase: string, save: () => Promise<T>): Promise<T> {
    if (newPassphrase === job.passphrase) return save();
    const { destination, passphrase } = job;
    const added = await this.nats
      .request(RUNNER.addKey, { jobId: job.id, destination, passphrase, newPassphrase })
      .catch((error: unknown) => {
        throw refusal(error);
      });
    const saved = await save();
    if (added.repository === 'keyed') {
      await this.nats
        .request(RUNNER.removeKey, { destination, passphrase: newPassphrase, key: added.oldKey })
        .then(
          () => this.logger.info({ jobId: job.id }, 'repository re-keyed for the new passphrase'),
          // Both passphrases open the repository then; the job works with the new one.
          (error: unknown) =>
            this.logger.warn(
              { jobId: job.id, err: (error as Error).message },
              'the old passphrase key could not be removed from the repository',
            ),
        );
    }
    return saved;
  }
}

function refusal(error: unknown): HandlerError {
  const why =
    error instanceof RemoteError && error.body.code !== 'unavailable' && error.body.code !== 'internal'
      ? error.message
      : 'no runner answered to add the new passphrase to the repository (is a runner running?)';
  return new HandlerError('conflict', `passphrase: not changed: ${why}`, 'passphrase');
}
