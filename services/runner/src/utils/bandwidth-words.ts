import type { BandwidthLimits } from '@cairn/contracts';

/**
 * A job's bandwidth limits in words for its run log, e.g. "bandwidth limited: upload 512 KiB/s,
 * download no limit"; undefined when it sets none.
 */
export function describeLimits({ uploadKiBps, downloadKiBps }: BandwidthLimits): string | undefined {
  if (!uploadKiBps && !downloadKiBps) return undefined;
  const rate = (kiBps: number | undefined) => (kiBps ? `${kiBps} KiB/s` : 'no limit');
  return `bandwidth limited: upload ${rate(uploadKiBps)}, download ${rate(downloadKiBps)}`;
}
