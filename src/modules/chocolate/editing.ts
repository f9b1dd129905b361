/**
 * Editors' forms for what the campaign is made of, one record at a time: companies, criteria,
 * guide entries and campaigns (commitments and grades are in scorecard.ts). The CSV import does the
 * same in bulk; both check fields alike (companies, criteria and guide entries through the import's
 * own row check, with form fields named as the CSV columns).
 *
 * Guarantees: every use case authorises first (`chocolate.edit`); a new record never overwrites an
 * existing one (its short name, or a guide's country and brand, must be free); a change is written
 * and audited in one transaction, by slug or id, never with personal data; bad input changes nothing.
 */
import type { UserActor } from '../../core/auth/actor.ts';
import { can } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import { forbidden, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { isUuid } from '../../core/validation.ts';
import { MAX_MESSAGE, MIN_MESSAGE } from './action.ts';
import type { ChocolateDeps } from './deps.ts';
import { checkRow, lookups } from './editor-data.ts';
import { isDay, isSlug } from './scorecard.ts';
import * as store from './store.ts';
import type { Certification } from './tables.ts';

/** What a form sent: text fields only (anything else counts as empty). */
export type Values = Record<string, string | undefined>;
export const KINDS = ['companies', 'criteria', 'guide', 'campaigns'] as const;
export type Kind = (typeof KINDS)[number];
export const isKind = (value: string): value is Kind => (KINDS as readonly string[]).includes(value);

/** The fields of each kind, as the form names them (companies, criteria, guide: the CSV columns). */
export const FIELDS: Record<Kind, readonly string[]> = {
  companies: ['slug', 'name', 'country', 'brands', 'parent_company', 'contact_email', 'website', 'suggested'],
  criteria: ['slug', 'name', 'description', 'position'],
  guide: ['brand', 'country', 'certification', 'company', 'note', 'website'],
  campaigns: ['slug', 'title', 'deadline', 'suggested_subject', 'suggested_message', 'active'],
};

const AUDIT: Record<Kind, string> = { companies: 'chocolate.company-saved', criteria: 'chocolate.criterion-saved', guide: 'chocolate.guide-saved', campaigns: 'chocolate.campaign-saved' };
const SUBJECT: Record<Kind, string> = { companies: 'chocolate-company', criteria: 'chocolate-criterion', guide: 'chocolate-guide-entry', campaigns: 'chocolate-campaign' };

const row = (kind: Kind, values: Values): Record<string, string> => Object.fromEntries(FIELDS[kind].map((f) => [f, (values[f] ?? '').trim()]));
const hasErrors = (errors: FieldErrors) => Object.keys(errors).length > 0;

/** One record's current values as its form shows them; `notFound` when there is no such record. */
export async function recordValues(deps: ChocolateDeps, actor: UserActor, kind: Kind, key: string): Promise<Outcome<Values>> {
  if (!can(actor, 'chocolate.edit')) return forbidden();
  if (kind === 'guide') {
    const entry = isUuid(key) ? await store.findGuideEntry(deps.db, key) : undefined;
    if (!entry) return notFound();
    return ok({ brand: entry.brand, country: entry.country, certification: entry.certification, company: entry.company ?? '', note: entry.note, website: entry.website ?? '' });
  }
  if (!isSlug(key)) return notFound();
  if (kind === 'companies') {
    const c = await store.findCompany(deps.db, key);
    if (!c) return notFound();
    return ok({ slug: c.slug, name: c.name, country: c.country, brands: c.brands.join('; '), parent_company: c.parent_company ?? '', contact_email: c.contact_email ?? '', website: c.website ?? '', suggested: c.suggested ? 'yes' : '' });
  }
  if (kind === 'criteria') {
    const k = await store.findCriterion(deps.db, key);
    if (!k) return notFound();
    return ok({ slug: k.slug, name: k.name, description: k.description, position: String(k.position) });
  }
  const campaign = await store.findCampaign(deps.db, key);
  if (!campaign) return notFound();
  return ok({ slug: campaign.slug, title: campaign.title, deadline: campaign.deadline, suggested_subject: campaign.suggested_subject, suggested_message: campaign.suggested_message, active: campaign.active ? 'yes' : '' });
}

/**
 * Saves one record from its form: a new one when `key` is undefined, else the record `key` names
 * (its slug, or a guide entry's id; a slug never changes). Returns the record's key.
 */
export async function saveRecord(deps: ChocolateDeps, actor: UserActor, kind: Kind, key: string | undefined, values: Values): Promise<Outcome<{ key: string }>> {
  if (!can(actor, 'chocolate.edit')) return forbidden();
  const fields = row(kind, values);
  if (key !== undefined) {
    const existing = await recordValues(deps, actor, kind, key);
    if (!existing.ok) return existing;
    if (kind !== 'guide') fields.slug = key;
  }
  // Checkboxes send "yes" when ticked and nothing otherwise.
  if (kind === 'companies') fields.suggested = fields.suggested === 'yes' ? 'yes' : 'no';
  const checked = kind === 'campaigns' ? await checkCampaign(deps, fields, key) : await checkOther(deps, kind, fields, key);
  if ('errors' in checked) return invalid(checked.errors);
  return deps.db.transaction().execute(async (trx) => {
    const saved = await checked.write(trx);
    await appendAudit(trx, { actorId: actor.userId, action: AUDIT[kind], subject: `${SUBJECT[kind]}:${saved}`, detail: { created: key === undefined } });
    return ok({ key: saved });
  });
}

/** Removes a guide entry (a brand that lost its certification, or a mistake). */
export async function deleteGuideEntry(deps: ChocolateDeps, actor: UserActor, id: string): Promise<Outcome> {
  if (!can(actor, 'chocolate.edit')) return forbidden();
  if (!isUuid(id)) return notFound();
  return deps.db.transaction().execute(async (trx) => {
    if (!(await store.deleteGuideEntry(trx, id))) return notFound();
    await appendAudit(trx, { actorId: actor.userId, action: 'chocolate.guide-deleted', subject: `chocolate-guide-entry:${id}` });
    return ok(undefined);
  });
}

type Writer = (trx: ChocolateDeps['db']) => Promise<string>;
type Checked = { errors: FieldErrors } | { write: Writer };

/** Companies, criteria and guide entries: the CSV import's row check, plus "is the name free?". */
async function checkOther(deps: ChocolateDeps, kind: Exclude<Kind, 'campaigns'>, fields: Record<string, string>, key: string | undefined): Promise<Checked> {
  const known = await lookups(deps);
  const result = checkRow(kind, fields, known);
  const errors: FieldErrors = 'errors' in result ? { ...result.errors } : {};
  if (kind === 'companies' && key === undefined && known.companies.has(fields.slug!)) errors.slug = 'chocolate.errors.slugTaken';
  if (kind === 'criteria' && key === undefined && known.criteria.has(fields.slug!)) errors.slug = 'chocolate.errors.slugTaken';
  if (kind === 'guide' && !errors.brand && !errors.country && (await store.guideEntryExists(deps.db, fields.country!.toUpperCase(), fields.brand!, key))) errors.brand = 'chocolate.errors.brandTaken';
  if (hasErrors(errors) || 'errors' in result) return { errors };
  if (kind !== 'guide') {
    return {
      write: async (trx) => {
        await result.write(trx);
        return fields.slug!;
      },
    };
  }
  // A guide entry is changed by its id (the import matches by country and brand instead).
  return {
    write: (trx) =>
      store.saveGuideEntry(trx, key, {
        brand: fields.brand!,
        country: fields.country!.toUpperCase(),
        certification: fields.certification as Certification,
        companyId: fields.company ? (known.companies.get(fields.company) ?? null) : null,
        note: fields.note!,
        website: fields.website || null,
      }),
  };
}

async function checkCampaign(deps: ChocolateDeps, fields: Record<string, string>, key: string | undefined): Promise<Checked> {
  const errors: FieldErrors = {};
  if (!isSlug(fields.slug!)) errors.slug = 'chocolate.errors.slug';
  else if (key === undefined && (await store.findCampaign(deps.db, fields.slug!))) errors.slug = 'chocolate.errors.slugTaken';
  if (!fields.title || fields.title.length > 200) errors.title = 'chocolate.errors.title';
  if (!isDay(fields.deadline!)) errors.deadline = 'chocolate.errors.date';
  if (!fields.suggested_subject || fields.suggested_subject.length > 200) errors.suggested_subject = 'chocolate.errors.subject';
  if (fields.suggested_message!.length < MIN_MESSAGE || fields.suggested_message!.length > MAX_MESSAGE) errors.suggested_message = 'chocolate.errors.message';
  if (!['yes', ''].includes(fields.active!)) errors.active = 'chocolate.errors.yesNo';
  if (hasErrors(errors)) return { errors };
  return {
    write: async (trx) => {
      await store.saveCampaign(trx, { slug: fields.slug!, title: fields.title!, deadline: fields.deadline!, suggestedSubject: fields.suggested_subject!, suggestedMessage: fields.suggested_message!, active: fields.active === 'yes' });
      return fields.slug!;
    },
  };
}

/** Everything the editors' page lists, with links to each record's form. */
export async function editorLists(deps: ChocolateDeps) {
  const [companies, criteria, guide, campaigns] = await Promise.all([store.listCompanies(deps.db), store.listCriteria(deps.db), store.listGuide(deps.db), store.listCampaigns(deps.db)]);
  return {
    companies: companies.map((c) => ({ slug: c.slug, name: c.name })),
    criteria: criteria.map((k) => ({ slug: k.slug, name: k.name })),
    guide: guide.map((g) => ({ id: g.id, brand: g.brand, country: g.country })),
    campaigns: campaigns.map((k) => ({ slug: k.slug, title: k.title, active: k.active })),
  };
}
