/** Row types of the partners module's own tables (migrations/0003_create_partners.sql), as Kysely sees them. */
import type { ColumnType, Generated } from 'kysely';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A calendar day, read back as text (YYYY-MM-DD) by the store so no time zone can shift it. */
type Day = ColumnType<string, string, string>;
type NullableDay = ColumnType<string | null, string | null | undefined, string | null>;

export const PARTNER_KINDS = ['police', 'council', 'social-care', 'health', 'ngo', 'other'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

export const HANDLING_CODES = ['P', 'C'] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];

export const PARTNERSHIP_STATUSES = ['proposed', 'active', 'declined', 'ended'] as const;
export type PartnershipStatus = (typeof PARTNERSHIP_STATUSES)[number];

export interface PartnerOrganisationsTable {
  id: Generated<string>;
  kind: PartnerKind;
  name: string;
  country: string;
  area: string;
  latitude: number | null;
  longitude: number | null;
  radius_km: number | null;
  contact_email: string;
  created_by: string | null;
  created_at: Generated<Date>;
  verified_at: NullableTimestamp;
  verified_by: string | null;
}

export interface PartnerUsersTable {
  partner_id: string;
  user_id: string;
  added_by: string | null;
  added_at: Generated<Date>;
}

export interface PartnershipsTable {
  id: Generated<string>;
  group_id: string;
  partner_id: string;
  status: Generated<PartnershipStatus>;
  agreement_reference: string;
  agreement_signed_on: Day;
  contacts: string;
  handling_codes: HandlingCode[];
  conditions: string | null;
  proposed_by: string | null;
  proposed_at: Generated<Date>;
  responded_by: string | null;
  responded_at: NullableTimestamp;
  ended_by: string | null;
  ended_on: NullableDay;
}

export type PartnersTables = {
  partner_organisations: PartnerOrganisationsTable;
  partner_users: PartnerUsersTable;
  partnerships: PartnershipsTable;
};
