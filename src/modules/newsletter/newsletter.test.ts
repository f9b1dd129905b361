import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { Client, csrfFrom, linkFrom } from '../../../test/support/client.ts';
import { startMailbox, type Mailbox } from '../../../test/support/mailbox.ts';
import { person, type Person } from '../../../test/support/people.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { deriveKeys } from '../../core/keys.ts';
import { confirmationToken, linkKeys, subscriberToken } from './links.ts';
import { confirmLinkFrom, subscribe, tokenOf, unsubscribeTargets } from './test-helpers.ts';

type Fail = { error: { code: string; message: string; fields?: Record<string, string> } };
const SECRET = 'a-shared-secret-of-enough-length-for-tests';

describe('newsletter: double opt-in, preferences, editions, one-click unsubscribe, bounces', () => {
  let server: TestServer;
  let mailbox: Mailbox;
  let editor: Person;
  const db = () => server.cast.database.db;
  const count = async (table: string) => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db())).rows[0]!.n);

  before(async () => {
    mailbox = await startMailbox();
    server = await startTestServer({ smtpUrl: mailbox.url, env: { CAST_NEWSLETTER_WEBHOOK_SECRET: SECRET, CAST_NEWSLETTER_RATE: '1000' } });
    editor = await person(server, { role: 'editor', scopes: ['newsletter:read', 'newsletter:write'] });
  });
  after(async () => {
    await server.close();
    await mailbox.close();
  });

  test('nothing is stored before confirmation; confirming twice counts once', async () => {
    const client = new Client(server.url);
    const email = `first.${Date.now()}@example.org`;
    const form = await client.get('/newsletter');
    assert.equal(form.status, 200);
    assert.match(form.text, /General news/);
    const posted = await client.postForm('/newsletter', { _csrf: csrfFrom(form.text), email, lists: ['general', 'chocolate'], language: 'en' });
    assert.equal(posted.status, 200);
    const mail = await mailbox.waitFor(email, /Confirm your subscription/);
    assert.equal(await count('newsletter_subscribers'), 0, 'no subscriber before the link is followed');
    const path = confirmLinkFrom(mail.text);
    const token = tokenOf(path);
    assert.ok(!path.includes(email.split('@')[0]!), 'the link does not show the address');

    // Opening the link (as a mail scanner would) confirms nothing.
    const page = await client.get(path);
    assert.equal(page.status, 200);
    assert.equal(await count('newsletter_subscribers'), 0);
    const first = await client.postForm('/newsletter/confirm', { _csrf: csrfFrom(page.text), token });
    assert.equal(first.status, 303);
    assert.match(first.location!, /^\/newsletter\/preferences\/.+\?notice=confirmed$/);
    const again = await client.postForm('/newsletter/confirm', { _csrf: csrfFrom(page.text), token });
    assert.match(again.location!, /notice=alreadyConfirmed$/);
    const viaApi = await new Client(server.url).json('POST', '/api/v1/newsletter/confirmations', { token });
    assert.equal(viaApi.status, 200);
    assert.equal(viaApi.json<{ status: string }>().status, 'already-confirmed');
    assert.equal(await count('newsletter_subscribers'), 1);
    assert.equal(await count('newsletter_subscriptions'), 2);
    const stored = (await sql<{ email_sealed: string }>`select email_sealed from newsletter_subscribers`.execute(db())).rows[0]!;
    assert.ok(!stored.email_sealed.includes('example.org'), 'the address is sealed at rest');
    const prefs = await client.get(first.location!);
    assert.match(prefs.text, /subscription is confirmed/);
    assert.ok(prefs.text.includes(email));
  });

  test('bad input: IDN and plus-addresses accepted, invalid ones refused clearly, long names and control characters refused', async () => {
    const api = new Client(server.url);
    for (const email of ['amina+news@exemple.ci', 'test@bücher.example', 'δοκιμή@παράδειγμα.δοκιμή']) {
      const ok = await api.json('POST', '/api/v1/newsletter/subscriptions', { email, lists: ['general'] });
      assert.equal(ok.status, 202, `${email}: ${ok.text}`);
    }
    await mailbox.waitFor('test@bücher.example', /Confirm/);
    await mailbox.waitFor('δοκιμή@παράδειγμα.δοκιμή', /Confirm/);
    for (const email of ['not-an-address', 'a@b', 'two@@example.org', 'a..b@example.org', 'space in@example.org', 'a@exa mple.org', 'x@-bad-.org', 'ctl\u0007@example.org', `${'a'.repeat(250)}@example.org`]) {
      const refused = await api.json('POST', '/api/v1/newsletter/subscriptions', { email });
      assert.equal(refused.status, 422, email);
      assert.match(refused.json<Fail>().error.fields!.email!, /valid e-mail address|at most 254/, email);
    }
    const long = await api.json('POST', '/api/v1/newsletter/subscriptions', { email: 'long@example.org', name: 'n'.repeat(10_000) });
    assert.equal(long.status, 422);
    assert.match(long.json<Fail>().error.fields!.name!, /at most 200 characters/);
    const control = await api.json('POST', '/api/v1/newsletter/subscriptions', { email: 'ctl@example.org', name: 'Ann\u0007\u202eEvil' });
    assert.equal(control.status, 422);
    assert.match(control.json<Fail>().error.fields!.name!, /control characters/);
    const list = await api.json('POST', '/api/v1/newsletter/subscriptions', { email: 'list@example.org', lists: ['spam'] });
    assert.equal(list.status, 422);

    // The form keeps what was typed and names each problem.
    const client = new Client(server.url);
    const form = await client.get('/newsletter');
    const page = await client.postForm('/newsletter', { _csrf: csrfFrom(form.text), email: 'nope@', name: 'Zoë', lists: 'general' });
    assert.equal(page.status, 422);
    assert.match(page.text, /Enter a valid e-mail address/);
    assert.match(page.text, /value="nope@"/);
    assert.match(page.text, /value="Zoë"/);
    assert.equal(await count('newsletter_subscribers'), 1, 'nothing stored by any of this');
  });

  test('tampered and expired links are refused with clear messages', async () => {
    const client = new Client(server.url);
    const keys = linkKeys(deriveKeys(Buffer.from(server.config.instanceKey!, 'base64')));
    const expired = confirmationToken(keys, { email: 'late@example.org', name: null, lists: ['general'], language: 'en' }, Date.now() - 8 * 86_400_000);
    const form = await client.get('/newsletter');
    const late = await client.postForm('/newsletter/confirm', { _csrf: csrfFrom(form.text), token: expired });
    assert.equal(late.status, 410);
    assert.match(late.text, /has expired/);
    const tampered = expired.slice(0, -3) + (expired.endsWith('A') ? 'BBB' : 'AAA');
    const bad = await client.postForm('/newsletter/confirm', { _csrf: csrfFrom(form.text), token: tampered });
    assert.equal(bad.status, 404);
    assert.match(bad.text, /not valid/);
    const forged = subscriberToken(keys, 'unsubscribe', '00000000-0000-4000-8000-000000000000', 1).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    assert.equal((await client.get(`/newsletter/unsubscribe/${forged}`)).status, 404);
    assert.equal((await client.get('/newsletter/preferences/garbage')).status, 404);
    const expiredApi = await new Client(server.url).json('POST', '/api/v1/newsletter/confirmations', { token: expired });
    assert.equal(expiredApi.status, 410);
    assert.match(expiredApi.json<Fail>().error.message, /expired/);
  });

  test('preference centre: change lists, export (audited), revoke links, erase', async () => {
    const client = new Client(server.url);
    const email = `prefs.${Date.now()}@example.org`;
    const prefsPath = await subscribe(client, mailbox, email, ['general']);
    const page = await client.get(prefsPath);
    const saved = await client.postForm(prefsPath, { _csrf: csrfFrom(page.text), lists: ['chocolate', 'groups'], language: 'fr', name: 'Awa' });
    assert.equal(saved.status, 303);
    const token = prefsPath.split('/').pop()!;
    const api = new Client(server.url);
    const prefs = (await api.get(`/api/v1/newsletter/preferences/${token}`)).json<{ lists: string[]; language: string; name: string }>();
    assert.deepEqual(prefs.lists, ['chocolate', 'groups']);
    assert.equal(prefs.language, 'fr');
    assert.equal(prefs.name, 'Awa');
    const badUpdate = await api.json('PUT', `/api/v1/newsletter/preferences/${token}`, { lists: ['general'], name: 'x\u0001' });
    assert.equal(badUpdate.status, 422);

    const exported = await client.postForm(`${prefsPath}/export`, { _csrf: csrfFrom(page.text) });
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get('content-disposition')!, /attachment/);
    const data = exported.json<{ email: string; lists: { list: string }[] }>();
    assert.equal(data.email, email);
    assert.deepEqual(data.lists.map((l) => l.list), ['chocolate', 'groups']);
    const audits = await db().selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'newsletter.data-exported').execute();
    assert.equal(audits.length, 1);
    assert.ok(!JSON.stringify(audits).includes(email), 'the audit log names no address');

    const noTick = await client.postForm(`${prefsPath}/erase`, { _csrf: csrfFrom(page.text) });
    assert.equal(noTick.status, 422);
    assert.match(noTick.text, /Tick the box/);
    const erased = await client.postForm(`${prefsPath}/erase`, { _csrf: csrfFrom(page.text), confirm: 'yes' });
    assert.equal(erased.status, 200);
    assert.equal((await client.get(prefsPath)).status, 404, 'the link stops working');
    const erasedId = (await db().selectFrom('audit_log').select('subject').where('action', '=', 'newsletter.erased').executeTakeFirstOrThrow()).subject!.split(':')[1]!;
    const left = await sql<{ n: number }>`select count(*)::int as n from newsletter_subscribers where id = ${erasedId}::uuid`.execute(db());
    assert.equal(left.rows[0]!.n, 0);

    // Revoking: the old link stops, a new one arrives by e-mail.
    const other = `revoke.${Date.now()}@example.org`;
    const oldPath = await subscribe(client, mailbox, other);
    const oldPage = await client.get(oldPath);
    assert.equal((await client.postForm(`${oldPath}/revoke`, { _csrf: csrfFrom(oldPage.text) })).status, 200);
    assert.equal((await client.get(oldPath)).status, 404);
    const fresh = linkFrom((await mailbox.waitFor(other, /preferences/)).text, '/newsletter/preferences/');
    assert.equal((await client.get(fresh)).status, 200);
  });

  test('an edition is previewed safely, test-sent, sent once to each subscriber with RFC 8058 headers; one-click unsubscribe works and GET does not unsubscribe', async () => {
    const people = [`ed1.${Date.now()}@example.org`, `ed2.${Date.now()}@example.org`, `ed3+tag.${Date.now()}@example.org`];
    for (const email of people) await subscribe(new Client(server.url), mailbox, email, ['groups']);

    const created = await editor.api.json('POST', '/api/v1/newsletter/editions', { subject: 'Freedom Week news', body: '# Freedom Week\n\n<script>alert(1)</script> and [a link](https://example.org) and [bad](javascript:alert(1))', lists: ['groups'] }, editor.token);
    assert.equal(created.status, 201, created.text);
    const id = created.json<{ id: string }>().id;
    const preview = await editor.browser.get(`/newsletter/editions/${id}`);
    assert.equal(preview.status, 200);
    assert.match(preview.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(preview.text, /<script>alert/);
    assert.doesNotMatch(preview.text, /href="javascript:/);

    const bad = await editor.api.json('POST', '/api/v1/newsletter/editions', { subject: '', body: 'x', lists: [] }, editor.token);
    assert.equal(bad.status, 422);
    assert.deepEqual(Object.keys(bad.json<Fail>().error.fields!).sort(), ['lists', 'subject']);

    const test = await editor.api.json('POST', `/api/v1/newsletter/editions/${id}/test`, undefined, editor.token);
    assert.equal(test.status, 202);
    await mailbox.waitFor(editor.email, /\[TEST\] Freedom Week news/);

    const sent = await editor.api.json('POST', `/api/v1/newsletter/editions/${id}/send`, {}, editor.token);
    assert.equal(sent.status, 202, sent.text);
    assert.equal(sent.json<{ recipients: number }>().recipients, 3);
    const twice = await editor.api.json('POST', `/api/v1/newsletter/editions/${id}/send`, {}, editor.token);
    assert.equal(twice.status, 409);
    const mails = await Promise.all(people.map((email) => mailbox.waitFor(email, /^Freedom Week news$/)));
    for (let i = 0; i < 100; i++) {
      const p = (await editor.api.get(`/api/v1/newsletter/editions/${id}/progress`, { authorization: `Bearer ${editor.token}` })).json<{ status: string; progress: { sent: number } }>();
      if (p.status === 'sent') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const progress = (await editor.api.get(`/api/v1/newsletter/editions/${id}/progress`, { authorization: `Bearer ${editor.token}` })).json<{ status: string; total: number; progress: { sent: number } }>();
    assert.equal(progress.status, 'sent');
    assert.equal(progress.progress.sent, 3);
    for (const email of people) assert.equal(mailbox.messages.filter((m) => m.to.includes(email) && m.subject === 'Freedom Week news').length, 1);

    const mail = mails[0]!;
    assert.match(mail.raw, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
    const { path, mailto } = unsubscribeTargets(mail);
    assert.match(mailto, /^mailto:unsubscribe@/);

    // A scanner opening the link unsubscribes nobody.
    const scanner = new Client(server.url);
    const shown = await scanner.get(path);
    assert.equal(shown.status, 200);
    assert.match(shown.text, /Unsubscribe/);
    const stillThere = await sql<{ n: number }>`select count(*)::int as n from newsletter_subscriptions where list_key = 'groups'`.execute(db());
    assert.equal(stillThere.rows[0]!.n, 3);
    // The mail client's one-click POST: no cookies, no CSRF token, no second step.
    const oneClick = await new Client(server.url).request('POST', path, { body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(oneClick.status, 200);
    const multipart = await new Client(server.url).request('POST', path, { body: '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n', headers: { 'content-type': 'multipart/form-data; boundary=b' } });
    assert.equal(multipart.status, 200, 'a second one-click is harmless');
    const after = await sql<{ n: number }>`select count(*)::int as n from newsletter_subscriptions where list_key = 'groups'`.execute(db());
    assert.equal(after.rows[0]!.n, 2);

    // The next edition does not reach them.
    const next = (await editor.api.json('POST', '/api/v1/newsletter/editions', { subject: 'Second edition', body: 'More news', lists: ['groups'] }, editor.token)).json<{ id: string }>().id;
    const second = await editor.api.json('POST', `/api/v1/newsletter/editions/${next}/send`, {}, editor.token);
    assert.equal(second.json<{ recipients: number }>().recipients, 2);
    const target = mail.to[0]!;
    await Promise.all(people.filter((e) => e !== target).map((email) => mailbox.waitFor(email, /^Second edition$/)));
    assert.equal(mailbox.messages.filter((m) => m.to.includes(target) && m.subject === 'Second edition').length, 0);
  });

  test('editions: a member is refused, bad schedule times are refused, a scheduled edition can still be changed', async () => {
    const member = await person(server, { scopes: ['newsletter:read', 'newsletter:write'] });
    const refused = await member.api.json('POST', '/api/v1/newsletter/editions', { subject: 's', body: 'b', lists: ['general'] }, member.token);
    assert.equal(refused.status, 403);
    const id = (await editor.api.json('POST', '/api/v1/newsletter/editions', { subject: 'Later', body: 'b', lists: ['general'] }, editor.token)).json<{ id: string }>().id;
    const past = await editor.api.json('POST', `/api/v1/newsletter/editions/${id}/send`, { at: '2001-01-01T00:00:00Z' }, editor.token);
    assert.equal(past.status, 422);
    const garbage = await editor.api.json('POST', `/api/v1/newsletter/editions/${id}/send`, { at: 'tomorrow-ish' }, editor.token);
    assert.equal(garbage.status, 422);
    const later = await editor.api.json('POST', `/api/v1/newsletter/editions/${id}/send`, { at: new Date(Date.now() + 86_400_000).toISOString() }, editor.token);
    assert.equal(later.status, 202);
    assert.equal(later.json<{ status: string }>().status, 'scheduled');
    const changed = await editor.api.json('PUT', `/api/v1/newsletter/editions/${id}`, { subject: 'Later, changed', body: 'b2', lists: ['general'] }, editor.token);
    assert.equal(changed.status, 200);
    assert.equal(changed.json<{ status: string }>().status, 'scheduled');
    // The editor's pages work without JavaScript: a form post re-renders with messages.
    const page = await editor.browser.get('/newsletter/editions');
    assert.equal(page.status, 200);
    const form = await editor.browser.postForm('/newsletter/editions', { _csrf: csrfFrom(page.text), subject: '', body: 'x' });
    assert.equal(form.status, 422);
    assert.match(form.text, /Choose at least one list/);
  });

  test('hard bounces and complaints suppress: webhook with its secret, delivery status notifications, mailto unsubscribe', async () => {
    const api = new Client(server.url);
    const noSecret = await api.json('POST', '/api/v1/newsletter/bounces', { events: [{ type: 'hard-bounce', email: 'x@example.org' }] });
    assert.equal(noSecret.status, 401);
    const wrong = await api.request('POST', '/api/v1/newsletter/bounces', { body: JSON.stringify({ events: [] }), headers: { 'content-type': 'application/json', 'x-cast-webhook-secret': 'wrong' } });
    assert.equal(wrong.status, 401);

    const bounced = `bounce.${Date.now()}@example.org`;
    const complainer = `complain.${Date.now()}@example.org`;
    const dsnTarget = `dsn.${Date.now()}@example.org`;
    const soft = `soft.${Date.now()}@example.org`;
    for (const email of [bounced, complainer, dsnTarget, soft]) await subscribe(new Client(server.url), mailbox, email, ['chocolate']);
    const hook = await api.request('POST', '/api/v1/newsletter/bounces', {
      body: JSON.stringify({ events: [{ type: 'hard-bounce', email: bounced }, { type: 'complaint', email: complainer.toUpperCase() }, { type: 'soft-bounce', email: soft }] }),
      headers: { 'content-type': 'application/json', 'x-cast-webhook-secret': SECRET },
    });
    assert.equal(hook.status, 200, hook.text);
    assert.deepEqual(hook.json(), { suppressed: 2, ignored: 1 });

    const dsn = [
      'From: MAILER-DAEMON@mx.example.org',
      'To: bounces@localhost',
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="XYZ"',
      '',
      '--XYZ',
      'Content-Type: text/plain',
      '',
      'The mail could not be delivered.',
      '--XYZ',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.org',
      '',
      `Final-Recipient: rfc822; ${dsnTarget}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
      '',
      '--XYZ--',
      '',
    ].join('\r\n');
    const inbound = await api.request('POST', '/api/v1/newsletter/inbound', { body: dsn, headers: { 'content-type': 'message/rfc822', 'x-cast-webhook-secret': SECRET } });
    assert.equal(inbound.status, 200, inbound.text);
    assert.deepEqual(inbound.json(), { kind: 'bounce', suppressed: 1 });

    const id = (await editor.api.json('POST', '/api/v1/newsletter/editions', { subject: 'Chocolate news', body: 'Scores are out', lists: ['chocolate'] }, editor.token)).json<{ id: string }>().id;
    const sent = await editor.api.json('POST', `/api/v1/newsletter/editions/${id}/send`, {}, editor.token);
    // The list also holds the first test's subscriber; of these four, only the soft bounce is still mailed.
    assert.equal(sent.json<{ recipients: number }>().recipients, 2);
    const mail = await mailbox.waitFor(soft, /^Chocolate news$/);

    // The mailto: unsubscribe: a message to the address in List-Unsubscribe, piped in by the mail server.
    const { mailto } = unsubscribeTargets(mail);
    const subject = decodeURIComponent(new URL(mailto).searchParams.get('subject')!);
    const request = [`From: ${soft}`, `To: ${new URL(mailto).pathname}`, `Subject: ${subject}`, '', ''].join('\r\n');
    const viaMail = await api.request('POST', '/api/v1/newsletter/inbound', { body: request, headers: { 'content-type': 'message/rfc822', 'x-cast-webhook-secret': SECRET } });
    assert.deepEqual(viaMail.json(), { kind: 'unsubscribe', suppressed: 0 });
    const left = await sql<{ n: number }>`select count(*)::int as n from newsletter_subscriptions where list_key = 'chocolate'`.execute(db());
    assert.equal(left.rows[0]!.n, 4, 'the three suppressed stay on the list but are never mailed; the soft bounce left');
    for (const email of [bounced, complainer, dsnTarget]) assert.equal(mailbox.messages.filter((m) => m.to.includes(email) && m.subject === 'Chocolate news').length, 0);
  });

  test('the OpenAPI document names the newsletter operations with examples', async () => {
    const doc = (await new Client(server.url).get('/api/openapi.json')).json<{ paths: Record<string, Record<string, { operationId: string }>> }>();
    const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    for (const id of ['subscribe', 'confirmSubscription', 'unsubscribeOneClick', 'updatePreferences', 'exportMyData', 'eraseMyData', 'createEdition', 'sendEdition', 'getEditionProgress']) assert.ok(ids.includes(id), id);
  });
});
