// The REST API speaks the contracts' shapes (DESIGN §5): one definition, shared as types only.
import type { API } from '@contracts/http/api';
import type { RouteOutput } from '@contracts/http/route';

export type { Channel, ChannelInput, ChannelPatch } from '@contracts/schemas/channel';
export type { Delivery } from '@contracts/schemas/delivery';
export type { Destination, DestinationInput, DestinationPatch } from '@contracts/schemas/destination';
export type { Job, JobInput, JobPatch, Retention, Schedule } from '@contracts/schemas/job';
export type {
  Run,
  RunKind,
  RunProgress,
  RunStats,
  RunStatus,
  RunFinished,
  VerifyParams,
  RunStarted,
} from '@contracts/schemas/run';
export type { SnapshotRecord, TreeEntry } from '@contracts/schemas/snapshot';
export type { TestSendResult } from '@contracts/schemas/notification';
export type { About, Tokens } from '@contracts/http/bodies';

export type DestinationTestResult = RouteOutput<typeof API.destinations.test>;
export type SchedulerStatus = RouteOutput<typeof API.scheduler.status>;

/**
 * An export as a file read from disk holds it: the web app checks only what it shows (job-file.ts);
 * the server checks the job itself on import, naming the field it refuses.
 */
export interface JobExport {
  version: 1;
  job: Record<string, unknown>;
  destination: { name: string; url: string; options: Record<string, string> };
}
