// Records each backup and restore pod of the controller as a run of the catalog's job named by the
// pod's cairn.io/job: created and started once it runs, finished with the pod's outcome. Reports go
// one at a time, off the reconcile loop, so a slow or absent catalog never holds a backup back; what
// could not be sent is sent when the pod is next seen (its next change, or the next resync).
import { isUnavailable, RemoteError, type Logger } from '@cairn/contracts';
import type { Pod } from '../kube/objects.js';
import type { CatalogRepository } from '../repositories/catalog.repository.js';
import type { ControllerMetrics } from '../metrics.js';
import { podRun, type PodRun } from './pod-run.js';

/** 'unrecorded': never to be (the catalog refused it). */
type Reported = 'nothing' | 'started' | 'finished' | 'unrecorded';

export class RunReporter {
  /** By pod uid: how far each pod's run has been recorded. */
  private readonly reported = new Map<string, Reported>();
  /** By pod uid: the stage each pod was last seen in, to count each pod's end once. */
  private readonly stages = new Map<string, PodRun['stage']>();
  /** The newest state of each pod whose report is due, by uid. */
  private readonly due = new Map<string, PodRun>();
  private sending: Promise<void> | undefined;
  private catalogDown = false;
  private readonly missingJobs = new Set<string>();

  constructor(
    private readonly catalog: CatalogRepository,
    private readonly metrics: ControllerMetrics,
    private readonly controllerName: string,
    private readonly logger: Logger,
  ) {}

  /** Hears of a pod (any pod: the controller's own are picked out here) as it is now. */
  observe(pod: Pod): void {
    const run = podRun(pod);
    if (!run) return;
    const before = this.stages.get(run.id);
    this.stages.set(run.id, run.stage);
    // A pod first seen finished (at a restart) ended before this process counted anything.
    if (run.outcome && before && before !== 'finished')
      this.metrics.podFinished(run.kind, run.outcome.status);
    const reported = this.reported.get(run.id) ?? 'nothing';
    const wanted = run.stage === 'finished' ? 'finished' : run.stage === 'running' ? 'started' : 'nothing';
    if (reported === 'unrecorded' || reported === 'finished' || wanted === reported || wanted === 'nothing')
      return;
    this.due.set(run.id, run);
    this.sending ??= this.send().finally(() => (this.sending = undefined));
  }

  /** Hears of every pod there is (a resync): each is observed, and the pods gone are forgotten. */
  resync(pods: Pod[]): void {
    const present = new Set(pods.map((pod) => pod.metadata.uid));
    for (const uid of this.stages.keys()) {
      if (present.has(uid)) continue;
      this.stages.delete(uid);
      this.reported.delete(uid);
    }
    for (const pod of pods) this.observe(pod);
  }

  /** Waits for the reports under way. */
  async settle(): Promise<void> {
    await this.sending;
  }

  private async send(): Promise<void> {
    while (this.due.size > 0) {
      const [id, run] = this.due.entries().next().value!;
      this.due.delete(id);
      try {
        await this.report(run);
        if (this.catalogDown)
          this.logger.info('the catalog answers again: volume runs are recorded in its history');
        this.catalogDown = false;
      } catch (error) {
        if (error instanceof RemoteError && !isUnavailable(error)) {
          // An answer, not an outage: sending it again would be refused alike.
          this.reported.set(id, 'unrecorded');
          this.logger.warn(
            { pod: run.pod, claim: run.claim, err: error.message },
            'the catalog refused the run',
          );
          continue;
        }
        if (!this.catalogDown)
          this.logger.warn(
            { err: (error as Error).message },
            'the catalog cannot be reached: volume runs are not recorded in its history until it can (backups go on)',
          );
        this.catalogDown = true;
        // The rest would fail alike; each is tried again when its pod is next seen.
        this.due.clear();
      }
    }
  }

  private async report(run: PodRun): Promise<void> {
    const jobId = await this.catalog.jobId(run.job);
    if (!jobId) {
      // Tried again at each resync: the job may be made later, while the pod still exists.
      if (!this.missingJobs.has(run.job))
        this.logger.warn(
          { job: run.job, claim: run.claim },
          `the catalog has no job named "${run.job}": its volume runs are not recorded (create a job of that name to see them)`,
        );
      this.missingJobs.add(run.job);
      return;
    }
    this.missingJobs.delete(run.job);
    const common = { runId: run.id, jobId, kind: run.kind };
    if ((this.reported.get(run.id) ?? 'nothing') === 'nothing') {
      await this.catalog.createRun({
        id: run.id,
        jobId,
        kind: run.kind,
        trigger: run.kind === 'backup' ? 'schedule' : 'api',
      });
      if (run.stage === 'running')
        await this.catalog.started({
          ...common,
          startedAt: run.startedAt ?? new Date().toISOString(),
          runner: this.controllerName,
        });
      this.reported.set(run.id, 'started');
    }
    if (!run.outcome) return;
    await this.catalog.finished({
      ...common,
      status: run.outcome.status,
      startedAt: run.startedAt ?? run.outcome.finishedAt,
      finishedAt: run.outcome.finishedAt,
      stats: run.stats ?? {},
      error: run.outcome.error,
      // The pod ran the command: whatever its end, it is not a job that could not be opened.
      failedAtStart: false,
      logTail: run.logTail,
    });
    this.reported.set(run.id, 'finished');
    this.logger.info(
      { job: run.job, claim: run.claim, pod: run.pod, status: run.outcome.status },
      `${run.kind} recorded in the catalog`,
    );
  }
}
