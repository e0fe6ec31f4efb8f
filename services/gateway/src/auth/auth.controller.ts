import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Public } from '../http/public.js';
import { validate } from '../http/validate.js';
import { AuthService, type IssuedTokens } from './auth.service.js';
import { REFRESH_TTL_SECONDS } from './tokens.js';

const REFRESH_COOKIE = 'cairn_refresh';
const COOKIE_PATH = '/api/v1/auth';

export const LoginBody = z.object({ password: z.string().min(1) });
export const PasswordBody = z.object({ current: z.string().min(1), next: z.string().min(8) });

@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { password } = validate(LoginBody, body);
    // req.ip is the peer's address, or what a CAIRN_TRUSTED_PROXIES proxy says it forwarded for.
    return this.respond(req, res, await this.auth.login(password, req.ip ?? 'unknown'));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.respond(req, res, await this.auth.refresh(readCookie(req, REFRESH_COOKIE)));
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(readCookie(req, REFRESH_COOKIE));
    res.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
  }

  @Post('password')
  @HttpCode(200)
  async password(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { current, next } = validate(PasswordBody, body);
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
