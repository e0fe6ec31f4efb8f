import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { createLogger, natsSettings } from '@cairn/contracts';
import { AppModule } from './app.module.js';
import { CatalogOptions } from './catalog-options.js';
import { CatalogServer } from './catalog.server.js';
import { loadCatalogConfig } from './config.js';
import { NestLogger } from './utils/nest-logger.js';
import { SecretBox } from './utils/secret-box.js';

export interface MainOptions {
  env?: NodeJS.ProcessEnv;
  /** Where log lines go (stdout by default). */
  logDestination?: DestinationStream;
}

/**
 * Starts the catalog: validates the environment (a missing or malformed CAIRN_SECRET_KEY stops it
 * here), creates and migrates the database, ensures the JetStream streams, then answers requests and
 * records run events. Rejects when any step fails, with nothing left open.
 */
export async function main(options: MainOptions = {}): Promise<INestApplicationContext> {
  const config = loadCatalogConfig(options.env ?? process.env);
  const logger = createLogger('catalog', config.CAIRN_LOG_LEVEL, options.logDestination);
  const catalogOptions = new CatalogOptions(
    config.DATABASE_URL,
    natsSettings(config, 'catalog'),
    config,
    config.CAIRN_STARTUP_WAIT_MS,
  );
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot(catalogOptions, SecretBox.fromHex(config.CAIRN_SECRET_KEY), logger),
    { logger: new NestLogger(logger), abortOnError: false },
  );
  try {
    await app.get(CatalogServer).start();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
