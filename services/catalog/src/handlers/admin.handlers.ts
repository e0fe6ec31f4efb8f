import { Injectable } from '@nestjs/common';
import { CATALOG } from '@cairn/contracts';
import { AdminService } from '../services/admin.service.js';
import { route, type Route, type RouteGroup } from './route.js';

@Injectable()
export class AdminHandlers implements RouteGroup {
  constructor(private readonly service: AdminService) {}

  routes(): Route[] {
    return [
      route(CATALOG.admin.get, () => this.service.get()),
      route(CATALOG.admin.setPassword, ({ passwordHash }) => this.service.setPassword(passwordHash)),
    ];
  }
}
