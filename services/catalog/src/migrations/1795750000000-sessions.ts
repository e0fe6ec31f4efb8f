import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sign-in sessions (refresh-token families), so a logout or a used refresh token stays revoked. */
export class Sessions1795750000000 implements MigrationInterface {
  name = 'Sessions1795750000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "sessions" (
        "id" uuid NOT NULL,
        "token_id" uuid NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE INDEX "sessions_expires_at_idx" ON "sessions" ("expires_at")`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "sessions"`);
  }
}
