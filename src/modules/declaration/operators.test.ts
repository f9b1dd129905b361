import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccount, signIn } from '../../../test/support/accounts.ts';
import { Client, csrfFrom, linkFrom } from '../../../test/support/client.ts';
import { startMailbox, type Mailbox } from '../../../test/support/mailbox.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { eraseClosedDeclarations } from './index.ts';
import type { DeclarationTables } from './tables.ts';

type Counts = { total: number; countries: { country: string; total: number }[] };

describe('declaration: editors and the abuse controls', () => {
  let server: TestServer;
  let mailbox: Mailbox;
  let editor: Client;
  let admin: Client;
  before(async () => {
    mailbox = await startMailbox();
    // A scale of 1: the limits set below apply as written.
    server = await startTestServer({ smtpUrl: mailbox.url, env: { RATE_LIMIT_SCALE: '1' } });
    editor = new Client(server.url);
    await signIn(editor, (await createAccount(server.cast.database, { role: 'editor' })).email);
    admin = new Client(server.url);
    await signIn(admin, (await createAccount(server.cast.database, { role: 'admin' })).email);
  });
  after(async () => {
    await server.close();
    await mailbox.close();
  });

  const db = () => server.cast.database.db.withTables<DeclarationTables>();
  const counts = async (slug: string) => (await new Client(server.url).get(`/api/v1/declarations/${slug}/counts`)).json<Counts>();
  async function countsReach(slug: string, total: number) {
    for (;;) {
      const now = await counts(slug);
      if (now.total === total) return now;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const audit = (action: string) => server.cast.database.db.selectFrom('audit_log').select(['subject', 'detail']).where('action', '=', action).execute();

  async function signAndConfirm(slug: string, email: string, country = 'FR') {
    const browser = new Client(server.url);
    const signed = await browser.submit(`/declarations/${slug}`, `/declarations/${slug}/signatures`, { name: 'Awa Koné', email, country });
    assert.equal(signed.status, 303);
    const path = linkFrom((await mailbox.waitFor(email, /Confirm your signature|Confirmez votre signature/)).text, '/declarations/confirm/');
    const page = await browser.get(path);
    assert.equal((await browser.postForm(path, { _csrf: csrfFrom(page.text) })).status, 303);
  }

  test('an editor creates a declaration in two languages, with field messages for bad input', async () => {
    const bad = await editor.submit('/declarations/manage/new', '/declarations/manage', { slug: 'Bad Slug!', opensOn: '2026-02-30', closesOn: '', title_en: 'x'.repeat(300), body_en: '' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /lower-case letters, digits and single hyphens/);
    assert.match(bad.text, /Enter a date such as/);
    assert.match(bad.text, /title of at most 200 characters/);
    assert.match(bad.text, /value="Bad Slug!"/, 'the form keeps what was typed');

    const made = await editor.submit('/declarations/manage/new', '/declarations/manage', {
      slug: 'chocolate-pledge',
      opensOn: '2026-01-01',
      title_en: 'The chocolate pledge',
      summary_en: 'Ask for chocolate made without child labour.',
      body_en: 'We ask chocolate companies to show where their cocoa comes from.\n\nAnd to pay a living income.',
      title_fr: 'L’engagement chocolat',
      summary_fr: 'Demandez un chocolat fait sans travail des enfants.',
      body_fr: 'Nous demandons aux entreprises de montrer d’où vient leur cacao.',
    });
    assert.equal(made.status, 303);
    assert.equal(made.location, '/declarations/manage?notice=created');
    const again = await editor.submit('/declarations/manage/new', '/declarations/manage', { slug: 'chocolate-pledge', opensOn: '2026-01-01', title_en: 'Twice', body_en: 'Twice.' });
    assert.match(again.text, /already uses this short name/);

    const page = await new Client(server.url).get('/declarations/chocolate-pledge', { 'accept-language': 'fr' });
    assert.match(page.text, /L’engagement chocolat/);
    const english = await new Client(server.url).get('/declarations/chocolate-pledge');
    assert.match(english.text, /<p>And to pay a living income.<\/p>/, 'paragraphs from blank lines');
    assert.equal((await audit('declaration.created')).length, 1);
    // Editors do not run the abuse controls.
    assert.equal((await editor.get('/declarations/moderation')).status, 403);
  });

  test('a closed declaration refuses signatures with a clear message', async () => {
    const id = (await db().selectFrom('declarations').select('id').where('slug', '=', 'chocolate-pledge').executeTakeFirstOrThrow()).id;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const edit = await editor.get(`/declarations/manage/${id}`);
    assert.match(edit.text, /value="chocolate-pledge"/);
    const closed = await editor.postForm(`/declarations/manage/${id}`, { _csrf: csrfFrom(edit.text), slug: 'chocolate-pledge', opensOn: '2026-01-01', closesOn: yesterday, title_en: 'The chocolate pledge', body_en: 'Closed now.' });
    assert.equal(closed.status, 303);
    // The public copy is kept a few seconds in other processes; this one forgets it at once.
    const answer = await new Client(server.url).json('POST', '/api/v1/declarations/chocolate-pledge/signatures', { name: 'Late', email: 'late@example.org', country: 'GB' });
    assert.equal(answer.status, 409);
    assert.match(answer.text, /not open for signatures/);
    const page = await new Client(server.url).get('/declarations/chocolate-pledge');
    assert.doesNotMatch(page.text, /action="\/declarations\/chocolate-pledge\/signatures"/, 'no form');
  });

  test('limits set by the operator apply without a restart; signatures over them are kept, marked and never counted', async () => {
    const slug = 'stop-the-traffik';
    const page = await admin.get('/declarations/moderation');
    assert.equal(page.status, 200);
    const wrong = await admin.postForm('/declarations/moderation/settings', { _csrf: csrfFrom(page.text), burstMax: '0', burstSeconds: '60', sustainedMax: 'many', sustainedSeconds: '3600', eraseAfterDays: '180' });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /whole number within the allowed range/);
    const saved = await admin.postForm('/declarations/moderation/settings', { _csrf: csrfFrom(page.text), burstMax: '2', burstSeconds: '3600', sustainedMax: '100', sustainedSeconds: '3600', eraseAfterDays: '30' });
    assert.equal(saved.status, 303);

    const before = (await counts(slug)).total;
    const emails = [1, 2, 3].map((i) => `limit.${i}.${process.pid}@example.net`);
    for (const email of emails) await new Client(server.url).json('POST', `/api/v1/declarations/${slug}/signatures`, { name: 'Same Office', email, country: 'GB' });
    const rows = await db().selectFrom('declaration_signatures').select(['flag', 'ip_hash']).where('email_domain', '=', 'example.net').execute();
    assert.deepEqual(rows.map((r) => r.flag).sort(), [null, null, 'rate-limited'].sort());
    assert.ok(rows.every((r) => r.ip_hash?.startsWith('declaration:') && !r.ip_hash.includes('127.0.0.1')), 'a keyed hash, never the address');
    await mailbox.waitFor(emails[0]!);
    await mailbox.waitFor(emails[1]!);
    assert.ok(!mailbox.messages.some((m) => m.to.includes(emails[2]!)), 'a marked signature gets no mail');
    await countsReach(slug, before);
    // Put the limits back for the other tests.
    const reset = await admin.get('/declarations/moderation');
    await admin.postForm('/declarations/moderation/settings', { _csrf: csrfFrom(reset.text), burstMax: '1000', burstSeconds: '60', sustainedMax: '1000', sustainedSeconds: '3600', eraseAfterDays: '30' });
    assert.equal((await audit('declaration.settings-changed')).length, 2);
  });

  test('a blocked domain marks signatures; trending domains can be invalidated in bulk and leave the counts', async () => {
    const slug = 'stop-the-traffik';
    const page = await admin.get('/declarations/moderation');
    const added = await admin.postForm('/declarations/moderation/domains', { _csrf: csrfFrom(page.text), domain: 'Spam.Example', kind: 'blocked' });
    assert.equal(added.status, 303);
    await new Client(server.url).json('POST', `/api/v1/declarations/${slug}/signatures`, { name: 'Spammer', email: `x.${process.pid}@mail.spam.example`, country: 'GB' });
    const blocked = await db().selectFrom('declaration_signatures').select('flag').where('email_domain', '=', 'mail.spam.example').executeTakeFirstOrThrow();
    assert.equal(blocked.flag, 'blocked-domain', 'subdomains too');

    const start = (await countsReach(slug, (await counts(slug)).total)).total;
    for (const i of [1, 2, 3]) await signAndConfirm(slug, `wave.${i}.${process.pid}@burst.example`, 'CI');
    const risen = await countsReach(slug, start + 3);
    assert.ok(risen.countries.some((c) => c.country === 'CI'));

    const id = (await db().selectFrom('declarations').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
    const trending = await admin.get(`/declarations/moderation?declaration=${id}&hours=1`);
    assert.match(trending.text, /<code>burst\.example<\/code>/);
    assert.doesNotMatch(trending.text, /wave\.1/, 'never an address');
    const invalidated = await admin.postForm('/declarations/moderation/invalidate', { _csrf: csrfFrom(trending.text), declarationId: id, by: 'domain', value: 'burst.example', hours: '1' });
    assert.equal(invalidated.status, 303);
    await countsReach(slug, start);
    const again = await admin.postForm('/declarations/moderation/invalidate', { _csrf: csrfFrom(trending.text), declarationId: id, by: 'domain', value: 'burst.example', hours: '1' });
    assert.equal(again.status, 303);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal((await counts(slug)).total, start, 'invalidating twice takes nothing off twice');

    const removed = await admin.postForm('/declarations/moderation/domains/remove', { _csrf: csrfFrom(trending.text), domain: 'spam.example' });
    assert.equal(removed.status, 303);
    assert.deepEqual((await audit('declaration.signatures-invalidated')).map((a) => (a.detail as { count: number }).count), [3, 0]);
  });

  test('personal data is erased some time after a declaration closes; the counts stay', async () => {
    const made = await editor.submit('/declarations/manage/new', '/declarations/manage', { slug: 'erase-me', opensOn: '2026-01-01', title_en: 'Erase me', body_en: 'A declaration that closes.' });
    assert.equal(made.status, 303);
    await signAndConfirm('erase-me', `erase.${process.pid}@example.com`, 'SN');
    await countsReach('erase-me', 1);
    const id = (await db().selectFrom('declarations').select('id').where('slug', '=', 'erase-me').executeTakeFirstOrThrow()).id;

    // Closed 10 days ago, the operator's delay is 30 days: nothing yet.
    await db().updateTable('declarations').set({ closes_at: new Date(Date.now() - 10 * 86_400_000) }).where('id', '=', id).execute();
    assert.deepEqual(await eraseClosedDeclarations(server.cast.database.db), { declarations: 0, signatures: 0 });
    await db().updateTable('declarations').set({ closes_at: new Date(Date.now() - 31 * 86_400_000) }).where('id', '=', id).execute();
    assert.deepEqual(await eraseClosedDeclarations(server.cast.database.db), { declarations: 1, signatures: 1 });
    const row = await db().selectFrom('declaration_signatures').selectAll().where('declaration_id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([row.name_sealed, row.email_sealed, row.postcode_sealed, row.email_hash, row.email_domain, row.ip_hash, row.token_hash], [null, null, null, null, null, null, null]);
    assert.equal(row.country, 'SN');
    assert.ok(row.erased_at && row.confirmed_at);
    assert.equal((await counts('erase-me')).total, 1, 'counts stay');
    assert.deepEqual(await eraseClosedDeclarations(server.cast.database.db), { declarations: 0, signatures: 0 }, 'done once');
  });
});
