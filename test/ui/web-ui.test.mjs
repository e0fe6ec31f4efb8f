// The web UI in Debian's Chromium (playwright-core) against the real stack: every service as a
// process, real PostgreSQL, a NATS server of this suite's own, the app as the gateway serves it.
// Screenshots of every main screen, desktop and phone, go to test-results/screenshots.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, VIEWPORTS } from '../support/browser.mjs';
import { startUiStack } from '../support/ui-stack.mjs';

const SHOTS = new URL('../../test-results/screenshots/', import.meta.url).pathname;

describe('the web UI in Chromium, against the real stack', () => {
  let ui, browser, context, page;
  /** Script errors and console errors (a CSP violation shows as one), except refused requests. */
  const pageErrors = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ui = await startUiStack();
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

  /** The current page on a desktop and on a phone (the phone page shares the session cookie). */
  async function screenshots(name) {
    await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
    const phone = await context.newPage();
    await phone.setViewportSize(VIEWPORTS.phone);
    await phone.goto(page.url());
    await phone.waitForLoadState('networkidle');
    await phone.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
    await phone.close();
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

  test('the app is served with a strict content security policy, and nothing broke it', async () => {
    const response = await fetch(ui.url);
    assert.match(response.headers.get('content-security-policy'), /script-src 'self'/);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.deepEqual(pageErrors, []);
  });
});
