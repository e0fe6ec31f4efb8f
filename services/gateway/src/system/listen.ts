import type { INestApplication } from '@nestjs/common';

/** 8200, and when it is taken 8300, 8400, … (DESIGN §6). An explicitly configured port is not moved. */
export async function listenWithFallback(
  app: INestApplication,
  host: string,
  port: number | undefined,
  base = 8200,
): Promise<number> {
  const candidates = port !== undefined ? [port] : Array.from({ length: 10 }, (_, i) => base + i * 100);
  for (const candidate of candidates) {
    try {
      await app.listen(candidate, host);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || candidate === candidates.at(-1)) {
        throw new Error(
          `cannot listen on ${host}:${candidate}: ${(error as NodeJS.ErrnoException).code ?? error}`,
          { cause: error },
        );
      }
    }
  }
  throw new Error('no port to listen on');
}
