/**
 * What a backup covers, read from the catalog rather than listed by hand, so a table added by a new
 * migration is backed up without anyone remembering to: every ordinary table of the `public` schema
 * except the migration ledger (each database keeps its own) and tables that belong to an extension
 * (the extension recreates them). Tables come parents first, so foreign keys hold row by row.
 */
import { sql, type Kysely } from 'kysely';

export interface TableInfo {
  name: string;
  /** Columns in table order; generated columns are computed again on insert, so they are left out. */
  columns: string[];
}

export interface SequenceState {
  name: string;
  /** null when the sequence was never used. */
  lastValue: number | null;
  startValue: number;
}

export const MIGRATIONS_TABLE = 'schema_migrations';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the catalog is not among the app's tables
type AnyDb = Kysely<any>;

export async function publicTables(db: AnyDb): Promise<TableInfo[]> {
  const { rows } = await sql<{ table: string; column: string }>`
    select c.relname as "table", a.attname as "column"
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    where n.nspname = 'public' and c.relkind = 'r' and c.relname <> ${MIGRATIONS_TABLE}
      and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
    order by c.relname, a.attnum`.execute(db);
  const tables = new Map<string, string[]>();
  for (const row of rows) tables.set(row.table, [...(tables.get(row.table) ?? []), row.column]);

  const { rows: edges } = await sql<{ child: string; parent: string }>`
    select child.relname as child, parent.relname as parent
    from pg_constraint k
    join pg_class child on child.oid = k.conrelid
    join pg_class parent on parent.oid = k.confrelid
    where k.contype = 'f' and k.connamespace = 'public'::regnamespace`.execute(db);

  return parentsFirst([...tables.keys()], edges).map((name) => ({ name, columns: tables.get(name)! }));
}

/**
 * Orders tables so every table comes after the tables it references. Self-references are ignored;
 * a cycle (legal in SQL with deferred keys) cannot be ordered, so its tables follow in name order —
 * harmless, because a restore runs with triggers, and so foreign-key checks, switched off.
 */
export function parentsFirst(names: string[], edges: { child: string; parent: string }[]): string[] {
  const known = new Set(names);
  const parents = new Map(names.map((name) => [name, new Set<string>()]));
  for (const { child, parent } of edges) if (child !== parent && known.has(child) && known.has(parent)) parents.get(child)!.add(parent);
  const ordered: string[] = [];
  const remaining = [...names].sort();
  while (remaining.length > 0) {
    const index = remaining.findIndex((name) => [...parents.get(name)!].every((parent) => ordered.includes(parent)));
    ordered.push(...remaining.splice(index === -1 ? 0 : index, 1));
  }
  return ordered;
}

export async function publicSequences(db: AnyDb): Promise<SequenceState[]> {
  const { rows } = await sql<{ name: string; last_value: number | null; start_value: number }>`
    select sequencename as name, last_value, start_value from pg_sequences where schemaname = 'public' order by sequencename`.execute(db);
  return rows.map((row) => ({ name: row.name, lastValue: row.last_value === null ? null : Number(row.last_value), startValue: Number(row.start_value) }));
}

export async function publicMaterializedViews(db: AnyDb): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select matviewname as name from pg_matviews where schemaname = 'public' order by matviewname`.execute(db);
  return rows.map((row) => row.name);
}

/** The highest applied migration, 0 for a database never migrated. */
export async function schemaVersion(db: AnyDb): Promise<number> {
  const { rows } = await sql<{ exists: boolean }>`select to_regclass('public.schema_migrations') is not null as exists`.execute(db);
  if (!rows[0]?.exists) return 0;
  const { rows: versions } = await sql<{ version: number | null }>`select max(version) as version from schema_migrations`.execute(db);
  return versions[0]?.version ?? 0;
}
