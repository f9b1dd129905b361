/**
 * A signed-in person's own data as one JSON document (the right of access): their account, roles,
 * API tokens, group and partner memberships, and the reports they made under the account —
 * references, days, statuses, never content (decision 0018). Nothing about anyone else. The export
 * is audited (who, not what) and rate-limited by its routes.
 *
 * Supporters' campaign data (newsletter, declaration, events) is keyed by e-mail address, not by
 * account, and has its own self-service (the newsletter's preference centre); the document says so.
 */
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { can } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import type { Tables } from '../../core/db/tables.ts';
import { forbidden, notFound, ok, type Outcome } from '../../core/outcome.ts';
import { accountDataOf, type AccountData } from '../accounts/index.ts';
import { membershipsOfUser, type MembershipData } from '../groups/index.ts';
import { partnersOfUser } from '../partners/index.ts';
import { reportsOfReporterForExport, type ReportForExport } from '../reports/index.ts';

export interface AccountExport {
  format: 'cast-account-export';
  version: 1;
  exportedAt: string;
  account: AccountData;
  groups: MembershipData[];
  partnerOrganisations: string[];
  reports: ReportForExport[];
  notes: string[];
}

/** `t` translates the notes into the reader's language. */
export async function exportAccountData(db: Kysely<Tables>, actor: UserActor, t: (key: string) => string, now = new Date()): Promise<Outcome<AccountExport>> {
  if (!can(actor, 'account.read', { ownerId: actor.userId })) return forbidden();
  const account = await accountDataOf(db, actor.userId, now);
  if (!account) return notFound();
  const groups = await membershipsOfUser(db, actor.userId);
  const partnerOrganisations = await partnersOfUser(db, actor.userId);
  const reports = await reportsOfReporterForExport(db, actor.userId);
  await appendAudit(db, { actorId: actor.userId, action: 'account.data-exported', subject: `user:${actor.userId}` });
  return ok({
    format: 'cast-account-export',
    version: 1,
    exportedAt: now.toISOString(),
    account,
    groups,
    partnerOrganisations,
    reports,
    notes: ['reports', 'purged', 'supporters'].map((note) => t(`retention.export.notes.${note}`)),
  });
}
