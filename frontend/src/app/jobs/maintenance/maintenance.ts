import type { RunKind, VerifyParams } from '../../core/api.types';
import type { ConfirmData } from './confirm-dialog';

/** The runs the maintenance page starts, and lists. */
export const MAINTENANCE_KINDS: readonly RunKind[] = ['verify', 'forget', 'prune', 'unlock', 'repair'];

/** The steps that ask first. */
export type ConfirmedKind = 'prune' | 'unlock' | 'repair';

/** The share of the data "Verify data" reads back unless changed: the runner's own default sample. */
export const DEFAULT_SHARE_PERCENT = '10';

/** What is wrong with the share typed for "Verify data", or null. */
export function shareProblem(text: string): string | null {
  const percent = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(percent) || percent < 1 || percent > 100)
    return 'Enter a whole number from 1 to 100';
  return null;
}

/** "Verify" checks the structure alone; "Verify data" also reads back that share of the packs. */
export function verifyParamsOf(percent: number | null): VerifyParams {
  if (percent === null) return { readData: false, readDataSubset: 0 };
  if (percent >= 100) return { readData: true, readDataSubset: 1 };
  return { readData: false, readDataSubset: percent / 100 };
}

/** The steps that cannot be undone say what they do before they run. */
export function confirmationOf(kind: ConfirmedKind, jobName: string): ConfirmData {
  if (kind === 'prune') {
    return {
      title: `Prune “${jobName}”?`,
      paragraphs: [
        'Data that no snapshot uses any more is deleted from the destination for good, and packs that are mostly unused are rewritten.',
        'Every snapshot stays whole and restorable. Backups of this job wait until the prune is done.',
      ],
      action: 'Prune now',
    };
  }
  if (kind === 'repair') {
    return {
      title: `Repair the index of “${jobName}”?`,
      paragraphs: [
        'The index, which says where each piece of data is stored, is rebuilt by reading the header of every pack at the destination. The old index files are replaced; no data is deleted.',
        'This reads a little of every pack, so it takes a while on a large repository. Backups of this job wait until it is done.',
      ],
      action: 'Repair now',
    };
  }
  return {
    title: `Unlock the repository of “${jobName}”?`,
    paragraphs: [
      'Every lock on the repository is removed. Use this when runs wait or fail because the repository is locked by a run that no longer exists, such as one on a runner that crashed.',
      'Cairn refuses while a run of this job is going. But if someone is running a cairn command on this repository by hand, it loses its lock: make sure none is.',
    ],
    action: 'Remove the locks',
  };
}
