import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { z } from 'zod';
import type { NatsService } from './nats.js';

/**
 * Each service's own default port for `/metrics`, so that every service of the stack listens side by
 * side on one host (`make dev`); in containers each has the host to itself anyway.
 */
export const METRICS_PORTS: Record<NatsService, number> = {
  catalog: 9464,
  gateway: 9465,
  scheduler: 9466,
  notifier: 9467,
  runner: 9468,
  'volume-controller': 9469,
};

/** The variables of a service's metrics listener, for its config schema (`...metricsEnv('catalog')`). */
export function metricsEnv(service: NatsService) {
  return {
    /** 0: any free port (tests, several replicas on one host); the log line names the one taken. */
    CAIRN_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(METRICS_PORTS[service]),
    /** Loopback by default; the image sets 0.0.0.0, so that Prometheus reaches it in the container network. */
    CAIRN_METRICS_BIND: z.string().min(1).default('127.0.0.1'),
  };
}
export interface MetricsEnv {
  CAIRN_METRICS_PORT: number;
  CAIRN_METRICS_BIND: string;
}

interface MetricsLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

let processRegistry: Registry | undefined;

/**
 * The process's own series (CPU, memory, event loop, `process_start_time_seconds` for the uptime),
 * collected once per process however many services it runs (tests run several).
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * Serves `GET /metrics` in Prometheus' text format on a listener of its own, apart from any API: the
 * process's series and those of `registry`. A scrape whose collection fails answers 503, so that
 * Prometheus marks the target down instead of recording stale values.
 */
export async function serveMetrics(
  config: MetricsEnv,
  log: MetricsLog,
  registry = new Registry(),
): Promise<MetricsServer> {
  const metrics = Registry.merge([processMetrics(), registry]);
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://metrics').pathname;
    if (path !== '/metrics') return void response.writeHead(404).end('not found: metrics are at /metrics\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return void response.writeHead(405, { allow: 'GET, HEAD' }).end();
    }
    metrics.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      (error: unknown) => {
        log.warn({ error: (error as Error).message }, 'metrics collection failed');
        response
          .writeHead(503, { 'content-type': 'text/plain' })
          .end(`metrics unavailable: ${(error as Error).message}\n`);
      },
    );
  });
  await listen(server, config);
  const { port } = server.address() as AddressInfo;
  const host = config.CAIRN_METRICS_BIND.includes(':')
    ? `[${config.CAIRN_METRICS_BIND}]`
    : config.CAIRN_METRICS_BIND;
  const url = `http://${host}:${port}/metrics`;
  log.info({ url }, 'metrics listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, config: MetricsEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const at = `${config.CAIRN_METRICS_BIND}:${config.CAIRN_METRICS_PORT}`;
      const hint =
        error.code === 'EADDRINUSE'
          ? 'the port is taken: set CAIRN_METRICS_PORT to a free one (0 picks any)'
          : 'check CAIRN_METRICS_BIND and CAIRN_METRICS_PORT';
      reject(new Error(`cannot serve metrics on ${at}: ${error.code ?? error.message} (${hint})`));
    });
    server.listen(config.CAIRN_METRICS_PORT, config.CAIRN_METRICS_BIND, () => resolve());
  });
}
