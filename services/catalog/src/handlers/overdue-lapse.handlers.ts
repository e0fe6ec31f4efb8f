import { Injectable } from '@nestjs/common';
import { CATALOG } from '@cairn/contracts';
import { OverdueLapseService } from '../services/overdue-lapse.service.js';
import { route, type Route, type RouteGroup } from './route.js';

@Injectable()
export class OverdueLapseHandlers implements RouteGroup {
  constructor(private readonly service: OverdueLapseService) {}

  routes(): Route[] {
    return [
      route(CATALOG.overdue.list, () => this.service.list()),
      route(CATALOG.overdue.set, (lapse) => this.service.set(lapse)),
      route(CATALOG.overdue.clear, ({ jobId }) => this.service.clear(jobId)),
    ];
  }
}
