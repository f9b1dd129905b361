/**
 * The report form in Chromium with JavaScript switched off, as on a locked-down phone or Tor at its
 * safest: a person fills it in by its labels, sends it and sees the receipt; bad input comes back
 * with everything kept; the receipt code opens the follow-up page. axe checks every page.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { button, expectHealthyPage, openSession, submitWith, useBrowserSuite, visit } from '../support/browser.ts';

describe('the report form without JavaScript', () => {
  const suite = useBrowserSuite();

  test('fill in, send, see the receipt once; use the code to follow up', async () => {
    const { page, close } = await openSession(suite.browser, { javaScriptEnabled: false });
    try {
      await visit(page, suite.server.url, '/');
      await expectHealthyPage(page);
      await submitWith(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Report what you saw' }));
      assert.equal(new URL(page.url()).pathname, '/report');
      await expectHealthyPage(page);
      const quickExit = page.getByRole('link', { name: 'Leave this site quickly' });
      assert.equal(await quickExit.getAttribute('href'), 'https://www.bbc.com/weather');
      assert.equal(await quickExit.getAttribute('rel'), 'noreferrer');
      assert.match((await page.locator('.safety').textContent()) ?? '', /call the police on 999/);

      await page.getByLabel('Country where it happened').selectOption('GB');
      await page.getByLabel('Latitude').fill('51.4545');
      await page.getByLabel('Longitude').fill('-2.5879');
      await page.getByLabel('Address or place name (optional)').fill('Car wash on Mill Road');
      await page.getByLabel('What kind of place (optional)').selectOption('car-wash');
      await page.getByLabel('Day you saw it (optional)').fill('2026-01-10');
      await page.getByLabel('Time of day, roughly (optional)').selectOption('evening');
      await page.getByLabel('Forced labour', { exact: true }).check();
      await page.getByLabel('Taken to work in groups').check();
      await page.getByLabel('Someone speaks for them').check();
      await page.getByLabel('About how many people (optional)').fill('6');
      await page.getByLabel('Kind of detail 1').selectOption('phone');
      await page.getByLabel('Detail 1', { exact: true }).fill('07700 900123');
      await page.getByLabel('What you saw (optional)').fill('Workers dropped off at 6am, collected after 10pm.');
      const sent = await submitWith(page, button(page, 'Send report'));
      assert.equal(sent.status(), 200);
      assert.equal(sent.headers()['cache-control'], 'no-store');
      await expectHealthyPage(page);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Your report was sent');
      const code = ((await page.locator('[data-receipt-code]').textContent()) ?? '').trim();
      assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);

      await submitWith(page, page.getByRole('link', { name: 'Add to your report later' }));
      await expectHealthyPage(page);
      await page.getByLabel('Receipt code').fill(code);
      const status = await submitWith(page, button(page, "See the report's status"));
      assert.equal(status.status(), 200);
      await expectHealthyPage(page);
      assert.equal(await page.locator('[data-report-status]').textContent(), 'Received');
      await page.getByLabel('What you want to add').fill('The van comes back on Tuesdays.');
      const added = await submitWith(page, button(page, 'Add to my report'));
      assert.equal(added.status(), 200);
      await expectHealthyPage(page);
      assert.match((await page.getByRole('status').textContent()) ?? '', /What you added has been saved/);
    } finally {
      await close();
    }
  });

  test('bad input keeps every value and says what is wrong at the field', async () => {
    const { page, close } = await openSession(suite.browser, { javaScriptEnabled: false });
    try {
      await visit(page, suite.server.url, '/report');
      await page.getByLabel('Country where it happened').selectOption('GB');
      await page.getByLabel('Address or place name (optional)').fill('Nail bar by the station');
      const future = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
      await page.getByLabel('Day you saw it (optional)').fill(future);
      await page.getByLabel('Very long hours, no breaks').check();
      await page.getByLabel('Kind of detail 2').selectOption('plate');
      await page.getByLabel('Detail 2', { exact: true }).fill('AB12 CDE');
      await page.getByLabel('What you saw (optional)').fill('Open until 2am every day.');
      await page.getByLabel('How to reach you').fill('me@example.org');
      const bad = await submitWith(page, button(page, 'Send report'));
      assert.equal(bad.status(), 422);
      await expectHealthyPage(page);

      const summary = page.getByRole('alert');
      assert.match((await summary.textContent()) ?? '', /This date is in the future/);
      assert.match((await summary.textContent()) ?? '', /Tick the box to agree to be contacted/);
      const date = page.getByLabel('Day you saw it (optional)');
      assert.equal(await date.getAttribute('aria-invalid'), 'true');
      assert.match((await date.getAttribute('aria-describedby')) ?? '', /field-observedFrom-error/);

      assert.equal(await page.getByLabel('Country where it happened').inputValue(), 'GB');
      assert.equal(await page.getByLabel('Address or place name (optional)').inputValue(), 'Nail bar by the station');
      assert.equal(await date.inputValue(), future);
      assert.equal(await page.getByLabel('Very long hours, no breaks').isChecked(), true);
      assert.equal(await page.getByLabel('Kind of detail 1').inputValue(), 'plate', 'the detail is kept (first row now)');
      assert.equal(await page.getByLabel('Detail 1', { exact: true }).inputValue(), 'AB12 CDE');
      assert.equal(await page.getByLabel('What you saw (optional)').inputValue(), 'Open until 2am every day.');
      assert.equal(await page.getByLabel('How to reach you').inputValue(), 'me@example.org');

      // Add more rows without JavaScript: the same form again, nothing lost, nothing sent.
      const more = await submitWith(page, button(page, 'Add more rows'));
      assert.equal(more.status(), 200);
      await expectHealthyPage(page);
      assert.equal(await page.getByLabel('Detail 4', { exact: true }).inputValue(), '');
      assert.equal(await page.getByLabel('Detail 1', { exact: true }).inputValue(), 'AB12 CDE');

      await date.fill('2026-01-10');
      await page.getByLabel('I agree to be contacted about this report.').check();
      const sent = await submitWith(page, button(page, 'Send report'));
      assert.equal(sent.status(), 200);
      await expectHealthyPage(page);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Your report was sent');
    } finally {
      await close();
    }
  });

  test('a follow-up with an unknown code says so plainly', async () => {
    const { page, close } = await openSession(suite.browser, { javaScriptEnabled: false, locale: 'fr-FR' });
    try {
      await visit(page, suite.server.url, '/report/follow-up');
      await expectHealthyPage(page);
      await page.getByLabel('Code de reçu').fill('2222-3333-4444-5555-6666');
      const unknown = await submitWith(page, button(page, "Voir l'état du signalement"));
      assert.equal(unknown.status(), 404);
      await expectHealthyPage(page);
      assert.equal(await page.getByLabel('Code de reçu').inputValue(), '');
    } finally {
      await close();
    }
  });
});
