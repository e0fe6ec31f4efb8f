import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import {
  connectNats,
  createLogger,
  isUnavailable,
  natsSettings,
  serveMetrics,
  untilReachable,
} from '@cairn/contracts';
import { AppModule } from './app.module.js';
import { AuthService } from './auth/auth.service.js';
import { gatewayConfig } from './config.js';
import { hostCheck } from './http/host-check.js';
import { cacheControl, precompressed, sendBuilt } from './http/precompressed.js';
import { signInCheck } from './http/sign-in-check.js';
import { listenWithFallback } from './system/listen.js';

export interface RunningGateway {
  url: string;
  /** Where `/metrics` answers (CAIRN_METRICS_PORT=0 picks the port). */
  metricsUrl: string;
  close(): Promise<void>;
}

/** Starts the gateway: the only public door (DESIGN §6). */
export async function main(env: NodeJS.ProcessEnv = process.env, basePort?: number): Promise<RunningGateway> {
  const config = gatewayConfig(env);
  const logger = createLogger('gateway', config.CAIRN_LOG_LEVEL);
  const startup = { waitMs: config.CAIRN_STARTUP_WAIT_MS, logger };
  const nc = await connectNats(natsSettings(config, 'gateway'), 'cairn-gateway', startup);
  const tls = config.CAIRN_TLS_CERT
    ? { cert: readFileSync(config.CAIRN_TLS_CERT), key: readFileSync(config.CAIRN_TLS_KEY!) }
    : undefined;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.with(config, nc, logger), {
    logger: false,
    ...(tls ? { httpsOptions: tls } : {}),
  });
  // X-Forwarded-* only from the configured proxies: anyone else could name any address.
  app.set('trust proxy', config.CAIRN_TRUSTED_PROXIES.length > 0 ? config.CAIRN_TRUSTED_PROXIES : false);
  app.disable('x-powered-by');
  app.use(hostCheck(config.CAIRN_ALLOWED_HOSTS));
  app.use('/api/v1/auth', signInCheck(config.CAIRN_ALLOWED_ORIGINS));
  serveWebApp(app, config.CAIRN_UI_DIR);
  // The catalog keeps the admin password; after a NAS reboot it may come up after the gateway.
  const auth = app.get(AuthService);
  await untilReachable('the catalog', () => auth.ensureAdminPassword(), isUnavailable, startup);
  const port = await listenWithFallback(app, config.CAIRN_BIND, config.CAIRN_PORT, basePort);
  const url = `${tls ? 'https' : 'http'}://${config.CAIRN_BIND.includes(':') ? `[${config.CAIRN_BIND}]` : config.CAIRN_BIND}:${port}`;
  const metrics = await serveMetrics(config, logger).catch(async (error: unknown) => {
    await app.close();
    await nc.drain();
    throw error;
  });
  logger.info({ url }, 'gateway listening');
  return {
    url,
    metricsUrl: metrics.url,
    close: async () => {
      await metrics.close();
      await app.close();
      await nc.drain();
    },
  };
}

/**
 * The app may load only its own files; inline styles are allowed because Angular puts component
 * styles in <style> elements. No referrer, so no link (not even its one-time ticket) leaves in one.
 */
const WEB_APP_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/** The built web app: static files, and index.html for client-side routes. */
function serveWebApp(app: NestExpressApplication, dir: string | undefined): void {
  if (!dir || !existsSync(join(dir, 'index.html'))) return;
  const root = resolve(dir);
  const index = join(root, 'index.html');
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!req.path.startsWith('/api')) res.set(WEB_APP_HEADERS);
    next();
  });
  app.use(precompressed(root));
  app.use(
    express.static(root, {
      index: false,
      setHeaders: (res, path) => res.setHeader('Cache-Control', cacheControl(path)),
    }),
  );
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api')) return next();
    sendBuilt(req, res, index, () => res.set('Cache-Control', 'no-cache').sendFile(index));
  });
}
