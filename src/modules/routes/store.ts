/** SQL of the routes module's own tables: the CTDC context layer (migrations/0013_create_route_flows.sql). */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { CodeKind, CtdcCount } from './ctdc-parse.ts';

interface CtdcImportsTable {
  id: string;
  label: string;
  file_name: string;
  codes: CodeKind;
  records: number;
  rejected: number;
  imported_at: Date;
}

interface CtdcFlowCountsTable {
  import_id: string;
  year: number;
  citizenship: string;
  exploitation_country: string;
  exploitation_types: string[];
  records: number;
}

type Db = Kysely<Tables>;
const own = (db: Db) => db.withTables<{ ctdc_imports: CtdcImportsTable; ctdc_flow_counts: CtdcFlowCountsTable }>();

export interface CtdcLayer {
  id: string;
  label: string;
  codes: CodeKind;
  records: number;
  importedAt: Date;
}

export interface CtdcLeaf {
  year: number;
  citizenship: string;
  exploitationCountry: string;
  types: string[];
  records: number;
}

export async function insertCtdcImport(db: Db, values: { label: string; fileName: string; codes: CodeKind; records: number; rejected: number }, counts: readonly CtdcCount[]): Promise<string> {
  const { id } = await own(db)
    .insertInto('ctdc_imports')
    .values({ label: values.label, file_name: values.fileName, codes: values.codes, records: values.records, rejected: values.rejected } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let start = 0; start < counts.length; start += 1000) {
    const batch = counts.slice(start, start + 1000).map((c) => ({
      import_id: id,
      year: c.year,
      citizenship: c.citizenship,
      exploitation_country: c.exploitationCountry,
      exploitation_types: sql<string[]>`${sql.val(c.types)}::text[]`,
      records: c.records,
    }));
    await own(db).insertInto('ctdc_flow_counts').values(batch).execute();
  }
  return id;
}

/** The layer shown: the newest import. */
export async function newestCtdcLayer(db: Db): Promise<CtdcLayer | undefined> {
  const row = await own(db).selectFrom('ctdc_imports').select(['id', 'label', 'codes', 'records', 'imported_at']).orderBy('imported_at', 'desc').orderBy('id').limit(1).executeTakeFirst();
  return row && { id: row.id, label: row.label, codes: row.codes, records: row.records, importedAt: new Date(row.imported_at) };
}

/**
 * The layer's leaves (year × citizenship × country of exploitation × exact type set) holding at
 * least `k` records, in the years asked; smaller leaves never leave the database. `country`: only
 * leaves whose citizenship or country of exploitation is that country.
 */
export async function ctdcLeaves(db: Db, importId: string, options: { fromYear?: number | undefined; toYear?: number | undefined; country?: string | undefined; k: number }): Promise<CtdcLeaf[]> {
  let query = own(db)
    .selectFrom('ctdc_flow_counts')
    .select(['year', 'citizenship', 'exploitation_country', 'exploitation_types', 'records'])
    .where('import_id', '=', importId)
    .where('records', '>=', options.k);
  if (options.fromYear !== undefined) query = query.where('year', '>=', options.fromYear);
  if (options.toYear !== undefined) query = query.where('year', '<=', options.toYear);
  if (options.country) {
    const country = options.country;
    query = query.where((eb) => eb.or([eb('citizenship', '=', country), eb('exploitation_country', '=', country)]));
  }
  const rows = await query.execute();
  return rows.map((r) => ({ year: r.year, citizenship: r.citizenship, exploitationCountry: r.exploitation_country, types: r.exploitation_types, records: r.records }));
}

/** The years the layer has records for (0, unknown, left out). */
export async function ctdcYears(db: Db, importId: string): Promise<number[]> {
  const rows = await own(db).selectFrom('ctdc_flow_counts').select('year').distinct().where('import_id', '=', importId).where('year', '>', 0).orderBy('year').execute();
  return rows.map((r) => r.year);
}
