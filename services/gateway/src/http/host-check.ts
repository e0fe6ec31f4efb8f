import { isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';

/**
 * DNS-rebinding defence: a page on evil.example whose name now resolves to this machine would send
 * `Host: evil.example`. Only IP addresses, localhost and the configured names are served.
 */
export function hostCheck(allowed: readonly string[]) {
  const names = new Set(['localhost', ...allowed]);
  return (req: Request, res: Response, next: NextFunction) => {
    const host = (req.headers.host ?? '').toLowerCase();
    const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
    if (isIP(name) !== 0 || names.has(name)) return next();
    res.status(403).json({
      error: {
        code: 'forbidden',
        message: `host "${name}" is not allowed (add it to CAIRN_ALLOWED_HOSTS)`,
      },
    });
  };
}
