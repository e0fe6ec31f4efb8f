// The controller's loop: every change the caches hear of, and a resync of every PVC at an
// interval (schedules come due with no change in the cluster), queue a PVC to reconcile; one PVC
// is reconciled at a time, and none before every cache has listed its collection. Every change of
// a pod, and every pod at each resync, goes to the run reporter too (the catalog's run history).
import type { Logger } from '@cairn/contracts';
import { CONTROLLER, MANAGED_BY, CLAIM } from './backup/annotations.js';
import type { BackupReconciler } from './backup/reconciler.js';
import { objectKey, type KubeObject, type Pod } from './kube/objects.js';
import type { ClusterRepository, WatchedKind } from './repositories/cluster.repository.js';
import type { RunReporter } from './runs/run-reporter.js';

export class VolumeController {
  private readonly queue = new Set<string>();
  private draining: Promise<void> | undefined;
  private resync: NodeJS.Timeout | undefined;

  constructor(
    private readonly cluster: ClusterRepository,
    private readonly reconciler: BackupReconciler,
    private readonly reporter: RunReporter,
    private readonly resyncMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.cluster.start((kind, object) => this.changed(kind, object));
    this.resync = setInterval(() => {
      for (const claim of this.cluster.claims()) this.enqueue(objectKey(claim));
      if (this.cluster.synced()) this.reporter.resync(this.cluster.pods());
    }, this.resyncMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.resync);
    this.queue.clear();
    await this.cluster.stop();
    await this.draining;
    await this.reporter.settle();
  }

  private changed(kind: WatchedKind, object: KubeObject): void {
    const { namespace, labels, annotations } = object.metadata;
    if (kind === 'Pod') this.reporter.observe(object as Pod);
    if (kind === 'Namespace') {
      for (const claim of this.cluster.claims())
        if (claim.metadata.namespace === object.metadata.name) this.enqueue(objectKey(claim));
    } else if (labels?.[MANAGED_BY] === CONTROLLER && annotations?.[CLAIM]) {
      this.enqueue(`${namespace}/${annotations[CLAIM]}`);
    } else if (kind === 'PersistentVolumeClaim') {
      this.enqueue(objectKey(object));
    }
  }

  private enqueue(key: string): void {
    this.queue.add(key);
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  private async drain(): Promise<void> {
    // Let a burst of events (a relist hears of every object) gather first.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.size > 0 && this.cluster.synced()) {
      const key = this.queue.values().next().value!;
      this.queue.delete(key);
      const [namespace, name] = key.split('/') as [string, string];
      try {
        await this.reconciler.reconcile(namespace, name);
      } catch (error) {
        // The next resync tries again.
        this.logger.error({ namespace, claim: name, err: String(error) }, 'reconcile failed');
      }
    }
  }
}
