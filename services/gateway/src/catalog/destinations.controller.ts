import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { CATALOG, DestinationInput, DestinationPatch, Id, RUNNER } from '@cairn/contracts';
import { validate } from '../http/validate.js';
import { ServiceClient } from './catalog.repository.js';

@Controller('api/v1/destinations')
export class DestinationsController {
  constructor(private readonly services: ServiceClient) {}

  @Get()
  list() {
    return this.services.call(CATALOG.destinations.list, {});
  }

  @Post()
  create(@Body() body: unknown) {
    return this.services.call(CATALOG.destinations.create, validate(DestinationInput, body));
  }

  /** Tests a destination before it is saved (the wizard's "test connection"). */
  @Post('test')
  @HttpCode(200)
  testUnsaved(@Body() body: unknown) {
    const destination = validate(DestinationInput.pick({ url: true, options: true, secrets: true }), body);
    return this.services.call(RUNNER.testDestination, destination, 60_000);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.services.call(CATALOG.destinations.get, { id: validate(Id, id) });
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.services.call(CATALOG.destinations.update, {
      id: validate(Id, id),
      patch: validate(DestinationPatch, body),
    });
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.services.call(CATALOG.destinations.remove, { id: validate(Id, id) });
  }

  /**
   * A runner writes, lists, reads and deletes a test file at the destination (it has the backends).
   * The runner fetches the secrets itself: they never reach the gateway.
   */
  @Post(':id/test')
  @HttpCode(200)
  test(@Param('id') id: string) {
    return this.services.call(RUNNER.testSavedDestination, { id: validate(Id, id) }, 60_000);
  }
}
