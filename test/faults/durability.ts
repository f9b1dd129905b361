/**
 * What a fault must never cost, read back from the database after the processes have stopped: every
 * request answered 2xx is stored (reports by reference and receipt code, signatures and confirmations
 * by address), the declaration's count equals its counted rows, the newsletter edition sent nobody
 * anything twice and left nothing behind but claims cut short (decision 0014); and the audit chain
 * verifies with `cast audit verify`, as an operator would run it (with no process holding PGlite).
 */
import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import type { Keyring } from '../../src/core/data-keys.ts';
import type { Database } from '../../src/core/db/database.ts';
import { createCountReader } from '../../src/modules/declaration/counts.ts';
import { receiptHash } from '../../src/modules/reports/receipt.ts';
import { ROOT } from '../support/database.ts';
import type { Mailbox } from '../support/mailbox.ts';
import { SLUG, type LoadRecord } from './load.ts';

export interface Findings {
  lostReports: string[];
  lostSignatures: string[];
  lostConfirmations: string[];
  /** The declaration's count as the site shows it, and the rows it should count. */
  counted: number;
  countableRows: number;
  /** Newsletter messages received more than once (extra copies). */
  duplicates: number;
  /** Deliveries marked sent that never arrived. */
  sentNotReceived: number;
  deliveries: Record<string, number>;
  /** The process id behind each delivery left claimed ('sending') or given up on ('uncertain'). */
  openClaimPids: number[];
}

/** Runs `cast audit verify` against the instance; resolves to its output, rejects when it fails. */
export function auditVerify(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/cast.js', 'audit', 'verify'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(output.trim()) : reject(new Error(`cast audit verify exited ${code}: ${output}`))));
  });
}

export async function readFindings(
  database: Database,
  keyring: Keyring,
  input: { load: LoadRecord; mailbox: Mailbox; editionId: string; subject: string },
): Promise<Findings> {
  const db = database.db;
  const { load } = input;

  const references = load.reports.map((r) => r.reference);
  const stored = references.length
    ? (await sql<{ reference: string; receipt_hash: Uint8Array }>`select reference, receipt_hash from reports where reference = any(${sql.val(references)}::text[])`.execute(db)).rows
    : [];
  const byReference = new Map(stored.map((row) => [row.reference, row.receipt_hash]));
  const lostReports = load.reports.filter((r) => {
    const hash = byReference.get(r.reference);
    // bytea comes back as a Buffer from pg and as a Uint8Array from PGlite.
    return !hash || !Buffer.from(hash).equals(receiptHash(r.receiptCode));
  }).map((r) => r.reference);

  const declaration = (await sql<{ id: string }>`select id from declarations where slug = ${SLUG}`.execute(db)).rows[0]!;
  const signatures = (await sql<{ email_sealed: string; confirmed_at: Date | null; flag: string | null }>`select email_sealed, confirmed_at, flag from declaration_signatures where declaration_id = ${declaration.id} and email_sealed is not null`.execute(db)).rows;
  const byEmail = new Map<string, { confirmed: boolean }>();
  for (const row of signatures) byEmail.set(await keyring.unseal(row.email_sealed), { confirmed: row.confirmed_at !== null });
  const lostSignatures = load.signatures.filter((email) => !byEmail.has(email));
  const lostConfirmations = load.confirmed.filter((email) => !byEmail.get(email)?.confirmed);
  const counted = (await createCountReader(db).read(declaration.id)).total;
  const countableRows = (await sql<{ n: number }>`select count(*)::int as n from declaration_signatures where declaration_id = ${declaration.id} and confirmed_at is not null and flag is null`.execute(db)).rows[0]!.n;

  const deliveryRows = (await sql<{ status: string; claimed_by: string | null; email_sealed: string }>`
    select d.status, d.claimed_by, s.email_sealed from newsletter_deliveries d join newsletter_subscribers s on s.id = d.subscriber_id
    where d.edition_id = ${input.editionId}`.execute(db)).rows;
  const deliveries: Record<string, number> = {};
  for (const row of deliveryRows) deliveries[row.status] = (deliveries[row.status] ?? 0) + 1;
  const received = new Map<string, number>();
  for (const mail of input.mailbox.messages) if (mail.subject === input.subject) for (const to of mail.to) received.set(to, (received.get(to) ?? 0) + 1);
  const duplicates = [...received.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  let sentNotReceived = 0;
  const openClaimPids: number[] = [];
  for (const row of deliveryRows) {
    if (row.status === 'sent' && !received.has((await keyring.unseal(row.email_sealed)).toLowerCase())) sentNotReceived += 1;
    if (row.status === 'sending' || row.status === 'uncertain') openClaimPids.push(Number(row.claimed_by?.split(':')[1]));
  }

  return { lostReports, lostSignatures, lostConfirmations, counted, countableRows, duplicates, sentNotReceived, deliveries, openClaimPids };
}
