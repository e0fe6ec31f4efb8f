// End to end through the REST API only (issue 5): every service as a process (two runners, two
// schedulers) against real PostgreSQL, a NATS server of this suite's own (with each service's NATS
// user and permissions), and s3rver.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { API, ROUTES, send, urlOf } from '@cairn/contracts';
import { startStack } from '../../deploy/stack.mjs';
import { makeTempDir, pseudoRandomBytes, removeDir } from '../support/fs-tree.mjs';
import { startS3 } from '../support/s3-server.mjs';
import { databaseUrl, freePort, privateNats } from '../support/services.mjs';
import { smtpCapture } from '../../services/notifier/dist/test/support/receivers.js';
import { ApiClient } from './api-client.mjs';

const execFileAsync = promisify(execFile);
const CAIRN = new URL('../../libs/cli/bin/cairn.js', import.meta.url).pathname;
const DUPLICATI_FIXTURE = new URL(
  '../../libs/contracts/test/fixtures/duplicati-export.json',
  import.meta.url,
);
const FINISHED = new Set(['succeeded', 'warning', 'failed', 'cancelled']);
const PASSPHRASE = `job-passphrase-${randomBytes(6).toString('hex')}`;

describe('the Cairn server, end to end', () => {
  let dir, nats, s3, smtp, stack, api, source, restoreRoot;
  const secrets = [PASSPHRASE];

  before(async () => {
    dir = await makeTempDir('e2e');
    source = join(dir, 'source');
    restoreRoot = join(dir, 'restore');
    for (const folder of [source, restoreRoot, join(dir, 'cache')]) mkdirSync(folder, { recursive: true });
    await fs.mkdir(join(source, 'docs'));
    await fs.writeFile(join(source, 'docs', 'report.txt'), 'quarterly figures\n'.repeat(1000));
    await fs.writeFile(join(source, 'photo.jpg'), pseudoRandomBytes(3 * 1024 * 1024, 'photo'));
    // With the NATS users and permissions of deploy/nats/nats.conf: the real flows must get by with them.
    [nats, s3, smtp] = await Promise.all([privateNats({ auth: true }), startS3(), smtpCapture()]);
    secrets.push(s3.env.AWS_SECRET_ACCESS_KEY, ...Object.values(nats.passwords));
    const database = new URL(`/cairn_e2e_${randomBytes(4).toString('hex')}`, await databaseUrl()).href;
    stack = await startStack(
      {
        PATH: process.env.PATH,
        HOME: dir,
        NATS_URL: nats.url,
        ...nats.env,
        DATABASE_URL: database,
        CAIRN_SECRET_KEY: randomBytes(32).toString('hex'),
        CAIRN_PORT: String(await freePort()),
        CAIRN_SOURCE_ROOTS: source,
        CAIRN_RESTORE_ROOT: restoreRoot,
        CAIRN_CACHE_DIR: join(dir, 'cache'),
        CAIRN_SCHEDULER_TICK_MS: '200',
        // A killed runner's run goes to the other one after 8 s rather than a minute.
        CAIRN_RUNNER_ACK_WAIT_MS: '8000',
        CAIRN_LOG_LEVEL: 'info',
      },
      { runners: 2, schedulers: 2 },
    );
    assert.ok(stack.password, 'the first start generated an admin password and logged it once');
    secrets.push(stack.password);
    api = new ApiClient(stack.url);
  });

  after(async () => {
    await stack?.stop();
    await Promise.all([nats?.stop(), s3?.stop(), smtp?.stop()]);
    if (dir) await removeDir(dir);
  });

  /** Runs a job now and follows it to its end over SSE. */
  async function runToEnd(jobId) {
    const { json: run } = await api.call(API.jobs.run, { params: { id: jobId }, body: {} }, { expect: 202 });
    const events = await api.follow(run.id);
    const last = events.at(-1);
    assert.ok(
      last && (last.type === 'finished' || FINISHED.has(last.data.status)),
      `run ${run.id} ended: ${JSON.stringify(last)}`,
    );
    return { run, events, finished: last.data };
  }

  let folderJob;

  test('sign in with the generated password; a wrong one is refused', async () => {
    assert.equal((await api.call(API.auth.login, { body: { password: 'wrong password' } })).status, 401);
    await api.login(stack.password);
    assert.equal((await api.call(API.system.health, {}, { expect: 200 })).json.status, 'ok');
  });

  test('destinations: a folder and an S3 bucket are created and tested for real', async () => {
    const folder = await api.call(
      API.destinations.create,
      { body: { name: 'nas disk', url: join(dir, 'repo-folder') } },
      { expect: 201 },
    );
    const tested = await api.call(API.destinations.test, { params: { id: folder.json.id } }, { expect: 200 });
    assert.equal(tested.json.ok, true, tested.json.message);
    const bucket = await api.call(
      API.destinations.create,
      {
        body: {
          name: 'offsite',
          url: s3.url('e2e'),
          secrets: {
            AWS_ACCESS_KEY_ID: s3.env.AWS_ACCESS_KEY_ID,
            AWS_SECRET_ACCESS_KEY: s3.env.AWS_SECRET_ACCESS_KEY,
          },
        },
      },
      { expect: 201 },
    );
    assert.deepEqual(bucket.json.secrets, {
      AWS_ACCESS_KEY_ID: { set: true },
      AWS_SECRET_ACCESS_KEY: { set: true },
    });
    const s3Test = await api.call(API.destinations.test, { params: { id: bucket.json.id } }, { expect: 200 });
    assert.equal(s3Test.json.ok, true, s3Test.json.message);
  });

  test('an unsaved destination is tested before saving: a good folder passes, an unreachable S3 server fails in words', async () => {
    const good = await api.call(
      API.destinations.testUnsaved,
      { body: { url: join(dir, 'unsaved') } },
      { expect: 200 },
    );
    assert.equal(good.json.ok, true, good.json.message);
    const secret = 'an-unsaved-secret-key';
    const closedPort = await freePort();
    const bad = await api.call(
      API.destinations.testUnsaved,
      {
        body: {
          url: `s3+http://127.0.0.1:${closedPort}/nowhere`,
          secrets: { AWS_ACCESS_KEY_ID: 'someone', AWS_SECRET_ACCESS_KEY: secret },
        },
      },
      { expect: 200 },
    );
    assert.equal(bad.json.ok, false);
    assert.match(bad.json.message, new RegExp(`127\\.0\\.0\\.1:${closedPort}|connect|refused|reach`, 'i'));
    assert.ok(!bad.json.message.includes(secret), 'the secret is not echoed');
    assert.equal((await api.call(API.destinations.testUnsaved, { body: { url: '' } })).status, 400);
  });

  test('sources: / lists the runner source roots, a folder lists its entries, outside the roots is refused', async () => {
    const roots = await api.call(API.sources.list, {}, { expect: 200 });
    assert.deepEqual(
      roots.json.map((entry) => entry.path),
      [source],
    );
    const docs = await api.call(API.sources.list, { query: { path: source } }, { expect: 200 });
    assert.deepEqual(docs.json.map((entry) => entry.name).sort(), ['docs', 'photo.jpg']);
    const folders = await api.call(API.system.runner, {}, { expect: 200 });
    assert.deepEqual(folders.json, { sourceRoots: [source], restoreRoot });
    const outside = await api.call(API.sources.list, { query: { path: '/etc' } });
    assert.ok(outside.status >= 400 && outside.status < 500, `status ${outside.status}`);
    assert.equal((await api.call(API.sources.list, {}, { token: '' })).status, 401);
  });

  test('about: the version and every service answering', async () => {
    const about = await api.call(API.system.about, {}, { expect: 200 });
    assert.match(about.json.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(
      about.json.services.map((service) => [service.name, service.ok]),
      [
        ['gateway', true],
        ['catalog', true],
        ['scheduler', true],
        ['runner', true],
        ['notifier', true],
      ],
    );
  });

  test('a job runs, progress streams to succeeded, the snapshot appears and can be browsed', async () => {
    const destinations = (await api.call(API.destinations.list, {}, { expect: 200 })).json;
    for (const destination of destinations) {
      const job = await api.call(
        API.jobs.create,
        {
          body: {
            name: `photos to ${destination.name}`,
            sources: [source],
            destinationId: destination.id,
            passphrase: PASSPHRASE,
            retention: { keepLast: 5 },
          },
        },
        { expect: 201 },
      );
      assert.deepEqual(job.json.passphrase, { set: true });
      const { events, finished } = await runToEnd(job.json.id);
      assert.equal(finished.status, 'succeeded', JSON.stringify(finished));
      assert.ok(
        events.some((event) => event.type === 'progress' || event.type === 'status'),
        'live events arrived',
      );
      const snapshots = (await api.call(API.jobs.snapshots, { params: { id: job.json.id } }, { expect: 200 }))
        .json;
      assert.equal(snapshots.length, 1);
      const tree = await api.call(
        API.snapshots.tree,
        { params: { snapshotId: snapshots[0].id }, query: { jobId: job.json.id, path: source } },
        { expect: 200 },
      );
      assert.deepEqual(tree.json.map((entry) => entry.name).sort(), ['docs', 'photo.jpg']);
      if (destination.name === 'nas disk') folderJob = { ...job.json, snapshotId: snapshots[0].id };
    }
  });

  test('every service serves /metrics; the catalog’s has the backup that just ran', async () => {
    const urls = stack.lines
      .filter(({ line }) => line.includes('"msg":"metrics listening"'))
      .map(({ service, line }) => [service, JSON.parse(line).url]);
    assert.deepEqual(urls.map(([service]) => service).sort(), [
      'catalog',
      'gateway',
      'notifier',
      'runner',
      'runner',
      'scheduler',
      'scheduler',
    ]);
    for (const [service, url] of urls) {
      assert.match(await (await fetch(url)).text(), /^process_start_time_seconds \d+/m, service);
    }
    const catalog = await (await fetch(urls.find(([service]) => service === 'catalog')[1])).text();
    const series = (name, labels = '') =>
      Number(
        new RegExp(`^${name}\\{job_id="${folderJob.id}",job_name="[^"]+"${labels}\\} (\\S+)$`, 'm').exec(
          catalog,
        )?.[1],
      );
    assert.equal(series('cairn_job_last_run_status', ',kind="backup",status="succeeded"'), 1);
    assert.equal(series('cairn_job_last_backup_files', ',change="new"'), 2, 'report.txt and photo.jpg');
    assert.ok(series('cairn_job_last_backup_added_bytes') > 3 * 1024 * 1024, 'the photo is incompressible');
    assert.ok(series('cairn_job_repository_size_bytes') >= series('cairn_job_last_backup_added_bytes'));
    assert.equal(series('cairn_job_overdue'), 0);
  });

  test('restore one file under the restore root; the bytes are the original ones', async () => {
    const { json: run } = await api.call(
      API.restores.start,
      {
        body: {
          jobId: folderJob.id,
          snapshotId: folderJob.snapshotId,
          include: [join(source, 'docs', 'report.txt')],
          target: 'e2e',
        },
      },
      { expect: 202 },
    );
    const events = await api.follow(run.id);
    assert.equal(events.at(-1).data.status, 'succeeded', JSON.stringify(events.at(-1)));
    const restored = await fs.readFile(join(restoreRoot, 'e2e', source, 'docs', 'report.txt'));
    assert.ok(restored.equals(await fs.readFile(join(source, 'docs', 'report.txt'))));
    await assert.rejects(fs.stat(join(restoreRoot, 'e2e', source, 'photo.jpg')), { code: 'ENOENT' });
  });

  test('download a file, and a folder as a tar archive, straight from the repository', async () => {
    const download = (path, headers = { authorization: `Bearer ${api.token}` }) => {
      const input = { params: { snapshotId: folderJob.snapshotId }, query: { jobId: folderJob.id, path } };
      return send(stack.url, API.snapshots.download, input, { headers });
    };
    const file = await download(join(source, 'photo.jpg'));
    assert.equal(file.status, 200);
    assert.match(file.headers.get('content-disposition'), /filename\*=UTF-8''photo\.jpg/);
    assert.ok(Buffer.from(await file.arrayBuffer()).equals(await fs.readFile(join(source, 'photo.jpg'))));

    // A browser link carries a one-time ticket for that link, never the access token.
    const link = urlOf(API.snapshots.download, {
      params: { snapshotId: folderJob.snapshotId },
      query: { jobId: folderJob.id, path: source },
    });
    const { json: ticket } = await api.call(
      API.tickets.issue,
      { body: { purpose: 'download', path: link } },
      { expect: 201 },
    );
    const folder = await fetch(`${stack.url}${ticket.url}`);
    assert.equal(folder.status, 200);
    assert.equal(folder.headers.get('content-type'), 'application/x-tar');
    await fs.writeFile(join(dir, 'download.tar'), Buffer.from(await folder.arrayBuffer()));
    await fs.mkdir(join(dir, 'untar'));
    await execFileAsync('tar', ['-xf', join(dir, 'download.tar'), '-C', join(dir, 'untar')]);
    for (const name of ['photo.jpg', 'docs/report.txt']) {
      assert.ok(
        (await fs.readFile(join(dir, 'untar', 'source', name))).equals(await fs.readFile(join(source, name))),
        name,
      );
    }
    assert.equal((await download(join(source, 'nope'))).status, 404);
    assert.equal((await download(source, {})).status, 401);
    assert.equal((await fetch(`${stack.url}${ticket.url}`)).status, 401, 'a ticket opens its link once');
  });

  test('a job whose cron fires every 2 seconds runs by itself exactly once per fire, with two schedulers', async () => {
    const destination = (await api.call(API.destinations.list, {})).json.find((d) => d.name === 'nas disk');
    const { json: job } = await api.call(
      API.jobs.create,
      {
        body: {
          name: 'every two seconds',
          sources: [join(source, 'docs')],
          destinationId: destination.id,
          passphrase: PASSPHRASE,
          schedule: { cron: '*/2 * * * * *', timezone: 'UTC' },
        },
      },
      { expect: 201 },
    );
    await new Promise((resolve) => setTimeout(resolve, 7000));
    await api.call(API.jobs.update, { params: { id: job.id }, body: { enabled: false } }, { expect: 200 });
    const runs = (
      await api.call(API.jobs.runs, { params: { id: job.id }, query: { limit: '100' } }, { expect: 200 })
    ).json;
    assert.ok(runs.length >= 2 && runs.length <= 4, `${runs.length} runs in 7 s at one fire every 2 s`);
    assert.ok(runs.every((run) => run.trigger === 'schedule'));
    const queued = runs.map((run) => Date.parse(run.queuedAt)).sort((a, b) => a - b);
    for (let i = 1; i < queued.length; i++)
      assert.ok(queued[i] - queued[i - 1] >= 1500, `two runs for one fire: ${JSON.stringify(runs)}`);
  });

  test('export a job as JSON and as a command line, and import it back', async () => {
    const { json: exported } = await api.call(
      API.jobs.export,
      { params: { id: folderJob.id } },
      {
        expect: 200,
      },
    );
    assert.equal(exported.job.name, folderJob.name);
    assert.ok(!JSON.stringify(exported).includes(PASSPHRASE), 'an export carries no passphrase');
    const { json: cli } = await api.call(
      API.jobs.export,
      { params: { id: folderJob.id }, query: { format: 'cli' } },
      {
        expect: 200,
      },
    );
    assert.match(
      cli.commandLine,
      new RegExp(`cairn backup --repo .*repo-folder/${folderJob.repositoryPath} --host cairn `),
    );
    assert.doesNotMatch(cli.commandLine, /--tag/, 'the server tags no snapshot');
    assert.match(cli.commandLine, /\ncairn forget --repo .* --keep-last 5 --time-zone UTC --prune$/);
    // One repository, one job: a copy on the same destination needs a repository of its own.
    const copy = { ...exported, job: { ...exported.job, name: 'imported copy' }, passphrase: PASSPHRASE };
    const clash = await api.call(API.jobs.import, { body: copy }, { expect: 409 });
    assert.equal(clash.json.error.field, 'repositoryPath');
    const imported = await api.call(
      API.jobs.import,
      { body: { ...copy, job: { ...copy.job, repositoryPath: 'imported-copy' } } },
      { expect: 201 },
    );
    assert.equal(imported.json.destinationId, folderJob.destinationId, 'the same destination is reused');
    assert.deepEqual(imported.json.sources, folderJob.sources);

    // The repository is self-describing: the exported command line's repository opens with the CLI.
    const { stdout } = await execFileAsync(
      process.execPath,
      [CAIRN, 'snapshots', '--repo', join(dir, 'repo-folder', folderJob.repositoryPath), '--json'],
      {
        env: { PATH: process.env.PATH, CAIRN_PASSWORD: PASSPHRASE },
      },
    );
    assert.ok(JSON.parse(stdout).some((snapshot) => snapshot.id === folderJob.snapshotId));

    // The exported commands work as they are: run as a script, their backup continues the server's
    // snapshot line (its parent is the server's last snapshot), and the retention runs.
    await execFileAsync(
      'bash',
      ['-e', '-c', `cairn() { "${process.execPath}" "${CAIRN}" "$@"; }\n${cli.commandLine}`],
      { env: { PATH: process.env.PATH, CAIRN_PASSWORD: PASSPHRASE } },
    );
    const after = JSON.parse(
      (
        await execFileAsync(
          process.execPath,
          [CAIRN, 'snapshots', '--repo', join(dir, 'repo-folder', folderJob.repositoryPath), '--json'],
          { env: { PATH: process.env.PATH, CAIRN_PASSWORD: PASSPHRASE } },
        )
      ).stdout,
    );
    assert.ok(
      after.some((snapshot) => snapshot.parent === folderJob.snapshotId),
      `a snapshot made by the exported command follows the server's: ${JSON.stringify(after)}`,
    );
  });

  test('cairn server: login, jobs, run --wait, status, pause and resume', async () => {
    const env = {
      PATH: process.env.PATH,
      XDG_CONFIG_HOME: join(dir, 'config'),
      CAIRN_SERVER_PASSWORD: stack.password,
    };
    const cairn = (...args) => execFileAsync(process.execPath, [CAIRN, 'server', ...args], { env });
    await cairn('login', '--url', stack.url);
    const mode = (await fs.stat(join(dir, 'config', 'cairn', 'server.json'))).mode & 0o777;
    assert.equal(mode, 0o600, 'the session file is private');
    assert.match((await cairn('jobs')).stdout, /photos to nas disk/);
    const run = await cairn('run', folderJob.name, '--wait');
    assert.match(run.stdout, /run succeeded/);
    assert.match((await cairn('pause', '1h')).stdout, /paused until/);
    assert.match((await cairn('status')).stdout, /scheduling: paused until/);
    assert.match((await cairn('resume')).stdout, /resumed/);
  });

  test('cairn server import takes a Duplicati export: says what maps and what does not, echoes no secret', async () => {
    const env = {
      PATH: process.env.PATH,
      XDG_CONFIG_HOME: join(dir, 'config-duplicati'),
      CAIRN_SERVER_PASSWORD: stack.password,
    };
    const cairn = (...args) => execFileAsync(process.execPath, [CAIRN, 'server', ...args], { env });
    await cairn('login', '--url', stack.url);
    const exported = JSON.parse(await fs.readFile(DUPLICATI_FIXTURE, 'utf8'));
    exported.Backup.Name = 'from duplicati';
    exported.Backup.Sources = [`${join(source, 'docs')}/`, '/home/alice/Music/'];
    exported.Backup.TargetURL =
      'ssh://nas.example:2222/volume1/duplicati?auth-username=alice&auth-password=sftp-s3cret' +
      '&ssh-fingerprint=ssh-ed25519%20256%2011%3A22';
    const file = join(dir, 'duplicati-export.json');
    await fs.writeFile(file, JSON.stringify(exported));
    const { stdout, stderr } = await cairn('import', file);
    assert.match(stdout, /^imported job from duplicati \(/);
    assert.match(stderr, /^imported: the sources .*\/source\/docs\.$/m);
    assert.match(stderr, /^not imported: the source \/home\/alice\/Music: it is not under/m);
    assert.match(stderr, /^not imported: the backups Duplicati made: Cairn cannot read/m);
    for (const secret of ['sftp-s3cret', 'correct horse', 'mail-secret'])
      assert.ok(!`${stdout}${stderr}`.includes(secret), `${secret} is not echoed`);
    // Its own session: this test runs alone too.
    const admin = new ApiClient(stack.url);
    await admin.login(stack.password);
    const job = (await admin.call(API.jobs.list, {})).json.find(
      (candidate) => candidate.name === 'from duplicati',
    );
    assert.deepEqual(job.sources, [join(source, 'docs')]);
    assert.deepEqual(job.retention, { policy: '1W:1D,4W:1W,12M:1M' });
    const destination = (await admin.call(API.destinations.get, { params: { id: job.destinationId } })).json;
    assert.equal(destination.url, 'sftp://alice@nas.example:2222/volume1/duplicati');
    assert.deepEqual(destination.secrets.password, { set: true }, 'the password is stored as a secret');
    assert.ok(!JSON.stringify(destination).includes('sftp-s3cret'));
  });

  test('a runner killed with SIGKILL mid-backup: the run still ends succeeded on the other runner', async () => {
    const big = join(source, 'big');
    await fs.mkdir(big);
    for (let i = 0; i < 4; i++)
      await fs.writeFile(join(big, `part-${i}`), pseudoRandomBytes(32 * 1024 * 1024, `big-${i}`));
    const destination = (await api.call(API.destinations.list, {})).json.find((d) => d.name === 'nas disk');
    const { json: job } = await api.call(
      API.jobs.create,
      {
        body: {
          name: 'big one',
          sources: [big],
          destinationId: destination.id,
          passphrase: PASSPHRASE,
          compression: 'max',
        },
      },
      { expect: 201 },
    );
    const { json: run } = await api.call(API.jobs.run, { params: { id: job.id }, body: {} }, { expect: 202 });
    // The runner that took the run is the one whose log names it (SSE may connect after it started).
    const holderOf = () =>
      stack.lines.find((entry) => entry.service === 'runner' && entry.line.includes(run.id))?.child;
    let killed;
    // A deadline, not a speed: a busy machine compresses slowly.
    const events = await api.follow(run.id, 540_000, (event) => {
      // Mid-backup: the runner that took the run has read some data, far from all of it.
      if (!killed && event.type === 'progress' && event.data.bytesDone > 0 && holderOf()) {
        killed = holderOf();
        killed.kill('SIGKILL');
      }
    });
    assert.ok(killed, 'the run was seen running, and its runner killed');
    assert.equal(events.at(-1).data.status, 'succeeded', JSON.stringify(events.at(-1)));
    const survivor = stack.lines.find(
      (entry) => entry.service === 'runner' && entry.line.includes(run.id) && entry.child !== killed,
    );
    assert.ok(survivor, 'the redelivered request ran on the other runner');
    assert.equal(stack.running('runner').length, 1);
  });

  test('a backup that fails (unreachable destination) is reported by email through the default channel', async () => {
    await api.call(
      API.channels.create,
      {
        body: {
          name: 'admin mail',
          kind: 'email',
          settings: { url: smtp.url, from: 'cairn@nas.example', to: ['admin@home.example'] },
          default: true,
        },
      },
      { expect: 201 },
    );
    const closed = await freePort();
    const { json: nowhere } = await api.call(
      API.destinations.create,
      {
        body: {
          name: 'switched off',
          url: `s3+http://127.0.0.1:${closed}/bucket/cairn`,
          secrets: { AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 'unused-secret' },
        },
      },
      { expect: 201 },
    );
    const { json: job } = await api.call(
      API.jobs.create,
      {
        body: {
          name: 'offsite copy',
          sources: [join(source, 'docs')],
          destinationId: nowhere.id,
          passphrase: PASSPHRASE,
        },
      },
      { expect: 201 },
    );
    const { run, finished } = await runToEnd(job.id);
    assert.equal(finished.status, 'failed');
    for (let waited = 0; smtp.mails.length === 0 && waited < 60_000; waited += 200)
      await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(smtp.mails.length, 1, 'exactly one report');
    const [mail] = smtp.mails;
    assert.match(mail.subject, /offsite copy/);
    assert.match(mail.subject + mail.text, /fail/i);
    assert.deepEqual(
      mail.to.value.map((address) => address.address),
      ['admin@home.example'],
    );
    const deliveries = (
      await api.call(
        API.channels.deliveries,
        { params: { id: (await api.call(API.channels.list)).json[0].id } },
        { expect: 200 },
      )
    ).json;
    // A backup that could not even open its destination did no work at all: level fatal.
    assert.ok(
      deliveries.some(
        (delivery) => delivery.status === 'delivered' && ['error', 'fatal'].includes(delivery.level),
      ),
      JSON.stringify(deliveries),
    );
    // The run page lists the same attempts, of this run alone.
    const ofRun = (await api.call(API.runs.deliveries, { params: { id: run.id } }, { expect: 200 })).json;
    assert.ok(ofRun.length > 0);
    assert.deepEqual(
      ofRun.map(({ id }) => id),
      deliveries.filter((delivery) => delivery.runId === run.id).map(({ id }) => id),
    );
  });

  test('every declared route but the public ones is 401 without a token', async () => {
    for (const route of ROUTES.filter((candidate) => !candidate.public)) {
      const params = Object.fromEntries(Object.keys(route.params?.shape ?? {}).map((name) => [name, 'x']));
      const body = route.body ? {} : undefined;
      const { status } = await send(stack.url, route, { params, body });
      assert.equal(status, 401, `${route.method} ${route.path}`);
    }
  });

  test('NATS refused nothing the services did: their permissions (deploy/nats/nats.conf) suffice', () => {
    const violations = nats
      .log()
      .split('\n')
      .filter((line) => /Violation/.test(line));
    assert.deepEqual(violations, []);
  });

  test('no secret ever appears in an API response or a log line', () => {
    for (const secret of secrets) {
      const inBody = api.bodies.find((body) => body.includes(secret));
      assert.equal(inBody, undefined, `a response holds a secret: ${inBody?.slice(0, 200)}`);
      const inLog = stack.lines.filter((entry) => entry.line.includes(secret));
      // The generated admin password is printed exactly once, at first start, by design.
      const allowed = secret === stack.password ? 1 : 0;
      assert.equal(
        inLog.length,
        allowed,
        `log lines hold a secret: ${inLog.map((entry) => entry.line).join('\n')}`,
      );
    }
  });
});
