/**
 * The operator's side of the abuse controls (administrators): the limits and the erasure delay, the
 * domain lists, the trending domains and address hashes of a declaration, and bulk invalidation.
 * Address hashes are keyed and change every day, so this view never shows an address and cannot
 * follow one from day to day. Every change is audited.
 */
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { can } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import type { Tables } from '../../core/db/tables.ts';
import { forbidden, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { isUuid } from '../../core/validation.ts';
import { domainToASCII } from 'node:url';
import * as store from './store.ts';
import type { DomainRuleKind } from './tables.ts';

export const TREND_HOURS = [1, 6, 24, 168] as const;

export interface ModerationView {
  settings: store.Settings;
  rules: { domain: string; kind: DomainRuleKind }[];
  declarationId: string | undefined;
  hours: number;
  domains: store.Trend[];
  addresses: store.Trend[];
}

export async function moderationView(db: Kysely<Tables>, actor: UserActor, options: { declarationId?: string | undefined; hours?: number | undefined }): Promise<Outcome<ModerationView>> {
  if (!can(actor, 'declarations.moderate')) return forbidden();
  const hours = TREND_HOURS.includes(options.hours as (typeof TREND_HOURS)[number]) ? options.hours! : 24;
  const declarationId = options.declarationId && isUuid(options.declarationId) ? options.declarationId : undefined;
  const since = new Date(Date.now() - hours * 3600_000);
  const [settings, rules, domains, addresses] = await Promise.all([
    store.readSettings(db),
    store.domainRules(db),
    declarationId ? store.trending(db, declarationId, 'email_domain', since) : [],
    declarationId ? store.trending(db, declarationId, 'ip_hash', since) : [],
  ]);
  return ok({ settings, rules, declarationId, hours, domains, addresses });
}

const SETTING_LIMITS: Record<keyof store.Settings, [number, number]> = {
  burstMax: [1, 100_000],
  burstSeconds: [1, 86_400],
  sustainedMax: [1, 1_000_000],
  sustainedSeconds: [1, 86_400],
  eraseAfterDays: [1, 3650],
};

export async function updateSettings(db: Kysely<Tables>, actor: UserActor, input: Record<string, unknown>): Promise<Outcome<store.Settings>> {
  if (!can(actor, 'declarations.moderate')) return forbidden();
  const errors: FieldErrors = {};
  const values = {} as store.Settings;
  for (const [field, [min, max]] of Object.entries(SETTING_LIMITS) as [keyof store.Settings, [number, number]][]) {
    const raw = input[field];
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (!Number.isInteger(value) || value < min || value > max) errors[field] = 'declaration.errors.setting';
    else values[field] = value;
  }
  if (Object.keys(errors).length > 0) return invalid(errors);
  await db.transaction().execute(async (trx) => {
    await store.writeSettings(trx, values);
    await appendAudit(trx, { actorId: actor.userId, action: 'declaration.settings-changed', subject: 'declaration-settings', detail: { ...values } });
  });
  return ok(values);
}

/** A domain as typed by an operator, in the form signatures store it (ASCII, lower case). */
function domainOf(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const domain = domainToASCII(raw.trim().replace(/^@/, '')).toLowerCase();
  return /^([a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}$/.test(domain) && domain.length <= 253 ? domain : undefined;
}

export async function addDomainRule(db: Kysely<Tables>, actor: UserActor, input: { domain?: unknown; kind?: unknown }): Promise<Outcome<{ domain: string }>> {
  if (!can(actor, 'declarations.moderate')) return forbidden();
  const domain = domainOf(input.domain);
  const kind = input.kind === 'blocked' || input.kind === 'disposable' ? input.kind : undefined;
  const errors: FieldErrors = {};
  if (!domain) errors.domain = 'declaration.errors.domain';
  if (!kind) errors.kind = 'errors.choice';
  if (!domain || !kind) return invalid(errors);
  await db.transaction().execute(async (trx) => {
    await store.addDomainRule(trx, domain, kind);
    await appendAudit(trx, { actorId: actor.userId, action: 'declaration.domain-rule-added', subject: 'declaration-settings', detail: { domain, kind } });
  });
  return ok({ domain });
}

export async function removeDomainRule(db: Kysely<Tables>, actor: UserActor, input: { domain?: unknown }): Promise<Outcome<{ domain: string }>> {
  if (!can(actor, 'declarations.moderate')) return forbidden();
  const domain = domainOf(input.domain);
  if (!domain) return invalid({ domain: 'declaration.errors.domain' });
  const removed = await db.transaction().execute(async (trx) => {
    const done = await store.removeDomainRule(trx, domain);
    if (done) await appendAudit(trx, { actorId: actor.userId, action: 'declaration.domain-rule-removed', subject: 'declaration-settings', detail: { domain } });
    return done;
  });
  return removed ? ok({ domain }) : notFound();
}

export async function invalidateSignatures(
  db: Kysely<Tables>,
  actor: UserActor,
  input: { declarationId?: unknown; by?: unknown; value?: unknown; hours?: unknown },
): Promise<Outcome<{ marked: number }>> {
  if (!can(actor, 'declarations.moderate')) return forbidden();
  const errors: FieldErrors = {};
  const declarationId = typeof input.declarationId === 'string' && isUuid(input.declarationId) ? input.declarationId : undefined;
  if (!declarationId) errors.declarationId = 'errors.choice';
  const by = input.by === 'domain' ? 'email_domain' : input.by === 'address' ? 'ip_hash' : undefined;
  if (!by) errors.by = 'errors.choice';
  const value = by === 'email_domain' ? domainOf(input.value) : typeof input.value === 'string' && /^declaration:[A-Za-z0-9_-]{43}$/.test(input.value) ? input.value : undefined;
  if (!value) errors.value = 'declaration.errors.invalidateValue';
  const hours = Number(input.hours);
  if (!TREND_HOURS.includes(hours as (typeof TREND_HOURS)[number])) errors.hours = 'errors.choice';
  if (!declarationId || !by || !value || Object.keys(errors).length > 0) return invalid(errors);
  if (!(await store.findDeclaration(db, { id: declarationId }))) return notFound();
  const marked = await db.transaction().execute(async (trx) => {
    const count = await store.invalidate(trx, declarationId, by, value, new Date(Date.now() - hours * 3600_000));
    await appendAudit(trx, { actorId: actor.userId, action: 'declaration.signatures-invalidated', subject: `declaration:${declarationId}`, detail: { by: input.by, hours, count } });
    return count;
  });
  return ok({ marked });
}
