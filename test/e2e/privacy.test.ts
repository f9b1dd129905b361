/** The privacy notice and the account export in a real browser: reached from the footer, in English and French, axe-clean; the export downloads. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { createAccount } from '../support/accounts.ts';
import { button, expectHealthyPage, openSession, signInWithPassword, visit, useBrowserSuite } from '../support/browser.ts';

describe('privacy notice and account export in the browser', () => {
  const suite = useBrowserSuite();

  test('the footer leads to the notice, which states the periods in English and French', async () => {
    const { page, close } = await openSession(suite.browser);
    try {
      await visit(page, suite.server.url, '/');
      await page.getByRole('contentinfo').getByRole('link', { name: /Privacy/ }).click();
      await page.waitForURL(/\/privacy$/);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Privacy: what CAST keeps and for how long');
      assert.match((await page.locator('#privacy-retention').locator('..').textContent()) ?? '', /730 days/);
      await expectHealthyPage(page);
      await visit(page, suite.server.url, '/language/fr?next=/privacy');
      assert.match((await page.getByRole('heading', { level: 1 }).textContent()) ?? '', /Confidentialité/);
      await expectHealthyPage(page);
    } finally {
      await close();
    }
  });

  test('a member downloads their data from the account page', async () => {
    const { email } = await createAccount(suite.server.cast.database);
    const { page, close } = await openSession(suite.browser, { acceptDownloads: true });
    try {
      await signInWithPassword(page, suite.server.url, email);
      await visit(page, suite.server.url, '/account');
      await expectHealthyPage(page);
      const [download] = await Promise.all([page.waitForEvent('download'), button(page, 'Download my data').click()]);
      assert.match(download.suggestedFilename(), /^cast-account-\d{4}-\d{2}-\d{2}\.json$/);
      const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8')) as { account: { email: string } };
      assert.equal(data.account.email, email);
    } finally {
      await close();
    }
  });
});
