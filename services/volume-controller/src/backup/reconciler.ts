// Brings one PVC's backups in line with its schedule (after restoring it first when it asks for
// that), reading the cluster from the caches and writing only what is missing: finished runs are cleaned up (the newest backup pod stays as the
// record of the last fire), a run under way is carried one step on, and a due fire starts a run.
// Every object of a run has a name derived from the PVC and the fire, so a second controller, a
// restart or a stale cache makes no second run: the API answers 409 and nothing is made twice.
import type { Logger } from '@cairn/contracts';
import { podFinished, type PersistentVolumeClaim, type Pod, type VolumeSnapshot } from '../kube/objects.js';
import type { ControllerMetrics } from '../metrics.js';
import type { ClusterRepository } from '../repositories/cluster.repository.js';
import { RESTORE_UID, RUN, SOURCE_UID } from './annotations.js';
import {
  backupPod,
  backupRun,
  restorePod,
  restorePodName,
  scheduledAt,
  snapshotClaim,
  volumeSnapshot,
  type BackupPodOptions,
  type BackupRun,
} from './manifests.js';
import { exclusiveToOnePod, placement, podsMounting } from './placement.js';
import { backupSettings, restoreRequest, type BackupDefaults, type BackupSettings } from './settings.js';

/** Past this, a run made but never seen (deleted at once by someone) no longer holds the PVC back. */
const CACHE_LAG_MAX_MS = 60_000;

export interface ReconcilerOptions {
  defaults: BackupDefaults;
  pod: BackupPodOptions;
  /** Empty: backups read the live volume. */
  snapshotClass: string;
}

/** What the cluster holds of one run. */
interface RunObjects {
  run: BackupRun;
  pod?: Pod;
  snapshot?: VolumeSnapshot;
  copy?: PersistentVolumeClaim;
}

function finished({ pod, snapshot }: RunObjects): boolean {
  return pod ? podFinished(pod) : snapshot?.status?.error !== undefined;
}

export class BackupReconciler {
  /** The run last started for each PVC (by uid), until the caches show it. */
  private readonly started = new Map<string, { name: string; atMs: number }>();
  /** The last problem said of each PVC, so that a bad annotation is logged once, not at every pass. */
  private readonly problems = new Map<string, string>();

  constructor(
    private readonly cluster: ClusterRepository,
    private readonly options: ReconcilerOptions,
    private readonly metrics: ControllerMetrics,
    private readonly logger: Logger,
  ) {}

  async reconcile(namespace: string, name: string, now = new Date()): Promise<void> {
    const claim = this.cluster.claim(namespace, name);
    if (!claim || claim.metadata.deletionTimestamp) return;
    const runs = this.runsOf(claim);
    await this.cleanUp(runs);
    const active = runs.find((objects) => !finished(objects));
    // A PVC being restored into starts no backup until its restore has succeeded; a backup under
    // way (or just made, and not in the caches yet) is carried to its end, and the restore waits.
    const restored = await this.restored(claim, active?.run.name ?? this.awaited(claim, runs));
    if (!restored && !active) return;
    const settings = backupSettings(claim, this.cluster.namespace(namespace), this.options.defaults);
    if (!settings) return;
    if ('problem' in settings) return this.tell(claim, settings.problem);
    if (active) return this.advance(active, settings);
    if (this.awaited(claim, runs) !== undefined) return;
    const fire = settings.schedule.latestUntil(now);
    if (!fire || fire < new Date(claim.metadata.creationTimestamp ?? 0)) return;
    const latest = runs.at(-1)?.run.scheduledAt;
    if (latest && latest >= fire) return;
    if (claim.status?.phase !== 'Bound') return this.tell(claim, 'the PVC is not bound to a volume yet');
    // Asked of the API server once per fire: a run another controller has just made, not in the
    // caches yet, would otherwise get a second run of the next fire beside it.
    const live = await this.cluster.liveRuns(namespace, claim.metadata.uid!);
    if (live.some((name) => !runs.some(({ run }) => run.name === name))) return;
    const run = backupRun(claim, fire);
    await this.start(run, settings);
    this.started.set(claim.metadata.uid!, { name: run.name, atMs: Date.now() });
  }

  /**
   * The run this controller last started for the PVC if it is still missing from the caches: a
   * watch delivers a new object a moment after it is made, and until then the PVC must not look
   * idle, or the next fire would start a second run beside it.
   */
  private awaited(claim: PersistentVolumeClaim, runs: RunObjects[]): string | undefined {
    const started = this.started.get(claim.metadata.uid!);
    if (!started) return undefined;
    if (runs.some(({ run }) => run.name === started.name) || Date.now() - started.atMs > CACHE_LAG_MAX_MS) {
      this.started.delete(claim.metadata.uid!);
      return undefined;
    }
    return started.name;
  }

  /**
   * Whether the PVC is ready for backups: asked for no restore, or the restore of the snapshot it
   * names has succeeded. Else that restore's pod is made (once: it stays as the restore's record; a
   * failed one is not retried until it is deleted), into a new PVC or an existing one, but only
   * when no application's pod and no backup has it mounted, so that nothing is overwritten under a
   * running application and no backup records a volume half restored. The pods of earlier
   * restores (other snapshots) are removed once they have finished.
   */
  private async restored(claim: PersistentVolumeClaim, backupRun: string | undefined): Promise<boolean> {
    const request = restoreRequest(
      claim,
      this.cluster.namespace(claim.metadata.namespace!),
      this.options.defaults,
    );
    if (!request) return true;
    if ('problem' in request) {
      this.tell(claim, request.problem);
      return false;
    }
    const pods = this.cluster.pods(claim.metadata.namespace!);
    const mine = pods.filter((pod) => pod.metadata.labels?.[RESTORE_UID] === claim.metadata.uid);
    const name = restorePodName(claim, request.snapshot);
    for (const earlier of mine.filter((pod) => pod.metadata.name !== name && podFinished(pod))) {
      if (earlier.metadata.deletionTimestamp) continue;
      await this.cluster.delete(earlier);
      this.logger.info(
        { namespace: claim.metadata.namespace, claim: claim.metadata.name, pod: earlier.metadata.name },
        'removed the pod of an earlier restore',
      );
    }
    const current = mine.find((pod) => pod.metadata.name === name);
    if (current) return current.status?.phase === 'Succeeded';
    if (mine.some((pod) => !podFinished(pod))) return false;
    if (backupRun) {
      this.tell(claim, `the restore waits for backup ${backupRun} of the PVC to end`);
      return false;
    }
    const user = podsMounting(claim, pods)[0];
    if (user) {
      const modes = claim.spec.accessModes?.join(', ') ?? 'no access mode';
      this.tell(
        claim,
        `not restored: the PVC (${modes}) is in use by pod ${user.metadata.name} on node ${user.spec.nodeName}; a restore writes only into a volume no running pod uses: stop the application (e.g. scale it to 0) and the restore starts`,
      );
      return false;
    }
    const volume = claim.spec.volumeName ? this.cluster.volume(claim.spec.volumeName) : undefined;
    const pod = restorePod(claim, request, this.options.pod, placement(claim, volume, []));
    const outcome = await this.cluster.create(pod);
    if (outcome === 'created') this.metrics.podStarted('restore');
    this.logger.info(
      {
        namespace: claim.metadata.namespace,
        claim: claim.metadata.name,
        from: request.from,
        snapshot: request.snapshot,
      },
      outcome === 'created' ? 'restore pod created' : 'restore pod already there (409)',
    );
    return false;
  }

  /** The runs of a PVC, oldest first. */
  private runsOf(claim: PersistentVolumeClaim): RunObjects[] {
    const uid = claim.metadata.uid!;
    const namespace = claim.metadata.namespace!;
    const ours = <T extends { metadata: { labels?: Record<string, string> } }>(objects: T[]) =>
      objects.filter((object) => object.metadata.labels?.[SOURCE_UID] === uid);
    const runs = new Map<string, RunObjects>();
    const entry = (object: Pod | VolumeSnapshot | PersistentVolumeClaim): RunObjects | undefined => {
      const name = object.metadata.labels?.[RUN];
      const at = scheduledAt(object);
      if (!name || !at) return undefined;
      if (!runs.has(name)) runs.set(name, { run: { name, claim, scheduledAt: at } });
      return runs.get(name);
    };
    // An object with the source's label but not a run's name and fire is none of the controller's.
    const attach = <K extends 'pod' | 'snapshot' | 'copy'>(
      part: K,
      objects: NonNullable<RunObjects[K]>[],
    ) => {
      for (const object of ours(objects)) {
        const found = entry(object);
        if (found) found[part] = object;
      }
    };
    attach('pod', this.cluster.pods(namespace));
    attach('snapshot', this.cluster.snapshots(namespace));
    attach(
      'copy',
      this.cluster.claims().filter((other) => other.metadata.namespace === namespace),
    );
    return [...runs.values()].sort((a, b) => a.run.scheduledAt.getTime() - b.run.scheduledAt.getTime());
  }

  /**
   * A finished run needs its snapshot and temporary PVC no longer; its pod is kept while it is the
   * newest (its status and logs are the last backup's, and its name marks that fire as done).
   */
  private async cleanUp(runs: RunObjects[]): Promise<void> {
    const newest = runs.at(-1);
    for (const objects of runs.filter(finished)) {
      const keep = objects === newest;
      const remove = [
        objects.copy,
        objects.pod || !keep ? objects.snapshot : undefined,
        keep ? undefined : objects.pod,
      ];
      for (const object of remove) {
        if (!object || object.metadata.deletionTimestamp) continue;
        await this.cluster.delete(object);
        this.logger.info(
          { run: objects.run.name, namespace: object.metadata.namespace, kind: object.kind },
          'removed what a finished backup left',
        );
      }
    }
  }

  /** A snapshot run, one step on: ready snapshot → temporary PVC → backup pod reading it. */
  private async advance(objects: RunObjects, settings: BackupSettings): Promise<void> {
    const { run, pod, snapshot, copy } = objects;
    if (pod) return;
    if (copy) {
      // A volume new from the snapshot is mounted nowhere: the scheduler may place the pod anywhere.
      return this.make(backupPod(run, settings, this.options.pod, {}, copy.metadata.name), run);
    }
    if (snapshot?.status?.readyToUse) await this.make(snapshotClaim(run, snapshot), run);
  }

  private async start(run: BackupRun, settings: BackupSettings): Promise<void> {
    const { claim } = run;
    if (this.options.snapshotClass) return this.make(volumeSnapshot(run, this.options.snapshotClass), run);
    const users = podsMounting(claim, this.cluster.pods(claim.metadata.namespace!));
    if (exclusiveToOnePod(claim) && users.length > 0)
      return this.tell(
        claim,
        `the ReadWriteOncePod volume is in use by pod ${users[0]!.metadata.name}: only a snapshot (a VolumeSnapshotClass) lets it be read now`,
      );
    const volume = claim.spec.volumeName ? this.cluster.volume(claim.spec.volumeName) : undefined;
    await this.make(backupPod(run, settings, this.options.pod, placement(claim, volume, users)), run);
  }

  private async make(object: Pod | PersistentVolumeClaim | VolumeSnapshot, run: BackupRun): Promise<void> {
    const outcome = await this.cluster.create(object);
    if (outcome === 'created' && object.kind === 'Pod') this.metrics.podStarted('backup');
    this.problems.delete(`${run.claim.metadata.namespace}/${run.claim.metadata.name}`);
    this.logger.info(
      {
        run: run.name,
        namespace: run.claim.metadata.namespace,
        claim: run.claim.metadata.name,
        kind: object.kind,
        scheduledAt: run.scheduledAt.toISOString(),
      },
      outcome === 'created' ? 'created' : 'already there (409): made before',
    );
  }

  private tell(claim: PersistentVolumeClaim, problem: string): void {
    const key = `${claim.metadata.namespace}/${claim.metadata.name}`;
    if (this.problems.get(key) === problem) return;
    this.problems.set(key, problem);
    this.logger.warn(
      { namespace: claim.metadata.namespace, claim: claim.metadata.name, problem },
      'not backed up',
    );
  }
}
