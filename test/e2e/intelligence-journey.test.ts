/**
 * The intelligence loop across modules in real browsers, every page checked with axe: two reports in
 * two groups share a phone number → group A's coordinator sees only "also appears in 1 report held by
 * other groups" and asks to be connected → the national coordinator, told by e-mail, approves →
 * confirms the link and names a network → A's coordinator builds a disclosure for the police, a
 * second coordinator approves it → the police officer, told by e-mail, acknowledges it and records an
 * outcome → A's coordinator sees the outcome. E-mails go through a real SMTP server and hold links only.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createAccount } from '../support/accounts.ts';
import { button, enterCode, expectHealthyPage, openSession, pathOf, secretOnPage, signInWithPassword, submitWith, useBrowserSuite, visit } from '../support/browser.ts';
import { A_REPORT, listedGroup, person, reportId, sendReport } from '../support/reports.ts';

const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const linkIn = (text: string, path: RegExp) => {
  const found = new RegExp(`https?://\\S+?${path.source}`).exec(text);
  assert.ok(found, `a link matching ${path} in: ${text}`);
  return pathOf(found[0]);
};

describe('the intelligence picture, from a shared phone number to an outcome, in the browser', () => {
  const suite = useBrowserSuite({ mailbox: true });

  /** Signs in and sets up two-factor authentication, as coordinators and partners must. */
  async function signInWithTwoFactor(page: Page, email: string) {
    await signInWithPassword(page, suite.server.url, email);
    if (pathOf(page.url()) !== '/account/two-factor') await visit(page, suite.server.url, '/account/two-factor');
    assert.equal((await enterCode(page, await secretOnPage(page), 'Turn on two-factor authentication')).status(), 200);
  }

  test('shared phone → count → connection request → approval → confirmed link → named network → approved disclosure → outcome seen by the group', async () => {
    const { server, mailbox, browser } = suite;
    // Set-up through the API: a national coordinator who lists the groups and registers the police.
    const setup = await person(server, { role: 'national-coordinator', country: 'GB', scopes: ['groups:read', 'groups:write', 'partners:read', 'partners:write', 'reports:read', 'reports:write'] });
    const nationalInBrowser = await createAccount(server.cast.database, { role: 'national-coordinator', country: 'GB' });
    const coordinatorA = await person(server, { twoFactor: false, scopes: ['groups:read', 'groups:write', 'partners:read', 'partners:write'] });
    const secondA = await person(server, { twoFactor: false, scopes: ['groups:read', 'groups:write'] });
    const coordinatorB = await person(server);
    const officer = await createAccount(server.cast.database);
    const groupA = await listedGroup(coordinatorA, setup, { lat: 51.45, lon: -2.59, radiusKm: 10 });
    await listedGroup(coordinatorB, setup, { lat: 53.8, lon: -1.55, radiusKm: 10 });
    const invitation = await coordinatorA.api.json('POST', `/api/v1/groups/${groupA}/invitations`, { role: 'coordinator' }, coordinatorA.token);
    await secondA.api.json('POST', `/api/v1/invitations/${invitation.json<{ link: string }>().link.split('/').pop()}/accept`, undefined, secondA.token);
    const partnerId = (await setup.api.json('POST', '/api/v1/partners', { kind: 'police', name: 'Avon and Somerset Police', country: 'GB', area: 'Bristol', contactEmail: 'intel@avon.example' }, setup.token)).json<{ id: string }>().id;
    await setup.api.json('POST', `/api/v1/partners/${partnerId}/verification`, undefined, setup.token);
    await setup.api.json('POST', `/api/v1/partners/${partnerId}/users`, { email: officer.email }, setup.token);
    const proposed = await coordinatorA.api.json('POST', '/api/v1/partnerships', { groupId: groupA, partnerId, agreementReference: 'ISA-BRS-9', signedOn: yesterday(), contacts: 'DS Patel', handlingCodes: ['P'] }, coordinatorA.token);
    assert.equal(proposed.status, 201, proposed.text);

    // Two reports, one in each group's area, with the same phone number written two ways.
    const sentA = await sendReport(server, { ...A_REPORT, identifiers: [{ kind: 'phone', value: '07700 900777' }] });
    const sentB = await sendReport(server, { ...A_REPORT, location: { lat: 53.8, lon: -1.55 }, account: 'SECRET-B: a nail bar that never closes.', identifiers: [{ kind: 'phone', value: '+44 7700 900777' }] });
    const a = await reportId(server, sentA.reference);
    // A's report is graded, ready to share (by the national coordinator, who reviews every GB report).
    await setup.api.json('POST', `/api/v1/reports/${a}/triage`, undefined, setup.token);
    const graded = await setup.api.json('POST', `/api/v1/reports/${a}/grade`, { source: 2, assessment: 'B', handling: 'P', priority: 'high', summary: 'Workers at a car wash are moved together early and late.' }, setup.token);
    assert.equal(graded.status, 200, graded.text);

    const coordinator = await openSession(browser);
    const national = await openSession(browser);
    const approver = await openSession(browser);
    const police = await openSession(browser);
    try {
      // Group A's coordinator sees a count, not the other report, and asks to be connected.
      const c = coordinator.page;
      await signInWithTwoFactor(c, coordinatorA.email);
      assert.equal((await visit(c, server.url, `/reports/${a}/links`)).status(), 200);
      await expectHealthyPage(c);
      let text = await mainText(c);
      assert.match(text, /This phone number also appears in 1 report held by other groups/);
      assert.ok(!text.includes(sentB.reference), 'the other group’s report is not named');
      await c.getByLabel('Reason').fill('The same phone number is in our car-wash report; the police are interested.');
      assert.equal((await submitWith(c, button(c, 'Send the request'))).status(), 200);
      assert.match(await mainText(c), /Your request was sent/);
      await expectHealthyPage(c);

      // The national coordinator is told by e-mail — a link, nothing of the request — and approves.
      const waiting = await mailbox.waitFor(nationalInBrowser.email, /connection request is waiting/);
      for (const secret of [sentA.reference, sentB.reference, 'police are interested', '7700']) assert.ok(!waiting.text.includes(secret), `the e-mail holds ${secret}`);
      const n = national.page;
      await signInWithTwoFactor(n, nationalInBrowser.email);
      assert.equal((await visit(n, server.url, linkIn(waiting.text, /\/countries\/GB\/connection-requests/))).status(), 200);
      await expectHealthyPage(n);
      assert.match(await mainText(n), /the police are interested/);
      await n.getByLabel('Note to the requester (optional)').fill('Connected: talk to the Leeds group.');
      assert.equal((await submitWith(n, button(n, 'Approve'))).status(), 200);
      assert.match(await mainText(n), /Request approved/);
      await expectHealthyPage(n);

      // The requester is told it was decided, and through the link now sees the other report.
      const decided = await mailbox.waitFor(coordinatorA.email, /connection request was decided/);
      assert.ok(!decided.text.includes(sentB.reference));
      assert.equal((await visit(c, server.url, linkIn(decided.text, /\/reports\/[0-9a-f-]+\/links/))).status(), 200);
      await expectHealthyPage(c);
      text = await mainText(c);
      assert.match(text, new RegExp(sentB.reference));
      assert.match(text, /seen through an approved connection/);
      assert.ok(!text.includes('SECRET-B'), 'never the other reporter’s words');

      // The national coordinator confirms the link and names the network.
      assert.equal((await visit(n, server.url, `/reports/${a}/links`)).status(), 200);
      await expectHealthyPage(n);
      assert.equal((await submitWith(n, button(n, 'Confirm link'))).status(), 200);
      assert.match(await mainText(n), /Link confirmed/);
      await expectHealthyPage(n);
      await n.getByLabel('Name', { exact: true }).fill('Car washes sharing a phone');
      await n.getByLabel('Summary').fill('Two car washes in two cities, one phone number.');
      assert.equal((await submitWith(n, button(n, 'Make the network'))).status(), 200);
      assert.match(await mainText(n), /Network made/);
      await expectHealthyPage(n);

      // A's coordinator sees the network.
      assert.equal((await visit(c, server.url, '/networks')).status(), 200);
      await expectHealthyPage(c);
      assert.equal((await submitWith(c, c.getByRole('link', { name: 'Car washes sharing a phone' }))).status(), 200);
      assert.match(await mainText(c), /Two car washes in two cities/);
      await expectHealthyPage(c);

      // The police officer accepts the partnership; A's coordinator builds a disclosure of A's report.
      const p = police.page;
      await signInWithTwoFactor(p, officer.email);
      assert.equal((await visit(p, server.url, '/partnerships')).status(), 200);
      await expectHealthyPage(p);
      assert.equal((await submitWith(p, button(p, 'Accept the partnership'))).status(), 200);
      assert.equal((await visit(c, server.url, '/disclosures')).status(), 200);
      await expectHealthyPage(c);
      assert.equal((await submitWith(c, c.getByRole('link', { name: 'Build a disclosure' }))).status(), 200);
      await expectHealthyPage(c);
      await c.getByLabel('Partnership').selectOption({ index: 1 });
      assert.equal((await submitWith(c, button(c, 'Show graded reports'))).status(), 200);
      await expectHealthyPage(c);
      await c.getByLabel(new RegExp(sentA.reference)).check();
      assert.equal((await submitWith(c, button(c, 'Build the disclosure'))).status(), 200);
      assert.match(await mainText(c), /Waiting for approval/);
      await expectHealthyPage(c);
      const disclosurePath = pathOf(c.url());

      // A second coordinator of group A approves it: it is sent.
      const s = approver.page;
      await signInWithTwoFactor(s, secondA.email);
      assert.equal((await visit(s, server.url, disclosurePath)).status(), 200);
      await expectHealthyPage(s);
      assert.equal((await submitWith(s, button(s, 'Approve and send'))).status(), 200);
      assert.match(await mainText(s), /Approved: the disclosure has been sent/);
      await expectHealthyPage(s);

      // The officer follows the e-mail's link, acknowledges the disclosure and records an outcome.
      const mail = await mailbox.waitFor(officer.email, /disclosure D-/);
      assert.equal((await visit(p, server.url, linkIn(mail.text, /\/disclosures\/[0-9a-f-]+/))).status(), 200);
      await expectHealthyPage(p);
      text = await mainText(p);
      assert.match(text, /Workers at a car wash are moved together/);
      assert.ok(!text.includes('SECRET-B') && !text.includes('white van'), 'no reporter’s words travel');
      assert.equal((await submitWith(p, button(p, 'Acknowledge receipt'))).status(), 200);
      await p.getByLabel('What happened').selectOption('arrests');
      await p.getByLabel('Number of people').fill('3');
      assert.equal((await submitWith(p, button(p, 'Record the outcome'))).status(), 200);
      assert.match(await mainText(p), /the outcome is recorded/);
      await expectHealthyPage(p);

      // Group A's coordinator sees what came of it: counts only.
      assert.equal((await visit(c, server.url, `/groups/${groupA}/outcomes`)).status(), 200);
      await expectHealthyPage(c);
      assert.match(await mainText(c), /People arrested\s*3/);
    } finally {
      await Promise.all([coordinator.close(), national.close(), approver.close(), police.close()]);
    }
  });
});
