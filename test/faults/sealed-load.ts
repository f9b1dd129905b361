/**
 * Load that writes restricted data, for the backup and key-rotation tests: anonymous reports with
 * every restricted field (the account, a precise place, vehicles, names, identifiers, the reporter's
 * contact) and declaration signatures (sealed name and e-mail), sent by a few connections until
 * stopped. Every acknowledged write is remembered with the moment its answer arrived, so a test can
 * say which were acknowledged before an operation started; then it checks that each one is there and
 * opens through the product's own reading paths.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { openKeyring } from '../../src/core/data-keys.ts';
import type { Tables } from '../../src/core/db/tables.ts';
import { Client } from '../support/client.ts';
import type { Person } from '../support/people.ts';

const SLUG = 'stop-the-traffik';

export type ReportBody = ReturnType<typeof reportBody>;

export interface SentReport {
  reference: string;
  body: ReportBody;
  /** Date.now() when the 201 arrived. */
  at: number;
}

export interface SentSignature {
  name: string;
  email: string;
  at: number;
}

/** Every field a reviewer opens differs per report, so a value opened from the wrong row shows. */
function reportBody(run: string, n: number) {
  const word = () => crypto.randomBytes(5).toString('hex');
  return {
    country: 'GB',
    // Spread over about a degree, so reports do not all link to each other as nearby places.
    location: { lat: 52 + (n % 20) * 0.05, lon: -2.5 + (Math.floor(n / 20) % 20) * 0.05 },
    place: `Unit ${n}, ${word()} trading estate`,
    placeType: 'car-wash',
    observedFrom: '2026-11-20',
    observedTime: 'evening',
    exploitationTypes: ['labour'],
    indicators: ['labour.group-transport', 'person.spoken-for'],
    peopleCount: 3,
    identifiers: [
      { kind: 'phone', value: `07700 9${String(n % 100_000).padStart(5, '0')}` },
      { kind: 'email', value: `boss.${run}.${n}@example.net` },
      { kind: 'handle', value: `@van_${run}_${n}` },
    ],
    names: [`${word()} ${word()}`],
    vehicles: `White van, plate starting ${word()}`,
    account: `Report ${run}-${n}: workers are dropped off at 6am and collected after 10pm (${word()}).`,
    contact: `reporter.${run}.${n}@example.org`,
    contactConsent: true,
  };
}

export class SealedLoad {
  readonly reports: SentReport[] = [];
  readonly signatures: SentSignature[] = [];
  /** Any answer but the expected one, or no answer: a correct instance under load has none. */
  readonly failures: string[] = [];
  readonly #run = crypto.randomBytes(3).toString('hex');
  #next = 0;
  #running = true;
  readonly #loops: Promise<void>[];
  readonly #waiters: { count: number; resolve: () => void }[] = [];

  constructor(
    readonly url: string,
    connections = 4,
  ) {
    this.#loops = Array.from({ length: connections }, () => this.#loop());
  }

  async #loop(): Promise<void> {
    while (this.#running) {
      const n = (this.#next += 1);
      // A fresh client each time: an anonymous visitor with no cookies.
      const client = new Client(this.url);
      try {
        if (n % 3 === 0) await this.#sign(client, n);
        else await this.#report(client, n);
      } catch (error) {
        this.failures.push(`request ${n}: ${(error as Error).message}`);
      }
    }
  }

  async #report(client: Client, n: number): Promise<void> {
    const body = reportBody(this.#run, n);
    const answer = await client.json('POST', '/api/v1/reports', body);
    if (answer.status !== 201) {
      this.failures.push(`report ${n}: ${answer.status} ${answer.text.slice(0, 200)}`);
      return;
    }
    this.reports.push({ reference: answer.json<{ reference: string }>().reference, body, at: Date.now() });
    for (const waiter of this.#waiters.filter((w) => this.reports.length >= w.count)) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  async #sign(client: Client, n: number): Promise<void> {
    const signature = { name: `Signer ${this.#run} ${n}`, email: `signer.${this.#run}.${n}@example.org` };
    const answer = await client.json('POST', `/api/v1/declarations/${SLUG}/signatures`, { ...signature, country: 'GB' });
    if (answer.status !== 202) this.failures.push(`signature ${n}: ${answer.status} ${answer.text.slice(0, 200)}`);
    else this.signatures.push({ ...signature, at: Date.now() });
  }

  /** Resolves once `count` reports in all have been acknowledged. */
  reportsReach(count: number): Promise<void> {
    if (this.reports.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Stops sending; requests in flight finish, so every write that committed has been answered. */
  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
  }
}

export type ReportView = {
  reference: string;
  account: string | null;
  vehicles: string | null;
  contact: string | null;
  names: string[];
  location: { lat?: number; lon?: number; place?: string } | null;
  identifiers: { kind: string; value: string }[];
};

const identifierList = (list: { kind: string; value: string }[]) => list.map((i) => `${i.kind}:${i.value}`).sort();

/**
 * Reads every report of the database through the reviewers' API (GET /api/v1/reports/:id, which
 * opens the restricted fields with the server's data keys) and compares each field with what was
 * sent. Returns the references found; fails on a report nobody sent or a field that differs.
 */
export async function openEveryReport(db: Kysely<Tables>, reviewer: Person, sent: SentReport[]): Promise<Set<string>> {
  const byReference = new Map(sent.map((report) => [report.reference, report.body]));
  const { rows } = await sql<{ id: string; reference: string }>`select id, reference from reports order by reference`.execute(db);
  for (const row of rows) {
    const body = byReference.get(row.reference);
    assert.ok(body, `report ${row.reference} is in the database but was never acknowledged`);
    const answer = await reviewer.api.json('GET', `/api/v1/reports/${row.id}`, undefined, reviewer.token);
    assert.equal(answer.status, 200, `report ${row.reference}: ${answer.text.slice(0, 200)}`);
    const view = answer.json<ReportView>();
    assert.deepEqual(
      { account: view.account, vehicles: view.vehicles, contact: view.contact, names: view.names, location: view.location, identifiers: identifierList(view.identifiers) },
      { account: body.account, vehicles: body.vehicles, contact: body.contact, names: body.names, location: { ...body.location, place: body.place }, identifiers: identifierList(body.identifiers) },
      `report ${row.reference} opens to what was sent`,
    );
  }
  return new Set(rows.map((row) => row.reference));
}

/** Opens every signature's sealed name and e-mail with the database's data keys; returns the e-mails. */
export async function openEverySignature(db: Kysely<Tables>, instanceKey: Buffer, sent: SentSignature[]): Promise<Set<string>> {
  const byEmail = new Map(sent.map((signature) => [signature.email, signature.name]));
  const keyring = await openKeyring(db, instanceKey);
  try {
    const { rows } = await sql<{ name_sealed: string; email_sealed: string }>`select name_sealed, email_sealed from declaration_signatures`.execute(db);
    const emails = new Set<string>();
    for (const row of rows) {
      const email = await keyring.unseal(row.email_sealed);
      assert.equal(await keyring.unseal(row.name_sealed), byEmail.get(email), `the signature of ${email} opens to what was sent`);
      emails.add(email);
    }
    return emails;
  } finally {
    await keyring.close();
  }
}

/**
 * Every text column of the public schema holding values sealed under a data key other than `keyId`
 * (or in the old `v1.` format), with their counts: found by looking at the values, not at the list
 * of sealed columns that key rotation works from, so a column missing from that list shows here.
 */
export async function valuesUnderOtherKeys(db: Kysely<Tables>, keyId: number): Promise<Record<string, number>> {
  const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = 'public' and c.data_type = 'text' order by 1, 2`.execute(db);
  const found: Record<string, number> = {};
  for (const { table_name: table, column_name: column } of columns) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(table)}
      where ${sql.ref(column)} ~ '^(k[0-9]+|v1)[.]' and ${sql.ref(column)} not like ${`k${keyId}.%`}`.execute(db);
    if (rows[0]!.n > 0) found[`${table}.${column}`] = rows[0]!.n;
  }
  return found;
}

/** Of the acknowledged writes, how many came before `start`, between `start` and `end`, and after. */
export function split<T extends { at: number }>(sent: T[], start: number, end: number): { before: T[]; during: T[]; after: T[] } {
  return { before: sent.filter((s) => s.at < start), during: sent.filter((s) => s.at >= start && s.at <= end), after: sent.filter((s) => s.at > end) };
}
