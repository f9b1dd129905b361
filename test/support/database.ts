/**
 * Test databases, cloned from one migrated template so each test file starts in about a second:
 * PGlite loads a dumped data directory; PostgreSQL creates a database from a template database.
 * The engine comes from CAST_TEST_ENGINE (pglite by default); scripts/test.ts prepares templates.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/core/db/database.ts';
import { migrate, MIGRATIONS_DIR } from '../../src/core/db/migrate.ts';
import { createJobs } from '../../src/core/jobs.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TMP = path.join(ROOT, '.test-tmp');
export const POSTGRES_URL = process.env.CAST_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export type TestEngine = 'pglite' | 'postgres';

export function testEngine(): TestEngine {
  return process.env.CAST_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';
}

/** Changes whenever a migration or the job queue's version changes, so stale templates are rebuilt. */
function templateFingerprint(): string {
  const hash = crypto.createHash('sha256');
  for (const file of fs.readdirSync(MIGRATIONS_DIR).sort()) hash.update(file).update(fs.readFileSync(path.join(MIGRATIONS_DIR, file)));
  hash.update(JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/pg-boss/package.json'), 'utf8')).version);
  return hash.digest('hex').slice(0, 12);
}

const pgliteTemplateFile = () => path.join(TMP, `pglite-template-${templateFingerprint()}.tar.gz`);

/** The migrated PGlite template as a data-directory dump, e.g. to fill a data directory a server process then opens. */
export async function pgliteTemplate(): Promise<Blob> {
  await prepareTemplate('pglite');
  return new Blob([fs.readFileSync(pgliteTemplateFile())]);
}

const postgresTemplateName = () => `cast_template_${templateFingerprint()}`;

function serverUrl(database: string): string {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function installSchema(database: Database): Promise<void> {
  await migrate(database);
  const jobs = createJobs(database);
  await jobs.start({ work: false });
  await jobs.stop();
}

export async function isPostgresReachable(url = POSTGRES_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Builds the template for an engine if it is missing. Run once, before the test files. */
export async function prepareTemplate(engine: TestEngine): Promise<void> {
  fs.mkdirSync(TMP, { recursive: true });
  if (engine === 'pglite') {
    const file = pgliteTemplateFile();
    if (fs.existsSync(file)) return;
    const database = await openDatabase({ engine: 'pglite' });
    await installSchema(database);
    const dump = await database.pglite!.dumpDataDir('gzip');
    await database.close();
    fs.writeFileSync(`${file}.tmp`, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(`${file}.tmp`, file);
    return;
  }
  const name = postgresTemplateName();
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount) return;
    const building = `${name}_building`;
    await admin.query(`drop database if exists ${building}`);
    await admin.query(`create database ${building}`);
    const database = await openDatabase({ engine: 'postgres', url: serverUrl(building), poolSize: 2 });
    await installSchema(database);
    await database.close();
    await admin.query(`alter database ${building} rename to ${name}`);
  } finally {
    await admin.end();
  }
}

export interface TestDatabase {
  database: Database;
  /** A connection string for the copy (PostgreSQL only), e.g. for the command-line tool. */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A fresh, migrated database of the engine under test. */
export async function createTestDatabase(engine: TestEngine = testEngine()): Promise<TestDatabase> {
  await prepareTemplate(engine);
  if (engine === 'pglite') {
    const template = new Blob([fs.readFileSync(pgliteTemplateFile())]);
    const database = await openDatabase({ engine: 'pglite', template });
    return { database, url: undefined, drop: () => database.close() };
  }
  const name = `cast_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${postgresTemplateName()}`);
  } finally {
    await admin.end();
  }
  const url = serverUrl(name);
  const database = await openDatabase({ engine: 'postgres', url, poolSize: 5 });
  return {
    database,
    url,
    async drop() {
      await database.close();
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
