/**
 * Donations through the real HTTP server and database. Stripe is a third party: its API is played by
 * a small local HTTP server (test/support/fake-stripe.ts, speaking only the one endpoint CAST calls),
 * so the real `stripe` library makes real requests to it. Webhooks are signed with the Stripe library's
 * own test helper and go through the real signature verification.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import Stripe from 'stripe';
import { csrfFrom, Client } from '../../../test/support/client.ts';
import { fakeStripe, type FakeStripe } from '../../../test/support/fake-stripe.ts';
import { person } from '../../../test/support/people.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

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
    const csv = await finance.browser.get(`/donations/gift-aid/claim.csv?from=${today}&to=${today}`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const line = csv.text.split('\r\n').find((l) => l.includes(id))!;
    assert.ok(line, 'the paid donation is in the claim');
    assert.match(line, /"Ada","Lovelace","12 St James’s Square, London","SW1Y 4JH","\d{4}-\d{2}-\d{2}","20.00"/);
    const audit = (await sql<{ action: string; actor_id: string; detail: unknown }>`select action, actor_id, detail from audit_log where action = 'gift-aid.exported' order by id desc limit 1`.execute(db())).rows[0]!;
    assert.equal(audit.actor_id, finance.userId);
    assert.ok(!JSON.stringify(audit.detail).includes('Lovelace'));
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
