import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import { createLogger, natsSettings, serveMetrics } from '@cairn/contracts';
import { BackupReconciler } from './backup/reconciler.js';
import { apiServerUrl, controllerConfig } from './config.js';
import { VolumeController } from './controller.js';
import { startHealthServer } from './health.js';
import { KubeClient } from './kube/kube-client.js';
import { ControllerMetrics } from './metrics.js';
import { NatsCatalogRepository } from './repositories/catalog.repository.js';
import { KubeClusterRepository } from './repositories/cluster.repository.js';
import { RunReporter } from './runs/run-reporter.js';

export interface RunningController {
  /** The port /healthz and /readyz answer on. */
  healthPort: number;
  /** Where `/metrics` answers (CAIRN_METRICS_PORT=0 picks the port). */
  metricsUrl: string;
  close(): Promise<void>;
}

/** Starts the volume controller (README "Kubernetes"): backup pods for the PVCs annotated for it. */
export async function main(
  env: NodeJS.ProcessEnv = process.env,
  options: { logDestination?: DestinationStream } = {},
): Promise<RunningController> {
  const config = controllerConfig(env);
  const logger = createLogger('volume-controller', config.CAIRN_LOG_LEVEL, options.logDestination);
  const caFile = config.CAIRN_KUBE_CA_FILE;
  const client = new KubeClient(
    {
      server: apiServerUrl(config),
      tokenFile: config.CAIRN_KUBE_TOKEN_FILE,
      ...(existsSync(caFile) ? { ca: readFileSync(caFile) } : {}),
    },
    logger,
  );
  const cluster = new KubeClusterRepository(
    client,
    {
      namespaces: config.CAIRN_CONTROLLER_NAMESPACES,
      snapshots: config.CAIRN_VOLUME_SNAPSHOT_CLASS !== '',
      watchTimeoutS: config.CAIRN_KUBE_WATCH_TIMEOUT_S,
    },
    logger,
  );
  const metrics = new ControllerMetrics();
  const catalog = new NatsCatalogRepository(natsSettings(config, 'volume-controller'));
  const reporter = new RunReporter(
    catalog,
    metrics,
    `volume-controller ${config.CAIRN_CLUSTER_NAME}`,
    logger,
  );
  const reconciler = new BackupReconciler(
    cluster,
    {
      defaults: {
        schedule: config.CAIRN_BACKUP_SCHEDULE,
        timezone: config.CAIRN_BACKUP_TIMEZONE,
        secret: config.CAIRN_BACKUP_SECRET,
      },
      pod: {
        image: config.CAIRN_BACKUP_IMAGE,
        imagePullPolicy: config.CAIRN_BACKUP_IMAGE_PULL_POLICY,
        cluster: config.CAIRN_CLUSTER_NAME,
        runAsUser: config.CAIRN_BACKUP_RUN_AS_USER,
        resources: config.CAIRN_BACKUP_RESOURCES,
      },
      snapshotClass: config.CAIRN_VOLUME_SNAPSHOT_CLASS,
    },
    metrics,
    logger,
  );
  const controller = new VolumeController(
    cluster,
    reconciler,
    reporter,
    config.CAIRN_CONTROLLER_RESYNC_MS,
    logger,
  );
  const health = await startHealthServer(
    config.CAIRN_CONTROLLER_BIND,
    config.CAIRN_CONTROLLER_HEALTH_PORT,
    () => cluster.synced(),
  );
  const metricsServer = await serveMetrics(config, logger, metrics.registry).catch(async (error: unknown) => {
    await new Promise((resolve) => health.close(resolve));
    throw error;
  });
  controller.start();
  logger.info(
    {
      server: apiServerUrl(config),
      namespaces: config.CAIRN_CONTROLLER_NAMESPACES.length ? config.CAIRN_CONTROLLER_NAMESPACES : 'all',
      snapshotClass: config.CAIRN_VOLUME_SNAPSHOT_CLASS || null,
    },
    'volume controller started',
  );
  return {
    healthPort: (health.address() as AddressInfo).port,
    metricsUrl: metricsServer.url,
    close: async () => {
      await controller.stop();
      await catalog.close();
      await metricsServer.close();
      await new Promise((resolve) => health.close(resolve));
      logger.info('volume controller stopped');
    },
  };
}
