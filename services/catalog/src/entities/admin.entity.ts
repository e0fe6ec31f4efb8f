import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The admin user: a single row (id 1). The gateway hashes; the catalog only stores the hash. */
@Entity('admin')
@Check('admin_single_row_check', `"id" = 1`)
export class AdminEntity {
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'admin_pkey' })
  id!: number;

  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
