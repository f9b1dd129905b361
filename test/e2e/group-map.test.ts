/**
 * The group map in a real browser under the site's CSP: a coordinator sees the group's reports as
 * clusters on the offline map and the same counts in the table, filters by exploitation type with
 * the GET form and sees both follow; every page passes axe. Without JavaScript the page is the form
 * and the tables.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { button, enterCode, expectHealthyPage, openSession, secretOnPage, signInWithPassword, submitWith, useBrowserSuite, visit } from '../support/browser.ts';
import { listedGroup, person, sendReport } from '../support/reports.ts';

const clusterTotal = (page: Page) =>
  page.evaluate(() => Array.from(document.querySelectorAll('.group-map-cluster')).reduce((n, el) => n + Number(el.textContent ?? 0), 0));
const tableTotal = async (page: Page) => Number(await page.locator('[data-map-total]').getAttribute('data-map-total'));

describe('the group map, in the browser', () => {
  const suite = useBrowserSuite();

  test('a coordinator sees clusters and the table agree, and filters them by type', async () => {
    const { server } = suite;
    const national = await person(server, { role: 'national-coordinator', country: 'GB' });
    const coordinator = await person(server, { twoFactor: false });
    const groupId = await listedGroup(coordinator, national, { lat: 51.45, lon: -2.59, radiusKm: 12 });
    for (const types of [['labour'], ['labour'], ['labour', 'sexual'], ['sexual']]) await sendReport(server, { country: 'GB', location: { lat: 51.4545, lon: -2.5879 }, exploitationTypes: types });
    await sendReport(server, { country: 'GB', location: { lat: 51.5, lon: -2.5 }, exploitationTypes: ['criminal'] });

    const session = await openSession(suite.browser);
    try {
      const page = session.page;
      await signInWithPassword(page, server.url, coordinator.email);
      await visit(page, server.url, '/account/two-factor');
      assert.equal((await enterCode(page, await secretOnPage(page), 'Turn on two-factor authentication')).status(), 200);

      assert.equal((await visit(page, server.url, `/groups/${groupId}/map`)).status(), 200);
      const map = page.getByRole('region', { name: /^Map of reports/ });
      await map.waitFor();
      await map.locator('.group-map-cluster').first().waitFor();
      await page.waitForFunction(() => /5 reports in view/.test(document.querySelector('[data-group-map-status]')?.textContent ?? ''));
      assert.equal(await clusterTotal(page), 5);
      assert.equal(await tableTotal(page), 5, 'the table holds the same count as the map');
      await expectHealthyPage(page);

      await page.getByLabel('Sexual exploitation').check();
      assert.equal((await submitWith(page, button(page, 'Apply filters'))).status(), 200);
      assert.match(page.url(), /type=sexual/);
      await map.locator('.group-map-cluster').first().waitFor();
      await page.waitForFunction(() => /2 reports in view/.test(document.querySelector('[data-group-map-status]')?.textContent ?? ''));
      assert.equal(await clusterTotal(page), 2);
      assert.equal(await tableTotal(page), 2);
      assert.ok(await page.getByLabel('Sexual exploitation').isChecked(), 'the form keeps the filter');
      await expectHealthyPage(page);
    } finally {
      await session.close();
    }

    // A member without JavaScript: the members' table of cells (cell A holds 4; the other only 1, so it is not shown).
    const member = await person(server, { twoFactor: false });
    const asked = await member.api.json('POST', `/api/v1/groups/${groupId}/join-requests`, {}, member.token);
    await coordinator.api.json('PUT', `/api/v1/groups/${groupId}/join-requests/${asked.json<{ id: string }>().id}`, { decision: 'approve' }, coordinator.token);
    const noScript = await openSession(suite.browser, { javaScriptEnabled: false });
    try {
      const page = noScript.page;
      await signInWithPassword(page, server.url, member.email);
      assert.equal((await visit(page, server.url, `/groups/${groupId}/map`)).status(), 200);
      const text = (await page.locator('main').textContent()) ?? '';
      assert.match(text, /The map needs JavaScript/);
      assert.deepEqual(await page.locator('[data-member-cell] td').allTextContents(), ['4']);
      await expectHealthyPage(page);
    } finally {
      await noScript.close();
    }
  });
});
