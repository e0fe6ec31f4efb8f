import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each job gets its own repository below its destination, so that one job's retention never judges
 * another job's snapshots. Jobs made before have their id as path (no release used the old layout).
 */
export class JobRepositoryPath1795500000000 implements MigrationInterface {
  name = 'JobRepositoryPath1795500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "jobs" ADD COLUMN "repository_path" varchar(200)`);
    await db.query(`UPDATE "jobs" SET "repository_path" = "id"::text`);
    await db.query(`ALTER TABLE "jobs" ALTER COLUMN "repository_path" SET NOT NULL`);
    await db.query(
      `ALTER TABLE "jobs" ADD CONSTRAINT "jobs_destination_repository_key" UNIQUE ("destination_id", "repository_path")`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "jobs" DROP CONSTRAINT "jobs_destination_repository_key"`);
    await db.query(`ALTER TABLE "jobs" DROP COLUMN "repository_path"`);
  }
}
