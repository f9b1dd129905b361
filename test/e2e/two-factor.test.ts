/** Two-factor sign-in in a real browser: enrolment on first sign-in, then the code step on the next. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAccount } from '../support/accounts.ts';
import { button, enterCode, expectHealthyPage, openSession, secretOnPage, signInWithPassword, submitWith, useBrowserSuite } from '../support/browser.ts';

describe('sign-in with a one-time code, in the browser', () => {
  const suite = useBrowserSuite();

  test('an administrator enrols on first sign-in, then signs in with a code from the app', async () => {
    const { email } = await createAccount(suite.server.cast.database, { role: 'admin' });
    const first = await openSession(suite.browser);
    let secret: string;
    try {
      const { page } = first;
      const signedIn = await signInWithPassword(page, suite.server.url, email);
      assert.equal(signedIn.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/account/two-factor', 'an administrator must enrol first');
      await expectHealthyPage(page);
      assert.equal(await page.locator('header').getByRole('button', { name: 'Sign out' }).count(), 1, 'a person who cannot enrol now can still sign out');

      // A wrong code is refused on the page, with the field message, and nothing is switched on.
      await page.getByLabel('Code', { exact: true }).fill('000000');
      const wrong = await submitWith(page, button(page, 'Turn on two-factor authentication'));
      assert.equal(wrong.status(), 422);
      await expectHealthyPage(page);
      assert.equal(await page.getByLabel('Code', { exact: true }).getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByRole('heading', { name: 'Please correct the following' }).count(), 1);

      secret = await secretOnPage(page);
      const enrolled = await enterCode(page, secret, 'Turn on two-factor authentication');
      assert.equal(enrolled.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/account');
      assert.match((await page.getByRole('status').textContent()) ?? '', /Two-factor authentication is on/);
      await expectHealthyPage(page);

      await submitWith(page, page.locator('header').getByRole('button', { name: 'Sign out' }));
      assert.equal(new URL(page.url()).pathname, '/');
    } finally {
      await first.close();
    }

    const second = await openSession(suite.browser);
    try {
      const { page } = second;
      const signedIn = await signInWithPassword(page, suite.server.url, email);
      assert.equal(signedIn.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/signin/code', 'the password alone is not enough');
      await expectHealthyPage(page);
      // Half-way signed in: no account link, no second sign-in, but a way out.
      assert.equal(await page.locator('header').getByRole('link', { name: 'Your account' }).count(), 0);
      assert.equal(await page.locator('header').getByRole('link', { name: 'Sign in' }).count(), 0);
      assert.equal(await page.locator('header').getByRole('button', { name: 'Sign out' }).count(), 1);

      const done = await enterCode(page, secret, 'Continue');
      assert.equal(done.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/');
      await expectHealthyPage(page);
      await submitWith(page, page.locator('header').getByRole('link', { name: 'Your account' }));
      assert.equal(new URL(page.url()).pathname, '/account');
      assert.match((await page.locator('main').textContent()) ?? '', /Two-factor authentication is on/);
      await expectHealthyPage(page);
    } finally {
      await second.close();
    }
  });
});
