import { Controller, Get } from '@nestjs/common';
import { RUNNER } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';

/** The runner's folders, so the UI can say where a restore writes its files. */
@Controller('api/v1/runner')
export class RunnerController {
  constructor(private readonly services: ServiceClient) {}

  @Get()
  folders() {
    return this.services.call(RUNNER.folders, {});
  }
}
