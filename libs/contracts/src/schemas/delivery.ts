import * as z from 'zod';
import { Id, Timestamp } from './common.js';
import { ReportLevel } from './channel.js';

/** What a report is about. */
export const ReportEvent = z.enum(['run', 'overdue', 'recovered', 'test']);
export type ReportEvent = z.infer<typeof ReportEvent>;

/**
 * One attempt to send one report through one channel. `reportKey` names the report (`run:<runId>`,
 * `overdue:<jobId>:<since>`, …): one delivered attempt per (reportKey, channel) is the exactly-once
 * rule. Never holds a secret: `error` is a message the notifier has scrubbed.
 */
export const DeliveryInput = z.object({
  reportKey: z.string().min(1).max(200),
  channelId: Id,
  attempt: z.number().int().min(1),
  event: ReportEvent,
  level: ReportLevel,
  runId: Id.nullable().default(null),
  jobId: Id.nullable().default(null),
  status: z.enum(['delivered', 'failed']),
  subject: z.string().max(500),
  error: z.string().max(2000).nullable().default(null),
  durationMs: z.number().int().min(0),
});
export type DeliveryInput = z.infer<typeof DeliveryInput>;

/** The report about a run: one a run, whatever number of channels and attempts. */
export const runReportKey = (runId: string): string => `run:${runId}`;

export const Delivery = DeliveryInput.extend({ id: Id, at: Timestamp });
export type Delivery = z.infer<typeof Delivery>;
