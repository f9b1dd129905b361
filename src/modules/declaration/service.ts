/**
 * Declarations: what people read and sign, and editors' management of them. Public reads are kept
 * for a few seconds per process (a declaration changes rarely; a crowd reads it constantly).
 * Management is for editors and administrators; every change is audited (ids only).
 */
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { can } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import type { Tables } from '../../core/db/tables.ts';
import { LANGUAGES, type Language } from '../../core/i18n.ts';
import { forbidden, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { isUuid } from '../../core/validation.ts';
import * as store from './store.ts';

const PUBLIC_CACHE_MS = 5000;
// Control characters (other than line breaks in the body) are refused.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export interface DeclarationView {
  id: string;
  slug: string;
  /** The language of the text shown: the reader's if the declaration has it, else its first. */
  language: string;
  languages: string[];
  title: string;
  summary: string;
  body: string;
  opensAt: Date;
  closesAt: Date | null;
  open: boolean;
}

function viewOf(row: store.DeclarationRow, texts: store.TextRow[], lang: Language, now = new Date()): DeclarationView | undefined {
  const own = texts.filter((t) => t.declaration_id === row.id);
  const text = own.find((t) => t.language === lang) ?? own[0];
  if (!text) return undefined;
  return {
    id: row.id,
    slug: row.slug,
    language: text.language,
    languages: own.map((t) => t.language),
    title: text.title,
    summary: text.summary,
    body: text.body,
    opensAt: new Date(row.opens_at),
    closesAt: row.closes_at ? new Date(row.closes_at) : null,
    open: new Date(row.opens_at) <= now && (row.closes_at === null || new Date(row.closes_at) > now),
  };
}

export interface PublicDeclarations {
  list(lang: Language): Promise<DeclarationView[]>;
  bySlug(slug: string, lang: Language): Promise<DeclarationView | undefined>;
  /** Forgets what is kept, after a change made in this process. */
  forget(): void;
}

export function createPublicDeclarations(db: Kysely<Tables>): PublicDeclarations {
  let cached: { at: number; value: Promise<{ rows: store.DeclarationRow[]; texts: store.TextRow[] }> } | undefined;
  const load = () => {
    if (cached && Date.now() - cached.at < PUBLIC_CACHE_MS) return cached.value;
    const value = store.listDeclarations(db).then(async (rows) => ({ rows, texts: await store.textsOf(db, rows.map((r) => r.id)) }));
    cached = { at: Date.now(), value };
    value.catch(() => (cached = undefined));
    return value;
  };
  return {
    async list(lang) {
      const { rows, texts } = await load();
      const now = new Date();
      return rows.filter((r) => new Date(r.opens_at) <= now).flatMap((r) => viewOf(r, texts, lang, now) ?? []);
    },
    async bySlug(slug, lang) {
      const { rows, texts } = await load();
      const row = rows.find((r) => r.slug === slug);
      const view = row ? viewOf(row, texts, lang) : undefined;
      // Not yet open: as if it did not exist.
      return view && view.opensAt <= new Date() ? view : undefined;
    },
    forget() {
      cached = undefined;
    },
  };
}

// ------------------------------------------------------------------ management

export interface DeclarationInput {
  slug?: string | undefined;
  opensOn?: string | undefined;
  closesOn?: string | undefined;
  texts: Partial<Record<Language, { title?: string | undefined; summary?: string | undefined; body?: string | undefined }>>;
}

/** Words of the module's own addresses (/declarations/manage …), which a declaration cannot take. */
const RESERVED_SLUGS = new Set(['manage', 'moderation', 'confirm']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(value: string | undefined): Date | undefined {
  if (!value || !DATE.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? undefined : date;
}

export function checkDeclaration(input: DeclarationInput): { ok: true; value: store.DeclarationFields } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const slug = (input.slug ?? '').trim().toLowerCase();
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > 60 || RESERVED_SLUGS.has(slug)) errors.slug = 'declaration.errors.slug';
  const opensAt = parseDate(input.opensOn?.trim());
  if (!opensAt) errors.opensOn = 'declaration.errors.date';
  const closesAt = input.closesOn?.trim() ? parseDate(input.closesOn.trim()) : null;
  if (closesAt === undefined) errors.closesOn = 'declaration.errors.date';
  else if (closesAt && opensAt && closesAt <= opensAt) errors.closesOn = 'declaration.errors.closesBeforeOpens';
  const texts: store.DeclarationFields['texts'] = [];
  for (const language of LANGUAGES) {
    const given = input.texts[language];
    const title = given?.title?.trim() ?? '';
    const summary = given?.summary?.trim() ?? '';
    const body = given?.body?.trim() ?? '';
    if (title === '' && summary === '' && body === '') continue;
    if (title === '' || title.length > 200 || CONTROL.test(title)) errors[`title_${language}`] = 'declaration.errors.title';
    if (summary.length > 1000 || CONTROL.test(summary)) errors[`summary_${language}`] = 'declaration.errors.summary';
    if (body === '' || body.length > 20000 || CONTROL.test(body)) errors[`body_${language}`] = 'declaration.errors.body';
    texts.push({ language, title, summary, body });
  }
  if (texts.length === 0) errors[`title_${LANGUAGES[0]}`] ??= 'declaration.errors.noText';
  if (Object.keys(errors).length > 0 || !opensAt || closesAt === undefined) return { ok: false, errors };
  return { ok: true, value: { slug, opensAt, closesAt, texts } };
}

export interface EditableDeclaration {
  row: store.DeclarationRow;
  texts: store.TextRow[];
}

export async function listForEditors(db: Kysely<Tables>, actor: UserActor): Promise<Outcome<EditableDeclaration[]>> {
  if (!can(actor, 'declarations.manage')) return forbidden();
  const rows = await store.listDeclarations(db);
  const texts = await store.textsOf(db, rows.map((r) => r.id));
  return ok(rows.map((row) => ({ row, texts: texts.filter((t) => t.declaration_id === row.id) })));
}

export async function getForEditors(db: Kysely<Tables>, actor: UserActor, id: string): Promise<Outcome<EditableDeclaration>> {
  if (!can(actor, 'declarations.manage')) return forbidden();
  const row = isUuid(id) ? await store.findDeclaration(db, { id }) : undefined;
  if (!row) return notFound();
  return ok({ row, texts: await store.textsOf(db, [row.id]) });
}

export async function createDeclaration(db: Kysely<Tables>, actor: UserActor, input: DeclarationInput): Promise<Outcome<{ id: string }>> {
  if (!can(actor, 'declarations.manage')) return forbidden();
  const checked = checkDeclaration(input);
  if (!checked.ok) return invalid(checked.errors);
  return db.transaction().execute(async (trx) => {
    const id = await store.insertDeclaration(trx, checked.value);
    if (!id) return invalid({ slug: 'declaration.errors.slugTaken' });
    await appendAudit(trx, { actorId: actor.userId, action: 'declaration.created', subject: `declaration:${id}` });
    return ok({ id });
  });
}

export async function updateDeclaration(db: Kysely<Tables>, actor: UserActor, id: string, input: DeclarationInput): Promise<Outcome<{ id: string }>> {
  if (!can(actor, 'declarations.manage')) return forbidden();
  if (!isUuid(id)) return notFound();
  const checked = checkDeclaration(input);
  if (!checked.ok) return invalid(checked.errors);
  return db.transaction().execute(async (trx) => {
    const result = await store.updateDeclaration(trx, id, checked.value);
    if (result === 'missing') return notFound();
    if (result === 'slug-taken') return invalid({ slug: 'declaration.errors.slugTaken' });
    await appendAudit(trx, { actorId: actor.userId, action: 'declaration.updated', subject: `declaration:${id}` });
    return ok({ id });
  });
}
