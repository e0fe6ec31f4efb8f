// The web UI in Debian's Chromium (playwright-core) against the real stack: every service as a
// process, real PostgreSQL, a NATS server of this suite's own, the app as the gateway serves it.
// Screenshots of every main screen, desktop and phone, go to test-results/screenshots.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { API } from '@cairn/contracts';
import { launchBrowser, VIEWPORTS } from '../support/browser.mjs';
import { startUiStack } from '../support/ui-stack.mjs';
import { ApiClient } from '../e2e/api-client.mjs';

const execFileAsync = promisify(execFile);
const JOB_NAME = 'Documents';
/** Material's step change animates; until it ends, the previous step still counts as visible. */
const STEP_ANIMATION_MS = 700;
const SHOTS = new URL('../../test-results/screenshots/', import.meta.url).pathname;

describe('the web UI in Chromium, against the real stack', () => {
  let ui, browser, context, page;
  /** Script errors and console errors (a CSP violation shows as one), except refused requests. */
  const pageErrors = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ui = await startUiStack({ largeFileMiB: 256 });
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
  });

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
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.waitForTimeout(STEP_ANIMATION_MS);
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
    await page.goto(ui.url);
    await page.waitForURL(/\/sign-in/);
    await assertEveryInputLabelled();
    await screenshots('sign-in');
    await page.getByLabel('Admin password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /password/i);
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
    await page.getByLabel('Passphrase', { exact: true }).fill('a long job passphrase');
    await page.getByLabel('Repeat passphrase').fill('a long job passphrase');
    await assertEveryInputLabelled();
    await screenshots('wizard-general');
    await next();

    await page.getByRole('radio', { name: 'Folder', exact: true }).check();
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
