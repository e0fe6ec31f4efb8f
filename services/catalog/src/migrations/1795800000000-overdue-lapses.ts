import type { MigrationInterface, QueryRunner } from 'typeorm';

const SETTING_PREFIX = 'notifier.overdue.';

/**
 * The notifier's overdue state leaves the settings (which `PUT /api/v1/settings` writes) for a table
 * of its own. Lapses of jobs that still exist move over; a value that is not one the notifier wrote
 * (someone could have put anything there) is dropped: the next check records the lapse again.
 */
export class OverdueLapses1795800000000 implements MigrationInterface {
  name = 'OverdueLapses1795800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "overdue_lapses" (
        "job_id" uuid NOT NULL,
        "since" timestamptz NOT NULL,
        "threshold_minutes" double precision NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "overdue_lapses_pkey" PRIMARY KEY ("job_id"),
        CONSTRAINT "overdue_lapses_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE
      )`);
    await db.query(
      `INSERT INTO "overdue_lapses" ("job_id", "since", "threshold_minutes")
       SELECT "jobs"."id", ("settings"."value"->>'since')::timestamptz,
              ("settings"."value"->>'thresholdMinutes')::double precision
       FROM "settings" JOIN "jobs" ON "settings"."key" = $1 || "jobs"."id"::text
       WHERE jsonb_typeof("settings"."value"->'since') = 'string'
         AND "settings"."value"->>'since' ~ '^\\d{4}-[01]\\d-[0-3]\\dT[0-2]\\d:[0-5]\\d:[0-5]\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)$'
         AND jsonb_typeof("settings"."value"->'thresholdMinutes') = 'number'
         AND ("settings"."value"->>'thresholdMinutes')::double precision > 0`,
      [SETTING_PREFIX],
    );
    await db.query(`DELETE FROM "settings" WHERE starts_with("key", $1)`, [SETTING_PREFIX]);
  }

  /** Back to settings, as the notifier before this migration kept them. */
  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `INSERT INTO "settings" ("key", "value")
       SELECT $1 || "job_id"::text,
              jsonb_build_object('since', to_char("since" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                 'thresholdMinutes', "threshold_minutes")
       FROM "overdue_lapses"
       ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"`,
      [SETTING_PREFIX],
    );
    await db.query(`DROP TABLE "overdue_lapses"`);
  }
}
