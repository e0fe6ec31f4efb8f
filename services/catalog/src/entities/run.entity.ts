import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { RunKind, RunStats, RunStatus, Run } from '@cairn/contracts';
import { JobEntity } from './job.entity.js';

export type RunTrigger = Run['trigger'];

/** Restore runs keep what to restore; the Run schema does not return it, the runner gets it in its request. */
export interface RunRestoreParams {
  snapshotId: string;
  include: string[];
  target: string;
}

@Entity('runs')
@Index('runs_job_id_queued_at_idx', ['jobId', 'queuedAt'])
@Check('runs_kind_check', `"kind" IN ('backup', 'restore', 'verify', 'forget', 'prune', 'unlock', 'repair')`)
@Check(
  'runs_status_check',
  `"status" IN ('queued', 'running', 'succeeded', 'warning', 'failed', 'cancelled')`,
)
@Check('runs_trigger_check', `"trigger" IN ('schedule', 'manual', 'api')`)
export class RunEntity {
  /** Given by the caller, so that creating the run of one schedule fire twice creates it once. */
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'runs_pkey' })
  id!: string;

  @Column({ name: 'job_id', type: 'uuid' })
  jobId!: string;

  // A job's history goes with the job; its repository (the source of truth) is untouched.
  @ManyToOne(() => JobEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'runs_job_id_fkey' })
  job?: Relation<JobEntity>;

  @Column({ type: 'varchar', length: 16 })
  kind!: RunKind;

  @Column({ type: 'varchar', length: 16 })
  status!: RunStatus;

  @Column({ type: 'varchar', length: 16 })
  trigger!: RunTrigger;

  @Column({ type: 'jsonb', nullable: true })
  restore!: RunRestoreParams | null;

  @Column({ name: 'queued_at', type: 'timestamptz' })
  queuedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  stats!: RunStats | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** The log tail from the run-finished event. */
  @Column({ type: 'text', array: true })
  log!: string[];
}
