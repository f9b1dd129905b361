/**
 * In a real browser, with payment keys and a local stand-in for Stripe's API (a third party): give with
 * Gift Aid, reach the payment step, come back confirmed (a webhook signed with Stripe's own helper),
 * and a finance officer downloads the Gift Aid claim; an editor publishes an event and reads who
 * signed up. Every page passes axe.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import Stripe from 'stripe';
import { createAccount } from '../support/accounts.ts';
import { button, enterCode, expectHealthyPage, launchBrowser, openSession, secretOnPage, signInWithPassword, submitWith, visit } from '../support/browser.ts';
import { Client } from '../support/client.ts';
import { fakeStripe, type FakeStripe } from '../support/fake-stripe.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const WEBHOOK_SECRET = 'whsec_e2eSecret123';

describe('donations and event organising in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let stripe: FakeStripe;

  before(async () => {
    stripe = await fakeStripe();
    [server, browser] = await Promise.all([startTestServer({ env: { STRIPE_SECRET_KEY: 'sk_test_e2e123', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: stripe.url } }), launchBrowser()]);
  });
  after(async () => {
    await browser.close();
    await server.close();
    await stripe.close();
  });

  test('give with Gift Aid, then the finance officer downloads the claim', async () => {
    const donor = await openSession(browser);
    let donationId: string;
    try {
      const { page } = donor;
      assert.equal((await visit(page, server.url, '/donate')).status(), 200);
      await expectHealthyPage(page);
      await page.getByLabel('Every month').check();
      await page.getByLabel('Amount').fill('12.50');
      await page.getByLabel('Add Gift Aid to my donation').check();
      await page.getByLabel('First name').fill('Ada');
      await page.getByLabel('Last name').fill('Lovelace');
      await page.getByLabel('Home address').fill('12 St James’s Square\nLondon');
      await page.getByLabel('Postcode').fill('SW1Y 4JH');
      // Forgetting to confirm the statement: the form comes back with the message and the input kept.
      const refused = await submitWith(page, button(page, 'Continue to payment'));
      assert.equal(refused.status(), 422);
      await expectHealthyPage(page);
      assert.equal(await page.getByLabel('Last name').inputValue(), 'Lovelace');
      await page.getByLabel('I confirm the statement above').check();
      const checkout = await submitWith(page, button(page, 'Continue to payment'));
      assert.equal(checkout.status(), 200);
      await expectHealthyPage(page);
      assert.match((await page.locator('main').textContent()) ?? '', /£12\.50 every month/);
      assert.match((await page.getByRole('link', { name: 'Pay securely with Stripe' }).getAttribute('href')) ?? '', /^https:\/\/checkout\.stripe\.com\//);
      donationId = new URL(page.url()).pathname.split('/').pop()!;

      // Stripe calls back: the subscription started and the first month is paid.
      const signer = new Stripe('sk_test_e2e123');
      const session = stripe.requests.at(-1)!;
      assert.equal(session.body.get('metadata[cast_donation_id]'), donationId);
      const invoice = { id: 'evt_e2e_1', object: 'event', type: 'invoice.paid', created: Math.floor(Date.now() / 1000), livemode: false, data: { object: { id: 'in_e2e_1', object: 'invoice', amount_paid: 1250, currency: 'gbp', parent: { subscription_details: { subscription: 'sub_e2e', metadata: { cast_donation_id: donationId } } } } } };
      const payload = JSON.stringify(invoice);
      const delivered = await new Client(server.url).request('POST', '/api/v1/donations/webhooks/stripe', { body: payload, headers: { 'content-type': 'application/json', 'stripe-signature': signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) } });
      assert.equal(delivered.status, 200);

      assert.equal((await visit(page, server.url, `/donate/thanks/${donationId}`)).status(), 200);
      await expectHealthyPage(page);
      assert.match((await page.locator('main').textContent()) ?? '', /Your payment is confirmed/);
    } finally {
      await donor.close();
    }

    const { email } = await createAccount(server.cast.database, { role: 'finance' });
    const officer = await openSession(browser, { acceptDownloads: true });
    try {
      const { page } = officer;
      await signInWithPassword(page, server.url, email);
      assert.equal(new URL(page.url()).pathname, '/account/two-factor', 'finance staff must set up two-factor first');
      await enterCode(page, await secretOnPage(page), 'Turn on two-factor authentication');
      assert.equal((await visit(page, server.url, '/donations/gift-aid')).status(), 200);
      await expectHealthyPage(page);
      const today = new Date().toISOString().slice(0, 10);
      await page.getByLabel('First day').fill(today);
      await page.getByLabel('Last day').fill(today);
      const [download] = await Promise.all([page.waitForEvent('download'), button(page, 'Download the claim (CSV)').click()]);
      // HMRC's schedule layout (the default): the house number alone and the date as DD/MM/YY.
      const csv = fs.readFileSync(await download.path(), 'utf8');
      assert.ok(csv.startsWith('"Title","First name","Last name","House name or number","Postcode","Aggregated donations","Sponsored event","Donation date","Amount"\r\n'));
      const line = csv.split('\r\n').find((l) => l.includes('Lovelace'));
      assert.ok(line, 'the paid month is in the claim');
      const [y, m, d] = today.split('-');
      assert.equal(line, `"","Ada","Lovelace","12","SW1Y 4JH","","","${d}/${m}/${y!.slice(2)}","12.50"`);

      // The full records, for the charity's files, name the donation.
      await page.getByLabel('Layout').selectOption('records');
      const [records] = await Promise.all([page.waitForEvent('download'), button(page, 'Download the claim (CSV)').click()]);
      assert.ok(fs.readFileSync(await records.path(), 'utf8').includes(donationId));
    } finally {
      await officer.close();
    }
  });

  test('the donate page reads well on a phone (375 px), with the Gift Aid fields open', async () => {
    const { page, close } = await openSession(browser, { viewport: { width: 375, height: 740 } });
    try {
      assert.equal((await visit(page, server.url, '/donate')).status(), 200);
      await page.getByLabel('Add Gift Aid to my donation').check();
      await page.getByLabel('Amount').fill('0');
      assert.equal((await submitWith(page, button(page, 'Continue to payment'))).status(), 422);
      await expectHealthyPage(page);
      const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(scrollWidth <= innerWidth, `nothing overflows sideways (${scrollWidth} > ${innerWidth})`);
      const pay = (await button(page, 'Continue to payment').boundingBox())!;
      // WCAG 2.2 (2.5.8, AA): a target at least 24 by 24 CSS pixels, within the screen.
      assert.ok(pay.width <= innerWidth && pay.width >= 24 && pay.height >= 24, `the button is a target a finger can hit (${pay.width}×${pay.height})`);
    } finally {
      await close();
    }
  });

  test('an editor publishes an event with the form and sees who signed up', async () => {
    const { email } = await createAccount(server.cast.database, { role: 'editor' });
    const { page, close } = await openSession(browser);
    try {
      await signInWithPassword(page, server.url, email);
      assert.equal((await visit(page, server.url, '/events/new')).status(), 200);
      await expectHealthyPage(page);
      const year = new Date().getUTCFullYear() + 1;
      await page.getByLabel('Title').fill('Freedom Week stall');
      await page.getByLabel('All day (start and end are days)').check();
      await page.getByLabel('Starts').fill(`${year}-11-28`);
      await page.getByLabel('Ends').fill(`${year}-11-27`);
      await page.getByLabel('Place', { exact: true }).fill('Market square, Leeds');
      await page.getByLabel('Campaign').selectOption('freedom-week');
      const refused = await submitWith(page, button(page, 'Publish the event'));
      assert.equal(refused.status(), 422);
      await expectHealthyPage(page);
      assert.match((await page.locator('main').textContent()) ?? '', /must end after it starts/);
      await page.getByLabel('Ends').fill(`${year}-11-28`);
      const published = await submitWith(page, button(page, 'Publish the event'));
      assert.equal(published.status(), 200);
      await expectHealthyPage(page);
      const eventPath = new URL(page.url()).pathname;
      await page.getByLabel('Your name').fill('Editor Too');
      await page.getByLabel('Your e-mail address').fill('editor.too@example.org');
      await submitWith(page, button(page, 'Sign up'));
      await submitWith(page, page.getByRole('link', { name: 'Who signed up (organisers)' }));
      await expectHealthyPage(page);
      assert.match((await page.locator('main').textContent()) ?? '', /editor\.too@example\.org/);
      assert.equal(new URL(page.url()).pathname, `${eventPath}/registrations`);
    } finally {
      await close();
    }
  });
});
