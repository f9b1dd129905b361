/** Row types of the events module's tables, as Kysely sees them (see migrations/0020_create_events.sql). */
import type { ColumnType, Generated } from 'kysely';

/** date: select it with to_char to get YYYY-MM-DD text. */
type Day = ColumnType<Date | string | null, string | null | undefined, string | null>;

export interface EventsTable {
  id: Generated<string>;
  title: string;
  description: Generated<string>;
  all_day: boolean;
  starts_at: ColumnType<Date, Date, Date>;
  ends_at: ColumnType<Date, Date, Date>;
  first_day: Day;
  last_day: Day;
  time_zone: string;
  place: string | null;
  online_url: string | null;
  group_id: string | null;
  campaign: string | null;
  capacity: number | null;
  registered: Generated<number>;
  created_by: string | null;
  created_at: Generated<Date>;
  /** The iCalendar SEQUENCE: raised at every change (migrations/0022_add_event_changes.sql). */
  sequence: Generated<number>;
  updated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  cancelled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  cancellation_reason: string | null;
  /** The pending change notice (migrations/0029_add_event_change_notices.sql): when it goes, what changed, the last change. */
  notice_due: ColumnType<Date | null, Date | null | undefined, Date | null>;
  notice_changes: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  notice_changed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface EventRegistrationsTable {
  id: Generated<string>;
  event_id: string;
  email_hash: string;
  name_sealed: string;
  email_sealed: string;
  created_at: Generated<Date>;
  language: Generated<'en' | 'fr'>;
}

/** A type, not an interface: Kysely's withTables needs an index-compatible record. */
export type EventsTables = {
  events: EventsTable;
  event_registrations: EventRegistrationsTable;
};
