import { Injectable } from '@nestjs/common';
import { CATALOG } from '@cairn/contracts';
import { RunService } from '../services/run.service.js';
import { route, type Route, type RouteGroup } from './route.js';

const endpoints = CATALOG.runs;

@Injectable()
export class RunHandlers implements RouteGroup {
  constructor(private readonly service: RunService) {}

  routes(): Route[] {
    return [
      route(endpoints.list, (filter) => this.service.list(filter)),
      route(endpoints.recent, ({ perJob }) => this.service.recent(perJob)),
      route(endpoints.get, ({ id }) => this.service.get(id)),
      route(endpoints.create, (request) => this.service.create(request)),
      route(endpoints.log, ({ id }) => this.service.log(id)),
    ];
  }
}
