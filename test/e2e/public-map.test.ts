/**
 * The public map in a real browser under the site's CSP: the hexagons drawn on the offline basemap,
 * the filters (an ordinary GET form), and the table view listing exactly the cells the map drew.
 * Without JavaScript the filters and the table still work.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { before, describe, test } from 'node:test';
import { latLngToCell } from 'h3-js';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { refreshPublicMap } from '../../src/modules/map/index.ts';
import { button, expectHealthyPage, openSession, submitWith, useBrowserSuite, visit } from '../support/browser.ts';

const PLACES = [
  { lat: 51.5072, lon: -0.1276, n: 6, types: ['labour'], receivedOn: '2025-05-05' },
  { lat: 5.3599, lon: -4.0083, n: 7, types: ['sexual'], receivedOn: '2025-07-07' },
  { lat: -33.8688, lon: 151.2093, n: 8, types: ['labour'], receivedOn: '2024-03-03' },
  // Below k: drawn nowhere, listed nowhere.
  { lat: 53.8008, lon: -1.5491, n: 4, types: ['labour'], receivedOn: '2025-05-05' },
];

/** The cells the island drew, as "h3:count", from the map element it annotates. */
async function drawnCells(page: Page): Promise<string[]> {
  const map = page.locator('.public-map-map[data-state="ready"]');
  await map.waitFor();
  const cells = (await map.getAttribute('data-cells')) ?? '';
  return cells.split(' ').filter(Boolean).sort();
}

async function tableCells(page: Page): Promise<string[]> {
  const rows = await page.locator('tr[data-h3]').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-h3')}:${tr.querySelector('td:last-child')?.textContent ?? ''}`));
  return rows.sort();
}

describe('the public map, in the browser', () => {
  const suite = useBrowserSuite();

  before(async () => {
    const db = suite.server.cast.database.db;
    for (const place of PLACES) {
      for (let i = 0; i < place.n; i += 1) {
        await sql`insert into reports (reference, receipt_hash, country, received_on, status, exploitation_types, h3_cell)
          values (${`R-${crypto.randomBytes(4).toString('hex').toUpperCase()}`}, ${crypto.randomBytes(32)}, 'GB', ${place.receivedOn}, 'graded', ${place.types}, ${latLngToCell(place.lat, place.lon, 7)})`.execute(db);
      }
    }
    while ((await suite.server.cast.jobs.pending('map.public-refresh')) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    await refreshPublicMap(db, { k: 5, delayDays: 7 });
  });

  test('draws the cells, filters them, and the table view lists exactly what the map drew', async () => {
    const session = await openSession(suite.browser);
    const { page } = session;
    try {
      await visit(page, suite.server.url, '/map');
      const region = page.getByRole('region', { name: 'Map of reports per area' });
      await region.waitFor();
      const drawn = await drawnCells(page);
      assert.equal(drawn.length, 3, `three cells at world zoom: ${drawn.join(' ')}`);
      assert.deepEqual(drawn.map((c) => Number(c.split(':')[1])).sort(), [6, 7, 8]);
      assert.equal(await region.locator('path.public-map-cell').count(), 3);
      // The offline basemap is under them.
      await region.locator('path[fill="#f4f1e8"]').first().waitFor();
      assert.equal(await page.getByRole('status').textContent(), '3 areas shown, 21 reports in all.');
      await expectHealthyPage(page);

      // The table view of the same view: the island points the link at the map's box and zoom.
      const link = page.getByRole('link', { name: 'Table view of the same numbers' });
      assert.match((await link.getAttribute('href')) ?? '', /^\/map\/table\?bbox=[-\d.%C]+&zoom=\d+$/);
      await submitWith(page, link);
      assert.deepEqual(await tableCells(page), drawn);
      await expectHealthyPage(page);

      // Filters: one kind of exploitation.
      await visit(page, suite.server.url, '/map');
      await page.getByLabel('Kind of exploitation').selectOption('labour');
      await submitWith(page, button(page, 'Show'));
      assert.match(page.url(), /\/map\?type=labour/);
      const labour = await drawnCells(page);
      assert.deepEqual(labour.map((c) => Number(c.split(':')[1])).sort(), [6, 8]);
      await expectHealthyPage(page);
      const labourLink = page.getByRole('link', { name: 'Table view of the same numbers' });
      assert.match((await labourLink.getAttribute('href')) ?? '', /type=labour/);
      await submitWith(page, labourLink);
      assert.deepEqual(await tableCells(page), labour);

      // A year with nothing published says so, without hinting at what is hidden.
      await visit(page, suite.server.url, '/map?type=labour&year=2023');
      await page.locator('.public-map-map[data-state="ready"]').waitFor();
      assert.equal(await page.getByRole('status').textContent(), 'No area to show for these choices.');
      await expectHealthyPage(page);
    } finally {
      await session.close();
    }
  });

  test('without JavaScript: the filters and the table view still work', async () => {
    const session = await openSession(suite.browser, { javaScriptEnabled: false });
    const { page } = session;
    try {
      await visit(page, suite.server.url, '/map');
      assert.equal(await page.locator('.leaflet-container').count(), 0);
      assert.ok(await page.getByText('The map needs JavaScript. The table view shows the same numbers.').isVisible());
      await page.getByLabel('Year received').selectOption('2024');
      await submitWith(page, button(page, 'Show'));
      assert.match(page.url(), /\/map\?type=&year=2024|\/map\?year=2024/);
      await submitWith(page, page.getByRole('link', { name: 'Table view of the same numbers' }));
      assert.deepEqual((await tableCells(page)).map((c) => c.split(':')[1]), ['8']);
    } finally {
      await session.close();
    }
  });
});
