/**
 * Exports in a real browser, every page checked with axe: from a filtered work queue to the export
 * form (the filters carried over), a GeoJSON download, a refused restricted export that keeps what
 * was chosen, and "your exports" with a finished job's progress and download link.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { button, enterCode, expectHealthyPage, openSession, secretOnPage, signInWithPassword, submitWith, useBrowserSuite, visit } from '../support/browser.ts';
import { A_REPORT, listedGroup, person, sendReport } from '../support/reports.ts';

const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';

describe('exports, in the browser', () => {
  const suite = useBrowserSuite();

  test('a coordinator exports a filtered queue as GeoJSON, is asked for a reason for restricted fields, and sees a finished job', async () => {
    const { server } = suite;
    const national = await person(server, { role: 'national-coordinator', country: 'GB' });
    const coordinator = await person(server, { twoFactor: false });
    const groupId = await listedGroup(coordinator, national, { lat: 51.45, lon: -2.59, radiusKm: 10 });
    await sendReport(server, A_REPORT);
    await sendReport(server, { ...A_REPORT, placeType: 'hotel' });
    const session = await openSession(suite.browser, { acceptDownloads: true });
    try {
      const page = session.page;
      assert.equal((await signInWithPassword(page, server.url, coordinator.email)).status(), 200);
      await visit(page, server.url, '/account/two-factor');
      assert.equal((await enterCode(page, await secretOnPage(page), 'Turn on two-factor authentication')).status(), 200);

      assert.equal((await visit(page, server.url, `/groups/${groupId}/reports?placeType=hotel`)).status(), 200);
      assert.equal((await submitWith(page, page.getByRole('link', { name: /Export these reports/ }))).status(), 200);
      await expectHealthyPage(page);
      assert.match(await mainText(page), /Place type: hotel/);

      await page.getByLabel('Format').selectOption('geojson');
      const [download] = await Promise.all([page.waitForEvent('download'), button(page, 'Export').click()]);
      assert.match(download.suggestedFilename(), /^cast-reports-group-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.geojson$/);
      const collection = JSON.parse(fs.readFileSync((await download.path()), 'utf8')) as { type: string; features: { properties: { place_type: string } }[] };
      assert.equal(collection.type, 'FeatureCollection');
      assert.deepEqual(
        collection.features.map((f) => f.properties.place_type),
        ['hotel'],
        'the queue filter went along',
      );

      await page.getByLabel(/Include restricted fields/).check();
      await page.getByLabel('Why do you need restricted fields?').fill('too short');
      assert.equal((await submitWith(page, button(page, 'Export'))).status(), 422);
      await expectHealthyPage(page);
      assert.match(await mainText(page), /Give a reason of 10 to 500 characters/);
      assert.equal(await page.getByLabel('Why do you need restricted fields?').inputValue(), 'too short', 'what was typed is kept');
      assert.equal(await page.getByLabel(/Include restricted fields/).isChecked(), true);
      assert.equal(await page.getByLabel('Format').inputValue(), 'geojson');

      const started = await coordinator.api.json('POST', '/api/v1/exports', { groupId, format: 'csv' }, coordinator.token);
      assert.equal(started.status, 202, started.text);
      const { id } = started.json<{ id: string }>();
      for (let i = 0; i < 100 && (await coordinator.api.json('GET', `/api/v1/exports/${id}`, undefined, coordinator.token)).json<{ status: string }>().status !== 'done'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal((await visit(page, server.url, '/exports')).status(), 200);
      await expectHealthyPage(page);
      assert.match(await mainText(page), /Ready — 2 of 2 reports/);
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download' }).click()]);
      assert.match(fs.readFileSync((await file.path()), 'utf8'), /^\uFEFFreference,received_on/);
    } finally {
      await session.close();
    }
  });
});
