// What each `cairn server …` command does (commands/server.ts declares them and loads this on use).
import { readFileSync } from 'node:fs';
import { CairnError, parseDuration } from '@cairn/engine';
import {
  API,
  fromDuplicati,
  isDuplicatiExport,
  serverSentEvents,
  type Job,
  type JobImport,
  type Run,
  type RunFinished,
  type RunProgress,
} from '@cairn/contracts';
import { EXIT } from '../exit-codes.js';
import { formatDuration, shortId, table } from '../format.js';
import { readPassword, readServerPassword } from '../password.js';
import { StatusOutput } from '../progress.js';
import { ServerClient } from './client.js';
import { clearSession, DEFAULT_SERVER_URL, sessionPath } from './session.js';

export interface UrlFlags {
  url?: string;
}

export async function login(flags: UrlFlags): Promise<void> {
  const client = await ServerClient.login(flags.url ?? DEFAULT_SERVER_URL, await readServerPassword());
  process.stdout.write(`signed in to ${client.url} (session in ${sessionPath()})\n`);
}

export async function logout(flags: UrlFlags): Promise<void> {
  await ServerClient.fromSession(flags.url).logout();
  clearSession();
  process.stdout.write('signed out\n');
}

export async function jobs(flags: UrlFlags & { json?: boolean }): Promise<void> {
  const client = ServerClient.fromSession(flags.url);
  const jobs = await client.call(API.jobs.list, {});
  const lastRuns = await Promise.all(
    jobs.map((job) =>
      client.call(API.jobs.runs, { params: { id: job.id }, query: { limit: 1 } }).then((runs) => runs[0]),
    ),
  );
  if (flags.json)
    return void process.stdout.write(
      `${JSON.stringify(jobs.map((job, i) => ({ ...job, lastRun: lastRuns[i] ?? null })))}\n`,
    );
  const rows = jobs.map((job, i) => [
    shortId(job.id),
    job.name,
    job.schedule?.cron ?? '-',
    job.enabled ? 'yes' : 'no',
    lastRuns[i] ? `${lastRuns[i].status} ${lastRuns[i].finishedAt ?? lastRuns[i].queuedAt}` : 'never',
  ]);
  process.stdout.write(`${table([['ID', 'Name', 'Schedule', 'Enabled', 'Last run'], ...rows])}\n`);
}

export async function run(ref: string, flags: UrlFlags & { wait?: boolean }): Promise<void> {
  const client = ServerClient.fromSession(flags.url);
  const job = await findJob(client, ref);
  const run = await client.call(API.jobs.run, { params: { id: job.id }, body: {} });
  process.stdout.write(`run ${run.id} of ${job.name} queued\n`);
  if (flags.wait) process.exitCode = await follow(client, run.id);
}

export async function status(flags: UrlFlags): Promise<void> {
  const client = ServerClient.fromSession(flags.url);
  const health = await client.call(API.system.health, {});
  const scheduler = await client.call(API.scheduler.status, {});
  const jobs = new Map((await client.call(API.jobs.list, {})).map((job) => [job.id, job.name]));
  process.stdout.write(
    `server ${client.url}: ${health.status} (NATS ${health.nats ? 'ok' : 'down'}, catalog ${health.catalog ? 'ok' : 'down'})\n`,
  );
  process.stdout.write(`scheduling: ${pausedText(scheduler.pausedUntil)}\n`);
  for (const next of scheduler.next)
    process.stdout.write(`  next: ${jobs.get(next.jobId) ?? next.jobId} at ${next.at}\n`);
}

export async function pause(duration: string | undefined, flags: UrlFlags): Promise<void> {
  const durationMs = duration ? parseDuration(duration) : null;
  const result = await ServerClient.fromSession(flags.url).call(API.scheduler.pause, {
    body: { durationMs },
  });
  process.stdout.write(`scheduling ${pausedText(result.pausedUntil)}\n`);
}

export async function resume(flags: UrlFlags): Promise<void> {
  await ServerClient.fromSession(flags.url).call(API.scheduler.resume, {});
  process.stdout.write('scheduling resumed\n');
}

export async function exportJob(ref: string, flags: UrlFlags & { format: string }): Promise<void> {
  const client = ServerClient.fromSession(flags.url);
  const job = await findJob(client, ref);
  // The server refuses a format it does not know, naming the ones it does.
  const format = flags.format as 'json' | 'cli';
  const exported = await client.call(API.jobs.export, { params: { id: job.id }, query: { format } });
  process.stdout.write(
    'commandLine' in exported ? `${exported.commandLine}\n` : `${JSON.stringify(exported, null, 2)}\n`,
  );
}

export async function importJob(file: string, flags: UrlFlags): Promise<void> {
  let exported: unknown;
  try {
    exported = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CairnError('usage', `cannot read ${file}: ${(error as Error).message}`);
  }
  const client = ServerClient.fromSession(flags.url);
  // The server checks the file's shape, naming the field it refuses.
  const body = isDuplicatiExport(exported)
    ? await fromDuplicatiFile(client, exported)
    : {
        ...(exported as JobImport),
        passphrase: await readPassword({ prompt: "the job's repository passphrase" }),
      };
  const job = await client.call(API.jobs.import, { body });
  process.stdout.write(`imported job ${job.name} (${job.id})\n`);
}

/**
 * A Duplicati job as an import: what maps and what does not is said on stderr; the passphrase is the
 * export's when it carried one. Sources are checked against the runner's roots, the schedule read in
 * this machine's time zone.
 */
async function fromDuplicatiFile(client: ServerClient, exported: unknown): Promise<JobImport> {
  const { sourceRoots } = await client.call(API.system.runner, {});
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const reading = fromDuplicati(exported, { sourceRoots, timezone });
  if (reading.problem !== null) throw new CairnError('usage', reading.problem);
  const { file, passphrase, secrets, imported, notImported } = reading.import;
  for (const line of imported) process.stderr.write(`imported: ${line}\n`);
  for (const line of notImported) process.stderr.write(`not imported: ${line}\n`);
  return {
    ...file,
    passphrase: passphrase ?? (await readPassword({ prompt: 'a passphrase for the new repository' })),
    ...(Object.keys(secrets).length ? { destinationSecrets: secrets } : {}),
  };
}

async function findJob(client: ServerClient, ref: string): Promise<Job> {
  const jobs = await client.call(API.jobs.list, {});
  const job =
    jobs.find((candidate) => candidate.id === ref || candidate.name === ref) ??
    jobs.find((candidate) => candidate.id.startsWith(ref));
  if (!job) throw new CairnError('not-found', `no job named or numbered "${ref}" on ${client.url}`);
  return job;
}

/** Shows the run's progress until it ends; returns the exit code its outcome maps to. */
async function follow(client: ServerClient, runId: string): Promise<number> {
  const output = new StatusOutput(false);
  for await (const event of serverSentEvents(
    await client.stream(API.runs.events, { params: { id: runId } }),
  )) {
    if (event.type === 'progress') {
      const progress = event.data as RunProgress;
      output.progress({ ...progress, currentPath: progress.currentPath });
    } else if (
      event.type === 'finished' ||
      (event.type === 'status' &&
        ['succeeded', 'warning', 'failed', 'cancelled'].includes((event.data as Run).status))
    ) {
      output.clear();
      const finished = event.data as RunFinished | Run;
      const took =
        finished.startedAt && finished.finishedAt
          ? ` in ${formatDuration(Date.parse(finished.finishedAt) - Date.parse(finished.startedAt))}`
          : '';
      process.stdout.write(`run ${finished.status}${took}${finished.error ? `: ${finished.error}` : ''}\n`);
      return (
        { succeeded: EXIT.ok, warning: EXIT.warnings, cancelled: EXIT.interrupted }[
          finished.status as string
        ] ?? EXIT.fatal
      );
    }
  }
  throw new CairnError('backend', 'the server closed the event stream before the run ended');
}

function pausedText(until: number | null): string {
  if (until === null || until <= Date.now()) return 'active';
  return until >= Number.MAX_SAFE_INTEGER
    ? 'paused until resumed'
    : `paused until ${new Date(until).toISOString()}`;
}
