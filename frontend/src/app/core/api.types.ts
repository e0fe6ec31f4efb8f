// The REST API speaks the contracts' shapes (DESIGN §5): one definition, shared as types only.
export type { Channel, ChannelInput, ChannelPatch } from '@contracts/schemas/channel';
export type { Delivery } from '@contracts/schemas/delivery';
export type { Destination, DestinationInput, DestinationPatch } from '@contracts/schemas/destination';
export type { Job, JobInput, JobPatch, Retention, Schedule } from '@contracts/schemas/job';
export type { Run, RunKind, RunProgress, RunStats, RunStatus, RunFinished } from '@contracts/schemas/run';
export type { SnapshotRecord, TreeEntry } from '@contracts/schemas/snapshot';
export type { TestSendResult } from '@contracts/schemas/notification';

export interface Tokens {
  accessToken: string;
  expiresIn: number;
}

export interface DestinationTestResult {
  ok: boolean;
  message: string;
  latencyMs: number;
}

export interface SchedulerStatus {
  pausedUntil: number | null;
  next: { jobId: string; at: string }[];
}

export interface About {
  version: string;
  node: string;
  services: { name: string; ok: boolean; detail: string }[];
}

export interface JobExport {
  version: 1;
  job: Record<string, unknown>;
  destination: { name: string; url: string; options: Record<string, string> };
}
