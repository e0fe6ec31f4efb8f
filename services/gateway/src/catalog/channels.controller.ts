import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { CATALOG, ChannelInput, ChannelPatch, Id, NOTIFIER } from '@cairn/contracts';
import { validate } from '../http/validate.js';
import { ServiceClient } from './catalog.repository.js';

const DeliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

@Controller('api/v1/channels')
export class ChannelsController {
  constructor(private readonly services: ServiceClient) {}

  @Get()
  list() {
    return this.services.call(CATALOG.channels.list, {});
  }

  @Post()
  create(@Body() body: unknown) {
    return this.services.call(CATALOG.channels.create, validate(ChannelInput, body));
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.services.call(CATALOG.channels.get, { id: validate(Id, id) });
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.services.call(CATALOG.channels.update, {
      id: validate(Id, id),
      patch: validate(ChannelPatch, body),
    });
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.services.call(CATALOG.channels.remove, { id: validate(Id, id) });
  }

  /** The notifier sends a test report through the saved channel now (the receiver may be slow). */
  @Post(':id/test')
  @HttpCode(200)
  test(@Param('id') id: string) {
    return this.services.call(NOTIFIER.test, { channelId: validate(Id, id) }, 30_000);
  }

  /** Every attempt to deliver through the channel, newest first. */
  @Get(':id/deliveries')
  async deliveries(@Param('id') id: string, @Query() query: unknown) {
    const channelId = validate(Id, id);
    await this.services.call(CATALOG.channels.get, { id: channelId });
    const { limit } = validate(DeliveriesQuery, query);
    return this.services.call(CATALOG.deliveries.list, { channelId, limit });
  }
}
