import { Controller } from '@nestjs/common';
import { API, RUNNER, type ValidInput } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import { Input, Route } from '../http/route.js';

/** The runner's source folders, for picking a job's sources: `/` lists the roots themselves. */
@Controller()
export class SourcesController {
  constructor(private readonly services: ServiceClient) {}

  @Route(API.sources.list)
  list(@Input() { query }: ValidInput<typeof API.sources.list>) {
    return this.services.call(RUNNER.browse, query, 30_000);
  }
}
