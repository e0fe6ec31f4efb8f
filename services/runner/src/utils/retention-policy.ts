import type { Retention } from '@cairn/contracts';
import type { RetentionPolicy } from '@cairn/engine';

/** A job's retention in the engine's terms: the same keep rules; `policy` is Duplicati's string. */
export function retentionPolicy({ policy, ...keep }: Retention): RetentionPolicy {
  return { ...keep, ...(policy ? { retentionPolicy: policy } : {}) };
}
