import { Inject, Injectable } from '@nestjs/common';
import { CATALOG, type Logger } from '@cairn/contracts';
import { EngineRepository } from '../repositories/engine.repository.js';
import { NatsRepository } from '../repositories/nats.repository.js';
import { LOGGER } from '../tokens.js';

/** Streams a file of a snapshot, or a folder as tar, to the gateway that asked (a browser download). */
@Injectable()
export class DownloadService {
  constructor(
    private readonly nats: NatsRepository,
    private readonly engine: EngineRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Answers what the bytes will be, then sends them to `inbox` while the caller reads. */
  async start(
    jobId: string,
    snapshotId: string,
    path: string,
    inbox: string,
  ): Promise<{ name: string; kind: 'file' | 'tar' }> {
    const job = await this.nats.request(CATALOG.jobs.resolve, { id: jobId });
    const repo = await this.engine.open(job);
    let download;
    try {
      download = await this.engine.download(repo, snapshotId, path);
    } catch (error) {
      await repo.close();
      throw error;
    }
    void this.nats
      .stream(inbox, download.bytes)
      .finally(() => repo.close())
      .catch((error: unknown) => this.logger.warn({ err: error, jobId, snapshotId }, 'download failed'));
    return { name: download.name, kind: download.kind };
  }
}
