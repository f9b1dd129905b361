/** SQL of the donations module: donations, their payments, webhook events and Gift Aid declarations. */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { DonationStatus, DonationsTables, Frequency, GiftAidScope } from './tables.ts';

type Db = Kysely<Tables>;
const d = (db: Db) => db.withTables<DonationsTables>();

export interface NewDonation {
  id: string;
  amountMinor: number;
  currency: string;
  frequency: Frequency;
  providerReference: string;
  testMode: boolean;
  checkoutUrl: string;
}

export async function insertDonation(db: Db, donation: NewDonation): Promise<void> {
  await d(db)
    .insertInto('donations')
    .values({
      id: donation.id,
      amount_minor: donation.amountMinor,
      currency: donation.currency,
      frequency: donation.frequency,
      provider: 'stripe',
      provider_reference: donation.providerReference,
      test_mode: donation.testMode,
      checkout_url: donation.checkoutUrl,
    })
    .execute();
}

const donationColumns = ['id', 'amount_minor', 'currency', 'frequency', 'status', 'provider_reference', 'provider_subscription', 'test_mode', 'checkout_url', 'created_at'] as const;

export async function findDonation(db: Db, id: string, options: { forUpdate?: boolean } = {}) {
  let query = d(db).selectFrom('donations').select(donationColumns).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export type DonationRow = NonNullable<Awaited<ReturnType<typeof findDonation>>>;

/** The donation an event is about: by our id, else the checkout, else the subscription, else a payment. */
export async function findDonationFor(db: Db, keys: { id?: string | undefined; checkoutReference?: string | undefined; subscription?: string | undefined; paymentReference?: string | undefined }): Promise<DonationRow | undefined> {
  if (keys.id) return findDonation(db, keys.id, { forUpdate: true });
  let query = d(db).selectFrom('donations').select(donationColumns).forUpdate();
  if (keys.checkoutReference) query = query.where('provider', '=', 'stripe').where('provider_reference', '=', keys.checkoutReference);
  else if (keys.subscription) query = query.where('provider', '=', 'stripe').where('provider_subscription', '=', keys.subscription);
  else if (keys.paymentReference) {
    const reference = keys.paymentReference;
    query = query.where('id', '=', (eb) => eb.selectFrom('donation_payments').select('donation_id').where('provider', '=', 'stripe').where('provider_reference', '=', reference));
  } else return undefined;
  return query.executeTakeFirst();
}

export async function setStatus(db: Db, id: string, status: DonationStatus): Promise<void> {
  await d(db).updateTable('donations').set({ status, status_changed_at: sql`now()` }).where('id', '=', id).execute();
}

export async function setSubscription(db: Db, id: string, subscription: string): Promise<void> {
  await d(db).updateTable('donations').set({ provider_subscription: subscription }).where('id', '=', id).where('provider_subscription', 'is', null).execute();
}

/** Records a webhook event once; false when it was already recorded (a repeated delivery). */
export async function claimEvent(db: Db, event: { id: string; type: string; createdAt: Date }): Promise<boolean> {
  const row = await d(db)
    .insertInto('payment_events')
    .values({ provider: 'stripe', event_id: event.id, type: event.type, outcome: 'ignored', provider_created_at: event.createdAt })
    .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function settleEvent(db: Db, eventId: string, outcome: 'applied' | 'ignored', donationId: string | undefined): Promise<void> {
  await d(db).updateTable('payment_events').set({ outcome, donation_id: donationId ?? null }).where('provider', '=', 'stripe').where('event_id', '=', eventId).execute();
}

/** Records a payment once; false when it was already recorded. */
export async function insertPayment(db: Db, payment: { donationId: string; reference: string; amountMinor: number; currency: string; paidAt: Date }): Promise<boolean> {
  const row = await d(db)
    .insertInto('donation_payments')
    .values({ donation_id: payment.donationId, provider: 'stripe', provider_reference: payment.reference, amount_minor: payment.amountMinor, currency: payment.currency, status: 'succeeded', paid_at: payment.paidAt })
    .onConflict((oc) => oc.columns(['provider', 'provider_reference']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Marks a payment refunded; false when it was already refunded or is unknown. */
export async function refundPayment(db: Db, reference: string, at: Date): Promise<boolean> {
  const result = await d(db)
    .updateTable('donation_payments')
    .set({ status: 'refunded', refunded_at: at })
    .where('provider', '=', 'stripe')
    .where('provider_reference', '=', reference)
    .where('status', '=', 'succeeded')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function paymentsOf(db: Db, donationId: string) {
  return d(db).selectFrom('donation_payments').select(['provider_reference', 'amount_minor', 'currency', 'status', 'paid_at']).where('donation_id', '=', donationId).orderBy('paid_at').execute();
}

export interface NewDeclaration {
  donationId: string;
  scope: GiftAidScope;
  statementVersion: string;
  titleSealed: string | null;
  firstNameSealed: string;
  lastNameSealed: string;
  addressSealed: string;
  postcodeSealed: string;
  declaredOn: string;
  endsOn: string | null;
}

/** Adds a declaration; undefined when the donation already has one. */
export async function insertDeclaration(db: Db, declaration: NewDeclaration): Promise<string | undefined> {
  const row = await d(db)
    .insertInto('gift_aid_declarations')
    .values({
      donation_id: declaration.donationId,
      scope: declaration.scope,
      statement_version: declaration.statementVersion,
      title_sealed: declaration.titleSealed,
      first_name_sealed: declaration.firstNameSealed,
      last_name_sealed: declaration.lastNameSealed,
      address_sealed: declaration.addressSealed,
      postcode_sealed: declaration.postcodeSealed,
      declared_on: declaration.declaredOn,
      ends_on: declaration.endsOn,
    })
    .onConflict((oc) => oc.column('donation_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/**
 * What a Gift Aid claim needs: every payment in pounds paid between two days (UK time) that is
 * eligible, oldest first. Eligible: the payment succeeded and was not refunded; its donation is in
 * pounds and succeeded (or, for a monthly one, succeeded and was stopped later: its months were paid);
 * the donation has a declaration whose dates cover the payment — made no more than four years after
 * it (the statement covers the past four years) and not ended before it. A declaration of scope
 * "this-donation" covers only the donation it was made with, which is the only one it is linked to.
 * Only donations of the instance's own mode: live keys never export test donations (nor the reverse).
 */
export async function claimRows(db: Db, range: { from: string; to: string; testMode: boolean }) {
  const { from, to } = range;
  return d(db)
    .selectFrom('donation_payments as p')
    .innerJoin('donations as don', 'don.id', 'p.donation_id')
    .innerJoin('gift_aid_declarations as g', 'g.donation_id', 'p.donation_id')
    .select([
      'g.id as declaration_id',
      'g.scope',
      'g.statement_version',
      'g.title_sealed',
      'g.first_name_sealed',
      'g.last_name_sealed',
      'g.address_sealed',
      'g.postcode_sealed',
      sql<string>`to_char(g.declared_on, 'YYYY-MM-DD')`.as('declared_on'),
      sql<string | null>`to_char(g.ends_on, 'YYYY-MM-DD')`.as('ends_on'),
      'p.provider_reference as payment_reference',
      sql<string>`to_char(p.paid_at at time zone 'Europe/London', 'YYYY-MM-DD')`.as('paid_on'),
      'p.amount_minor',
      'don.id as donation_id',
      'don.frequency',
    ])
    .where('p.status', '=', 'succeeded')
    .where('p.currency', '=', 'GBP')
    .where('don.currency', '=', 'GBP')
    .where('don.status', 'in', ['succeeded', 'cancelled'])
    .where('don.test_mode', '=', range.testMode)
    .where(sql<boolean>`(p.paid_at at time zone 'Europe/London')::date between ${from}::date and ${to}::date`)
    .where(sql<boolean>`(p.paid_at at time zone 'Europe/London')::date >= (g.declared_on - interval '4 years')::date`)
    .where(sql<boolean>`(g.ends_on is null or (p.paid_at at time zone 'Europe/London')::date <= g.ends_on)`)
    .orderBy('p.paid_at')
    .orderBy('p.id')
    .execute();
}

export async function declarationCount(db: Db): Promise<number> {
  const row = await d(db).selectFrom('gift_aid_declarations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function hasDeclaration(db: Db, donationId: string): Promise<boolean> {
  return (await d(db).selectFrom('gift_aid_declarations').select('id').where('donation_id', '=', donationId).executeTakeFirst()) !== undefined;
}
