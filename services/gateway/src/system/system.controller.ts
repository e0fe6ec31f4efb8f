import { readFileSync } from 'node:fs';
import { Controller, Inject } from '@nestjs/common';
import {
  API,
  CATALOG,
  HEALTH_PROBES,
  openApiDocument,
  type NatsConnection,
  type ValidInput,
} from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import { Input, Route } from '../http/route.js';
import { NATS } from './tokens.js';

const VERSION: string = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
).version;

@Controller()
export class SystemController {
  constructor(
    private readonly services: ServiceClient,
    @Inject(NATS) private readonly nc: NatsConnection,
  ) {}

  /** Whether the gateway reaches NATS and, through it, the catalog. */
  @Route(API.system.health)
  async health() {
    const nats = !this.nc.isClosed();
    const catalog =
      nats &&
      (await this.services.call(CATALOG.settings.get, {}, 2000).then(
        () => true,
        () => false,
      ));
    return { status: nats && catalog ? ('ok' as const) : ('degraded' as const), nats, catalog };
  }

  @Route(API.system.docs)
  docs() {
    return openApiDocument();
  }

  /** Versions, and whether each service answers now. */
  @Route(API.system.about)
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

  @Route(API.settings.get)
  settings() {
    return this.services.call(CATALOG.settings.get, {});
  }

  @Route(API.settings.update)
  updateSettings(@Input() { body }: ValidInput<typeof API.settings.update>) {
    return this.services.call(CATALOG.settings.update, body);
  }
}
