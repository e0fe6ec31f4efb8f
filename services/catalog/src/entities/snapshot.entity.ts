import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { JobEntity } from './job.entity.js';

/** The mirror of one repository snapshot, under the job whose repository holds it. */
@Entity('snapshots')
export class SnapshotEntity {
  @PrimaryColumn({ name: 'job_id', type: 'uuid', primaryKeyConstraintName: 'snapshots_pkey' })
  jobId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'snapshots_pkey' })
  id!: string;

  @ManyToOne(() => JobEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'snapshots_job_id_fkey' })
  job?: Relation<JobEntity>;

  @Column({ type: 'timestamptz' })
  time!: Date;

  @Column({ type: 'text' })
  host!: string;

  @Column({ type: 'text', array: true })
  paths!: string[];

  @Column({ type: 'text', array: true })
  tags!: string[];

  @Column({ type: 'jsonb', nullable: true })
  summary!: Record<string, number> | null;
}
