import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Unique,
  type Relation,
} from 'typeorm';
import type { ReportEvent, ReportLevel } from '@cairn/contracts';
import { ChannelEntity } from './channel.entity.js';

@Entity('deliveries')
@Unique('deliveries_report_channel_attempt_key', ['reportKey', 'channelId', 'attempt'])
@Index('deliveries_channel_id_at_idx', ['channelId', 'at'])
export class DeliveryEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'deliveries_pkey' })
  id!: string;

  @Column({ name: 'report_key', type: 'varchar', length: 200 })
  reportKey!: string;

  @Column({ name: 'channel_id', type: 'uuid' })
  channelId!: string;

  // A channel's history goes with the channel.
  @ManyToOne(() => ChannelEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'channel_id', foreignKeyConstraintName: 'deliveries_channel_id_fkey' })
  channel?: Relation<ChannelEntity>;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'varchar', length: 16 })
  event!: ReportEvent;

  @Column({ type: 'varchar', length: 16 })
  level!: ReportLevel;

  // No foreign keys: a delivery stays readable after its run or job is deleted.
  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId!: string | null;

  @Column({ name: 'job_id', type: 'uuid', nullable: true })
  jobId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: 'delivered' | 'failed';

  @Column({ type: 'varchar', length: 500 })
  subject!: string;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}
