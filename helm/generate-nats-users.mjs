#!/usr/bin/env node
// The chart's NATS users are those of the Compose stack and those of the cluster's own services:
// helm/cairn/files/nats-users.conf is deploy/nats/nats.conf with deploy/nats/cluster-users.conf in
// its list of users (Helm reads no file outside the chart), made by this script and checked by
// test/helm/chart.test.mjs. Run it after changing either.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE = join(ROOT, 'deploy', 'nats', 'nats.conf');
/** The users of the services only a cluster runs (the volume controller), added to those of SOURCE. */
export const CLUSTER_SOURCE = join(ROOT, 'deploy', 'nats', 'cluster-users.conf');
export const GENERATED = join(ROOT, 'helm', 'cairn', 'files', 'nats-users.conf');

/** The end of nats.conf's list of users, before which the cluster's users go. */
const USERS_END = '\n  ]\n}\n';

/** What helm/cairn/files/nats-users.conf must hold. */
export function chartNatsUsers() {
  const source = readFileSync(SOURCE, 'utf8');
  if (!source.endsWith(USERS_END)) throw new Error(`${SOURCE} must end with its list of users`);
  const clusterUsers = readFileSync(CLUSTER_SOURCE, 'utf8').replace(/^#.*\n/gm, '');
  return (
    '# Generated from deploy/nats/nats.conf and deploy/nats/cluster-users.conf by\n' +
    '# `node helm/generate-nats-users.mjs`: edit those, then run the script. The chart includes it in\n' +
    '# its NATS config when nats.auth.enabled.\n\n' +
    source.slice(0, -USERS_END.length + 1) +
    clusterUsers +
    USERS_END.slice(1)
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(GENERATED, chartNatsUsers());
  process.stdout.write(`wrote ${GENERATED}\n`);
}
