/** Row types of the donations module's tables, as Kysely sees them (see migrations/0019_create_donations.sql). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** bigint: both drivers return a JavaScript number (see docs/decisions/0001). */
type Minor = ColumnType<number, number, number>;

export type Frequency = 'one-off' | 'monthly';
export type DonationStatus = 'pledged' | 'succeeded' | 'failed' | 'refunded' | 'cancelled';
export type GiftAidScope = 'this-donation' | 'all';

export interface DonationsTable {
  id: Generated<string>;
  amount_minor: Minor;
  currency: string;
  frequency: Frequency;
  status: Generated<DonationStatus>;
  provider: 'stripe';
  provider_reference: string;
  provider_subscription: string | null;
  test_mode: boolean;
  checkout_url: string;
  created_at: Generated<Date>;
  status_changed_at: Generated<Date>;
}

export interface DonationPaymentsTable {
  id: Generated<string>;
  donation_id: string;
  provider: string;
  provider_reference: string;
  amount_minor: Minor;
  currency: string;
  status: 'succeeded' | 'refunded';
  paid_at: Timestamp;
  refunded_at: NullableTimestamp;
}

export interface PaymentEventsTable {
  provider: string;
  event_id: string;
  type: string;
  outcome: 'applied' | 'ignored';
  donation_id: string | null;
  provider_created_at: NullableTimestamp;
  received_at: Generated<Date>;
}

export interface GiftAidDeclarationsTable {
  id: Generated<string>;
  donation_id: string;
  scope: GiftAidScope;
  statement_version: string;
  title_sealed: string | null;
  first_name_sealed: string;
  last_name_sealed: string;
  address_sealed: string;
  postcode_sealed: string;
  /** date: select it with to_char to get YYYY-MM-DD text. */
  declared_on: ColumnType<Date | string, string, string>;
  ends_on: ColumnType<Date | string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
}

/** A type, not an interface: Kysely's withTables needs an index-compatible record. */
export type DonationsTables = {
  donations: DonationsTable;
  donation_payments: DonationPaymentsTable;
  payment_events: PaymentEventsTable;
  gift_aid_declarations: GiftAidDeclarationsTable;
};
