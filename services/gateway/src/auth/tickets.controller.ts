import { Body, Controller, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { validate } from '../http/validate.js';
import { LinkTickets, TicketRequest } from './link-tickets.js';

@Controller('api/v1/tickets')
export class TicketsController {
  constructor(private readonly tickets: LinkTickets) {}

  /** A one-time ticket for a link the browser opens itself: `{ ticket, url, expiresIn }`. */
  @Post()
  issue(@Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const { path } = validate(TicketRequest, body);
    res.setHeader('Cache-Control', 'no-store');
    return this.tickets.issue(path);
  }
}
