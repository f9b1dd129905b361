/**
 * One database API over two engines: PGlite (embedded, the default) and a PostgreSQL server (when
 * DATABASE_URL is set). Both speak the same SQL dialect, so everything above this file is the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config, Engine } from '../config.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { Mutex } from './mutex.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Tables } from './tables.ts';

/** The shape pg-boss needs to run its SQL. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface Database {
  readonly engine: Engine;
  readonly db: Kysely<Tables>;
  /** Runs a multi-statement SQL script as one transaction. */
  runScript(sql: string): Promise<void>;
  /** For pg-boss on PGlite, serialised with every other use of the single session. */
  readonly jobExecutor: SqlExecutor | undefined;
  readonly connectionString: string | undefined;
  /** The embedded instance, for data-directory dumps; undefined on a server. */
  readonly pglite: PGlite | undefined;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { engine: 'postgres'; url: string; poolSize?: number }
  | { engine: 'pglite'; dataDir?: string; template?: Blob };

const INT8 = 20;

/** Where the configured instance keeps its data: a PostgreSQL server, or PGlite under the data directory. */
export function databaseOptions(config: Pick<Config, 'databaseUrl' | 'dataDir'>): DatabaseOptions {
  return config.databaseUrl ? { engine: 'postgres', url: config.databaseUrl } : { engine: 'pglite', dataDir: path.join(config.dataDir, 'pglite') };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.engine === 'postgres' ? openPostgres(options.url, options.poolSize ?? 10) : openPglite(options);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // Counts and ids stay well below 2^53, so int8 as a number keeps both engines returning one type.
  const types = {
    getTypeParser: (oid: number, format?: string): ((value: string) => unknown) => (oid === INT8 ? Number : (pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown)),
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types, connectionTimeoutMillis: 5000 });
  // A server restart surfaces as an error on idle clients; the pool replaces them, requests retry.
  pool.on('error', () => {});
  // A client in use when its connection dies rejects its query (the caller answers 503) and also
  // emits 'error', which pg-pool listens for only while the client is idle: without this listener
  // a database restart during a request or job would be an uncaught exception and end the process.
  // The dead client is dropped when it is released (pg-pool checks it is still queryable).
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    db,
    connectionString: url,
    jobExecutor: undefined,
    pglite: undefined,
    async runScript(sql) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(sql);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async ping() {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

async function openPglite(options: { dataDir?: string; template?: Blob }): Promise<Database> {
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  // PGlite has no lock of its own: two processes on one directory would corrupt it.
  const unlock = options.dataDir ? lockDataDir(options.dataDir) : () => {};
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.template ? { loadDataDir: options.template } : {}),
      parsers: { [INT8]: Number },
    });
  } catch (error) {
    unlock();
    throw error;
  }
  const mutex = new Mutex();
  const db = new Kysely<Tables>({ dialect: new PGliteDialect(pglite, mutex) });
  let closed = false;
  const jobExecutor: SqlExecutor = {
    executeSql: (text, values) =>
      mutex.run(async () => {
        if (values && values.length > 0) return pglite.query(text, values);
        // pg-boss sends parameterless multi-statement blocks (BEGIN … COMMIT); exec runs them whole.
        try {
          const results = await pglite.exec(text);
          return { rows: results.flatMap((r) => r.rows ?? []) };
        } catch (error) {
          await pglite.query('rollback').catch(() => {});
          throw error;
        }
      }),
  };
  return {
    engine: 'pglite',
    db,
    connectionString: undefined,
    jobExecutor,
    pglite,
    runScript: (sql) =>
      mutex.run(async () => {
        try {
          await pglite.exec(`begin;\n${sql}\n;commit;`);
        } catch (error) {
          await pglite.query('rollback').catch(() => {});
          throw error;
        }
      }),
    async ping() {
      if (closed) return false;
      try {
        await mutex.run(() => pglite.query('select 1'));
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await mutex.run(() => pglite.close());
      unlock();
    },
  };
}
