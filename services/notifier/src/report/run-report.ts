import { formatDuration, runReportKey, type Job, type RunFinished } from '@cairn/contracts';
import { levelOf } from './level.js';
import type { Report, ReportData } from './report.js';

/** Where the report comes from: the host name and the web app's address for links. */
export interface ReportOrigin {
  host: string;
  publicUrl?: string;
}

/** The job as reports name it; a job deleted meanwhile still reports, under its id. */
export function jobData(job: Job | null, jobId: string | null): ReportData['job'] {
  return {
    id: job?.id ?? jobId,
    name: job?.name ?? jobId ?? 'unknown job',
    sources: job?.sources ?? [],
    repositoryPath: job?.repositoryPath ?? '',
  };
}

export function runReport(event: RunFinished, job: Job | null, origin: ReportOrigin): Report {
  const level = levelOf(event);
  const seconds = Math.max(0, (Date.parse(event.finishedAt) - Date.parse(event.startedAt)) / 1000);
  const data: ReportData = {
    event: 'run',
    level,
    host: origin.host,
    job: jobData(job, event.jobId),
    run: {
      id: event.runId,
      kind: event.kind,
      status: event.status,
      startedAt: event.startedAt,
      finishedAt: event.finishedAt,
      durationSeconds: seconds,
      duration: formatDuration(seconds * 1000),
      error: event.error ?? '',
      log: event.logTail,
      url: origin.publicUrl ? new URL(`runs/${event.runId}`, withSlash(origin.publicUrl)).toString() : '',
    },
    stats: event.stats as Record<string, number | string>,
    overdue: null,
  };
  return { key: runReportKey(event.runId), audience: level, data };
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
