import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthError, AuthService } from '../auth/auth.service.js';
import { LINK_ROUTES, LinkTickets } from '../auth/link-tickets.js';
import { PUBLIC_ROUTE } from './public.js';

/**
 * Every /api route needs `Authorization: Bearer <access token>`, except the public ones. The SSE and
 * download routes also open with a one-time `?ticket=` (POST /api/v1/tickets), for browsers; an
 * access token in a URL is refused everywhere.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly tickets: LinkTickets,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]))
      return true;
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
    if (typeof ticket === 'string' && Object.values(LINK_ROUTES).some((route) => route.test(req.path))) {
      if (this.tickets.redeem(ticket, req.originalUrl)) return true;
      throw new AuthError(401, 'the link ticket is used, expired or for another link: ask for a new one');
    }
    throw new AuthError(401, 'sign in first: this route needs an access token');
  }
}
