/**
 * Donation use cases: starting a donation (a pledge and the provider's checkout), applying the
 * provider's verified webhook events, Gift Aid declarations, and the Gift Aid claim export.
 *
 * Guarantees: bad input changes nothing and nothing is recorded until the provider has made the
 * checkout; a webhook is applied only when its signature verifies, and at most once (its event id is
 * recorded in the same transaction as its effect); a payment is recorded once per provider reference;
 * a donation's status only moves forward (pledged → succeeded or failed → refunded or cancelled), so
 * events arriving late or out of order never undo a later state; Gift Aid names, addresses and
 * postcodes are sealed, and reading them (the claim export) needs the finance or admin role with
 * two-factor and is audited.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { decide } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import type { Config } from '../../core/config.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { FieldSealer } from '../../core/field-sealer.ts';
import { conflict, forbidden, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { isUuid } from '../../core/validation.ts';
import { CURRENCIES, parseAmount, type AmountProblem } from './currencies.ts';
import { CURRENT_STATEMENT, csvLine, HMRC_COLUMNS, hmrcDate, hmrcFirstName, hmrcLastName, hmrcPostcode, hmrcTitle, houseNameOrNumber, poundsText } from './gift-aid.ts';
import type { DonationChange, PaymentEvent, PaymentProvider } from './provider.ts';
import * as store from './store.ts';
import type { DonationStatus, Frequency, GiftAidScope } from './tables.ts';

export interface DonationsDeps {
  db: Kysely<Tables>;
  sealer: FieldSealer;
  /** undefined when no payment keys are configured: nothing is taken or recorded online. */
  provider: PaymentProvider | undefined;
  config: Pick<Config, 'publicUrl'>;
}

export const FREQUENCIES: readonly Frequency[] = ['one-off', 'monthly'];
export const GIFT_AID_SCOPES: readonly GiftAidScope[] = ['this-donation', 'all'];

/** The provider could not be reached or refused the checkout: nothing was recorded. */
export class ProviderUnavailableError extends Error {
  override name = 'ProviderUnavailableError';
}

const AMOUNT_ERRORS: Record<AmountProblem, string> = {
  format: 'donations.errors.amountFormat',
  'not-positive': 'donations.errors.amountPositive',
  'too-many-decimals': 'donations.errors.amountDecimals',
  'too-small': 'donations.errors.amountTooSmall',
  'too-large': 'donations.errors.amountTooLarge',
};

export interface GiftAidInput {
  title?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  address?: string | undefined;
  postcode?: string | undefined;
  scope?: string | undefined;
  /** The last day it covers (YYYY-MM-DD); absent for open-ended. */
  endsOn?: string | undefined;
  /** The donor confirmed the statement shown (its version must be the current one). */
  statementVersion?: string | undefined;
}

export interface DonationInput {
  amount: string | number;
  currency: string;
  frequency: string;
  giftAid?: GiftAidInput | undefined;
}

const UK_POSTCODE = /^(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$/;
const today = () => new Date().toISOString().slice(0, 10);
const clean = (value: string | undefined) => value?.replace(/\s+/g, ' ').trim() ?? '';

/** Checks a declaration's fields; the normalised values, or field errors (keys prefixed `giftAid.`). */
function checkGiftAid(input: GiftAidInput, currency: string): { errors: FieldErrors; value: store.NewDeclaration | undefined; plain: { title: string; firstName: string; lastName: string; address: string; postcode: string } } {
  const errors: FieldErrors = {};
  const title = clean(input.title);
  const firstName = clean(input.firstName);
  const lastName = clean(input.lastName);
  const address = (input.address ?? '').trim().replace(/\r\n?/g, '\n');
  const postcode = clean(input.postcode).toUpperCase();
  if (currency !== 'GBP') errors.giftAid = 'donations.errors.giftAidPoundsOnly';
  if (title.length > 20) errors.title = 'donations.errors.title';
  if (firstName.length < 1 || firstName.length > 100) errors.firstName = 'donations.errors.firstName';
  if (lastName.length < 1 || lastName.length > 100) errors.lastName = 'donations.errors.lastName';
  if (address.length < 3 || address.length > 500) errors.address = 'donations.errors.address';
  if (!UK_POSTCODE.test(postcode)) errors.postcode = 'donations.errors.postcode';
  if (!(GIFT_AID_SCOPES as readonly string[]).includes(input.scope ?? '')) errors.scope = 'donations.errors.scope';
  const endsOn = clean(input.endsOn) || null;
  if (endsOn !== null && (!/^\d{4}-\d{2}-\d{2}$/.test(endsOn) || Number.isNaN(Date.parse(endsOn)) || endsOn < today())) errors.endsOn = 'donations.errors.endsOn';
  if (input.statementVersion !== CURRENT_STATEMENT.version) errors.statement = 'donations.errors.statement';
  const plain = { title, firstName, lastName, address, postcode };
  if (Object.keys(errors).length > 0) return { errors, value: undefined, plain };
  return {
    errors,
    plain,
    value: {
      donationId: '',
      scope: input.scope as GiftAidScope,
      statementVersion: CURRENT_STATEMENT.version,
      titleSealed: null,
      firstNameSealed: '',
      lastNameSealed: '',
      addressSealed: '',
      postcodeSealed: '',
      declaredOn: today(),
      endsOn: input.scope === 'this-donation' ? null : endsOn,
    },
  };
}

function sealDeclaration(deps: DonationsDeps, donationId: string, checked: ReturnType<typeof checkGiftAid>): store.NewDeclaration {
  const { plain } = checked;
  return {
    ...checked.value!,
    donationId,
    titleSealed: plain.title ? deps.sealer.seal(plain.title) : null,
    firstNameSealed: deps.sealer.seal(plain.firstName),
    lastNameSealed: deps.sealer.seal(plain.lastName),
    addressSealed: deps.sealer.seal(plain.address),
    postcodeSealed: deps.sealer.seal(plain.postcode),
  };
}

/**
 * Starts a donation: checks the amount for its currency, asks the provider for a checkout, and only
 * then records the pledge (with its Gift Aid declaration, if any, in the same transaction). The
 * donor pays on the provider's page; webhooks say how it went.
 */
export async function createDonation(deps: DonationsDeps, input: DonationInput, options: { lang: string; description: string }): Promise<Outcome<{ id: string; checkoutUrl: string; testMode: boolean }>> {
  const provider = deps.provider;
  if (!provider) return conflict('donations.errors.notConfigured');
  const errors: FieldErrors = {};
  const currencyCode = String(input.currency ?? '').trim().toUpperCase();
  const currency = CURRENCIES.get(currencyCode);
  if (!currency) errors.currency = 'donations.errors.currency';
  let amountMinor = 0;
  if (currency) {
    const parsed = parseAmount(String(input.amount), currency);
    if (parsed.ok) amountMinor = parsed.minor;
    else errors.amount = AMOUNT_ERRORS[parsed.problem];
  } else if (!/^\s*\d/.test(String(input.amount))) errors.amount = 'donations.errors.amountFormat';
  if (!(FREQUENCIES as readonly string[]).includes(input.frequency)) errors.frequency = 'donations.errors.frequency';
  const giftAid = input.giftAid ? checkGiftAid(input.giftAid, currencyCode) : undefined;
  if (giftAid) for (const [field, key] of Object.entries(giftAid.errors)) errors[field === 'giftAid' ? field : `giftAid.${field}`] = key;
  if (Object.keys(errors).length > 0) return invalid(errors);

  const id = randomUUID();
  let checkout;
  try {
    checkout = await provider.createCheckout({
      donationId: id,
      amountMinor,
      currency: currencyCode,
      frequency: input.frequency as Frequency,
      successUrl: `${deps.config.publicUrl}/donate/thanks/${id}`,
      cancelUrl: `${deps.config.publicUrl}/donate?cancelled=1`,
      locale: options.lang,
      description: options.description,
    });
  } catch (error) {
    throw new ProviderUnavailableError((error as Error).message);
  }
  await deps.db.transaction().execute(async (trx) => {
    await store.insertDonation(trx, { id, amountMinor, currency: currencyCode, frequency: input.frequency as Frequency, providerReference: checkout.reference, testMode: provider.testMode, checkoutUrl: checkout.url });
    if (giftAid) {
      const declarationId = await store.insertDeclaration(trx, sealDeclaration(deps, id, giftAid));
      await appendAudit(trx, { actorId: null, action: 'gift-aid.declared', subject: `donation:${id}`, detail: { declarationId } });
    }
  });
  return ok({ id, checkoutUrl: checkout.url, testMode: provider.testMode });
}

export interface DonationSummary {
  id: string;
  amountMinor: number;
  currency: string;
  frequency: Frequency;
  status: DonationStatus;
  testMode: boolean;
  checkoutUrl: string;
  /** Whether its donor may still add a Gift Aid declaration (pounds, not failed or refunded, none yet). */
  giftAidPossible: boolean;
}

/**
 * A donation as its donor sees it (amount, status, where to pay). The id is random and known only to
 * the donor's browser and the provider, so holding it is what entitles one to see this.
 */
export async function donationSummary(deps: DonationsDeps, id: string): Promise<Outcome<DonationSummary>> {
  if (!isUuid(id)) return notFound();
  const row = await store.findDonation(deps.db, id);
  if (!row) return notFound();
  const giftAidPossible = row.currency === 'GBP' && row.status !== 'failed' && row.status !== 'refunded' && !(await store.hasDeclaration(deps.db, row.id));
  return ok({ id: row.id, amountMinor: Number(row.amount_minor), currency: row.currency, frequency: row.frequency, status: row.status, testMode: row.test_mode, checkoutUrl: row.checkout_url, giftAidPossible });
}

/**
 * Adds a Gift Aid declaration to a donation after the fact (the thank-you page, or the API). One per
 * donation; pounds only; not for a donation that failed or was refunded.
 */
export async function declareGiftAid(deps: DonationsDeps, donationId: string, input: GiftAidInput): Promise<Outcome<{ id: string }>> {
  if (!isUuid(donationId)) return notFound();
  const donation = await store.findDonation(deps.db, donationId);
  if (!donation) return notFound();
  const checked = checkGiftAid(input, donation.currency);
  if (Object.keys(checked.errors).length > 0) return invalid(checked.errors);
  if (donation.status === 'failed' || donation.status === 'refunded') return conflict('donations.errors.giftAidNotPaid');
  const id = await deps.db.transaction().execute(async (trx) => {
    const declarationId = await store.insertDeclaration(trx, sealDeclaration(deps, donationId, checked));
    if (declarationId) await appendAudit(trx, { actorId: null, action: 'gift-aid.declared', subject: `donation:${donationId}`, detail: { declarationId } });
    return declarationId;
  });
  return id ? ok({ id }) : conflict('donations.errors.giftAidExists');
}

// ---------------------------------------------------------------- webhooks

export type WebhookResult = { received: true; duplicate: boolean; applied: boolean };

/** Where a status may go: forward only, so a late or repeated event never undoes a later one. */
const NEXT: Record<DonationStatus, readonly DonationStatus[]> = {
  pledged: ['succeeded', 'failed', 'refunded', 'cancelled'],
  failed: ['succeeded'],
  succeeded: ['refunded', 'cancelled'],
  refunded: [],
  cancelled: [],
};

const canMove = (from: DonationStatus, to: DonationStatus) => NEXT[from].includes(to);

/**
 * Applies one webhook delivery. The signature is checked over the exact bytes received; a delivery
 * that does not verify is refused and changes nothing. A verified event is recorded by id in the same
 * transaction as its effect, so a repeated delivery (even a concurrent one) is acknowledged and does
 * nothing.
 */
export async function handlePaymentWebhook(deps: DonationsDeps, body: Buffer, signature: string | undefined): Promise<Outcome<WebhookResult>> {
  const provider = deps.provider;
  const event = provider?.verifyEvent(body, signature);
  if (!provider || !event) return invalid({ signature: 'donations.errors.signature' });
  return deps.db.transaction().execute(async (trx) => {
    if (!(await store.claimEvent(trx, event))) return ok({ received: true, duplicate: true, applied: false } as const);
    const { donationId, applied } = await applyEvent(trx, provider, event);
    await store.settleEvent(trx, event.id, applied ? 'applied' : 'ignored', donationId);
    return ok({ received: true, duplicate: false, applied } as const);
  });
}

async function applyEvent(db: Kysely<Tables>, provider: PaymentProvider, event: PaymentEvent): Promise<{ donationId: string | undefined; applied: boolean }> {
  const change = event.change;
  if (!change) return { donationId: undefined, applied: false };
  const donation = await store.findDonationFor(db, {
    id: isUuid(event.donationId) ? event.donationId : undefined,
    checkoutReference: event.checkoutReference,
    subscription: 'subscription' in change ? change.subscription : undefined,
    paymentReference: change.kind === 'refunded' ? change.paymentReference : undefined,
  });
  // A test event never touches a live donation, nor the reverse.
  if (!donation || donation.test_mode === event.live || provider.testMode === event.live) return { donationId: donation?.id, applied: false };
  const applied = await applyChange(db, donation, change, event.createdAt);
  return { donationId: donation.id, applied };
}

async function applyChange(db: Kysely<Tables>, donation: store.DonationRow, change: DonationChange, at: Date): Promise<boolean> {
  let changed = false;
  const move = async (to: DonationStatus) => {
    if (!canMove(donation.status, to)) return;
    await store.setStatus(db, donation.id, to);
    changed = true;
  };
  switch (change.kind) {
    case 'subscription-started':
      if (donation.frequency !== 'monthly') return false;
      await store.setSubscription(db, donation.id, change.subscription);
      await move('succeeded');
      return changed || donation.provider_subscription === null;
    case 'payment-succeeded':
      if (change.subscription && donation.frequency === 'monthly') await store.setSubscription(db, donation.id, change.subscription);
      // Money taken is recorded even for a donation already stopped: it happened.
      changed = await store.insertPayment(db, { donationId: donation.id, reference: change.payment.reference, amountMinor: change.payment.amountMinor, currency: change.payment.currency, paidAt: at });
      await move('succeeded');
      return changed;
    case 'payment-failed':
      // A monthly donation that already took money keeps its standing; its provider retries the month.
      if (donation.status === 'pledged') await move('failed');
      return changed;
    case 'checkout-expired':
      if (donation.status === 'pledged') await move('failed');
      return changed;
    case 'refunded':
      changed = await store.refundPayment(db, change.paymentReference, at);
      if (changed && donation.frequency === 'one-off') await move('refunded');
      return changed;
    case 'subscription-ended':
      if (donation.frequency === 'monthly') await move('cancelled');
      return changed;
  }
}

// ---------------------------------------------------------------- Gift Aid claim export

export interface ClaimRange {
  from: string;
  to: string;
  /** hmrc (the default): HMRC's schedule layout; records: every detail, for the charity's own files. */
  format?: string | undefined;
}

/**
 * The two layouts of a claim file. `hmrc` is what HMRC's Charities Online schedule takes, cell for
 * cell. `records` keeps what the schedule leaves out (the full home address, the declaration, its
 * scope and statement version, the provider's payment reference): the evidence HMRC may ask the
 * charity to show for each claimed donation in an audit.
 */
export const CLAIM_FORMATS = ['hmrc', 'records'] as const;
export type ClaimFormat = (typeof CLAIM_FORMATS)[number];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function mayExport(actor: UserActor): Outcome<undefined> {
  const decision = decide(actor, 'donations.gift-aid-export');
  if (decision === 'needs-two-factor') return forbidden('donations.errors.twoFactor');
  return decision === 'allowed' ? ok(undefined) : forbidden();
}

/** For the claim page: how many declarations there are (a count, nothing personal). */
export async function giftAidOverview(deps: DonationsDeps, actor: UserActor): Promise<Outcome<{ declarations: number }>> {
  const allowed = mayExport(actor);
  if (!allowed.ok) return allowed;
  return ok({ declarations: await store.declarationCount(deps.db) });
}

/**
 * The Gift Aid claim for a period as CSV: one line per eligible payment (see store.claimRows) with
 * its donor's declaration (name, home address, postcode unsealed), in HMRC's schedule layout or as
 * full records. Finance staff and administrators only, with two-factor; every export is audited
 * (who, which period, which layout, how many lines; never the content).
 */
export async function giftAidClaim(deps: DonationsDeps, actor: UserActor, range: ClaimRange): Promise<Outcome<{ csv: string; lines: number; format: ClaimFormat }>> {
  const allowed = mayExport(actor);
  if (!allowed.ok) return allowed;
  const errors: FieldErrors = {};
  if (!DAY.test(range.from) || Number.isNaN(Date.parse(range.from))) errors.from = 'donations.errors.day';
  if (!DAY.test(range.to) || Number.isNaN(Date.parse(range.to))) errors.to = 'donations.errors.day';
  if (!errors.from && !errors.to && range.to < range.from) errors.to = 'donations.errors.rangeOrder';
  const format = (range.format || 'hmrc') as ClaimFormat;
  if (!CLAIM_FORMATS.includes(format)) errors.format = 'donations.errors.claimFormat';
  if (Object.keys(errors).length > 0) return invalid(errors);
  return deps.db.transaction().execute(async (trx) => {
    const rows = await store.claimRows(trx, { from: range.from, to: range.to, testMode: deps.provider?.testMode ?? false });
    let csv = csvLine(format === 'hmrc' ? [...HMRC_COLUMNS] : ['Title', 'First name', 'Last name', 'Home address', 'Postcode', 'Donation date', 'Amount', 'Donation', 'Payment reference', 'Frequency', 'Declaration', 'Scope', 'Statement version', 'Declared on', 'Ends on']);
    for (const row of rows) {
      const [title, firstName, lastName, address, postcode] = await Promise.all([
        row.title_sealed ? deps.sealer.unseal(row.title_sealed) : '',
        deps.sealer.unseal(row.first_name_sealed),
        deps.sealer.unseal(row.last_name_sealed),
        deps.sealer.unseal(row.address_sealed),
        deps.sealer.unseal(row.postcode_sealed),
      ]);
      const amount = poundsText(Number(row.amount_minor));
      csv +=
        format === 'hmrc'
          ? // Aggregated donations and sponsored events stay empty: each line is one donor's own gift.
            csvLine([hmrcTitle(title), hmrcFirstName(firstName), hmrcLastName(lastName), houseNameOrNumber(address), hmrcPostcode(postcode), '', '', hmrcDate(row.paid_on), amount])
          : csvLine([title, firstName, lastName, address.replace(/\n/g, ', '), postcode, row.paid_on, amount, row.donation_id, row.payment_reference, row.frequency, row.declaration_id, row.scope, row.statement_version, row.declared_on, row.ends_on]);
    }
    await appendAudit(trx, { actorId: actor.userId, action: 'gift-aid.exported', subject: 'gift-aid', detail: { from: range.from, to: range.to, format, lines: rows.length } });
    return ok({ csv, lines: rows.length, format });
  });
}
