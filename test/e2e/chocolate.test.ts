/**
 * The chocolate campaign in a real browser: the scorecard (sorted by a column, filtered by a grade),
 * a company page, the commitments and the guide; then the action e-mail from the form to the
 * company's inbox over SMTP, confirmed from the supporter's e-mail; and the editors' pages (a company
 * added in a form, after a mistake). Every page passes axe.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { uniqueEmail } from '../support/accounts.ts';
import { button, expectHealthyPage, openSession, signInWithPassword, submitWith, useBrowserSuite, visit } from '../support/browser.ts';
import { linkFrom } from '../support/client.ts';
import { COMPANIES_CSV, editor, importCsv } from '../../src/modules/chocolate/test-helpers.ts';

describe('the chocolate campaign, in the browser', () => {
  const suite = useBrowserSuite({ mailbox: true });

  test('scorecard → company → action e-mail, confirmed, in the company’s inbox', async () => {
    const { server, mailbox } = suite;
    const ed = await editor(server);
    await importCsv(ed, 'companies', COMPANIES_CSV);
    await importCsv(ed, 'assessments', ['company,criterion,year,grade,source_url,note', 'cocoa-giant,traceability,2025,C,https://example.org/giant,', 'bean-bros,traceability,2025,A,https://example.org/bean,'].join('\n'));
    const supporter = uniqueEmail('supporter');
    const { page, close } = await openSession(suite.browser);
    try {
      await visit(page, server.url, '/chocolate');
      await expectHealthyPage(page);
      const rows = () => page.locator('#scorecard tbody th').allTextContents();
      await submitWith(page, page.getByRole('link', { name: /^Traceability/ }));
      assert.deepEqual(await rows(), ['Bean Brothers SA', 'Cocoa Giant plc', 'Quiet Chocolate GmbH']);
      assert.equal(await page.locator('th[aria-sort]').getAttribute('aria-sort'), 'descending');
      await expectHealthyPage(page);
      // Filters are a plain GET form: grade A on traceability leaves one company.
      await page.getByLabel('Criterion').selectOption('traceability');
      await page.getByLabel('Grade', { exact: true }).selectOption('A');
      await submitWith(page, button(page, 'Show'));
      assert.deepEqual(await rows(), ['Bean Brothers SA']);
      assert.match(new URL(page.url()).search, /criterion=traceability&grade=A/);
      await expectHealthyPage(page);

      await visit(page, server.url, '/chocolate/commitments');
      await expectHealthyPage(page);
      await visit(page, server.url, '/chocolate/guide');
      assert.match((await page.locator('.countdown').textContent()) ?? '', /days? left until/);
      await expectHealthyPage(page);

      await visit(page, server.url, '/chocolate/companies/cocoa-giant');
      await expectHealthyPage(page);
      await submitWith(page, page.getByRole('link', { name: 'Write to Cocoa Giant plc' }));
      assert.equal(new URL(page.url()).pathname, '/chocolate/action');
      assert.ok(await page.getByLabel(/^Cocoa Giant plc/).isChecked());
      await expectHealthyPage(page);

      // A mistake first: the form comes back with the message and what was typed.
      await page.getByLabel('Your message').fill('My own words: please tell me who grows the cocoa in your Easter eggs, and whether they are paid enough to live on.');
      await page.getByLabel('Your e-mail address').fill(supporter);
      const wrong = await submitWith(page, button(page, 'Send me the confirmation e-mail'));
      assert.equal(wrong.status(), 422);
      assert.match((await page.locator('.error-summary').textContent()) ?? '', /Give your name/);
      assert.match(await page.getByLabel('Your message').inputValue(), /^My own words/);
      await expectHealthyPage(page);

      await page.getByLabel('Your name').fill('Kofi Browser');
      const started = await submitWith(page, button(page, 'Send me the confirmation e-mail'));
      assert.equal(started.status(), 200);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Check your e-mail');
      await expectHealthyPage(page);

      const mail = await mailbox.waitFor(supporter, /Confirm your chocolate action e-mail/, 30_000);
      await visit(page, server.url, linkFrom(mail.text, '/chocolate/action/confirm/'));
      await expectHealthyPage(page);
      const confirmed = await submitWith(page, button(page, 'Confirm and send'));
      assert.equal(confirmed.status(), 200);
      assert.match((await page.locator('main').textContent()) ?? '', /on its way to:\s*Cocoa Giant plc/);
      await expectHealthyPage(page);

      const inbox = await mailbox.waitFor('csr@cocoa-giant.example', /Please make your Easter chocolate traffik-free/, 30_000);
      assert.match(inbox.text, /My own words/);
      assert.match(inbox.text, /Kofi Browser/);
    } finally {
      await close();
    }

    const editing = await openSession(suite.browser);
    try {
      await signInWithPassword(editing.page, server.url, ed.email);
      await visit(editing.page, server.url, '/chocolate/manage');
      await expectHealthyPage(editing.page);
      await visit(editing.page, server.url, '/chocolate/manage/held');
      await expectHealthyPage(editing.page);

      // A company added in a form: a mistake first, kept and explained, then saved.
      await visit(editing.page, server.url, '/chocolate/manage/companies/new');
      await expectHealthyPage(editing.page);
      await editing.page.getByLabel('Short name for links').fill('browser-choc');
      await editing.page.getByLabel('Name', { exact: true }).fill('Browser Chocolate');
      await editing.page.getByLabel('Contact address for campaign e-mails').fill('not an address');
      const wrong = await submitWith(editing.page, button(editing.page, 'Save'));
      assert.equal(wrong.status(), 422);
      assert.match((await editing.page.locator('.error-summary').textContent()) ?? '', /Choose a country/);
      assert.equal(await editing.page.getByLabel('Name', { exact: true }).inputValue(), 'Browser Chocolate');
      await expectHealthyPage(editing.page);
      await editing.page.getByLabel('Country').selectOption('GB');
      await editing.page.getByLabel('Contact address for campaign e-mails').fill('hello@browser-choc.example');
      await submitWith(editing.page, button(editing.page, 'Save'));
      assert.match((await editing.page.locator('.notice').textContent()) ?? '', /Saved/);
      await expectHealthyPage(editing.page);

      await visit(editing.page, server.url, '/chocolate/manage/guide/new');
      await expectHealthyPage(editing.page);
      await visit(editing.page, server.url, '/chocolate/manage/campaigns/traffik-free-easter-2027');
      await expectHealthyPage(editing.page);
    } finally {
      await editing.close();
    }
  });
});
