import { createHash } from 'node:crypto';

/**
 * The id of the run a fire starts: a UUID (version 8, RFC 9562's custom layout) made from SHA-256 of
 * the job, the kind and the fire time, so every scheduler replica names the same fire the same way, and
 * JetStream's duplicate window and the catalog's idempotent create turn two fires into one run.
 */
export function runIdFor(jobId: string, fireTime: Date, kind: 'backup' | 'verify' = 'backup'): string {
  // A backup's name is the one fires had before verify schedules, so a fire of either era is one run.
  const fire = `${jobId}${kind === 'backup' ? '' : `/${kind}`}@${fireTime.toISOString()}`;
  const bytes = createHash('sha256').update(fire).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
