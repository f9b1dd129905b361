/**
 * `cast restore FILE`: replaces the data of this database with a backup's, into either engine. It
 * refuses a backup of another schema version (columns would not line up), migrates an empty
 * database first, and does everything in one transaction, so a failed restore changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../core/db/database.ts';
import { appliedVersions, migrate } from '../core/db/migrate.ts';
import type { Tables } from '../core/db/tables.ts';
import { parse } from './args.ts';
import { BackupReader, PAGE_ROWS, readHeader, type EndLine, type Header, type SequencesLine, type TableLine } from './backup-format.ts';
import { publicMaterializedViews, publicTables, schemaVersion } from './catalog.ts';
import { withDatabase } from './context.ts';
import { CommandFailure, UsageError } from './errors.ts';

/** Also bounds a batch by size, for tables whose rows are large. */
const BATCH_CHARS = 8 * 1024 * 1024;

export async function run(args: string[]): Promise<number> {
  const parsed = parse('restore', args, {}, { min: 1, max: 1 });
  const file = path.resolve(parsed.positionals[0]!);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`no backup file at ${file}`, 'restore');
  const reader = new BackupReader(file);
  const header = await readHeader(reader, file);
  const result = await withDatabase(async (database) => {
    const migrated = await prepareTarget(database, header);
    if (migrated.length > 0) console.log(`migrated the empty database: ${migrated.join(', ')}`);
    return database.db.transaction().execute((trx) => load(trx, reader, file));
  });
  console.log(`restored ${result.rows} rows in ${result.tables} tables from ${file} (backup of ${header.createdAt})`);
  return 0;
}

async function prepareTarget(database: Database, header: Header): Promise<string[]> {
  const migrated = (await appliedVersions(database)).size === 0 ? await migrate(database) : [];
  const version = await schemaVersion(database.db);
  if (version !== header.schemaVersion) {
    throw new CommandFailure(
      `the backup is at schema version ${header.schemaVersion} but this database is at ${version}: ` +
        `restore it with the cast release that wrote it, into a database at version ${header.schemaVersion}`,
    );
  }
  return migrated;
}

async function load(trx: Kysely<Tables>, reader: BackupReader, file: string): Promise<{ tables: number; rows: number }> {
  try {
    // Replica mode skips triggers: the audit log's append-only guard (which also refuses TRUNCATE)
    // and the foreign-key checks, for this transaction only.
    await sql`set local session_replication_role = replica`.execute(trx);
  } catch (error) {
    if ((error as { code?: string }).code === '42501') throw new CommandFailure('restore needs a superuser database connection (to switch triggers off while loading)');
    throw error;
  }
  const targetTables = new Map((await publicTables(trx)).map((table) => [table.name, table]));
  if (targetTables.size > 0) await sql`truncate ${sql.join([...targetTables.keys()].map((name) => sql.id('public', name)))}`.execute(trx);

  const totals = { tables: 0, rows: 0 };
  for (;;) {
    const line = await reader.next<TableLine | SequencesLine>('a table or the sequences', (v) => typeof v.table === 'string' || Array.isArray(v.sequences));
    if ('sequences' in line) {
      for (const sequence of line.sequences) {
        const called = sequence.lastValue !== null;
        await sql`select setval(${`public.${quoteIdent(sequence.name)}`}::regclass, ${String(sequence.lastValue ?? sequence.startValue)}::bigint, ${called})`.execute(trx);
      }
      break;
    }
    const target = targetTables.get(line.table);
    if (!target) throw new CommandFailure(`the backup has a table "${line.table}" this database does not have`);
    const missing = line.columns.filter((column) => !target.columns.includes(column));
    if (missing.length > 0) throw new CommandFailure(`table "${line.table}" of the backup has columns this database lacks: ${missing.join(', ')}`);
    await loadTable(trx, reader, file, line);
    totals.tables += 1;
    totals.rows += line.rows;
  }
  const end = await reader.next<EndLine>('the end marker', (v) => v.end === true);
  if (end.tables !== totals.tables || end.rows !== totals.rows) throw new CommandFailure(`${file} is damaged: its end marker does not match its contents`);

  for (const view of await publicMaterializedViews(trx)) await sql`refresh materialized view ${sql.id('public', view)}`.execute(trx);
  return totals;
}

async function loadTable(trx: Kysely<Tables>, reader: BackupReader, file: string, line: TableLine): Promise<void> {
  const relation = sql.id('public', line.table);
  const columns = sql.join(line.columns.map((column) => sql.id(column)));
  const insert = (batch: string[]) =>
    // json_populate_recordset turns PostgreSQL's own JSON back into typed values (hex into bytea, …);
    // OVERRIDING SYSTEM VALUE keeps the ids of identity columns, which the audit chain relies on.
    sql`insert into ${relation} (${columns}) overriding system value
        select ${columns} from json_populate_recordset(null::${relation}, ${`[${batch.join(',')}]`}::json)`.execute(trx);
  let batch: string[] = [];
  let chars = 0;
  for (let index = 0; index < line.rows; index += 1) {
    const row = await reader.nextText();
    if (row === undefined || !row.startsWith('{')) throw new CommandFailure(`${file} is damaged or incomplete in table "${line.table}" (line ${reader.lineNumber})`);
    batch.push(row);
    chars += row.length;
    if (batch.length >= PAGE_ROWS || chars >= BATCH_CHARS) {
      await insert(batch);
      batch = [];
      chars = 0;
    }
  }
  if (batch.length > 0) await insert(batch);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
