/**
 * A coordinator grades a report in a real browser, every page checked with axe: the work queue, the
 * report page, triage, then a 2/B/P grade with a sanitised summary.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { button, enterCode, expectHealthyPage, openSession, secretOnPage, signInWithPassword, submitWith, useBrowserSuite, visit } from '../support/browser.ts';
import { A_REPORT, listedGroup, person, sendReport } from '../support/reports.ts';

const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';

describe('grading a report, in the browser', () => {
  const suite = useBrowserSuite();

  test('a coordinator opens the work queue and a report, triages it and grades it 2/B/P', async () => {
    const { server } = suite;
    const national = await person(server, { role: 'national-coordinator', country: 'GB' });
    const coordinator = await person(server, { twoFactor: false });
    const groupId = await listedGroup(coordinator, national, { lat: 51.45, lon: -2.59, radiusKm: 10 });
    const sent = await sendReport(server, A_REPORT);
    const session = await openSession(suite.browser);
    try {
      const page = session.page;
      assert.equal((await signInWithPassword(page, server.url, coordinator.email)).status(), 200);
      // Reviewing reports needs two-factor authentication: the work queue says so until it is on.
      assert.equal((await visit(page, server.url, `/groups/${groupId}/reports`)).status(), 403);
      assert.match(await mainText(page), /needs two-factor authentication/);
      await visit(page, server.url, '/account/two-factor');
      assert.equal((await enterCode(page, await secretOnPage(page), 'Turn on two-factor authentication')).status(), 200);

      assert.equal((await visit(page, server.url, `/groups/${groupId}/reports`)).status(), 200);
      await expectHealthyPage(page);
      assert.match(await mainText(page), new RegExp(sent.reference));

      assert.equal((await submitWith(page, page.getByRole('link', { name: sent.reference }))).status(), 200);
      await expectHealthyPage(page);
      assert.match(await mainText(page), /white van/);
      assert.match(await mainText(page), /Received/);

      assert.equal((await submitWith(page, button(page, 'Mark as triaged'))).status(), 200);
      assert.match(await mainText(page), /The report is triaged/);
      await expectHealthyPage(page);

      await page.getByLabel('Source evaluation').selectOption('2');
      await page.getByLabel('Intelligence assessment').selectOption('B');
      await page.getByLabel('Handling code').selectOption('P');
      await page.getByLabel('Priority').selectOption('high');
      await page.getByLabel('Sanitised summary').fill('Several workers at a car wash are moved together early and late; signs of control.');
      assert.equal((await submitWith(page, button(page, 'Save the grade'))).status(), 200);
      const text = await mainText(page);
      assert.match(text, /The grade is saved/);
      assert.match(text, /2\/B\/P, priority High/);
      assert.match(text, /Graded/);
      await expectHealthyPage(page);

      assert.equal((await visit(page, server.url, `/groups/${groupId}/reports?status=graded`)).status(), 200);
      assert.match(await mainText(page), /2\/B\/P/);
      await expectHealthyPage(page);
    } finally {
      await session.close();
    }
  });
});
