/**
 * A disclosure's journey in real browsers, every page checked with axe: a coordinator builds it from a
 * graded report, a second coordinator approves it, the police partner's user follows the e-mail's
 * link, acknowledges it and records an outcome, and the group sees the outcome count.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createAccount } from '../support/accounts.ts';
import { button, enterCode, expectHealthyPage, openSession, pathOf, secretOnPage, signInWithPassword, submitWith, useBrowserSuite, visit } from '../support/browser.ts';
import { A_REPORT, listedGroup, person, reportId, sendReport } from '../support/reports.ts';

const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

describe('a disclosure to a police partner, in the browser', () => {
  const suite = useBrowserSuite({ mailbox: true });

  /** Signs in and sets up two-factor authentication, as a coordinator or partner must before handling disclosures. */
  async function signInWithTwoFactor(page: Page, email: string) {
    await signInWithPassword(page, suite.server.url, email);
    if (pathOf(page.url()) !== '/account/two-factor') await visit(page, suite.server.url, '/account/two-factor');
    assert.equal((await enterCode(page, await secretOnPage(page), 'Turn on two-factor authentication')).status(), 200);
  }

  test('built → approved by a second coordinator → acknowledged by the police → outcome recorded → the group sees the count', async () => {
    const { server, mailbox, browser } = suite;
    const national = await person(server, { role: 'national-coordinator', country: 'GB', scopes: ['groups:read', 'groups:write', 'partners:read', 'partners:write', 'reports:read', 'reports:write'] });
    const coordinator = await person(server, { twoFactor: false, scopes: ['groups:read', 'groups:write', 'partners:read', 'partners:write'] });
    const second = await person(server, { twoFactor: false, scopes: ['groups:read', 'groups:write'] });
    const officer = await createAccount(server.cast.database);
    const groupId = await listedGroup(coordinator, national, { lat: 51.45, lon: -2.59, radiusKm: 10 });
    const invitation = await coordinator.api.json('POST', `/api/v1/groups/${groupId}/invitations`, { role: 'coordinator' }, coordinator.token);
    await second.api.json('POST', `/api/v1/invitations/${invitation.json<{ link: string }>().link.split('/').pop()}/accept`, undefined, second.token);
    const partnerId = (await national.api.json('POST', '/api/v1/partners', { kind: 'police', name: 'Avon and Somerset Police', country: 'GB', area: 'Bristol', contactEmail: 'intel@avon.example' }, national.token)).json<{ id: string }>().id;
    await national.api.json('POST', `/api/v1/partners/${partnerId}/verification`, undefined, national.token);
    await national.api.json('POST', `/api/v1/partners/${partnerId}/users`, { email: officer.email }, national.token);
    const proposed = await coordinator.api.json('POST', '/api/v1/partnerships', { groupId, partnerId, agreementReference: 'ISA-BRS-7', signedOn: yesterday(), contacts: 'DS Patel', handlingCodes: ['P'] }, coordinator.token);
    assert.equal(proposed.status, 201, proposed.text);
    // A report graded 2/B/P by the national coordinator, ready to share.
    const report = await sendReport(server, A_REPORT);
    const id = await reportId(server, report.reference);
    await national.api.json('POST', `/api/v1/reports/${id}/triage`, undefined, national.token);
    const graded = await national.api.json('POST', `/api/v1/reports/${id}/grade`, { source: 2, assessment: 'B', handling: 'P', priority: 'high', summary: 'Workers at a car wash are moved together early and late.' }, national.token);
    assert.equal(graded.status, 200, graded.text);

    const police = await openSession(browser);
    const builder = await openSession(browser);
    const approver = await openSession(browser);
    try {
      // The police officer signs in (two-factor set up on the way) and accepts the partnership.
      await signInWithTwoFactor(police.page, officer.email);
      assert.equal((await visit(police.page, server.url, '/partnerships')).status(), 200);
      assert.equal((await submitWith(police.page, button(police.page, 'Accept the partnership'))).status(), 200);

      // The coordinator builds the disclosure.
      const b = builder.page;
      await signInWithTwoFactor(b, coordinator.email);
      assert.equal((await visit(b, server.url, '/disclosures')).status(), 200);
      await expectHealthyPage(b);
      assert.equal((await submitWith(b, b.getByRole('link', { name: 'Build a disclosure' }))).status(), 200);
      await expectHealthyPage(b);
      await b.getByLabel('Partnership').selectOption({ index: 1 });
      assert.equal((await submitWith(b, button(b, 'Show graded reports'))).status(), 200);
      await expectHealthyPage(b);
      await b.getByLabel(new RegExp(report.reference)).check();
      await b.getByLabel('Security marking').selectOption('OFFICIAL-SENSITIVE');
      assert.equal((await submitWith(b, button(b, 'Build the disclosure'))).status(), 200);
      assert.match(await mainText(b), /Another coordinator must approve it/);
      assert.match(await mainText(b), /Waiting for approval/);
      assert.equal(await b.getByRole('button', { name: 'Approve and send' }).count(), 0, 'not by the one who built it');
      await expectHealthyPage(b);
      const disclosurePath = pathOf(b.url());

      // A second coordinator approves it: it is sent.
      const a = approver.page;
      await signInWithTwoFactor(a, second.email);
      assert.equal((await visit(a, server.url, disclosurePath)).status(), 200);
      await expectHealthyPage(a);
      assert.equal((await submitWith(a, button(a, 'Approve and send'))).status(), 200);
      assert.match(await mainText(a), /Approved: the disclosure has been sent/);

      // The e-mail holds only a link; the officer follows it, reads, acknowledges and records an outcome.
      const mail = await mailbox.waitFor(officer.email, /disclosure D-/);
      const link = /https?:\/\/\S+\/disclosures\/[0-9a-f-]+/.exec(mail.text)![0];
      assert.ok(!mail.text.includes('car wash'));
      const p = police.page;
      assert.equal((await visit(p, server.url, pathOf(link))).status(), 200);
      await expectHealthyPage(p);
      const text = await mainText(p);
      assert.match(text, /OFFICIAL-SENSITIVE/);
      assert.match(text, /Workers at a car wash are moved together/);
      assert.match(text, /2\/B\/P/);
      assert.ok(!text.includes('white van'), "the reporter's own words never travel");
      assert.equal((await submitWith(p, button(p, 'Acknowledge receipt'))).status(), 200);
      assert.match(await mainText(p), /receipt acknowledged/);
      await p.getByLabel('What happened').selectOption('victims-identified');
      await p.getByLabel('Number of people').fill('2');
      await p.getByLabel('Note for the coordinators (optional)').fill('Two people safeguarded.');
      assert.equal((await submitWith(p, button(p, 'Record the outcome'))).status(), 200);
      assert.match(await mainText(p), /the outcome is recorded/);
      await expectHealthyPage(p);

      // The group sees what came of it, counts only.
      assert.equal((await visit(b, server.url, `/groups/${groupId}/outcomes`)).status(), 200);
      await expectHealthyPage(b);
      const summary = await mainText(b);
      assert.match(summary, /People identified as victims\s*2/);
      assert.ok(!summary.includes('Two people safeguarded'), 'no note on the group summary');
    } finally {
      await Promise.all([police.close(), builder.close(), approver.close()]);
    }
  });
});
