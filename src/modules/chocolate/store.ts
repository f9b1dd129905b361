/** SQL of the chocolate module: scorecard, commitments, guide, campaigns and the action e-mail. */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { Certification, ChocolateTables, CommitmentStatus, Grade, MessageStatus } from './tables.ts';

type Db = Kysely<Tables>;
const c = (db: Db) => db.withTables<ChocolateTables>();
/** A date column as YYYY-MM-DD text, whatever the driver would make of it. */
const day = (column: string): RawBuilder<string> => sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;

// ---------------------------------------------------------------- scorecard

export const listCriteria = (db: Db) => c(db).selectFrom('chocolate_criteria').select(['id', 'slug', 'name', 'description', 'position']).orderBy('position').orderBy('slug').execute();
export type CriterionRow = Awaited<ReturnType<typeof listCriteria>>[number];

const companyColumns = ['id', 'slug', 'name', 'country', 'brands', 'parent_company', 'contact_email', 'website', 'suggested'] as const;

export async function listCompanies(db: Db, filter: { country?: string | undefined; q?: string | undefined } = {}) {
  let query = c(db).selectFrom('chocolate_companies').select(companyColumns);
  if (filter.country) query = query.where('country', '=', filter.country);
  if (filter.q) {
    const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    query = query.where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', pattern), sql<boolean>`exists (select 1 from unnest(brands) b where lower(b) like ${pattern})`]));
  }
  return query.orderBy(sql`lower(name)`).orderBy('id').execute();
}
export type CompanyRow = Awaited<ReturnType<typeof listCompanies>>[number];

export const findCompany = (db: Db, slug: string) => c(db).selectFrom('chocolate_companies').select(companyColumns).where('slug', '=', slug).executeTakeFirst();
export const companiesByIds = (db: Db, ids: readonly string[]) =>
  ids.length === 0 ? Promise.resolve([]) : c(db).selectFrom('chocolate_companies').select(companyColumns).where('id', 'in', ids).execute();

export async function assessmentYears(db: Db): Promise<number[]> {
  const rows = await c(db).selectFrom('chocolate_assessments').select('year').distinct().orderBy('year', 'desc').execute();
  return rows.map((r) => Number(r.year));
}

/** Every grade of one year, for the scorecard table. */
export const gradesOfYear = (db: Db, year: number) =>
  c(db).selectFrom('chocolate_assessments').select(['company_id', 'criterion_id', 'grade']).where('year', '=', year).execute();

export const companyHistory = (db: Db, companyId: string) =>
  c(db)
    .selectFrom('chocolate_assessments as a')
    .innerJoin('chocolate_criteria as k', 'k.id', 'a.criterion_id')
    .select(['a.year', 'a.grade', 'a.source_url', 'a.note', 'k.slug as criterion', 'k.name as criterion_name'])
    .where('a.company_id', '=', companyId)
    .orderBy('a.year', 'desc')
    .orderBy('k.position')
    .execute();

export interface AssessmentInput {
  companyId: string;
  criterionId: string;
  year: number;
  grade: Grade;
  sourceUrl: string;
  note: string;
}

export async function upsertAssessment(db: Db, a: AssessmentInput): Promise<void> {
  await c(db)
    .insertInto('chocolate_assessments')
    .values({ company_id: a.companyId, criterion_id: a.criterionId, year: a.year, grade: a.grade, source_url: a.sourceUrl, note: a.note })
    .onConflict((oc) => oc.columns(['company_id', 'criterion_id', 'year']).doUpdateSet({ grade: a.grade, source_url: a.sourceUrl, note: a.note, updated_at: sql`now()` }))
    .execute();
}

export interface CompanyInput {
  slug: string;
  name: string;
  country: string;
  brands: string[];
  parentCompany: string | null;
  contactEmail: string | null;
  website: string | null;
  suggested: boolean;
}

export async function upsertCompany(db: Db, company: CompanyInput): Promise<void> {
  const values = {
    name: company.name,
    country: company.country,
    brands: company.brands,
    parent_company: company.parentCompany,
    contact_email: company.contactEmail,
    website: company.website,
    suggested: company.suggested,
  };
  await c(db)
    .insertInto('chocolate_companies')
    .values({ slug: company.slug, ...values })
    .onConflict((oc) => oc.column('slug').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
}

export async function upsertCriterion(db: Db, criterion: { slug: string; name: string; description: string; position: number }): Promise<void> {
  const values = { name: criterion.name, description: criterion.description, position: criterion.position };
  await c(db).insertInto('chocolate_criteria').values({ slug: criterion.slug, ...values }).onConflict((oc) => oc.column('slug').doUpdateSet(values)).execute();
}

export const exportAssessments = (db: Db) =>
  c(db)
    .selectFrom('chocolate_assessments as a')
    .innerJoin('chocolate_companies as co', 'co.id', 'a.company_id')
    .innerJoin('chocolate_criteria as k', 'k.id', 'a.criterion_id')
    .select(['co.slug as company', 'k.slug as criterion', 'a.year', 'a.grade', 'a.source_url', 'a.note'])
    .orderBy('co.slug')
    .orderBy('k.slug')
    .orderBy('a.year')
    .execute();

// ---------------------------------------------------------------- commitments

export async function listCommitments(db: Db, companyId?: string) {
  let query = c(db)
    .selectFrom('chocolate_commitments as m')
    .leftJoin('chocolate_companies as co', 'co.id', 'm.company_id')
    .select(['m.id', 'm.slug', 'm.title', 'm.body', 'm.made_by', 'co.slug as company', day('m.made_on').as('made_on'), day('m.deadline').as('deadline'), 'm.status', 'm.source_url']);
  if (companyId) query = query.where('m.company_id', '=', companyId);
  const commitments = await query.orderBy('m.made_on').orderBy('m.slug').execute();
  const events =
    commitments.length === 0
      ? []
      : await c(db)
          .selectFrom('chocolate_commitment_events')
          .select(['id', 'commitment_id', 'kind', day('on_date').as('on_date'), day('new_deadline').as('new_deadline'), 'summary', 'source_url'])
          .where(
            'commitment_id',
            'in',
            commitments.map((m) => m.id),
          )
          .orderBy('on_date')
          .orderBy('id')
          .execute();
  return commitments.map((m) => ({ ...m, events: events.filter((e) => e.commitment_id === m.id) }));
}
export type CommitmentRow = Awaited<ReturnType<typeof listCommitments>>[number];

export const findCommitment = (db: Db, id: string) => c(db).selectFrom('chocolate_commitments').select(['id', 'slug', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();

export async function insertCommitment(
  db: Db,
  m: { slug: string; title: string; body: string; madeBy: string; companyId: string | null; madeOn: string; deadline: string | null; status: CommitmentStatus; sourceUrl: string },
): Promise<string> {
  const row = await c(db)
    .insertInto('chocolate_commitments')
    .values({ slug: m.slug, title: m.title, body: m.body, made_by: m.madeBy, company_id: m.companyId, made_on: m.madeOn, deadline: m.deadline, status: m.status, source_url: m.sourceUrl })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function addCommitmentEvent(db: Db, e: { commitmentId: string; kind: 'extension' | 'finding'; onDate: string; newDeadline: string | null; summary: string; sourceUrl: string }): Promise<void> {
  await c(db).insertInto('chocolate_commitment_events').values({ commitment_id: e.commitmentId, kind: e.kind, on_date: e.onDate, new_deadline: e.newDeadline, summary: e.summary, source_url: e.sourceUrl }).execute();
  if (e.kind === 'extension') await c(db).updateTable('chocolate_commitments').set({ deadline: e.newDeadline, status: 'extended' }).where('id', '=', e.commitmentId).execute();
}

export async function setCommitmentStatus(db: Db, id: string, status: CommitmentStatus): Promise<void> {
  await c(db).updateTable('chocolate_commitments').set({ status }).where('id', '=', id).execute();
}

// ---------------------------------------------------------------- the guide

export async function listGuide(db: Db, country?: string) {
  let query = c(db)
    .selectFrom('chocolate_guide_entries as g')
    .leftJoin('chocolate_companies as co', 'co.id', 'g.company_id')
    .select(['g.id', 'g.brand', 'g.country', 'g.certification', 'g.note', 'g.website', 'co.slug as company', 'co.name as company_name']);
  if (country) query = query.where('g.country', '=', country);
  return query.orderBy('g.country').orderBy(sql`lower(g.brand)`).execute();
}
export type GuideRow = Awaited<ReturnType<typeof listGuide>>[number];

export async function upsertGuideEntry(db: Db, e: { brand: string; country: string; certification: Certification; companyId: string | null; note: string; website: string | null }): Promise<void> {
  const existing = await c(db).selectFrom('chocolate_guide_entries').select('id').where('country', '=', e.country).where(sql`lower(brand)`, '=', e.brand.toLowerCase()).executeTakeFirst();
  const values = { brand: e.brand, country: e.country, certification: e.certification, company_id: e.companyId, note: e.note, website: e.website };
  if (existing) await c(db).updateTable('chocolate_guide_entries').set(values).where('id', '=', existing.id).execute();
  else await c(db).insertInto('chocolate_guide_entries').values(values).execute();
}

// ---------------------------------------------------------------- campaigns

const campaignColumns = ['id', 'slug', 'title', 'suggested_subject', 'suggested_message', 'active'] as const;

export const activeCampaign = (db: Db) =>
  c(db).selectFrom('chocolate_campaigns').select([...campaignColumns, day('deadline').as('deadline')]).where('active', '=', true).orderBy('deadline').orderBy('slug').limit(1).executeTakeFirst();
export const findCampaign = (db: Db, slug: string) => c(db).selectFrom('chocolate_campaigns').select([...campaignColumns, day('deadline').as('deadline')]).where('slug', '=', slug).executeTakeFirst();
export type CampaignRow = NonNullable<Awaited<ReturnType<typeof activeCampaign>>>;

// ---------------------------------------------------------------- the action e-mail

export async function insertRequest(
  db: Db,
  r: { campaignId: string; emailHash: Buffer; nameSealed: string; emailSealed: string; subjectSealed: string; messageSealed: string; companyIds: string[]; language: string; tokenHash: Buffer; signature: number[]; expiresAt: Date },
): Promise<string> {
  const row = await c(db)
    .insertInto('chocolate_action_requests')
    .values({
      campaign_id: r.campaignId,
      email_hash: r.emailHash,
      name_sealed: r.nameSealed,
      email_sealed: r.emailSealed,
      subject_sealed: r.subjectSealed,
      message_sealed: r.messageSealed,
      company_ids: r.companyIds,
      language: r.language,
      token_hash: r.tokenHash,
      signature: r.signature,
      expires_at: r.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const requestColumns = ['id', 'campaign_id', 'email_hash', 'name_sealed', 'email_sealed', 'subject_sealed', 'message_sealed', 'company_ids', 'language', 'signature', 'expires_at', 'confirmed_at', 'review'] as const;

export async function findRequestByToken(db: Db, tokenHash: Buffer, options: { forUpdate?: boolean } = {}) {
  let query = c(db).selectFrom('chocolate_action_requests').select(requestColumns).where('token_hash', '=', tokenHash);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}
export type RequestRow = NonNullable<Awaited<ReturnType<typeof findRequestByToken>>>;

export const findRequest = (db: Db, id: string) => c(db).selectFrom('chocolate_action_requests').select(requestColumns).where('id', '=', id).forUpdate().executeTakeFirst();

export async function confirmRequest(db: Db, id: string, held: boolean): Promise<void> {
  await c(db)
    .updateTable('chocolate_action_requests')
    .set({ confirmed_at: sql`now()`, review: held ? 'held' : null })
    .where('id', '=', id)
    .execute();
}

/** Inserts one message per company, skipping companies this supporter already wrote to in the campaign. */
export async function insertMessages(db: Db, requestId: string, campaignId: string, emailHash: Buffer, companyIds: readonly string[], status: MessageStatus) {
  if (companyIds.length === 0) return [];
  return c(db)
    .insertInto('chocolate_action_messages')
    .values(companyIds.map((companyId) => ({ request_id: requestId, campaign_id: campaignId, company_id: companyId, email_hash: emailHash, status })))
    .onConflict((oc) => oc.constraint('chocolate_one_message').doNothing())
    .returning(['id', 'company_id'])
    .execute();
}

export async function insertBands(db: Db, campaignId: string, requestId: string, list: readonly { band: number; bucket: number }[]): Promise<void> {
  await c(db)
    .insertInto('chocolate_message_bands')
    .values(list.map((b) => ({ campaign_id: campaignId, band: b.band, bucket: b.bucket, request_id: requestId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Earlier confirmed requests that share at least one band, most shared bands first (an index range per band). */
export async function bandCandidates(db: Db, campaignId: string, list: readonly { band: number; bucket: number }[], limit: number) {
  const rows = await c(db)
    .selectFrom('chocolate_message_bands as b')
    .innerJoin('chocolate_action_requests as r', 'r.id', 'b.request_id')
    .select(['b.request_id', 'r.signature', sql<number>`count(*)::int`.as('shared')])
    .where('b.campaign_id', '=', campaignId)
    .where((eb) => eb.or(list.map((b) => eb.and([eb('b.band', '=', b.band), eb('b.bucket', '=', String(b.bucket))]))))
    .groupBy(['b.request_id', 'r.signature'])
    .orderBy('shared', 'desc')
    .limit(limit)
    .execute();
  return rows;
}

export async function setMessagesStatus(db: Db, requestId: string, from: MessageStatus, to: MessageStatus) {
  return c(db).updateTable('chocolate_action_messages').set({ status: to }).where('request_id', '=', requestId).where('status', '=', from).returning(['id', 'company_id']).execute();
}

export async function reviewRequest(db: Db, id: string, decision: 'approved' | 'rejected'): Promise<void> {
  await c(db).updateTable('chocolate_action_requests').set({ review: decision, reviewed_at: sql`now()` }).where('id', '=', id).execute();
}

export const heldRequests = (db: Db, limit: number) =>
  c(db)
    .selectFrom('chocolate_action_requests')
    .select(['id', 'name_sealed', 'subject_sealed', 'message_sealed', 'company_ids', 'created_at', 'confirmed_at'])
    .where('review', '=', 'held')
    .orderBy('created_at')
    .limit(limit)
    .execute();

/** The message and what sending it needs, locked so two workers never send it twice. */
export async function messageForSending(db: Db, messageId: string) {
  return c(db)
    .selectFrom('chocolate_action_messages as m')
    .innerJoin('chocolate_action_requests as r', 'r.id', 'm.request_id')
    .innerJoin('chocolate_companies as co', 'co.id', 'm.company_id')
    .select(['m.id', 'm.status', 'm.company_id', 'co.name as company_name', 'co.contact_email', 'r.name_sealed', 'r.email_sealed', 'r.subject_sealed', 'r.message_sealed', 'r.language'])
    .where('m.id', '=', messageId)
    .forUpdate('m')
    .executeTakeFirst();
}

export async function markSent(db: Db, messageId: string): Promise<void> {
  await c(db).updateTable('chocolate_action_messages').set({ status: 'sent', sent_at: sql`now()` }).where('id', '=', messageId).execute();
}

/** Messages per company (sent, waiting, held) and the replies supporters reported, for one campaign. */
export async function totals(db: Db, campaignId: string) {
  return c(db)
    .selectFrom('chocolate_action_messages as m')
    .innerJoin('chocolate_companies as co', 'co.id', 'm.company_id')
    .select([
      'co.slug',
      'co.name',
      sql<number>`count(*) filter (where m.status = 'sent')::int`.as('sent'),
      sql<number>`count(*) filter (where m.status = 'queued')::int`.as('queued'),
      sql<number>`count(*) filter (where m.reply = 'yes')::int`.as('replied_yes'),
      sql<number>`count(*) filter (where m.reply = 'no')::int`.as('replied_no'),
    ])
    .where('m.campaign_id', '=', campaignId)
    .where('m.status', 'in', ['sent', 'queued'])
    .groupBy(['co.slug', 'co.name'])
    .orderBy('sent', 'desc')
    .orderBy('co.name')
    .execute();
}

/** Sent messages old enough for the "did they reply?" question, not asked yet; locked and skipped by other workers. */
export async function dueForReplyQuestion(db: Db, sentBefore: Date, limit: number) {
  return c(db)
    .selectFrom('chocolate_action_messages as m')
    .innerJoin('chocolate_action_requests as r', 'r.id', 'm.request_id')
    .innerJoin('chocolate_companies as co', 'co.id', 'm.company_id')
    .select(['m.id', 'co.name as company_name', 'r.name_sealed', 'r.email_sealed', 'r.language'])
    .where('m.status', '=', 'sent')
    .where('m.reply_asked_at', 'is', null)
    .where('m.sent_at', '<', sentBefore)
    .orderBy('m.sent_at')
    .limit(limit)
    .forUpdate('m')
    .skipLocked()
    .execute();
}

export async function setReplyToken(db: Db, messageId: string, tokenHash: Buffer): Promise<void> {
  await c(db).updateTable('chocolate_action_messages').set({ reply_token_hash: tokenHash, reply_asked_at: sql`now()` }).where('id', '=', messageId).execute();
}

export async function findByReplyToken(db: Db, tokenHash: Buffer, options: { forUpdate?: boolean } = {}) {
  let query = c(db)
    .selectFrom('chocolate_action_messages as m')
    .innerJoin('chocolate_companies as co', 'co.id', 'm.company_id')
    .select(['m.id', 'm.reply', 'co.name as company_name', 'co.slug as company'])
    .where('m.reply_token_hash', '=', tokenHash);
  if (options.forUpdate) query = query.forUpdate('m');
  return query.executeTakeFirst();
}

export async function recordReply(db: Db, messageId: string, reply: 'yes' | 'no'): Promise<void> {
  await c(db).updateTable('chocolate_action_messages').set({ reply, replied_at: sql`now()` }).where('id', '=', messageId).execute();
}

export async function sweepUnconfirmed(db: Db): Promise<number> {
  const result = await c(db).deleteFrom('chocolate_action_requests').where('confirmed_at', 'is', null).where('expires_at', '<', new Date()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
