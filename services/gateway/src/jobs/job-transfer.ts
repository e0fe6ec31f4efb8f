import { z } from 'zod';
import { DestinationInput, JobInput, Passphrase } from '@cairn/contracts';

/**
 * A job as exported and imported: no ids, no secrets. Importing takes the passphrase (and the
 * destination's secrets) again, because an export never carries them.
 */
export const JobExport = z.object({
  version: z.literal(1),
  job: JobInput.omit({ destinationId: true, passphrase: true }),
  destination: DestinationInput.omit({ secrets: true }),
});
export type JobExport = z.infer<typeof JobExport>;

export const JobImport = JobExport.extend({
  passphrase: Passphrase,
  destinationSecrets: z.record(z.string(), z.string()).optional(),
});
