/** Forms in a real browser: bad input keeps what was typed and says what is wrong; forms work without JavaScript. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAccount, PASSWORD, uniqueEmail } from '../support/accounts.ts';
import { button, expectHealthyPage, expectNoConsoleProblems, openSession, submitWith, visit, useBrowserSuite } from '../support/browser.ts';

describe('forms in the browser', () => {
  const suite = useBrowserSuite();

  test('bad input on sign-up keeps what was typed, marks each field and links the summary to it', async () => {
    const { page, close } = await openSession(suite.browser);
    try {
      await visit(page, suite.server.url, '/signup');
      await page.getByLabel('Name').fill('Cy <script>');
      await page.getByLabel('E-mail address').fill('not-an-address');
      await page.getByLabel('Password', { exact: true }).fill('short');
      const response = await submitWith(page, button(page, 'Create account'));
      assert.equal(response.status(), 422);
      assert.equal(new URL(page.url()).pathname, '/signup');
      await expectHealthyPage(page);

      assert.equal(await page.getByLabel('Name').inputValue(), 'Cy <script>', 'what was typed is kept, as text');
      assert.equal(await page.getByLabel('E-mail address').inputValue(), 'not-an-address');
      assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'a password is never sent back');

      const emailField = page.getByLabel('E-mail address');
      assert.equal(await emailField.getAttribute('aria-invalid'), 'true');
      const described = (await emailField.getAttribute('aria-describedby')) ?? '';
      assert.match(described, /field-email-error/);
      assert.match((await page.locator('#field-email-error').textContent()) ?? '', /Enter an e-mail address such as name@example.org/);
      assert.equal(await page.getByLabel('Name').getAttribute('aria-invalid'), null, 'a good field is not marked');
      assert.match((await page.locator('#field-password-error').textContent()) ?? '', /at least 10 characters/, 'the password rules are reported in the same round');

      const summary = page.getByRole('alert');
      assert.match((await summary.textContent()) ?? '', /Please correct the following/);
      await summary.getByRole('link', { name: /Enter an e-mail address/ }).click();
      await page.waitForURL(/#field-email$/);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-email', 'the summary link takes the focus to the field');

      // Fixing only the address still leaves the short password marked.
      await emailField.fill(uniqueEmail('fixed'));
      await page.getByLabel('Password', { exact: true }).fill('short');
      const weak = await submitWith(page, button(page, 'Create account'));
      assert.equal(weak.status(), 422);
      await expectHealthyPage(page);
      assert.match(await emailField.inputValue(), /^fixed\./, 'the corrected address is kept');
      assert.equal(await emailField.getAttribute('aria-invalid'), null);
      assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), 'true');
      assert.match((await page.locator('#field-password-error').textContent()) ?? '', /at least 10 characters/);

      // Correcting the last mistake on the same page works.
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      const fixed = await submitWith(page, button(page, 'Create account'));
      assert.equal(fixed.status(), 200);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Check your e-mail');
      await expectHealthyPage(page);
    } finally {
      await close();
    }
  });

  test('a wrong password on sign-in says so without saying which part was wrong, and keeps the address', async () => {
    const { email } = await createAccount(suite.server.cast.database, { role: 'member' });
    const { page, close } = await openSession(suite.browser);
    try {
      await visit(page, suite.server.url, '/signin');
      await page.getByLabel('E-mail address').fill(email);
      await page.getByLabel('Password', { exact: true }).fill('not the password at all');
      const response = await submitWith(page, page.locator('main').getByRole('button', { name: 'Sign in', exact: true }));
      assert.equal(response.status(), 422);
      await expectHealthyPage(page);
      assert.match((await page.getByRole('alert').first().textContent()) ?? '', /The e-mail address or password is not right/);
      assert.equal(await page.getByLabel('E-mail address').inputValue(), email);
    } finally {
      await close();
    }
  });

  test('from the keyboard, the first Tab shows the skip link, which moves the focus to the content', async () => {
    const { page, close } = await openSession(suite.browser);
    try {
      await visit(page, suite.server.url, '/signin');
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'Skip to content' });
      assert.equal(await skip.evaluate((element) => element === document.activeElement), true);
      const box = await skip.boundingBox();
      assert.ok(box && box.x >= 0 && box.width > 0, 'the focused skip link is on screen');
      await page.keyboard.press('Enter');
      await page.waitForURL(/#main$/);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name), 'email', 'the next Tab reaches the first field of the form');
      expectNoConsoleProblems(page);
    } finally {
      await close();
    }
  });

  test('with JavaScript switched off, signing in and out still works', async () => {
    const { email } = await createAccount(suite.server.cast.database, { role: 'member' });
    // No axe here: axe is JavaScript, and evaluating it with scripts disabled crashes the page.
    const { page, close } = await openSession(suite.browser, { javaScriptEnabled: false });
    try {
      await visit(page, suite.server.url, '/signin');
      await page.getByLabel('E-mail address').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      const signedIn = await submitWith(page, page.locator('main').getByRole('button', { name: 'Sign in', exact: true }));
      assert.equal(signedIn.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/');
      await submitWith(page, page.locator('header').getByRole('link', { name: 'Your account' }));
      assert.equal(new URL(page.url()).pathname, '/account');
      assert.ok(((await page.locator('main').textContent()) ?? '').includes(email));

      // A form that fails validation comes back with its message, still without any script.
      await page.getByLabel('Current password').fill(PASSWORD);
      await page.getByLabel('New password').fill('short');
      const refused = await submitWith(page, button(page, 'Change password'));
      assert.equal(refused.status(), 422);
      assert.match((await page.locator('#field-newPassword-error').textContent()) ?? '', /at least 10 characters/);

      await submitWith(page, page.locator('header').getByRole('button', { name: 'Sign out' }));
      assert.equal(new URL(page.url()).pathname, '/');
      assert.equal(await page.locator('header').getByRole('link', { name: 'Sign in' }).count(), 1);
      expectNoConsoleProblems(page);
    } finally {
      await close();
    }
  });
});
