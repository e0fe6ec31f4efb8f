import * as z from 'zod';

export const Id = z.uuid();
export const Timestamp = z.iso.datetime({ offset: true });

/** Secrets are write-only: responses carry this instead of the value. */
export const SecretState = z.object({ set: z.boolean() });

export const ErrorBody = z.object({
  code: z.enum(['bad-request', 'not-found', 'conflict', 'unavailable', 'internal']),
  message: z.string(),
  field: z.string().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
