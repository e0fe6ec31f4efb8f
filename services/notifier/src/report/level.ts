import type { ReportLevel, RunFinished } from '@cairn/contracts';

/**
 * A run's report level. A failed run that did no work at all could not start (unreachable
 * destination, wrong passphrase…): that is `fatal`, like Duplicati's aborted operations; a run
 * that failed along the way is `error`. Cancelled runs were wanted by someone: `warning`.
 */
export function levelOf(event: Pick<RunFinished, 'status' | 'failedAtStart'>): ReportLevel {
  switch (event.status) {
    case 'succeeded':
      return 'success';
    case 'warning':
    case 'cancelled':
      return 'warning';
    default:
      return event.failedAtStart ? 'fatal' : 'error';
  }
}
