/**
 * The map picker in a real browser under the site's real CSP: a signed-in person starts a group by
 * clicking on the offline map and dragging the marker, sees the latitude and longitude filled in,
 * changes the radius and sees the circle follow, and the group is created at that point. Without
 * JavaScript the same form is plain inputs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createAccount, PASSWORD } from '../support/accounts.ts';
import { button, expectHealthyPage, openSession, signInWithPassword, submitWith, useBrowserSuite, visit } from '../support/browser.ts';

/** Collects securitypolicyviolation events from the first script on every document (init scripts are not subject to the page's CSP). */
async function recordCspViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
}

const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
const value = async (page: Page, label: string) => Number(await page.getByLabel(label, { exact: true }).inputValue());

describe('the map picker, in the browser', () => {
  const suite = useBrowserSuite();

  test('a group is started at a point clicked on the map, with the radius shown as a circle', async () => {
    const person = await createAccount(suite.server.cast.database);
    const session = await openSession(suite.browser);
    const { page } = session;
    try {
      await recordCspViolations(page);
      await signInWithPassword(page, suite.server.url, person.email);
      await visit(page, suite.server.url, '/groups/new');

      const map = page.getByRole('region', { name: /^Map: click or drag the marker/ });
      await map.waitFor();
      // The offline basemap has arrived when Leaflet has drawn its land polygons.
      await map.locator('path[fill="#f4f1e8"]').first().waitFor();
      await expectHealthyPage(page);

      await page.getByLabel('Group name').fill('Harbour CAST');
      await page.getByLabel('Kind of group').selectOption('neighbourhood');
      await page.getByLabel('Country').selectOption('GB');
      await page.getByLabel('Town, city or area').fill('Bristol');

      // The map opens on the whole world centred near 20° N, 0° E; zoomed in (as a person would, with the
      // buttons) a click in its middle lands there.
      for (let i = 0; i < 4; i += 1) {
        await map.getByRole('button', { name: 'Zoom in' }).click();
        await page.waitForFunction(() => !document.querySelector('.leaflet-zoom-anim'));
      }
      await map.click();
      const lat = await value(page, 'Latitude of the centre');
      const lon = await value(page, 'Longitude of the centre');
      assert.ok(Math.abs(lat - 20) < 1 && Math.abs(lon) < 1, `clicked near 20, 0 and got ${lat}, ${lon}`);
      for (const label of ['Latitude of the centre', 'Longitude of the centre']) {
        assert.match(await page.getByLabel(label, { exact: true }).inputValue(), /^-?\d+(\.\d{1,5})?$/, 'rounded to 5 decimals');
      }
      const marker = map.locator('.map-picker-marker');
      await marker.waitFor();

      // Dragging the marker east moves the point east.
      await marker.scrollIntoViewIfNeeded();
      const at = (await marker.boundingBox())!;
      await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
      await page.mouse.down();
      await page.mouse.move(at.x + at.width / 2 + 40, at.y + at.height / 2, { steps: 8 });
      await page.mouse.up();
      const draggedLon = await value(page, 'Longitude of the centre');
      assert.ok(draggedLon > lon + 1, `dragging east moved the longitude from ${lon} to ${draggedLon}`);

      // Typing moves the marker; the radius draws a circle that follows it.
      const circle = map.locator('path[stroke="#b10e1e"]');
      assert.equal(await circle.count(), 0, 'no circle before there is a radius');
      await page.getByLabel('Radius in kilometres').fill('150');
      await circle.waitFor();
      const small = (await circle.boundingBox())!;
      await page.getByLabel('Radius in kilometres').fill('190');
      const large = (await circle.boundingBox())!;
      assert.ok(large.width > small.width, `the circle grew with the radius (${small.width} → ${large.width})`);

      const finalLat = await page.getByLabel('Latitude of the centre', { exact: true }).inputValue();
      const finalLon = await page.getByLabel('Longitude of the centre', { exact: true }).inputValue();
      // Nothing in the map takes keyboard focus: keyboard users have the inputs.
      assert.equal(await map.locator('a:not([tabindex="-1"]), button:not([tabindex="-1"]), [tabindex]:not([tabindex="-1"])').count(), 0);
      await expectHealthyPage(page);
      assert.deepEqual(await cspViolations(page), []);

      const created = await submitWith(page, button(page, 'Start the group'));
      assert.equal(created.status(), 200);
      assert.match(new URL(page.url()).pathname, /^\/groups\/[0-9a-f-]{36}$/);
      const text = (await page.locator('main').textContent()) ?? '';
      assert.ok(text.includes(`Around ${Number(finalLat)}, ${Number(finalLon)} within 190 km`), `the group is at the chosen point: ${text}`);
      await expectHealthyPage(page);
      assert.deepEqual(await cspViolations(page), []);
    } finally {
      await session.close();
    }
  });

  test('without JavaScript the area is plain labelled inputs', async () => {
    const person = await createAccount(suite.server.cast.database);
    const session = await openSession(suite.browser, { javaScriptEnabled: false });
    const { page } = session;
    try {
      // By hand: the sign-in helper runs axe, which needs script in the page.
      await visit(page, suite.server.url, '/signin');
      await page.getByLabel('E-mail address').fill(person.email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await submitWith(page, page.locator('main').getByRole('button', { name: 'Sign in', exact: true }));
      await visit(page, suite.server.url, '/groups/new');
      assert.equal(await page.locator('.leaflet-container').count(), 0);
      for (const label of ['Latitude of the centre', 'Longitude of the centre', 'Radius in kilometres']) assert.ok(await page.getByLabel(label, { exact: true }).isVisible(), label);
      // (No axe run here: it needs script in the page. The markup is the same as the checked page's, less the map.)
    } finally {
      await session.close();
    }
  });
});
