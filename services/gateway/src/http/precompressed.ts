import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type express from 'express';

/** The encodings the build writes beside each text file (frontend/scripts/precompress.mjs), best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/** The types of the files the build compresses: sent as what they are, not as .br or .gz. */
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.ico': 'image/x-icon',
};

/** Built files carry a content hash in their names and never change; index.html must be asked for every time. */
export function cacheControl(path: string): string {
  return /-[A-Za-z0-9]{8,}\.(js|css)$/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** The encodings a request's Accept-Encoding allows (a q of 0 refuses one). */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find(Boolean);
    if (name && (q === undefined || Number(q) > 0)) accepted.add(name);
  }
  return accepted;
}

/**
 * Sends `file` of the built app (an absolute path inside it), as its precompressed copy when the
 * build made one and the request accepts its encoding. `Vary: Accept-Encoding` whenever a copy
 * exists, so a cache never hands the brotli bytes to a client that asked for none.
 */
export function sendBuilt(
  req: express.Request,
  res: express.Response,
  file: string,
  next: express.NextFunction,
) {
  const type = TYPES[extname(file)];
  const copies = type ? ENCODINGS.filter(({ suffix }) => existsSync(file + suffix)) : [];
  if (copies.length === 0) return next();
  res.vary('Accept-Encoding');
  const accepted = acceptedEncodings(req.get('accept-encoding'));
  const chosen = copies.find(({ name }) => accepted.has(name));
  if (!chosen) return next();
  res.setHeader('Cache-Control', cacheControl(file));
  res.setHeader('Content-Type', type!);
  res.setHeader('Content-Encoding', chosen.name);
  res.sendFile(file + chosen.suffix, (error) => {
    if (error && !res.headersSent) next(error);
  });
}

/** Serves the built app's files precompressed where it can; everything else goes on to `next`. */
export function precompressed(root: string): express.RequestHandler {
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/api')) return next();
    let path: string;
    try {
      path = normalize(join(root, decodeURIComponent(req.path)));
    } catch {
      return next();
    }
    if (!path.startsWith(root + sep) || !isFile(path)) return next();
    sendBuilt(req, res, path, next);
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
