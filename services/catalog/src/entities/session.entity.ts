import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A sign-in session: one refresh-token family. Only `tokenId`, the family's newest refresh token,
 * renews it; logging out deletes the row. In the database, so revocations outlive a gateway restart.
 */
@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'sessions_pkey' })
  id!: string;

  @Column({ name: 'token_id', type: 'uuid' })
  tokenId!: string;

  @Index('sessions_expires_at_idx')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
