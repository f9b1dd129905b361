/**
 * Routes in a real browser under the site's CSP: a coordinator's flow map drawn from the same rows as
 * the table, with the CTDC layer beside it, the period filter (an ordinary GET form, errors kept);
 * and the public statistics page. Every page passes axe.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { importCtdcFile } from '../../src/modules/routes/index.ts';
import { ROOT } from '../support/database.ts';
import { button, enterCode, expectHealthyPage, openSession, secretOnPage, signInWithPassword, submitWith, useBrowserSuite, visit } from '../support/browser.ts';
import { listedGroup, person, reportId, sendReport } from '../support/reports.ts';

const BRISTOL = { lat: 51.4545, lon: -2.5879 };

/** The flows the island drew, as "layer:from>to:count", from the map element it annotates. */
async function drawnFlows(page: Page): Promise<string[]> {
  const map = page.locator('.route-map[data-state="ready"]');
  await map.waitFor();
  return ((await map.getAttribute('data-flows')) ?? '').split(' ').filter(Boolean).sort();
}

async function tableFlows(page: Page): Promise<string[]> {
  return (
    await page.locator('table[data-route-flows] tbody tr').evaluateAll((rows) =>
      rows.map((row) => `${row.closest('table')!.getAttribute('data-route-flows')}:${row.getAttribute('data-from')}>${row.getAttribute('data-to')}:${row.getAttribute('data-count')}`),
    )
  ).sort();
}

describe('routes, in the browser', () => {
  const suite = useBrowserSuite();

  test('a coordinator sees the flow map and the table agree, with the CTDC layer apart, and filters by period and type', async () => {
    const { server } = suite;
    const national = await person(server, { role: 'national-coordinator', country: 'GB' });
    const coordinator = await person(server, { twoFactor: false });
    const groupId = await listedGroup(coordinator, national, { ...BRISTOL, radiusKm: 10 });
    for (const route of [{ origin: ['RO'] }, { origin: ['RO'] }, { origin: ['VN'], transit: ['FR'] }]) await sendReport(server, { country: 'GB', location: BRISTOL, exploitationTypes: ['labour'], route });
    const imported = await importCtdcFile(server.cast.database.db, path.join(ROOT, 'test/fixtures/ctdc/ctdc-v2024-sample.csv'), { label: 'Sample CTDC file' });
    assert.equal(imported.ok, true);

    const session = await openSession(suite.browser);
    try {
      const page = session.page;
      await signInWithPassword(page, server.url, coordinator.email);
      await visit(page, server.url, '/account/two-factor');
      assert.equal((await enterCode(page, await secretOnPage(page), 'Turn on two-factor authentication')).status(), 200);

      // From 2021: the CTDC sample's years (2021, 2022) are in the period, with this year's reports.
      assert.equal((await visit(page, server.url, `/groups/${groupId}/routes?from=2021-01`)).status(), 200);
      await page.getByRole('region', { name: /^Map of flows between countries/ }).waitFor();
      const drawn = await drawnFlows(page);
      assert.deepEqual(drawn, await tableFlows(page), 'the map draws exactly the rows of the tables');
      assert.deepEqual(drawn, ['cast:FR>GB:1', 'cast:RO>GB:2', 'cast:VN>FR:1', 'ctdc:AL>GB:25', 'ctdc:VN>GB:12'].sort());
      assert.equal(await page.locator('path.route-flow-cast').count() > 0, true);
      await page.getByRole('table', { name: /CTDC records by citizenship/ }).waitFor();
      await expectHealthyPage(page);

      // A bad month keeps what was typed and says what to do; then a period with no report.
      await page.getByLabel('From month').fill('June');
      assert.equal((await submitWith(page, button(page, 'Show'))).status(), 422);
      assert.equal(await page.getByLabel('From month').inputValue(), 'June');
      await page.getByText('Enter a month as YYYY-MM').first().waitFor();
      await expectHealthyPage(page);
      await page.getByLabel('From month').fill('2001-01');
      await page.getByLabel('To month').fill('2001-12');
      assert.equal((await submitWith(page, button(page, 'Show'))).status(), 200);
      await page.getByText('No report received from 2001-01 to 2001-12 names a route.').waitFor();
    } finally {
      await session.close();
    }
  });

  test('the public statistics page: only counts of at least 11, without an account, and with or without JavaScript', async () => {
    const { server } = suite;
    const db = server.cast.database.db;
    // Twelve reviewed RO→DE reports received in 2025 (moved back in time: the API keeps the day of arrival).
    const ids: string[] = [];
    for (let n = 0; n < 12; n += 1) ids.push(await reportId(server, (await sendReport(server, { country: 'DE', location: { lat: 52.52, lon: 13.4 }, exploitationTypes: ['sexual'], route: { origin: ['RO'] } })).reference));
    await sql`update reports set status = 'triaged', received_on = '2025-03-10' where id = any(${ids}::uuid[])`.execute(db);

    for (const javaScriptEnabled of [true, false]) {
      const session = await openSession(suite.browser, { javaScriptEnabled });
      try {
        const page = session.page;
        assert.equal((await visit(page, server.url, '/statistics')).status(), 200);
        await page.getByRole('heading', { name: 'Trafficking routes: public statistics' }).waitFor();
        const rows = await tableFlows(page);
        assert.ok(rows.includes('cast:RO>DE:12'), rows.join(' '));
        for (const row of rows) assert.ok(Number(row.split(':')[2]) >= 11, row);
        if (javaScriptEnabled) assert.deepEqual(await drawnFlows(page), rows);
        await page.getByLabel('Exploitation type').selectOption('labour');
        assert.equal((await submitWith(page, button(page, 'Show'))).status(), 200);
        assert.ok(!(await tableFlows(page)).includes('cast:RO>DE:12'));
        // No axe without JavaScript: axe is JavaScript, and evaluating it with scripts disabled crashes the page.
        if (javaScriptEnabled) await expectHealthyPage(page);
      } finally {
        await session.close();
      }
    }
  });
});
