import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Destinations, jobs, runs, snapshot records, settings and the admin user. */
export class InitialSchema1795410425883 implements MigrationInterface {
  name = 'InitialSchema1795410425883';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "destinations" (
        "id" uuid NOT NULL,
        "name" varchar(100) NOT NULL,
        "url" text NOT NULL,
        "options" jsonb NOT NULL,
        "secrets" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "destinations_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "destinations_name_key" UNIQUE ("name")
      )`);
    await db.query(`
      CREATE TABLE "jobs" (
        "id" uuid NOT NULL,
        "name" varchar(100) NOT NULL,
        "sources" text[] NOT NULL,
        "excludes" text[] NOT NULL,
        "destination_id" uuid NOT NULL,
        "schedule" jsonb,
        "retention" jsonb,
        "compression" varchar(16) NOT NULL,
        "pack_size_mib" integer NOT NULL,
        "passphrase" text NOT NULL,
        "enabled" boolean NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "jobs_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "jobs_name_key" UNIQUE ("name"),
        CONSTRAINT "jobs_compression_check" CHECK ("compression" IN ('off', 'fast', 'default', 'max')),
        CONSTRAINT "jobs_destination_id_fkey" FOREIGN KEY ("destination_id")
          REFERENCES "destinations" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await db.query(`CREATE INDEX "jobs_destination_id_idx" ON "jobs" ("destination_id")`);
    await db.query(`
      CREATE TABLE "runs" (
        "id" uuid NOT NULL,
        "job_id" uuid NOT NULL,
        "kind" varchar(16) NOT NULL,
        "status" varchar(16) NOT NULL,
        "trigger" varchar(16) NOT NULL,
        "restore" jsonb,
        "queued_at" timestamptz NOT NULL,
        "started_at" timestamptz,
        "finished_at" timestamptz,
        "stats" jsonb,
        "error" text,
        "log" text[] NOT NULL,
        CONSTRAINT "runs_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "runs_kind_check" CHECK ("kind" IN ('backup', 'restore', 'verify', 'forget', 'prune')),
        CONSTRAINT "runs_status_check"
          CHECK ("status" IN ('queued', 'running', 'succeeded', 'warning', 'failed', 'cancelled')),
        CONSTRAINT "runs_trigger_check" CHECK ("trigger" IN ('schedule', 'manual', 'api')),
        CONSTRAINT "runs_job_id_fkey" FOREIGN KEY ("job_id")
          REFERENCES "jobs" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await db.query(`CREATE INDEX "runs_job_id_queued_at_idx" ON "runs" ("job_id", "queued_at")`);
    await db.query(`
      CREATE TABLE "snapshots" (
        "job_id" uuid NOT NULL,
        "id" varchar(64) NOT NULL,
        "time" timestamptz NOT NULL,
        "host" text NOT NULL,
        "paths" text[] NOT NULL,
        "tags" text[] NOT NULL,
        "summary" jsonb,
        CONSTRAINT "snapshots_pkey" PRIMARY KEY ("job_id", "id"),
        CONSTRAINT "snapshots_job_id_fkey" FOREIGN KEY ("job_id")
          REFERENCES "jobs" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await db.query(`
      CREATE TABLE "settings" (
        "key" varchar(200) NOT NULL,
        "value" jsonb NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
      )`);
    await db.query(`
      CREATE TABLE "admin" (
        "id" smallint NOT NULL,
        "password_hash" text,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "admin_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "admin_single_row_check" CHECK ("id" = 1)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['admin', 'settings', 'snapshots', 'runs', 'jobs', 'destinations']) {
      await db.query(`DROP TABLE "${table}"`);
    }
  }
}
