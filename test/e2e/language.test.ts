/** The language switch in a real browser: a visitor's choice lasts across pages; a member's is kept on the account. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createAccount } from '../support/accounts.ts';
import { expectHealthyPage, openSession, signInWithPassword, submitWith, visit, useBrowserSuite } from '../support/browser.ts';

const languageOf = (page: Page) => page.locator('html').getAttribute('lang');
const heading = async (page: Page) => ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim();

/** Clicks a language in the footer's language menu. */
function switchTo(page: Page, current: 'en' | 'fr', label: 'Français' | 'English') {
  const menu = page.locator('footer').getByRole('navigation', { name: current === 'en' ? 'Language' : 'Langue' });
  return submitWith(page, menu.getByRole('link', { name: label }));
}

describe('choosing the language, in the browser', () => {
  const suite = useBrowserSuite();

  test('a visitor switches to French on the home page, and every page stays French until they switch back', async () => {
    const { page, close } = await openSession(suite.browser);
    try {
      await visit(page, suite.server.url, '/');
      assert.equal(await languageOf(page), 'en');
      await expectHealthyPage(page);

      await switchTo(page, 'en', 'Français');
      assert.equal(new URL(page.url()).pathname, '/', 'the switch comes back to the same page');
      assert.equal(await languageOf(page), 'fr');
      assert.match(await heading(page), /La traite se déroule sous nos yeux/);
      assert.equal(await page.locator('footer [aria-current="true"]').textContent(), 'Français');
      await expectHealthyPage(page);

      await submitWith(page, page.locator('header').getByRole('link', { name: 'Se connecter' }));
      assert.equal(new URL(page.url()).pathname, '/signin');
      assert.equal(await languageOf(page), 'fr');
      assert.equal(await page.getByRole('button', { name: 'Se connecter' }).count(), 1);
      await expectHealthyPage(page);

      await submitWith(page, page.locator('header').getByRole('link', { name: 'Créer un compte' }));
      assert.equal(await languageOf(page), 'fr');
      await expectHealthyPage(page);

      await switchTo(page, 'fr', 'English');
      assert.equal(new URL(page.url()).pathname, '/signup', 'the switch comes back to the same page');
      assert.equal(await languageOf(page), 'en');
      assert.equal(await heading(page), 'Create an account');
      await expectHealthyPage(page);
    } finally {
      await close();
    }
  });

  test('a signed-in member’s choice is stored on the account and follows them to a new suite.browser', async () => {
    const { email } = await createAccount(suite.server.cast.database, { role: 'member' });

    const first = await openSession(suite.browser);
    try {
      const { page } = first;
      await signInWithPassword(page, suite.server.url, email);
      assert.equal(new URL(page.url()).pathname, '/');
      assert.equal(await languageOf(page), 'en');
      await switchTo(page, 'en', 'Français');
      assert.equal(await languageOf(page), 'fr');
      await submitWith(page, page.locator('header').getByRole('link', { name: 'Votre compte' }));
      assert.equal(await heading(page), 'Votre compte');
      assert.equal(await languageOf(page), 'fr');
      await expectHealthyPage(page);
    } finally {
      await first.close();
    }

    // A new suite.browser has no language cookie and asks for English: the account's choice wins once signed in.
    const second = await openSession(suite.browser);
    try {
      const { page } = second;
      await signInWithPassword(page, suite.server.url, email);
      assert.equal(new URL(page.url()).pathname, '/');
      assert.equal(await languageOf(page), 'fr', 'the language chosen earlier is kept on the account');
      await expectHealthyPage(page);
      await visit(page, suite.server.url, '/account');
      assert.equal(await heading(page), 'Votre compte');
      await expectHealthyPage(page);

      await switchTo(page, 'fr', 'English');
      assert.equal(new URL(page.url()).pathname, '/account');
      assert.equal(await languageOf(page), 'en');
      assert.equal(await heading(page), 'Your account');
      await expectHealthyPage(page);
    } finally {
      await second.close();
    }

    const third = await openSession(suite.browser);
    try {
      await signInWithPassword(third.page, suite.server.url, email);
      assert.equal(await languageOf(third.page), 'en', 'switching back is stored too');
    } finally {
      await third.close();
    }
  });
});
