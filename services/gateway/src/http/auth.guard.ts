import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Route } from '@cairn/contracts';
import { AuthError, AuthService } from '../auth/auth.service.js';
import { LinkTickets } from '../auth/link-tickets.js';
import { ROUTE } from './route.js';

/**
 * Every /api route needs `Authorization: Bearer <access token>`, except those declared public. The
 * link routes (events, download) also open with a one-time `?ticket=` (POST /api/v1/tickets), for
 * browsers; an access token in a URL is refused everywhere. A handler bound to no declaration
 * counts as not public.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly tickets: LinkTickets,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.reflector.get<Route | undefined>(ROUTE, context.getHandler());
    if (route?.public) return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (req.query.access_token !== undefined)
      throw new AuthError(
        401,
        'access tokens are not accepted in URLs: send them as Authorization: Bearer, or open links with a ticket from POST /api/v1/tickets',
      );
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      if (await this.auth.authenticate(header.slice(7))) return true;
      throw new AuthError(401, 'the access token is invalid or expired');
    }
    const ticket = req.query.ticket;
    if (typeof ticket === 'string' && route?.link) {
      if (this.tickets.redeem(ticket, req.originalUrl)) return true;
      throw new AuthError(401, 'the link ticket is used, expired or for another link: ask for a new one');
    }
    throw new AuthError(401, 'sign in first: this route needs an access token');
  }
}
