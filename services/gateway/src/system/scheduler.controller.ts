import { Controller } from '@nestjs/common';
import { API, SCHEDULER, type ValidInput } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import { Input, Route } from '../http/route.js';

const ROUTES = API.scheduler;

/** Pausing stops scheduled fires (for a while or until resumed); runs already going continue. */
@Controller()
export class SchedulerController {
  constructor(private readonly services: ServiceClient) {}

  @Route(ROUTES.status)
  status() {
    return this.services.call(SCHEDULER.status, {});
  }

  @Route(ROUTES.pause)
  pause(@Input() { body: { durationMs } }: ValidInput<typeof ROUTES.pause>) {
    return this.services.call(SCHEDULER.pause, {
      untilMs: durationMs === null ? Number.MAX_SAFE_INTEGER : Date.now() + durationMs,
    });
  }

  @Route(ROUTES.resume)
  resume() {
    return this.services.call(SCHEDULER.pause, { untilMs: null });
  }
}
