import { Controller, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { API, type ValidInput } from '@cairn/contracts';
import { Input, Route } from '../http/route.js';
import { AuthService, type IssuedTokens } from './auth.service.js';
import { REFRESH_TTL_SECONDS } from './tokens.js';

const REFRESH_COOKIE = 'cairn_refresh';
const COOKIE_PATH = '/api/v1/auth';
const ROUTES = API.auth;

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Route(ROUTES.login)
  async login(
    @Input() { body: { password } }: ValidInput<typeof ROUTES.login>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    // req.ip is the peer's address, or what a CAIRN_TRUSTED_PROXIES proxy says it forwarded for.
    return this.respond(req, res, await this.auth.login(password, req.ip ?? 'unknown'));
  }

  @Route(ROUTES.refresh)
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.respond(req, res, await this.auth.refresh(readCookie(req, REFRESH_COOKIE)));
  }

  @Route(ROUTES.logout)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(readCookie(req, REFRESH_COOKIE));
    res.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
  }

  @Route(ROUTES.password)
  async password(
    @Input() { body: { current, next } }: ValidInput<typeof ROUTES.password>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.respond(req, res, await this.auth.changePassword(current, next));
  }

  /**
   * The access token goes in the body, never to be cached; the refresh token only in an httpOnly,
   * same-site cookie, Secure whenever the browser came over HTTPS (directly, or as a trusted proxy's
   * X-Forwarded-Proto says).
   */
  private respond(req: Request, res: Response, tokens: IssuedTokens) {
    res.setHeader('Cache-Control', 'no-store');
    res.cookie(REFRESH_COOKIE, tokens.refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: COOKIE_PATH,
      maxAge: REFRESH_TTL_SECONDS * 1000,
    });
    return { accessToken: tokens.accessToken, expiresIn: tokens.expiresIn };
  }
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
