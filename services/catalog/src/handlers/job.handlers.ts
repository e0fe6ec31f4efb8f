import { Injectable } from '@nestjs/common';
import { CATALOG } from '@cairn/contracts';
import { JobService } from '../services/job.service.js';
import { route, type Route, type RouteGroup } from './route.js';

const endpoints = CATALOG.jobs;

@Injectable()
export class JobHandlers implements RouteGroup {
  constructor(private readonly service: JobService) {}

  routes(): Route[] {
    return [
      route(endpoints.list, () => this.service.list()),
      route(endpoints.get, ({ id }) => this.service.get(id)),
      route(endpoints.create, (input) => this.service.create(input)),
      route(endpoints.update, ({ id, patch }) => this.service.update(id, patch)),
      route(endpoints.remove, ({ id }) => this.service.remove(id)),
      route(endpoints.resolve, ({ id }) => this.service.resolve(id)),
    ];
  }
}
