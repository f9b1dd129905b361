/**
 * The groups-and-partners journey in a real browser, every page checked with axe: a person signs up
 * (confirmation mail over SMTP), starts a school group, invites a teacher by e-mail (the link works
 * once), logs a school assembly and sees the totals; a national coordinator adds and verifies a
 * police partner and makes an officer its partner user; the group proposes a partnership that the
 * officer, signed in with two-factor, accepts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createAccount, PASSWORD, uniqueEmail } from '../support/accounts.ts';
import { button, enterCode, expectHealthyPage, openSession, pathOf, secretOnPage, signInWithPassword, submitWith, visit, useBrowserSuite } from '../support/browser.ts';
import { linkFrom } from '../support/client.ts';

const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';

describe('groups and partners, in the browser', () => {
  const suite = useBrowserSuite({ mailbox: true });

  test('a school group is started, invites a teacher, logs an assembly, and forms an accepted partnership with a verified police partner', async () => {
    const coordinatorEmail = uniqueEmail('coordinator');
    const teacher = await createAccount(suite.server.cast.database);
    const national = await createAccount(suite.server.cast.database, { role: 'national-coordinator', country: 'GB' });
    const officer = await createAccount(suite.server.cast.database);
    const coordinator = await openSession(suite.browser);
    const teacherSession = await openSession(suite.browser);
    const nationalSession = await openSession(suite.browser);
    const officerSession = await openSession(suite.browser);
    try {
      // ---------------------------------------------------------------- sign up and confirm
      const page = coordinator.page;
      await visit(page, suite.server.url, '/signup');
      await expectHealthyPage(page);
      await page.getByLabel('Name').fill('Jo Coordinator');
      await page.getByLabel('E-mail address').fill(coordinatorEmail);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      assert.equal((await submitWith(page, button(page, 'Create account'))).status(), 200);
      await expectHealthyPage(page);
      const confirmation = await suite.mailbox.waitFor(coordinatorEmail, /Confirm/, 30_000);
      assert.equal((await visit(page, suite.server.url, linkFrom(confirmation.text, '/confirm-email/'))).status(), 200);
      await expectHealthyPage(page);
      assert.equal((await signInWithPassword(page, suite.server.url, coordinatorEmail)).status(), 200);
      await expectHealthyPage(page);

      // ---------------------------------------------------------------- start a school group
      await visit(page, suite.server.url, '/groups/new');
      await expectHealthyPage(page);
      await page.getByLabel('Group name').fill('Leeds Grammar CAST');
      await page.getByLabel('Kind of group').selectOption('school');
      await page.getByLabel('Country').selectOption('GB');
      await page.getByLabel('Town, city or area').fill('Leeds');
      await page.getByLabel('Latitude of the centre').fill('53.8');
      await page.getByLabel('Longitude of the centre').fill('-1.55');
      await page.getByLabel('Radius in kilometres').fill('5');
      assert.equal((await submitWith(page, button(page, 'Start the group'))).status(), 200);
      const groupPath = new URL(page.url()).pathname;
      const groupId = groupPath.split('/').pop()!;
      assert.match(groupPath, /^\/groups\/[0-9a-f-]{36}$/);
      assert.match(await mainText(page), /You are its coordinator/);
      await expectHealthyPage(page);

      // ---------------------------------------------------------------- invite a teacher by e-mail; the link works once
      await page.getByLabel('E-mail address (optional)').fill(teacher.email);
      assert.ok((await submitWith(page, button(page, 'Create invitation'))).status() < 300);
      assert.match(await mainText(page), /The invitation has been sent by e-mail/);
      await expectHealthyPage(page);
      const invitation = await suite.mailbox.waitFor(teacher.email, /invited to join Leeds Grammar CAST/, 30_000);
      const invitationPath = linkFrom(invitation.text, '/groups/invitations/');

      const teacherPage = teacherSession.page;
      await signInWithPassword(teacherPage, suite.server.url, teacher.email);
      await visit(teacherPage, suite.server.url, invitationPath);
      await expectHealthyPage(teacherPage);
      assert.match(await mainText(teacherPage), /You are invited to join Leeds Grammar CAST/);
      const joined = await submitWith(teacherPage, button(teacherPage, 'Accept and join'));
      assert.equal(joined.status(), 200);
      assert.equal(pathOf(teacherPage.url()), `${groupPath}?notice=joined`);
      await expectHealthyPage(teacherPage);
      const again = await visit(teacherPage, suite.server.url, invitationPath);
      assert.ok(again.status() >= 400, 'a used invitation is refused');
      assert.match(await mainText(teacherPage), /already been used/);
      await expectHealthyPage(teacherPage);

      // ---------------------------------------------------------------- log a school assembly and see the totals
      await visit(page, suite.server.url, groupPath);
      await page.getByLabel('Date', { exact: true }).fill(yesterday());
      await page.getByLabel('Kind of activity').selectOption('assembly');
      await page.getByLabel('Audience').selectOption('school');
      await page.getByLabel('People reached').fill('120');
      assert.equal((await submitWith(page, button(page, 'Log activity'))).status(), 200);
      const withTotals = await mainText(page);
      assert.match(withTotals, /The activity has been logged/);
      assert.match(withTotals, /120 people reached/);
      await expectHealthyPage(page);

      // ---------------------------------------------------------------- a national coordinator adds and verifies a police partner
      const nationalPage = nationalSession.page;
      await signInWithPassword(nationalPage, suite.server.url, national.email);
      assert.equal(new URL(nationalPage.url()).pathname, '/account/two-factor', 'national coordinators must set up two-factor');
      await expectHealthyPage(nationalPage);
      await enterCode(nationalPage, await secretOnPage(nationalPage), 'Turn on two-factor authentication');
      await visit(nationalPage, suite.server.url, '/partnerships');
      await expectHealthyPage(nationalPage);
      await submitWith(nationalPage, nationalPage.locator('main').getByRole('link', { name: 'Partner organisations' }));
      assert.equal(new URL(nationalPage.url()).pathname, '/partners');
      await expectHealthyPage(nationalPage);
      await nationalPage.getByLabel('Kind of organisation').selectOption('police');
      await nationalPage.getByLabel('Name of the organisation').fill('West Yorkshire Police');
      await nationalPage.getByLabel('Country').selectOption('GB');
      await nationalPage.getByLabel('Area served').fill('West Yorkshire');
      await nationalPage.getByLabel('Contact e-mail address').fill('safeguarding@westyorkshire.example');
      assert.equal((await submitWith(nationalPage, button(nationalPage, 'Add the organisation'))).status(), 200);
      assert.match(await mainText(nationalPage), /must verify it/);
      await expectHealthyPage(nationalPage);
      await submitWith(nationalPage, button(nationalPage, 'Verify West Yorkshire Police'));
      assert.match(await mainText(nationalPage), /The partner organisation is verified/);
      await expectHealthyPage(nationalPage);
      await nationalPage.getByLabel('E-mail address of an account to add as a partner user of West Yorkshire Police').fill(officer.email);
      await submitWith(nationalPage, button(nationalPage, 'Add partner user'));
      assert.match(await mainText(nationalPage), /added as a partner user/);
      await expectHealthyPage(nationalPage);

      // ---------------------------------------------------------------- the group proposes a partnership
      await visit(page, suite.server.url, `/partnerships?group=${groupId}`);
      await expectHealthyPage(page);
      await page.getByLabel('Partner organisation').selectOption({ label: 'West Yorkshire Police (Police, West Yorkshire)' });
      await page.getByLabel('Information-sharing agreement reference').fill('ISA-2026-014');
      await page.getByLabel('Date the agreement was signed').fill(yesterday());
      await page.getByLabel('Contacts').fill('Jo Coordinator (group coordinator); DS Sam Patel (safeguarding)');
      await page.getByLabel('C — lawful sharing permitted with conditions').check();
      // Code C without its conditions is refused, and the form keeps what was typed.
      assert.equal((await submitWith(page, button(page, 'Propose the partnership'))).status(), 422);
      assert.match((await page.getByRole('alert').first().textContent()) ?? '', /Handling code C needs its conditions written down/);
      assert.equal(await page.getByLabel('Information-sharing agreement reference').inputValue(), 'ISA-2026-014');
      await expectHealthyPage(page);
      await page.getByLabel('Conditions of sharing').fill('For safeguarding only; not to be used in court without consent.');
      assert.equal((await submitWith(page, button(page, 'Propose the partnership'))).status(), 200);
      assert.match(await mainText(page), /The partnership was proposed/);
      assert.match(await mainText(page), /awaiting the partner's answer/);
      await expectHealthyPage(page);

      // ---------------------------------------------------------------- the partner user, now with two-factor, accepts
      const officerPage = officerSession.page;
      await signInWithPassword(officerPage, suite.server.url, officer.email);
      assert.equal(new URL(officerPage.url()).pathname, '/account/two-factor', 'partner users must set up two-factor');
      await enterCode(officerPage, await secretOnPage(officerPage), 'Turn on two-factor authentication');
      await submitWith(officerPage, officerPage.locator('header').getByRole('link', { name: 'Partnerships' }));
      assert.equal(new URL(officerPage.url()).pathname, '/partnerships');
      await expectHealthyPage(officerPage);
      assert.match(await mainText(officerPage), /Leeds Grammar CAST and West Yorkshire Police/);
      await submitWith(officerPage, button(officerPage, 'Accept the partnership'));
      assert.match(await mainText(officerPage), /The partnership is active/);
      await expectHealthyPage(officerPage);

      await visit(page, suite.server.url, '/partnerships');
      assert.match(await mainText(page), /Active/);
      assert.match(await mainText(page), /For safeguarding only/);
      await expectHealthyPage(page);
    } finally {
      await Promise.all([coordinator.close(), teacherSession.close(), nationalSession.close(), officerSession.close()]);
    }
  });
});
