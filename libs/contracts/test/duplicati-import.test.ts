import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fromDuplicati, JobInput, type DuplicatiImport } from '../src/index.js';

const FIXTURE = new URL('../../test/fixtures/duplicati-export.json', import.meta.url);
const exported = () => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, Record<string, unknown>>;
const context = { sourceRoots: ['/source'], timezone: 'Europe/Berlin' };

function mapped(data: unknown = exported(), options = context): DuplicatiImport {
  const reading = fromDuplicati(data, options);
  assert.equal(reading.problem, null);
  return reading.import!;
}

/** The export with its Backup changed by `change`. */
function withBackup(change: (backup: Record<string, unknown>) => void): unknown {
  const data = exported();
  change(data['Backup']!);
  return data;
}

describe('a Duplicati job export as a Cairn job', () => {
  test('the name, the sources under the source roots, and a job the API accepts', () => {
    const { file, imported, notImported } = mapped();
    assert.equal(file.job.name, 'Family photos');
    assert.deepEqual(file.job.sources, ['/source/photos', '/source/documents']);
    assert.ok(imported.includes('the sources /source/photos, /source/documents.'));
    assert.ok(
      notImported.some((line) => line.startsWith('the source C:\\Users\\alice\\Desktop: it is not under')),
    );
    assert.ok(
      notImported.some((line) =>
        line.startsWith(
          'the source /home/alice/Music: it is not under the runner’s source folders (/source)',
        ),
      ),
    );
    const parsed = JobInput.safeParse({ ...file.job, destinationId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' });
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
  });

  test('excludes: globs and simple regexes map; includes, rich regexes and groups are listed', () => {
    const { file, notImported } = mapped();
    assert.deepEqual(file.job.excludes, [
      'node_modules',
      '*.tmp',
      '/source/photos/cache',
      '*.bak',
      '.thumbnails',
      'Thumbs.db',
    ]);
    const filterLines = notImported.filter((line) => /filter/.test(line));
    assert.equal(filterLines.length, 3);
    assert.match(
      filterLines[0]!,
      /include filter “\/source\/documents\/keep.tmp”.*add that folder as a source/,
    );
    assert.match(
      filterLines[1]!,
      /exclude filter “\[\.\*\\\.\(log\|old\)\$\]”: this regular expression has no glob/,
    );
    assert.match(filterLines[2]!, /“\{TemporaryFiles\}”: Duplicati’s built-in filter groups/);
  });

  test('an include before excludes warns that they may now exclude more', () => {
    const data = withBackup((backup) => {
      backup['Filters'] = ['+/source/photos/keep/', '-*.jpg'];
    });
    const { file, notImported } = mapped(data);
    assert.deepEqual(file.job.excludes, ['*.jpg']);
    assert.match(notImported.join('\n'), /the excludes after it may now exclude files it kept/);
  });

  test('the schedule: 01:30 UTC every weekday is 02:30 in Berlin, Monday to Friday', () => {
    const { file, imported } = mapped();
    assert.deepEqual(file.job.schedule, { cron: '30 2 * * 1,2,3,4,5', timezone: 'Europe/Berlin' });
    assert.ok(
      imported.includes(
        'the schedule, every day at 02:30 on Mon, Tue, Wed, Thu, Fri (Europe/Berlin): cron “30 2 * * 1,2,3,4,5”.',
      ),
    );
  });

  const repeats: [string, string, string | null, RegExp | null][] = [
    [
      '1h',
      '2026-03-02T01:15:00Z',
      '15 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 * * *',
      null,
    ],
    ['6h', '2026-03-02T01:15:00Z', '15 1,7,13,19 * * *', null],
    ['15m', '2026-03-02T01:05:00Z', '5,20,35,50 * * * *', null],
    ['1W', '2026-03-07T22:00:00Z', '0 22 * * 6', null],
    ['2W', '2026-03-07T22:00:00Z', '0 22 * * 6', /cannot skip weeks/],
    ['3D', '2026-03-07T22:00:00Z', '0 22 */3 * *', /day 1, 4, 7, … of each month/],
    ['1M', '2026-03-15T03:00:00Z', '0 3 15 * *', null],
    ['3M', '2026-02-15T03:00:00Z', '0 3 15 2,5,8,11 *', null],
    ['1Y', '2026-12-31T23:45:00Z', '45 23 31 12 *', null],
    ['7h', '2026-03-02T01:15:00Z', null, /no cron fires at that interval/],
    ['1D2h', '2026-03-02T01:15:00Z', null, /cannot read when it runs/],
  ];
  for (const [repeat, time, cron, note] of repeats) {
    test(`Repeat "${repeat}" from ${time} (UTC)`, () => {
      const data = exported();
      data['Schedule'] = { Repeat: repeat, Time: time, AllowedDays: [] };
      const { file, notImported } = mapped(data, { ...context, timezone: 'UTC' });
      assert.equal(file.job.schedule?.cron ?? null, cron);
      if (note) assert.match(notImported.join('\n'), note);
      if (cron) assert.ok(JobInput.shape.schedule.safeParse({ cron, timezone: 'UTC' }).success);
    });
  }

  test('no schedule: a manual job', () => {
    const data = exported();
    delete data['Schedule'];
    const { file, imported } = mapped(data);
    assert.equal(file.job.schedule, null);
    assert.ok(imported.some((line) => line.startsWith('no schedule')));
  });

  test('retention: the policy as Cairn’s Duplicati policy; keep-time and keep-versions as Cairn rules', () => {
    assert.deepEqual(mapped().file.job.retention, { policy: '1W:1D,4W:1W,12M:1M' });
    const data = withBackup((backup) => {
      backup['Settings'] = [
        { Name: 'keep-time', Value: '2W' },
        { Name: 'keep-versions', Value: '10' },
      ];
    });
    const { file, imported } = mapped(data);
    assert.deepEqual(file.job.retention, { keepLast: 10, keepWithin: '14d' });
    assert.match(imported.join('\n'), /Cairn keeps a snapshot any of them keeps/);
    const none = mapped(withBackup((backup) => (backup['Settings'] = [])));
    assert.equal(none.file.job.retention, null);
    const minutes = mapped(
      withBackup((backup) => (backup['Settings'] = [{ Name: 'keep-time', Value: '90m' }])),
    );
    assert.equal(minutes.file.job.retention, null);
    assert.match(minutes.notImported.join('\n'), /keep time “90m”/);
  });

  test('S3: the bucket on its server, region and storage class as options, keys as secrets never shown', () => {
    const { file, secrets, imported, notImported } = mapped();
    assert.deepEqual(file.destination, {
      name: 'S3 family-backups',
      url: 's3://s3.eu-central-1.amazonaws.com/family-backups/duplicati/photos',
      options: { region: 'eu-central-1', storageClass: 'STANDARD_IA' },
    });
    assert.deepEqual(secrets, { accessKeyId: 'AKIAEXAMPLEKEY', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG' });
    const said = [...imported, ...notImported].join('\n') + JSON.stringify(file);
    for (const secret of ['AKIAEXAMPLEKEY', 'wJalrXUtnFEMI', 'mail-secret', 'correct horse'])
      assert.ok(!said.includes(secret), `${secret} is not repeated`);
    assert.match(notImported.join('\n'), /destination options Cairn has no counterpart for: s3-client\./);
  });

  test('SSH: an SFTP destination; the password and inline key as secrets; the MD5 fingerprint is not pinned', () => {
    const data = withBackup((backup) => {
      backup['TargetURL'] =
        'ssh://nas.home:2222/volume1/backup/photos?auth-username=alice&auth-password=s3cr%26t' +
        '&ssh-fingerprint=ssh-ed25519%20256%2011%3A22%3A33&ssh-key=sshkey%3A%2F%2F-----BEGIN%20KEY-----';
    });
    const { file, secrets, imported, notImported } = mapped(data);
    assert.equal(file.destination.url, 'sftp://alice@nas.home:2222/volume1/backup/photos');
    assert.deepEqual(secrets, { password: 's3cr&t', privateKey: '-----BEGIN KEY-----' });
    assert.ok(
      imported.includes(
        'the destination, SFTP alice@nas.home:2222, folder /volume1/backup/photos; its credentials are filled in below.',
      ),
    );
    assert.match(notImported.join('\n'), /host key fingerprint/);
    assert.ok(!JSON.stringify([imported, notImported, file]).includes('s3cr'));
  });

  test('a folder (file://) destination; other destinations and bad files are refused in words', () => {
    const folder = mapped(withBackup((backup) => (backup['TargetURL'] = 'file:///mnt/usb%20disk/photos/')));
    assert.equal(folder.file.destination.url, '/mnt/usb disk/photos');
    const refused: [unknown, RegExp][] = [
      [
        withBackup((backup) => (backup['TargetURL'] = 'b2://bucket/folder?auth-username=x')),
        /writes to b2:\/\/, which Cairn cannot/,
      ],
      [withBackup((backup) => (backup['TargetURL'] = 'file://C:\\Backups')), /Windows drive/],
      [
        withBackup((backup) => (backup['Sources'] = ['/home/alice/'])),
        /None of the Duplicati job’s sources is under the runner’s source folders \(\/source\): \/home\/alice\./,
      ],
      [withBackup((backup) => (backup['Name'] = ' ')), /has no name/],
      [{ Backup: { Name: 'x' } }, /not a Duplicati job export/],
    ];
    for (const [data, problem] of refused) assert.match(fromDuplicati(data, context).problem ?? '', problem);
  });

  test('the passphrase when the export carries it; the other settings by name only', () => {
    const { passphrase, file, notImported } = mapped();
    assert.equal(passphrase, 'correct horse battery staple');
    assert.equal(file.job.compression, 'max');
    const lines = notImported.join('\n');
    assert.match(lines, /reports \(send-mail-to, send-mail-password\): set them up in Cairn again\./);
    assert.match(lines, /scripts run before or after a backup \(run-script-before\)/);
    assert.match(lines, /options Cairn has no counterpart for: snapshot-policy\./);
    assert.match(lines, /remote volume size \(50mb\)/);
    assert.match(lines, /Cairn cannot read Duplicati’s files/);
    const without = mapped(
      withBackup((backup) => (backup['Settings'] = [{ Name: 'encryption-module', Value: '' }])),
    );
    assert.equal(without.passphrase, null);
    assert.match(without.notImported.join('\n'), /Cairn always encrypts/);
  });
});
