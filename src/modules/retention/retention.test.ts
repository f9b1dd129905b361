/**
 * Retention through the real server and database (decision 0018): old reports reduced to statistics
 * (read back from the rows themselves), reports in a network, a confirmed link or a disclosure kept
 * whole, map and route totals unchanged, runs that are idempotent and safe side by side, one audit
 * entry per run in a chain that still verifies, and what reviewers and reporters (by receipt code)
 * get for a purged report. Then the supporter rules, the account export and the privacy notice; the
 * chocolate action e-mail (through its real flow) and Gift Aid rules, with a dry run of every rule
 * against the real run that follows; the daily job, the command and the settings.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { Client, csrfFrom, linkFrom } from '../../../test/support/client.ts';
import { fingerprint } from '../../../test/support/db-fingerprint.ts';
import { startMailbox, type Mailbox } from '../../../test/support/mailbox.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { A_REPORT, listedGroup, person, reportId, sendReport, type Person, type Sent } from '../../../test/support/reports.ts';
import { verifyAudit } from '../../core/audit.ts';
import { ConfigError, loadConfig, type RetentionPeriods } from '../../core/config.ts';
import type { Tables } from '../../core/db/tables.ts';
import { RETENTION_JOB, runRetention, type RetentionTotals } from './index.ts';

const CAST_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/cast.js');

const PERIODS: RetentionPeriods = { reportDays: 730, unconfirmedDays: 30, unsubscribedDays: 30, eventDays: 90, chocolateDays: 90, giftAidYears: 6, accountingYearEnd: undefined };
const BRISTOL = { lat: 51.4545, lon: -2.5879 };
const DAY = 86_400_000;
const isoDay = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

/** Everything restricted a report can have: sealed fields, identifiers, a place name, names, a route for the flows. */
const FULL_REPORT = {
  ...A_REPORT,
  place: 'Behind the car wash on Harbour Road',
  vehicles: 'White van, AB12 CDE',
  names: ['Big Tony'],
  contact: 'reporter@example.org',
  contactConsent: true,
  route: { origin: ['RO'], destination: ['GB'] },
};

const sum = (runs: RetentionTotals[], key: keyof RetentionTotals) => runs.reduce((total, run) => total + run[key], 0);
/** Counts a table's rows whose column holds a value. */
const rowCounter = (db: () => Kysely<Tables>) => async (table: string, column: string, id: string) =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${id}`.execute(db())).rows[0]!.n);

describe('retention: old reports reduced to statistics', () => {
  let server: TestServer;
  let coordinator: Person;
  let national: Person;
  let groupId: string;
  const db = () => server.cast.database.db;
  const reports: (Sent & { id: string })[] = [];
  let statisticsBefore: unknown[];

  const statistics = async () => [
    (await sql`select country, group_key, h3_cell, status, exploitation_type, reports from report_map_cells where reports <> 0 order by 1, 2, 3, 4, 5`.execute(db())).rows,
    (await sql`select group_key, country, month::text, reviewed, exploitation_types, from_country, to_country, reports from report_route_flows where reports <> 0 order by 1, 2, 3, 4, 5, 6, 7`.execute(db())).rows,
  ];
  const rowOf = async (id: string) =>
    (
      await sql<Record<string, unknown>>`select location_sealed, narrative_sealed, vehicles_sealed, contact_sealed, names_sealed, contact_consent, summary, reporter_id, observed_time,
        to_char(observed_from, 'YYYY-MM-DD') as observed_from, to_char(purged_on, 'YYYY-MM-DD') as purged_on, country, h3_cell, place_type, exploitation_types, indicators, status
        from reports where id = ${id}`.execute(db())
    ).rows[0]!;
  const countWhere = rowCounter(db);
  const linksOf = async (id: string) => Number((await sql<{ n: string }>`select count(*) as n from report_links where report_a = ${id} or report_b = ${id}`.execute(db())).rows[0]!.n);

  before(async () => {
    server = await startTestServer();
    national = await person(server, { role: 'national-coordinator', country: 'GB' });
    coordinator = await person(server);
    groupId = await listedGroup(coordinator, national, { ...BRISTOL, radiusKm: 10 });
    const reporter = await person(server, { twoFactor: false, scopes: ['reports:write', 'reports:read'] });
    // 0: old, plain → purged. 1: old, in a network. 2: old, in a disclosure. 3: old, confirmed link to 4.
    // 4, 5: recent. Every one shares the phone number, so they are linked (proposed) to each other.
    for (let i = 0; i < 6; i += 1) {
      const sent = await sendReport(server, FULL_REPORT, i === 0 ? reporter : undefined);
      reports.push({ ...sent, id: await reportId(server, sent.reference) });
    }
    const old = isoDay(3 * 365);
    await sql`update reports set received_on = ${old}::date, observed_from = ${isoDay(3 * 365 + 2)}::date where id in (${sql.join(reports.slice(0, 4).map((r) => r.id))})`.execute(db());
    // A reporter's addition and a coordinator's note on the report that will be purged.
    assert.equal((await new Client(server.url).json('POST', '/api/v1/reports/by-receipt/additions', { receipt: reports[0]!.receiptCode, account: 'The van came back.', identifiers: [{ kind: 'handle', value: '@vanman' }] })).status, 200);
    assert.equal((await coordinator.api.json('POST', `/api/v1/reports/${reports[0]!.id}/notes`, { note: 'Spoke to the council.' }, coordinator.token)).status, 201);

    const network = randomUUID();
    await sql`insert into networks (id, country, name) values (${network}, 'GB', 'Harbour vans')`.execute(db());
    await sql`insert into network_reports (network_id, report_id) values (${network}, ${reports[1]!.id})`.execute(db());
    const partner = randomUUID();
    const partnership = randomUUID();
    const disclosure = randomUUID();
    await sql`insert into partner_organisations (id, kind, name, country, area, contact_email) values (${partner}, 'police', 'Avon Police', 'GB', 'Avon', 'intel@example.org')`.execute(db());
    await sql`insert into partnerships (id, group_id, partner_id, status, agreement_reference, agreement_signed_on, contacts, handling_codes) values (${partnership}, ${groupId}, ${partner}, 'active', 'ISA-1', '2025-01-01', 'Desk', '{P}')`.execute(db());
    await sql`insert into disclosures (id, reference, partnership_id, group_id, partner_id, country, status, handling_codes, report_count, content_sealed) values (${disclosure}, 'D-RETAIN01', ${partnership}, ${groupId}, ${partner}, 'GB', 'awaiting-approval', '{P}', 1, 'sealed')`.execute(db());
    await sql`insert into disclosure_reports (disclosure_id, report_id) values (${disclosure}, ${reports[2]!.id})`.execute(db());
    const [a, b] = [reports[3]!.id, reports[4]!.id].sort();
    assert.equal(Number((await sql`update report_links set status = 'confirmed' where report_a = ${a} and report_b = ${b}`.execute(db())).numAffectedRows), 1);
    statisticsBefore = await statistics();
  });
  after(() => server.close());

  test('a dry run counts and changes nothing', async () => {
    const counted = await runRetention(db(), PERIODS, { dryRun: true });
    assert.deepEqual([counted.reportsPurged, counted.reportsKept], [1, 3]);
    assert.equal((await rowOf(reports[0]!.id)).purged_on, null);
    assert.equal(await countWhere('audit_log', 'action', 'retention.run'), 0);
  });

  test('two runs side by side purge the old unlinked report once; a third finds nothing; the audit chain verifies', async () => {
    const auditBefore = await countWhere('audit_log', 'action', 'retention.run');
    // Batches of one, so the two runs interleave report by report on PostgreSQL.
    const runs = await Promise.all([runRetention(db(), PERIODS, { reportBatch: 1 }), runRetention(db(), PERIODS, { reportBatch: 1 })]);
    assert.equal(sum(runs, 'reportsPurged'), 1, 'each report is purged by one run');
    assert.deepEqual(await runRetention(db(), PERIODS), { reportsPurged: 0, reportsKept: 3, signaturesErased: 0, subscribersDeleted: 0, registrationsDeleted: 0, chocolateRequestsErased: 0, giftAidDeclarationsDeleted: 0 });

    const entries = await db().selectFrom('audit_log').select(['subject', 'detail', 'actor_id']).where('action', '=', 'retention.run').orderBy('id').execute();
    assert.equal(entries.length - auditBefore, 3, 'one entry per run');
    for (const entry of entries) {
      assert.equal(entry.subject, null);
      assert.equal(entry.actor_id, null);
      const text = JSON.stringify(entry.detail);
      for (const report of reports) assert.ok(!text.includes(report.id) && !text.includes(report.reference), 'counts only');
    }
    assert.equal((await verifyAudit(db())).ok, true);
  });

  test('the purged report keeps only statistics; its identifiers, additions, notes and correlation rows are gone', async () => {
    const purged = reports[0]!.id;
    const row = await rowOf(purged);
    assert.deepEqual(
      [row.location_sealed, row.narrative_sealed, row.vehicles_sealed, row.contact_sealed, row.names_sealed, row.contact_consent, row.summary, row.reporter_id, row.observed_time],
      [null, null, null, null, null, false, null, null, null],
    );
    assert.equal(row.purged_on, isoDay(0));
    assert.equal(row.observed_from, `${isoDay(3 * 365 + 2).slice(0, 7)}-01`, 'observed at month only');
    assert.deepEqual([row.country, row.h3_cell, row.place_type, row.exploitation_types, row.indicators, row.status], ['GB', (await rowOf(reports[4]!.id)).h3_cell, 'car-wash', ['labour'], A_REPORT.indicators, 'received']);
    assert.equal(await countWhere('report_identifiers', 'report_id', purged), 0, 'identifiers and their blind indexes');
    assert.equal(await countWhere('report_additions', 'report_id', purged), 0);
    assert.equal(Number((await sql<{ n: string }>`select count(*) as n from report_events where report_id = ${purged} and note_sealed is not null`.execute(db())).rows[0]!.n), 0);
    assert.equal(await countWhere('correlation_encodings', 'report_id', purged), 0, 'fuzzy encodings');
    assert.equal(await countWhere('correlation_places', 'report_id', purged), 0);
    assert.equal(await linksOf(purged), 0, 'links (their reasons carry blind indexes)');
    assert.deepEqual(await statistics(), statisticsBefore, 'map cells and route flows unchanged');
  });

  test('reports in a network, a disclosure or a confirmed link, and recent ones, are untouched', async () => {
    for (const report of reports.slice(1)) {
      const row = await rowOf(report.id);
      assert.equal(row.purged_on, null, report.reference);
      assert.ok(row.narrative_sealed && row.location_sealed && row.names_sealed && row.contact_sealed, report.reference);
      assert.equal(await countWhere('report_identifiers', 'report_id', report.id), 2, report.reference);
      assert.ok((await countWhere('correlation_encodings', 'report_id', report.id)) > 0, report.reference);
    }
  });

  test('reviewers see a purged report as such; it can no longer change; its reporter can add nothing to it', async () => {
    const id = reports[0]!.id;
    const viewed = await coordinator.api.json('GET', `/api/v1/reports/${id}`, undefined, coordinator.token);
    assert.equal(viewed.status, 200, viewed.text);
    const view = viewed.json<{ purgedOn: string | null; account: string | null; identifiers: unknown[]; names: string[]; location: unknown; additions: unknown[] }>();
    assert.deepEqual([view.purgedOn, view.account, view.identifiers, view.names, view.location, view.additions], [isoDay(0), null, [], [], null, []]);
    const page = await coordinator.browser.get(`/reports/${id}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Reduced to statistics on/);
    assert.ok(!page.text.includes('action="/reports/'), 'no change forms');

    const triage = await coordinator.api.json('POST', `/api/v1/reports/${id}/triage`, {}, coordinator.token);
    assert.equal(triage.status, 409);
    assert.match(triage.text, /reduced to statistics/);
    const note = await coordinator.api.json('POST', `/api/v1/reports/${id}/notes`, { note: 'again' }, coordinator.token);
    assert.equal(note.status, 409);

    const status = await new Client(server.url).json('POST', '/api/v1/reports/by-receipt', { receipt: reports[0]!.receiptCode });
    assert.equal(status.status, 200, 'the receipt still says what happened');
    const addition = await new Client(server.url).json('POST', '/api/v1/reports/by-receipt/additions', { receipt: reports[0]!.receiptCode, account: 'More.' });
    assert.equal(addition.status, 422);
    assert.match(addition.text, /reduced to statistics/);
    assert.equal(await countWhere('report_additions', 'report_id', id), 0);
  });

  test("a purged report's receipt says it was reduced to statistics and links to the privacy notice, in English and French; nothing else is told", async () => {
    const [purged, whole] = [reports[0]!.receiptCode, reports[4]!.receiptCode];
    const status = async (receipt: string) => new Client(server.url).json('POST', '/api/v1/reports/by-receipt', { receipt });
    const api = await status(purged);
    assert.equal(api.status, 200, api.text);
    assert.deepEqual(Object.keys(api.json<object>()).sort(), ['additions', 'receivedOn', 'reducedToStatistics', 'reference', 'status']);
    assert.equal(api.json<{ reducedToStatistics: boolean }>().reducedToStatistics, true);
    assert.ok(!api.text.includes(isoDay(0)), 'not the day it was purged');
    assert.equal((await status(whole)).json<{ reducedToStatistics: boolean }>().reducedToStatistics, false);

    const browser = new Client(server.url);
    const page = async (receipt: string) => browser.postForm('/report/follow-up', { _csrf: csrfFrom((await browser.get('/report/follow-up')).text), receipt });
    const shown = await page(purged);
    assert.equal(shown.status, 200);
    assert.match(shown.text, /<section class="notice" aria-labelledby="report-purged-title" data-report-purged(="")?>\s*<h2 id="report-purged-title">Reduced to statistics<\/h2>/);
    assert.match(shown.text, /under CAST(&#x27;|'|&#39;)s retention policy/);
    assert.match(shown.text, /<a href="\/privacy">Read the privacy notice/);
    assert.ok(!shown.text.includes('action="/report/follow-up/add"'), 'nothing can be added: no form');
    assert.ok(!shown.text.includes('Information added'), 'no count of deleted additions');
    assert.ok(!shown.text.includes(isoDay(0)));
    const other = await page(whole);
    assert.ok(!other.text.includes('data-report-purged') && other.text.includes('action="/report/follow-up/add"'), 'a whole report: no notice, the form');

    await browser.get('/language/fr?next=/report/follow-up');
    const french = await page(purged);
    assert.match(french.text, /<h2 id="report-purged-title">Réduit à des statistiques<\/h2>/);
    assert.match(french.text, /<a href="\/privacy">Lire la politique de confidentialité/);
  });
});

describe('retention: supporters, the account export and the privacy notice', () => {
  let server: TestServer;
  const db = () => server.cast.database.db;
  const DECLARATION = '6d1c0a52-7f3e-4a8e-9c1b-2f5d7e9a0b11';
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('unconfirmed signatures, lapsed subscribers and sign-ups to past events go; the rest stays', async () => {
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    const signature = async (confirmed: boolean, expiresDaysAgo: number) => {
      const id = randomUUID();
      await sql`insert into declaration_signatures (id, declaration_id, email_hash, name_sealed, email_sealed, country, language, token_hash, token_expires_at, confirmed_at)
        values (${id}, ${DECLARATION}, ${randomBytes(32)}, 'sealed-name', 'sealed-email', 'GB', 'en', ${randomBytes(32)}, ${ago(expiresDaysAgo)}, ${confirmed ? ago(expiresDaysAgo + 1) : null})`.execute(db());
      return id;
    };
    const lapsed = await signature(false, 31);
    const recent = await signature(false, 5);
    const confirmed = await signature(true, 60);

    const subscriber = async (lists: string[]) => {
      const id = randomUUID();
      const hash = randomBytes(32);
      await sql`insert into newsletter_subscribers (id, email_hash, email_sealed, confirmed_at) values (${id}, ${hash}, 'sealed', now())`.execute(db());
      for (const list of lists) await sql`insert into newsletter_subscriptions (subscriber_id, list_key) values (${id}, ${list})`.execute(db());
      return { id, hash };
    };
    const unsubscribed = await subscriber(['general', 'chocolate']);
    await sql`delete from newsletter_subscriptions where subscriber_id = ${unsubscribed.id}`.execute(db());
    const unsubscribedAt = async (id: string) => (await sql<{ at: Date | null }>`select unsubscribed_at as at from newsletter_subscribers where id = ${id}`.execute(db())).rows[0]?.at;
    assert.ok(await unsubscribedAt(unsubscribed.id), 'leaving the last list sets the date');
    const rejoined = await subscriber(['general']);
    await sql`delete from newsletter_subscriptions where subscriber_id = ${rejoined.id}`.execute(db());
    await sql`insert into newsletter_subscriptions (subscriber_id, list_key) values (${rejoined.id}, 'groups')`.execute(db());
    assert.equal(await unsubscribedAt(rejoined.id), null, 'joining a list clears it');
    const partly = await subscriber(['general', 'chocolate']);
    await sql`delete from newsletter_subscriptions where subscriber_id = ${partly.id} and list_key = 'general'`.execute(db());
    assert.equal(await unsubscribedAt(partly.id), null, 'still on a list');
    const suppressed = await subscriber(['general']);
    await sql`insert into newsletter_suppressions (email_hash, reason, suppressed_at) values (${suppressed.hash}, 'complaint', ${ago(40)})`.execute(db());
    const justUnsubscribed = await subscriber(['general']);
    await sql`delete from newsletter_subscriptions where subscriber_id = ${justUnsubscribed.id}`.execute(db());
    await sql`update newsletter_subscribers set unsubscribed_at = ${ago(31)} where id = ${unsubscribed.id}`.execute(db());

    const event = async (endedDaysAgo: number) => {
      const id = randomUUID();
      await sql`insert into events (id, title, all_day, starts_at, ends_at, time_zone, place, capacity, registered) values (${id}, 'Freedom Week walk', false, ${ago(endedDaysAgo + 1)}, ${ago(endedDaysAgo)}, 'Europe/London', 'Bristol', 10, 1)`.execute(db());
      await sql`insert into event_registrations (event_id, email_hash, name_sealed, email_sealed) values (${id}, ${randomBytes(16).toString('hex')}, 'sealed', 'sealed')`.execute(db());
      return id;
    };
    const past = await event(91);
    const lately = await event(10);

    const totals = await runRetention(db(), PERIODS);
    assert.deepEqual([totals.signaturesErased, totals.subscribersDeleted, totals.registrationsDeleted], [1, 2, 1]);
    const signatureRow = async (id: string) => (await sql<{ name_sealed: string | null; email_hash: Buffer | null; erased_at: Date | null }>`select name_sealed, email_hash, erased_at from declaration_signatures where id = ${id}`.execute(db())).rows[0]!;
    const erased = await signatureRow(lapsed);
    assert.deepEqual([erased.name_sealed, erased.email_hash, erased.erased_at !== null], [null, null, true]);
    assert.equal((await signatureRow(recent)).name_sealed, 'sealed-name', 'its link expired only 5 days ago');
    assert.equal((await signatureRow(confirmed)).name_sealed, 'sealed-name', 'confirmed: erased when the declaration closes');

    const subscribers = (await sql<{ id: string }>`select id from newsletter_subscribers`.execute(db())).rows.map((r) => r.id);
    assert.ok(!subscribers.includes(unsubscribed.id) && !subscribers.includes(suppressed.id));
    for (const kept of [rejoined, partly, justUnsubscribed]) assert.ok(subscribers.includes(kept.id));
    assert.equal((await sql`select 1 from newsletter_suppressions where email_hash = ${suppressed.hash}`.execute(db())).rows.length, 1, 'the suppression stays');

    const registrations = async (id: string) => Number((await sql<{ n: string }>`select count(*) as n from event_registrations where event_id = ${id}`.execute(db())).rows[0]!.n);
    assert.deepEqual([await registrations(past), await registrations(lately)], [0, 1]);
    assert.equal((await sql<{ registered: number }>`select registered from events where id = ${past}`.execute(db())).rows[0]!.registered, 1, 'the count stays');

    assert.deepEqual([(await runRetention(db(), PERIODS)).signaturesErased, (await runRetention(db(), PERIODS)).subscribersDeleted], [0, 0], 'done once');
  });

  test('a signed-in person downloads their own account data, and nobody else’s; anonymous callers are refused', async () => {
    const me = await person(server, { twoFactor: false, scopes: ['account:read', 'reports:write', 'reports:read'] });
    const someoneElse = await person(server, { twoFactor: false, scopes: ['account:read', 'reports:write'] });
    const mine = await sendReport(server, FULL_REPORT, me);
    const theirs = await sendReport(server, FULL_REPORT, someoneElse);
    const anonymous = await sendReport(server, FULL_REPORT);

    const response = await me.api.json('GET', '/api/v1/me/export', undefined, me.token);
    assert.equal(response.status, 200, response.text);
    const data = response.json<{ account: { email: string; tokens: { name: string }[] }; reports: { reference: string; status: string }[]; groups: unknown[] }>();
    assert.equal(data.account.email, me.email);
    assert.deepEqual(data.reports.map((r) => [r.reference, r.status]), [[mine.reference, 'received']]);
    assert.deepEqual(data.account.tokens.map((t) => t.name), ['tests']);
    for (const absent of [theirs.reference, anonymous.reference, someoneElse.email, FULL_REPORT.account, FULL_REPORT.contact, 'Big Tony', me.token, 'password']) {
      assert.ok(!response.text.includes(absent), `the export holds ${absent}`);
    }
    assert.equal((await new Client(server.url).json('GET', '/api/v1/me/export')).status, 401);

    const download = await me.browser.submit('/account', '/account/export', {});
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-disposition') ?? '', /attachment; filename="cast-account-\d{4}-\d{2}-\d{2}\.json"/);
    assert.equal(JSON.parse(download.text).account.email, me.email);
    const anonymousPost = await new Client(server.url).submit('/signin', '/account/export', {});
    assert.equal(anonymousPost.status, 303, 'sent to sign in');

    const audited = await db().selectFrom('audit_log').select(['subject', 'detail']).where('action', '=', 'account.data-exported').execute();
    assert.deepEqual(audited.map((a) => a.subject), [`user:${me.userId}`, `user:${me.userId}`]);
  });

  test('the privacy notice states the configured periods, in English and French, and every page links to it', async () => {
    const custom = await startTestServer({ env: { CAST_RETENTION_REPORT_DAYS: '365', CAST_RETENTION_EVENT_DAYS: '14' } });
    try {
      const browser = new Client(custom.url);
      const page = await browser.get('/privacy');
      assert.equal(page.status, 200);
      assert.match(page.text, /keeps its details for 365 days after the day it arrived/);
      assert.match(page.text, /deleted 14 days after the event ends/);
      assert.match(page.text, /href="\/newsletter\/manage"/);
      assert.match((await browser.get('/')).text, /<a href="\/privacy">/);
      await browser.get('/language/fr?next=/privacy');
      assert.match((await browser.get('/privacy')).text, /garde ses détails pendant 365 jours/);
    } finally {
      await custom.close();
    }
  });
});

describe('retention: chocolate action e-mails, Gift Aid declarations, and a dry run of every rule', () => {
  let server: TestServer;
  let mailbox: Mailbox;
  const db = () => server.cast.database.db;
  /** The runs here look 120 days ahead: every settled request is past the 90 days, as is every sign-up to an event that ended. */
  const LATER = new Date(Date.now() + 120 * DAY);
  const ago = (days: number) => new Date(Date.now() - days * DAY);
  const requests: Record<'settled' | 'held' | 'rejected' | 'unasked', string> = { settled: '', held: '', rejected: '', unasked: '' };
  let confirmToken = '';
  let replyPath = '';
  let totalsBefore = '';
  const totals = async () => (await new Client(server.url).get('/api/v1/chocolate/action-emails/totals')).text;
  const until = async (check: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 200 && !(await check()); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(await check(), `waited for ${what}`);
  };
  const requestRow = async (id: string) =>
    (await sql<Record<string, unknown>>`select name_sealed, email_sealed, subject_sealed, message_sealed, email_hash, token_hash, signature, erased_at, company_ids, review from chocolate_action_requests where id = ${id}`.execute(db())).rows[0]!;
  const messagesOf = async (id: string) =>
    (await sql<{ status: string; email_hash: Buffer | null; sent_at: Date | null; reply_asked_at: Date | null }>`select status, email_hash, sent_at, reply_asked_at from chocolate_action_messages where request_id = ${id} order by company_id`.execute(db())).rows;

  /** A supporter writes through the API and confirms with the link from their mailbox; the new request's id. */
  async function write(email: string, message: string, companies: string[]): Promise<{ id: string; token: string }> {
    const started = await new Client(server.url).json('POST', '/api/v1/chocolate/action-emails', { companies, name: 'A supporter', email, subject: 'Cocoa', message });
    assert.equal(started.status, 202, started.text);
    const token = linkFrom((await mailbox.waitFor(email, /Confirm your chocolate action e-mail/)).text, '/chocolate/action/confirm/').split('/').pop()!;
    assert.equal((await new Client(server.url).json('POST', '/api/v1/chocolate/action-emails/confirmation', { token })).status, 200);
    const { id } = (await sql<{ id: string }>`select id from chocolate_action_requests order by created_at desc limit 1`.execute(db())).rows[0]!;
    return { id, token };
  }

  /** Rows of a table as text, in order: equal before and after means not one value changed. */
  const contents = async (table: string) => (await sql<{ h: string | null }>`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${sql.table(table)} t`.execute(db())).rows[0]!.h;
  const RULE_TABLES = ['reports', 'report_identifiers', 'report_additions', 'correlation_encodings', 'declaration_signatures', 'newsletter_subscribers', 'newsletter_subscriptions', 'event_registrations', 'chocolate_action_requests', 'chocolate_action_messages', 'chocolate_message_bands', 'gift_aid_declarations', 'donations', 'donation_payments'];
  const snapshot = async () => {
    const everything = await fingerprint(db() as never);
    // Jobs come and go with the mail queue, whatever the run does.
    delete everything['queued jobs'];
    return { everything, rows: await Promise.all(RULE_TABLES.map(async (table) => [table, await contents(table)])) };
  };

  /** A donation in pounds, its payments taken at `paid`, and a Gift Aid declaration made on the day of `declared`; the donation's id. */
  async function giftAided(options: { frequency?: 'one-off' | 'monthly'; status?: string; paid?: Date[]; declared: Date; scope?: 'this-donation' | 'all'; endsOn?: Date }): Promise<string> {
    const donation = randomUUID();
    await sql`insert into donations (id, amount_minor, currency, frequency, status, provider, provider_reference, test_mode, checkout_url)
      values (${donation}, 1000, 'GBP', ${options.frequency ?? 'one-off'}, ${options.status ?? 'succeeded'}, 'stripe', ${`cs_${donation}`}, true, 'https://checkout.example/pay')`.execute(db());
    for (const paidAt of options.paid ?? []) {
      await sql`insert into donation_payments (donation_id, provider, provider_reference, amount_minor, currency, status, paid_at) values (${donation}, 'stripe', ${`pi_${randomUUID()}`}, 1000, 'GBP', 'succeeded', ${paidAt})`.execute(db());
    }
    await sql`insert into gift_aid_declarations (donation_id, scope, statement_version, first_name_sealed, last_name_sealed, address_sealed, postcode_sealed, declared_on, ends_on)
      values (${donation}, ${options.scope ?? 'this-donation'}, '2024-01', 'sealed-first', 'sealed-last', 'sealed-address', 'sealed-postcode', ${options.declared.toISOString().slice(0, 10)}::date,
              ${options.endsOn ? options.endsOn.toISOString().slice(0, 10) : null}::date)`.execute(db());
    return donation;
  }
  const countWhere = rowCounter(db);
  const declared = async (donation: string) => (await sql`select 1 from gift_aid_declarations where donation_id = ${donation}`.execute(db())).rows.length === 1;
  const giftAid: Record<string, string> = {};

  before(async () => {
    mailbox = await startMailbox();
    // Held from the first near-identical earlier message, so holding needs only two supporters.
    server = await startTestServer({ smtpUrl: mailbox.url, env: { CHOCOLATE_HOLD_AFTER: '1' } });
    const editor = await person(server, { role: 'editor', scopes: ['chocolate:write'], twoFactor: false });
    const page = await editor.browser.get('/chocolate/manage');
    const csv = ['slug,name,country,brands,parent_company,contact_email,website,suggested', 'cocoa-giant,Cocoa Giant plc,GB,,,csr@cocoa-giant.example,,yes', 'bean-bros,Bean Brothers SA,FR,,,contact@bean-bros.example,,no'].join('\r\n');
    assert.equal((await editor.browser.postForm('/chocolate/manage/import', { _csrf: csrfFrom(page.text), dataset: 'companies', csv })).status, 303);

    // Settled: sent to both companies, asked weeks later whether they replied. Held: waits for an
    // editor. Rejected: an editor said no. Unasked: sent, its reply question not due yet.
    const text = 'Dear company, please trace your cocoa to the farm and pay the families who grow it a living income.';
    const settled = await write('settled@example.org', text, ['cocoa-giant', 'bean-bros']);
    [requests.settled, confirmToken] = [settled.id, settled.token];
    requests.held = (await write('held@example.org', `${text}!`, ['bean-bros'])).id;
    requests.rejected = (await write('rejected@example.org', `${text}.`, ['cocoa-giant'])).id;
    requests.unasked = (await write('unasked@example.org', 'My grandmother picked cocoa in Ghana as a girl; I would like to know who picks the beans in your bars today.', ['bean-bros'])).id;
    const held = await editor.browser.get('/chocolate/manage/held');
    assert.equal((await editor.browser.postForm(`/chocolate/manage/held/${requests.rejected}`, { _csrf: csrfFrom(held.text), decision: 'reject' })).status, 303);
    await until(async () => (await sql`select 1 from chocolate_action_messages where status = 'queued'`.execute(db())).rows.length === 0, 'every queued message sent');
    await sql`update chocolate_action_messages set sent_at = sent_at - interval '30 days' where request_id = ${requests.settled}`.execute(db());
    await server.cast.jobs.enqueue(db(), 'chocolate.ask-replies', {});
    replyPath = linkFrom((await mailbox.waitFor('settled@example.org', /Did Cocoa Giant plc reply to you\?/)).text, '/chocolate/replies/');
    await until(async () => (await messagesOf(requests.settled)).every((m) => m.reply_asked_at !== null), 'both reply questions');
    totalsBefore = await totals();

    // Gift Aid: past the default (no year end: seven years after the last gift), or not.
    giftAid.oldOneOff = await giftAided({ paid: [ago(8 * 365)], declared: ago(8 * 365) });
    giftAid.neverPaid = await giftAided({ status: 'pledged', declared: ago(8 * 365) });
    giftAid.recentEnough = await giftAided({ paid: [ago(6 * 365 + 200)], declared: ago(6 * 365 + 200) });
    giftAid.stillRunning = await giftAided({ frequency: 'monthly', paid: [ago(10 * 365)], declared: ago(10 * 365) });
    giftAid.stoppedLately = await giftAided({ frequency: 'monthly', status: 'cancelled', paid: [ago(10 * 365), ago(2 * 365)], declared: ago(10 * 365) });
    // A declaration for all gifts may back gifts made outside CAST: in use until its end date.
    giftAid.allOpenEnded = await giftAided({ scope: 'all', paid: [ago(8 * 365)], declared: ago(8 * 365) });
    giftAid.allEndedLately = await giftAided({ scope: 'all', paid: [ago(10 * 365)], declared: ago(10 * 365), endsOn: ago(3 * 365) });
    giftAid.allEndedLongAgo = await giftAided({ scope: 'all', paid: [ago(10 * 365)], declared: ago(10 * 365), endsOn: ago(8 * 365) });

    // One of each other rule, due by LATER.
    await sql`insert into declaration_signatures (id, declaration_id, email_hash, name_sealed, email_sealed, country, language, token_hash, token_expires_at)
      values (${randomUUID()}, '6d1c0a52-7f3e-4a8e-9c1b-2f5d7e9a0b11', ${randomBytes(32)}, 'sealed-name', 'sealed-email', 'GB', 'en', ${randomBytes(32)}, ${ago(1)})`.execute(db());
    const subscriber = randomUUID();
    await sql`insert into newsletter_subscribers (id, email_hash, email_sealed, confirmed_at) values (${subscriber}, ${randomBytes(32)}, 'sealed', now())`.execute(db());
    await sql`insert into newsletter_subscriptions (subscriber_id, list_key) values (${subscriber}, 'general')`.execute(db());
    await sql`delete from newsletter_subscriptions where subscriber_id = ${subscriber}`.execute(db());
    const event = randomUUID();
    await sql`insert into events (id, title, all_day, starts_at, ends_at, time_zone, place, capacity, registered) values (${event}, 'Freedom Week walk', false, ${ago(2)}, ${ago(1)}, 'Europe/London', 'Bristol', 10, 1)`.execute(db());
    await sql`insert into event_registrations (event_id, email_hash, name_sealed, email_sealed) values (${event}, ${randomBytes(16).toString('hex')}, 'sealed', 'sealed')`.execute(db());
    const report = await sendReport(server, FULL_REPORT);
    await sql`update reports set received_on = ${isoDay(3 * 365)}::date where id = ${await reportId(server, report.reference)}`.execute(db());
  });
  after(async () => {
    await server.close();
    await mailbox.close();
  });

  test('a dry run counts, for every rule, what the real run then does, and changes nothing', async () => {
    const before = await snapshot();
    const dry = await runRetention(db(), PERIODS, { dryRun: true, now: LATER });
    assert.deepEqual(await snapshot(), before, 'not one row changed');
    assert.deepEqual(dry, { reportsPurged: 1, reportsKept: 0, signaturesErased: 1, subscribersDeleted: 1, registrationsDeleted: 1, chocolateRequestsErased: 2, giftAidDeclarationsDeleted: 3 });

    const real = await runRetention(db(), PERIODS, { now: LATER });
    assert.deepEqual(real, dry, 'the real run does what the dry run counted');
    const entry = await db().selectFrom('audit_log').select('detail').where('action', '=', 'retention.run').executeTakeFirstOrThrow();
    assert.deepEqual(entry.detail, { ...real, reportDays: 730 }, 'one audit entry, with every count');
    assert.equal((await verifyAudit(db())).ok, true);
  });

  test("a settled action e-mail's supporter and letter are erased; its messages, the totals and the replies tally stay; the rest is untouched", async () => {
    for (const id of [requests.settled, requests.rejected]) {
      const row = await requestRow(id);
      assert.deepEqual([row.name_sealed, row.email_sealed, row.subject_sealed, row.message_sealed, row.email_hash, row.token_hash, row.signature], [null, null, null, null, null, null, null]);
      assert.ok(row.erased_at instanceof Date);
      assert.equal((row.company_ids as string[]).length, id === requests.settled ? 2 : 1, 'which companies were written to stays');
      assert.equal(await countWhere('chocolate_message_bands', 'request_id', id), 0, "the letter's bands");
      for (const message of await messagesOf(id)) assert.equal(message.email_hash, null, "the messages keep no supporter's hash");
    }
    assert.deepEqual((await messagesOf(requests.settled)).map((m) => m.status), ['sent', 'sent']);
    assert.deepEqual((await messagesOf(requests.rejected)).map((m) => m.status), ['rejected']);
    for (const id of [requests.held, requests.unasked]) {
      const row = await requestRow(id);
      assert.ok(row.name_sealed && row.message_sealed && row.email_hash && row.signature && row.erased_at === null, 'held, or its reply question not asked yet: kept');
      assert.ok((await countWhere('chocolate_message_bands', 'request_id', id)) > 0);
    }
    assert.equal(await totals(), totalsBefore, 'the public totals');

    // The used confirmation link finds nothing; the reply question still takes its answer.
    assert.equal((await new Client(server.url).json('POST', '/api/v1/chocolate/action-emails/confirmation', { token: confirmToken })).status, 404);
    const browser = new Client(server.url);
    const question = await browser.get(replyPath);
    assert.equal(question.status, 200);
    assert.equal((await browser.postForm(replyPath, { _csrf: csrfFrom(question.text), reply: 'yes' })).status, 200);
    const giant = JSON.parse(await totals()) as { companies: { slug: string; sent: number; replies: { yes: number } }[] };
    assert.deepEqual(giant.companies.find((c) => c.slug === 'cocoa-giant')!.replies.yes, 1);

    const again = await runRetention(db(), PERIODS, { now: LATER });
    assert.equal(again.chocolateRequestsErased, 0, 'erased once');
  });

  test('Gift Aid declarations go years after the end of the accounting period of their last gift, never while their monthly gift runs or a declaration for all gifts is open; donations stay', async () => {
    assert.deepEqual(
      Object.fromEntries(await Promise.all(Object.entries(giftAid).map(async ([name, donation]) => [name, await declared(donation)]))),
      { oldOneOff: false, neverPaid: false, recentEnough: true, stillRunning: true, stoppedLately: true, allOpenEnded: true, allEndedLately: true, allEndedLongAgo: false },
    );
    assert.equal(Number((await sql<{ n: string }>`select count(*) as n from donations where id in (${sql.join(Object.values(giftAid))})`.execute(db())).rows[0]!.n), 8, 'donations are kept');

    // With the accounting year ending on 31 March, the last day of a period counts in UK time.
    const yearEnd: RetentionPeriods = { ...PERIODS, accountingYearEnd: '03-31' };
    const lastDay = await giftAided({ paid: [new Date('2025-03-31T12:00:00Z')], declared: new Date('2025-03-01T00:00:00Z') });
    const nextDay = await giftAided({ paid: [new Date('2025-03-31T23:30:00Z')], declared: new Date('2025-03-01T00:00:00Z') }); // 00:30 on 1 April in London
    const onDay = (day: string) => new Date(`${day}T12:00:00Z`);
    await runRetention(db(), yearEnd, { now: onDay('2031-03-31') });
    assert.deepEqual([await declared(lastDay), await declared(nextDay)], [true, true], 'the period ending 31 March 2025 is kept until 31 March 2031');
    await runRetention(db(), PERIODS, { now: onDay('2031-04-01') });
    assert.deepEqual([await declared(lastDay), await declared(nextDay)], [true, true], 'without a year end: a year longer');
    // Two runs side by side delete each declaration once.
    const declarations = async () => Number((await sql<{ n: string }>`select count(*) as n from gift_aid_declarations`.execute(db())).rows[0]!.n);
    const before = await declarations();
    const runs = await Promise.all([runRetention(db(), yearEnd, { now: onDay('2031-04-01') }), runRetention(db(), yearEnd, { now: onDay('2031-04-01') })]);
    assert.deepEqual([await declared(lastDay), await declared(nextDay)], [false, true]);
    assert.equal(sum(runs, 'giftAidDeclarationsDeleted'), before - (await declarations()));
  });
});

describe('retention: the daily job and the command', () => {
  let server: TestServer;
  const db = () => server.cast.database.db;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const oldReport = async () => {
    const sent = await sendReport(server, FULL_REPORT);
    const id = await reportId(server, sent.reference);
    await sql`update reports set received_on = ${isoDay(800)}::date where id = ${id}`.execute(db());
    return id;
  };
  const purgedOn = async (id: string) => (await sql<{ day: string | null }>`select to_char(purged_on, 'YYYY-MM-DD') as day from reports where id = ${id}`.execute(db())).rows[0]!.day;

  test('the scheduled job runs the rules', async () => {
    const id = await oldReport();
    await server.cast.jobs.enqueue(db(), RETENTION_JOB, {});
    // The run's audit entry is written last, in its own transaction: once it is there, the run is done.
    const runs = () => db().selectFrom('audit_log').select('id').where('action', '=', 'retention.run').execute();
    while ((await runs()).length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await purgedOn(id), isoDay(0));
    assert.equal((await runs()).length, 1);
  });

  test('`cast retention run --dry-run` counts, `cast retention run` applies; bad options and periods are refused', async (t) => {
    const bad = await runCli(['retention', 'run', '--now'], {});
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Run "cast help retention run"/);
    const badPeriod = await runCli(['retention', 'run'], { CAST_RETENTION_REPORT_DAYS: '7' });
    assert.equal(badPeriod.code, 2);
    assert.match(badPeriod.stderr, /CAST_RETENTION_REPORT_DAYS must be a whole number from 30/);
    // PGlite has one session per data directory: the command cannot share the test's database.
    const url = server.testDatabase.url;
    if (!url) return t.skip('the command needs the database to itself on PGlite');
    const id = await oldReport();
    const dry = await runCli(['retention', 'run', '--dry-run'], { DATABASE_URL: url });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /dry run: 1 reports would be reduced to statistics, 0 past the period kept/);
    assert.match(dry.stdout, /would go: \d+ unconfirmed signatures erased, \d+ newsletter subscribers deleted, \d+ event sign-ups deleted, \d+ chocolate action e-mails erased, \d+ Gift Aid declarations deleted/);
    assert.equal(await purgedOn(id), null);
    const done = await runCli(['retention', 'run'], { DATABASE_URL: url });
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /^1 reports reduced to statistics/);
    assert.match(done.stdout, /gone: .* chocolate action e-mails erased, \d+ Gift Aid declarations deleted, in [\d.]+ s/);
    assert.equal(await purgedOn(id), isoDay(0));
  });
});

/** The `cast` command as an operator runs it, with only the given environment (and the key). */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CAST_BIN, ...args], { env: { PATH: process.env.PATH ?? '', CAST_KEY: randomBytes(32).toString('base64'), ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}

describe('retention: configuration', () => {
  test('defaults, and a clear start-up error for a period that makes no sense', () => {
    assert.deepEqual(loadConfig({}).retention, { reportDays: 730, unconfirmedDays: 30, unsubscribedDays: 30, eventDays: 90, chocolateDays: 90, giftAidYears: 6, accountingYearEnd: undefined });
    for (const bad of ['29', '0', 'two years', '-5', '1.5']) {
      assert.throws(
        () => loadConfig({ CAST_RETENTION_REPORT_DAYS: bad }),
        (error: unknown) => error instanceof ConfigError && /CAST_RETENTION_REPORT_DAYS must be a whole number from 30/.test(error.message) && /at least 30/.test(error.message),
      );
    }
    assert.throws(() => loadConfig({ CAST_RETENTION_EVENT_DAYS: '0', CAST_RETENTION_UNSUBSCRIBED_DAYS: 'x' }), (error: unknown) => error instanceof ConfigError && error.problems.length === 2);
  });

  test('the chocolate and Gift Aid settings: Gift Aid never below HMRC\'s six years; a year end that every year has', () => {
    assert.deepEqual(
      loadConfig({ CAST_RETENTION_CHOCOLATE_DAYS: '30', CAST_RETENTION_GIFT_AID_YEARS: '7', CAST_RETENTION_ACCOUNTING_YEAR_END: '03-31' }).retention,
      { reportDays: 730, unconfirmedDays: 30, unsubscribedDays: 30, eventDays: 90, chocolateDays: 30, giftAidYears: 7, accountingYearEnd: '03-31' },
    );
    assert.equal(loadConfig({ CAST_RETENTION_ACCOUNTING_YEAR_END: '12-31' }).retention.accountingYearEnd, '12-31');
    assert.throws(
      () => loadConfig({ CAST_RETENTION_GIFT_AID_YEARS: '5' }),
      (error: unknown) => error instanceof ConfigError && /CAST_RETENTION_GIFT_AID_YEARS must be a whole number from 6/.test(error.message) && /HMRC requires six years/.test(error.message),
    );
    for (const bad of ['02-29', '04-31', '13-01', '3-31', '31/03', 'March']) {
      assert.throws(() => loadConfig({ CAST_RETENTION_ACCOUNTING_YEAR_END: bad }), (error: unknown) => error instanceof ConfigError && /CAST_RETENTION_ACCOUNTING_YEAR_END must be the last day/.test(error.message), bad);
    }
    assert.throws(() => loadConfig({ CAST_RETENTION_CHOCOLATE_DAYS: '0' }), /CAST_RETENTION_CHOCOLATE_DAYS must be a whole number from 1/);
  });
});
