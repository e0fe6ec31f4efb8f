import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { RemoteError, type Logger } from '@cairn/contracts';
import { AuthError } from '../auth/auth.service.js';
import { LOGGER } from '../system/tokens.js';
import { InvalidInput } from './validate.js';

const REMOTE_STATUS = {
  'bad-request': 400,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
} as const;

const AUTH_CODES = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  503: 'unavailable',
} as const;

const HTTP_CODES: Record<number, string> = { 404: 'not-found', 409: 'conflict' };

/** Every error leaves as `{ error: { code, message, field? } }` with the status that fits it. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return void res.end();
    const send = (status: number, code: string, message: string, field?: string) =>
      res.status(status).json({ error: { code, message, ...(field ? { field } : {}) } });
    if (error instanceof InvalidInput) return void send(400, 'bad-request', error.message, error.field);
    if (error instanceof AuthError) {
      if (error.retryAfterSeconds) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      return void send(error.status, AUTH_CODES[error.status], error.message);
    }
    if (error instanceof RemoteError) {
      if (error.body.code === 'internal' || error.body.code === 'unavailable')
        this.logger.error({ err: error.body }, 'service error');
      return void send(REMOTE_STATUS[error.body.code], error.body.code, error.body.message, error.body.field);
    }
    if (error instanceof HttpException)
      return void send(error.getStatus(), HTTP_CODES[error.getStatus()] ?? 'http', error.message);
    this.logger.error({ err: error }, 'unexpected error');
    send(500, 'internal', 'internal error');
  }
}
