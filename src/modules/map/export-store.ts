/** SQL of the exports table (migrations/0009_create_exports.sql): long exports, run as jobs. */
import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { ExportFormat } from './export-formats.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type ExportStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ExportsTable {
  id: Generated<string>;
  user_id: string;
  group_id: string | null;
  country: string | null;
  format: ExportFormat;
  filters: ColumnType<unknown, string, string>;
  status: Generated<ExportStatus>;
  rows_done: Generated<number>;
  rows_total: number | null;
  file_name: string | null;
  bytes: ColumnType<string | null, number | null | undefined, number | null>;
  created_at: Generated<Date>;
  finished_at: NullableTimestamp;
  expires_at: Timestamp;
}

// A type alias, not an interface: Kysely's withTables needs an index-signature-compatible record.
type ExportTables = {
  exports: ExportsTable;
};

type Db = Kysely<Tables>;
const own = (db: Db) => db.withTables<ExportTables>();

export type ExportRecord = Awaited<ReturnType<typeof findExport>> & object;

export async function insertExport(db: Db, values: { userId: string; groupId: string | null; country: string | null; format: ExportFormat; filters: unknown; rowsTotal: number; expiresAt: Date }): Promise<string> {
  const row = await own(db)
    .insertInto('exports')
    .values({ user_id: values.userId, group_id: values.groupId, country: values.country, format: values.format, filters: JSON.stringify(values.filters), rows_total: values.rowsTotal, expires_at: values.expiresAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findExport(db: Db, id: string) {
  return own(db).selectFrom('exports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function exportsOf(db: Db, userId: string, limit: number) {
  return own(db).selectFrom('exports').selectAll().where('user_id', '=', userId).where('expires_at', '>', sql<Date>`now()`).orderBy('created_at', 'desc').limit(limit).execute();
}

export async function markRunning(db: Db, id: string, fileName: string): Promise<boolean> {
  const result = await own(db).updateTable('exports').set({ status: 'running', file_name: fileName, rows_done: 0 }).where('id', '=', id).where('status', 'in', ['queued', 'running']).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markProgress(db: Db, id: string, rowsDone: number): Promise<void> {
  await own(db).updateTable('exports').set({ rows_done: rowsDone }).where('id', '=', id).execute();
}

export async function markDone(db: Db, id: string, rowsDone: number, bytes: number): Promise<void> {
  await own(db).updateTable('exports').set({ status: 'done', rows_done: rowsDone, rows_total: rowsDone, bytes, finished_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

export async function markFailed(db: Db, id: string): Promise<void> {
  await own(db).updateTable('exports').set({ status: 'failed', finished_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

/** Expired exports, oldest first: the sweep deletes their files, then their rows. */
export async function expiredExports(db: Db, limit: number) {
  return own(db).selectFrom('exports').select(['id', 'file_name']).where('expires_at', '<=', sql<Date>`now()`).orderBy('expires_at').limit(limit).execute();
}

export async function deleteExports(db: Db, ids: string[]): Promise<void> {
  if (ids.length) await own(db).deleteFrom('exports').where('id', 'in', ids).execute();
}
