import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { GatewayConfig } from '../config.js';
import { Public } from '../http/public.js';
import { validate } from '../http/validate.js';
import { CONFIG } from '../system/tokens.js';
import { AuthService, type IssuedTokens } from './auth.service.js';
import { REFRESH_TTL_SECONDS } from './tokens.js';

const REFRESH_COOKIE = 'cairn_refresh';
const COOKIE_PATH = '/api/v1/auth';

export const LoginBody = z.object({ password: z.string().min(1) });
export const PasswordBody = z.object({ current: z.string().min(1), next: z.string().min(8) });

@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { password } = validate(LoginBody, body);
    return this.respond(res, await this.auth.login(password, req.ip ?? 'unknown'));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.respond(res, await this.auth.refresh(readCookie(req, REFRESH_COOKIE)));
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    this.auth.logout(readCookie(req, REFRESH_COOKIE));
    res.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
  }

  @Post('password')
  @HttpCode(200)
  async password(@Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const { current, next } = validate(PasswordBody, body);
    return this.respond(res, await this.auth.changePassword(current, next));
  }

  /** The access token goes in the body; the refresh token only in an httpOnly, same-site cookie. */
  private respond(res: Response, tokens: IssuedTokens) {
    res.cookie(REFRESH_COOKIE, tokens.refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: Boolean(this.config.CAIRN_TLS_CERT),
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
