/**
 * The audit log: who did what to which thing, and when. Append-only (a trigger refuses updates and
 * deletes) and tamper-evident: every entry's hash covers the previous entry's hash, so removing or
 * editing any entry breaks the chain that `cast audit verify` walks. Details name things by id;
 * they never hold personal data.
 */
import { sql, type Kysely } from 'kysely';
import { sha256 } from './crypto.ts';
import type { Tables } from './db/tables.ts';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subject?: string | null;
  detail?: Record<string, unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);
const CHAIN_LOCK = 7_291_002;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function entryHash(prevHash: string, at: Date, entry: Required<AuditEntry>): string {
  const material = canonical([prevHash, at.toISOString(), entry.actorId, entry.action, entry.subject, entry.detail]);
  return sha256(material).toString('hex');
}

/** Appends an entry. Inside a transaction it commits or rolls back with the change it records. */
export async function appendAudit(db: Kysely<Tables>, entry: AuditEntry): Promise<void> {
  if (!db.isTransaction) {
    await db.transaction().execute((trx) => appendAudit(trx, entry));
    return;
  }
  const full = { actorId: entry.actorId, action: entry.action, subject: entry.subject ?? null, detail: entry.detail ?? {} };
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(db);
  const last = await db.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Millisecond precision: what JavaScript can hash is exactly what the database keeps.
  const at = new Date(Math.floor(Date.now()));
  await db
    .insertInto('audit_log')
    .values({
      at,
      actor_id: full.actorId,
      action: full.action,
      subject: full.subject,
      detail: JSON.stringify(full.detail),
      prev_hash: prevHash,
      hash: entryHash(prevHash, at, full),
    })
    .execute();
}

export type AuditVerification = { ok: true; entries: number } | { ok: false; entries: number; brokenAtId: number; problem: string };

/** Walks the whole chain in id order, in pages, recomputing every hash. */
export async function verifyAudit(db: Kysely<Tables>, pageSize = 2000): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let afterId = 0;
  let count = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', afterId).orderBy('id').limit(pageSize).execute();
    for (const row of rows) {
      count += 1;
      if (row.prev_hash !== prevHash) return { ok: false, entries: count, brokenAtId: row.id, problem: 'an entry before it was removed or changed' };
      const expected = entryHash(prevHash, new Date(row.at), {
        actorId: row.actor_id,
        action: row.action,
        subject: row.subject,
        detail: row.detail,
      });
      if (expected !== row.hash) return { ok: false, entries: count, brokenAtId: row.id, problem: 'the entry was altered' };
      prevHash = row.hash;
      afterId = row.id;
    }
    if (rows.length < pageSize) return { ok: true, entries: count };
  }
}
