import { hostname } from 'node:os';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { checkNatsEnv, env, loadConfig, metricsEnv, NATS_ENV, STARTUP_ENV } from '@cairn/contracts';

const absolute = z.string().refine(isAbsolute, 'must be an absolute path');

const schema = z
  .object({
    ...NATS_ENV,
    ...STARTUP_ENV,
    /** Comma-separated folders that jobs may back up and the UI may browse (mounted read-only). */
    CAIRN_SOURCE_ROOTS: env.list('/source').pipe(z.array(absolute).min(1, 'name at least one folder')),
    /** Restores write below this folder and nowhere else. */
    CAIRN_RESTORE_ROOT: absolute.default('/restore'),
    /** A cache volume for the engine; the engine keeps no local cache yet, so it is only validated. */
    CAIRN_CACHE_DIR: absolute.optional(),
    /** The folder that holds folder destinations (the image's /backups); checked by the health probe. */
    CAIRN_BACKUPS_DIR: absolute.optional(),
    CAIRN_RUNNER_CONCURRENCY: env.positiveInt(1),
    /** Names this runner in run events and logs. */
    CAIRN_RUNNER_NAME: z.string().min(1).default(hostname()),
    /**
     * The host recorded in snapshots. Fixed rather than the container's host name, which changes with
     * every container, so that each backup finds its parent snapshot and skips unchanged files.
     */
    CAIRN_BACKUP_HOST: z.string().min(1).default('cairn'),
    /** On SIGTERM, how long a running run may go on before it is aborted and handed back to the queue. */
    CAIRN_RUNNER_GRACE_MS: env.positiveInt(20_000),
    /**
     * A run whose runner stops answering (killed, cut off) goes to another runner this long after its
     * last sign of life, and its job's lock frees itself after as long.
     */
    CAIRN_RUNNER_ACK_WAIT_MS: env.positiveInt(60_000).pipe(z.number().min(4000, 'must be at least 4000 ms')),
    ...metricsEnv('runner'),
    CAIRN_LOG_LEVEL: env.logLevel(),
  })
  .superRefine(checkNatsEnv);

export type RunnerConfig = z.output<typeof schema>;

export function runnerConfig(source: NodeJS.ProcessEnv = process.env): RunnerConfig {
  return loadConfig(schema, source);
}

/**
 * How often a live runner says its run request and its job lock are still in hand: well inside
 * the ack wait, so neither is handed on while the run goes.
 */
export function keepAliveMs(config: RunnerConfig): number {
  return config.CAIRN_RUNNER_ACK_WAIT_MS / 4;
}
