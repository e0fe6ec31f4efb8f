// What a backup or restore pod of the controller amounts to as a run of the catalog's history: its
// job, the PVC it serves, and from the pod's status whether it runs, and how and when it ended.
// The `cairn` command's exit code says how it ended (libs/cli exit-codes.ts: 3 = warnings).
import { formatBytes, RunStats, type RunKind, type RunStatus } from '@cairn/contracts';
import type { ContainerTerminated, Pod } from '../kube/objects.js';
import { CLAIM, CONTROLLER, JOB, MANAGED_BY, RESTORE_UID, RUN } from '../backup/annotations.js';

const EXIT_WARNINGS = 3;
/** The catalog keeps a run's last log lines; a terminated container's message holds at most 80. */
const LOG_TAIL_LINES = 40;

export interface PodRun {
  /** The pod's uid: a UUID, the same after a restart of the controller, so each run is recorded once. */
  id: string;
  kind: Extract<RunKind, 'backup' | 'restore'>;
  job: string;
  /** namespace/name of the PVC backed up or restored into. */
  claim: string;
  pod: string;
  stage: 'waiting' | 'running' | 'finished';
  startedAt?: string;
  /** Once finished. */
  outcome?: {
    status: Extract<RunStatus, 'succeeded' | 'warning' | 'failed'>;
    finishedAt: string;
    error: string | null;
  };
  /** A backup's figures, from its summary. */
  stats?: RunStats;
  logTail: string[];
}

/** The run a pod of the controller is, or undefined for any other pod. */
export function podRun(pod: Pod): PodRun | undefined {
  const { labels = {}, annotations = {}, uid, namespace, name } = pod.metadata;
  if (labels[MANAGED_BY] !== CONTROLLER || !uid || !annotations[JOB] || !annotations[CLAIM]) return undefined;
  const kind = labels[RUN] ? 'backup' : labels[RESTORE_UID] ? 'restore' : undefined;
  if (!kind) return undefined;
  const claim = `${namespace}/${annotations[CLAIM]}`;
  const container = pod.status?.containerStatuses?.find((status) => status.name === kind);
  const terminated = container?.state?.terminated;
  const startedAt =
    terminated?.startedAt ?? container?.state?.running?.startedAt ?? pod.status?.startTime ?? undefined;
  const phase = pod.status?.phase;
  const where = pod.spec.nodeName ? ` on node ${pod.spec.nodeName}` : '';
  const logTail = [`${kind} of PVC ${claim} by pod ${name}${where}`];
  const base = { id: uid, kind, job: annotations[JOB], claim, pod: name, logTail } as const;
  if (phase !== 'Succeeded' && phase !== 'Failed')
    return {
      ...base,
      stage: phase === 'Running' ? 'running' : 'waiting',
      ...(startedAt ? { startedAt } : {}),
    };

  const summary = backupSummary(terminated?.message);
  const output = summary ? [] : (terminated?.message?.trimEnd().split('\n') ?? []);
  if (summary) logTail.push(summaryLine(summary));
  logTail.push(...output.slice(-LOG_TAIL_LINES));
  const finishedAt = terminated?.finishedAt ?? new Date().toISOString();
  const code = terminated?.exitCode;
  const status =
    phase === 'Succeeded' || code === 0 ? 'succeeded' : code === EXIT_WARNINGS ? 'warning' : 'failed';
  const error = status === 'failed' ? failure(pod, kind, terminated, output.at(-1)) : null;
  return {
    ...base,
    stage: 'finished',
    startedAt: startedAt ?? finishedAt,
    outcome: { status, finishedAt, error },
    stats: summary ?? {},
  };
}

/**
 * The figures of a backup pod's summary (`cairn backup --summary-file` into the termination
 * message); undefined when the message is anything else (a failed pod's last lines of output).
 */
function backupSummary(message: string | undefined): RunStats | undefined {
  if (!message?.startsWith('{')) return undefined;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(message) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (parsed.message_type !== 'summary') return undefined;
  const stats = RunStats.safeParse({ ...parsed, snapshotId: parsed.snapshot_id ?? undefined });
  return stats.success ? stats.data : undefined;
}

function summaryLine(stats: RunStats): string {
  const files = `${stats.filesNew ?? 0} new, ${stats.filesChanged ?? 0} changed, ${stats.filesUnmodified ?? 0} unmodified files`;
  const saved = stats.snapshotId ? `snapshot ${stats.snapshotId.slice(0, 8)} saved` : 'dry run';
  return `${saved}: ${files}, ${formatBytes(stats.bytesAdded ?? 0)} added`;
}

/** Why a failed pod failed, in one line: the command's exit code and last words, or the pod's reason. */
function failure(
  pod: Pod,
  kind: PodRun['kind'],
  terminated: ContainerTerminated | undefined,
  lastLine: string | undefined,
): string {
  if (!terminated) {
    const reason = pod.status?.reason ? ` (${pod.status.reason})` : '';
    return `the pod failed${reason}: ${pod.status?.message ?? 'its container never ran'}`;
  }
  const reason = terminated.reason ? ` (${terminated.reason})` : '';
  return `cairn ${kind} exited with code ${terminated.exitCode}${reason}${lastLine ? `: ${lastLine}` : ''}`;
}
