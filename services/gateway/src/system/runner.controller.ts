import { Controller } from '@nestjs/common';
import { API, RUNNER } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import { Route } from '../http/route.js';

/** The runner's folders, so the UI can say where a restore writes its files. */
@Controller()
export class RunnerController {
  constructor(private readonly services: ServiceClient) {}

  @Route(API.system.runner)
  folders() {
    return this.services.call(RUNNER.folders, {});
  }
}
