import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { ChannelKind, ReportLevel } from '@cairn/contracts';

@Entity('channels')
@Unique('channels_name_key', ['name'])
@Check('channels_kind_check', `"kind" IN ('email', 'http', 'telegram')`)
export class ChannelEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'channels_pkey' })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: ChannelKind;

  /** Already normalised by the kind's settings schema. */
  @Column({ type: 'jsonb' })
  settings!: Record<string, unknown>;

  /** Secret name → value sealed by SecretBox. */
  @Column({ type: 'jsonb' })
  secrets!: Record<string, string>;

  @Column({ type: 'text', array: true })
  levels!: ReportLevel[];

  @Column({ name: 'subject_template', type: 'text', nullable: true })
  subjectTemplate!: string | null;

  @Column({ name: 'body_template', type: 'text', nullable: true })
  bodyTemplate!: string | null;

  @Column({ name: 'is_default', type: 'boolean' })
  isDefault!: boolean;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
