/** SQL of the declaration module: declarations and their texts, signatures, counts and abuse settings. */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { DeclarationTables, DomainRuleKind, SignatureFlag } from './tables.ts';

type Db = Kysely<Tables>;
const own = (db: Db) => db.withTables<DeclarationTables>();

const TALLY_LOCK = 7_291_015;

// ------------------------------------------------------------------ declarations

export interface DeclarationRow {
  id: string;
  slug: string;
  opens_at: Date;
  closes_at: Date | null;
  created_at: Date;
  erased_at: Date | null;
}

export interface TextRow {
  declaration_id: string;
  language: string;
  title: string;
  summary: string;
  body: string;
}

const declarationColumns = ['id', 'slug', 'opens_at', 'closes_at', 'created_at', 'erased_at'] as const;

export async function listDeclarations(db: Db): Promise<DeclarationRow[]> {
  return own(db).selectFrom('declarations').select(declarationColumns).orderBy('opens_at', 'desc').orderBy('slug').execute();
}

export async function findDeclaration(db: Db, by: { id: string } | { slug: string }): Promise<DeclarationRow | undefined> {
  const query = own(db).selectFrom('declarations').select(declarationColumns);
  return ('id' in by ? query.where('id', '=', by.id) : query.where('slug', '=', by.slug)).executeTakeFirst();
}

export async function textsOf(db: Db, declarationIds: readonly string[]): Promise<TextRow[]> {
  if (declarationIds.length === 0) return [];
  return own(db).selectFrom('declaration_texts').selectAll().where('declaration_id', 'in', declarationIds).orderBy('language').execute();
}

export interface DeclarationFields {
  slug: string;
  opensAt: Date;
  closesAt: Date | null;
  texts: { language: string; title: string; summary: string; body: string }[];
}

export async function insertDeclaration(db: Db, fields: DeclarationFields): Promise<string> {
  const row = await own(db)
    .insertInto('declarations')
    .values({ slug: fields.slug, opens_at: fields.opensAt, closes_at: fields.closesAt })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return '';
  await replaceTexts(db, row.id, fields.texts);
  return row.id;
}

export async function updateDeclaration(db: Db, id: string, fields: DeclarationFields): Promise<'ok' | 'slug-taken' | 'missing'> {
  const clash = await own(db).selectFrom('declarations').select('id').where('slug', '=', fields.slug).where('id', '<>', id).executeTakeFirst();
  if (clash) return 'slug-taken';
  const result = await own(db).updateTable('declarations').set({ slug: fields.slug, opens_at: fields.opensAt, closes_at: fields.closesAt }).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return 'missing';
  await replaceTexts(db, id, fields.texts);
  return 'ok';
}

async function replaceTexts(db: Db, id: string, texts: DeclarationFields['texts']): Promise<void> {
  await own(db).deleteFrom('declaration_texts').where('declaration_id', '=', id).execute();
  if (texts.length > 0) await own(db).insertInto('declaration_texts').values(texts.map((t) => ({ declaration_id: id, ...t }))).execute();
}

// ------------------------------------------------------------------ signatures

export interface NewSignature {
  id: string;
  declarationId: string;
  emailHash: Buffer;
  nameSealed: string;
  emailSealed: string;
  postcodeSealed: string | null;
  emailDomain: string;
  ipHash: string;
  country: string;
  language: string;
  optIn: boolean;
  tokenHash: Buffer;
  tokenExpiresAt: Date;
  flag: SignatureFlag | null;
}

/** Inserts a batch; a second signature with an address already used for that declaration is skipped. Returns the ids written. */
export async function insertSignatures(db: Db, rows: readonly NewSignature[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const written = await own(db)
    .insertInto('declaration_signatures')
    .values(
      rows.map((r) => ({
        id: r.id,
        declaration_id: r.declarationId,
        email_hash: r.emailHash,
        name_sealed: r.nameSealed,
        email_sealed: r.emailSealed,
        postcode_sealed: r.postcodeSealed,
        email_domain: r.emailDomain,
        ip_hash: r.ipHash,
        country: r.country,
        language: r.language,
        opt_in: r.optIn,
        token_hash: r.tokenHash,
        token_expires_at: r.tokenExpiresAt,
        flag: r.flag,
      })),
    )
    .onConflict((oc) => oc.columns(['declaration_id', 'email_hash']).doNothing())
    .returning('id')
    .execute();
  return new Set(written.map((row) => row.id));
}

export interface ExistingSignature {
  id: string;
  declaration_id: string;
  email_hash: Buffer | null;
  confirmed_at: Date | null;
  flag: SignatureFlag | null;
}

export async function signaturesByEmail(db: Db, keys: readonly { declarationId: string; emailHash: Buffer }[]): Promise<ExistingSignature[]> {
  if (keys.length === 0) return [];
  return own(db)
    .selectFrom('declaration_signatures')
    .select(['id', 'declaration_id', 'email_hash', 'confirmed_at', 'flag'])
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('declaration_id', '=', k.declarationId), eb('email_hash', '=', k.emailHash)]))))
    .execute();
}

/** A fresh confirmation token for a signature not yet confirmed. */
export async function renewToken(db: Db, id: string, tokenHash: Buffer, expiresAt: Date): Promise<boolean> {
  const result = await own(db)
    .updateTable('declaration_signatures')
    .set({ token_hash: tokenHash, token_expires_at: expiresAt })
    .where('id', '=', id)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface ConfirmedSignature {
  id: string;
  declaration_id: string;
  country: string;
  flag: SignatureFlag | null;
  opt_in: boolean;
  language: string;
  email_sealed: string | null;
}

/** Marks a signature confirmed, once: a second use of the token finds nothing to confirm. */
export async function confirmByToken(db: Db, tokenHash: Buffer, now: Date): Promise<ConfirmedSignature | undefined> {
  return own(db)
    .updateTable('declaration_signatures')
    .set({ confirmed_at: now })
    .where('token_hash', '=', tokenHash)
    .where('confirmed_at', 'is', null)
    .where('token_expires_at', '>', now)
    .where('erased_at', 'is', null)
    .returning(['id', 'declaration_id', 'country', 'flag', 'opt_in', 'language', 'email_sealed'])
    .executeTakeFirst();
}

export async function signatureByToken(db: Db, tokenHash: Buffer) {
  return own(db)
    .selectFrom('declaration_signatures')
    .select(['id', 'declaration_id', 'confirmed_at', 'token_expires_at', 'erased_at', 'flag'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

// ------------------------------------------------------------------ counts

export async function addDeltas(db: Db, deltas: readonly { declarationId: string; country: string; delta: number }[]): Promise<void> {
  if (deltas.length === 0) return;
  await own(db)
    .insertInto('declaration_count_deltas')
    .values(deltas.map((d) => ({ declaration_id: d.declarationId, country: d.country, delta: d.delta })))
    .execute();
}

/**
 * Folds the waiting deltas into the counts, in one transaction. Rows that arrive meanwhile are not
 * seen by the delete and wait for the next tally. Returns how many deltas were folded (0 when
 * another process holds the tally).
 */
export async function tally(db: Db): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${TALLY_LOCK}) as locked`.execute(trx);
    if (!rows[0]?.locked) return 0;
    const moved = await sql<{ declaration_id: string; country: string; delta: string; n: string }>`
      with gone as (delete from declaration_count_deltas returning declaration_id, country, delta)
      select declaration_id, country, sum(delta)::bigint as delta, count(*)::bigint as n from gone group by declaration_id, country`.execute(trx);
    if (moved.rows.length === 0) return 0;
    await own(trx)
      .insertInto('declaration_counts')
      .values(moved.rows.map((r) => ({ declaration_id: r.declaration_id, country: r.country, total: Number(r.delta) })))
      .onConflict((oc) => oc.columns(['declaration_id', 'country']).doUpdateSet({ total: sql`declaration_counts.total + excluded.total` }))
      .execute();
    return moved.rows.reduce((sum, r) => sum + Number(r.n), 0);
  });
}

/** Counts per country: the folded totals plus the deltas still waiting, so a reading is exact. */
export async function countsByCountry(db: Db, declarationId: string): Promise<{ country: string; total: number }[]> {
  const { rows } = await sql<{ country: string; total: string }>`
    select country, sum(total)::bigint as total from (
      select country, total from declaration_counts where declaration_id = ${declarationId}
      union all
      select country, delta::bigint from declaration_count_deltas where declaration_id = ${declarationId}
    ) both_parts group by country having sum(total) > 0 order by sum(total) desc, country`.execute(db);
  return rows.map((r) => ({ country: r.country, total: Number(r.total) }));
}

// ------------------------------------------------------------------ abuse controls

export interface Settings {
  burstMax: number;
  burstSeconds: number;
  sustainedMax: number;
  sustainedSeconds: number;
  eraseAfterDays: number;
}

export async function readSettings(db: Db): Promise<Settings> {
  const row = await own(db).selectFrom('declaration_settings').selectAll().executeTakeFirstOrThrow();
  return { burstMax: row.burst_max, burstSeconds: row.burst_seconds, sustainedMax: row.sustained_max, sustainedSeconds: row.sustained_seconds, eraseAfterDays: row.erase_after_days };
}

export async function writeSettings(db: Db, s: Settings): Promise<void> {
  await own(db)
    .updateTable('declaration_settings')
    .set({ burst_max: s.burstMax, burst_seconds: s.burstSeconds, sustained_max: s.sustainedMax, sustained_seconds: s.sustainedSeconds, erase_after_days: s.eraseAfterDays, updated_at: new Date() })
    .execute();
}

export async function domainRules(db: Db): Promise<{ domain: string; kind: DomainRuleKind }[]> {
  return own(db).selectFrom('declaration_domain_rules').select(['domain', 'kind']).orderBy('kind').orderBy('domain').execute();
}

export async function addDomainRule(db: Db, domain: string, kind: DomainRuleKind): Promise<void> {
  await own(db).insertInto('declaration_domain_rules').values({ domain, kind }).onConflict((oc) => oc.column('domain').doUpdateSet({ kind })).execute();
}

export async function removeDomainRule(db: Db, domain: string): Promise<boolean> {
  const result = await own(db).deleteFrom('declaration_domain_rules').where('domain', '=', domain).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface Trend {
  key: string;
  signatures: number;
  marked: number;
  confirmed: number;
}

/** The domains or address hashes with the most signatures since a moment. */
export async function trending(db: Db, declarationId: string, by: 'email_domain' | 'ip_hash', since: Date, limit = 20): Promise<Trend[]> {
  const column = sql.ref(by);
  const { rows } = await sql<{ key: string; signatures: string; marked: string; confirmed: string }>`
    select ${column} as key, count(*) as signatures, count(flag) as marked, count(confirmed_at) as confirmed
    from declaration_signatures
    where declaration_id = ${declarationId} and created_at >= ${since} and ${column} is not null
    group by ${column} order by count(*) desc, ${column} limit ${limit}`.execute(db);
  return rows.map((r) => ({ key: r.key, signatures: Number(r.signatures), marked: Number(r.marked), confirmed: Number(r.confirmed) }));
}

/**
 * Marks every not-yet-marked signature of a domain or an address hash (since a moment) as
 * invalidated, and takes the confirmed ones off the counts. Returns how many were marked.
 */
export async function invalidate(db: Db, declarationId: string, by: 'email_domain' | 'ip_hash', value: string, since: Date): Promise<number> {
  const marked = await own(db)
    .updateTable('declaration_signatures')
    .set({ flag: 'invalidated' })
    .where('declaration_id', '=', declarationId)
    .where(by, '=', value)
    .where('created_at', '>=', since)
    .where('flag', 'is', null)
    .returning(['country', 'confirmed_at'])
    .execute();
  const byCountry = new Map<string, number>();
  for (const row of marked) if (row.confirmed_at) byCountry.set(row.country, (byCountry.get(row.country) ?? 0) - 1);
  await addDeltas(db, [...byCountry].map(([country, delta]) => ({ declarationId, country, delta })));
  return marked.length;
}

// ------------------------------------------------------------------ erasure

/** Declarations closed more than `days` ago whose signatures still hold personal data. */
export async function dueForErasure(db: Db, days: number, now: Date): Promise<string[]> {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const rows = await own(db).selectFrom('declarations').select('id').where('erased_at', 'is', null).where('closes_at', 'is not', null).where('closes_at', '<=', cutoff).execute();
  return rows.map((r) => r.id);
}

/** Erases up to `limit` signatures' personal data; returns how many. */
export async function eraseSignatures(db: Db, declarationId: string, now: Date, limit: number): Promise<number> {
  const result = await sql`
    update declaration_signatures set email_hash = null, name_sealed = null, email_sealed = null, postcode_sealed = null,
      email_domain = null, ip_hash = null, token_hash = null, token_expires_at = null, erased_at = ${now}
    where id in (select id from declaration_signatures where declaration_id = ${declarationId} and erased_at is null limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function markErased(db: Db, declarationId: string, now: Date): Promise<void> {
  await own(db).updateTable('declarations').set({ erased_at: now }).where('id', '=', declarationId).execute();
}
