import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthError, AuthService } from '../auth/auth.service.js';
import { PUBLIC_ROUTE } from './public.js';

/** Routes a browser opens as a plain link or EventSource, which cannot carry an Authorization header. */
const LINK_ROUTES = /\/(events|download)$/;

/**
 * Every /api route needs `Authorization: Bearer <access token>`, except the public ones. The SSE and
 * download routes also accept `?access_token=`, for browsers.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]))
      return true;
    const req = context.switchToHttp().getRequest<Request>();
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ')
      ? header.slice(7)
      : LINK_ROUTES.test(req.path)
        ? String(req.query.access_token ?? '')
        : '';
    if (token && (await this.auth.authenticate(token))) return true;
    throw new AuthError(
      401,
      token ? 'the access token is invalid or expired' : 'sign in first: this route needs an access token',
    );
  }
}
