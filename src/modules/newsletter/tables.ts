/** Row types of the newsletter module's tables, as Kysely sees them (see migrations/0016_create_newsletter.sql). */
import type { ColumnType, Generated } from 'kysely';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type EditionStatus = 'draft' | 'scheduled' | 'sending' | 'sent';
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'skipped' | 'failed' | 'uncertain';
export type SuppressionReason = 'hard-bounce' | 'complaint';

export interface NewsletterListsTable {
  key: string;
  position: number;
  created_at: Generated<Date>;
}

export interface NewsletterSubscribersTable {
  id: Generated<string>;
  email_hash: Buffer;
  email_sealed: string;
  name_sealed: string | null;
  language: string;
  confirmed_at: Timestamp;
  link_version: Generated<number>;
  created_at: Generated<Date>;
  /** Since when the subscriber has been on no list (a trigger keeps it, migrations/0024); null while on one. */
  unsubscribed_at: NullableTimestamp;
}

export interface NewsletterSubscriptionsTable {
  subscriber_id: string;
  list_key: string;
  subscribed_at: Generated<Date>;
}

export interface NewsletterSuppressionsTable {
  email_hash: Buffer;
  reason: SuppressionReason;
  suppressed_at: Generated<Date>;
}

export interface NewsletterEditionsTable {
  id: Generated<string>;
  subject: string;
  body_markdown: string;
  lists: string[];
  status: Generated<EditionStatus>;
  scheduled_for: NullableTimestamp;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  send_started_at: NullableTimestamp;
  sent_at: NullableTimestamp;
  sent_count: number | null;
}

export interface NewsletterDeliveriesTable {
  edition_id: string;
  subscriber_id: string;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  claimed_by: string | null;
  claimed_at: NullableTimestamp;
  sent_at: NullableTimestamp;
}

/** A type, not an interface: Kysely's withTables needs an index-compatible record. */
export type NewsletterTables = {
  newsletter_lists: NewsletterListsTable;
  newsletter_subscribers: NewsletterSubscribersTable;
  newsletter_subscriptions: NewsletterSubscriptionsTable;
  newsletter_suppressions: NewsletterSuppressionsTable;
  newsletter_editions: NewsletterEditionsTable;
  newsletter_deliveries: NewsletterDeliveriesTable;
};
