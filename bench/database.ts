/**
 * A fresh, empty PostgreSQL database per bench run on the server DATABASE_URL names, dropped
 * afterwards: every run seeds the same data into an empty database, so runs compare, and the keys a
 * run's random instance key made are never met by the next run's different key.
 */
import crypto from 'node:crypto';
import pg from 'pg';

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function freshBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `cast_bench_${crypto.randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
