import { Controller, Res } from '@nestjs/common';
import type { Response } from 'express';
import { API, type ValidInput } from '@cairn/contracts';
import { Input, Route } from '../http/route.js';
import { LinkTickets } from './link-tickets.js';

@Controller()
export class TicketsController {
  constructor(private readonly tickets: LinkTickets) {}

  /** A one-time ticket for a link the browser opens itself: `{ ticket, url, expiresIn }`. */
  @Route(API.tickets.issue)
  issue(
    @Input() { body: { path } }: ValidInput<typeof API.tickets.issue>,
    @Res({ passthrough: true }) res: Response,
  ) {
    res.setHeader('Cache-Control', 'no-store');
    return this.tickets.issue(path);
  }
}
