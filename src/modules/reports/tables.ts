/** Row types of the reports module's tables, as Kysely sees them (see migrations/0006_create_reports.sql). */
import type { ColumnType, Generated } from 'kysely';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** date columns: written as 'YYYY-MM-DD', read back as text through a cast where it matters. */
type DateText = ColumnType<Date | string, string, string>;
type NullableDateText = ColumnType<Date | string | null, string | null | undefined, string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export const STATUSES = ['received', 'triaged', 'graded', 'shared', 'closed', 'rejected', 'duplicate'] as const;
export type ReportStatus = (typeof STATUSES)[number];
export const IDENTIFIER_KINDS = ['phone', 'plate', 'address', 'website', 'handle', 'email'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];
export const OBSERVED_TIMES = ['morning', 'afternoon', 'evening', 'night'] as const;
export type ObservedTime = (typeof OBSERVED_TIMES)[number];
export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
export type EventKind = 'triaged' | 'graded' | 'assigned' | 'noted' | 'merged' | 'closed' | 'rejected' | 'reopened' | 'transferred' | 'shared';

export interface ReportsTable {
  id: Generated<string>;
  reference: string;
  receipt_hash: Buffer;
  reporter_id: string | null;
  group_id: string | null;
  country: string;
  received_on: DateText;
  status: Generated<ReportStatus>;
  duplicate_of: string | null;
  assigned_to: string | null;
  place_type: string | null;
  observed_from: NullableDateText;
  observed_to: NullableDateText;
  observed_time: ObservedTime | null;
  exploitation_types: TextArray;
  indicators: TextArray;
  people_count: number | null;
  age_bands: TextArray;
  genders: TextArray;
  route_origin: TextArray;
  route_transit: TextArray;
  route_destination: TextArray;
  h3_cell: string | null;
  location_sealed: string | null;
  narrative_sealed: string | null;
  vehicles_sealed: string | null;
  contact_sealed: string | null;
  /** Names heard or seen: a JSON array of strings, sealed (migrations/0023). */
  names_sealed: string | null;
  contact_consent: Generated<boolean>;
  priority: Priority | null;
  grade_source: number | null;
  grade_assessment: string | null;
  grade_handling: string | null;
  handling_conditions: string | null;
  summary: string | null;
  graded_by: string | null;
  graded_at: NullableTimestamp;
  updated_at: NullableTimestamp;
  unread_additions: Generated<boolean>;
  /** The day the report was reduced to statistics (retention, migrations/0024); null until then. */
  purged_on: NullableDateText;
}

export interface ReportIdentifiersTable {
  id: Generated<string>;
  report_id: string;
  addition_id: string | null;
  kind: IdentifierKind;
  blind_index: Buffer;
  value_sealed: string;
  unparsed: Generated<boolean>;
}

export interface ReportAdditionsTable {
  id: Generated<string>;
  report_id: string;
  added_on: DateText;
  narrative_sealed: string | null;
}

export interface ReportEventsTable {
  id: Generated<string>;
  report_id: string;
  actor_id: string | null;
  kind: EventKind;
  from_status: ReportStatus | null;
  to_status: ReportStatus | null;
  detail: ColumnType<unknown, string | null | undefined, string | null>;
  note_sealed: string | null;
  created_at: Generated<Date>;
}

/** A type, not an interface: Kysely's withTables needs an index-compatible record. */
export type ReportsTables = {
  reports: ReportsTable;
  report_identifiers: ReportIdentifiersTable;
  report_additions: ReportAdditionsTable;
  report_events: ReportEventsTable;
};
