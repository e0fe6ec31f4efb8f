import * as z from 'zod';
import { Id, SecretState, Timestamp } from './common.js';
import { patchOf } from './patch.js';

/** Where a job's repository lives: a folder, an S3 bucket prefix or an SFTP path (DESIGN §4). */
export const DestinationInput = z.object({
  name: z.string().trim().min(1).max(100),
  url: z.string().trim().min(1).max(2000),
  /** Non-secret backend options (S3 region, path style, storage class, SFTP host key, …). */
  options: z.record(z.string(), z.string()).default({}),
  /** Secret values (S3 keys, SFTP password or key): stored encrypted, never returned. */
  secrets: z.record(z.string(), z.string()).optional(),
});
export type DestinationInput = z.infer<typeof DestinationInput>;

/**
 * A destination update: absent fields stay as they are. `secrets` is merged key by key (write-only
 * values cannot be re-sent); an empty string removes that secret.
 */
export const DestinationPatch = patchOf(DestinationInput);
export type DestinationPatch = z.infer<typeof DestinationPatch>;

export const Destination = DestinationInput.omit({ secrets: true }).extend({
  id: Id,
  secrets: z.record(z.string(), SecretState),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Destination = z.infer<typeof Destination>;
