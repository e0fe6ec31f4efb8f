import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { RUNNER } from '@cairn/contracts';
import { NatsRepository } from '../repositories/nats.repository.js';
import { BrowseService } from '../services/browse.service.js';
import { DestinationTestService } from '../services/destination-test.service.js';
import { DownloadService } from '../services/download.service.js';
import { PassphraseChangeService } from '../services/passphrase-change.service.js';
import { FolderAccessService } from '../services/folder-access.service.js';
import { PathGuard } from '../services/path-guard.service.js';
import { SnapshotTreeService } from '../services/snapshot-tree.service.js';
import { asHandlerError } from '../utils/errors.js';

/** The runner's request/reply endpoints, answered by whichever runner the queue group picks. */
@Injectable()
export class RunnerHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private subscriptions: { unsubscribe(): void }[] = [];

  constructor(
    private readonly nats: NatsRepository,
    private readonly browse: BrowseService,
    private readonly tree: SnapshotTreeService,
    private readonly destinations: DestinationTestService,
    private readonly downloads: DownloadService,
    private readonly paths: PathGuard,
    private readonly passphrases: PassphraseChangeService,
    private readonly folders: FolderAccessService,
  ) {}

  onApplicationBootstrap(): void {
    this.subscriptions = [
      this.nats.serve(RUNNER.folders, async () => ({
        sourceRoots: [...this.paths.sourceRoots],
        restoreRoot: this.paths.restoreRoot,
      })),
      this.nats.serve(RUNNER.health, () => answer(this.folders.check())),
      this.nats.serve(RUNNER.browse, ({ path }) => answer(this.browse.list(path))),
      this.nats.serve(RUNNER.snapshotTree, ({ jobId, snapshotId, path }) =>
        answer(this.tree.list(jobId, snapshotId, path)),
      ),
      this.nats.serve(RUNNER.testDestination, ({ url, options, secrets }) =>
        this.destinations.test(url, options, secrets),
      ),
      this.nats.serve(RUNNER.testSavedDestination, ({ id }) => answer(this.destinations.testSaved(id))),
      this.nats.serve(RUNNER.download, ({ jobId, snapshotId, path, inbox }) =>
        answer(this.downloads.start(jobId, snapshotId, path, inbox)),
      ),
      this.nats.serve(RUNNER.addKey, ({ jobId, destination, passphrase, newPassphrase }) =>
        answer(this.passphrases.addKey(jobId, destination, passphrase, newPassphrase)),
      ),
      this.nats.serve(RUNNER.removeKey, ({ destination, passphrase, key }) =>
        answer(this.passphrases.removeKey(destination, passphrase, key)),
      ),
    ];
  }

  beforeApplicationShutdown(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }
}

async function answer<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw asHandlerError(error);
  }
}
