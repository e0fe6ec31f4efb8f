// Writes file.br and file.gz beside every text file of the built app, once at build time, so the
// gateway sends them as they are (services/gateway/src/http/precompressed.ts) instead of 421 KB of
// plain JavaScript, and never compresses on each request.
//   node scripts/precompress.mjs [dir]     (default: dist/browser)
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Fonts and images are compressed already; these are not. */
const TEXT = /\.(js|mjs|css|html|json|svg|txt|map|webmanifest|ico)$/;
/** Below this a compressed copy saves less than the headers it costs. */
const MIN_BYTES = 1024;

export function precompress(dir) {
  const totals = { files: 0, bytes: 0, br: 0, gz: 0 };
  for (const name of readdirSync(dir, { recursive: true })) {
    const path = join(dir, name);
    if (!TEXT.test(path) || !statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    if (bytes.length < MIN_BYTES) continue;
    const br = brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    });
    const gz = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION });
    writeFileSync(`${path}.br`, br);
    writeFileSync(`${path}.gz`, gz);
    totals.files++;
    totals.bytes += bytes.length;
    totals.br += br.length;
    totals.gz += gz.length;
  }
  return totals;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? fileURLToPath(new URL('../dist/browser', import.meta.url));
  const { files, bytes, br, gz } = precompress(dir);
  const kb = (n) => `${Math.round(n / 1024)} KiB`;
  console.log(`precompressed ${files} files: ${kb(bytes)} → ${kb(br)} brotli, ${kb(gz)} gzip`);
}
