/**
 * A PostgreSQL connection that dies while a query runs on it (a database restart, a failover, an
 * operator ending sessions) must fail that query and nothing else: pg emits 'error' on a client in
 * use, and an unheard 'error' event would end the whole process.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { createTestDatabase, POSTGRES_URL, testEngine } from '../../../test/support/database.ts';
import { openDatabase } from './database.ts';

describe('losing a PostgreSQL connection in use', { skip: testEngine() !== 'postgres' && 'PostgreSQL only: PGlite has no connections to lose' }, () => {
  test('the query in flight fails, the process carries on, and the next query gets a new connection', async () => {
    const testDatabase = await createTestDatabase('postgres');
    const database = await openDatabase({ engine: 'postgres', url: testDatabase.url!, poolSize: 2 });
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]!.pid;
      const inFlight = database.db
        .transaction()
        .execute(async (trx) => {
          await sql`select pg_backend_pid()`.execute(trx);
          await sql`select pg_sleep(5)`.execute(trx);
        })
        .then(() => undefined, (error: unknown) => error);
      // The transaction holds the pool's first connection; end it from outside, as a restart would.
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      try {
        for (let i = 0; i < 50; i++) {
          const { rows } = await admin.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where query like 'select pg_sleep(5)%' and datname = current_database()");
          if (rows[0]!.n > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where query like $1', ['select pg_sleep(5)%']);
      } finally {
        await admin.end();
      }
      assert.ok((await inFlight) instanceof Error, 'the query in flight fails');
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(uncaught, [], 'no uncaught exception');
      const again = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]!.pid;
      assert.ok(again > 0 && typeof pid === 'number', 'the next query is answered');
    } finally {
      process.removeListener('uncaughtException', record);
      await database.db.destroy();
      await testDatabase.drop();
    }
  });
});
