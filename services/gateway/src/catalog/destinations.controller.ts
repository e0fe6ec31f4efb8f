import { Controller } from '@nestjs/common';
import { API, CATALOG, RUNNER, type ValidInput } from '@cairn/contracts';
import { Input, Route } from '../http/route.js';
import { ServiceClient } from './catalog.repository.js';

const ROUTES = API.destinations;

@Controller()
export class DestinationsController {
  constructor(private readonly services: ServiceClient) {}

  @Route(ROUTES.list)
  list() {
    return this.services.call(CATALOG.destinations.list, {});
  }

  @Route(ROUTES.create)
  create(@Input() { body }: ValidInput<typeof ROUTES.create>) {
    return this.services.call(CATALOG.destinations.create, body);
  }

  /** Tests a destination before it is saved (the wizard's "test connection"). */
  @Route(ROUTES.testUnsaved)
  testUnsaved(@Input() { body }: ValidInput<typeof ROUTES.testUnsaved>) {
    return this.services.call(RUNNER.testDestination, body, 60_000);
  }

  @Route(ROUTES.get)
  get(@Input() { params }: ValidInput<typeof ROUTES.get>) {
    return this.services.call(CATALOG.destinations.get, params);
  }

  @Route(ROUTES.update)
  update(@Input() { params, body }: ValidInput<typeof ROUTES.update>) {
    return this.services.call(CATALOG.destinations.update, { id: params.id, patch: body });
  }

  @Route(ROUTES.remove)
  async remove(@Input() { params }: ValidInput<typeof ROUTES.remove>): Promise<void> {
    await this.services.call(CATALOG.destinations.remove, params);
  }

  /**
   * A runner writes, lists, reads and deletes a test file at the destination (it has the backends).
   * The runner fetches the secrets itself: they never reach the gateway.
   */
  @Route(ROUTES.test)
  test(@Input() { params }: ValidInput<typeof ROUTES.test>) {
    return this.services.call(RUNNER.testSavedDestination, params, 60_000);
  }
}
