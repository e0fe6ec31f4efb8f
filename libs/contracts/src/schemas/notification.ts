import * as z from 'zod';
import { Id } from './common.js';

/** The answer of a test send: whether the channel's receiver took the message. */
export const TestSendResult = z.object({
  ok: z.boolean(),
  message: z.string(),
  durationMs: z.number(),
  deliveryId: Id.optional(),
});
export type TestSendResult = z.infer<typeof TestSendResult>;
