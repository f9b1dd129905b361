/**
 * In a real browser: find a Freedom Week event in the public calendar, add it to a calendar (download
 * its .ics, parsed back with ical.js), and sign up to attend; every page passes axe. Also the donate
 * page of an instance without payment keys.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import ICAL from 'ical.js';
import { button, expectHealthyPage, openSession, submitWith, useBrowserSuite, visit } from '../support/browser.ts';
import { person } from '../support/people.ts';

describe('Freedom Week events in the browser', () => {
  const suite = useBrowserSuite();

  test('find a Freedom Week event, add it to a calendar, sign up', async () => {
    const year = new Date().getUTCFullYear() + 1;
    const editor = await person(suite.server, { role: 'editor', scopes: ['events:write'] });
    const created = await editor.api.json('POST', '/api/v1/events', { title: 'Freedom Week: film and talk', description: 'A screening, then a talk on spotting exploitation.', start: `${year}-11-26 19:00`, end: `${year}-11-26 21:00`, timeZone: 'Europe/London', place: 'Central Library, Bristol', campaign: 'freedom-week', capacity: 40 }, editor.token);
    assert.equal(created.status, 201, created.text);

    const { page, close } = await openSession(suite.browser, { acceptDownloads: true });
    try {
      assert.equal((await visit(page, suite.server.url, '/events')).status(), 200);
      await expectHealthyPage(page);
      await submitWith(page, page.getByRole('link', { name: 'Freedom Week', exact: true }));
      assert.equal(new URL(page.url()).search, '?campaign=freedom-week');
      await expectHealthyPage(page);
      await submitWith(page, page.getByRole('link', { name: 'Freedom Week: film and talk' }));
      await expectHealthyPage(page);
      assert.match((await page.locator('main').textContent()) ?? '', /40 places left of 40/);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Add to my calendar (.ics)' }).click()]);
      const ics = fs.readFileSync(await download.path(), 'utf8');
      assert.match(ics, /^BEGIN:VCALENDAR\r\n/);
      const vevent = new ICAL.Component(ICAL.parse(ics) as unknown[]).getFirstSubcomponent('vevent')!;
      const event = new ICAL.Event(vevent);
      assert.equal(event.summary, 'Freedom Week: film and talk');
      assert.equal(event.startDate.toJSDate().toISOString(), `${year}-11-26T19:00:00.000Z`);
      assert.equal(event.location, 'Central Library, Bristol');

      await page.getByLabel('Your name').fill('Sam Taylor');
      await page.getByLabel('Your e-mail address').fill('sam.taylor@example.org');
      const signedUp = await submitWith(page, button(page, 'Sign up'));
      assert.equal(signedUp.status(), 200);
      await expectHealthyPage(page);
      assert.match((await page.getByRole('status').textContent()) ?? '', /You are signed up/);
      assert.match((await page.locator('main').textContent()) ?? '', /39 places left of 40/);

      assert.equal((await visit(page, suite.server.url, '/donate')).status(), 200);
      await expectHealthyPage(page);
    } finally {
      await close();
    }
  });
});
