/**
 * The company scorecard, commitments and the traffik-free guide: public reads, and the editors'
 * changes (one assessment, a commitment, its events). Public reads need no sign-in and show only
 * public fields (never a company's contact address). Every change authorises first (`chocolate.edit`)
 * and is audited in the same transaction, by id.
 */
import type { UserActor } from '../../core/auth/actor.ts';
import { can } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import { isCountryCode } from '../../core/countries.ts';
import { forbidden, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { isUuid } from '../../core/validation.ts';
import type { ChocolateDeps } from './deps.ts';
import * as store from './store.ts';
import type { Certification, CommitmentStatus, Grade } from './tables.ts';

export const GRADES: readonly Grade[] = ['A', 'B', 'C', 'D', 'E'];
export const COMMITMENT_STATUSES: readonly CommitmentStatus[] = ['pending', 'met', 'missed', 'extended'];
export const CERTIFICATIONS: readonly Certification[] = ['fairtrade', 'rainforest-alliance', 'organic', 'other'];
const POINTS: Record<Grade, number> = { A: 4, B: 3, C: 2, D: 1, E: 0 };
export const MIN_YEAR = 2000;
export const maxYear = () => new Date().getUTCFullYear() + 1;

export const isSlug = (value: string) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(value) && value.length <= 80;
export const isHttpUrl = (value: string) => {
  if (value.length > 500 || !/^https?:\/\//i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
};
export const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

// ---------------------------------------------------------------- the scorecard

export interface PublicCompany {
  slug: string;
  name: string;
  country: string;
  brands: string[];
  parentCompany: string | null;
  website: string | null;
}

/** What anyone may see of a company: never its contact address. */
export const toPublicCompany = (row: store.CompanyRow): PublicCompany => ({
  slug: row.slug,
  name: row.name,
  country: row.country,
  brands: row.brands,
  parentCompany: row.parent_company,
  website: row.website,
});

export interface ScorecardRow extends PublicCompany {
  grades: Record<string, Grade | null>;
  /** Mean of the year's grades on A=4 … E=0, one decimal; null without any grade. */
  average: number | null;
}

/** Companies per page of the scorecard (the API may ask for up to MAX_PER_PAGE). */
export const PER_PAGE = 50;
export const MAX_PER_PAGE = 200;

export interface Scorecard {
  years: number[];
  year: number | null;
  criteria: { slug: string; name: string; description: string }[];
  /** The companies of this page. */
  companies: ScorecardRow[];
  /** Companies matching the filters, on every page. */
  total: number;
  page: number;
  perPage: number;
  pages: number;
  sort: string;
  dir: 'asc' | 'desc';
  country: string | undefined;
  q: string | undefined;
  criterion: string | undefined;
  grade: Grade | undefined;
}

export interface ScorecardQuery {
  country?: string | undefined;
  q?: string | undefined;
  year?: string | number | undefined;
  sort?: string | undefined;
  dir?: string | undefined;
  criterion?: string | undefined;
  grade?: string | undefined;
  page?: string | number | undefined;
  perPage?: string | number | undefined;
}

const wholeNumber = (value: string | number | undefined, min: number, max: number): number | null | undefined => {
  if (value === undefined || value === '') return undefined;
  const text = String(value);
  const n = Number(text);
  return /^\d{1,6}$/.test(text) && n >= min && n <= max ? n : null;
};

/**
 * One page of the scorecard of one year (the latest with grades unless one is asked for), filtered
 * by country, name or brand, criterion and grade, and sorted by any column — all in SQL, so a page
 * costs the same with 50 companies or 5,000. Public.
 */
export async function scorecard(deps: ChocolateDeps, query: ScorecardQuery): Promise<Outcome<Scorecard>> {
  const errors: FieldErrors = {};
  const country = query.country?.trim().toUpperCase() || undefined;
  if (country !== undefined && !isCountryCode(country)) errors.country = 'chocolate.errors.country';
  const q = query.q?.trim().slice(0, 100) || undefined;
  const yearText = query.year === undefined || query.year === '' ? undefined : String(query.year);
  const year = yearText === undefined ? undefined : Number(yearText);
  if (yearText !== undefined && (!/^\d{4}$/.test(yearText) || year! < MIN_YEAR || year! > maxYear())) errors.year = 'chocolate.errors.year';
  const criteria = await store.listCriteria(deps.db);
  const sort = query.sort || 'name';
  const sortCriterion = criteria.find((k) => k.slug === sort);
  if (!['name', 'country', 'average'].includes(sort) && !sortCriterion) errors.sort = 'chocolate.errors.sort';
  const dirText = query.dir || (sort === 'name' || sort === 'country' ? 'asc' : 'desc');
  if (dirText !== 'asc' && dirText !== 'desc') errors.dir = 'chocolate.errors.sort';
  const dir = dirText === 'asc' ? 'asc' : 'desc';
  const criterionSlug = query.criterion?.trim() || undefined;
  const criterion = criterionSlug === undefined ? undefined : criteria.find((k) => k.slug === criterionSlug);
  if (criterionSlug !== undefined && !criterion) errors.criterion = 'chocolate.errors.criterion';
  const grade = query.grade?.trim().toUpperCase() || undefined;
  if (grade !== undefined && !(GRADES as readonly string[]).includes(grade)) errors.grade = 'chocolate.errors.grade';
  const page = wholeNumber(query.page, 1, 100_000);
  if (page === null) errors.page = 'chocolate.errors.page';
  const perPage = wholeNumber(query.perPage, 1, MAX_PER_PAGE);
  if (perPage === null) errors.perPage = 'chocolate.errors.perPage';
  if (Object.keys(errors).length > 0) return invalid(errors);

  const years = await store.assessmentYears(deps.db);
  const chosen = year ?? years[0] ?? null;
  const size = perPage ?? PER_PAGE;
  const number = page ?? 1;
  const filter: store.ScorecardFilter = {
    year: chosen,
    country,
    q,
    criterionId: criterion?.id,
    grade: grade as Grade | undefined,
    sort: sortCriterion ? { by: 'criterion', criterionId: sortCriterion.id } : { by: sort as 'name' | 'country' | 'average' },
    dir,
    limit: size,
    offset: (number - 1) * size,
  };
  const companies = await store.scorecardPage(deps.db, filter);
  const total = companies[0]?.total ?? (number > 1 ? await store.countScorecard(deps.db, filter) : 0);
  const rows: ScorecardRow[] = companies.map((company) => {
    // The year's grades by criterion id, as the page's query read them.
    const byId = company.grades ?? {};
    const own: Record<string, Grade | undefined> = Object.fromEntries(criteria.map((k) => [k.slug, byId[k.id]]));
    const given = criteria.map((k) => own[k.slug]).filter((g): g is Grade => g !== undefined);
    return {
      slug: company.slug,
      name: company.name,
      country: company.country,
      brands: company.brands,
      parentCompany: company.parent_company,
      website: company.website,
      grades: Object.fromEntries(criteria.map((k) => [k.slug, own[k.slug] ?? null])),
      average: given.length === 0 ? null : Math.round((given.reduce((sum, g) => sum + POINTS[g], 0) / given.length) * 10) / 10,
    };
  });
  return ok({
    years,
    year: chosen,
    criteria: criteria.map((k) => ({ slug: k.slug, name: k.name, description: k.description })),
    companies: rows,
    total,
    page: number,
    perPage: size,
    pages: Math.max(1, Math.ceil(total / size)),
    sort,
    dir,
    country,
    q,
    criterion: criterion?.slug,
    grade: grade as Grade | undefined,
  });
}

export interface CompanyPage {
  company: PublicCompany;
  criteria: { slug: string; name: string }[];
  /** Newest year first; each year's grades with their sources. */
  history: { year: number; grades: Record<string, { grade: Grade; sourceUrl: string; note: string } | null> }[];
  commitments: Commitment[];
}

/** One company's page: its grades year by year, with sources, and its commitments. Public. */
export async function companyPage(deps: ChocolateDeps, slug: string): Promise<Outcome<CompanyPage>> {
  if (!isSlug(slug)) return notFound();
  const company = await store.findCompany(deps.db, slug);
  if (!company) return notFound();
  const [criteria, history, commitments] = await Promise.all([store.listCriteria(deps.db), store.companyHistory(deps.db, company.id), store.listCommitments(deps.db, company.id)]);
  const years = [...new Set(history.map((h) => Number(h.year)))].sort((a, b) => b - a);
  return ok({
    company: toPublicCompany(company),
    criteria: criteria.map((k) => ({ slug: k.slug, name: k.name })),
    history: years.map((year) => ({
      year,
      grades: Object.fromEntries(
        criteria.map((k) => {
          const found = history.find((h) => Number(h.year) === year && h.criterion === k.slug);
          return [k.slug, found ? { grade: found.grade, sourceUrl: found.source_url, note: found.note } : null];
        }),
      ),
    })),
    commitments: commitments.map(toCommitment),
  });
}

// ---------------------------------------------------------------- commitments

export interface Commitment {
  id: string;
  slug: string;
  title: string;
  text: string;
  madeBy: string;
  company: string | null;
  madeOn: string;
  deadline: string | null;
  status: CommitmentStatus;
  sourceUrl: string;
  events: { kind: 'extension' | 'finding'; on: string; newDeadline: string | null; summary: string; sourceUrl: string }[];
}

const toCommitment = (m: store.CommitmentRow): Commitment => ({
  id: m.id,
  slug: m.slug,
  title: m.title,
  text: m.body,
  madeBy: m.made_by,
  company: m.company,
  madeOn: m.made_on,
  deadline: m.deadline,
  status: m.status,
  sourceUrl: m.source_url,
  events: m.events.map((e) => ({ kind: e.kind, on: e.on_date, newDeadline: e.new_deadline, summary: e.summary, sourceUrl: e.source_url })),
});

/** Every commitment with its extensions and findings, oldest promise first. Public. */
export async function commitments(deps: ChocolateDeps): Promise<Commitment[]> {
  return (await store.listCommitments(deps.db)).map(toCommitment);
}

export interface CommitmentInput {
  slug: string;
  title: string;
  text: string;
  madeBy: string;
  company?: string | undefined;
  madeOn: string;
  deadline?: string | undefined;
  status: string;
  sourceUrl: string;
}

/** Checks a commitment's fields and finds the company it names (by slug). Shared by recording and editing. */
async function checkCommitment(deps: ChocolateDeps, input: CommitmentInput): Promise<{ errors: FieldErrors; companyId: string | null }> {
  const errors: FieldErrors = {};
  if (!isSlug(input.slug)) errors.slug = 'chocolate.errors.slug';
  if (!input.title.trim() || input.title.length > 200) errors.title = 'chocolate.errors.title';
  if (!input.text.trim() || input.text.length > 4000) errors.text = 'chocolate.errors.text';
  if (!input.madeBy.trim() || input.madeBy.length > 300) errors.madeBy = 'chocolate.errors.madeBy';
  if (!isDay(input.madeOn)) errors.madeOn = 'chocolate.errors.date';
  if (input.deadline && !isDay(input.deadline)) errors.deadline = 'chocolate.errors.date';
  else if (input.deadline && isDay(input.madeOn) && input.deadline < input.madeOn) errors.deadline = 'chocolate.errors.deadlineBeforeMade';
  if (!(COMMITMENT_STATUSES as readonly string[]).includes(input.status)) errors.status = 'chocolate.errors.status';
  if (!isHttpUrl(input.sourceUrl)) errors.sourceUrl = 'chocolate.errors.sourceUrl';
  let companyId: string | null = null;
  if (input.company) {
    const company = isSlug(input.company) ? await store.findCompany(deps.db, input.company) : undefined;
    if (!company) errors.company = 'chocolate.errors.company';
    else companyId = company.id;
  }
  return { errors, companyId };
}

const commitmentValues = (input: CommitmentInput, companyId: string | null) => ({
  slug: input.slug,
  title: input.title.trim(),
  body: input.text.trim(),
  madeBy: input.madeBy.trim(),
  companyId,
  madeOn: input.madeOn,
  deadline: input.deadline || null,
  status: input.status as CommitmentStatus,
  sourceUrl: input.sourceUrl,
});

/** Records a promise (editors). */
export async function addCommitment(deps: ChocolateDeps, actor: UserActor, input: CommitmentInput): Promise<Outcome<{ id: string }>> {
  if (!can(actor, 'chocolate.edit')) return forbidden();
  const { errors, companyId } = await checkCommitment(deps, input);
  if (Object.keys(errors).length > 0) return invalid(errors);
  try {
    const id = await deps.db.transaction().execute(async (trx) => {
      const made = await store.insertCommitment(trx, commitmentValues(input, companyId));
      await appendAudit(trx, { actorId: actor.userId, action: 'chocolate.commitment-added', subject: `chocolate-commitment:${made}` });
      return made;
    });
    return ok({ id });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return invalid({ slug: 'chocolate.errors.slugTaken' });
    throw error;
  }
}

/** Corrects a commitment's own fields (its short name stays); its events are added separately (editors). */
export async function updateCommitment(deps: ChocolateDeps, actor: UserActor, id: string, input: Omit<CommitmentInput, 'slug'>): Promise<Outcome<{ id: string }>> {
  if (!can(actor, 'chocolate.edit')) return forbidden();
  if (!isUuid(id)) return notFound();
  const existing = await store.findCommitment(deps.db, id);
  if (!existing) return notFound();
  const full = { ...input, slug: existing.slug };
  const { errors, companyId } = await checkCommitment(deps, full);
  if (Object.keys(errors).length > 0) return invalid(errors);
  return deps.db.transaction().execute(async (trx) => {
    if (!(await store.findCommitment(trx, id))) return notFound();
    await store.updateCommitment(trx, id, commitmentValues(full, companyId));
    await appendAudit(trx, { actorId: actor.userId, action: 'chocolate.commitment-updated', subject: `chocolate-commitment:${id}`, detail: { status: full.status } });
    return ok({ id });
  });
}

export interface CommitmentEventInput {
  kind: string;
  on: string;
  newDeadline?: string | undefined;
  summary: string;
  sourceUrl: string;
  /** A new status for the commitment (an extension sets "extended" by itself). */
  status?: string | undefined;
}

/** Adds an extension or a finding to a commitment, and may change its status (editors). */
export async function addCommitmentEvent(deps: ChocolateDeps, actor: UserActor, commitmentId: string, input: CommitmentEventInput): Promise<Outcome> {
  if (!can(actor, 'chocolate.edit')) return forbidden();
  if (!isUuid(commitmentId)) return notFound();
  const errors: FieldErrors = {};
  if (input.kind !== 'extension' && input.kind !== 'finding') errors.kind = 'chocolate.errors.eventKind';
  if (!isDay(input.on)) errors.on = 'chocolate.errors.date';
  if (input.kind === 'extension' && (!input.newDeadline || !isDay(input.newDeadline))) errors.newDeadline = 'chocolate.errors.newDeadline';
  if (!input.summary.trim() || input.summary.length > 4000) errors.summary = 'chocolate.errors.summary';
  if (!isHttpUrl(input.sourceUrl)) errors.sourceUrl = 'chocolate.errors.sourceUrl';
  if (input.status && !(COMMITMENT_STATUSES as readonly string[]).includes(input.status)) errors.status = 'chocolate.errors.status';
  if (Object.keys(errors).length > 0) return invalid(errors);
  return deps.db.transaction().execute(async (trx) => {
    const found = await store.findCommitment(trx, commitmentId);
    if (!found) return notFound();
    const kind = input.kind as 'extension' | 'finding';
    await store.addCommitmentEvent(trx, { commitmentId, kind, onDate: input.on, newDeadline: kind === 'extension' ? input.newDeadline! : null, summary: input.summary.trim(), sourceUrl: input.sourceUrl });
    if (input.status) await store.setCommitmentStatus(trx, commitmentId, input.status as CommitmentStatus);
    await appendAudit(trx, { actorId: actor.userId, action: 'chocolate.commitment-event-added', subject: `chocolate-commitment:${commitmentId}`, detail: { kind, status: input.status ?? null } });
    return ok(undefined);
  });
}

// ---------------------------------------------------------------- assessments

export interface AssessmentInput {
  company: string;
  criterion: string;
  year: number | string;
  grade: string;
  sourceUrl: string;
  note?: string | undefined;
}

/** Checks an assessment; resolves the company and criterion by slug. Shared by the form, the API and CSV import. */
export function assessmentErrors(input: AssessmentInput, known: { companies: Map<string, string>; criteria: Map<string, string> }): { errors: FieldErrors; value?: store.AssessmentInput } {
  const errors: FieldErrors = {};
  const companyId = known.companies.get(input.company);
  const criterionId = known.criteria.get(input.criterion);
  if (!companyId) errors.company = 'chocolate.errors.company';
  if (!criterionId) errors.criterion = 'chocolate.errors.criterion';
  const yearText = String(input.year).trim();
  const year = Number(yearText);
  if (!/^\d{4}$/.test(yearText) || year < MIN_YEAR || year > maxYear()) errors.year = 'chocolate.errors.year';
  const grade = input.grade.trim().toUpperCase();
  if (!(GRADES as readonly string[]).includes(grade)) errors.grade = 'chocolate.errors.grade';
  if (!isHttpUrl(input.sourceUrl.trim())) errors.sourceUrl = 'chocolate.errors.sourceUrl';
  const note = (input.note ?? '').trim();
  if (note.length > 2000) errors.note = 'chocolate.errors.note';
  if (Object.keys(errors).length > 0) return { errors };
  return { errors, value: { companyId: companyId!, criterionId: criterionId!, year, grade: grade as Grade, sourceUrl: input.sourceUrl.trim(), note } };
}

/** Sets the grade of (company, criterion, year), with its source and note (editors). */
export async function upsertAssessment(deps: ChocolateDeps, actor: UserActor, input: AssessmentInput): Promise<Outcome<{ company: string; criterion: string; year: number; grade: Grade }>> {
  if (!can(actor, 'chocolate.edit')) return forbidden();
  const [company, criteria] = await Promise.all([isSlug(input.company) ? store.findCompany(deps.db, input.company) : undefined, store.listCriteria(deps.db)]);
  const known = { companies: new Map(company ? [[company.slug, company.id]] : []), criteria: new Map(criteria.map((k) => [k.slug, k.id])) };
  const { errors, value } = assessmentErrors(input, known);
  if (!value) return invalid(errors);
  await deps.db.transaction().execute(async (trx) => {
    await store.upsertAssessment(trx, value);
    await appendAudit(trx, { actorId: actor.userId, action: 'chocolate.assessment-set', subject: `chocolate-company:${value.companyId}`, detail: { criterion: input.criterion, year: value.year, grade: value.grade } });
  });
  return ok({ company: input.company, criterion: input.criterion, year: value.year, grade: value.grade });
}

// ---------------------------------------------------------------- the guide

export interface GuidePage {
  countries: { country: string; entries: { brand: string; certification: Certification; note: string; website: string | null; company: string | null; companyName: string | null }[] }[];
  campaign: { slug: string; title: string; deadline: string; daysLeft: number } | null;
  country: string | undefined;
}

/** Whole days from `now` (UTC) to a deadline day; 0 on the day itself and after it. */
export function daysUntil(deadline: string, now = new Date()): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.max(0, Math.round((Date.parse(`${deadline}T00:00:00Z`) - today) / 86_400_000));
}

/** Brands with independently certified cocoa, by country, and the countdown to the campaign's deadline. Public. */
export async function guide(deps: ChocolateDeps, countryFilter?: string): Promise<Outcome<GuidePage>> {
  const country = countryFilter?.trim().toUpperCase() || undefined;
  if (country !== undefined && !isCountryCode(country)) return invalid({ country: 'chocolate.errors.country' });
  const [entries, campaign] = await Promise.all([store.listGuide(deps.db, country), store.activeCampaign(deps.db)]);
  const countries: GuidePage['countries'] = [];
  for (const e of entries) {
    let group = countries.at(-1);
    if (!group || group.country !== e.country) countries.push((group = { country: e.country, entries: [] }));
    group.entries.push({ brand: e.brand, certification: e.certification, note: e.note, website: e.website, company: e.company, companyName: e.company_name });
  }
  return ok({ countries, campaign: campaign ? { slug: campaign.slug, title: campaign.title, deadline: campaign.deadline, daysLeft: daysUntil(campaign.deadline) } : null, country });
}

