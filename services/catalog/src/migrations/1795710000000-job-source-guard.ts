import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The source guard's threshold per job: a backup whose source holds fewer files than this share of
 * the parent snapshot's skips retention and prune. Existing jobs get the default.
 */
export class JobSourceGuard1795710000000 implements MigrationInterface {
  name = 'JobSourceGuard1795710000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "jobs" ADD COLUMN "min_source_files_percent" integer NOT NULL DEFAULT 50`);
    await db.query(
      `ALTER TABLE "jobs" ADD CONSTRAINT "jobs_min_source_files_percent_check" CHECK ("min_source_files_percent" BETWEEN 0 AND 100)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "jobs" DROP COLUMN "min_source_files_percent"`);
  }
}
