/** Row types of the correlation module's tables, as Kysely sees them (migrations/0012_create_correlation.sql). */
import type { ColumnType, Generated } from 'kysely';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<unknown, string, string>;

export const LINK_STATUSES = ['proposed', 'confirmed', 'dismissed'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];
export const FUZZY_FIELDS = ['name', 'address', 'place'] as const;
export type FuzzyField = (typeof FUZZY_FIELDS)[number];
export const REQUEST_STATUSES = ['pending', 'approved', 'refused'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Why two reports are linked. Never holds a value in clear. */
export type LinkReason =
  | { method: 'exact'; kind: string; index: string }
  | { method: 'fuzzy'; field: FuzzyField; dice: number }
  | { method: 'place-time'; placeType: string; days: number; near: 'same-area' | 'next-area' };

export interface ReportLinksTable {
  id: Generated<string>;
  report_a: string;
  report_b: string;
  score: number;
  reasons: Json;
  exact: Generated<boolean>;
  status: Generated<LinkStatus>;
  decided_by: string | null;
  decided_at: NullableTimestamp;
}

export interface CommonIdentifiersTable {
  kind: string;
  blind_index: Buffer;
}

export interface EncodingsTable {
  id: Generated<string>;
  report_id: string;
  field: FuzzyField;
  bloom: Buffer;
  bits: number;
}

export interface BandsTable {
  band: string;
  encoding_id: string;
}

export interface PlacesTable {
  report_id: string;
  place_type: string;
  h3_cell: string;
  day: ColumnType<Date | string, string, string>;
}

export interface ConnectionRequestsTable {
  id: Generated<string>;
  requester_id: string;
  report_id: string;
  linked_reports: ColumnType<string[], string[], string[]>;
  country: string;
  reason: string;
  status: Generated<RequestStatus>;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  decision_note: string | null;
  created_at: Generated<Date>;
}

export interface NetworksTable {
  id: Generated<string>;
  country: string;
  name: string;
  summary: Generated<string>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: NullableTimestamp;
}

export interface NetworkReportsTable {
  network_id: string;
  report_id: string;
}

export const REBUILD_PHASES = ['encodings', 'bands', 'done'] as const;
export type RebuildPhase = (typeof REBUILD_PHASES)[number];

/** A rebuild of the fuzzy encodings and where it got to (migrations/0023). */
export interface RebuildsTable {
  id: Generated<string>;
  phase: Generated<RebuildPhase>;
  after_report: string | null;
  after_band: string | null;
  after_encoding: string | null;
  reports: Generated<number>;
  encodings: Generated<number>;
  links: Generated<number>;
  bands_deleted: ColumnType<string, string | number | undefined, string | number>;
  started_at: Generated<Date>;
  finished_at: NullableTimestamp;
}

/** A type, not an interface: Kysely's withTables needs an index-compatible record. */
export type CorrelationTables = {
  report_links: ReportLinksTable;
  correlation_common_identifiers: CommonIdentifiersTable;
  correlation_encodings: EncodingsTable;
  correlation_bands: BandsTable;
  correlation_places: PlacesTable;
  connection_requests: ConnectionRequestsTable;
  networks: NetworksTable;
  network_reports: NetworkReportsTable;
  correlation_rebuilds: RebuildsTable;
};
