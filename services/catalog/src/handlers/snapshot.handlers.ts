import { Injectable } from '@nestjs/common';
import { CATALOG } from '@cairn/contracts';
import { SnapshotService } from '../services/snapshot.service.js';
import { route, type Route, type RouteGroup } from './route.js';

const endpoints = CATALOG.snapshots;

@Injectable()
export class SnapshotHandlers implements RouteGroup {
  constructor(private readonly service: SnapshotService) {}

  routes(): Route[] {
    return [
      route(endpoints.list, ({ jobId }) => this.service.list(jobId)),
      route(endpoints.sync, ({ jobId, snapshots }) => this.service.sync(jobId, snapshots)),
    ];
  }
}
