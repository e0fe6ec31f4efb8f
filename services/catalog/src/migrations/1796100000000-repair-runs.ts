import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'backup', 'restore', 'verify', 'forget', 'prune', 'unlock'`;

/** "Repair index" from the web app's Maintenance page: repair becomes a run kind. */
export class RepairRuns1796100000000 implements MigrationInterface {
  name = 'RepairRuns1796100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "runs" DROP CONSTRAINT "runs_kind_check"`);
    await db.query(
      `ALTER TABLE "runs" ADD CONSTRAINT "runs_kind_check" CHECK ("kind" IN (${KINDS_BEFORE}, 'repair'))`,
    );
  }

  /** Repair runs go with the kind: the constraint could not hold them. */
  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM "runs" WHERE "kind" = 'repair'`);
    await db.query(`ALTER TABLE "runs" DROP CONSTRAINT "runs_kind_check"`);
    await db.query(`ALTER TABLE "runs" ADD CONSTRAINT "runs_kind_check" CHECK ("kind" IN (${KINDS_BEFORE}))`);
  }
}
