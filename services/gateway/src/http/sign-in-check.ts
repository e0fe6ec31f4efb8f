import type { NextFunction, Request, Response } from 'express';

/** The sign-in routes whose body carries a password. */
const PASSWORD_ROUTES = new Set(['/login', '/password']);

/**
 * The sign-in routes are what a foreign page could drive through a visitor's browser (posting
 * guesses, using the refresh cookie). They take JSON only — a cross-site form cannot send it without
 * a CORS preflight, which this server never grants — and, when the browser names the page it comes
 * from, only this site itself (the Host the request names) or an origin in CAIRN_ALLOWED_ORIGINS.
 */
export function signInCheck(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !fromHere(origin, req.headers.host, allowed))
      return refuse(res, 403, 'forbidden', `requests from ${origin} may not sign in here`);
    if (PASSWORD_ROUTES.has(req.path) && !req.is('application/json'))
      return refuse(
        res,
        415,
        'unsupported-media-type',
        'send the body as JSON (Content-Type: application/json)',
      );
    next();
  };
}

function fromHere(origin: string, host: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (!URL.canParse(origin)) return false;
  const url = new URL(origin);
  return allowed.has(url.origin) || url.host === (host ?? '').toLowerCase();
}

function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}
