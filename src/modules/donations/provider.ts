/**
 * The payment-provider adapter: what the donations service needs from a provider, in the service's
 * own words. Stripe is the first adapter (stripe-provider.ts); another provider would translate its
 * API and webhook events into the same shapes.
 */
import type { Frequency } from './tables.ts';

export interface CheckoutRequest {
  /** Our donation's id: the provider keeps it as metadata and as the idempotency key of the request. */
  donationId: string;
  amountMinor: number;
  currency: string;
  frequency: Frequency;
  successUrl: string;
  cancelUrl: string;
  /** The page language, for the provider's hosted page. */
  locale: string;
  /** The line the donor reads on the provider's page. */
  description: string;
}

export interface Checkout {
  /** The provider's unique reference of the checkout (a Stripe Checkout Session id). */
  reference: string;
  /** The provider's hosted payment page. */
  url: string;
}

/**
 * What a provider's event means for a donation. Everything the service needs to find the donation
 * is carried along: our id (from metadata), the checkout reference, the subscription reference.
 */
export type DonationChange =
  /** The donor finished checkout for a monthly donation: the subscription exists. */
  | { kind: 'subscription-started'; subscription: string }
  /** Money was taken: one payment (a one-off donation, or one month of a monthly one). */
  | { kind: 'payment-succeeded'; payment: { reference: string; amountMinor: number; currency: string }; subscription?: string | undefined }
  | { kind: 'payment-failed'; subscription?: string | undefined }
  /** The checkout was abandoned or expired: nothing was taken. */
  | { kind: 'checkout-expired' }
  /** A payment was refunded in full. */
  | { kind: 'refunded'; paymentReference: string }
  /** A monthly donation was stopped. */
  | { kind: 'subscription-ended'; subscription: string };

export interface PaymentEvent {
  /** The provider's event id: each is applied at most once. */
  id: string;
  type: string;
  createdAt: Date;
  /** A live event (real money); test events never touch live donations and the reverse. */
  live: boolean;
  /** Ways to find the donation, in order of preference. */
  donationId: string | undefined;
  checkoutReference: string | undefined;
  /** undefined: an event this adapter does not act on (it is acknowledged and recorded as ignored). */
  change: DonationChange | undefined;
}

export interface PaymentProvider {
  readonly name: 'stripe';
  /** Whether the keys are test keys: donations made with them are flagged as test donations. */
  readonly testMode: boolean;
  createCheckout(request: CheckoutRequest): Promise<Checkout>;
  /**
   * Verifies the provider's signature over the exact bytes received and returns the event, or
   * undefined when the signature is missing, wrong or too old.
   */
  verifyEvent(body: Buffer, signature: string | undefined): PaymentEvent | undefined;
}
