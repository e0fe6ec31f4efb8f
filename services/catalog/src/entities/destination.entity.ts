import { Column, CreateDateColumn, Entity, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';

@Entity('destinations')
@Unique('destinations_name_key', ['name'])
export class DestinationEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'destinations_pkey' })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'jsonb' })
  options!: Record<string, string>;

  /** Secret name → value sealed by SecretBox. */
  @Column({ type: 'jsonb' })
  secrets!: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
