import { Injectable } from '@nestjs/common';
import { CATALOG } from '@cairn/contracts';
import { SettingsService } from '../services/settings.service.js';
import { route, type Route, type RouteGroup } from './route.js';

@Injectable()
export class SettingsHandlers implements RouteGroup {
  constructor(private readonly service: SettingsService) {}

  routes(): Route[] {
    return [
      route(CATALOG.settings.get, () => this.service.get()),
      route(CATALOG.settings.update, (changes) => this.service.update(changes)),
    ];
  }
}
