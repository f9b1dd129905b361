/**
 * Editors' CSV import and export of the scorecard (companies, criteria, assessments) and the guide.
 * An import checks every row first and writes nothing unless all rows are good; then it writes them
 * all in one transaction (rows are matched by slug, or by country and brand in the guide, so
 * importing the same file twice changes nothing). Errors name the line and the column.
 */
import type { UserActor } from '../../core/auth/actor.ts';
import { can } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import { isCountryCode } from '../../core/countries.ts';
import { forbidden, invalid, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { isEmail } from '../../core/validation.ts';
import { csvDocument, parseCsv } from './csv.ts';
import type { ChocolateDeps } from './deps.ts';
import { assessmentErrors, CERTIFICATIONS, isHttpUrl, isSlug } from './scorecard.ts';
import * as store from './store.ts';
import type { Certification } from './tables.ts';

export const DATASETS = ['companies', 'criteria', 'assessments', 'guide'] as const;
export type Dataset = (typeof DATASETS)[number];
export const isDataset = (value: unknown): value is Dataset => typeof value === 'string' && (DATASETS as readonly string[]).includes(value);

export const COLUMNS: Record<Dataset, readonly string[]> = {
  companies: ['slug', 'name', 'country', 'brands', 'parent_company', 'contact_email', 'website', 'suggested'],
  criteria: ['slug', 'name', 'description', 'position'],
  assessments: ['company', 'criterion', 'year', 'grade', 'source_url', 'note'],
  guide: ['brand', 'country', 'certification', 'company', 'note', 'website'],
};

export const MAX_IMPORT_ROWS = 20_000;
/** A file with many bad rows reports the first ones; fixing them usually fixes the rest. */
const MAX_REPORTED = 50;

/** One dataset as CSV (editors). */
export async function exportCsv(deps: ChocolateDeps, actor: UserActor, dataset: string): Promise<Outcome<string>> {
  if (!can(actor, 'chocolate.edit')) return forbidden();
  if (!isDataset(dataset)) return invalid({ dataset: 'chocolate.errors.dataset' });
  const db = deps.db;
  let rows: (string | number | null)[][];
  if (dataset === 'companies') {
    rows = (await store.listCompanies(db)).map((c) => [c.slug, c.name, c.country, c.brands.join('; '), c.parent_company, c.contact_email, c.website, c.suggested ? 'yes' : 'no']);
  } else if (dataset === 'criteria') {
    rows = (await store.listCriteria(db)).map((k) => [k.slug, k.name, k.description, k.position]);
  } else if (dataset === 'assessments') {
    rows = (await store.exportAssessments(db)).map((a) => [a.company, a.criterion, Number(a.year), a.grade, a.source_url, a.note]);
  } else {
    rows = (await store.listGuide(db)).map((g) => [g.brand, g.country, g.certification, g.company, g.note, g.website]);
  }
  return ok(csvDocument(COLUMNS[dataset], rows));
}

export type RowWriter = (trx: ChocolateDeps['db']) => Promise<void>;

/** Imports a CSV file of one dataset: every row or none (editors). Returns how many rows were written. */
export async function importCsv(deps: ChocolateDeps, actor: UserActor, dataset: string, text: string): Promise<Outcome<{ rows: number }>> {
  if (!can(actor, 'chocolate.edit')) return forbidden();
  if (!isDataset(dataset)) return invalid({ dataset: 'chocolate.errors.dataset' });
  const parsed = parseCsv(text);
  if (!parsed.ok) return invalid({ [`line ${parsed.line}`]: `chocolate.errors.csv.${parsed.problem}` });
  const [header, ...body] = parsed.rows;
  if (!header) return invalid({ csv: 'chocolate.errors.csv.empty' });
  const columns = COLUMNS[dataset];
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = columns.filter((column) => !names.includes(column));
  const unknown = names.filter((name) => !columns.includes(name));
  if (missing.length > 0 || unknown.length > 0) return invalid({ 'line 1': 'chocolate.errors.csv.header' });
  if (body.length === 0) return invalid({ csv: 'chocolate.errors.csv.noRows' });
  if (body.length > MAX_IMPORT_ROWS) return invalid({ csv: 'chocolate.errors.csv.tooMany' });

  const errors: FieldErrors = {};
  const writers: RowWriter[] = [];
  const context = await lookups(deps);
  const seen = new Set<string>();
  body.forEach((cells, index) => {
    if (Object.keys(errors).length >= MAX_REPORTED) return;
    const line = index + 2;
    if (cells.length !== names.length) {
      errors[`line ${line}`] = 'chocolate.errors.csv.cellCount';
      return;
    }
    const row = Object.fromEntries(names.map((name, i) => [name, cells[i]!.trim()]));
    const result = checkRow(dataset, row, context);
    if ('errors' in result) {
      for (const [field, key] of Object.entries(result.errors)) errors[`line ${line}, ${field}`] = key;
      return;
    }
    // The same key twice in one file would leave the result depending on row order.
    if (seen.has(result.key)) {
      errors[`line ${line}`] = 'chocolate.errors.csv.duplicate';
      return;
    }
    seen.add(result.key);
    writers.push(result.write);
  });
  if (Object.keys(errors).length > 0) return invalid(errors);
  await deps.db.transaction().execute(async (trx) => {
    for (const write of writers) await write(trx);
    await appendAudit(trx, { actorId: actor.userId, action: 'chocolate.imported', subject: `chocolate-dataset:${dataset}`, detail: { rows: writers.length } });
  });
  return ok({ rows: writers.length });
}

export interface Lookups {
  companies: Map<string, string>;
  criteria: Map<string, string>;
}

export async function lookups(deps: ChocolateDeps): Promise<Lookups> {
  const [companies, criteria] = await Promise.all([store.listCompanies(deps.db), store.listCriteria(deps.db)]);
  return { companies: new Map(companies.map((c) => [c.slug, c.id])), criteria: new Map(criteria.map((k) => [k.slug, k.id])) };
}

export type Checked = { errors: FieldErrors } | { key: string; write: RowWriter };

/** Checks one row of a dataset (CSV line or editor's form, fields named as the CSV columns) and gives its writer. */
export function checkRow(dataset: Dataset, row: Record<string, string>, known: Lookups): Checked {
  const errors: FieldErrors = {};
  const done = (key: string, write: RowWriter): Checked => (Object.keys(errors).length > 0 ? { errors } : { key, write });
  const optionalUrl = (field: string, value: string) => {
    if (value !== '' && !isHttpUrl(value)) errors[field] = 'chocolate.errors.website';
    return value === '' ? null : value;
  };
  switch (dataset) {
    case 'companies': {
      const country = row.country!.toUpperCase();
      if (!isSlug(row.slug!)) errors.slug = 'chocolate.errors.slug';
      if (!row.name || row.name.length > 120) errors.name = 'chocolate.errors.name';
      if (!isCountryCode(country)) errors.country = 'chocolate.errors.country';
      const brands = row.brands!.split(';').map((b) => b.trim()).filter(Boolean);
      if (brands.length > 100 || brands.some((b) => b.length > 120)) errors.brands = 'chocolate.errors.brands';
      if (row.parent_company!.length > 120) errors.parent_company = 'chocolate.errors.parentCompany';
      const email = row.contact_email!.toLowerCase();
      if (email !== '' && !isEmail(email)) errors.contact_email = 'chocolate.errors.contactEmail';
      const website = optionalUrl('website', row.website!);
      const suggested = row.suggested!.toLowerCase();
      if (!['yes', 'no', ''].includes(suggested)) errors.suggested = 'chocolate.errors.yesNo';
      return done(`company:${row.slug}`, (trx) =>
        store.upsertCompany(trx, { slug: row.slug!, name: row.name!, country, brands, parentCompany: row.parent_company || null, contactEmail: email || null, website, suggested: suggested === 'yes' }),
      );
    }
    case 'criteria': {
      if (!isSlug(row.slug!)) errors.slug = 'chocolate.errors.slug';
      if (!row.name || row.name.length > 120) errors.name = 'chocolate.errors.name';
      if (row.description!.length > 1000) errors.description = 'chocolate.errors.description';
      const position = Number(row.position || '0');
      if (!/^-?\d{1,6}$/.test(row.position || '0')) errors.position = 'chocolate.errors.position';
      return done(`criterion:${row.slug}`, (trx) => store.upsertCriterion(trx, { slug: row.slug!, name: row.name!, description: row.description!, position }));
    }
    case 'assessments': {
      const checked = assessmentErrors({ company: row.company!, criterion: row.criterion!, year: row.year!, grade: row.grade!, sourceUrl: row.source_url!, note: row.note }, known);
      Object.assign(errors, Object.fromEntries(Object.entries(checked.errors).map(([k, v]) => [k === 'sourceUrl' ? 'source_url' : k, v])));
      const value = checked.value;
      return done(`assessment:${row.company}:${row.criterion}:${row.year}`, (trx) => store.upsertAssessment(trx, value!));
    }
    case 'guide': {
      const country = row.country!.toUpperCase();
      if (!row.brand || row.brand.length > 120) errors.brand = 'chocolate.errors.brand';
      if (!isCountryCode(country)) errors.country = 'chocolate.errors.country';
      if (!(CERTIFICATIONS as readonly string[]).includes(row.certification!)) errors.certification = 'chocolate.errors.certification';
      const companyId = row.company ? known.companies.get(row.company) : null;
      if (row.company && !companyId) errors.company = 'chocolate.errors.company';
      if (row.note!.length > 1000) errors.note = 'chocolate.errors.note';
      const website = optionalUrl('website', row.website!);
      return done(`guide:${country}:${row.brand!.toLowerCase()}`, (trx) =>
        store.upsertGuideEntry(trx, { brand: row.brand!, country, certification: row.certification as Certification, companyId: companyId ?? null, note: row.note!, website }),
      );
    }
  }
}
