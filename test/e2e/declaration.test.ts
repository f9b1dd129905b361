/** The declaration in a real browser: sign, confirm from the e-mail (over SMTP), see the count rise; every page passes axe. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { uniqueEmail } from '../support/accounts.ts';
import { button, expectHealthyPage, openSession, submitWith, useBrowserSuite, visit } from '../support/browser.ts';
import { linkFrom } from '../support/client.ts';

const SLUG = 'stop-the-traffik';

describe('the declaration, in the browser', () => {
  const suite = useBrowserSuite({ mailbox: true });

  async function total(): Promise<number> {
    const answer = await fetch(`${suite.server.url}/api/v1/declarations/${SLUG}/counts`);
    return ((await answer.json()) as { total: number }).total;
  }

  test('a person signs, confirms from the e-mail and sees the count rise', async () => {
    const email = uniqueEmail('signer');
    const before = await total();
    const { page, close } = await openSession(suite.browser);
    try {
      await visit(page, suite.server.url, '/declarations');
      await expectHealthyPage(page);
      await submitWith(page, page.locator('main').getByRole('link', { name: 'Stop the traffik: our declaration' }));
      assert.equal(new URL(page.url()).pathname, `/declarations/${SLUG}`);
      await expectHealthyPage(page);

      // A mistake first: the form comes back with the message and what was typed.
      await page.getByLabel('Your name').fill('Efua Browser');
      await page.getByLabel('Your e-mail address').fill('efua.example.org');
      await page.getByLabel('Country where you live').selectOption('GH');
      const wrong = await submitWith(page, button(page, 'Sign'));
      assert.equal(wrong.status(), 422);
      assert.match((await page.locator('.error-summary').textContent()) ?? '', /needs an @/);
      assert.equal(await page.getByLabel('Your name').inputValue(), 'Efua Browser');
      await expectHealthyPage(page);

      await page.getByLabel('Your e-mail address').fill(email);
      assert.equal(await page.getByLabel(/Keep me informed/).isChecked(), false, 'the opt-in starts unticked');
      const signed = await submitWith(page, button(page, 'Sign'));
      assert.equal(signed.status(), 200);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Check your e-mail');
      await expectHealthyPage(page);

      const mail = await suite.mailbox.waitFor(email, /Confirm your signature/, 30_000);
      await visit(page, suite.server.url, linkFrom(mail.text, '/declarations/confirm/'));
      await expectHealthyPage(page);
      const confirmed = await submitWith(page, button(page, 'Confirm my signature'));
      assert.equal(confirmed.status(), 200);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Thank you: your signature counts');
      await expectHealthyPage(page);

      // The count rises within a few seconds (readings are kept one second).
      let shown = '';
      for (;;) {
        await visit(page, suite.server.url, `/declarations/${SLUG}/counts`);
        shown = (await page.locator('main').textContent()) ?? '';
        if (shown.includes(`${(before + 1).toLocaleString('en')} ${before + 1 === 1 ? 'person has' : 'people have'} signed`)) break;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      assert.match(shown, /Ghana/);
      assert.equal(await page.locator('svg.country-map').count(), 1);
      await expectHealthyPage(page);
      assert.equal(await total(), before + 1);
    } finally {
      await close();
    }
  });

  test('the French pages read in French and pass axe', async () => {
    const { page, close } = await openSession(suite.browser, { locale: 'fr-FR', extraHTTPHeaders: { 'accept-language': 'fr' } });
    try {
      await visit(page, suite.server.url, `/declarations/${SLUG}`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Stop the traffik : notre déclaration');
      await expectHealthyPage(page);
      await visit(page, suite.server.url, `/declarations/${SLUG}/counts`);
      await expectHealthyPage(page);
    } finally {
      await close();
    }
  });
});
