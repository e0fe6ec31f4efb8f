import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';

export const TICKET_TTL_SECONDS = 60;

/**
 * One-time link tickets: instead of the access token (15 minutes, good for every route) a link
 * carries a ticket that opens that one path once, within a minute. Tokens in URLs end up in
 * browser history and proxy logs; a used or expired ticket is worth nothing there. In memory: a
 * restart costs only links not opened yet.
 */
@Injectable()
export class LinkTickets {
  private readonly tickets = new Map<string, { link: string; expires: number }>();

  issue(path: string, now = Date.now()): { ticket: string; url: string; expiresIn: number } {
    for (const [ticket, { expires }] of this.tickets) if (expires <= now) this.tickets.delete(ticket);
    const ticket = randomBytes(32).toString('base64url');
    this.tickets.set(ticket, { link: canonical(path), expires: now + TICKET_TTL_SECONDS * 1000 });
    const url = new URL(path, 'http://link');
    url.searchParams.set('ticket', ticket);
    return { ticket, url: `${url.pathname}${url.search}`, expiresIn: TICKET_TTL_SECONDS };
  }

  /** Whether `ticket` opens the requested URL (its path and query); it is spent either way. */
  redeem(ticket: string, requested: string, now = Date.now()): boolean {
    const held = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return held !== undefined && held.expires > now && held.link === canonical(requested);
  }
}

/** Path and query, without the ticket, parameters sorted: the same link however it was spelled. */
function canonical(path: string): string {
  const url = new URL(path, 'http://link');
  url.searchParams.delete('ticket');
  url.searchParams.sort();
  return `${url.pathname}?${url.searchParams}`;
}
