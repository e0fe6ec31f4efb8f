import { Controller } from '@nestjs/common';
import { API, CATALOG, NOTIFIER, type ValidInput } from '@cairn/contracts';
import { Input, Route } from '../http/route.js';
import { ServiceClient } from './catalog.repository.js';

const ROUTES = API.channels;

@Controller()
export class ChannelsController {
  constructor(private readonly services: ServiceClient) {}

  @Route(ROUTES.list)
  list() {
    return this.services.call(CATALOG.channels.list, {});
  }

  @Route(ROUTES.create)
  create(@Input() { body }: ValidInput<typeof ROUTES.create>) {
    return this.services.call(CATALOG.channels.create, body);
  }

  @Route(ROUTES.get)
  get(@Input() { params }: ValidInput<typeof ROUTES.get>) {
    return this.services.call(CATALOG.channels.get, params);
  }

  @Route(ROUTES.update)
  update(@Input() { params, body }: ValidInput<typeof ROUTES.update>) {
    return this.services.call(CATALOG.channels.update, { id: params.id, patch: body });
  }

  @Route(ROUTES.remove)
  async remove(@Input() { params }: ValidInput<typeof ROUTES.remove>): Promise<void> {
    await this.services.call(CATALOG.channels.remove, params);
  }

  /** The notifier sends a test report through the saved channel now (the receiver may be slow). */
  @Route(ROUTES.test)
  test(@Input() { params }: ValidInput<typeof ROUTES.test>) {
    return this.services.call(NOTIFIER.test, { channelId: params.id }, 30_000);
  }

  /** Every attempt to deliver through the channel, newest first. */
  @Route(ROUTES.deliveries)
  async deliveries(@Input() { params, query }: ValidInput<typeof ROUTES.deliveries>) {
    await this.services.call(CATALOG.channels.get, params);
    return this.services.call(CATALOG.deliveries.list, { channelId: params.id, limit: query.limit });
  }
}
