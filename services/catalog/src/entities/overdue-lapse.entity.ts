import {
  Column,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { JobEntity } from './job.entity.js';

/**
 * A job the notifier reported overdue and has not yet reported recovered: its own table, written
 * only by the notifier, not a setting anyone signed in could overwrite.
 */
@Entity('overdue_lapses')
export class OverdueLapseEntity {
  @PrimaryColumn({ name: 'job_id', type: 'uuid', primaryKeyConstraintName: 'overdue_lapses_pkey' })
  jobId!: string;

  @OneToOne(() => JobEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'overdue_lapses_job_id_fkey' })
  job?: Relation<JobEntity>;

  /** The last success, or the job's creation: the lapse's identity, in the report's key. */
  @Column({ type: 'timestamptz' })
  since!: Date;

  @Column({ name: 'threshold_minutes', type: 'double precision' })
  thresholdMinutes!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
