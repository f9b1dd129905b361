/**
 * Action Packs in Chromium: from the home page to a pack, its PDF and the "Would you know?"
 * self-check with JavaScript off; every pack page in both languages, the lists, the "what to look
 * for" pages and the self-check pass axe; a pack prints without the site's menus; the home page's
 * actions fit a phone's screen.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { packContent } from '../../src/modules/packs/content.ts';
import { button, expectHealthyPage, openSession, submitWith, useBrowserSuite, visit } from '../support/browser.ts';

describe('Action Packs and the self-check in a browser', () => {
  const suite = useBrowserSuite();

  test('home page → a pack → its PDF → the self-check, without JavaScript', async () => {
    const { page, close } = await openSession(suite.browser, { javaScriptEnabled: false });
    try {
      await visit(page, suite.server.url, '/');
      await expectHealthyPage(page);
      const campaign = page.getByRole('article', { name: 'Stop sex trafficking in our communities' });
      await submitWith(page, campaign.getByRole('link', { name: 'Action Packs on this campaign' }));
      assert.equal(new URL(page.url()).search, '?topic=sex-trafficking');
      await expectHealthyPage(page);
      await submitWith(page, page.getByRole('link', { name: 'Action Pack for schools — sex trafficking' }));
      assert.equal(new URL(page.url()).pathname, '/packs/schools-sex-trafficking');
      await expectHealthyPage(page);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Action Pack for schools — sex trafficking');
      assert.ok(await page.getByRole('heading', { name: 'What to look for' }).isVisible());

      // The PDF link, fetched as the browser would (with its cookies) rather than through a download prompt.
      const href = (await page.getByRole('link', { name: 'Download as PDF' }).getAttribute('href'))!;
      assert.equal(href, '/api/v1/packs/schools-sex-trafficking/pdf?lang=en&version=1');
      const pdf = await page.request.get(new URL(href, suite.server.url).toString());
      assert.equal(pdf.status(), 200);
      assert.equal(pdf.headers()['content-type'], 'application/pdf');
      assert.match(pdf.headers()['content-disposition'] ?? '', /filename="cast-schools-sex-trafficking-en-v1.pdf"/);
      assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');

      await submitWith(page, page.getByRole('link', { name: 'Would you know?' }).first());
      assert.equal(new URL(page.url()).pathname, '/self-check/the-flat-upstairs');
      await expectHealthyPage(page);
      await page.getByLabel('Different men come and go at all hours, each staying less than an hour.').check();
      await page.getByLabel('The women speak a language you do not recognise.').check();
      const result = await submitWith(page, button(page, 'Check my answers'));
      assert.equal(result.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/self-check/the-flat-upstairs/result');
      await expectHealthyPage(page);
      assert.equal(await page.getByRole('status').textContent(), 'You noticed 1 of the 4 signs.');
      assert.ok(await page.getByRole('link', { name: 'Report what you saw' }).first().isVisible());
    } finally {
      await close();
    }
  });

  test('every pack page in both languages, the lists, the "what to look for" pages and the self-check pass axe', async () => {
    const { page, close } = await openSession(suite.browser);
    try {
      const paths = ['/packs', '/packs?audience=pirates', '/packs/no-such-pack', '/what-to-look-for', '/what-to-look-for/sexual', '/what-to-look-for/labour?country=FR', '/self-check', '/self-check/the-car-wash'];
      for (const pack of packContent().packs.values()) for (const language of pack.text.keys()) paths.push(`/packs/${pack.slug}?lang=${language}&version=${pack.version}`);
      for (const path of paths) {
        await visit(page, suite.server.url, path);
        await expectHealthyPage(page);
      }
      // A self-check sent with no ticks, and a result page.
      await visit(page, suite.server.url, '/self-check/the-car-wash');
      await submitWith(page, button(page, 'Check my answers'));
      assert.equal(await page.getByRole('status').textContent(), 'You noticed 0 of the 4 signs.');
      await expectHealthyPage(page);
    } finally {
      await close();
    }
  });

  test('a pack prints without menus, and the home page fits a phone', async () => {
    const { page, close } = await openSession(suite.browser, { viewport: { width: 360, height: 740 } });
    try {
      await visit(page, suite.server.url, '/packs/community-groups-sex-trafficking');
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.site-header').evaluate((e) => getComputedStyle(e).display), 'none');
      assert.equal(await page.locator('.pack-actions').evaluate((e) => getComputedStyle(e).display), 'none');
      assert.ok(await page.getByRole('heading', { name: 'What to look for' }).isVisible());
      await page.emulateMedia({ media: 'screen' });

      await visit(page, suite.server.url, '/');
      await expectHealthyPage(page);
      const report = page.getByRole('link', { name: 'Report what you saw' }).last();
      const box = (await report.boundingBox())!;
      assert.ok(box.height >= 44, `the report action is ${box.height}px high`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'nothing overflows sideways');
    } finally {
      await close();
    }
  });
});
