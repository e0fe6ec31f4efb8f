// The controller's own series on /metrics, besides the process's (libs/contracts serveMetrics): the
// pods it started and how those it saw end ended. Per-job series (last success, duration…) come
// from the catalog, which records the same runs.
import { Counter, Registry } from 'prom-client';
import type { PodRun } from './runs/pod-run.js';

type Kind = PodRun['kind'];
type Status = NonNullable<PodRun['outcome']>['status'];

export class ControllerMetrics {
  readonly registry = new Registry();
  private readonly started = new Counter({
    name: 'cairn_volume_pods_started_total',
    help: 'Backup and restore pods the controller made.',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly finished = new Counter({
    name: 'cairn_volume_pods_finished_total',
    help: 'Backup and restore pods seen to end, by how: succeeded, warning (exit 3) or failed.',
    labelNames: ['kind', 'status'],
    registers: [this.registry],
  });

  constructor() {
    // Every series exists from the first scrape, so that rate() and alerts see a 0 before the first pod.
    for (const kind of ['backup', 'restore'] as const) {
      this.started.inc({ kind }, 0);
      for (const status of ['succeeded', 'warning', 'failed'] as const)
        this.finished.inc({ kind, status }, 0);
    }
  }

  podStarted(kind: Kind): void {
    this.started.inc({ kind });
  }

  podFinished(kind: Kind, status: Status): void {
    this.finished.inc({ kind, status });
  }
}
