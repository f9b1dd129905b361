/** The privacy notice, a purged report's follow-up page and the account export in a real browser: reached from the footer, in English and French, axe-clean; the export downloads. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { createAccount } from '../support/accounts.ts';
import { sql } from 'kysely';
import { runRetention } from '../../src/modules/retention/index.ts';
import { button, expectHealthyPage, openSession, signInWithPassword, submitWith, visit, useBrowserSuite } from '../support/browser.ts';
import { reportId, sendReport } from '../support/reports.ts';

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

  test('a reporter whose report was reduced to statistics is told so on the follow-up page, with the way to the notice', async () => {
    const db = suite.server.cast.database.db;
    const sent = await sendReport(suite.server);
    await sql`update reports set received_on = current_date - 800 where id = ${await reportId(suite.server, sent.reference)}`.execute(db);
    await runRetention(db, suite.server.config.retention);
    const { page, close } = await openSession(suite.browser, { javaScriptEnabled: false });
    try {
      await visit(page, suite.server.url, '/report/follow-up');
      await page.getByLabel('Receipt code').fill(sent.receiptCode);
      assert.equal((await submitWith(page, button(page, "See the report's status"))).status(), 200);
      const notice = page.getByRole('region', { name: 'Reduced to statistics' });
      assert.match((await notice.textContent()) ?? '', /reduced to statistics under CAST's retention policy/);
      assert.equal(await page.getByRole('button', { name: 'Add to my report' }).count(), 0, 'no form to add to it');
      await expectHealthyPage(page);
      await notice.getByRole('link', { name: /privacy notice/ }).click();
      await page.waitForURL(/\/privacy$/);
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
