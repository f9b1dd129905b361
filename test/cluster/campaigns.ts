/**
 * The campaigns across processes: declaration counts exact after signatures through every process,
 * each confirmation e-mail sent once, a newsletter edition sent once per subscriber, chocolate action
 * e-mails reaching each company once, and event sign-ups that never exceed the capacity.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { COMPANIES_CSV, importCsv } from '../../src/modules/chocolate/test-helpers.ts';
import { subscribe } from '../../src/modules/newsletter/test-helpers.ts';
import { Client, linkFrom, type Response } from '../support/client.ts';
import { person, type Person } from '../support/people.ts';
import { assertEveryProcess, inBatches, mailSettled, mailsTo, until, type Context } from './context.ts';

const SLUG = 'stop-the-traffik';
const GIANT = 'csr@cocoa-giant.example';
const BEAN = 'contact@bean-bros.example';
type Counts = { total: number; countries: { country: string; total: number }[] };

export function campaignJourneys(context: Context): void {
  describe('campaigns', () => {
    let editor: Person;
    const run = crypto.randomBytes(3).toString('hex');
    const db = () => context.cluster.database.db;

    before(async () => {
      editor = await person(context.cluster.server(), { role: 'editor', scopes: ['chocolate:write', 'newsletter:read', 'newsletter:write', 'events:write'] });
    });

    test('declaration: signatures through every process, one confirmation e-mail each, counts exact on every process', async () => {
      const { cluster, mailbox } = context;
      const n = context.short ? 12 : 40;
      const emails = Array.from({ length: n }, (_, i) => `signer${i}.${run}@example.org`);
      const counts = async (url: string) => (await new Client(url).get(`/api/v1/declarations/${SLUG}/counts`)).json<Counts>();
      const before = (await counts(cluster.processes[0]!.url)).total;

      const signed = await inBatches(n, 8, (i) => new Client(cluster.url).json('POST', `/api/v1/declarations/${SLUG}/signatures`, { name: `Signer ${i}`, email: emails[i], country: i % 2 ? 'GB' : 'FR' }));
      assert.deepEqual(signed.map((r) => r.status), emails.map(() => 202));
      assertEveryProcess(context, signed, 'signing');
      const mails = await Promise.all(emails.map((email) => mailbox.waitFor(email, /Confirm your signature/, 60_000)));
      const tokens = mails.map((mail) => linkFrom(mail.text, '/declarations/confirm/').split('/').pop()!);
      const confirm = (token: string) => new Client(cluster.url).json('POST', '/api/v1/declaration-signatures/confirm', { token });
      const confirmed = await inBatches(n, 8, (i) => confirm(tokens[i]!));
      assert.ok(confirmed.every((r) => r.status === 200 && r.json<{ status: string }>().status !== 'already-confirmed'), 'each confirmed once');
      assertEveryProcess(context, confirmed, 'confirming');
      // The same links again (a double click landing on the other process): nothing counts twice.
      const again = await inBatches(n, 8, (i) => confirm(tokens[i]!));
      assert.ok(again.every((r) => r.status === 200 && r.json<{ status: string }>().status === 'already-confirmed'));

      for (const proc of cluster.processes) await until(async () => (await counts(proc.url)).total === before + n, `${proc.address} to count ${before + n}`);
      const stored = await sql<{ n: number }>`select count(*)::int as n from declaration_signatures where confirmed_at is not null and flag is null`.execute(db());
      assert.equal(stored.rows[0]!.n, before + n, 'the stored signatures agree');
      await mailSettled(context);
      for (const proc of cluster.processes) assert.equal((await counts(proc.url)).total, before + n, `${proc.address} still counts exactly ${before + n}`);
      for (const email of emails) assert.equal(mailsTo(mailbox, email, /Confirm your signature/).length, 1, `one confirmation e-mail to ${email}`);
      context.figures['declaration signatures'] = n;
    });

    test('newsletter: double opt-in through the balancer, one confirmation each; an edition sent once per subscriber', async () => {
      const { cluster, mailbox } = context;
      const n = context.short ? 6 : 20;
      const emails = Array.from({ length: n }, (_, i) => `reader${i}.${run}@example.org`);
      await inBatches(n, 4, (i) => subscribe(new Client(cluster.url), mailbox, emails[i]!, ['general']));

      const subject = `Cluster edition ${run}`;
      const created = await editor.api.json('POST', '/api/v1/newsletter/editions', { subject, body: 'News from **every** process.', lists: ['general'] }, editor.token);
      assert.equal(created.status, 201, created.text);
      const id = created.json<{ id: string }>().id;
      const sent = await editor.api.json('POST', `/api/v1/newsletter/editions/${id}/send`, {}, editor.token);
      assert.equal(sent.status, 202, sent.text);
      const status = async () => (await sql<{ status: string }>`select status from newsletter_editions where id = ${id}`.execute(db())).rows[0]!.status;
      await until(async () => (await status()) === 'sent', 'the edition to be sent', 120_000);
      await mailSettled(context);

      const exact = new RegExp(`^${subject}$`);
      for (const email of emails) {
        assert.equal(mailsTo(mailbox, email, exact).length, 1, `the edition reached ${email} once`);
        assert.equal(mailsTo(mailbox, email, /Confirm your subscription/).length, 1, `one confirmation e-mail to ${email}`);
      }
      const senders = await sql<{ n: number }>`select count(distinct split_part(claimed_by, ':', 2))::int as n from newsletter_deliveries where edition_id = ${id}`.execute(db());
      context.figures['newsletter subscribers'] = n;
      context.figures['newsletter: processes that sent part of the edition'] = senders.rows[0]!.n;
    });

    test('chocolate: action e-mails confirmed through every process reach each company once, with one confirmation and one copy each', async () => {
      const { cluster, mailbox } = context;
      await importCsv(editor, 'companies', COMPANIES_CSV);
      const k = context.short ? 4 : 12;
      const emails = Array.from({ length: k }, (_, i) => `supporter${i}.${run}@example.org`);
      const subject = `Cocoa question ${run}`;
      const started = await inBatches(k, 4, (i) =>
        new Client(cluster.url).json('POST', '/api/v1/chocolate/action-emails', {
          companies: ['cocoa-giant', 'bean-bros'],
          name: `Supporter ${i}`,
          email: emails[i],
          subject,
          message: `I am supporter number ${i}. Before I buy your chocolate again, please tell me how you trace your cocoa to the farm and what you pay the farmers.`,
        }),
      );
      assert.deepEqual(started.map((r) => r.status), emails.map(() => 202));
      const mails = await Promise.all(emails.map((email) => mailbox.waitFor(email, /Confirm your chocolate action e-mail/, 60_000)));
      const tokens = mails.map((mail) => linkFrom(mail.text, '/chocolate/action/confirm/').split('/').pop()!);
      const confirm = (token: string) => new Client(cluster.url).json('POST', '/api/v1/chocolate/action-emails/confirmation', { token });
      const confirmed = await inBatches(k, 4, (i) => confirm(tokens[i]!));
      assert.ok(confirmed.every((r) => r.status === 200 && r.json<{ queued: string[] }>().queued.length === 2), 'each queued for both companies');
      assertEveryProcess(context, [...started, ...confirmed], 'action e-mails');
      // Confirming again (through the other process, say) sends nothing more.
      const again: Response[] = await inBatches(k, 4, (i) => confirm(tokens[i]!));
      assert.ok(again.every((r) => r.status < 500));

      const totals = async (url: string) => (await new Client(url).get('/api/v1/chocolate/action-emails/totals')).json<{ companies: { slug: string; sent: number }[] }>();
      for (const proc of cluster.processes) {
        await until(async () => (await totals(proc.url)).companies.filter((c) => c.slug === 'cocoa-giant' || c.slug === 'bean-bros').every((c) => c.sent === k), `${proc.address}'s totals`);
      }
      await mailSettled(context);
      for (const company of [GIANT, BEAN]) {
        const received = mailsTo(mailbox, company, new RegExp(subject));
        assert.equal(received.length, k, `${company} received one message per supporter`);
        for (const email of emails) assert.equal(received.filter((m) => new RegExp(`^Reply-To: ${email.replace(/\./g, '\\.')}`, 'im').test(m.raw)).length, 1, `${email} wrote to ${company} once`);
      }
      for (const email of emails) {
        assert.equal(mailsTo(mailbox, email, /Confirm your chocolate action e-mail/).length, 1);
        assert.equal(mailsTo(mailbox, email, /has been sent/).length, 2, `one copy per company to ${email}`);
      }
      for (const proc of cluster.processes) assert.ok((await totals(proc.url)).companies.filter((c) => c.slug === 'cocoa-giant' || c.slug === 'bean-bros').every((c) => c.sent === k));
      context.figures['chocolate supporters (2 companies each)'] = k;
    });

    test('events: sign-ups from every process at once never exceed the capacity; one confirmation each', async () => {
      const { cluster, mailbox } = context;
      const year = new Date().getUTCFullYear() + 1;
      const created = await editor.api.json('POST', '/api/v1/events', { title: `Cluster workshop ${run}`, start: `${year}-11-25 10:00`, end: `${year}-11-25 12:00`, place: 'Room 1', capacity: 3 }, editor.token);
      assert.equal(created.status, 201, created.text);
      const id = created.json<{ id: string }>().id;
      const emails = Array.from({ length: 12 }, (_, i) => `attendee${i}.${run}@example.org`);
      const attempts = await Promise.all(emails.map((email, i) => new Client(cluster.url).json('POST', `/api/v1/events/${id}/registrations`, { name: `Person ${i}`, email })));
      assert.deepEqual(attempts.map((r) => r.status).sort(), [201, 201, 201, ...Array.from({ length: 9 }, () => 409)]);
      assertEveryProcess(context, attempts, 'sign-ups');
      const rows = await sql<{ registered: number; n: number }>`select registered, (select count(*)::int from event_registrations where event_id = ${id}) as n from events where id = ${id}`.execute(db());
      assert.deepEqual([rows.rows[0]!.registered, rows.rows[0]!.n], [3, 3]);
      await mailSettled(context);
      const confirmations = emails.map((email) => mailsTo(mailbox, email, /signed up/).length);
      assert.deepEqual(confirmations.filter((c) => c > 0), [1, 1, 1], 'one confirmation for each of the three, none for the others');
    });
  });
}
