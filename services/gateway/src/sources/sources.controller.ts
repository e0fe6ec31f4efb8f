import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { RUNNER } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import { validate } from '../http/validate.js';

/** The runner's source folders, for picking a job's sources: `/` lists the roots themselves. */
@Controller('api/v1/sources')
export class SourcesController {
  constructor(private readonly services: ServiceClient) {}

  @Get()
  list(@Query() query: unknown) {
    const { path } = validate(z.object({ path: z.string().startsWith('/').default('/') }), query);
    return this.services.call(RUNNER.browse, { path }, 30_000);
  }
}
