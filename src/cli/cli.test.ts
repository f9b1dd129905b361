/**
 * The `cast` command as an operator runs it: a child process with its configuration in the
 * environment, judged by exit codes and output. Runs on the engine of CAST_TEST_ENGINE, and restores
 * that engine's backup into the other engine (into PostgreSQL only when a server is reachable).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import pg from 'pg';
import { verifyPassword } from '../core/auth/passwords.ts';
import { openDatabase, type Database } from '../core/db/database.ts';
import { listMigrations } from '../core/db/migrate.ts';
import { runCast, type CastResult } from '../../test/support/cast-cli.ts';
import { Client } from '../../test/support/client.ts';
import { createTestDatabase, isPostgresReachable, POSTGRES_URL, testEngine } from '../../test/support/database.ts';
import { startTestServer } from '../../test/support/server.ts';

/** The schema version is the highest migration number (numbers are unique, not consecutive). */
const latestMigration = listMigrations().at(-1)!.version;

const PASSWORD = 'a long and varied pass phrase';
const SECRET = crypto.randomBytes(32).toString('base64');

type Result = CastResult;

const cast = (args: string[], env: Record<string, string>, input = ''): Promise<Result> => runCast(args, { CAST_SECRET: SECRET, ...env }, input);

/** A database the CLI can be pointed at, and that the test can open between CLI runs. */
interface Target {
  env: Record<string, string>;
  /** PGlite has one session per data directory, so the test opens it only while no CLI runs. */
  use<T>(work: (database: Database) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

const temporaryDirs: string[] = [];
function temporaryDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cast-cli-'));
  temporaryDirs.push(dir);
  return dir;
}

function pgliteTarget(dataDir: string): Target {
  return {
    env: { CAST_DATA_DIR: dataDir },
    async use(work) {
      const database = await openDatabase({ engine: 'pglite', dataDir: path.join(dataDir, 'pglite') });
      try {
        return await work(database);
      } finally {
        await database.close();
      }
    },
    drop: async () => {},
  };
}

function postgresTarget(testDatabase: { database: Database; url: string; drop(): Promise<void> }): Target {
  return { env: { CAST_DATA_DIR: temporaryDir(), DATABASE_URL: testDatabase.url }, use: (work) => work(testDatabase.database), drop: () => testDatabase.drop() };
}

/** A migrated database with the job-queue schema, copied from the test template (fast). */
async function migratedTarget(): Promise<Target> {
  const testDatabase = await createTestDatabase();
  if (testDatabase.url) return postgresTarget({ ...testDatabase, url: testDatabase.url });
  // The CLI opens PGlite from a data directory: write the template's copy into one.
  const dump = await testDatabase.database.pglite!.dumpDataDir('none');
  await testDatabase.drop();
  const dataDir = temporaryDir();
  const seeded = await openDatabase({ engine: 'pglite', dataDir: path.join(dataDir, 'pglite'), template: dump });
  await seeded.close();
  return pgliteTarget(dataDir);
}

/** A PostgreSQL database nothing was ever applied to. */
async function emptyPostgres(): Promise<{ database: Database; url: string; drop(): Promise<void> }> {
  const name = `cast_cli_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 2 });
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** An empty database of the engine under test: a fresh PGlite directory, or an empty PostgreSQL database. */
async function emptyTarget(): Promise<Target> {
  return testEngine() === 'postgres' ? postgresTarget(await emptyPostgres()) : pgliteTarget(temporaryDir());
}

/** Everything a restore must bring back, as PostgreSQL prints it, so both engines compare alike. */
async function snapshot(database: Database): Promise<Record<string, string[]>> {
  const tables: Record<string, string> = {
    users: 'select row_to_json(t)::text as r from users t order by id',
    user_roles: 'select row_to_json(t)::text as r from user_roles t order by user_id, role',
    api_tokens: `select row_to_json(t)::text || encode(token_hash, 'hex') as r from api_tokens t order by id`,
    audit_log: 'select row_to_json(t)::text as r from audit_log t order by id',
    throttle_counters: `select count(*) || ' ' || md5(string_agg(row_to_json(t)::text, ',' order by key, window_start)) as r from throttle_counters t`,
  };
  const result: Record<string, string[]> = {};
  await database.db.transaction().execute(async (trx) => {
    await sql`set local timezone = 'UTC'`.execute(trx);
    for (const [table, query] of Object.entries(tables)) {
      result[table] = (await sql<{ r: string }>`${sql.raw(query)}`.execute(trx)).rows.map((row) => row.r);
    }
  });
  return result;
}

function assertUsage(result: Result, fragment: RegExp, helpFor = ''): void {
  assert.equal(result.code, 2, `exit code for ${result.stderr}`);
  assert.match(result.stderr, fragment);
  assert.ok(result.stderr.includes(`Run "cast help${helpFor ? ` ${helpFor}` : ''}" for usage.`), result.stderr);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

describe('cast command', { timeout: 600_000 }, () => {
  const noDatabase = { CAST_DATA_DIR: path.join(os.tmpdir(), 'cast-cli-never-created') };

  test('help lists every command, and each command has its own help', async () => {
    const [overview, flag, user, group] = await Promise.all([
      cast(['help'], noDatabase),
      cast(['--help'], noDatabase),
      cast(['help', 'user', 'create'], noDatabase),
      cast(['user', 'create', '--help'], noDatabase),
    ]);
    assert.equal(overview.code, 0);
    for (const command of ['migrate', 'user create', 'token create', 'audit verify', 'backup FILE', 'restore FILE', 'help']) {
      assert.ok(overview.stdout.includes(`cast ${command}`), `help mentions ${command}`);
    }
    assert.equal(flag.stdout, overview.stdout);
    assert.equal(user.code, 0);
    assert.match(user.stdout, /--password-stdin/);
    assert.match(user.stdout, /national-coordinator/);
    assert.equal(group.stdout, user.stdout);
    assert.equal(fs.existsSync(noDatabase.CAST_DATA_DIR), false, 'help touches no database');
  });

  test('a wrong command or argument says what is wrong and exits 2', async () => {
    const results = await Promise.all([
      cast(['frobnicate'], noDatabase),
      cast(['help', 'frobnicate'], noDatabase),
      cast(['user'], noDatabase),
      cast(['user', 'delete'], noDatabase),
      cast(['user', 'create', '--role', 'admin', '--password-stdin'], noDatabase),
      cast(['user', 'create', '--email', 'a@example.org', '--role', 'king', '--password-stdin'], noDatabase),
      cast(['user', 'create', '--email', 'a@example.org', '--role', 'national-coordinator', '--password-stdin'], noDatabase),
      cast(['user', 'create', '--email', 'a@example.org', '--role', 'national-coordinator', '--country', 'gb', '--password-stdin'], noDatabase),
      cast(['user', 'create', '--email', 'a@example.org', '--role', 'member', '--country', 'GB', '--password-stdin'], noDatabase),
      cast(['user', 'create', '--email', 'a@example.org', '--role', 'member'], noDatabase),
      cast(['user', 'create', '--email', 'a@example.org', '--role', 'member', '--password-stdin'], noDatabase, ''),
      cast(['token', 'create', '--email', 'a@example.org', '--scopes', 'account:read,everything'], noDatabase),
      cast(['token', 'create', '--email'], noDatabase),
      cast(['migrate', '--force'], noDatabase),
      cast(['backup'], noDatabase),
      cast(['backup', 'a', 'b'], noDatabase),
      cast(['restore', path.join(os.tmpdir(), 'no-such-backup.jsonl.gz')], noDatabase),
    ]);
    const expected: [RegExp, string][] = [
      [/unknown command "frobnicate"/, ''],
      [/no command called "frobnicate"/, ''],
      [/"user" needs a subcommand/, 'user'],
      [/unknown subcommand "user delete"/, 'user'],
      [/--email is required/, 'user create'],
      [/unknown role "king"/, 'user create'],
      [/--country is required for a national-coordinator/, 'user create'],
      [/--country must be two upper-case letters/, 'user create'],
      [/--country is only for a national-coordinator/, 'user create'],
      [/--password-stdin is required/, 'user create'],
      [/no password on standard input/, 'user create'],
      [/unknown scope "everything"/, 'token create'],
      [/option --email needs a value/, 'token create'],
      [/unknown option --force/, 'migrate'],
      [/missing argument/, 'backup'],
      [/unexpected argument "b"/, 'backup'],
      [/no backup file at/, 'restore'],
    ];
    results.forEach((result, index) => assertUsage(result, expected[index]![0], expected[index]![1]));
  });

  test('a configuration error is reported without a stack trace, exit 2', async () => {
    const result = await cast(['audit', 'verify'], { ...noDatabase, CAST_SECRET: 'c2hvcnQ=', DATABASE_URL: 'mysql://localhost/cast' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Invalid configuration/);
    assert.match(result.stderr, /CAST_SECRET must be base64 of at least 32 random bytes/);
    assert.match(result.stderr, /DATABASE_URL must start with postgres/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  describe('on a database', () => {
    let source: Target;
    let fresh: Target;
    let adminId: string;
    let token: string;
    let backupFile: string;
    let entries: number;

    before(async () => {
      [source, fresh] = await Promise.all([migratedTarget(), emptyTarget()]);
    });

    after(async () => {
      await Promise.all([source?.drop(), fresh?.drop()]);
      for (const dir of temporaryDirs) fs.rmSync(dir, { recursive: true, force: true });
    });

    test('migrate applies what is pending, then has nothing to do', async () => {
      const first = await cast(['migrate'], fresh.env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /^applied 0001_create_foundation$/m);
      const again = await cast(['migrate'], source.env);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /up to date/);
    });

    test('user create takes the password from stdin and the person can sign in with it', async () => {
      const created = await cast(['user', 'create', '--email', 'Ada@Example.org', '--role', 'admin', '--password-stdin'], source.env, `${PASSWORD}\nignored second line\n`);
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, /^[0-9a-f-]{36}\n$/);
      adminId = created.stdout.trim();

      const coordinator = await cast(
        ['user', 'create', '--email', 'nat@example.org', '--role', 'national-coordinator', '--country', 'GB', '--name', 'Nat Coordinator', '--password-stdin'],
        source.env,
        PASSWORD, // no trailing newline: the end of input ends the line too
      );
      assert.equal(coordinator.code, 0, coordinator.stderr);

      // One after the other: two processes must never open one PGlite directory at once.
      const taken = await cast(['user', 'create', '--email', 'ada@example.org', '--role', 'member', '--password-stdin'], source.env, `${PASSWORD}\n`);
      const weak = await cast(['user', 'create', '--email', 'weak@example.org', '--role', 'member', '--password-stdin'], source.env, 'short\n');
      assert.equal(taken.code, 1, taken.stderr);
      assert.match(taken.stderr, /account not created: email: An account with this e-mail address already exists/);
      assert.equal(weak.code, 1);
      assert.match(weak.stderr, /account not created: password: Use at least 10 characters/);

      await source.use(async (database) => {
        const ada = await database.db.selectFrom('users').selectAll().where('id', '=', adminId).executeTakeFirstOrThrow();
        assert.equal(ada.email, 'ada@example.org');
        assert.ok(ada.email_confirmed_at, 'an operator-made account is confirmed');
        assert.equal(await verifyPassword(ada.password_hash, PASSWORD), true);
        assert.equal(await verifyPassword(ada.password_hash, `${PASSWORD}\n`), false);
        const nat = await database.db
          .selectFrom('users')
          .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
          .select(['display_name', 'role', 'country'])
          .where('email', '=', 'nat@example.org')
          .executeTakeFirstOrThrow();
        assert.deepEqual(nat, { display_name: 'Nat Coordinator', role: 'national-coordinator', country: 'GB' });
      });
    });

    test('token create prints only a token, and the token authenticates the API', async () => {
      const issued = await cast(['token', 'create', '--email', 'ADA@example.org', '--scopes', 'account:read', '--name', 'monitoring'], source.env);
      assert.equal(issued.code, 0, issued.stderr);
      assert.match(issued.stdout, /^cast_\S+\n$/);
      token = issued.stdout.trim();

      const unknown = await cast(['token', 'create', '--email', 'nobody@example.org', '--scopes', 'account:read'], source.env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /no account with the e-mail address nobody@example.org/);

      // The server gets its own handle: stopping it closes the database it was given.
      const database = testEngine() === 'postgres' ? await openDatabase({ engine: 'postgres', url: source.env.DATABASE_URL!, poolSize: 2 }) : await openDatabase({ engine: 'pglite', dataDir: path.join(source.env.CAST_DATA_DIR!, 'pglite') });
      const server = await startTestServer({ testDatabase: { database, url: undefined, drop: () => database.close() } });
      try {
        const client = new Client(server.url);
        const me = await client.json('GET', '/api/v1/me', undefined, token);
        assert.equal(me.status, 200, me.text);
        assert.equal(me.json<{ id: string; email: string }>().email, 'ada@example.org');
        assert.equal((await client.json('GET', '/api/v1/me', undefined, `${token}x`)).status, 401);
      } finally {
        await server.close();
      }
    });

    test('audit verify passes on an intact chain', async () => {
      const result = await cast(['audit', 'verify'], source.env);
      assert.equal(result.code, 0, result.stderr);
      const match = /^audit log verified: (\d+) entries$/m.exec(result.stdout);
      assert.ok(match, result.stdout);
      entries = Number(match[1]);
      assert.ok(entries >= 3, 'two accounts and a token were recorded');
    });

    test('backup writes a gzip’d JSON-lines file with a header, every table and an end marker', async () => {
      backupFile = path.join(temporaryDir(), 'cast.jsonl.gz');
      // More rows than one page (5,000), so paging on backup and batching on restore both happen.
      await source.use((database) =>
        database.runScript(`insert into throttle_counters (key, window_start, hits, expires_at)
          select 'k' || n, now(), n, now() + interval '1 day' from generate_series(1, 12345) n`),
      );
      const result = await cast(['backup', backupFile], source.env);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /backup written to .*cast\.jsonl\.gz: \d+ tables, \d+ rows/);
      assert.equal(fs.existsSync(`${backupFile}.partial`), false);

      const lines = gunzipSync(fs.readFileSync(backupFile)).toString('utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
      const header = lines[0];
      assert.equal(header.format, 'cast-backup');
      assert.equal(header.version, 1);
      assert.equal(header.schemaVersion, latestMigration);
      assert.ok(!Number.isNaN(Date.parse(header.createdAt)));
      const tables = lines.filter((line) => typeof line.table === 'string').map((line) => line.table);
      for (const table of ['users', 'user_roles', 'api_tokens', 'audit_log', 'sessions']) assert.ok(tables.includes(table), `backup has ${table}`);
      assert.ok(!tables.includes('schema_migrations'));
      assert.ok(tables.indexOf('users') < tables.indexOf('user_roles') && tables.indexOf('users') < tables.indexOf('api_tokens'), 'parents before children');
      const apiTokens = lines[lines.findIndex((line) => line.table === 'api_tokens') + 1];
      assert.match(apiTokens.token_hash, /^\\x[0-9a-f]{64}$/, 'bytea as hex');
      assert.deepEqual(lines.at(-1), { end: true, tables: tables.length, rows: lines.length - tables.length - 3 });
      assert.equal(lines.find((line) => line.table === 'throttle_counters').rows, 12345);
    });

    test('restore into a fresh database brings back identical data and a valid audit chain', async () => {
      const restored = await cast(['restore', backupFile], fresh.env);
      assert.equal(restored.code, 0, restored.stderr);
      assert.match(restored.stdout, /restored \d+ rows in \d+ tables/);

      const verified = await cast(['audit', 'verify'], fresh.env);
      assert.equal(verified.code, 0, verified.stderr);
      assert.match(verified.stdout, new RegExp(`audit log verified: ${entries} entries`));

      const expected = await source.use(snapshot);
      const actual = await fresh.use(async (database) => {
        const hash = await database.db.selectFrom('api_tokens').select('token_hash').executeTakeFirstOrThrow();
        assert.equal(Buffer.from(hash.token_hash).length, 32, 'token hashes come back as 32 bytes of bytea');
        return snapshot(database);
      });
      assert.ok(expected.audit_log!.length === entries);
      assert.deepEqual(actual, expected);

      // Identity sequences continue after the restored ids: new entries append to the same chain.
      const more = await cast(['token', 'create', '--email', 'ada@example.org', '--scopes', 'account:write'], fresh.env);
      assert.equal(more.code, 0, more.stderr);
      const after = await cast(['audit', 'verify'], fresh.env);
      assert.match(after.stdout, new RegExp(`audit log verified: ${entries + 1} entries`));
    });

    test('restore refuses another schema version or a damaged file, and changes nothing', async () => {
      const lines = gunzipSync(fs.readFileSync(backupFile)).toString('utf8').trimEnd().split('\n');
      const dir = path.dirname(backupFile);
      const newer = path.join(dir, 'newer.jsonl.gz');
      fs.writeFileSync(newer, gzipSync([lines[0]!.replace(/"schemaVersion":\d+/, '"schemaVersion":99'), ...lines.slice(1)].join('\n') + '\n'));
      const cut = path.join(dir, 'cut.jsonl.gz');
      fs.writeFileSync(cut, gzipSync(lines.slice(0, -1).join('\n') + '\n'));
      const text = path.join(dir, 'text.jsonl');
      fs.writeFileSync(text, lines.join('\n'));

      const refused = await cast(['restore', newer], fresh.env);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`the backup is at schema version 99 but this database is at ${latestMigration}`));
      const incomplete = await cast(['restore', cut], fresh.env);
      assert.equal(incomplete.code, 1);
      assert.match(incomplete.stderr, /ends early .* the backup is incomplete/);
      const notGzip = await cast(['restore', text], fresh.env);
      assert.equal(notGzip.code, 1);
      assert.match(notGzip.stderr, /is not a cast backup/);
      for (const result of [refused, incomplete, notGzip]) assert.doesNotMatch(result.stderr, /\n\s+at /);

      const verified = await cast(['audit', 'verify'], fresh.env);
      assert.match(verified.stdout, new RegExp(`audit log verified: ${entries + 1} entries`), 'the failed restores rolled back');
    });

    test('audit verify finds a tampered entry and exits 1', async () => {
      await source.use(async (database) => {
        await database.runScript(`
          alter table audit_log disable trigger user;
          update audit_log set action = 'account.deleted' where id = (select min(id) + 1 from audit_log);
          alter table audit_log enable trigger user;`);
      });
      const result = await cast(['audit', 'verify'], source.env);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /audit log chain broken at entry id \d+ \(entry 2 in order\): the entry was altered/);
    });

    test('a backup restores into the other engine', async (t) => {
      // PGlite → PostgreSQL needs a server; PostgreSQL → PGlite is what the postgres run already has.
      if (testEngine() === 'pglite' && !(await isPostgresReachable())) return t.skip('PostgreSQL is not reachable');
      const target = testEngine() === 'pglite' ? postgresTarget(await emptyPostgres()) : pgliteTarget(temporaryDir());
      try {
        const restored = await cast(['restore', backupFile], target.env);
        assert.equal(restored.code, 0, restored.stderr);
        assert.match(restored.stdout, /migrated the empty database: 0001_create_foundation/);
        const verified = await cast(['audit', 'verify'], target.env);
        assert.equal(verified.code, 0, verified.stderr);
        assert.match(verified.stdout, new RegExp(`audit log verified: ${entries} entries`));
        // Compared with the first restored copy: the source was tampered with in the test before, and
        // the copy has one token and one audit entry more.
        const [copy, other] = [await fresh.use(snapshot), await target.use(snapshot)];
        assert.deepEqual(other.users, copy.users);
        assert.deepEqual(other.user_roles, copy.user_roles);
        assert.deepEqual(other.throttle_counters, copy.throttle_counters);
        assert.deepEqual(other.audit_log, copy.audit_log!.slice(0, entries));
        assert.deepEqual(other.api_tokens, copy.api_tokens!.filter((row) => !row.includes('"account:write"')));
      } finally {
        await target.drop();
      }
    });
  });
});
