/** First run in a real browser: the one-time setup link creates the administrator, who then enrols in two-factor. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PASSWORD, uniqueEmail } from '../support/accounts.ts';
import { button, enterCode, expectHealthyPage, openSession, pathOf, secretOnPage, submitWith, visit, useBrowserSuite } from '../support/browser.ts';

describe('first-run setup in the browser', () => {
  const suite = useBrowserSuite();

  test('the setup link creates the first administrator, who must set up two-factor; the link then stops working', async () => {
    const setupLink = suite.server.cast.setupLink;
    assert.ok(setupLink, 'a fresh database has a setup link');
    const setupPath = pathOf(setupLink);
    const { page, close } = await openSession(suite.browser);
    try {
      const opened = await visit(page, suite.server.url, setupPath);
      assert.equal(opened.status(), 200);
      await expectHealthyPage(page);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Set up CAST');

      await page.getByLabel('Name').fill('Ada Admin');
      await page.getByLabel('E-mail address').fill(uniqueEmail('admin'));
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      const created = await submitWith(page, button(page, 'Create administrator'));
      assert.equal(created.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/account/two-factor');
      await expectHealthyPage(page);
      assert.match((await page.locator('main').textContent()) ?? '', /Your role needs two-factor authentication/);
      assert.equal(await page.getByRole('img', { name: /QR code/ }).count(), 1, 'the QR code has an accessible name');

      const secret = await secretOnPage(page);
      const enabled = await enterCode(page, secret, 'Turn on two-factor authentication');
      assert.equal(enabled.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/account');
      await expectHealthyPage(page);
      assert.match((await page.getByRole('status').textContent()) ?? '', /Two-factor authentication is on/);
      assert.match((await page.locator('main').textContent()) ?? '', /Roles\s*Administrator/);

      const again = await visit(page, suite.server.url, setupPath);
      assert.equal(again.status(), 404, 'the setup link works once');
      await expectHealthyPage(page);
      assert.match((await page.locator('main').textContent()) ?? '', /This link is not valid/);
    } finally {
      await close();
    }
  });
});
