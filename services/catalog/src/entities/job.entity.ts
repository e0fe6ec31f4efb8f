import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Unique,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import type { BandwidthLimits, JobInput, Retention, Schedule } from '@cairn/contracts';
import { DestinationEntity } from './destination.entity.js';

@Entity('jobs')
@Unique('jobs_name_key', ['name'])
@Unique('jobs_destination_repository_key', ['destinationId', 'repositoryPath'])
@Index('jobs_destination_id_idx', ['destinationId'])
@Check('jobs_compression_check', `"compression" IN ('off', 'fast', 'default', 'max')`)
@Check('jobs_min_source_files_percent_check', `"min_source_files_percent" BETWEEN 0 AND 100`)
export class JobEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'jobs_pkey' })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'text', array: true })
  sources!: string[];

  @Column({ type: 'text', array: true })
  excludes!: string[];

  @Column({ name: 'destination_id', type: 'uuid' })
  destinationId!: string;

  // RESTRICT: a destination still used by a job cannot be deleted (the service answers `conflict`).
  /** Below the destination; unique per destination: one repository, one job. */
  @Column({ name: 'repository_path', type: 'varchar', length: 200 })
  repositoryPath!: string;

  @ManyToOne(() => DestinationEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'destination_id', foreignKeyConstraintName: 'jobs_destination_id_fkey' })
  destination?: Relation<DestinationEntity>;

  @Column({ type: 'jsonb', nullable: true })
  schedule!: Schedule | null;

  /** When verify runs fire, apart from the backups (JobInput.verifySchedule). */
  @Column({ name: 'verify_schedule', type: 'jsonb', nullable: true })
  verifySchedule!: Schedule | null;

  @Column({ type: 'jsonb', nullable: true })
  retention!: Retention | null;

  /** Upload and download caps in KiB/s (JobInput.limits). */
  @Column({ type: 'jsonb', nullable: true })
  limits!: BandwidthLimits | null;

  @Column({ type: 'varchar', length: 16 })
  compression!: JobInput['compression'];

  @Column({ name: 'pack_size_mib', type: 'integer' })
  packSizeMiB!: number;

  /** The source guard's threshold (JobInput.minSourceFilesPercent). */
  @Column({ name: 'min_source_files_percent', type: 'integer', default: 50 })
  minSourceFilesPercent!: number;

  /** The repository password, sealed by SecretBox. */
  @Column({ type: 'text' })
  passphrase!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  /** Empty: the default channels. No foreign key (arrays cannot have one); unknown ids are skipped. */
  @Column({ name: 'channel_ids', type: 'uuid', array: true })
  channelIds!: string[];

  @Column({ name: 'overdue_after_minutes', type: 'integer', nullable: true })
  overdueAfterMinutes!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
