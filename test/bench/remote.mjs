// Remote destinations for `make bench` (issue 3): Cairn beside restic against the same OpenSSH server
// over SFTP, and Cairn against s3rver as a ratio to Cairn on a local folder (restic cannot write to
// s3rver: it streams uploads `aws-chunked`, which s3rver stores verbatim). The servers come from
// test/support, the same helpers the tests use, so the bench needs nothing the tests do not.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startS3 } from '../support/s3-server.mjs';
import { startSftp } from '../support/sftp-server.mjs';

/** Remote runs time the transfer-bound steps only: backup (upload) and restore (download). */
export const REMOTE_STEP_IDS = ['backup1', 'restore'];

export async function startRemotes(names) {
  const servers = {};
  try {
    if (names.includes('sftp')) servers.sftp = await startSftp();
    if (names.includes('s3')) servers.s3 = await startS3();
  } catch (err) {
    await stopRemotes(servers);
    throw err;
  }
  return servers;
}

export async function stopRemotes(servers) {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
}

/**
 * Tool definitions in bench.mjs's shape, each with the repository URL it works on. restic reaches the
 * server through OpenSSH's own client (its only way), told the key and the host key explicitly.
 */
export function remoteTools(servers, tools, stateDir) {
  const list = [];
  const { sftp, s3 } = servers;
  if (sftp) {
    list.push({ name: 'cairn-sftp', repo: sftp.url('cairn'), def: withEnv(tools.cairn, sftp.env) });
  }
  if (sftp && tools.restic) {
    const knownHosts = join(stateDir, 'restic-sftp-known_hosts');
    writeFileSync(knownHosts, `[${sftp.host}]:${sftp.port} ${sftp.hostKeyLine}\n`);
    const ssh =
      `ssh -i ${sftp.keyFile} -p ${sftp.port} -o UserKnownHostsFile=${knownHosts} ` +
      `-o StrictHostKeyChecking=yes -o BatchMode=yes ${sftp.user}@${sftp.host} -s sftp`;
    list.push({
      name: 'restic-sftp',
      repo: `sftp:${sftp.user}@${sftp.host}:${new URL(sftp.url('restic')).pathname}`,
      def: withArgs(tools.restic, ['-o', `sftp.command=${ssh}`]),
    });
  }
  if (s3) list.push({ name: 'cairn-s3', repo: s3.url('cairn'), def: withEnv(tools.cairn, s3.env) });
  return list;
}

function withEnv(def, extra) {
  return { ...def, env: (t) => ({ ...def.env(t), ...extra }) };
}

/** The same commands with `extra` after the program name (restic takes -o before its subcommand). */
function withArgs(def, extra) {
  const insert = (argv) => [argv[0], ...extra, ...argv.slice(1)];
  return {
    ...def,
    init: (t) => def.init(t).map(insert),
    backup: (t) => ({ ...def.backup(t), argv: insert(def.backup(t).argv) }),
    restore: (t) => ({ ...def.restore(t), argv: insert(def.restore(t).argv) }),
  };
}
