#!/usr/bin/env node
// The chart's NATS users are those of the Compose stack: helm/cairn/files/nats-users.conf is
// deploy/nats/nats.conf (Helm reads no file outside the chart), made by this script and checked by
// test/helm/chart.test.mjs. Run it after changing deploy/nats/nats.conf.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE = join(ROOT, 'deploy', 'nats', 'nats.conf');
export const GENERATED = join(ROOT, 'helm', 'cairn', 'files', 'nats-users.conf');

/** What helm/cairn/files/nats-users.conf must hold. */
export function chartNatsUsers() {
  return (
    '# Generated from deploy/nats/nats.conf by `node helm/generate-nats-users.mjs`: edit that file, then\n' +
    '# run the script. The chart includes it in its NATS config when nats.auth.enabled.\n\n' +
    readFileSync(SOURCE, 'utf8')
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(GENERATED, chartNatsUsers());
  process.stdout.write(`wrote ${GENERATED}\n`);
}
