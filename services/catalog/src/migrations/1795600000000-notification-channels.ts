import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Notification channels, the record of every delivery attempt, and each job's choice of channels. */
export class NotificationChannels1795600000000 implements MigrationInterface {
  name = 'NotificationChannels1795600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "channels" (
        "id" uuid NOT NULL,
        "name" varchar(100) NOT NULL,
        "kind" varchar(16) NOT NULL,
        "settings" jsonb NOT NULL,
        "secrets" jsonb NOT NULL,
        "levels" text[] NOT NULL,
        "subject_template" text,
        "body_template" text,
        "is_default" boolean NOT NULL,
        "enabled" boolean NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "channels_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "channels_name_key" UNIQUE ("name"),
        CONSTRAINT "channels_kind_check" CHECK ("kind" IN ('email', 'http', 'telegram'))
      )`);
    await db.query(`
      CREATE TABLE "deliveries" (
        "id" uuid NOT NULL,
        "report_key" varchar(200) NOT NULL,
        "channel_id" uuid NOT NULL,
        "attempt" integer NOT NULL,
        "event" varchar(16) NOT NULL,
        "level" varchar(16) NOT NULL,
        "run_id" uuid,
        "job_id" uuid,
        "status" varchar(16) NOT NULL,
        "subject" varchar(500) NOT NULL,
        "error" text,
        "duration_ms" integer NOT NULL,
        "at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "deliveries_report_channel_attempt_key" UNIQUE ("report_key", "channel_id", "attempt"),
        CONSTRAINT "deliveries_channel_id_fkey" FOREIGN KEY ("channel_id")
          REFERENCES "channels" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await db.query(`CREATE INDEX "deliveries_channel_id_at_idx" ON "deliveries" ("channel_id", "at")`);
    // Existing jobs keep reporting through the default channels.
    await db.query(`ALTER TABLE "jobs" ADD COLUMN "channel_ids" uuid[] NOT NULL DEFAULT '{}'`);
    await db.query(`ALTER TABLE "jobs" ALTER COLUMN "channel_ids" DROP DEFAULT`);
    await db.query(`ALTER TABLE "jobs" ADD COLUMN "overdue_after_minutes" integer`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "jobs" DROP COLUMN "overdue_after_minutes"`);
    await db.query(`ALTER TABLE "jobs" DROP COLUMN "channel_ids"`);
    await db.query(`DROP TABLE "deliveries"`);
    await db.query(`DROP TABLE "channels"`);
  }
}
