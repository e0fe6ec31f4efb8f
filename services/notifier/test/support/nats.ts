import { fileURLToPath } from 'node:url';

type Services = typeof import('../../../../test/support/services.mjs');

/** The repository's resolver of real servers (compiled tests run from dist/). */
export const services = (await import(
  fileURLToPath(new URL('../../../../../test/support/services.mjs', import.meta.url))
)) as Services;
