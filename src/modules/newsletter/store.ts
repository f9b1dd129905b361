/** SQL of the newsletter module: lists, subscribers, suppressions, editions and deliveries. */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { DeliveryStatus, EditionStatus, NewsletterTables, SuppressionReason } from './tables.ts';

type Db = Kysely<Tables>;
const own = (db: Db) => db.withTables<NewsletterTables>();

export async function listKeys(db: Db): Promise<string[]> {
  const rows = await own(db).selectFrom('newsletter_lists').select('key').orderBy('position').execute();
  return rows.map((row) => row.key);
}

export async function listCounts(db: Db): Promise<{ key: string; subscribers: number }[]> {
  const rows = await own(db)
    .selectFrom('newsletter_lists as l')
    .leftJoin('newsletter_subscriptions as s', 's.list_key', 'l.key')
    .select(['l.key', sql<number>`count(s.subscriber_id)::int`.as('subscribers')])
    .groupBy(['l.key', 'l.position'])
    .orderBy('l.position')
    .execute();
  return rows;
}

// ---------------------------------------------------------------- subscribers

export interface SubscriberRow {
  id: string;
  email_hash: Buffer;
  email_sealed: string;
  name_sealed: string | null;
  language: string;
  confirmed_at: Date;
  link_version: number;
  created_at: Date;
}

export async function subscriberByHash(db: Db, emailHash: Buffer): Promise<SubscriberRow | undefined> {
  return own(db).selectFrom('newsletter_subscribers').selectAll().where('email_hash', '=', emailHash).executeTakeFirst();
}

export async function subscriberById(db: Db, id: string): Promise<SubscriberRow | undefined> {
  return own(db).selectFrom('newsletter_subscribers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Creates the subscriber, or returns the one that already has this address (a second confirmation). */
export async function upsertSubscriber(db: Db, row: { emailHash: Buffer; emailSealed: string; nameSealed: string | null; language: string }): Promise<{ id: string; created: boolean; linkVersion: number }> {
  const inserted = await own(db)
    .insertInto('newsletter_subscribers')
    .values({ email_hash: row.emailHash, email_sealed: row.emailSealed, name_sealed: row.nameSealed, language: row.language, confirmed_at: new Date() })
    .onConflict((oc) => oc.column('email_hash').doNothing())
    .returning(['id', 'link_version'])
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true, linkVersion: inserted.link_version };
  const existing = await own(db).selectFrom('newsletter_subscribers').select(['id', 'link_version']).where('email_hash', '=', row.emailHash).executeTakeFirstOrThrow();
  return { id: existing.id, created: false, linkVersion: existing.link_version };
}

export async function subscribedLists(db: Db, subscriberId: string): Promise<{ list_key: string; subscribed_at: Date }[]> {
  return own(db).selectFrom('newsletter_subscriptions').select(['list_key', 'subscribed_at']).where('subscriber_id', '=', subscriberId).orderBy('list_key').execute();
}

/** Adds lists; returns the ones that were new. */
export async function addSubscriptions(db: Db, subscriberId: string, lists: string[]): Promise<string[]> {
  if (lists.length === 0) return [];
  const rows = await own(db)
    .insertInto('newsletter_subscriptions')
    .values(lists.map((list_key) => ({ subscriber_id: subscriberId, list_key })))
    .onConflict((oc) => oc.columns(['subscriber_id', 'list_key']).doNothing())
    .returning('list_key')
    .execute();
  return rows.map((row) => row.list_key);
}

export async function setSubscriptions(db: Db, subscriberId: string, lists: string[]): Promise<void> {
  let remove = own(db).deleteFrom('newsletter_subscriptions').where('subscriber_id', '=', subscriberId);
  if (lists.length > 0) remove = remove.where('list_key', 'not in', lists);
  await remove.execute();
  await addSubscriptions(db, subscriberId, lists);
}

export async function removeAllSubscriptions(db: Db, subscriberId: string): Promise<number> {
  const result = await own(db).deleteFrom('newsletter_subscriptions').where('subscriber_id', '=', subscriberId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function updateSubscriber(db: Db, id: string, changes: { language?: string; nameSealed?: string | null; bumpLinkVersion?: boolean }): Promise<void> {
  await own(db)
    .updateTable('newsletter_subscribers')
    .set({
      ...(changes.language ? { language: changes.language } : {}),
      ...(changes.nameSealed !== undefined ? { name_sealed: changes.nameSealed } : {}),
      ...(changes.bumpLinkVersion ? { link_version: sql<number>`link_version + 1` } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteSubscriber(db: Db, id: string): Promise<boolean> {
  const result = await own(db).deleteFrom('newsletter_subscribers').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deliveriesOf(db: Db, subscriberId: string): Promise<{ subject: string; status: string; sent_at: Date | null }[]> {
  return own(db)
    .selectFrom('newsletter_deliveries as d')
    .innerJoin('newsletter_editions as e', 'e.id', 'd.edition_id')
    .select(['e.subject', 'd.status', 'd.sent_at'])
    .where('d.subscriber_id', '=', subscriberId)
    .orderBy('e.created_at')
    .execute();
}

// ---------------------------------------------------------------- suppressions

export async function suppress(db: Db, emailHash: Buffer, reason: SuppressionReason): Promise<boolean> {
  const row = await own(db)
    .insertInto('newsletter_suppressions')
    .values({ email_hash: emailHash, reason })
    // A complaint outranks a bounce: it is the stronger reason never to write again.
    .onConflict((oc) => oc.column('email_hash').doUpdateSet({ reason: sql`case when excluded.reason = 'complaint' then 'complaint' else newsletter_suppressions.reason end` }))
    .returning('email_hash')
    .executeTakeFirst();
  return row !== undefined;
}

export async function suppressionOf(db: Db, emailHash: Buffer): Promise<SuppressionReason | undefined> {
  const row = await own(db).selectFrom('newsletter_suppressions').select('reason').where('email_hash', '=', emailHash).executeTakeFirst();
  return row?.reason;
}

export async function liftSuppression(db: Db, emailHash: Buffer): Promise<void> {
  await own(db).deleteFrom('newsletter_suppressions').where('email_hash', '=', emailHash).execute();
}

// ---------------------------------------------------------------- editions

export interface EditionRow {
  id: string;
  subject: string;
  body_markdown: string;
  lists: string[];
  status: EditionStatus;
  scheduled_for: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  send_started_at: Date | null;
  sent_at: Date | null;
  sent_count: number | null;
}

export async function insertEdition(db: Db, row: { subject: string; bodyMarkdown: string; lists: string[]; createdBy: string }): Promise<string> {
  const inserted = await own(db)
    .insertInto('newsletter_editions')
    .values({ subject: row.subject, body_markdown: row.bodyMarkdown, lists: row.lists, created_by: row.createdBy, sent_count: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function editionById(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<EditionRow | undefined> {
  let query = own(db).selectFrom('newsletter_editions').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst());
}

export async function listEditions(db: Db): Promise<EditionRow[]> {
  return (await own(db).selectFrom('newsletter_editions').selectAll().orderBy('created_at', 'desc').limit(100).execute());
}

export async function updateEdition(db: Db, id: string, changes: Partial<{ subject: string; bodyMarkdown: string; lists: string[]; status: EditionStatus; scheduledFor: Date | null; sendStartedAt: Date; sentAt: Date; sentCount: number }>): Promise<void> {
  await own(db)
    .updateTable('newsletter_editions')
    .set({
      updated_at: new Date(),
      ...(changes.subject !== undefined ? { subject: changes.subject } : {}),
      ...(changes.bodyMarkdown !== undefined ? { body_markdown: changes.bodyMarkdown } : {}),
      ...(changes.lists !== undefined ? { lists: changes.lists } : {}),
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(changes.scheduledFor !== undefined ? { scheduled_for: changes.scheduledFor } : {}),
      ...(changes.sendStartedAt !== undefined ? { send_started_at: changes.sendStartedAt } : {}),
      ...(changes.sentAt !== undefined ? { sent_at: changes.sentAt } : {}),
      ...(changes.sentCount !== undefined ? { sent_count: changes.sentCount } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function dueEditions(db: Db, now: Date): Promise<string[]> {
  const rows = await own(db).selectFrom('newsletter_editions').select('id').where('status', '=', 'scheduled').where('scheduled_for', '<=', now).execute();
  return rows.map((row) => row.id);
}

export async function sendingEditions(db: Db): Promise<string[]> {
  const rows = await own(db).selectFrom('newsletter_editions').select('id').where('status', '=', 'sending').execute();
  return rows.map((row) => row.id);
}

// ---------------------------------------------------------------- deliveries

/** One delivery row per subscriber of any of the lists who is not suppressed; returns how many. */
export async function createDeliveries(db: Db, editionId: string, lists: string[]): Promise<number> {
  const result = await sql`
    insert into newsletter_deliveries (edition_id, subscriber_id)
    select distinct ${editionId}::uuid, s.subscriber_id
    from newsletter_subscriptions s
    join newsletter_subscribers r on r.id = s.subscriber_id
    where s.list_key = any(${sql.val(lists)}::text[])
      and not exists (select 1 from newsletter_suppressions x where x.email_hash = r.email_hash)
    on conflict do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Claims up to `limit` pending deliveries for one sender. SKIP LOCKED: two processes claiming at
 * once take different rows, and neither waits for the other. The rows locked by the CTE are updated
 * by their ctid (a TID scan): joining back on subscriber_id made the planner probe the partial
 * index once per row without its leading column, quadratic in the edition's size.
 */
export async function claimDeliveries(db: Db, editionId: string, worker: string, limit: number): Promise<string[]> {
  const result = await sql<{ subscriber_id: string }>`
    with picked as (
      select ctid from newsletter_deliveries
      where edition_id = ${editionId} and status = 'pending'
      order by subscriber_id
      limit ${limit}
      for update skip locked
    )
    update newsletter_deliveries d
    set status = 'sending', claimed_by = ${worker}, claimed_at = now(), attempts = d.attempts + 1
    where d.ctid = any(array(select ctid from picked)) and d.status = 'pending'
    returning d.subscriber_id`.execute(db);
  return result.rows.map((row) => row.subscriber_id);
}

export interface Recipient {
  id: string;
  email_sealed: string;
  name_sealed: string | null;
  language: string;
  link_version: number;
  /** Still on one of the edition's lists and not suppressed. */
  wanted: boolean;
}

export async function recipients(db: Db, subscriberIds: string[], lists: string[]): Promise<Recipient[]> {
  if (subscriberIds.length === 0) return [];
  const result = await sql<Recipient>`
    select r.id, r.email_sealed, r.name_sealed, r.language, r.link_version,
      (exists (select 1 from newsletter_subscriptions s where s.subscriber_id = r.id and s.list_key = any(${sql.val(lists)}::text[]))
       and not exists (select 1 from newsletter_suppressions x where x.email_hash = r.email_hash)) as wanted
    from newsletter_subscribers r
    where r.id = any(${sql.val(subscriberIds)}::uuid[])`.execute(db);
  return result.rows;
}

/** Marks claimed deliveries; only rows still claimed by this sender change. */
export async function markDeliveries(db: Db, editionId: string, worker: string, subscriberIds: string[], status: DeliveryStatus): Promise<void> {
  if (subscriberIds.length === 0) return;
  await sql`
    update newsletter_deliveries
    set status = ${status}, sent_at = case when ${status} = 'sent' then now() else sent_at end
    where edition_id = ${editionId} and claimed_by = ${worker} and status = 'sending'
      and subscriber_id = any(${sql.val(subscriberIds)}::uuid[])`.execute(db);
}

/** A failed attempt goes back to pending, or to failed after `maxAttempts`. */
export async function releaseDeliveries(db: Db, editionId: string, worker: string, subscriberIds: string[], maxAttempts: number): Promise<void> {
  if (subscriberIds.length === 0) return;
  await sql`
    update newsletter_deliveries
    set status = case when attempts >= ${maxAttempts} then 'failed' else 'pending' end, claimed_by = null, claimed_at = null
    where edition_id = ${editionId} and claimed_by = ${worker} and status = 'sending'
      and subscriber_id = any(${sql.val(subscriberIds)}::uuid[])`.execute(db);
}

/**
 * Claims older than the lease belong to a sender that died between handing a message to the mail
 * server and recording it. Whether it went out is unknown, so it is never sent again.
 */
export async function expireStaleClaims(db: Db, editionId: string, leaseSeconds: number): Promise<number> {
  const result = await sql`
    update newsletter_deliveries set status = 'uncertain'
    where edition_id = ${editionId} and status = 'sending' and claimed_at < now() - make_interval(secs => ${leaseSeconds})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export type Progress = Record<DeliveryStatus, number>;

export async function progress(db: Db, editionId: string): Promise<Progress> {
  const rows = await own(db).selectFrom('newsletter_deliveries').select(['status', sql<number>`count(*)::int`.as('n')]).where('edition_id', '=', editionId).groupBy('status').execute();
  const counts: Progress = { pending: 0, sending: 0, sent: 0, skipped: 0, failed: 0, uncertain: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** Ends the edition once no delivery is pending or in flight; returns whether this call ended it. */
export async function finishEdition(db: Db, editionId: string): Promise<boolean> {
  const result = await sql<{ id: string }>`
    update newsletter_editions e
    set status = 'sent', sent_at = now(), updated_at = now(),
      sent_count = (select count(*)::int from newsletter_deliveries d where d.edition_id = e.id and d.status = 'sent')
    where e.id = ${editionId} and e.status = 'sending'
      and not exists (select 1 from newsletter_deliveries d where d.edition_id = ${editionId} and d.status in ('pending', 'sending'))
    returning e.id`.execute(db);
  return result.rows.length > 0;
}

export async function hasPending(db: Db, editionId: string): Promise<boolean> {
  const row = await own(db).selectFrom('newsletter_deliveries').select('subscriber_id').where('edition_id', '=', editionId).where('status', '=', 'pending').limit(1).executeTakeFirst();
  return row !== undefined;
}
