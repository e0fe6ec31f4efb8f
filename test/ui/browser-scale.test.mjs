// The web UI at scale, in Chromium against the real stack: a dashboard of 200 jobs and a snapshot
// folder of 10 000 files. A stack of its own (web-ui.test.mjs counts the jobs it made), the same
// helpers. Load times are measured with the page's Performance API and printed, never asserted
// (machines differ; the README keeps the target); what is asserted could break on any machine: the
// rows shown, the scroll to the last entry, the selection's words, far fewer rows drawn than entries.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { API } from '@cairn/contracts';
import { launchBrowser, VIEWPORTS } from '../support/browser.mjs';
import { createJobs, writeManyFiles } from '../support/scale-data.mjs';
import { startUiStack } from '../support/ui-stack.mjs';
import { ApiClient } from '../e2e/api-client.mjs';

const FILES = 10_000;
const JOBS = 200;
const SHOTS = new URL('../../test-results/screenshots/', import.meta.url).pathname;
/** The figures, printed together at the end: a look at them says whether the target of 1 s holds. */
const figures = {};

/**
 * Milliseconds until `selector` matches at least `count` elements holding `text`, checked on every
 * frame: from the navigation's start (`since: 'navigation'`, right after page.goto) or from now,
 * after clicking `click` in the page.
 */
function timeUntil(page, { selector, text = '', count = 1, click, since = 'now' }) {
  return page.evaluate(
    ({ selector, text, count, click, since }) =>
      new Promise((resolve) => {
        const start = since === 'navigation' ? 0 : performance.now();
        const met = () =>
          [...document.querySelectorAll(selector)].filter((node) => node.textContent.includes(text)).length >=
          count;
        if (click) document.querySelector(click).click();
        const check = () => (met() ? resolve(performance.now() - start) : requestAnimationFrame(check));
        check();
      }),
    { selector, text, count, click, since },
  );
}

describe('the web UI at scale: 200 jobs, a folder of 10 000 files', () => {
  let ui, browser, page, job;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ui = await startUiStack();
    const many = join(ui.source, 'many');
    await writeManyFiles(many, FILES);
    const api = new ApiClient(ui.url);
    await api.login(ui.password);
    const { json: destination } = await api.call(
      API.destinations.create,
      { body: { name: 'Disk', url: ui.destination } },
      { expect: 201 },
    );
    [job] = await createJobs(api, {
      count: 1,
      sources: [many],
      destinationId: destination.id,
      prefix: 'Many',
    });
    const { json: run } = await api.call(API.jobs.run, { params: { id: job.id }, body: {} }, { expect: 202 });
    assert.equal((await api.follow(run.id)).at(-1).data.status, 'succeeded');
    await createJobs(api, {
      count: JOBS - 1,
      sources: [join(ui.source, 'documents')],
      destinationId: destination.id,
      prefix: 'Crowd',
    });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: VIEWPORTS.desktop })).newPage();
    await page.goto(ui.url);
    await page.getByLabel('Admin password').fill(ui.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  });

  after(async () => {
    console.log(`UI at scale (target: each under 1000 ms): ${JSON.stringify(figures)}`);
    await browser?.close();
    await ui?.stop();
  });

  test('the dashboard shows all 200 jobs', async () => {
    await page.goto(ui.url, { waitUntil: 'commit' });
    figures.dashboardMs = Math.round(
      await timeUntil(page, { selector: '[role="article"]', count: JOBS, since: 'navigation' }),
    );
    // Where the time went: the API requests the page made, and when the last one was answered.
    [figures.dashboardApiRequests, figures.dashboardLastApiAnswerMs] = await page.evaluate(() => {
      const api = performance.getEntriesByType('resource').filter((entry) => entry.name.includes('/api/'));
      return [api.length, Math.round(Math.max(...api.map((entry) => entry.responseEnd)))];
    });
    assert.equal(await page.getByRole('article').count(), JOBS);
    await page.getByRole('article', { name: 'Crowd 199' }).waitFor();
  });

  test('a folder of 10 000 files lists in order, scrolls to its end, and draws only the rows in view', async () => {
    await page.goto(`${ui.url}/jobs/${job.id}/snapshots`, { waitUntil: 'commit' });
    figures.snapshotsPageMs = Math.round(
      await timeUntil(page, { selector: 'button.open', text: 'many', since: 'navigation' }),
    );
    figures.openFolderMs = Math.round(
      await timeUntil(page, { selector: '.row .name', text: 'note-1.txt', click: 'button.open' }),
    );
    const rows = page.locator('cdk-virtual-scroll-viewport .row');
    // People's order: note-2 before note-10.
    assert.deepEqual((await rows.locator('.name').allInnerTexts()).slice(0, 3), [
      'note-1.txt',
      'note-2.txt',
      'note-3.txt',
    ]);
    const drawn = await rows.count();
    assert.ok(drawn > 3 && drawn < 100, `${drawn} rows drawn for ${FILES} entries`);

    const viewport = page.locator('cdk-virtual-scroll-viewport');
    await viewport.evaluate((node) => node.scrollTo({ top: node.scrollHeight }));
    await page.getByText(`note-${FILES}.txt`, { exact: true }).waitFor();
    assert.ok((await rows.count()) < 100);
    await viewport.evaluate((node) => node.scrollTo({ top: 0 }));
    await page.getByText('note-1.txt', { exact: true }).waitFor();
  });

  test('select everything in the folder: one summary line, not a chip per file', async () => {
    figures.selectAllMs = Math.round(
      await timeUntil(page, {
        selector: '.count',
        text: '10,000 files selected',
        click: 'input[aria-label="Select everything shown"]',
      }),
    );
    assert.match(await page.getByRole('status').innerText(), /^10,000 files selected · [\d.]+ KiB\s+Clear$/);
    assert.equal(await page.locator('mat-chip').count(), 0);
    assert.equal(await page.getByLabel('Select note-2.txt').isChecked(), true);
    await page.waitForTimeout(700); // let the check marks finish animating before the pictures
    await page.screenshot({ path: join(SHOTS, 'snapshots-10000-desktop.png'), fullPage: true });
    await page.setViewportSize(VIEWPORTS.phone);
    try {
      await page.getByText('note-1.txt', { exact: true }).waitFor();
      await page.screenshot({ path: join(SHOTS, 'snapshots-10000-phone.png'), fullPage: true });
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth} px wide on a ${innerWidth} px screen`);
    } finally {
      await page.setViewportSize(VIEWPORTS.desktop);
    }
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('status').waitFor({ state: 'detached' });
    assert.equal(await page.getByLabel('Select note-2.txt').isChecked(), false);
  });
});
