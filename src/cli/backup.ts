/**
 * `cast backup FILE`: a logical backup that restores into either engine (PGlite → PostgreSQL when an
 * instance outgrows one machine, and back for a laptop copy), which a data-directory copy cannot do.
 * It reads one consistent snapshot, table by table through a cursor in pages, so big tables never
 * sit in memory, and writes to FILE.partial, renamed only when complete: a FILE is always whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../core/db/database.ts';
import type { Tables } from '../core/db/tables.ts';
import { parse } from './args.ts';
import { FORMAT, PAGE_ROWS, VERSION, type EndLine, type Header, type SequencesLine, type TableLine } from './backup-format.ts';
import { publicSequences, publicTables, schemaVersion } from './catalog.ts';
import { withDatabase } from './context.ts';
import { UsageError } from './errors.ts';

export async function run(args: string[]): Promise<number> {
  const parsed = parse('backup', args, {}, { min: 1, max: 1 });
  const file = path.resolve(parsed.positionals[0]!);
  if (!fs.existsSync(path.dirname(file))) throw new UsageError(`the folder ${path.dirname(file)} does not exist`, 'backup');
  const summary = await withDatabase((database) => writeBackup(database, file));
  console.log(`backup written to ${file}: ${summary.tables} tables, ${summary.rows} rows`);
  return 0;
}

/**
 * Writes the backup of an open database. The command opens its own; a test may pass a running
 * server's, which is the only way to reach a live PGlite (its data directory belongs to one process).
 */
export async function writeBackup(database: Database, file: string): Promise<{ tables: number; rows: number }> {
  const partial = `${file}.partial`;
  try {
    const result = await database.db.transaction().execute(async (trx) => {
      // Repeatable read: every table from the same moment. Set by hand because PGlite's driver
      // ignores Kysely's isolation option.
      await sql`set transaction isolation level repeatable read, read only`.execute(trx);
      await sql`set local timezone = 'UTC'`.execute(trx);
      await sql`set local bytea_output = 'hex'`.execute(trx);
      await sql`set local extra_float_digits = 1`.execute(trx);
      const totals = { tables: 0, rows: 0 };
      await pipeline(Readable.from(backupLines(trx, database.engine, totals)), createGzip(), fs.createWriteStream(partial, { mode: 0o600 }));
      return totals;
    });
    fs.renameSync(partial, file);
    return result;
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

async function* backupLines(trx: Kysely<Tables>, engine: string, totals: { tables: number; rows: number }): AsyncGenerator<string> {
  const header: Header = { format: FORMAT, version: VERSION, createdAt: new Date().toISOString(), schemaVersion: await schemaVersion(trx), engine };
  yield JSON.stringify(header) + '\n';
  for (const table of await publicTables(trx)) {
    const relation = sql.id('public', table.name);
    const { rows: counted } = await sql<{ n: number }>`select count(*)::int as n from ${relation}`.execute(trx);
    const rows = counted[0]!.n;
    const line: TableLine = { table: table.name, columns: table.columns, rows };
    yield JSON.stringify(line) + '\n';
    // A cursor reads each row once, in pages; keyset paging would re-sort the rest of the table per page.
    await sql`declare cast_backup no scroll cursor for select row_to_json(t)::text as r from ${relation} as t`.execute(trx);
    let written = 0;
    for (;;) {
      const page = await sql<{ r: string }>`fetch forward ${sql.raw(String(PAGE_ROWS))} from cast_backup`.execute(trx);
      if (page.rows.length === 0) break;
      written += page.rows.length;
      yield page.rows.map((row) => row.r).join('\n') + '\n';
    }
    await sql`close cast_backup`.execute(trx);
    if (written !== rows) throw new Error(`table ${table.name} changed while it was read (${rows} rows counted, ${written} read)`);
    totals.tables += 1;
    totals.rows += rows;
  }
  const sequences: SequencesLine = { sequences: await publicSequences(trx) };
  yield JSON.stringify(sequences) + '\n';
  const end: EndLine = { end: true, ...totals };
  yield JSON.stringify(end) + '\n';
}
