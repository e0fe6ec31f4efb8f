// The shapes only the REST API has (sign-in, link tickets, job transfer, the system pages); every
// other body is a catalog schema. Browser-safe.
import * as z from 'zod';
import { DestinationInput } from '../schemas/destination.js';
import { JobInput, Passphrase } from '../schemas/job.js';
import { RunKind, VerifyParams } from '../schemas/run.js';
import { SnapshotRecord } from '../schemas/snapshot.js';

export const LoginBody = z.object({ password: z.string().min(1) });
export const PasswordBody = z.object({ current: z.string().min(1), next: z.string().min(8) });
export const Tokens = z.object({ accessToken: z.string(), expiresIn: z.number() });
export type Tokens = z.infer<typeof Tokens>;

export const TicketPurpose = z.enum(['events', 'activity', 'download']);
export type TicketPurpose = z.infer<typeof TicketPurpose>;
export const Ticket = z.object({ ticket: z.string(), url: z.string(), expiresIn: z.number() });

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
export type JobImport = z.input<typeof JobImport>;

/** What to run now; a verify may say how much data it reads back (VerifyParams' sample otherwise). */
export const RunNow = z
  .object({ kind: RunKind.exclude(['restore']).default('backup'), verify: VerifyParams.optional() })
  .refine(({ kind, verify }) => kind === 'verify' || verify === undefined, {
    path: ['verify'],
    message: 'is only for a verify run (kind "verify")',
  });
export const SnapshotId = z.object({ snapshotId: SnapshotRecord.shape.id });

export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  nats: z.boolean(),
  catalog: z.boolean(),
});
export const About = z.object({
  version: z.string(),
  node: z.string(),
  services: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
});
export type About = z.infer<typeof About>;
