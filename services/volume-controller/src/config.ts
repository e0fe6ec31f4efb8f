import { z } from 'zod';
import { checkNatsEnv, env, loadConfig, metricsEnv, NATS_ENV, scheduleProblem } from '@cairn/contracts';

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A JSON object given in one variable (the chart renders the backup pod's resources with toJson). */
const jsonObject = (fallback: object) =>
  z
    .string()
    .default(JSON.stringify(fallback))
    .transform((text, context) => {
      try {
        const value: unknown = JSON.parse(text);
        if (typeof value === 'object' && value !== null && !Array.isArray(value))
          return value as Record<string, unknown>;
      } catch {
        // reported below
      }
      context.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return z.NEVER;
    });

const schema = z
  .object({
    /** Inside a pod, Kubernetes sets these two; outside one, CAIRN_KUBE_API_URL says where the API is. */
    KUBERNETES_SERVICE_HOST: z.string().optional(),
    KUBERNETES_SERVICE_PORT: z.string().default('443'),
    CAIRN_KUBE_API_URL: z.string().url().optional(),
    CAIRN_KUBE_TOKEN_FILE: z.string().default(`${SERVICE_ACCOUNT}/token`),
    CAIRN_KUBE_CA_FILE: z.string().default(`${SERVICE_ACCOUNT}/ca.crt`),
    /** Namespaces whose volumes may be backed up; empty: every namespace (a ClusterRole's rights). */
    CAIRN_CONTROLLER_NAMESPACES: env.list(),
    /** The host recorded in every volume's snapshots. */
    CAIRN_CLUSTER_NAME: z
      .string()
      .regex(/^[\w.-]+$/, 'letters, digits, ".", "_" and "-" only')
      .default('kubernetes'),
    /** How often every volume is looked at for a due backup; a backup starts at most this late. */
    CAIRN_CONTROLLER_RESYNC_MS: env.positiveInt(30_000),
    /** A watch is renewed after this long (the API server ends it by itself after 30–60 min). */
    CAIRN_KUBE_WATCH_TIMEOUT_S: env.positiveInt(300),
    CAIRN_CONTROLLER_HEALTH_PORT: env.port(8081),
    CAIRN_CONTROLLER_BIND: z.string().default('0.0.0.0'),
    /** The image the backup pods run (the Cairn image: it holds the `cairn` command). */
    CAIRN_BACKUP_IMAGE: z.string().min(1).default('cairn-server'),
    CAIRN_BACKUP_IMAGE_PULL_POLICY: z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent'),
    /** Used by volumes whose PVC and namespace carry no cairn.io/schedule. */
    CAIRN_BACKUP_SCHEDULE: z.string().default('0 3 * * *'),
    CAIRN_BACKUP_TIMEZONE: z.string().default('UTC'),
    /** The Secret in each volume's namespace whose keys become the backup pod's environment. */
    CAIRN_BACKUP_SECRET: z.string().min(1).default('cairn-repository'),
    /** 0: root with only CAP_DAC_OVERRIDE (reads every file; Pod Security "baseline"); else that user. */
    CAIRN_BACKUP_RUN_AS_USER: z.coerce.number().int().min(0).default(0),
    CAIRN_BACKUP_RESOURCES: jsonObject({
      requests: { cpu: '100m', memory: '256Mi' },
      limits: { memory: '1Gi' },
    }),
    /** When set, each backup reads a CSI snapshot of the volume instead of the live volume. */
    CAIRN_VOLUME_SNAPSHOT_CLASS: z.string().default(''),
    CAIRN_LOG_LEVEL: env.logLevel(),
    // The catalog, over NATS, records each backup and restore pod as a run of its job.
    ...NATS_ENV,
    ...metricsEnv('volume-controller'),
  })
  .superRefine((config, context) => {
    checkNatsEnv(config, context);
    if (!config.CAIRN_KUBE_API_URL && !config.KUBERNETES_SERVICE_HOST)
      context.addIssue({
        code: 'custom',
        path: ['CAIRN_KUBE_API_URL'],
        message: 'the Kubernetes API is unknown: set it (e.g. https://127.0.0.1:6443) or run in a pod',
      });
    const problem = scheduleProblem(config.CAIRN_BACKUP_SCHEDULE, config.CAIRN_BACKUP_TIMEZONE);
    if (problem)
      context.addIssue({
        code: 'custom',
        path: [problem.field === 'cron' ? 'CAIRN_BACKUP_SCHEDULE' : 'CAIRN_BACKUP_TIMEZONE'],
        message: problem.message,
      });
  });

export type ControllerConfig = z.output<typeof schema>;

export function controllerConfig(source: NodeJS.ProcessEnv = process.env): ControllerConfig {
  return loadConfig(schema, source);
}

/** Where the API server is: the configured URL, else the in-cluster Service's address. */
export function apiServerUrl(config: ControllerConfig): string {
  if (config.CAIRN_KUBE_API_URL) return config.CAIRN_KUBE_API_URL;
  const host = config.KUBERNETES_SERVICE_HOST!;
  return `https://${host.includes(':') ? `[${host}]` : host}:${config.KUBERNETES_SERVICE_PORT}`;
}
