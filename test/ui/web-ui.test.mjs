// The web UI in Debian's Chromium (playwright-core) against the real stack: every service as a
// process, real PostgreSQL, a NATS server of this suite's own, the app as the gateway serves it.
// Screenshots of every main screen, desktop and phone, go to test-results/screenshots.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { hostname } from 'node:os';
import { API, repositoryUrl } from '@cairn/contracts';
import { openBackend, Repository } from '@cairn/engine';
import { launchBrowser, VIEWPORTS } from '../support/browser.mjs';
import { startSftp } from '../support/sftp-server.mjs';
import { pseudoRandomBytes } from '../support/fs-tree.mjs';
import { startUiStack } from '../support/ui-stack.mjs';
import { eventually } from '../support/eventually.mjs';
import { ApiClient } from '../e2e/api-client.mjs';

const execFileAsync = promisify(execFile);
const JOB_NAME = 'Documents';
/** Material's step change animates; until it ends, the previous step still counts as visible. */
const STEP_ANIMATION_MS = 700;
const SHOTS = new URL('../../test-results/screenshots/', import.meta.url).pathname;
const DUPLICATI_FIXTURE = new URL(
  '../../libs/contracts/test/fixtures/duplicati-export.json',
  import.meta.url,
);

describe('the web UI in Chromium, against the real stack', () => {
  let ui, sftp, browser, context, page;
  /** Script errors and console errors (a CSP violation shows as one), except refused requests. */
  const pageErrors = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [ui, sftp] = await Promise.all([startUiStack({ largeFileMiB: 256 }), startSftp()]);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: VIEWPORTS.desktop });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        pageErrors.push(message.text());
    });
  });

  after(async () => {
    await browser?.close();
    await ui?.stop();
    await sftp?.stop();
  });

  /** Two boxes on screen do not cover each other (a hint over an error, a label under a suffix). */
  async function assertApart(first, second, what) {
    const [a, b] = await Promise.all([first.boundingBox(), second.boundingBox()]);
    assert.ok(a && b, `${what}: both are on screen`);
    const overlap =
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    assert.ok(!overlap, `${what} overlap: ${JSON.stringify([a, b])}`);
  }

  /** The element shows all of itself: nothing scrolled or cut off sideways. */
  async function assertNotClipped(locator, what) {
    const { scrollWidth, clientWidth } = await locator.evaluate((element) => ({
      scrollWidth: element.scrollWidth,
      clientWidth: element.clientWidth,
    }));
    assert.ok(scrollWidth <= clientWidth, `${what} is clipped: ${scrollWidth} px in ${clientWidth} px`);
  }

  /** On a phone, then back on the desktop. */
  async function onPhone(work) {
    await page.setViewportSize(VIEWPORTS.phone);
    try {
      await page.waitForTimeout(STEP_ANIMATION_MS);
      await work();
    } finally {
      await page.setViewportSize(VIEWPORTS.desktop);
    }
  }

  /** The current page on a desktop and, resized in place (so a wizard keeps its step), on a phone. */
  async function screenshots(name) {
    // Let ripples and check marks finish animating.
    await page.waitForTimeout(STEP_ANIMATION_MS);
    await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
    await assertEveryControlNamed(`${name} (desktop)`);
    await assertIconsDrawn(name);
    await page.setViewportSize(VIEWPORTS.phone);
    await page.waitForTimeout(STEP_ANIMATION_MS);
    await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
    await assertEveryControlNamed(`${name} (phone)`);
    await assertNoSidewaysScroll(`${name} (phone)`);
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.waitForTimeout(STEP_ANIMATION_MS);
  }

  /** Nothing is wider than the screen: a phone never scrolls sideways. */
  async function assertNoSidewaysScroll(where) {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    assert.ok(
      scrollWidth <= innerWidth,
      `${where}: the page is ${scrollWidth} px wide on a ${innerWidth} px screen`,
    );
  }

  /** Every visible link and button has a name a screen reader can announce (text, label or title). */
  async function assertEveryControlNamed(where) {
    const nameless = await page.$$eval('a, button, [role="button"], [role="tab"]', (controls) =>
      controls
        .filter(
          (control) =>
            control.checkVisibility({ visibilityProperty: true }) && !control.closest('[aria-hidden="true"]'),
        )
        .filter((control) => {
          const labelledBy = control.getAttribute('aria-labelledby');
          // The text a screen reader reads: every shown text node not inside an aria-hidden element.
          const walker = document.createTreeWalker(control, NodeFilter.SHOW_TEXT);
          let text = '';
          for (let node = walker.nextNode(); node; node = walker.nextNode())
            if (!node.parentElement.closest('[aria-hidden="true"]') && node.parentElement.checkVisibility())
              text += node.textContent;
          const name =
            control.getAttribute('aria-label') ||
            (labelledBy && document.getElementById(labelledBy)?.textContent) ||
            text ||
            control.getAttribute('title') ||
            '';
          return !name.trim();
        })
        .map((control) => control.outerHTML.slice(0, 160)),
    );
    assert.deepEqual(nameless, [], `links and buttons without a name on ${where}`);
  }

  /**
   * Every visible icon is drawn as a glyph: a name missing from the app's cut-down icon font would
   * show as its letters, a box much wider than it is tall.
   */
  async function assertIconsDrawn(where) {
    await page.evaluate(() => document.fonts.ready);
    const asText = await page.$$eval('mat-icon', (icons) =>
      icons
        .filter((icon) => icon.checkVisibility({ visibilityProperty: true }))
        .filter((icon) => {
          // The drawn text's own width (padding aside) against the icon's size.
          const range = document.createRange();
          range.selectNodeContents(icon);
          return (
            range.getBoundingClientRect().width > Number.parseFloat(getComputedStyle(icon).fontSize) * 1.5
          );
        })
        .map((icon) => icon.textContent.trim()),
    );
    assert.deepEqual(asText, [], `icons shown as words on ${where}`);
  }

  /** Every form control on the page has a name a screen reader announces. */
  async function assertEveryInputLabelled() {
    const unlabelled = await page.$$eval('input, select, textarea', (controls) =>
      controls
        .filter((control) => control.type !== 'hidden' && !control.closest('[aria-hidden="true"]'))
        .filter(
          (control) =>
            !(
              control.labels?.length ||
              control.getAttribute('aria-label') ||
              control.getAttribute('aria-labelledby')
            ),
        )
        .map((control) => control.outerHTML.slice(0, 120)),
    );
    assert.deepEqual(unlabelled, [], 'inputs without a label');
  }

  test('a wrong password shows an error a person understands; the right one signs in', async () => {
    const script = page.waitForResponse((response) => /\/main-\w+\.js$/.test(response.url()));
    await page.goto(ui.url);
    // The build's brotli copy, as Chromium accepts it (make build precompresses the app).
    assert.equal((await (await script).allHeaders())['content-encoding'], 'br');
    await page.waitForURL(/\/sign-in/);
    await assertEveryInputLabelled();
    await screenshots('sign-in');
    await page.getByLabel('Admin password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /password/i);
    await onPhone(async () => {
      await assertApart(
        page.getByText('The first start of the gateway'),
        alert,
        'the sign-in hint and error',
      );
      const field = await page.locator('mat-form-field').boundingBox();
      const button = await page.getByRole('button', { name: 'Sign in' }).boundingBox();
      assert.ok(
        button.x + button.width <= field.x + field.width + 1,
        'the button stays in line with the field',
      );
      await page.screenshot({ path: join(SHOTS, 'sign-in-error-phone.png') });
    });
    await page.getByLabel('Admin password').fill(ui.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  });

  test('the session survives a page reload (silent refresh from the cookie)', async () => {
    await page.goto(`${ui.url}/settings`);
    await page.waitForLoadState('networkidle');
    assert.equal(new URL(page.url()).pathname, '/settings');
  });

  test('an empty dashboard leads to the first backup; the wizard refuses bad input in words and creates the job', async () => {
    await page.goto(ui.url);
    await page.getByRole('heading', { name: 'No backups yet' }).waitFor();
    await screenshots('dashboard-empty');
    await page.getByRole('link', { name: 'Create your first backup' }).click();
    await page.waitForURL(/\/jobs\/new$/);
    const next = async () => {
      await page.getByRole('button', { name: 'Next' }).filter({ visible: true }).click();
      await page.waitForTimeout(STEP_ANIMATION_MS);
    };

    await next();
    await page.getByText('Give the backup a name').waitFor();
    await page.getByLabel('Backup name').fill(JOB_NAME);
    await page.getByLabel('Passphrase', { exact: true }).fill('short');
    await page.getByLabel('Repeat passphrase').fill('shorter');
    await next();
    await page.getByText('The passphrase needs at least 8 characters').waitFor();
    // The weakest are refused as the catalog refuses them; a merely weak one is warned about.
    await page.getByLabel('Passphrase', { exact: true }).fill('Password1!');
    await page.getByText('This passphrase is among the first a guesser tries').waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill('lanterns');
    await page.getByRole('meter', { name: 'Passphrase strength' }).waitFor();
    await page.locator('.strength-text .weak').waitFor();
    assert.match(await page.locator('.strength-text strong').innerText(), /^Weak$/);
    await page.getByLabel('Passphrase', { exact: true }).fill('a long job passphrase');
    await page.getByLabel('Repeat passphrase').fill('a long job passphrase');
    await assertEveryInputLabelled();
    await screenshots('wizard-general');
    await next();

    // An SFTP server the runner has never met: the test names its key and offers to trust it.
    await page.getByRole('radio', { name: 'SFTP', exact: true }).click();
    await page.getByLabel('User').waitFor();
    await page.getByLabel('User').fill(sftp.user);
    await page.getByLabel('Host', { exact: true }).fill(sftp.host);
    await page.getByLabel('Port').fill(String(sftp.port));
    await page.getByLabel('Folder on the server').fill(`${sftp.root}/made-by-the-test/repo`);
    await page.getByRole('textbox', { name: 'Private key' }).fill(readFileSync(sftp.keyFile, 'utf8'));
    await page.getByRole('button', { name: 'Test connection' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Connection failed' });
    await refused.waitFor();
    const refusal = await refused.innerText();
    assert.ok(refusal.includes(sftp.hostKey), refusal);
    assert.doesNotMatch(refusal, /--sftp|known_hosts|CAIRN_|\d ms/);
    await screenshots('wizard-destination-host-key');
    await page.getByRole('button', { name: 'Trust this key' }).click();
    await page.getByRole('status').filter({ hasText: 'Connection works' }).waitFor();
    assert.equal(await page.getByLabel('Host key fingerprint (optional)').inputValue(), sftp.hostKey);
    assert.deepEqual(readdirSync(sftp.root), [], 'the test left no folder on the server');

    await page.getByRole('radio', { name: 'Folder', exact: true }).click();
    await page.getByLabel('Folder path').fill('relative/path');
    await next();
    await page.getByText('Enter an absolute folder path, starting with /').waitFor();
    await page.getByLabel('Folder path').fill(ui.destination);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('status').filter({ hasText: 'Connection works' }).waitFor();
    await screenshots('wizard-destination');
    await next();

    await next();
    await page.getByText('Choose at least one folder to back up').waitFor();
    await page.getByRole('checkbox', { name: 'documents' }).check();
    await page.getByRole('checkbox', { name: 'photos' }).check();
    await page.getByRole('checkbox', { name: 'videos' }).check();
    await page.getByLabel('Exclude patterns').fill('*.tmp');
    await page.getByLabel('Exclude patterns').press('Enter');
    await screenshots('wizard-sources');
    await next();

    await page.getByRole('radio', { name: 'Daily at' }).check();
    assert.match(await page.getByText('Next runs').locator('..').innerText(), /at \d\d:\d\d/);
    await screenshots('wizard-schedule');
    await next();
    await page.getByRole('radio', { name: /Smart/ }).check();
    await next();
    await page.getByLabel('Warn when no backup succeeded for').fill('48');
    await onPhone(async () => {
      const overdue = page.locator('mat-form-field', {
        has: page.getByLabel('Warn when no backup succeeded for'),
      });
      await assertApart(
        overdue.locator('mat-label'),
        overdue.getByText('hours'),
        'the overdue label and its suffix',
      );
    });
    await screenshots('wizard-options');
    await next();
    await screenshots('wizard-summary');
    await page.getByRole('button', { name: 'Create backup' }).click();
    await page.waitForURL((url) => url.pathname === '/');

    const api = new ApiClient(ui.url);
    await api.login(ui.password);
    const [job] = (await api.call(API.jobs.list, {}, { expect: 200 })).json;
    assert.equal(job.name, JOB_NAME);
    assert.deepEqual(
      job.sources.sort(),
      ['documents', 'photos', 'videos'].map((name) => join(ui.source, name)),
    );
    assert.deepEqual(job.excludes, ['*.tmp']);
    assert.equal(job.retention.policy, '1W:1D,4W:1W,12M:1M');
    assert.match(job.schedule.cron, /^\d+ \d+ \* \* \*$/);
    assert.deepEqual(job.passphrase, { set: true });
    assert.equal(job.overdueAfterMinutes, 48 * 60);
    assert.equal(job.enabled, true);
  });

  let jobUrl;

  test('run the job from the dashboard and watch its progress reach done', async () => {
    await page.goto(ui.url);
    const card = page.getByRole('article', { name: JOB_NAME });
    await card.waitFor();
    await card.getByRole('button', { name: 'Back up now' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    // The 256 MiB file keeps the backup going long enough to see live progress, part way.
    const percent = page.getByText(/^\d+(\.\d)?%$/);
    await page.getByRole('heading', { name: 'Backing up' }).waitFor({ timeout: 60_000 });
    await percent.waitFor();
    const partWay = Number.parseFloat(await percent.innerText());
    assert.ok(partWay < 100, `part way: ${partWay}%`);
    await page.screenshot({ path: join(SHOTS, 'run-progress-desktop.png') });
    await page.getByText('The backup succeeded.').waitFor({ timeout: 120_000 });
    await page.getByRole('heading', { name: 'Finished' }).waitFor();
    assert.match(await page.getByRole('log', { name: 'Run log' }).innerText(), /snapshot/i);
    // A complete run ends on its full figures, not on the last report before the end.
    assert.match(await page.locator('[data-figure="files"]').innerText(), /^(\d+) of \1$/);
    assert.match(await page.locator('[data-figure="bytes"]').innerText(), /^([\d.]+) of \1 \w+$/);
    await screenshots('run-finished');
    await page.goto(ui.url);
    await card.getByText('Succeeded').waitFor();
    await screenshots('dashboard');
    // The theme follows the system's: the same page with a dark preference.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SHOTS, 'dashboard-dark-desktop.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    jobUrl = await card.getByRole('link', { name: 'Snapshots' }).getAttribute('href');
  });

  test('browse the snapshot and restore one file; its bytes are the original ones', async () => {
    await page.goto(`${ui.url}${jobUrl}`);
    await page.getByRole('button', { name: 'documents' }).click();
    await page.getByRole('button', { name: 'reports' }).click();
    await page.getByLabel('Select q3.txt').check();
    await screenshots('snapshots');
    await page.getByRole('button', { name: 'Restore…' }).click();
    await page.getByLabel('Target folder').fill('from-the-ui');
    const original = join(ui.source, 'documents', 'reports', 'q3.txt');
    const restored = join(ui.restoreRoot, 'from-the-ui', original);
    await page.getByText(restored).waitFor();
    await page.getByRole('button', { name: 'Start restore' }).click();
    await page.waitForURL(/\/runs\//);
    await page.getByText('The restore succeeded.').waitFor({ timeout: 60_000 });
    assert.deepEqual(await fs.readFile(restored), await fs.readFile(original));
  });

  test('download a folder of the snapshot as a tar archive', async () => {
    await page.goto(`${ui.url}${jobUrl}`);
    await page.getByLabel('Select photos').check();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download folder (.tar)' }).click(),
    ]);
    const tar = join(ui.dir, 'photos.tar');
    await download.saveAs(tar);
    const listed = (await execFileAsync('tar', ['-tf', tar])).stdout.split('\n').filter(Boolean);
    assert.ok(
      listed.some((name) => name.endsWith('photos/2026/lake.jpg')),
      listed.join(', '),
    );
    const unpacked = join(ui.dir, 'unpacked');
    await fs.mkdir(unpacked);
    await execFileAsync('tar', ['-xf', tar, '-C', unpacked]);
    const lake = listed.find((name) => name.endsWith('lake.jpg'));
    assert.deepEqual(
      await fs.readFile(join(unpacked, lake)),
      await fs.readFile(join(ui.source, 'photos', '2026', 'lake.jpg')),
    );
  });

  test('a job whose stored schedule cannot run is marked; every other job still shows', async () => {
    const api = new ApiClient(ui.url);
    await api.login(ui.password);
    const [documents] = (await api.call(API.jobs.list, {}, { expect: 200 })).json;
    const { json: broken } = await api.call(
      API.jobs.create,
      {
        body: {
          name: 'Broken schedule',
          sources: [join(ui.source, 'photos')],
          destinationId: documents.destinationId,
          passphrase: 'a long job passphrase',
          schedule: { cron: '30 2 * * *', timezone: 'UTC' },
        },
      },
      { expect: 201 },
    );
    // What the API refuses, as an older version or a hand-edited database may have stored it.
    await execFileAsync('psql', [
      ui.database,
      '-c',
      `UPDATE jobs SET schedule = '{"cron":"99 99 * * *","timezone":"Mars/Olympus"}' WHERE id = '${broken.id}'`,
    ]);
    await page.goto(ui.url);
    await page.getByRole('article', { name: JOB_NAME }).getByText('Succeeded').waitFor();
    const card = page.getByRole('article', { name: 'Broken schedule' });
    await card.getByText('Schedule cannot run: edit it').waitFor();
    await screenshots('dashboard-broken-schedule');
  });

  /** Picks `option` in the Material select labelled `label`. */
  async function choose(label, option) {
    await page.getByRole('combobox', { name: label }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  test('the run history: per job from its card, filtered by kind and status, each run opening its page', async () => {
    await page.goto(ui.url);
    await page.getByRole('article', { name: JOB_NAME }).getByRole('link', { name: 'History' }).click();
    await page.waitForURL(/\/runs\?job=[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: `History of “${JOB_NAME}”` }).waitFor();
    const rows = page.getByRole('list', { name: 'Runs, newest first' }).getByRole('link');
    await rows.first().waitFor();
    // The backup and the restore of the tests before, newest first.
    assert.deepEqual(
      (await rows.allInnerTexts()).map((row) => row.match(/(Backup|Restore) · On request/)?.[1]),
      ['Restore', 'Backup'],
    );
    await choose('Kind', 'Backup');
    await page.waitForURL(/kind=backup/);
    await rows.filter({ hasText: 'Restore' }).waitFor({ state: 'detached' });
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), /Succeeded[\s\S]*Documents[\s\S]*\d+ files · \+[\d.]+ \w+/);
    await screenshots('run-history');
    await choose('Status', 'Failed');
    await page.getByText('No runs match these filters.').waitFor();
    // The filters live in the address: Back returns to the backups.
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('status='));
    await rows.first().click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await page.getByText('The backup succeeded.').waitFor();
    const api = new ApiClient(ui.url);
    await api.login(ui.password);
    const refused = await api.call(API.runs.list, { query: { status: 'done' } });
    assert.equal(refused.status, 400);
    assert.match(refused.json.error.message, /"done" is not a run status/);
  });

  /** The job's page of maintenance, reached from its snapshots page. */
  async function openMaintenance() {
    await page.goto(`${ui.url}${jobUrl}`);
    await page.getByRole('link', { name: 'Maintenance: verify, prune, unlock' }).click();
    await page.getByRole('heading', { name: JOB_NAME, level: 1 }).waitFor();
  }

  test('maintenance: Verify on a job with a snapshot ends succeeded, on its run page and in the history', async () => {
    await openMaintenance();
    await screenshots('maintenance');
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: `Check of “${JOB_NAME}”` }).waitFor();
    await page.getByText('The check succeeded.').waitFor({ timeout: 60_000 });
    assert.match(
      await page.getByRole('log', { name: 'Run log' }).innerText(),
      /read 0 of \d+ packs?: no errors/,
    );
    await page.getByRole('link', { name: 'Maintenance' }).click();
    const recent = page.getByRole('region', { name: 'Recent maintenance' });
    await recent.getByText('Check · On request').waitFor();
    await page.getByRole('link', { name: 'All runs of this job' }).click();
    const rows = page.getByRole('list', { name: 'Runs, newest first' }).getByRole('link');
    await rows.first().waitFor();
    assert.match(await rows.first().innerText(), /Succeeded[\s\S]*Check · On request/);
  });

  test('maintenance: Prune asks first in plain words; Cancel runs nothing, "Prune now" runs it', async () => {
    const api = new ApiClient(ui.url);
    await api.login(ui.password);
    const jobId = jobUrl.split('/')[2];
    const prunes = async () =>
      (await api.call(API.runs.list, { query: { jobId, kind: 'prune' } }, { expect: 200 })).json.length;
    await openMaintenance();
    await page.getByRole('button', { name: 'Prune…' }).click();
    const dialog = page.getByRole('dialog', { name: `Prune “${JOB_NAME}”?` });
    await dialog.getByText('deleted from the destination for good').waitFor();
    await screenshots('maintenance-prune-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await prunes(), 0, 'Cancel started no prune');
    await page.getByRole('button', { name: 'Prune…' }).click();
    await dialog.getByRole('button', { name: 'Prune now' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await page.getByText('The clean-up succeeded.').waitFor({ timeout: 60_000 });
    assert.match(await page.getByRole('log', { name: 'Run log' }).innerText(), /prune freed/);
    assert.equal(await prunes(), 1);
  });

  test('maintenance: Unlock is refused in words while a run goes; once it is cancelled, Unlock frees the repository', async () => {
    const api = new ApiClient(ui.url);
    await api.login(ui.password);
    const jobId = jobUrl.split('/')[2];
    const job = (await api.call(API.jobs.get, { params: { id: jobId } }, { expect: 200 })).json;
    // A lock as a runner that crashed and came back with its name and PID leaves it: alive by the
    // engine's rule, so the next backup waits behind it.
    const repo = await Repository.open(
      openBackend(repositoryUrl(ui.destination, job.repositoryPath)),
      'a long job passphrase',
    );
    const now = new Date().toISOString();
    await repo.saveJson('lock', {
      ...{ exclusive: true, host: hostname(), pid: process.pid, username: 'cairn' },
      ...{ created: now, refreshed: now },
    });
    const backup = (await api.call(API.jobs.run, { params: { id: jobId }, body: {} }, { expect: 202 })).json;
    const status = async () => (await api.call(API.runs.get, { params: { id: backup.id } })).json.status;
    await eventually(async () => assert.equal(await status(), 'running'), 30_000);

    await openMaintenance();
    await page.getByRole('button', { name: 'Unlock…' }).click();
    const dialog = page.getByRole('dialog', { name: `Unlock the repository of “${JOB_NAME}”?` });
    await dialog.getByText('Every lock on the repository is removed').waitFor();
    await dialog.getByRole('button', { name: 'Remove the locks' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'is running' });
    await refusal.waitFor();
    assert.match(
      await refusal.innerText(),
      /A backup of "Documents" is running, and its lock on the repository is in use: .*wait for it to finish, or cancel it first/,
    );
    await screenshots('maintenance-unlock-refused');

    await api.call(API.runs.cancel, { params: { id: backup.id } }, { expect: 202 });
    await eventually(async () => assert.equal(await status(), 'cancelled'), 30_000);
    await page.getByRole('button', { name: 'Unlock…' }).click();
    await dialog.getByRole('button', { name: 'Remove the locks' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await page.getByText('The unlock succeeded.').waitFor({ timeout: 60_000 });
    assert.match(
      await page.getByRole('log', { name: 'Run log' }).innerText(),
      new RegExp(`locked exclusively by PID ${process.pid}[\\s\\S]*1 lock removed`),
    );
    assert.deepEqual(await repo.backend.list('lock'), []);
    await repo.close();
  });

  test('pause every schedule for 15 minutes: the banner says until when on every page, Resume lifts it', async () => {
    const api = new ApiClient(ui.url);
    await api.login(ui.password);
    await page.goto(ui.url);
    await page.getByRole('button', { name: 'Pause schedules' }).click();
    const before = Date.now();
    await page.getByRole('menuitem', { name: '15 minutes' }).click();
    const banner = page.getByRole('status').filter({ hasText: 'Scheduled backups paused until' });
    await banner.waitFor();
    // The scheduler itself holds the pause, not just the page.
    const { pausedUntil } = (await api.call(API.scheduler.status, {}, { expect: 200 })).json;
    assert.ok(
      pausedUntil >= before + 15 * 60_000 && pausedUntil <= Date.now() + 15 * 60_000,
      `${pausedUntil}`,
    );
    await screenshots('dashboard-paused');
    await page.getByRole('link', { name: 'History' }).first().click();
    await banner.waitFor();
    await banner.getByRole('button', { name: 'Resume' }).click();
    await banner.waitFor({ state: 'detached' });
    assert.equal((await api.call(API.scheduler.status, {}, { expect: 200 })).json.pausedUntil, null);
  });

  test("a job's schedule is disabled and enabled again from its card", async () => {
    const api = new ApiClient(ui.url);
    await api.login(ui.password);
    const enabled = async () =>
      (await api.call(API.jobs.list, {}, { expect: 200 })).json.find((job) => job.name === JOB_NAME).enabled;
    await page.goto(ui.url);
    const card = page.getByRole('article', { name: JOB_NAME });
    await card.getByRole('button', { name: `More actions for ${JOB_NAME}` }).click();
    await page.getByRole('menuitem', { name: 'Disable schedule' }).click();
    await card.getByText('pause_circle', { exact: true }).first().waitFor();
    assert.equal(await enabled(), false);
    await card.getByRole('button', { name: `More actions for ${JOB_NAME}` }).click();
    await page.getByRole('menuitem', { name: 'Enable schedule' }).click();
    await card.getByText('inventory_2', { exact: true }).waitFor();
    assert.equal(await enabled(), true);
  });

  test('a job card follows a running backup live, desktop and phone, and shows its result when it ends', async () => {
    // Data no snapshot holds yet: this backup takes as long as the first one, long enough to watch.
    await fs.writeFile(join(ui.source, 'videos', 'second.bin'), pseudoRandomBytes(256 * 2 ** 20, 'second'));
    const api = new ApiClient(ui.url);
    await api.login(ui.password);
    const job = (await api.call(API.jobs.list, {}, { expect: 200 })).json.find(
      ({ name }) => name === JOB_NAME,
    );
    const phone = await context.newPage();
    await phone.setViewportSize(VIEWPORTS.phone);
    await page.setViewportSize({ width: 1280, height: 900 });
    const streams = [];
    for (const tab of [page, phone])
      tab.on('request', (request) => {
        if (/\/api\/v1\/(activity|runs\/[^/]+\/events)/.test(request.url())) streams.push(request.url());
      });
    try {
      const cards = [page, phone].map((tab) => tab.getByRole('article', { name: JOB_NAME }));
      for (const [index, tab] of [page, phone].entries()) {
        await tab.goto(ui.url);
        await cards[index].getByRole('button', { name: 'Back up now' }).waitFor();
        // Set before the run: still there after it means the page never reloaded.
        await tab.evaluate(() => (window.cairnTestMark = 'loaded once'));
      }
      // Started elsewhere, as the schedule would: the dashboards learn of it from their stream.
      await api.call(API.jobs.run, { params: { id: job.id }, body: { kind: 'backup' } }, { expect: 202 });

      // The figures and the file at hand, measured in the same moment they are seen.
      const seen = await phone.waitForFunction(
        () => {
          const current = document.querySelector('[data-live="current"]');
          const percent = document.querySelector('[data-live="percent"]');
          if (!current || !percent) return null;
          return {
            line: document.querySelector('[data-live="line"]').innerText,
            current: current.getAttribute('title'),
            currentFits: current.scrollWidth <= current.clientWidth,
            pageWidth: document.documentElement.scrollWidth,
            screenWidth: window.innerWidth,
          };
        },
        null,
        { timeout: 60_000 },
      );
      const onPhone = await seen.jsonValue();
      await phone.screenshot({ path: join(SHOTS, 'dashboard-running-phone.png'), fullPage: true });
      await cards[0].locator('[data-live="current"]').waitFor();
      await page.screenshot({ path: join(SHOTS, 'dashboard-running-desktop.png'), fullPage: true });
      assert.match(onPhone.line, /^Backing up\s+[\d.]+%/);
      assert.match(onPhone.line, /\d+ of \d+ files/);
      assert.match(onPhone.current, new RegExp(`^${ui.source}/`));
      assert.ok(onPhone.currentFits, 'the current file stays on one line');
      assert.ok(
        onPhone.pageWidth <= onPhone.screenWidth,
        `${onPhone.pageWidth} px on ${onPhone.screenWidth}`,
      );

      for (const [index, tab] of [page, phone].entries()) {
        await cards[index].getByRole('button', { name: 'Back up now' }).waitFor({ timeout: 180_000 });
        assert.equal(await cards[index].locator('[data-live]').count(), 0);
        await cards[index].getByText('Succeeded').waitFor();
        await cards[index].getByText('just now').waitFor();
        assert.equal(await tab.evaluate(() => window.cairnTestMark), 'loaded once');
      }
      await page.screenshot({ path: join(SHOTS, 'dashboard-after-run-desktop.png'), fullPage: true });
      await phone.screenshot({ path: join(SHOTS, 'dashboard-after-run-phone.png'), fullPage: true });
      // One stream a dashboard, whatever number of cards: never one a run.
      assert.deepEqual(
        streams.map((url) => new URL(url).pathname),
        ['/api/v1/activity', '/api/v1/activity'],
      );
    } finally {
      await phone.close();
      await page.setViewportSize(VIEWPORTS.desktop);
    }
  });

  test('on a phone the wizard keeps both destination choices whole', async () => {
    await page.goto(`${ui.url}/jobs/new`);
    await page.getByRole('button', { name: 'Next' }).filter({ visible: true }).click();
    await page.getByLabel('Backup name').fill('Phone');
    await page.getByLabel('Passphrase', { exact: true }).fill('a long job passphrase');
    await page.getByLabel('Repeat passphrase').fill('a long job passphrase');
    await page.getByRole('button', { name: 'Next' }).filter({ visible: true }).click();
    const choice = page.getByRole('radiogroup', { name: 'Destination', exact: true });
    await choice.waitFor();
    await onPhone(() => assertNotClipped(choice, 'the Saved | New destination choice'));
    await screenshots('wizard-destination-saved');
  });

  test('a snapshot whose repository is gone says so, its icon whole on a phone', async () => {
    const away = `${ui.destination}.away`;
    await fs.rename(ui.destination, away);
    try {
      await page.goto(`${ui.url}${jobUrl}`);
      const alert = page.getByRole('alert').filter({ hasText: 'There is no repository' });
      await alert.waitFor();
      assert.doesNotMatch(await alert.innerText(), /cairn init/);
      await onPhone(async () => {
        const icon = await alert.locator('mat-icon').boundingBox();
        assert.ok(icon.width >= 23.5, `the icon is ${icon.width} px wide`);
      });
      await screenshots('snapshots-error');
    } finally {
      await fs.rename(away, ui.destination);
    }
  });

  test('a password the server refused stops being called wrong once it is edited', async () => {
    await page.goto(`${ui.url}/settings`);
    await page.getByRole('tab', { name: 'Password' }).click();
    await page.getByLabel('Current password').fill('not the password');
    await page.getByLabel('New password', { exact: true }).fill('a new long password');
    await page.getByLabel('Repeat new password').fill('a new long password');
    await page.getByRole('button', { name: 'Change password' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'current password' });
    await refused.waitFor();
    await page.getByLabel('Current password').fill(ui.password);
    await refused.waitFor({ state: 'detached' });
  });

  test('destinations: the jobs using each, new keys for the same destination, delete refused while used', async () => {
    const api = new ApiClient(ui.url);
    await api.login(ui.password);
    // An SFTP destination saved with a key the server does not accept.
    const wrongKey = join(ui.dir, 'wrong-key');
    await execFileAsync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    const { json: offsite } = await api.call(
      API.destinations.create,
      {
        body: {
          name: 'Offsite',
          url: sftp.url('offsite'),
          options: { hostKey: sftp.hostKey },
          secrets: { privateKey: await fs.readFile(wrongKey, 'utf8') },
        },
      },
      { expect: 201 },
    );
    await page.goto(`${ui.url}/destinations`);
    const folder = page.getByRole('article').filter({ hasText: `Folder ${ui.destination}` });
    await folder.getByRole('link', { name: JOB_NAME }).waitFor();
    await folder.getByRole('link', { name: 'Broken schedule' }).waitFor();
    const card = page.getByRole('article', { name: 'Offsite' });
    await card.getByText('No job uses it.').waitFor();
    await card.getByRole('button', { name: 'Test' }).click();
    await card.getByRole('alert').filter({ hasText: 'Connection failed' }).waitFor();

    await card.getByRole('button', { name: 'Edit' }).click();
    await card.getByLabel('Name').fill('Offsite SFTP');
    await card
      .getByRole('textbox', { name: 'Private key', exact: true })
      .fill(readFileSync(sftp.keyFile, 'utf8'));
    await assertEveryInputLabelled();
    await screenshots('destinations-edit');
    await card.getByRole('button', { name: 'Save' }).click();
    const renamed = page.getByRole('article', { name: 'Offsite SFTP' });
    await renamed.getByRole('button', { name: 'Test' }).click();
    await renamed.getByRole('status').filter({ hasText: 'Connection works' }).waitFor();
    const saved = (await api.call(API.destinations.list, {}, { expect: 200 })).json;
    assert.deepEqual(
      saved.filter((each) => each.url === offsite.url).map((each) => [each.id, each.name]),
      [[offsite.id, 'Offsite SFTP']],
      'the same destination, renamed: no twin',
    );
    assert.doesNotMatch(JSON.stringify(saved), /PRIVATE KEY/);

    // Used by two jobs: the server refuses, naming them.
    await folder.getByRole('button', { name: 'Remove' }).click();
    await folder.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click();
    const refusal = folder.getByRole('alert');
    await refusal.waitFor();
    assert.match(
      await refusal.innerText(),
      /is still used by "Broken schedule" and "Documents": delete or move those jobs first/,
    );
    await screenshots('destinations');
    const [documents] = (await api.call(API.jobs.list, {}, { expect: 200 })).json;
    const { json: conflict } = await api.call(
      API.destinations.remove,
      { params: { id: documents.destinationId } },
      { expect: 409 },
    );
    assert.equal(conflict.error.code, 'conflict');
    await renamed.getByRole('button', { name: 'Remove' }).click();
    await renamed.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click();
    await renamed.waitFor({ state: 'detached' });
    await api.call(API.destinations.get, { params: { id: offsite.id } }, { expect: 404 });
  });

  test('import a Duplicati job: what is and is not imported is listed before saving; the job reaches the dashboard', async () => {
    const exported = JSON.parse(readFileSync(DUPLICATI_FIXTURE, 'utf8'));
    exported.Backup.Name = 'Photos from Duplicati';
    exported.Backup.Sources = [`${join(ui.source, 'photos')}/`, '/home/alice/Music/'];
    exported.Backup.TargetURL = `file://${join(ui.destination, 'duplicati')}/?alternate-target-paths=%2Fmnt%2Fusb`;
    await page.goto(`${ui.url}/settings`);
    await page.getByRole('tab', { name: 'Import/export' }).click();
    await page.getByLabel('Job file (.json)').setInputFiles({
      name: 'duplicati-photos.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(exported)),
    });
    const mapping = page.getByLabel('What the Duplicati job becomes');
    await mapping.getByText(`Imported: the sources ${join(ui.source, 'photos')}.`).waitFor();
    await mapping.getByText('Imported: the excludes node_modules, *.tmp').waitFor();
    await mapping.getByText('Not imported: the source /home/alice/Music: it is not under').waitFor();
    await mapping.getByText('Not imported: the include filter “/source/documents/keep.tmp”').waitFor();
    await mapping
      .getByText(
        'Not imported: the destination options Cairn has no counterpart for: alternate-target-paths.',
      )
      .waitFor();
    await page.getByText("Cairn cannot read Duplicati's backup files").waitFor();
    assert.ok(!(await page.textContent('body')).includes('correct horse'), 'the passphrase is not shown');
    assert.equal(await page.getByLabel('Or paste the exported JSON').inputValue(), '', 'nor the file');
    await assertEveryInputLabelled();
    await screenshots('settings-import-duplicati');

    await page.getByRole('button', { name: 'Import job' }).click();
    await page.getByRole('status').filter({ hasText: 'Imported “Photos from Duplicati”' }).waitFor();
    await page.getByRole('link', { name: 'open the dashboard' }).click();
    await page.getByRole('article', { name: 'Photos from Duplicati' }).waitFor();

    const api = new ApiClient(ui.url);
    await api.login(ui.password);
    const job = (await api.call(API.jobs.list, {}, { expect: 200 })).json.find(
      (candidate) => candidate.name === 'Photos from Duplicati',
    );
    const timezone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    assert.deepEqual(job.sources, [join(ui.source, 'photos')]);
    assert.deepEqual(job.retention, { policy: '1W:1D,4W:1W,12M:1M' });
    assert.equal(job.schedule.timezone, timezone);
    assert.match(job.schedule.cron, /^\d+ \d+ \* \* 1,2,3,4,5$/);
    assert.equal(job.compression, 'max');
  });

  test('settings: every service answers on the about tab; screenshots of each tab', async () => {
    await page.goto(`${ui.url}/settings`);
    for (const tab of ['Password', 'Notifications', 'Import/export']) {
      await page.getByRole('tab', { name: tab }).click();
      await assertEveryInputLabelled();
      await screenshots(`settings-${tab.toLowerCase().replace('/', '-')}`);
    }
    await page.getByRole('tab', { name: 'About' }).click();
    await page.getByRole('status').filter({ hasText: 'Every service answers.' }).waitFor();
    await screenshots('settings-about');
  });

  test('on a phone the top bar keeps its names for screen readers, and works by keyboard', async () => {
    await page.setViewportSize(VIEWPORTS.phone);
    try {
      await page.goto(ui.url);
      const settings = page.getByRole('link', { name: 'Settings' });
      await settings.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/settings/);
      await page.getByRole('link', { name: 'New backup' }).click();
      await page.waitForURL(/\/jobs\/new/);
      await page.getByRole('link', { name: 'Dashboard' }).first().click();
      await page.waitForURL((url) => url.pathname === '/');
    } finally {
      await page.setViewportSize(VIEWPORTS.desktop);
    }
  });

  test('sign out ends the session: the dashboard asks to sign in again', async () => {
    await page.goto(ui.url);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(ui.url);
    await page.waitForURL(/\/sign-in/);
  });

  test('the app is served with a strict content security policy, and nothing broke it', async () => {
    const response = await fetch(ui.url);
    assert.match(response.headers.get('content-security-policy'), /script-src 'self'/);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.deepEqual(pageErrors, []);
  });
});
