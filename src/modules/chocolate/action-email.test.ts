import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom, linkFrom } from '../../../test/support/client.ts';
import { startMailbox, type Mailbox } from '../../../test/support/mailbox.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { COMPANIES_CSV, editor, importCsv, type Person } from './test-helpers.ts';

type ApiError = { error: { code: string; message: string; fields?: Record<string, string> } };
type Totals = { campaign: { slug: string }; sent: number; companies: { slug: string; sent: number; queued: number; replies: { yes: number; no: number } }[] };

const GIANT = 'csr@cocoa-giant.example';
const BEAN = 'contact@bean-bros.example';

describe('chocolate: the action e-mail', () => {
  let server: TestServer;
  let mailbox: Mailbox;
  let ed: Person;
  before(async () => {
    mailbox = await startMailbox();
    // Held after 2 near-identical earlier messages, so the test needs only a few.
    server = await startTestServer({ smtpUrl: mailbox.url, env: { CHOCOLATE_HOLD_AFTER: '2' } });
    ed = await editor(server);
    await importCsv(ed, 'companies', COMPANIES_CSV);
  });
  after(async () => {
    await server.close();
    await mailbox.close();
  });
  const db = () => server.cast.database.db;
  const count = async (table: string) => Number((await db().selectFrom(table as never).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const mailsTo = (to: string) => mailbox.messages.filter((m) => m.to.includes(to));
  const totals = async () => (await new Client(server.url).get('/api/v1/chocolate/action-emails/totals')).json<Totals>();
  const waitUntil = async (check: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 150; i += 1) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  /** Starts through the API and confirms with the link from the e-mail; returns what confirming said. */
  async function writeAndConfirm(email: string, message: string, companies = ['bean-bros']) {
    const started = await new Client(server.url).json('POST', '/api/v1/chocolate/action-emails', { companies, name: 'Supporter', email, subject: 'Cocoa and children', message });
    assert.equal(started.status, 202, started.text);
    const mail = await mailbox.waitFor(email, /Confirm your chocolate action e-mail/);
    const token = linkFrom(mail.text, '/chocolate/action/confirm/').split('/').pop()!;
    mailbox.messages.splice(mailbox.messages.indexOf(mail), 1);
    const confirmed = await new Client(server.url).json('POST', '/api/v1/chocolate/action-emails/confirmation', { token });
    assert.equal(confirmed.status, 200, confirmed.text);
    return confirmed.json<{ queued: string[]; held: string[]; alreadySent: string[] }>();
  }

  test('from the form to the company inbox: confirmed first, sent through the queue, with a copy to the supporter', async () => {
    const supporter = new Client(server.url);
    const form = await supporter.get('/chocolate/action');
    assert.equal(form.status, 200);
    assert.match(form.text, /value="cocoa-giant" checked/, 'the suggested company is ticked');
    assert.ok(!form.text.includes('quiet-choc'), 'a company without a contact address cannot be chosen');
    const message = 'I have bought Giant Eggs for my children every Easter. Before I buy them again, please tell me how you trace your cocoa to the farm.';
    const sent = await supporter.postForm('/chocolate/action', { _csrf: csrfFrom(form.text), companies: 'cocoa-giant', subject: 'Your Easter eggs', message, name: 'Ada Lovelace', email: 'Ada.Lovelace@example.org' });
    assert.equal(sent.status, 303);
    assert.equal(sent.location, '/chocolate/action/check-email');

    const confirmation = await mailbox.waitFor('ada.lovelace@example.org', /Confirm your chocolate action e-mail/);
    assert.match(confirmation.text, /Cocoa Giant plc/);
    assert.equal(mailsTo(GIANT).length, 0, 'nothing reaches the company before confirmation');
    const stored = await db().selectFrom('chocolate_action_requests' as never).selectAll().execute();
    assert.ok(!JSON.stringify(stored).includes('Lovelace'), 'name and address are sealed');
    assert.ok(!JSON.stringify(stored).includes('Giant Eggs for my children'), 'the message is sealed');

    const path = linkFrom(confirmation.text, '/chocolate/action/confirm/');
    const page = await supporter.get(path);
    assert.equal(page.status, 200);
    assert.match(page.text, /Giant Eggs for my children/);
    assert.equal(mailsTo(GIANT).length, 0, 'opening the link sends nothing');
    const done = await supporter.postForm(path, { _csrf: csrfFrom(page.text) });
    assert.equal(done.status, 200);
    assert.match(done.text, /Your message is on its way to/);

    const toCompany = await mailbox.waitFor(GIANT, /Your Easter eggs/);
    assert.match(toCompany.text, /Giant Eggs for my children/);
    assert.match(toCompany.text, /Ada Lovelace/);
    assert.match(toCompany.raw, /^Reply-To: Ada\.Lovelace@example\.org/im);
    const copy = await mailbox.waitFor('ada.lovelace@example.org', /Your message to Cocoa Giant plc has been sent/);
    assert.match(copy.text, /> I have bought Giant Eggs/);
    await waitUntil(async () => (await totals()).companies.some((c) => c.slug === 'cocoa-giant' && c.sent === 1), 'the totals');

    const reused = await supporter.postForm(path, { _csrf: csrfFrom(page.text) });
    assert.equal(reused.status, 409);
    assert.match(reused.text, /already been used/);
  });

  test('one message per supporter per company per campaign, even with a Gmail dot or +tag', async () => {
    const first = await writeAndConfirm('jo.bloggs@gmail.com', 'A first message from Jo about child labour in cocoa farms and what Bean Brothers does about it.');
    assert.deepEqual(first.queued, ['Bean Brothers SA']);
    await mailbox.waitFor(BEAN, /Cocoa and children/);
    const again = await writeAndConfirm('JoBloggs+easter@gmail.com', 'Jo again, with different words this time, asking Bean Brothers about living incomes for farmers.', ['bean-bros', 'cocoa-giant']);
    assert.deepEqual(again.alreadySent, ['Bean Brothers SA']);
    assert.deepEqual(again.queued, ['Cocoa Giant plc']);
    await mailbox.waitFor(GIANT, /Cocoa and children/);
    await waitUntil(async () => (await totals()).companies.find((c) => c.slug === 'bean-bros')?.sent === 1, 'bean-bros totals');
    assert.equal(mailsTo(BEAN).length, 1);
  });

  test('bad input: clear messages, nothing stored, nothing mailed', async () => {
    const before = await count('chocolate_action_requests');
    const mails = mailbox.messages.length;
    const api = new Client(server.url);
    const none = await api.json('POST', '/api/v1/chocolate/action-emails', { companies: [], name: 'A', email: 'a@example.org', subject: 'S', message: 'short' });
    assert.equal(none.status, 422);
    const fields = none.json<ApiError>().error.fields!;
    assert.equal(fields.companies, 'Choose at least one company to write to.');
    assert.equal(fields.message, 'Write a message of 20 to 5,000 characters.');
    const unknown = await api.json('POST', '/api/v1/chocolate/action-emails', { companies: ['quiet-choc'], name: 'A', email: 'not-an-address', subject: 'S', message: 'A long enough message to pass the length check.' });
    assert.equal(unknown.status, 422);
    assert.deepEqual(Object.keys(unknown.json<ApiError>().error.fields!).sort(), ['companies', 'email']);
    const form = await new Client(server.url).get('/chocolate/action');
    const page = await new Client(server.url).postForm('/chocolate/action', { _csrf: csrfFrom(form.text), subject: 'Hello', message: 'Too short', name: '', email: 'x@example.org' });
    // The form has no CSRF cookie from that other client: refused before anything else.
    assert.equal(page.status, 403);
    const browser = new Client(server.url);
    const own = await browser.get('/chocolate/action');
    const again = await browser.postForm('/chocolate/action', { _csrf: csrfFrom(own.text), subject: 'Hello', message: 'Too short', name: '', email: 'x@example.org' });
    assert.equal(again.status, 422);
    assert.match(again.text, /Choose at least one company to write to\./);
    assert.match(again.text, /Give your name/);
    assert.match(again.text, />Too short<\/textarea>/, 'what was typed is kept');
    const badToken = await api.json('POST', '/api/v1/chocolate/action-emails/confirmation', { token: 'x'.repeat(43) });
    assert.equal(badToken.status, 404);
    assert.equal(await count('chocolate_action_requests'), before);
    assert.ok(!mailbox.messages.slice(mails).some((m) => m.to.includes('a@example.org') || m.to.includes('x@example.org')), 'no confirmation e-mail');
  });

  test('near-identical messages are held for an editor, who can send them', async () => {
    const text = 'Dear company, please end child labour in your cocoa supply chain and pay farmers a living income. Thank you.';
    assert.deepEqual((await writeAndConfirm('same1@example.org', text)).queued, ['Bean Brothers SA']);
    assert.deepEqual((await writeAndConfirm('same2@example.org', `${text}!`)).queued, ['Bean Brothers SA']);
    const third = await writeAndConfirm('same3@example.org', `DEAR COMPANY, please end child labour in your cocoa supply chain and pay farmers a living income. Thanks.`);
    assert.deepEqual(third.held, ['Bean Brothers SA']);
    assert.deepEqual(third.queued, []);
    // A personal message is not held.
    assert.deepEqual((await writeAndConfirm('own@example.org', 'My grandmother picked cocoa in Ghana as a girl. I would like to know who picks the beans in your bars today.')).queued, ['Bean Brothers SA']);

    const held = await ed.browser.get('/chocolate/manage/held');
    assert.equal(held.status, 200);
    assert.match(held.text, /DEAR COMPANY/);
    const id = /action="\/chocolate\/manage\/held\/([0-9a-f-]{36})"/.exec(held.text)![1]!;
    const audit = await db().selectFrom('audit_log').select('detail').where('action', '=', 'chocolate.held-read').execute();
    assert.ok(audit.length >= 1 && !JSON.stringify(audit).includes('same3'));
    assert.equal(mailsTo('same3@example.org').length, 0);
    const decided = await ed.browser.postForm(`/chocolate/manage/held/${id}`, { _csrf: csrfFrom(held.text), decision: 'send' });
    assert.equal(decided.status, 303);
    await mailbox.waitFor('same3@example.org', /Your message to Bean Brothers SA has been sent/);
    const twice = await ed.browser.postForm(`/chocolate/manage/held/${id}`, { _csrf: csrfFrom(held.text), decision: 'reject' });
    assert.equal(twice.status, 409);
  });

  test('weeks later supporters are asked whether the company replied; replies are tallied', async () => {
    await waitUntil(async () => (await db().selectFrom('chocolate_action_messages' as never).select('status' as never).where('status' as never, '=', 'queued' as never).execute()).length === 0, 'all sent');
    await db()
      .updateTable('chocolate_action_messages' as never)
      .set({ sent_at: new Date(Date.now() - 30 * 86_400_000) } as never)
      .where('status' as never, '=', 'sent' as never)
      .execute();
    await server.cast.jobs.enqueue(db(), 'chocolate.ask-replies', {});
    const question = await mailbox.waitFor('ada.lovelace@example.org', /Did Cocoa Giant plc reply to you\?/);
    const path = linkFrom(question.text, '/chocolate/replies/');
    const browser = new Client(server.url);
    const page = await browser.get(path);
    assert.equal(page.status, 200);
    const empty = await browser.postForm(path, { _csrf: csrfFrom(page.text) });
    assert.equal(empty.status, 422);
    assert.match(empty.text, /Choose whether the company replied/);
    const answered = await browser.postForm(path, { _csrf: csrfFrom(page.text), reply: 'yes' });
    assert.equal(answered.status, 200);
    assert.equal((await browser.postForm(path, { _csrf: csrfFrom(page.text), reply: 'no' })).status, 409);
    const giant = (await totals()).companies.find((c) => c.slug === 'cocoa-giant')!;
    assert.deepEqual(giant.replies, { yes: 1, no: 0 });
    // Asked once per message: when every sent message has had its question, running the job again sends none.
    const questions = () => mailbox.messages.filter((m) => /reply to you\?/.test(m.subject)).length;
    const sent = (await db().selectFrom('chocolate_action_messages' as never).select('id' as never).where('status' as never, '=', 'sent' as never).execute()).length;
    await waitUntil(async () => questions() === sent, 'every question');
    await server.cast.jobs.enqueue(db(), 'chocolate.ask-replies', {});
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(questions(), sent);
  });
});
