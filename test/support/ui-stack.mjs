// The real stack serving the built web app, for the browser tests and for looking at the UI by hand:
//   node test/support/ui-stack.mjs        prints the URL and password, runs until Ctrl-C
// CAIRN_UI_DIR picks another build of the app (default: frontend/dist/browser).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../../deploy/stack.mjs';
import { makeTempDir, pseudoRandomBytes, removeDir } from './fs-tree.mjs';
import { databaseUrl, freePort, privateNats } from './services.mjs';

const BUILT_UI = fileURLToPath(new URL('../../frontend/dist/browser', import.meta.url));
export const ADMIN_PASSWORD = 'correct horse battery staple';

/** A little tree to back up: text that compresses, random bytes that do not, nested folders. */
async function writeSampleSource(source, largeFileMiB) {
  await fs.mkdir(join(source, 'documents', 'reports'), { recursive: true });
  await fs.mkdir(join(source, 'photos', '2026'), { recursive: true });
  await fs.writeFile(join(source, 'documents', 'reports', 'q3.txt'), 'quarterly figures\n'.repeat(4000));
  await fs.writeFile(join(source, 'documents', 'notes.md'), '# Notes\n\nBack up everything.\n');
  await fs.writeFile(join(source, 'photos', '2026', 'lake.jpg'), pseudoRandomBytes(6 * 1024 * 1024, 'lake'));
  await fs.writeFile(join(source, 'photos', '2026', 'hill.jpg'), pseudoRandomBytes(2 * 1024 * 1024, 'hill'));
  if (largeFileMiB) {
    await fs.mkdir(join(source, 'videos'));
    await fs.writeFile(
      join(source, 'videos', 'holiday.bin'),
      pseudoRandomBytes(largeFileMiB * 1024 * 1024, 'video'),
    );
  }
}

/**
 * Every service as a process against real PostgreSQL (a fresh database) and a NATS server of its
 * own, with a source root holding sample files, a restore root and a destination folder.
 */
/** `largeFileMiB` adds videos/holiday.bin of that size: a backup long enough to watch its progress. */
export async function startUiStack({
  uiDir = process.env.CAIRN_UI_DIR || BUILT_UI,
  largeFileMiB = 0,
  onLine,
} = {}) {
  if (!existsSync(join(uiDir, 'index.html')))
    throw new Error(`the web app is not built at ${uiDir}: run make build (or ng build in frontend/)`);
  const dir = await makeTempDir('ui');
  const source = join(dir, 'source');
  const restoreRoot = join(dir, 'restore');
  const destination = join(dir, 'destination');
  for (const folder of [source, restoreRoot, destination, join(dir, 'cache')])
    mkdirSync(folder, { recursive: true });
  await writeSampleSource(source, largeFileMiB);
  const nats = await privateNats();
  const database = new URL(`/cairn_ui_${randomBytes(4).toString('hex')}`, await databaseUrl()).href;
  let stack;
  try {
    stack = await startStack(
      {
        PATH: process.env.PATH,
        HOME: dir,
        NATS_URL: nats.url,
        DATABASE_URL: database,
        CAIRN_SECRET_KEY: randomBytes(32).toString('hex'),
        CAIRN_ADMIN_PASSWORD: ADMIN_PASSWORD,
        CAIRN_PORT: String(await freePort()),
        CAIRN_SOURCE_ROOTS: source,
        CAIRN_RESTORE_ROOT: restoreRoot,
        CAIRN_CACHE_DIR: join(dir, 'cache'),
        CAIRN_UI_DIR: uiDir,
        CAIRN_LOG_LEVEL: 'info',
      },
      { onLine },
    );
  } catch (error) {
    await nats.stop();
    await removeDir(dir);
    throw error;
  }
  return {
    url: stack.url,
    password: ADMIN_PASSWORD,
    /** The catalog's PostgreSQL database, for a test that stores what the API would refuse. */
    database,
    dir,
    source,
    restoreRoot,
    destination,
    stack,
    async stop() {
      await stack.stop();
      await nats.stop();
      await removeDir(dir);
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ui = await startUiStack();
  console.log(`Cairn is at ${ui.url}  (admin password: ${ui.password})`);
  console.log(
    `source root ${ui.source}; restore root ${ui.restoreRoot}; a folder destination: ${ui.destination}`,
  );
  const stop = () => ui.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
