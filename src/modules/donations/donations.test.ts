/**
 * Donations through the real HTTP server and database. Stripe is a third party: its API is played by
 * a small local HTTP server (test/support/fake-stripe.ts, speaking only the one endpoint CAST calls),
 * so the real `stripe` library makes real requests to it. Webhooks are signed with the Stripe library's
 * own test helper and go through the real signature verification.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { sql } from 'kysely';
import Stripe from 'stripe';
import { csrfFrom, Client } from '../../../test/support/client.ts';
import { fakeStripe, type FakeStripe } from '../../../test/support/fake-stripe.ts';
import { person } from '../../../test/support/people.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { HMRC_COLUMNS, houseNameOrNumber, hmrcLastName, hmrcTitle } from './gift-aid.ts';

const SECRET_KEY = 'sk_test_castdonations123';
const WEBHOOK_SECRET = 'whsec_castTestSecret123';
const signer = new Stripe(SECRET_KEY);

let eventCounter = 0;
function stripeEvent(type: string, object: Record<string, unknown>, options: { id?: string; livemode?: boolean } = {}) {
  eventCounter += 1;
  return { id: options.id ?? `evt_test_${eventCounter}_${Date.now()}`, object: 'event', type, created: Math.floor(Date.now() / 1000), livemode: options.livemode ?? false, data: { object } };
}

describe('donations', () => {
  let server: TestServer;
  let stripe: FakeStripe;
  const anonymous = () => new Client(server.url);

  before(async () => {
    stripe = await fakeStripe();
    server = await startTestServer({ env: { STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: stripe.url } });
  });
  after(async () => {
    await server.close();
    await stripe.close();
  });

  const db = () => server.cast.database.db;
  const count = async (table: string) => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db())).rows[0]!.n);
  const donation = async (id: string) => (await sql<{ status: string; amount_minor: number; currency: string; frequency: string; test_mode: boolean; provider_reference: string; provider_subscription: string | null }>`select * from donations where id = ${id}`.execute(db())).rows[0]!;
  const payments = async (id: string) => (await sql<{ provider_reference: string; amount_minor: number; status: string }>`select * from donation_payments where donation_id = ${id} order by paid_at`.execute(db())).rows;

  async function send(event: object, options: { secret?: string; signature?: string | null } = {}) {
    const payload = JSON.stringify(event);
    const header = options.signature === null ? undefined : options.signature ?? signer.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? WEBHOOK_SECRET });
    return anonymous().request('POST', '/api/v1/donations/webhooks/stripe', { body: payload, headers: { 'content-type': 'application/json', ...(header ? { 'stripe-signature': header } : {}) } });
  }

  async function create(body: object) {
    const response = await anonymous().json('POST', '/api/v1/donations', body);
    return { response, body: response.status === 201 ? response.json<{ id: string; checkoutUrl: string; testMode: boolean }>() : undefined };
  }

  test('a one-off donation: the pledge is recorded with the provider’s session, in minor units', async () => {
    const before = stripe.requests.length;
    const { response, body } = await create({ amount: '25.50', currency: 'GBP', frequency: 'one-off' });
    assert.equal(response.status, 201, response.text);
    assert.ok(body!.checkoutUrl.startsWith('https://checkout.stripe.com/'));
    assert.equal(body!.testMode, true);
    const sent = stripe.requests[before]!;
    assert.equal(sent.body.get('mode'), 'payment');
    assert.equal(sent.body.get('line_items[0][price_data][unit_amount]'), '2550');
    assert.equal(sent.body.get('line_items[0][price_data][currency]'), 'gbp');
    assert.equal(sent.body.get('metadata[cast_donation_id]'), body!.id);
    assert.equal(sent.idempotencyKey, `cast-donation-${body!.id}`);
    const row = await donation(body!.id);
    assert.deepEqual([row.status, Number(row.amount_minor), row.currency, row.frequency, row.test_mode], ['pledged', 2550, 'GBP', 'one-off', true]);
    assert.match(row.provider_reference, /^cs_test_/);
  });

  test('currencies without decimals: 5000 XOF and 1000 JPY are whole units', async () => {
    const xof = await create({ amount: '5000', currency: 'XOF', frequency: 'one-off' });
    assert.equal(xof.response.status, 201);
    assert.equal(Number((await donation(xof.body!.id)).amount_minor), 5000);
    const jpy = await create({ amount: 1000, currency: 'jpy', frequency: 'monthly' });
    assert.equal(jpy.response.status, 201);
    assert.equal(stripe.requests.at(-1)!.body.get('line_items[0][price_data][recurring][interval]'), 'month');
    assert.equal(stripe.requests.at(-1)!.body.get('mode'), 'subscription');
  });

  test('bad amounts and currencies: 422 with a clear message, nothing sent to the provider, nothing recorded', async () => {
    const donations = await count('donations');
    const calls = stripe.requests.length;
    const cases: [object, string, RegExp][] = [
      [{ amount: '0', currency: 'GBP', frequency: 'one-off' }, 'amount', /more than zero/],
      [{ amount: '-5', currency: 'GBP', frequency: 'one-off' }, 'amount', /more than zero/],
      [{ amount: -5, currency: 'GBP', frequency: 'one-off' }, 'amount', /more than zero/],
      [{ amount: '10.555', currency: 'GBP', frequency: 'one-off' }, 'amount', /decimals/],
      [{ amount: '100.5', currency: 'JPY', frequency: 'one-off' }, 'amount', /decimals/],
      [{ amount: '10', currency: 'ZZZ', frequency: 'one-off' }, 'currency', /currencies in the list/],
      [{ amount: '10', currency: 'GBP', frequency: 'weekly' }, 'frequency', /once or every month/],
      [{ amount: '1e3', currency: 'GBP', frequency: 'one-off' }, 'amount', /as a number/],
      [{ amount: '0.10', currency: 'GBP', frequency: 'one-off' }, 'amount', /smallest payment/],
    ];
    for (const [body, field, message] of cases) {
      const { response } = await create(body);
      assert.equal(response.status, 422, `${JSON.stringify(body)}: ${response.text}`);
      const error = response.json<{ error: { fields: Record<string, string> } }>().error;
      assert.match(error.fields[field] ?? '', message, JSON.stringify(body));
    }
    assert.equal(await count('donations'), donations);
    assert.equal(stripe.requests.length, calls);
  });

  test('when the provider fails, the donor is told and nothing is recorded', async () => {
    const donations = await count('donations');
    stripe.failures = 3;
    const { response } = await create({ amount: '10', currency: 'EUR', frequency: 'one-off' });
    assert.equal(response.status, 503);
    assert.match(response.json<{ error: { message: string } }>().error.message, /nothing was taken or recorded/);
    assert.equal(await count('donations'), donations);
    // The retries carried one idempotency key: had one reached Stripe, it would have made one session.
    const keys = new Set(stripe.requests.slice(-3).map((r) => r.idempotencyKey));
    assert.equal(keys.size, 1);
  });

  test('webhooks without a valid signature: 400, nothing recorded', async () => {
    const { body } = await create({ amount: '12', currency: 'GBP', frequency: 'one-off' });
    const events = await count('payment_events');
    const completed = stripeEvent('checkout.session.completed', { id: (await donation(body!.id)).provider_reference, object: 'checkout.session', mode: 'payment', payment_status: 'paid', payment_intent: 'pi_unsigned', amount_total: 1200, currency: 'gbp', metadata: { cast_donation_id: body!.id } });
    assert.equal((await send(completed, { signature: null })).status, 400);
    assert.equal((await send(completed, { secret: 'whsec_someoneElse123' })).status, 400);
    assert.equal((await send(completed, { signature: 't=1,v1=deadbeef' })).status, 400);
    const tampered = await anonymous().request('POST', '/api/v1/donations/webhooks/stripe', {
      body: JSON.stringify({ ...completed, data: { object: { ...completed.data.object, amount_total: 1 } } }),
      headers: { 'content-type': 'application/json', 'stripe-signature': signer.webhooks.generateTestHeaderString({ payload: JSON.stringify(completed), secret: WEBHOOK_SECRET }) },
    });
    assert.equal(tampered.status, 400);
    assert.match(tampered.json<{ error: { message: string } }>().error.message, /signature/);
    assert.equal(await count('payment_events'), events);
    assert.equal((await donation(body!.id)).status, 'pledged');
    assert.deepEqual(await payments(body!.id), []);
  });

  test('a repeated or concurrent webhook never records a payment twice; late events never undo a refund', async () => {
    const { body } = await create({ amount: '40', currency: 'GBP', frequency: 'one-off' });
    const id = body!.id;
    const session = { id: (await donation(id)).provider_reference, object: 'checkout.session', mode: 'payment', payment_status: 'paid', payment_intent: `pi_${id.slice(0, 8)}`, amount_total: 4000, currency: 'gbp', metadata: { cast_donation_id: id } };
    const completed = stripeEvent('checkout.session.completed', session);
    const first = await send(completed);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.json(), { received: true, duplicate: false, applied: true });
    const repeats = await Promise.all([send(completed), send(completed), send(completed)]);
    for (const repeat of repeats) assert.deepEqual(repeat.json(), { received: true, duplicate: true, applied: false });
    // The same payment told again by another event id changes nothing either.
    assert.deepEqual((await send(stripeEvent('checkout.session.async_payment_succeeded', session))).json(), { received: true, duplicate: false, applied: false });
    assert.equal((await donation(id)).status, 'succeeded');
    assert.equal((await payments(id)).length, 1);

    await send(stripeEvent('charge.refunded', { id: 'ch_1', object: 'charge', payment_intent: session.payment_intent, refunded: true, amount_refunded: 4000 }));
    assert.equal((await donation(id)).status, 'refunded');
    // Out of order: an older "expired" or "completed" arriving after the refund does not bring it back.
    await send(stripeEvent('checkout.session.expired', session));
    await send(stripeEvent('checkout.session.completed', session));
    assert.equal((await donation(id)).status, 'refunded');
    assert.deepEqual((await payments(id)).map((p) => p.status), ['refunded']);
  });

  test('concurrent first deliveries of one event apply it once', async () => {
    const { body } = await create({ amount: '15', currency: 'GBP', frequency: 'one-off' });
    const id = body!.id;
    const completed = stripeEvent('checkout.session.completed', { id: (await donation(id)).provider_reference, object: 'checkout.session', mode: 'payment', payment_status: 'paid', payment_intent: `pi_c_${id.slice(0, 8)}`, amount_total: 1500, currency: 'gbp', metadata: { cast_donation_id: id } });
    const results = await Promise.all(Array.from({ length: 6 }, () => send(completed)));
    assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
    assert.equal(results.filter((r) => r.json<{ duplicate: boolean }>().duplicate === false).length, 1);
    assert.equal((await payments(id)).length, 1);
  });

  test('a monthly donation: invoices before the checkout event still count once each, by invoice', async () => {
    const { body } = await create({ amount: '8', currency: 'GBP', frequency: 'monthly' });
    const id = body!.id;
    const subscription = `sub_${id.slice(0, 8)}`;
    const invoice = (n: number) => stripeEvent('invoice.paid', { id: `in_${n}_${id.slice(0, 8)}`, object: 'invoice', amount_paid: 800, currency: 'gbp', parent: { subscription_details: { subscription, metadata: { cast_donation_id: id } } } });
    const first = invoice(1);
    await send(first); // before checkout.session.completed: found through the metadata
    await send(stripeEvent('checkout.session.completed', { id: (await donation(id)).provider_reference, object: 'checkout.session', mode: 'subscription', payment_status: 'paid', subscription, metadata: { cast_donation_id: id } }));
    await send(first);
    await send(invoice(2));
    const row = await donation(id);
    assert.equal(row.status, 'succeeded');
    assert.equal(row.provider_subscription, subscription);
    assert.equal((await payments(id)).length, 2);
    // A live event never touches a test donation.
    await send(stripeEvent('customer.subscription.deleted', { id: subscription, object: 'subscription', metadata: { cast_donation_id: id } }, { livemode: true }));
    assert.equal((await donation(id)).status, 'succeeded');
    await send(stripeEvent('customer.subscription.deleted', { id: subscription, object: 'subscription', metadata: {} }));
    assert.equal((await donation(id)).status, 'cancelled');
  });

  test('the donate form: Gift Aid sealed at rest, then exported by finance with two-factor, audited', async () => {
    const donor = anonymous();
    const page = await donor.get('/donate');
    assert.equal(page.status, 200);
    assert.match(page.text, /gift-aid-2026-1/);
    const fields = { amount: '20', currency: 'GBP', frequency: 'one-off', giftAid: 'yes', firstName: 'Ada', lastName: 'Lovelace', address: '12 St James’s Square\nLondon', postcode: 'sw1y 4jh', scope: 'all' };
    // Without confirming the statement: 422, the input kept, nothing recorded.
    const before = await count('donations');
    const refused = await donor.postForm('/donate', { _csrf: csrfFrom(page.text), ...fields });
    assert.equal(refused.status, 422);
    assert.match(refused.text, /Tick the box to confirm the Gift Aid statement/);
    assert.match(refused.text, /value="Lovelace"/);
    assert.equal(await count('donations'), before);
    // Gift Aid on euros is refused.
    const euros = await donor.postForm('/donate', { _csrf: csrfFrom(page.text), ...fields, currency: 'EUR', statementVersion: 'gift-aid-2026-1' });
    assert.equal(euros.status, 422);
    assert.match(euros.text, /only for donations in pounds sterling/);

    const done = await donor.postForm('/donate', { _csrf: csrfFrom(page.text), ...fields, statementVersion: 'gift-aid-2026-1' });
    assert.equal(done.status, 303);
    const id = done.location!.split('/').pop()!;
    const checkout = await donor.get(done.location!);
    assert.equal(checkout.status, 200);
    assert.match(checkout.text, /href="https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    const stored = (await sql<Record<string, string>>`select * from gift_aid_declarations where donation_id = ${id}`.execute(db())).rows[0]!;
    for (const column of ['first_name_sealed', 'last_name_sealed', 'address_sealed', 'postcode_sealed']) {
      assert.match(stored[column]!, /^k\d+\./, `${column} is sealed`);
      assert.ok(!stored[column]!.includes('Lovelace') && !stored[column]!.includes('SW1Y'));
    }
    assert.equal(stored.statement_version, 'gift-aid-2026-1');

    await send(stripeEvent('checkout.session.completed', { id: (await donation(id)).provider_reference, object: 'checkout.session', mode: 'payment', payment_status: 'paid', payment_intent: `pi_ga_${id.slice(0, 8)}`, amount_total: 2000, currency: 'gbp', metadata: { cast_donation_id: id } }));
    const thanks = await donor.get(`/donate/thanks/${id}`);
    assert.match(thanks.text, /Your payment is confirmed/);

    const today = new Date().toISOString().slice(0, 10);
    const member = await person(server, { scopes: ['donations:read'] });
    assert.equal((await member.browser.get(`/donations/gift-aid/claim.csv?from=${today}&to=${today}`)).status, 403);
    assert.equal((await member.api.request('GET', `/api/v1/donations/gift-aid-claim?from=${today}&to=${today}`, { headers: { authorization: `Bearer ${member.token}` } })).status, 403);

    const finance = await person(server, { role: 'finance', scopes: ['donations:read'] });
    assert.equal((await finance.browser.get('/donations/gift-aid')).status, 200);
    const badRange = await finance.browser.get(`/donations/gift-aid/claim.csv?from=${today}&to=2000-01-01`);
    assert.equal(badRange.status, 422);
    const csv = await finance.browser.get(`/donations/gift-aid/claim.csv?from=${today}&to=${today}&format=records`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const line = csv.text.split('\r\n').find((l) => l.includes(id))!;
    assert.ok(line, 'the paid donation is in the claim');
    assert.match(line, /"Ada","Lovelace","12 St James’s Square, London","SW1Y 4JH","\d{4}-\d{2}-\d{2}","20.00"/);
    const audit = (await sql<{ action: string; actor_id: string; detail: unknown }>`select action, actor_id, detail from audit_log where action = 'gift-aid.exported' order by id desc limit 1`.execute(db())).rows[0]!;
    assert.equal(audit.actor_id, finance.userId);
    assert.ok(!JSON.stringify(audit.detail).includes('Lovelace'));
  });

  test('the claim in HMRC’s schedule layout holds exactly the eligible payments, each rule checked on the parsed file', async () => {
    const year = new Date().getUTCFullYear() - 1;
    const day = (n: number, month = 6) => `${year}-${String(month).padStart(2, '0')}-${String(n).padStart(2, '0')}`;
    const at = (d: string) => Math.floor(Date.parse(`${d}T12:00:00Z`) / 1000);
    const declare = async (id: string, fields: object = {}) => {
      const response = await anonymous().json('POST', `/api/v1/donations/${id}/gift-aid-declaration`, { firstName: 'Grace', lastName: 'Hopper', address: '1 High Street\nYork', postcode: 'YO1 7HH', scope: 'all', statementVersion: 'gift-aid-2026-1', ...fields });
      assert.equal(response.status, 201, response.text);
    };
    const give = async (amount: string, currency = 'GBP', frequency = 'one-off') => (await create({ amount, currency, frequency })).body!.id;
    const paid = async (id: string, minor: number, on: string, currency = 'gbp') => {
      const session = { id: (await donation(id)).provider_reference, object: 'checkout.session', mode: 'payment', payment_status: 'paid', payment_intent: `pi_claim_${id.slice(0, 8)}`, amount_total: minor, currency, metadata: { cast_donation_id: id } };
      assert.equal((await send({ ...stripeEvent('checkout.session.completed', session), created: at(on) })).status, 200);
      return session.payment_intent;
    };
    const month = async (id: string, n: number, on: string) => {
      const invoice = { id: `in_claim_${n}_${id.slice(0, 8)}`, object: 'invoice', amount_paid: 800, currency: 'gbp', parent: { subscription_details: { subscription: `sub_claim_${id.slice(0, 8)}`, metadata: { cast_donation_id: id } } } };
      assert.equal((await send({ ...stripeEvent('invoice.paid', invoice), created: at(on) })).status, 200);
    };

    // In the claim: a one-off gift, its donor's details cut to HMRC's rules.
    const kept = await give('20');
    await declare(kept, { title: 'Professor', firstName: 'Ada', lastName: 'King-Noel', address: '12 St James’s Square\nLondon', postcode: 'sw1y4jh' });
    await paid(kept, 2000, day(10));
    // A monthly gift: the month before the declaration's end is in, the month after it is not.
    const monthly = await give('8', 'GBP', 'monthly');
    await declare(monthly, { title: 'Mr', firstName: 'Bartholomew Alexander Maximilian Fitzgerald', lastName: 'Smith', address: 'Flat 3, 12 High Street\nYork' });
    await sql`update gift_aid_declarations set declared_on = ${`${year}-01-01`}, ends_on = ${day(15)} where donation_id = ${monthly}`.execute(db());
    await month(monthly, 1, day(5));
    await month(monthly, 2, day(20));
    // Left out: refunded; no declaration; never paid; euros (even with a declaration); paid more than
    // four years before the declaration; paid outside the period.
    const refunded = await give('15');
    await declare(refunded);
    const intent = await paid(refunded, 1500, day(11));
    await send(stripeEvent('charge.refunded', { id: 'ch_claim', object: 'charge', payment_intent: intent, refunded: true, amount_refunded: 1500 }));
    const undeclared = await give('30');
    await paid(undeclared, 3000, day(12));
    const unpaid = await give('25');
    await declare(unpaid);
    const euros = await give('40', 'EUR');
    await paid(euros, 4000, day(13), 'eur');
    await sql`insert into gift_aid_declarations (donation_id, scope, statement_version, first_name_sealed, last_name_sealed, address_sealed, postcode_sealed, declared_on)
      select ${euros}, scope, statement_version, first_name_sealed, last_name_sealed, address_sealed, postcode_sealed, declared_on from gift_aid_declarations where donation_id = ${kept}`.execute(db());
    const tooOld = await give('50');
    await declare(tooOld);
    await paid(tooOld, 5000, day(14));
    await sql`update gift_aid_declarations set declared_on = ${`${year + 5}-01-01`} where donation_id = ${tooOld}`.execute(db());
    const later = await give('60');
    await declare(later);
    await paid(later, 6000, day(2, 7));

    const finance = await person(server, { role: 'finance', scopes: ['donations:read'] });
    const range = `from=${day(1)}&to=${day(30)}`;
    const response = await finance.api.request('GET', `/api/v1/donations/gift-aid-claim?${range}`, { headers: { authorization: `Bearer ${finance.token}` } });
    assert.equal(response.status, 200, response.text);
    assert.match(response.headers.get('content-disposition') ?? '', /gift-aid-claim-/);
    const table: string[][] = parseCsv(response.text);
    const [header, ...rows] = table;
    assert.deepEqual(header, [...HMRC_COLUMNS]);
    const y = String(year).slice(2);
    assert.deepEqual(rows, [
      ['Mr', 'Bartholomew Alexander Maximilian Fi', 'Smith', 'Flat 3, 12', 'YO1 7HH', '', '', `05/06/${y}`, '8.00'],
      ['Prof', 'Ada', 'King Noel', '12', 'SW1Y 4JH', '', '', `10/06/${y}`, '20.00'],
    ]);
    for (const row of rows) {
      assert.ok(row[0]!.length <= 4 && row[1]!.length <= 35 && row[2]!.length <= 35 && row[3]!.length <= 40, row.join('|'));
      assert.match(row[7]!, /^\d{2}\/\d{2}\/\d{2}$/);
      assert.match(row[8]!, /^\d+\.\d{2}$/);
    }

    // The full records of the same claim: the same payments, with what HMRC may ask to see.
    const records = await finance.browser.get(`/donations/gift-aid/claim.csv?${range}&format=records`);
    assert.equal(records.status, 200);
    const recordRows = parseCsv<Record<string, string>>(records.text, { columns: true });
    assert.deepEqual(recordRows.map((r) => [r.Donation, r['Home address'], r.Amount]), [
      [monthly, 'Flat 3, 12 High Street, York', '8.00'],
      [kept, '12 St James’s Square, London', '20.00'],
    ]);
    const audits = (await sql<{ actor_id: string; detail: { from: string; to: string; format: string; lines: number } }>`select actor_id, detail from audit_log where action = 'gift-aid.exported' order by id desc limit 2`.execute(db())).rows;
    assert.deepEqual(audits.map((a) => [a.actor_id, a.detail.format, a.detail.from, a.detail.to, a.detail.lines]), [
      [finance.userId, 'records', day(1), day(30), 2],
      [finance.userId, 'hmrc', day(1), day(30), 2],
    ]);

    // Bad input: a layout that does not exist, refused with a message, nothing exported or audited.
    const exported = async () => (await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'gift-aid.exported'`.execute(db())).rows[0]!.n;
    const before = await exported();
    const badFormat = await finance.browser.get(`/donations/gift-aid/claim.csv?${range}&format=xls`);
    assert.equal(badFormat.status, 422);
    assert.match(badFormat.text, /Choose one of the layouts/);
    assert.equal((await finance.api.request('GET', `/api/v1/donations/gift-aid-claim?${range}&format=xls`, { headers: { authorization: `Bearer ${finance.token}` } })).status, 422);
    assert.equal(await exported(), before);
  });

  test('HMRC cell rules (units): titles, double-barrelled names, house name or number', () => {
    assert.deepEqual(['Mrs', 'Dr.', 'Reverend', 'Professor', 'Lieutenant Colonel', ''].map(hmrcTitle), ['Mrs', 'Dr', 'Rev', 'Prof', '', '']);
    assert.equal(hmrcLastName('House-Martin'), 'House Martin');
    assert.deepEqual(['12 High Street, York', '12a High Street', 'Rose Cottage\nMill Lane', 'Flat 3\n12 High Street', '7-9 Mill Road', 'The Old Rectory, Church Lane'].map(houseNameOrNumber), ['12', '12a', 'Rose Cottage', 'Flat 3, 12', '7-9', 'The Old Rectory']);
  });

  test('createGiftAidDeclaration: once per donation, pounds only', async () => {
    const gbp = (await create({ amount: '30', currency: 'GBP', frequency: 'one-off' })).body!;
    const declaration = { firstName: 'Grace', lastName: 'Hopper', address: '1 High Street\nYork', postcode: 'YO1 7HH', scope: 'this-donation', statementVersion: 'gift-aid-2026-1' };
    const first = await anonymous().json('POST', `/api/v1/donations/${gbp.id}/gift-aid-declaration`, declaration);
    assert.equal(first.status, 201, first.text);
    assert.equal((await anonymous().json('POST', `/api/v1/donations/${gbp.id}/gift-aid-declaration`, declaration)).status, 409);
    const badPostcode = await anonymous().json('POST', `/api/v1/donations/${gbp.id}/gift-aid-declaration`, { ...declaration, postcode: '75001' });
    assert.equal(badPostcode.status, 422);
    const eur = (await create({ amount: '30', currency: 'EUR', frequency: 'one-off' })).body!;
    assert.equal((await anonymous().json('POST', `/api/v1/donations/${eur.id}/gift-aid-declaration`, declaration)).status, 422);
    assert.equal((await anonymous().json('POST', '/api/v1/donations/00000000-0000-4000-8000-000000000000/gift-aid-declaration', declaration)).status, 404);

    // On the thank-you page, a donor who did not add Gift Aid can still do it, once.
    const later = (await create({ amount: '30', currency: 'GBP', frequency: 'one-off' })).body!;
    const donor = anonymous();
    const thanks = await donor.get(`/donate/thanks/${later.id}`);
    assert.match(thanks.text, new RegExp(`action="/donate/thanks/${later.id}/gift-aid"`));
    const fields = { firstName: 'Grace', lastName: 'Hopper', address: '1 High Street\nYork', postcode: 'nowhere', scope: 'all', statementVersion: 'gift-aid-2026-1' };
    const bad = await donor.postForm(`/donate/thanks/${later.id}/gift-aid`, { _csrf: csrfFrom(thanks.text), ...fields });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Enter a UK postcode/);
    assert.match(bad.text, /value="Hopper"/);
    const added = await donor.postForm(`/donate/thanks/${later.id}/gift-aid`, { _csrf: csrfFrom(thanks.text), ...fields, postcode: 'YO1 7HH' });
    assert.equal(added.status, 303);
    const after = await donor.get(added.location!);
    assert.match(after.text, /Gift Aid is added to your donation/);
    assert.doesNotMatch(after.text, /gift-aid"/);
    assert.equal((await donor.postForm(`/donate/thanks/${later.id}/gift-aid`, { _csrf: csrfFrom(thanks.text), ...fields, postcode: 'YO1 7HH' })).status, 409);
  });
});

describe('donations without payment keys', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  test('the donate page explains how to give and nothing is recorded', async () => {
    const client = new Client(server.url);
    const page = await client.get('/donate');
    assert.equal(page.status, 200);
    assert.match(page.text, /does not take donations online/);
    assert.doesNotMatch(page.text, /name="amount"/);
    const posted = await client.postForm('/donate', { _csrf: csrfFrom((await client.get('/signup')).text), amount: '10', currency: 'GBP', frequency: 'one-off' });
    assert.equal(posted.status, 409);
    const api = await client.json('POST', '/api/v1/donations', { amount: '10', currency: 'GBP', frequency: 'one-off' });
    assert.equal(api.status, 503);
    const webhook = await client.request('POST', '/api/v1/donations/webhooks/stripe', { body: '{}', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=x' } });
    assert.equal(webhook.status, 400);
    const rows = await sql<{ n: number }>`select (select count(*) from donations) + (select count(*) from payment_events) as n`.execute(server.cast.database.db);
    assert.equal(Number(rows.rows[0]!.n), 0);
    const options = await client.get('/api/v1/donations/options');
    assert.equal(options.json<{ online: boolean }>().online, false);
  });
});
