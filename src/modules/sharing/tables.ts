/** Row types of the sharing module's own tables (migrations/0014_create_disclosures.sql), as Kysely sees them. */
import type { ColumnType, Generated } from 'kysely';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A calendar day, read back as text (YYYY-MM-DD) by the store so no time zone can shift it. */
type Day = ColumnType<string, string, string>;

export const DISCLOSURE_STATUSES = ['awaiting-approval', 'sent', 'acknowledged'] as const;
export type DisclosureStatus = (typeof DISCLOSURE_STATUSES)[number];

export const MARKINGS = ['OFFICIAL', 'OFFICIAL-SENSITIVE'] as const;
export type Marking = (typeof MARKINGS)[number];

export const OUTCOME_KINDS = ['safeguarding-visit', 'victims-identified', 'arrests', 'investigation-opened', 'no-further-action', 'other'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];
/** Outcomes that carry a number of people. */
export const COUNTED_OUTCOMES: ReadonlySet<OutcomeKind> = new Set(['victims-identified', 'arrests']);

export const IDENTIFIER_KINDS = ['phone', 'plate', 'address', 'website', 'handle', 'email'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export interface SharingGroupSettingsTable {
  group_id: string;
  second_approval: boolean;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface DisclosureTermsTable {
  partnership_id: string;
  identifier_kinds: IdentifierKind[];
  precise_location: boolean;
  set_by: string | null;
  set_at: Timestamp;
}

export interface DisclosuresTable {
  id: Generated<string>;
  reference: string;
  partnership_id: string;
  group_id: string;
  partner_id: string;
  country: string;
  status: DisclosureStatus;
  marking: Marking | null;
  handling_codes: ('P' | 'C')[];
  report_count: number;
  content_sealed: string;
  created_by: string | null;
  created_at: Generated<Date>;
  approved_by: string | null;
  approved_at: NullableTimestamp;
  sent_at: NullableTimestamp;
  acknowledged_by: string | null;
  acknowledged_at: NullableTimestamp;
}

export interface DisclosureReportsTable {
  disclosure_id: string;
  report_id: string;
}

export interface DisclosureOutcomesTable {
  id: Generated<string>;
  disclosure_id: string;
  kind: OutcomeKind;
  count: number | null;
  note_sealed: string | null;
  recorded_by: string | null;
  recorded_on: Day;
  created_at: Generated<Date>;
}

export type SharingTables = {
  sharing_group_settings: SharingGroupSettingsTable;
  disclosure_terms: DisclosureTermsTable;
  disclosures: DisclosuresTable;
  disclosure_reports: DisclosureReportsTable;
  disclosure_outcomes: DisclosureOutcomesTable;
};
