/**
 * In a real browser: find a Freedom Week event in the public calendar, add it to a calendar (download
 * its .ics, parsed back with ical.js), and sign up to attend; every page passes axe. Also the donate
 * page of an instance without payment keys. Then, on a phone (375 px wide): an organiser moves and
 * cancels an event, and a person cancels their place from the link in their e-mail.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import ICAL from 'ical.js';
import type { Page } from 'playwright-core';
import { changeNoticeDueNow } from '../../src/modules/events/test-helpers.ts';
import { createAccount } from '../support/accounts.ts';
import { button, expectHealthyPage, openSession, signInWithPassword, submitWith, useBrowserSuite, visit } from '../support/browser.ts';
import { Client } from '../support/client.ts';
import { person } from '../support/people.ts';

const PHONE = { width: 375, height: 740 };

/** Nothing sticks out sideways at a phone's width, and the page passes axe. */
async function fitsThePhone(page: Page): Promise<void> {
  await expectHealthyPage(page);
  const overflow = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(overflow[0]! <= overflow[1]!, `nothing overflows sideways (${overflow[0]} > ${overflow[1]}) on ${page.url()}`);
}

describe('Freedom Week events in the browser', () => {
  const suite = useBrowserSuite({ mailbox: true });

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
  test('on a phone: an organiser moves and cancels an event; a person cancels their place from their e-mail', async () => {
    const year = new Date().getUTCFullYear() + 1;
    const { email: editorEmail } = await createAccount(suite.server.cast.database, { role: 'editor' });
    const organiser = await person(suite.server, { role: 'editor', scopes: ['events:write'] });
    const created = await organiser.api.json('POST', '/api/v1/events', { title: 'Freedom Week picnic', description: 'Bring something to share.', start: `${year}-11-24 12:00`, end: `${year}-11-24 15:00`, place: 'Castle Park, Bristol', campaign: 'freedom-week', capacity: 30 }, organiser.token);
    const id = created.json<{ id: string }>().id;
    const other = `other.${id.slice(0, 6)}@example.org`;
    for (const email of [other, `second.${id.slice(0, 6)}@example.org`]) assert.equal((await new Client(suite.server.url).json('POST', `/api/v1/events/${id}/registrations`, { name: 'Other Person', email })).status, 201);

    const attendee = await openSession(suite.browser, { viewport: PHONE });
    try {
      const { page } = attendee;
      await visit(page, suite.server.url, '/events');
      await fitsThePhone(page);
      await visit(page, suite.server.url, `/events/${id}`);
      await fitsThePhone(page);
      await page.getByLabel('Your name').fill('Pat Jones');
      await page.getByLabel('Your e-mail address').fill(`pat.${id.slice(0, 6)}@example.org`);
      await submitWith(page, button(page, 'Sign up'));
      await fitsThePhone(page);
      assert.match((await page.locator('main').textContent()) ?? '', /27 places left of 30/);

      // The link in the confirmation: a page first, then the button cancels the place.
      const mail = await suite.mailbox.waitFor(`pat.${id.slice(0, 6)}@example.org`, /signed up/);
      const link = /(https?:\/\/\S+\/registrations\/cancel\?token=\S+)/.exec(mail.text)?.[1];
      assert.ok(link, mail.text);
      const url = new URL(link);
      await visit(page, suite.server.url, `${url.pathname}${url.search}`);
      await fitsThePhone(page);
      await submitWith(page, button(page, 'Cancel my place'));
      await fitsThePhone(page);
      assert.match((await page.getByRole('status').textContent()) ?? '', /Your place is cancelled/);
      assert.match((await page.locator('main').textContent()) ?? '', /28 places left of 30/);
    } finally {
      await attendee.close();
    }

    const editor = await openSession(suite.browser, { viewport: PHONE });
    try {
      const { page } = editor;
      await signInWithPassword(page, suite.server.url, editorEmail);
      await visit(page, suite.server.url, `/events/${id}`);
      await submitWith(page, page.getByRole('link', { name: 'Change the event' }));
      await fitsThePhone(page);
      // Fewer places than people signed up: refused, the input kept.
      await page.getByLabel('Places (optional)').fill('1');
      await page.getByLabel('Place', { exact: true }).fill('Queen Square, Bristol');
      assert.equal((await submitWith(page, button(page, 'Save the changes'))).status(), 422);
      await fitsThePhone(page);
      assert.equal(await page.getByLabel('Place', { exact: true }).inputValue(), 'Queen Square, Bristol');
      assert.match((await page.locator('main').textContent()) ?? '', /More people have already signed up than that/);
      await page.getByLabel('Places (optional)').fill('30');
      await submitWith(page, button(page, 'Save the changes'));
      await fitsThePhone(page);
      assert.match((await page.getByRole('status').textContent()) ?? '', /The event is updated/);
      // The change notice waits for more changes; here its window is over at once.
      await changeNoticeDueNow(suite.server.cast.database.db, id);
      const moved = await suite.mailbox.waitFor(other, /^Changed: Freedom Week picnic$/);
      assert.match(moved.text, /Queen Square, Bristol/);

      await submitWith(page, page.getByRole('link', { name: 'Cancel the event' }));
      await fitsThePhone(page);
      await page.getByLabel('Reason (optional)').fill('Storm warning for the whole day.');
      await submitWith(page, button(page, 'Cancel the event'));
      await fitsThePhone(page);
      assert.match((await page.locator('main').textContent()) ?? '', /This event is cancelled\.\s*Storm warning for the whole day\./);
      assert.equal(await page.getByLabel('Your name').count(), 0, 'no sign-up form on a cancelled event');
      const cancelled = await suite.mailbox.waitFor(other, /^Cancelled: Freedom Week picnic$/);
      assert.match(cancelled.text, /Storm warning/);
      await visit(page, suite.server.url, '/events?campaign=freedom-week');
      await fitsThePhone(page);
      assert.match((await page.locator('main').textContent()) ?? '', /Cancelled: Freedom Week picnic/);
    } finally {
      await editor.close();
    }
  });
});
