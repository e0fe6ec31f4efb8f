import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { z } from 'zod';
import { CATALOG, type NatsConnection } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import { Public } from '../http/public.js';
import { validate } from '../http/validate.js';
import { openApiDocument } from './openapi.js';
import { NATS } from './tokens.js';

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

  @Get('v1/settings')
  settings() {
    return this.services.call(CATALOG.settings.get, {});
  }

  @Put('v1/settings')
  updateSettings(@Body() body: unknown) {
    return this.services.call(CATALOG.settings.update, validate(z.record(z.string(), z.unknown()), body));
  }
}
