import { Injectable } from '@nestjs/common';
import { CATALOG } from '@cairn/contracts';
import { SessionService } from '../services/session.service.js';
import { route, type Route, type RouteGroup } from './route.js';

@Injectable()
export class SessionHandlers implements RouteGroup {
  constructor(private readonly service: SessionService) {}

  routes(): Route[] {
    return [
      route(CATALOG.sessions.start, ({ id, tokenId, expiresAt }) =>
        this.service.start(id, tokenId, expiresAt),
      ),
      route(CATALOG.sessions.rotate, async ({ id, tokenId, nextTokenId, expiresAt }) => ({
        outcome: await this.service.rotate(id, tokenId, nextTokenId, expiresAt),
      })),
      route(CATALOG.sessions.end, ({ id }) => this.service.end(id)),
    ];
  }
}
