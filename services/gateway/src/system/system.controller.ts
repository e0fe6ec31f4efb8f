import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { CATALOG, HEALTH_PROBES, type NatsConnection } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import { Public } from '../http/public.js';
import { validate } from '../http/validate.js';
import { openApiDocument } from './openapi.js';
import { NATS } from './tokens.js';

const VERSION: string = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
).version;

@Controller('api')
export class SystemController {
  constructor(
    private readonly services: ServiceClient,
    @Inject(NATS) private readonly nc: NatsConnection,
  ) {}

  /** Whether the gateway reaches NATS and, through it, the catalog. */
  @Public()
  @Get('v1/health')
  async health() {
    const nats = !this.nc.isClosed();
    const catalog =
      nats &&
      (await this.services.call(CATALOG.settings.get, {}, 2000).then(
        () => true,
        () => false,
      ));
    return { status: nats && catalog ? 'ok' : 'degraded', nats, catalog };
  }

  @Public()
  @Get('docs')
  docs() {
    return openApiDocument();
  }

  /** Versions, and whether each service answers now. */
  @Get('v1/about')
  async about() {
    const services = await Promise.all(
      Object.entries(HEALTH_PROBES).map(async ([name, [endpoint, payload]]) => {
        const started = Date.now();
        try {
          await this.services.call(endpoint, payload, 3000);
          return { name, ok: true, detail: `answered in ${Date.now() - started} ms` };
        } catch (error) {
          return { name, ok: false, detail: (error as Error).message };
        }
      }),
    );
    return {
      version: VERSION,
      node: process.version,
      services: [{ name: 'gateway', ok: true, detail: 'serving this page' }, ...services],
    };
  }

  @Get('v1/settings')
  settings() {
    return this.services.call(CATALOG.settings.get, {});
  }

  @Put('v1/settings')
  updateSettings(@Body() body: unknown) {
    return this.services.call(CATALOG.settings.update, validate(z.record(z.string(), z.unknown()), body));
  }
}
