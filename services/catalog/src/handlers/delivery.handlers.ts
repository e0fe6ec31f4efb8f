import { Injectable } from '@nestjs/common';
import { CATALOG } from '@cairn/contracts';
import { DeliveryService } from '../services/delivery.service.js';
import { route, type Route, type RouteGroup } from './route.js';

const endpoints = CATALOG.deliveries;

@Injectable()
export class DeliveryHandlers implements RouteGroup {
  constructor(private readonly service: DeliveryService) {}

  routes(): Route[] {
    return [
      route(endpoints.record, (input) => this.service.record(input)),
      route(endpoints.list, (filter) => this.service.list(filter)),
    ];
  }
}
