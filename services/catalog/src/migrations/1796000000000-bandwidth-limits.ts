import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A job may cap its upload and download rates (JobInput.limits); existing jobs keep none. */
export class BandwidthLimits1796000000000 implements MigrationInterface {
  name = 'BandwidthLimits1796000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "jobs" ADD COLUMN "limits" jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "jobs" DROP COLUMN "limits"`);
  }
}
