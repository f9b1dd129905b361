/**
 * Correlation in a real browser, every page checked with axe: two reports in two groups share a
 * phone number; group A's coordinator sees only a count on the links page and asks to be connected;
 * a national coordinator approves and confirms the link; A's coordinator then sees the other report
 * (through the connection) and the network's graph, table and timeline.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { button, enterCode, expectHealthyPage, openSession, secretOnPage, signInWithPassword, submitWith, useBrowserSuite, visit } from '../support/browser.ts';
import { A_REPORT, listedGroup, person, reportId, sendReport } from '../support/reports.ts';

const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';

describe('links and networks, in the browser', () => {
  const suite = useBrowserSuite();

  test('a coordinator sees a shared phone number as a count, asks to be connected, and after approval sees the link and the network', async () => {
    const { server } = suite;
    const national = await person(server, { role: 'national-coordinator', country: 'GB' });
    const coordinatorA = await person(server, { twoFactor: false });
    const coordinatorB = await person(server);
    await listedGroup(coordinatorA, national, { lat: 51.45, lon: -2.59, radiusKm: 10 });
    await listedGroup(coordinatorB, national, { lat: 53.8, lon: -1.55, radiusKm: 10 });
    const a = await reportId(server, (await sendReport(server, { ...A_REPORT, identifiers: [{ kind: 'phone', value: '07700 900456' }] })).reference);
    const sentB = await sendReport(server, { ...A_REPORT, location: { lat: 53.8, lon: -1.55 }, identifiers: [{ kind: 'phone', value: '+447700900456' }] });
    const api = (path: string, body?: unknown) => national.api.json(body === undefined ? 'GET' : 'POST', path, body, national.token);

    const session = await openSession(suite.browser);
    try {
      const page = session.page;
      assert.equal((await signInWithPassword(page, server.url, coordinatorA.email)).status(), 200);
      await visit(page, server.url, '/account/two-factor');
      assert.equal((await enterCode(page, await secretOnPage(page), 'Turn on two-factor authentication')).status(), 200);

      assert.equal((await visit(page, server.url, `/reports/${a}/links`)).status(), 200);
      await expectHealthyPage(page);
      let text = await mainText(page);
      assert.match(text, /This phone number also appears in 1 report held by other groups/);
      assert.ok(!text.includes(sentB.reference), 'the other group’s report is not named');

      // Bad input first: the form comes back with the message and nothing is sent.
      assert.equal((await submitWith(page, button(page, 'Send the request'))).status(), 422);
      assert.match(await mainText(page), /Say why you need to be connected/);
      await expectHealthyPage(page);
      await page.getByLabel('Reason').fill('The same phone number is in our car-wash report; we are about to talk to the police.');
      assert.equal((await submitWith(page, button(page, 'Send the request'))).status(), 200);
      assert.match(await mainText(page), /Your request was sent/);
      await expectHealthyPage(page);

      // The national coordinator approves and confirms the link, then makes a network of it.
      const requests = (await api('/api/v1/countries/GB/connection-requests?status=pending')).json<{ id: string }[]>();
      assert.equal((await api(`/api/v1/connection-requests/${requests[0]!.id}/decision`, { decision: 'approve' })).status, 200);
      const link = (await api(`/api/v1/reports/${a}/links`)).json<{ links: { id: string }[] }>().links[0]!;
      assert.equal((await api(`/api/v1/links/${link.id}/confirm`, {})).status, 200);
      const network = (await api('/api/v1/networks', { reportId: a, name: 'Car washes sharing a phone', summary: 'Two car washes in two cities, one phone number.' })).json<{ id: string }>();

      assert.equal((await visit(page, server.url, `/reports/${a}/links`)).status(), 200);
      text = await mainText(page);
      assert.match(text, new RegExp(sentB.reference));
      assert.match(text, /seen through an approved connection/);
      assert.match(text, /Same phone number/);
      await expectHealthyPage(page);

      assert.equal((await visit(page, server.url, '/networks')).status(), 200);
      await expectHealthyPage(page);
      assert.equal((await submitWith(page, page.getByRole('link', { name: 'Car washes sharing a phone' }))).status(), 200);
      assert.equal(new URL(page.url()).pathname, `/networks/${network.id}`);
      text = await mainText(page);
      assert.match(text, /Two car washes in two cities/);
      assert.match(text, /Timeline/);
      assert.equal(await page.locator('svg.network-graph').count(), 1);
      await expectHealthyPage(page);
    } finally {
      await session.close();
    }
  });
});
