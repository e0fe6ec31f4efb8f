import type { ReportEvent, ReportLevel } from '@cairn/contracts';

/** Everything a report says, as structured data: templates read it, HTTP JSON bodies carry it whole. */
export interface ReportData {
  event: ReportEvent;
  level: ReportLevel;
  host: string;
  job: { id: string | null; name: string; sources: string[]; repositoryPath: string };
  run: {
    id: string | null;
    kind: string;
    status: string;
    startedAt: string;
    finishedAt: string;
    durationSeconds: number;
    duration: string;
    error: string;
    log: string[];
    url: string;
  } | null;
  stats: Record<string, number | string>;
  /** Overdue reports: when the job last succeeded (or was created) and the threshold. */
  overdue: { since: string; thresholdMinutes: number } | null;
}

/** One report to send to some channels, exactly once each. */
export interface Report {
  /** Names the report for the exactly-once rule: `run:<runId>`, `overdue:<jobId>:<since>`, … */
  key: string;
  /** Channels are picked by this level (a "recovered" report reaches those that got "overdue"). */
  audience: ReportLevel;
  data: ReportData;
}
