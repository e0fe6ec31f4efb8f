import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { SCHEDULER } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import { validate } from '../http/validate.js';

/** Pausing stops scheduled fires (for a while or until resumed); runs already going continue. */
@Controller('api/v1/scheduler')
export class SchedulerController {
  constructor(private readonly services: ServiceClient) {}

  @Get()
  status() {
    return this.services.call(SCHEDULER.status, {});
  }

  @Post('pause')
  @HttpCode(200)
  pause(@Body() body: unknown) {
    const { durationMs } = validate(
      z.object({ durationMs: z.number().int().positive().nullable().default(null) }),
      body,
    );
    return this.services.call(SCHEDULER.pause, {
      untilMs: durationMs === null ? Number.MAX_SAFE_INTEGER : Date.now() + durationMs,
    });
  }

  @Post('resume')
  @HttpCode(200)
  resume() {
    return this.services.call(SCHEDULER.pause, { untilMs: null });
  }
}
