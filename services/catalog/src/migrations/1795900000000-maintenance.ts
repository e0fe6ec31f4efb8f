import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'backup', 'restore', 'verify', 'forget', 'prune'`;

/**
 * Maintenance from the web app: unlock becomes a run kind, and a job may have a verify schedule
 * besides its backup schedule (none for existing jobs).
 */
export class Maintenance1795900000000 implements MigrationInterface {
  name = 'Maintenance1795900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "runs" DROP CONSTRAINT "runs_kind_check"`);
    await db.query(
      `ALTER TABLE "runs" ADD CONSTRAINT "runs_kind_check" CHECK ("kind" IN (${KINDS_BEFORE}, 'unlock'))`,
    );
    await db.query(`ALTER TABLE "jobs" ADD COLUMN "verify_schedule" jsonb`);
  }

  /** Unlock runs go with the kind: the constraint could not hold them. */
  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "jobs" DROP COLUMN "verify_schedule"`);
    await db.query(`DELETE FROM "runs" WHERE "kind" = 'unlock'`);
    await db.query(`ALTER TABLE "runs" DROP CONSTRAINT "runs_kind_check"`);
    await db.query(`ALTER TABLE "runs" ADD CONSTRAINT "runs_kind_check" CHECK ("kind" IN (${KINDS_BEFORE}))`);
  }
}
