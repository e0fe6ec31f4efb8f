import { Command } from 'commander';
import { DEFAULT_SERVER_URL } from '../server/session.js';

/**
 * What the commands do is loaded when one runs: the server's contracts (zod schemas, NATS subjects)
 * take about 25 MiB that every other cairn command, a backup or restore among them, would carry.
 */
const actions = () => import('../server/actions.js');

/** `cairn server …`: drive a running Cairn server through its REST API (Duplicati's ServerUtil). */
export function serverCommand(): Command {
  const server = new Command('server').description('control a running Cairn server (jobs, runs, schedule)');
  const sub = (name: string, description: string) =>
    server
      .command(name)
      .description(description)
      .option('--url <url>', `the server (default: the one you signed in to, else ${DEFAULT_SERVER_URL})`);

  sub(
    'login',
    'sign in (password: CAIRN_SERVER_PASSWORD or a prompt); the session is kept in your config folder',
  ).action(async (flags) => (await actions()).login(flags));
  sub('logout', 'sign out and forget the session').action(async (flags) => (await actions()).logout(flags));
  sub('jobs', 'list the jobs with their last run')
    .option('--json', 'print as JSON')
    .action(async (flags) => (await actions()).jobs(flags));
  sub('run', 'run a job now')
    .argument('<job>', 'job name or id')
    .option('--wait', 'follow the run to its end; the exit code says how it ended (0, 3 warnings, 1 failed)')
    .action(async (ref, flags) => (await actions()).run(ref, flags));
  sub('status', 'whether the server is healthy, scheduling is paused, and what runs next').action(
    async (flags) => (await actions()).status(flags),
  );
  sub('pause', 'stop scheduled runs, for a while (e.g. 2h) or until resume; runs already going continue')
    .argument('[duration]', 'how long, e.g. 30m or 2h')
    .action(async (duration, flags) => (await actions()).pause(duration, flags));
  sub('resume', 'resume scheduled runs').action(async (flags) => (await actions()).resume(flags));
  sub('export', "print a job's configuration as JSON (or as the equivalent cairn backup command line)")
    .argument('<job>', 'job name or id')
    .option('--format <format>', 'json or cli', 'json')
    .action(async (ref, flags) => (await actions()).exportJob(ref, flags));
  sub('import', 'create a job from an exported file (the passphrase: CAIRN_PASSWORD or a prompt)')
    .argument('<file>', "a file written by cairn server export, or a job exported from Duplicati's UI")
    .action(async (file, flags) => (await actions()).importJob(file, flags));
  return server;
}
