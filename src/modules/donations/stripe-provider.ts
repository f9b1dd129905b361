/**
 * The Stripe adapter: Checkout Sessions for one-off (mode "payment") and monthly (mode
 * "subscription") donations, and Stripe's webhook events verified with the library's own signature
 * check and translated into donation changes.
 */
import Stripe from 'stripe';
import type { Checkout, CheckoutRequest, DonationChange, PaymentEvent, PaymentProvider } from './provider.ts';

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** Another API address (a proxy, or a local stand-in in tests). */
  apiUrl?: string | undefined;
}

/** The metadata key that carries our donation id through Stripe's objects. */
export const DONATION_METADATA_KEY = 'cast_donation_id';

type Loose = Record<string, unknown>;
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const obj = (value: unknown): Loose | undefined => (value && typeof value === 'object' ? (value as Loose) : undefined);
/** An expandable field: an id, or the object holding it. */
const ref = (value: unknown): string | undefined => str(value) ?? str(obj(value)?.id);

export function createStripeProvider(settings: StripeSettings): PaymentProvider {
  const api = settings.apiUrl ? new URL(settings.apiUrl) : undefined;
  const stripe = new Stripe(settings.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(api ? { host: api.hostname, port: api.port || (api.protocol === 'https:' ? '443' : '80'), protocol: api.protocol === 'https:' ? 'https' : 'http' } : {}),
  });

  return {
    name: 'stripe',
    testMode: /^(sk|rk)_test_/.test(settings.secretKey),

    async createCheckout(request: CheckoutRequest): Promise<Checkout> {
      const metadata = { [DONATION_METADATA_KEY]: request.donationId };
      const priceData = {
        currency: request.currency.toLowerCase(),
        unit_amount: request.amountMinor,
        product_data: { name: request.description },
        ...(request.frequency === 'monthly' ? { recurring: { interval: 'month' as const } } : {}),
      };
      const session = await stripe.checkout.sessions.create(
        {
          mode: request.frequency === 'monthly' ? 'subscription' : 'payment',
          line_items: [{ price_data: priceData, quantity: 1 }],
          client_reference_id: request.donationId,
          metadata,
          ...(request.frequency === 'monthly' ? { subscription_data: { metadata } } : { payment_intent_data: { metadata }, submit_type: 'donate' as const }),
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
          locale: request.locale === 'fr' ? 'fr' : 'en',
        },
        // A retried request (network trouble) returns the same session: one donation, one checkout.
        { idempotencyKey: `cast-donation-${request.donationId}` },
      );
      if (!session.url) throw new Error('Stripe returned a Checkout Session without a URL');
      return { reference: session.id, url: session.url };
    },

    verifyEvent(body: Buffer, signature: string | undefined): PaymentEvent | undefined {
      if (!signature) return undefined;
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(body, signature, settings.webhookSecret);
      } catch {
        return undefined;
      }
      return translate(event as unknown as Loose);
    },
  };
}

/** Stripe's event → our terms. Reads fields loosely: several API versions name them differently. */
export function translate(event: Loose): PaymentEvent {
  const type = String(event.type);
  const object = obj(obj(event.data)?.object) ?? {};
  const metadataId = (source: unknown) => str(obj(obj(source)?.metadata)?.[DONATION_METADATA_KEY]);
  let donationId = metadataId(object);
  let checkoutReference: string | undefined;
  let change: DonationChange | undefined;

  const sessionPaid = (): DonationChange | undefined => {
    if (object.mode === 'subscription') {
      const subscription = ref(object.subscription);
      return subscription ? { kind: 'subscription-started', subscription } : undefined;
    }
    const reference = ref(object.payment_intent) ?? str(object.id);
    const amount = object.amount_total;
    return reference && typeof amount === 'number' && typeof object.currency === 'string'
      ? { kind: 'payment-succeeded', payment: { reference, amountMinor: amount, currency: object.currency.toUpperCase() } }
      : undefined;
  };

  switch (type) {
    case 'checkout.session.completed':
      checkoutReference = str(object.id);
      // "unpaid": a delayed method (a bank debit); the async_payment events say how it ends.
      change = object.payment_status === 'unpaid' ? undefined : sessionPaid();
      break;
    case 'checkout.session.async_payment_succeeded':
      checkoutReference = str(object.id);
      change = sessionPaid();
      break;
    case 'checkout.session.async_payment_failed':
      checkoutReference = str(object.id);
      change = { kind: 'payment-failed' };
      break;
    case 'checkout.session.expired':
      checkoutReference = str(object.id);
      change = { kind: 'checkout-expired' };
      break;
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const details = obj(obj(object.parent)?.subscription_details) ?? obj(object.subscription_details);
      donationId ??= metadataId(details);
      const subscription = ref(object.subscription) ?? ref(details?.subscription);
      const reference = str(object.id);
      if (type === 'invoice.payment_failed') change = { kind: 'payment-failed', subscription };
      else if (reference && typeof object.amount_paid === 'number' && typeof object.currency === 'string' && object.amount_paid > 0) {
        change = { kind: 'payment-succeeded', payment: { reference, amountMinor: object.amount_paid, currency: object.currency.toUpperCase() }, subscription };
      }
      break;
    }
    case 'charge.refunded': {
      const paymentReference = ref(object.payment_intent);
      // A partial refund leaves the gift standing; only a full one undoes it.
      if (paymentReference && object.refunded === true) change = { kind: 'refunded', paymentReference };
      break;
    }
    case 'customer.subscription.deleted': {
      const subscription = str(object.id);
      if (subscription) change = { kind: 'subscription-ended', subscription };
      break;
    }
    default:
      change = undefined;
  }
  return {
    id: String(event.id),
    type,
    createdAt: new Date(typeof event.created === 'number' ? event.created * 1000 : Date.now()),
    live: event.livemode === true,
    donationId,
    checkoutReference,
    change,
  };
}
