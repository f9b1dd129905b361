/** Row types of the packs module's table (see migrations/0017_create_self_check_totals.sql). */
import type { ColumnType } from 'kysely';

export interface SelfCheckTotalsTable {
  scenario_id: string;
  /** '' for the row counting the checks sent. */
  option_id: string;
  /** bigint: read back as a string by both drivers. */
  picked: ColumnType<string, number | string, number | string>;
}

/** A type, not an interface: Kysely's withTables needs an index-compatible record. */
export type PacksTables = {
  self_check_totals: SelfCheckTotalsTable;
};
