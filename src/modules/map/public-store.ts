/** SQL of the public map's own tables (migrations/0008_create_public_map_cells.sql). */
import { sql, type ColumnType, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { PublicCell, PublicResolution } from './public-cells.ts';

type Db = Kysely<Tables>;

/** A type, not an interface: Kysely's withTables needs an index-compatible record. */
type PublicMapTables = {
  public_map_cells: {
    resolution: number;
    cell: string;
    exploitation_type: string;
    year: number;
    count: number;
    lat: number;
    lon: number;
  };
  public_map_state: {
    id: ColumnType<boolean, boolean | undefined, boolean>;
    refreshed_at: ColumnType<Date, Date | string, Date | string>;
    received_up_to: ColumnType<string, string, string>;
    k: number;
  };
};

const own = (db: Db) => db.withTables<PublicMapTables>();

/** Rows per insert statement: well under PostgreSQL's 65,535 parameters (7 per row). */
const BATCH = 2000;
/** Any constant: serialises refreshes across processes (pg-boss runs one at a time, tests call it too). */
const REFRESH_LOCK = 7_261_008;

export interface PublicMapState {
  refreshedAt: Date;
  receivedUpTo: string;
  k: number;
}

/** Replaces every public cell in one transaction: readers see the old map or the new one, never half. */
export async function replacePublicCells(db: Db, cells: readonly PublicCell[], state: PublicMapState): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${REFRESH_LOCK})`.execute(trx);
    await own(trx).deleteFrom('public_map_cells').execute();
    for (let start = 0; start < cells.length; start += BATCH) {
      const rows = cells.slice(start, start + BATCH).map((c) => ({ resolution: c.resolution, cell: c.cell, exploitation_type: c.exploitationType, year: c.year, count: c.count, lat: c.lat, lon: c.lon }));
      await own(trx).insertInto('public_map_cells').values(rows).execute();
    }
    await own(trx)
      .insertInto('public_map_state')
      .values({ id: true, refreshed_at: state.refreshedAt, received_up_to: state.receivedUpTo, k: state.k })
      .onConflict((oc) => oc.column('id').doUpdateSet({ refreshed_at: state.refreshedAt, received_up_to: state.receivedUpTo, k: state.k }))
      .execute();
  });
}

export async function readPublicMapState(db: Db): Promise<PublicMapState | undefined> {
  const row = await own(db)
    .selectFrom('public_map_state')
    .select(['refreshed_at', sql<string>`to_char(received_up_to, 'YYYY-MM-DD')`.as('received_up_to'), 'k'])
    .executeTakeFirst();
  return row ? { refreshedAt: new Date(row.refreshed_at), receivedUpTo: row.received_up_to, k: row.k } : undefined;
}

export interface CellQuery {
  resolution: PublicResolution;
  exploitationType: string;
  year: number;
  south: number;
  north: number;
  west: number;
  east: number;
}

/** Published cells whose centre lies in the box (the caller widens it by a cell's reach). */
export async function selectPublicCells(db: Db, q: CellQuery): Promise<{ cell: string; count: number; lat: number; lon: number }[]> {
  return own(db)
    .selectFrom('public_map_cells')
    .select(['cell', 'count', 'lat', 'lon'])
    .where('resolution', '=', q.resolution)
    .where('exploitation_type', '=', q.exploitationType)
    .where('year', '=', q.year)
    .where('lat', '>=', q.south)
    .where('lat', '<=', q.north)
    .where('lon', '>=', q.west)
    .where('lon', '<=', q.east)
    .orderBy('cell')
    .execute();
}

/** The years that have any published cell, newest first, for the filter's choices. */
export async function selectPublicYears(db: Db): Promise<number[]> {
  const rows = await own(db)
    .selectFrom('public_map_cells')
    .select('year')
    .distinct()
    .where('resolution', '=', 2)
    .where('exploitation_type', '=', '*')
    .where('year', '<>', 0)
    .orderBy('year', 'desc')
    .execute();
  return rows.map((r) => r.year);
}
