/**
 * Declaration retention (decision 0018): a signature never confirmed never counts, so its personal
 * data (name, address, postcode, the address's hash and domain, the client hash) is erased some days
 * after its confirmation link expired. Confirmed signatures are erased after the declaration closes
 * (erasure.ts, the operator's setting).
 */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { readSettings } from './store.ts';

/** Erases up to `limit` unconfirmed signatures whose link expired before `before`. Returns how many. */
export async function eraseUnconfirmedSignatures(db: Kysely<Tables>, before: Date, now: Date, limit: number): Promise<number> {
  const result = await sql`
    update declaration_signatures set email_hash = null, name_sealed = null, email_sealed = null, postcode_sealed = null,
      email_domain = null, ip_hash = null, token_hash = null, token_expires_at = null, erased_at = ${now}
    where erased_at is null
      and id in (select id from declaration_signatures where confirmed_at is null and erased_at is null and token_expires_at < ${before} limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** How many days after a declaration closes its signers' personal data is erased (the operator's setting), for the privacy notice. */
export async function signatureErasureDays(db: Kysely<Tables>): Promise<number> {
  return (await readSettings(db)).eraseAfterDays;
}
