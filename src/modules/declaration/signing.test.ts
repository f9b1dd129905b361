import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom, linkFrom } from '../../../test/support/client.ts';
import { startMailbox, type Mailbox } from '../../../test/support/mailbox.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import type { DeclarationTables } from './tables.ts';

type ApiError = { error: { code: string; message: string; fields?: Record<string, string> } };
type Counts = { declaration: string; total: number; countries: { country: string; total: number }[]; countedAt: string };

const SLUG = 'stop-the-traffik';
let unique = 0;
const address = (prefix: string) => `${prefix}.${process.pid}.${(unique += 1)}@example.org`;

describe('declaration: signing, confirming and counting', () => {
  let server: TestServer;
  let mailbox: Mailbox;
  before(async () => {
    mailbox = await startMailbox();
    server = await startTestServer({ smtpUrl: mailbox.url });
  });
  after(async () => {
    await server.close();
    await mailbox.close();
  });

  const db = () => server.cast.database.db.withTables<DeclarationTables>();
  const signatures = () => db().selectFrom('declaration_signatures').selectAll().execute();
  const counts = async (): Promise<Counts> => (await new Client(server.url).get(`/api/v1/declarations/${SLUG}/counts`)).json<Counts>();
  /** Counts are read through a one-second cache: wait until they show what is expected. */
  async function countsReach(total: number): Promise<Counts> {
    for (;;) {
      const now = await counts();
      if (now.total === total) return now;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function signByForm(browser: Client, fields: Record<string, string>) {
    return browser.submit(`/declarations/${SLUG}`, `/declarations/${SLUG}/signatures`, { name: 'Ama Mensah', country: 'GH', ...fields });
  }

  async function confirmFromMail(browser: Client, to: string, subject = /Confirm your signature/) {
    const mail = await mailbox.waitFor(to, subject);
    const path = linkFrom(mail.text, '/declarations/confirm/');
    const page = await browser.get(path);
    assert.equal(page.status, 200, 'following the link shows a button; it does not confirm by itself');
    return { path, answer: await browser.postForm(path, { _csrf: csrfFrom(page.text) }) };
  }

  test('the seeded declaration is shown in English and French, with a form that starts unticked', async () => {
    const browser = new Client(server.url);
    const page = await browser.get(`/declarations/${SLUG}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Stop the traffik: our declaration/);
    assert.match(page.text, /name="optIn" value="yes"\/?>/, 'the opt-in is not ticked');
    assert.doesNotMatch(page.text, /name="optIn"[^>]*checked/);
    const french = await browser.get(`/declarations/${SLUG}`, { 'accept-language': 'fr' });
    assert.match(french.text, /Stop the traffik : notre déclaration/);
    assert.match(french.text, /Signer la déclaration/);
    const list = await browser.get('/api/v1/declarations');
    assert.deepEqual(list.json<{ slug: string; languages: string[] }[]>().map((d) => [d.slug, d.languages]), [[SLUG, ['en', 'fr']]]);
  });

  test('a signature counts only after the e-mail link is followed, once however often it is followed', async () => {
    const before = (await countsReach((await counts()).total)).total;
    const browser = new Client(server.url);
    const email = address('ama');
    const signed = await signByForm(browser, { email, postcode: 'GA-123' });
    assert.equal(signed.status, 303);
    assert.equal(signed.location, `/declarations/${SLUG}/check-email`);
    assert.equal((await browser.get(signed.location)).status, 200);

    const stored = (await signatures()).find((s) => s.email_domain === 'example.org' && s.confirmed_at === null && s.flag === null)!;
    assert.ok(stored, 'stored pending');
    for (const column of [stored.name_sealed, stored.email_sealed, stored.postcode_sealed]) {
      assert.ok(column && !column.includes('Ama') && !column.includes('ama.') && !column.includes('GA-123'), 'personal data is sealed');
    }
    assert.equal((await counts()).total, before, 'a pending signature does not count');

    const { path, answer } = await confirmFromMail(browser, email);
    assert.equal(answer.status, 303);
    assert.equal(answer.location, `/declarations/${SLUG}/confirmed`);
    const after = await countsReach(before + 1);
    assert.ok(after.countries.some((c) => c.country === 'GH' && c.total >= 1));

    // A double click, then the same link again later: already confirmed, nothing counted twice.
    const page = await browser.get(path);
    const again = await browser.postForm(path, { _csrf: csrfFrom(page.text) });
    assert.equal(again.location, `/declarations/${SLUG}/confirmed?already=1`);
    const api = await new Client(server.url).json('POST', '/api/v1/declaration-signatures/confirm', { token: path.split('/').pop() });
    assert.deepEqual(api.json(), { status: 'already-confirmed', declaration: SLUG });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal((await counts()).total, before + 1);
  });

  test('signing again with the same normalised address is answered by e-mail, never on the page', async () => {
    const email = `Kofi.Boateng+first.${process.pid}@Example.org`;
    const browser = new Client(server.url);
    const first = await signByForm(browser, { email });
    await confirmFromMail(browser, email);
    const rowsBefore = (await signatures()).length;

    const repeat = `kofi.boateng+second.${process.pid}@EXAMPLE.ORG`;
    const second = await signByForm(new Client(server.url), { email: repeat, name: 'Someone else' });
    assert.equal(second.status, first.status);
    assert.equal(second.location, first.location, 'the same answer as a first signature');
    const mail = await mailbox.waitFor(repeat, /already signed/);
    assert.match(mail.text, /already confirmed/);
    assert.equal((await signatures()).length, rowsBefore, 'no second signature');

    // A pending signature signed again gets a fresh link; the old one stops working.
    const pending = address('pending');
    await signByForm(browser, { email: pending });
    const firstLink = linkFrom((await mailbox.waitFor(pending, /Confirm your signature/)).text, '/declarations/confirm/');
    const count = mailbox.messages.length;
    await signByForm(browser, { email: pending.toUpperCase() });
    for (;;) {
      if (mailbox.messages.slice(count).some((m) => m.to.includes(pending))) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const secondLink = linkFrom(mailbox.messages.slice(count).find((m) => m.to.includes(pending))!.text, '/declarations/confirm/');
    assert.notEqual(secondLink, firstLink);
    const old = await new Client(server.url).json('POST', '/api/v1/declaration-signatures/confirm', { token: firstLink.split('/').pop() });
    assert.equal(old.status, 404);
    assert.match(old.json<ApiError>().error.message, /newer e-mail replaced it/);
    const fresh = await new Client(server.url).json('POST', '/api/v1/declaration-signatures/confirm', { token: secondLink.split('/').pop() });
    assert.equal(fresh.status, 200);
  });

  test('internationalised and plus-addresses are accepted; invalid ones are refused with a clear message and nothing stored', async () => {
    const api = new Client(server.url);
    const idn = `josé+petition.${process.pid}@bücher.example`;
    const accepted = await api.json('POST', `/api/v1/declarations/${SLUG}/signatures`, { name: 'José Ñúñez', email: idn, country: 'es', optIn: true });
    assert.equal(accepted.status, 202);
    assert.equal(accepted.json<{ status: string }>().status, 'check-your-email');
    // Sent to the domain in punycode; the receiver reports it in Unicode.
    const mail = await mailbox.waitFor(idn, /Confirm your signature/);
    assert.match(mail.text, /José Ñúñez/);
    const stored = (await signatures()).find((s) => s.email_domain === 'xn--bcher-kva.example')!;
    assert.equal(stored.country, 'ES');
    assert.equal(stored.opt_in, true);

    const rows = (await signatures()).length;
    const bad: [Record<string, unknown>, string, RegExp][] = [
      [{ email: 'no-at-sign.example.org' }, 'email', /needs an @/],
      [{ email: 'two..dots@example.org' }, 'email', /before the @ is not valid/],
      [{ email: 'someone@example' }, 'email', /not a valid domain/],
      [{ email: 'someone@-bad-.example.org' }, 'email', /not a valid domain/],
      [{ email: 'line\r\nbreak@example.org' }, 'email', /control characters/],
      [{ name: 'x'.repeat(10_000) }, 'name', /at most 100 characters/],
      [{ name: 'Bell\u0007' }, 'name', /control characters/],
      [{ country: 'ZZ' }, 'country', /from the list/],
      [{ postcode: '<script>' }, 'postcode', /letters, digits, spaces and hyphens/],
    ];
    for (const [change, field, message] of bad) {
      const answer = await api.json('POST', `/api/v1/declarations/${SLUG}/signatures`, { name: 'Valid Name', email: address('valid'), country: 'GB', ...change });
      assert.equal(answer.status, 422, JSON.stringify(change).slice(0, 80));
      assert.match(answer.json<ApiError>().error.fields![field]!, message);
    }
    const form = await signByForm(new Client(server.url), { name: 'x'.repeat(10_000), email: 'not an address' });
    assert.equal(form.status, 422);
    assert.match(form.text, /Your name can be at most 100 characters long/);
    assert.match(form.text, /needs an @/);
    assert.match(form.text, /value="not an address"/, 'the form keeps what was typed');
    assert.equal((await signatures()).length, rows, 'nothing stored');
  });

  test('tampered and expired links get clear messages and count nothing', async () => {
    const browser = new Client(server.url);
    const email = address('expiring');
    await signByForm(browser, { email });
    const path = linkFrom((await mailbox.waitFor(email, /Confirm your signature/)).text, '/declarations/confirm/');
    const token = path.split('/').pop()!;
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const page = await browser.get(`/declarations/confirm/${tampered}`);
    const refused = await browser.postForm(`/declarations/confirm/${tampered}`, { _csrf: csrfFrom(page.text) });
    assert.equal(refused.status, 404);
    assert.match(refused.text, /not valid/);
    const garbage = await new Client(server.url).json('POST', '/api/v1/declaration-signatures/confirm', { token: '../../etc/passwd' });
    assert.equal(garbage.status, 404);

    await db().updateTable('declaration_signatures').set({ token_expires_at: new Date(Date.now() - 1000) }).where('email_domain', '=', 'example.org').where('confirmed_at', 'is', null).execute();
    const expired = await browser.postForm(path, { _csrf: csrfFrom(page.text) });
    assert.equal(expired.status, 410);
    assert.match(expired.text, /expired/);
    const api = await new Client(server.url).json('POST', '/api/v1/declaration-signatures/confirm', { token });
    assert.equal(api.status, 409);
    const row = (await signatures()).find((s) => s.token_hash && s.confirmed_at === null && s.token_expires_at && new Date(s.token_expires_at) < new Date());
    assert.ok(row, 'still pending');
  });

  test('counts per country as JSON, CSV and a page with a map', async () => {
    const json = await countsReach((await counts()).total);
    assert.ok(json.total >= 1);
    assert.equal(json.total, json.countries.reduce((sum, c) => sum + c.total, 0));
    const browser = new Client(server.url);
    const csv = await browser.get(`/declarations/${SLUG}/counts.csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type')!, /^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    assert.equal(lines[0], 'country,signatures');
    assert.deepEqual(lines.slice(1), json.countries.map((c) => `${c.country},${c.total}`));
    const page = await browser.get(`/declarations/${SLUG}/counts`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<svg class="country-map"/);
    assert.match(page.text, /<title>Ghana: \d+<\/title>/);
    assert.equal((await browser.get('/declarations/no-such-declaration/counts')).status, 404);
    assert.equal((await browser.get('/api/v1/declarations/no-such-declaration/counts')).status, 404);
  });

  test('"keep me informed" starts the newsletter’s double opt-in once the signature is confirmed, never before', async () => {
    const browser = new Client(server.url);
    const email = address('informed');
    await signByForm(browser, { email, optIn: 'yes' });
    await mailbox.waitFor(email, /Confirm your signature/);
    assert.ok(!mailbox.messages.some((m) => m.to.includes(email) && !/Confirm your signature/.test(m.subject)), 'nothing from the newsletter before confirming');
    await confirmFromMail(browser, email);
    const newsletter = await mailbox.waitFor(email, /newsletter|subscription/i);
    assert.match(newsletter.text, /\/newsletter\/confirm/);
    const stored = (await signatures()).filter((s) => s.opt_in && s.confirmed_at !== null);
    assert.ok(stored.length >= 1, 'the choice is kept on the signature');
  });

  test('the API is in the OpenAPI document, with examples', async () => {
    type Operation = { operationId: string; requestBody?: { content: Record<string, { example?: unknown; examples?: unknown }> }; responses: Record<string, { content?: Record<string, { example?: unknown; examples?: Record<string, unknown> }> }> };
    const doc = (await new Client(server.url).get('/api/openapi.json')).json<{ paths: Record<string, Record<string, Operation>> }>();
    const sign = doc.paths['/api/v1/declarations/{slug}/signatures']!.post!;
    assert.equal(sign.operationId, 'signDeclaration');
    assert.ok(sign.requestBody!.content['application/json']!.example ?? sign.requestBody!.content['application/json']!.examples);
    assert.ok(sign.responses['202'] && sign.responses['422'] && sign.responses['409']);
    assert.equal(doc.paths['/api/v1/declaration-signatures/confirm']!.post!.operationId, 'confirmSignature');
    const counts = doc.paths['/api/v1/declarations/{slug}/counts']!.get!;
    assert.equal(counts.operationId, 'getDeclarationCounts');
    const content = counts.responses['200']!.content!['application/json']!;
    assert.ok(content.example ?? Object.values(content.examples ?? {})[0]);
    assert.equal(doc.paths['/api/v1/declarations']!.get!.operationId, 'listDeclarations');
  });

  test('the honeypot and the disposable-domain list mark signatures, which get no mail and never count', async () => {
    const api = new Client(server.url);
    const bot = address('bot');
    await api.json('POST', `/api/v1/declarations/${SLUG}/signatures`, { name: 'Bot', email: bot, country: 'GB', website: 'http://spam.example' });
    const throwaway = `someone.${process.pid}@mailinator.com`;
    const answer = await api.json('POST', `/api/v1/declarations/${SLUG}/signatures`, { name: 'Throwaway', email: throwaway, country: 'GB' });
    assert.equal(answer.status, 202, 'the same answer as anyone');
    const rows = await signatures();
    assert.equal(rows.find((s) => s.email_domain === 'mailinator.com')?.flag, 'disposable-domain');
    assert.ok(rows.some((s) => s.flag === 'honeypot'));
    // Another signature's mail arriving shows the queue has moved past these two.
    const later = address('later');
    await api.json('POST', `/api/v1/declarations/${SLUG}/signatures`, { name: 'Later', email: later, country: 'GB' });
    await mailbox.waitFor(later);
    assert.ok(!mailbox.messages.some((m) => m.to.includes(bot) || m.to.includes(throwaway)));
  });
});
