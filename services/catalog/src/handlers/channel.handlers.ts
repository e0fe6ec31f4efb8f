import { Injectable } from '@nestjs/common';
import { CATALOG } from '@cairn/contracts';
import { ChannelService } from '../services/channel.service.js';
import { route, type Route, type RouteGroup } from './route.js';

const endpoints = CATALOG.channels;

@Injectable()
export class ChannelHandlers implements RouteGroup {
  constructor(private readonly service: ChannelService) {}

  routes(): Route[] {
    return [
      route(endpoints.list, () => this.service.list()),
      route(endpoints.get, ({ id }) => this.service.get(id)),
      route(endpoints.create, (input) => this.service.create(input)),
      route(endpoints.update, ({ id, patch }) => this.service.update(id, patch)),
      route(endpoints.remove, ({ id }) => this.service.remove(id)),
      route(endpoints.resolve, ({ ids }) => this.service.resolve(ids)),
    ];
  }
}
