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

/** A `like` pattern matching `text` anywhere, lower case, with its wildcards escaped. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

const companyColumns = ['id', 'slug', 'name', 'country', 'brands', 'parent_company', 'contact_email', 'website', 'suggested'] as const;

export async function listCompanies(db: Db, filter: { country?: string | undefined; q?: string | undefined } = {}) {
  let query = c(db).selectFrom('chocolate_companies').select(companyColumns);
  if (filter.country) query = query.where('country', '=', filter.country);
  if (filter.q) {
    const pattern = likePattern(filter.q);
    query = query.where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', pattern), sql<boolean>`exists (select 1 from unnest(brands) b where lower(b) like ${pattern})`]));
  }
  return query.orderBy(sql`lower(name)`).orderBy('id').execute();
}
export type CompanyRow = Awaited<ReturnType<typeof listCompanies>>[number];

export const findCompany = (db: Db, slug: string) => c(db).selectFrom('chocolate_companies').select(companyColumns).where('slug', '=', slug).executeTakeFirst();
export const companiesByIds = (db: Db, ids: readonly string[]) =>
  ids.length === 0 ? Promise.resolve([]) : c(db).selectFrom('chocolate_companies').select(companyColumns).where('id', 'in', ids).execute();

/** The companies among these slugs that campaign e-mails can go to (they have a contact address). */
export const writableCompaniesBySlugs = (db: Db, slugs: readonly string[]) =>
  slugs.length === 0 ? Promise.resolve([]) : c(db).selectFrom('chocolate_companies').select(companyColumns).where('slug', 'in', slugs).where('contact_email', 'is not', null).orderBy(sql`lower(name)`).orderBy('id').execute();

/**
 * Years with grades, newest first: a loose index scan of chocolate_assessments_year_idx (one index
 * probe per year) instead of `select distinct year` over every grade.
 */
export async function assessmentYears(db: Db): Promise<number[]> {
  const result = await sql<{ year: number }>`
    with recursive years (year) as (
      (select year from chocolate_assessments order by year desc limit 1)
      union all
      select (select a.year from chocolate_assessments a where a.year < years.year order by a.year desc limit 1) from years where years.year is not null
    )
    select year from years where year is not null`.execute(db);
  return result.rows.map((r) => Number(r.year));
}

/** A grade's points for sorting (A=4 … E=0), from the grade letter's code. */
const points = (column: string) => sql<number>`(69 - ascii(${sql.ref(column)}))`;

export interface ScorecardFilter {
  year: number | null;
  country?: string | undefined;
  q?: string | undefined;
  /** With `grade`: that criterion's grade; alone: companies graded on it that year. */
  criterionId?: string | undefined;
  /** Companies with this grade (on `criterionId`, or on any criterion) that year. */
  grade?: Grade | undefined;
  sort: { by: 'name' | 'country' | 'average' } | { by: 'criterion'; criterionId: string };
  dir: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/**
 * One page of the scorecard's companies, filtered and sorted in SQL, with the number of matches and
 * each company's grades of the year (criterion id → grade), in one statement. Sort keys are read per
 * company through the (year, company_id) index; companies without a grade sort last in either
 * direction; the grades are read for the page's companies only.
 */
export async function scorecardPage(db: Db, f: ScorecardFilter) {
  const year = f.year ?? -1;
  const { sort } = f;
  const key =
    sort.by === 'criterion'
      ? sql`(select ${points('a.grade')} from chocolate_assessments a where a.year = ${year} and a.company_id = co.id and a.criterion_id = ${sort.criterionId})`
      : sort.by === 'average'
        ? sql`(select round(avg(${points('a.grade')}), 1) from chocolate_assessments a where a.year = ${year} and a.company_id = co.id)`
        : sort.by === 'country'
          ? sql`co.country`
          : sql`lower(co.name)`;
  // `dir` is 'asc' or 'desc', checked by the service: safe as raw SQL.
  const dir = sql.raw(f.dir === 'desc' ? 'desc' : 'asc');
  let query = c(db)
    .selectFrom('chocolate_companies as co')
    .select(['co.id', 'co.slug', 'co.name', 'co.country', 'co.brands', 'co.parent_company', 'co.website', sql<number>`count(*) over ()::int`.as('total'), key.as('sort_key')]);
  if (f.country) query = query.where('co.country', '=', f.country);
  if (f.q) {
    const pattern = likePattern(f.q);
    query = query.where((eb) => eb.or([eb(eb.fn('lower', ['co.name']), 'like', pattern), sql<boolean>`exists (select 1 from unnest(co.brands) b where lower(b) like ${pattern})`]));
  }
  if (f.grade || f.criterionId) {
    const byCriterion = f.criterionId ? sql`and a.criterion_id = ${f.criterionId}` : sql``;
    const byGrade = f.grade ? sql`and a.grade = ${f.grade}` : sql``;
    query = query.where(sql<boolean>`exists (select 1 from chocolate_assessments a where a.year = ${year} and a.company_id = co.id ${byCriterion} ${byGrade})`);
  }
  const page = query.orderBy(sql`sort_key ${dir} nulls last`).orderBy(sql`lower(co.name)`).orderBy('co.id').limit(f.limit).offset(f.offset);
  return c(db)
    .selectFrom(page.as('p'))
    .select(['p.id', 'p.slug', 'p.name', 'p.country', 'p.brands', 'p.parent_company', 'p.website', 'p.total'])
    .select(sql<Record<string, Grade> | null>`(select json_object_agg(a.criterion_id, a.grade) from chocolate_assessments a where a.year = ${year} and a.company_id = p.id)`.as('grades'))
    .orderBy(sql`p.sort_key ${dir} nulls last`)
    .orderBy(sql`lower(p.name)`)
    .orderBy('p.id')
    .execute();
}

/** How many companies match when a page past the end came back empty. */
export async function countScorecard(db: Db, f: ScorecardFilter): Promise<number> {
  const rows = await scorecardPage(db, { ...f, sort: { by: 'name' }, limit: 1, offset: 0 });
  return rows[0]?.total ?? 0;
}

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

export async function updateCommitment(
  db: Db,
  id: string,
  m: { title: string; body: string; madeBy: string; companyId: string | null; madeOn: string; deadline: string | null; status: CommitmentStatus; sourceUrl: string },
): Promise<void> {
  await c(db)
    .updateTable('chocolate_commitments')
    .set({ title: m.title, body: m.body, made_by: m.madeBy, company_id: m.companyId, made_on: m.madeOn, deadline: m.deadline, status: m.status, source_url: m.sourceUrl })
    .where('id', '=', id)
    .execute();
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

export const findGuideEntry = (db: Db, id: string) =>
  c(db)
    .selectFrom('chocolate_guide_entries as g')
    .leftJoin('chocolate_companies as co', 'co.id', 'g.company_id')
    .select(['g.id', 'g.brand', 'g.country', 'g.certification', 'g.note', 'g.website', 'co.slug as company'])
    .where('g.id', '=', id)
    .executeTakeFirst();

export const guideEntryExists = async (db: Db, country: string, brand: string, except?: string) => {
  let query = c(db).selectFrom('chocolate_guide_entries').select('id').where('country', '=', country).where(sql`lower(brand)`, '=', brand.toLowerCase());
  if (except) query = query.where('id', '<>', except);
  return (await query.executeTakeFirst()) !== undefined;
};

export async function saveGuideEntry(db: Db, id: string | undefined, e: { brand: string; country: string; certification: Certification; companyId: string | null; note: string; website: string | null }): Promise<string> {
  const values = { brand: e.brand, country: e.country, certification: e.certification, company_id: e.companyId, note: e.note, website: e.website };
  if (id) {
    await c(db).updateTable('chocolate_guide_entries').set(values).where('id', '=', id).execute();
    return id;
  }
  return (await c(db).insertInto('chocolate_guide_entries').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function deleteGuideEntry(db: Db, id: string): Promise<boolean> {
  const result = await c(db).deleteFrom('chocolate_guide_entries').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export const findCriterion = (db: Db, slug: string) => c(db).selectFrom('chocolate_criteria').select(['id', 'slug', 'name', 'description', 'position']).where('slug', '=', slug).executeTakeFirst();

// ---------------------------------------------------------------- campaigns

const campaignColumns = ['id', 'slug', 'title', 'suggested_subject', 'suggested_message', 'active'] as const;

export const activeCampaign = (db: Db) =>
  c(db).selectFrom('chocolate_campaigns').select([...campaignColumns, day('deadline').as('deadline')]).where('active', '=', true).orderBy('deadline').orderBy('slug').limit(1).executeTakeFirst();
export const findCampaign = (db: Db, slug: string) => c(db).selectFrom('chocolate_campaigns').select([...campaignColumns, day('deadline').as('deadline')]).where('slug', '=', slug).executeTakeFirst();
export type CampaignRow = NonNullable<Awaited<ReturnType<typeof activeCampaign>>>;
export const listCampaigns = (db: Db) => c(db).selectFrom('chocolate_campaigns').select([...campaignColumns, day('deadline').as('deadline')]).orderBy('deadline', 'desc').orderBy('slug').execute();

/** Creates or changes a campaign by slug; an active one makes every other campaign inactive (one runs at a time). */
export async function saveCampaign(db: Db, k: { slug: string; title: string; deadline: string; suggestedSubject: string; suggestedMessage: string; active: boolean }): Promise<void> {
  const values = { title: k.title, deadline: k.deadline, suggested_subject: k.suggestedSubject, suggested_message: k.suggestedMessage, active: k.active };
  await c(db).insertInto('chocolate_campaigns').values({ slug: k.slug, ...values }).onConflict((oc) => oc.column('slug').doUpdateSet(values)).execute();
  if (k.active) await c(db).updateTable('chocolate_campaigns').set({ active: false }).where('slug', '<>', k.slug).where('active', '=', true).execute();
}

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

/**
 * Earlier confirmed requests that share at least one band with these: for each band, at most
 * `perBand` of them, read by the primary key's range (so a text sent thousands of times costs the
 * same as one sent fifty times), with their signatures for the exact comparison.
 */
export async function bandCandidates(db: Db, campaignId: string, list: readonly { band: number; bucket: number }[], perBand: number) {
  if (list.length === 0) return [];
  const wanted = sql.join(list.map((b) => sql`(${b.band}::smallint, ${String(b.bucket)}::bigint)`));
  const result = await sql<{ request_id: string; signature: number[] }>`
    select r.id as request_id, r.signature
    from (
      select distinct x.request_id
      from (values ${wanted}) as v (band, bucket)
      cross join lateral (
        select b.request_id from chocolate_message_bands b
        where b.campaign_id = ${campaignId} and b.band = v.band and b.bucket = v.bucket
        limit ${perBand}
      ) x
    ) ids
    join chocolate_action_requests r on r.id = ids.request_id`.execute(db);
  return result.rows;
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
