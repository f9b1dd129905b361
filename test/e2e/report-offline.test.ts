/**
 * The report form's JavaScript in real Chromium under the site's real CSP: the draft kept on the
 * device only when asked, restored after a reload and deleted once the report is sent; a report
 * written offline kept on the device only when the person chooses it, and sent exactly once when
 * the connection returns; "leave no trace" emptying the device and unregistering the service
 * worker; quick exit replacing the history entry. The neutral site is answered by the test itself
 * (context.route), as this machine has no Internet.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { createAccount } from '../support/accounts.ts';
import { button, expectHealthyPage, expectNoAxeViolations, openSession, signInWithPassword, submitWith, useBrowserSuite, visit } from '../support/browser.ts';

const NEUTRAL = 'https://www.bbc.com/weather';
const ELSEWHERE = 'https://elsewhere.test/start';

/** The neutral site and a page "before CAST", answered locally. */
async function stubOutside(context: BrowserContext): Promise<void> {
  for (const url of [`${NEUTRAL}*`, `${ELSEWHERE}*`]) {
    await context.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html lang="en"><title>Elsewhere</title><h1>Elsewhere</h1></html>' }));
  }
}

/** Collects securitypolicyviolation events from the first script on every document. */
async function recordCspViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
}

async function expectNoCspViolations(page: Page): Promise<void> {
  assert.deepEqual(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations), []);
}

/** Everything of this origin that a person's device could hold. */
function deviceContents(page: Page) {
  return page.evaluate(async () => ({
    localStorage: Object.keys(localStorage),
    sessionStorage: Object.keys(sessionStorage),
    indexedDB: (await indexedDB.databases()).map((db) => db.name),
    caches: await caches.keys(),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
  }));
}

const EMPTY = { localStorage: [], sessionStorage: [], indexedDB: [], caches: [], workers: 0 };

async function reportCount(suite: ReturnType<typeof useBrowserSuite>): Promise<number> {
  const row = await suite.server.cast.database.db
    .selectFrom('reports' as never)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number((row as { count: string | number }).count);
}

describe('the report form offline, its draft and leaving no trace, in the browser', () => {
  const suite = useBrowserSuite();

  test('a draft is kept only when asked, comes back after a reload, and is deleted once the report is sent', async () => {
    const { page, close } = await openSession(suite.browser);
    try {
      await recordCspViolations(page);
      await visit(page, suite.server.url, '/report');
      const keep = page.getByLabel('Keep a draft on this device');
      assert.equal(await keep.isChecked(), false, 'off by default');
      await page.getByLabel('Country where it happened').selectOption('GB');
      await page.getByLabel('What you saw (optional)').fill('Not kept: the box is not ticked.');
      await page.waitForTimeout(800);
      assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), [], 'nothing on the device before the person opts in');
      await expectHealthyPage(page);

      await keep.check();
      await page.getByLabel('What you saw (optional)').fill('A van drops workers at the car wash at 6am.');
      await page.getByLabel('About how many people (optional)').fill('6');
      await page.waitForFunction(() => localStorage.getItem('cast:draft')?.includes('car wash at 6am'));
      const draft = await page.evaluate(() => localStorage.getItem('cast:draft') ?? '');
      assert.doesNotMatch(draft, /_csrf/, 'the CSRF token is not part of a draft');
      // Ticking also installs the service worker, so the form opens offline.
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

      await page.reload();
      await page.getByText('Your draft was restored from this device.').waitFor();
      assert.equal(await page.getByLabel('What you saw (optional)').inputValue(), 'A van drops workers at the car wash at 6am.');
      assert.equal(await page.getByLabel('About how many people (optional)').inputValue(), '6');
      assert.equal(await page.getByLabel('Country where it happened').inputValue(), 'GB');
      assert.equal(await page.getByLabel('Keep a draft on this device').isChecked(), true);
      await expectHealthyPage(page);
      await expectNoCspViolations(page);

      const before = await reportCount(suite);
      const response = await submitWith(page, button(page, 'Send report'));
      assert.equal(response.status(), 200);
      await page.locator('[data-receipt-code]').waitFor();
      assert.equal(await reportCount(suite), before + 1);
      assert.equal(await page.evaluate(() => localStorage.getItem('cast:draft')), null, 'the draft is deleted once the report arrived');
      await expectNoCspViolations(page);
    } finally {
      await close();
    }
  });

  test('offline, a report is kept on the device only if the person chooses it, and is sent once when the connection returns', async () => {
    const { context, page, close } = await openSession(suite.browser);
    try {
      await recordCspViolations(page);
      await visit(page, suite.server.url, '/report');
      await page.getByLabel('Country where it happened').selectOption('GB');
      await page.getByLabel('What you saw (optional)').fill('Written without a connection.');
      await context.setOffline(true);
      await button(page, 'Send report').click();
      await page.getByText('You are offline: your report has not been sent.').waitFor();
      // Not choosing keeps nothing.
      await button(page, 'No, keep nothing on this device').click();
      assert.deepEqual(await deviceContents(page), EMPTY, 'nothing stays on the device without the choice');
      assert.equal(await page.getByLabel('What you saw (optional)').inputValue(), 'Written without a connection.', 'the page still holds it');

      const before = await reportCount(suite);
      await button(page, 'Send report').click();
      await button(page, 'Send it when I am back online').click();
      await page.getByText(/Your report is waiting on this device/).waitFor();
      const queued = await page.evaluate(() => JSON.parse(localStorage.getItem('cast:outbox') ?? '[]') as { body: Record<string, unknown> }[]);
      assert.equal(queued.length, 1);
      assert.deepEqual(queued[0]!.body, { country: 'GB', account: 'Written without a connection.' });
      assert.equal(await reportCount(suite), before, 'not sent while offline');
      await expectHealthyPage(page);

      await context.setOffline(false);
      const receipt = page.locator('[data-queued-receipt]');
      await receipt.waitFor();
      assert.match((await receipt.textContent()) ?? '', /^[0-9A-Z]{4}(-[0-9A-Z]{4})+$/);
      assert.equal(await reportCount(suite), before + 1);
      assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), [], 'the queue and the receipt code are gone from the device');

      // Opening CAST again sends nothing more.
      await page.reload();
      await page.waitForTimeout(500);
      assert.equal(await reportCount(suite), before + 1, 'sent exactly once');
      await expectHealthyPage(page);
      await expectNoCspViolations(page);
    } finally {
      await close();
    }
  });

  test('a queued report is sent anonymously, even when someone is signed in by the time it goes', async () => {
    const person = await createAccount(suite.server.cast.database);
    const { context, page, close } = await openSession(suite.browser);
    try {
      await signInWithPassword(page, suite.server.url, person.email);
      await visit(page, suite.server.url, '/report');
      await page.getByLabel('Country where it happened').selectOption('FR');
      await page.getByLabel('What you saw (optional)').fill('Sent later, without my name.');
      await context.setOffline(true);
      await button(page, 'Send report').click();
      await button(page, 'Send it when I am back online').click();
      const before = await reportCount(suite);
      await context.setOffline(false);
      await page.locator('[data-queued-receipt]').waitFor();
      assert.equal(await reportCount(suite), before + 1);
      const mine = await page.evaluate(() => fetch('/api/v1/my/reports').then((r) => r.json() as Promise<unknown[]>));
      assert.equal(mine.length, 0, 'not tied to the account signed in when it was sent');
    } finally {
      await close();
    }
  });

  test('with a kept draft the form opens without a connection, from the service worker', async () => {
    const { context, page, close } = await openSession(suite.browser);
    try {
      await recordCspViolations(page);
      await visit(page, suite.server.url, '/report');
      await page.getByLabel('Keep a draft on this device').check();
      await page.getByLabel('What you saw (optional)').fill('Typed before the tunnel.');
      await page.waitForFunction(() => localStorage.getItem('cast:draft')?.includes('tunnel'));
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      await page.waitForFunction(() => caches.keys().then(async (keys) => keys.length === 1 && (await (await caches.open(keys[0]!)).match('/report')) !== undefined));
      await context.setOffline(true);
      await page.reload();
      await page.getByText('Your draft was restored from this device.').waitFor();
      assert.equal(await page.getByLabel('What you saw (optional)').inputValue(), 'Typed before the tunnel.');
      await expectNoCspViolations(page);
      await context.setOffline(false);
    } finally {
      await close();
    }
  });

  test('a queued report the server refuses goes back into the form, and nothing is lost', async () => {
    const { context, page, close } = await openSession(suite.browser);
    try {
      await visit(page, suite.server.url, '/report');
      await page.getByLabel('Country where it happened').selectOption('GB');
      await page.getByLabel('About how many people (optional)').fill('lots');
      await page.getByLabel('What you saw (optional)').fill('The count is not a number.');
      await context.setOffline(true);
      await button(page, 'Send report').click();
      await button(page, 'Send it when I am back online').click();
      assert.equal(await page.getByLabel('What you saw (optional)').inputValue(), '', 'the form is emptied once the device holds the report');
      const before = await reportCount(suite);
      await context.setOffline(false);
      await page.getByText(/could not be sent as it was\. It is back in the form/).waitFor();
      assert.equal(await page.getByLabel('What you saw (optional)').inputValue(), 'The count is not a number.');
      assert.equal(await page.getByLabel('About how many people (optional)').inputValue(), 'lots');
      assert.equal(await reportCount(suite), before);
      assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), [], 'back in the page, not on the device');
      await page.getByText('About how many people (optional): This value is not valid.').waitFor();
      // The API's 422 is logged by Chromium as a failed load: expected here, so only accessibility is checked.
      await expectNoAxeViolations(page);
    } finally {
      await close();
    }
  });

  test('the web app manifest names CAST discreetly and its icons are served', async () => {
    const manifest = (await (await fetch(`${suite.server.url}/manifest.webmanifest`)).json()) as { name: string; start_url: string; display: string; icons: { src: string; type: string }[] };
    assert.equal(manifest.name, 'CAST');
    assert.equal(manifest.start_url, '/report');
    assert.equal(manifest.display, 'standalone');
    for (const icon of manifest.icons) {
      const response = await fetch(`${suite.server.url}${icon.src}`);
      assert.equal(response.status, 200, icon.src);
      assert.equal(response.headers.get('content-type')?.split(';')[0], icon.type, icon.src);
    }
  });

  test('leave no trace empties the device, unregisters the service worker and leaves without a way back', async () => {
    const { context, page, close } = await openSession(suite.browser);
    try {
      await stubOutside(context);
      await recordCspViolations(page);
      await visit(page, suite.server.url, '/report');
      await page.getByLabel('Keep a draft on this device').check();
      await page.getByLabel('What you saw (optional)').fill('To be wiped.');
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await page.waitForFunction(() => caches.keys().then((keys) => keys.length > 0));
      await page.evaluate(async () => {
        sessionStorage.setItem('cast:test', 'x');
        await new Promise((resolve) => {
          const request = indexedDB.open('cast-test');
          request.onsuccess = () => {
            request.result.close();
            resolve(undefined);
          };
        });
      });
      const full = await deviceContents(page);
      assert.ok(full.localStorage.includes('cast:draft') && full.caches.length > 0 && full.workers === 1 && full.indexedDB.includes('cast-test'));

      await Promise.all([page.waitForURL(NEUTRAL), page.getByRole('button', { name: 'Leave no trace', exact: true }).click()]);
      await visit(page, suite.server.url, '/leave-no-trace');
      assert.deepEqual(await deviceContents(page), EMPTY);
      await expectHealthyPage(page);
      await expectNoCspViolations(page);
    } finally {
      await close();
    }
  });

  test('the no-JavaScript leave-no-trace form answers with Clear-Site-Data and sends the person on', async () => {
    const { context, page, close } = await openSession(suite.browser, { javaScriptEnabled: false });
    try {
      await stubOutside(context);
      await visit(page, suite.server.url, '/leave-no-trace');
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/leave-no-trace') && r.request().method() === 'POST'), page.getByRole('button', { name: 'Leave no trace', exact: true }).click()]);
      assert.equal(response.status(), 303);
      assert.equal(await response.headerValue('clear-site-data'), '"cache", "storage", "cookies"');
      await page.waitForURL(NEUTRAL);
    } finally {
      await close();
    }
  });

  test('quick exit replaces the history entry, by the link or by pressing Escape three times', async () => {
    const { context, page, close } = await openSession(suite.browser);
    try {
      await stubOutside(context);
      await recordCspViolations(page);
      for (const how of ['link', 'escape'] as const) {
        await page.goto(ELSEWHERE);
        await visit(page, suite.server.url, '/report');
        const length = await page.evaluate(() => history.length);
        await expectNoCspViolations(page);
        const leaving = page.waitForURL(NEUTRAL);
        if (how === 'link') await page.getByRole('link', { name: 'Leave this site quickly' }).click();
        else for (let i = 0; i < 3; i += 1) await page.keyboard.press('Escape');
        await leaving;
        assert.equal(await page.evaluate(() => history.length), length, `${how}: the history did not grow`);
        await page.goBack();
        assert.equal(page.url(), ELSEWHERE, `${how}: going back does not return to CAST`);
      }

      // Opted in, quick exit also empties the device on the way out.
      await visit(page, suite.server.url, '/report');
      await page.getByLabel('Keep a draft on this device').check();
      await page.getByLabel('Quick exit also removes CAST from this device').check();
      await page.getByLabel('What you saw (optional)').fill('Gone with the quick exit.');
      await page.waitForFunction(() => localStorage.getItem('cast:draft')?.includes('quick exit'));
      await Promise.all([page.waitForURL(NEUTRAL), page.getByRole('link', { name: 'Leave this site quickly' }).click()]);
      await visit(page, suite.server.url, '/leave-no-trace');
      assert.deepEqual(await deviceContents(page), EMPTY);
    } finally {
      await close();
    }
  });
});
