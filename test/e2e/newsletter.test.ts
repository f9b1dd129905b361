/**
 * The newsletter in a real browser, mail over SMTP: a person subscribes and confirms from the e-mail;
 * an editor writes, previews and sends an edition; the person receives it, unsubscribes with the link
 * it carries, and receives nothing more. Every page is checked with axe.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAccount } from '../support/accounts.ts';
import { button, expectHealthyPage, openSession, signInWithPassword, submitWith, useBrowserSuite, visit } from '../support/browser.ts';
import { confirmLinkFrom, unsubscribeTargets } from '../../src/modules/newsletter/test-helpers.ts';

describe('newsletter in the browser', () => {
  const suite = useBrowserSuite({ mailbox: true });

  test('subscribe, confirm, receive an edition, one-click unsubscribe, receive nothing more', async () => {
    const email = `reader.${Date.now()}@example.org`;
    const reader = await openSession(suite.browser);
    const editorSession = await openSession(suite.browser);
    try {
      const { page } = reader;
      await visit(page, suite.server.url, '/newsletter');
      await expectHealthyPage(page);
      await page.getByLabel('E-mail address').fill(email);
      await page.getByLabel('Your name').fill('Reader');
      assert.equal(await page.getByLabel(/General news/).isChecked(), true, 'the general list is offered ticked');
      const sent = await submitWith(page, button(page, 'Subscribe'));
      assert.equal(sent.status(), 200);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Check your inbox');
      await expectHealthyPage(page);

      const confirmation = await suite.mailbox.waitFor(email, /Confirm your subscription/, 30_000);
      await visit(page, suite.server.url, confirmLinkFrom(confirmation.text));
      await expectHealthyPage(page);
      const confirmed = await submitWith(page, button(page, 'Yes, subscribe me'));
      assert.equal(confirmed.status(), 200);
      assert.match((await page.locator('main').textContent()) ?? '', /subscription is confirmed/);
      await expectHealthyPage(page);

      const editor = await createAccount(suite.server.cast.database, { role: 'editor' });
      const ed = editorSession.page;
      await signInWithPassword(ed, suite.server.url, editor.email);
      await visit(ed, suite.server.url, '/newsletter/editions');
      await expectHealthyPage(ed);
      await ed.getByLabel('Subject').fill('Freedom Week is coming');
      await ed.getByLabel('Text (Markdown)').fill('# Freedom Week\n\nJoin an event **near you**.');
      await ed.getByLabel(/General news/).check();
      const created = await submitWith(ed, button(ed, 'Create edition'));
      assert.equal(created.status(), 200);
      assert.equal(await ed.locator('.edition-preview strong').textContent(), 'near you');
      await expectHealthyPage(ed);
      await submitWith(ed, button(ed, 'Send now to every subscriber of these lists'));
      assert.match((await ed.locator('main').textContent()) ?? '', /Sending has started/);
      await expectHealthyPage(ed);

      const edition = await suite.mailbox.waitFor(email, /^Freedom Week is coming$/, 30_000);
      const { path } = unsubscribeTargets(edition);
      await visit(page, suite.server.url, path);
      await expectHealthyPage(page);
      const left = await submitWith(page, button(page, 'Unsubscribe'));
      assert.equal(left.status(), 200);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'You are unsubscribed');
      await expectHealthyPage(page);

      // A second edition to the same list: everyone else would get it; the reader does not.
      const other = `other.${Date.now()}@example.org`;
      await visit(page, suite.server.url, '/newsletter');
      await page.getByLabel('E-mail address').fill(other);
      await submitWith(page, button(page, 'Subscribe'));
      await visit(page, suite.server.url, confirmLinkFrom((await suite.mailbox.waitFor(other, /Confirm/, 30_000)).text));
      await submitWith(page, button(page, 'Yes, subscribe me'));
      await visit(ed, suite.server.url, '/newsletter/editions');
      await ed.getByLabel('Subject').fill('Second edition');
      await ed.getByLabel('Text (Markdown)').fill('More news.');
      await ed.getByLabel(/General news/).check();
      await submitWith(ed, button(ed, 'Create edition'));
      await submitWith(ed, button(ed, 'Send now to every subscriber of these lists'));
      await suite.mailbox.waitFor(other, /^Second edition$/, 30_000);
      assert.equal(suite.mailbox.messages.filter((m) => m.to.includes(email) && m.subject === 'Second edition').length, 0, 'nothing more for the reader');
    } finally {
      await reader.close();
      await editorSession.close();
    }
  });
});
