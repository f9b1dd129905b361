/**
 * Forward-only migrations: numbered SQL files in migrations/, each applied once, in number order, in its
 * own transaction. Several processes may start at once; an advisory lock lets exactly one apply a
 * file and makes the others skip it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './database.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
const LOCK_ID = 7_291_001;

export interface Migration {
  version: number;
  name: string;
  file: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = FILE_NAME.exec(file);
      if (!match) throw new Error(`Migration file name must look like 0001_verb_object.sql: ${file}`);
      return { version: Number(match[1]), name: match[2]!, file: path.join(dir, file) };
    })
    .sort((a, b) => a.version - b.version);
  // Numbers must be unique, not consecutive: work on several modules lands in any order, and every
  // migration not yet recorded in schema_migrations is applied, whatever its number.
  migrations.forEach((migration, index) => {
    const before = migrations[index - 1];
    if (before?.version === migration.version) throw new Error(`Two migrations share number ${migration.version}: ${path.basename(before.file)}, ${path.basename(migration.file)}`);
  });
  return migrations;
}

export async function appliedVersions(database: Database): Promise<Set<number>> {
  // Under the lock too: two processes starting on an empty database would otherwise both create the
  // table, and one fails ("duplicate key … pg_type_typname_nsp_index": IF NOT EXISTS is not atomic).
  await database.runScript(
    `select pg_advisory_xact_lock(${LOCK_ID});
     create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`,
  );
  const { rows } = await sql<{ version: number }>`select version from schema_migrations`.execute(database.db);
  return new Set(rows.map((row) => row.version));
}

/** Applies every pending migration; returns the names applied by this call. */
export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const applied = await appliedVersions(database);
  const done: string[] = [];
  for (const migration of listMigrations(dir)) {
    if (applied.has(migration.version)) continue;
    const body = fs.readFileSync(migration.file, 'utf8');
    try {
      await database.runScript(
        `select pg_advisory_xact_lock(${LOCK_ID});
         insert into schema_migrations (version, name) values (${migration.version}, '${migration.name}');
         ${body}`,
      );
      done.push(`${String(migration.version).padStart(4, '0')}_${migration.name}`);
    } catch (error) {
      // Another process applied it while we waited for the lock.
      if ((error as { code?: string }).code === '23505') continue;
      throw new Error(`Migration ${path.basename(migration.file)} failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return done;
}
