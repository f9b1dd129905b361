/** Sign-up in a real browser, with the confirmation mail delivered over SMTP, then sign-in and sign-out. */
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { PASSWORD, uniqueEmail } from '../support/accounts.ts';
import { button, expectHealthyPage, openSession, signInWithPassword, submitWith, visit, useBrowserSuite } from '../support/browser.ts';
import { linkFrom } from '../support/client.ts';

/** Screenshots are for a person to look at, not committed: they go to the system's temporary directory. */
const SCREENSHOTS = path.join(os.tmpdir(), 'cast-e2e');

describe('sign-up with the confirmation mail, in the browser', () => {
  const suite = useBrowserSuite({ mailbox: true });

  test('a person signs up, follows the link in the mail, signs in, sees the account page and signs out', async () => {
    const email = uniqueEmail('suite.browser');
    const { page, close } = await openSession(suite.browser);
    try {
      await visit(page, suite.server.url, '/');
      await expectHealthyPage(page);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'home.png'), fullPage: true });

      await submitWith(page, page.locator('header').getByRole('link', { name: 'Create an account' }));
      assert.equal(new URL(page.url()).pathname, '/signup');
      await expectHealthyPage(page);
      await page.getByLabel('Name').fill('Ada Browser');
      await page.getByLabel('E-mail address').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      const sent = await submitWith(page, button(page, 'Create account'));
      assert.equal(sent.status(), 200);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Check your e-mail');
      await expectHealthyPage(page);

      const mail = await suite.mailbox.waitFor(email, /Confirm/, 30_000);
      const confirmed = await visit(page, suite.server.url, linkFrom(mail.text, '/confirm-email/'));
      assert.equal(confirmed.status(), 200);
      assert.match((await page.locator('main').textContent()) ?? '', /is confirmed/);
      await expectHealthyPage(page);

      await submitWith(page, page.locator('main').getByRole('link', { name: 'Sign in' }));
      await page.getByLabel('E-mail address').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      const signedIn = await submitWith(page, page.locator('main').getByRole('button', { name: 'Sign in', exact: true }));
      assert.equal(signedIn.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/');
      await expectHealthyPage(page);

      await submitWith(page, page.getByRole('link', { name: 'Your account' }));
      assert.equal(new URL(page.url()).pathname, '/account');
      await expectHealthyPage(page);
      const main = (await page.locator('main').textContent()) ?? '';
      assert.ok(main.includes(email), 'the account page shows the address');
      assert.ok(main.includes('Ada Browser'));
      assert.match(main, /Two-factor authentication is off/);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'account.png'), fullPage: true });

      await submitWith(page, page.locator('header').getByRole('button', { name: 'Sign out' }));
      assert.equal(new URL(page.url()).pathname, '/');
      assert.equal(await page.locator('header').getByRole('link', { name: 'Sign in' }).count(), 1, 'signed out: the header offers sign-in again');
      await expectHealthyPage(page);
      const account = await visit(page, suite.server.url, '/account');
      assert.equal(new URL(account.url()).pathname, '/signin', 'signed out: the account page sends to sign-in');
    } finally {
      await close();
    }
  });

  test('an unconfirmed account cannot sign in yet, and is told why', async () => {
    const email = uniqueEmail('early');
    const { page, close } = await openSession(suite.browser);
    try {
      await visit(page, suite.server.url, '/signup');
      await page.getByLabel('Name').fill('Early Bird');
      await page.getByLabel('E-mail address').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await submitWith(page, button(page, 'Create account'));
      const early = await signInWithPassword(page, suite.server.url, email);
      assert.equal(early.status(), 422);
      await expectHealthyPage(page);
      assert.match((await page.getByRole('alert').first().textContent()) ?? '', /Confirm your e-mail address first/);
      assert.equal(await page.getByLabel('E-mail address').inputValue(), email, 'the address typed is kept');
    } finally {
      await close();
    }
  });
});
