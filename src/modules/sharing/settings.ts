/**
 * The choices behind a disclosure: a group's rule on second approval, a partnership's disclosure
 * terms (which identifier kinds may travel in clear, whether precise locations may), and what the
 * builder page offers (the partnerships the caller may send through, the graded reports of one).
 *
 * Guarantees: only the group's coordinators change its rule; only its coordinators or national
 * coordinators of its country change a partnership's terms; every change is audited.
 */
import type { UserActor } from '../../core/auth/actor.ts';
import { appendAudit } from '../../core/audit.ts';
import { forbidden, invalid, notFound, ok, type Outcome } from '../../core/outcome.ts';
import { networkForSharing, networksOfReport } from '../correlation/index.ts';
import { groupBasics, groupsCoordinatedBy, membershipOf } from '../groups/index.ts';
import { activePartnershipsOf, partnershipById, type ActivePartnership } from '../partners/index.ts';
import { listGroupReports, type QueueItem } from '../reports/index.ts';
import { nationalCountries, refusal, verdictFor, WRONG_SCOPE, lacksScope } from './access.ts';
import type { Terms } from './package.ts';
import type { SharingDeps } from './service.ts';
import * as store from './store.ts';
import { IDENTIFIER_KINDS, type IdentifierKind } from './tables.ts';

/** Whether the group needs a second coordinator's approval, for its coordinators. */
export async function groupSettings(deps: Pick<SharingDeps, 'db'>, actor: UserActor, groupId: string): Promise<Outcome<{ groupId: string; groupName: string; secondApproval: boolean }>> {
  const group = await groupBasics(deps.db, groupId);
  if (!group) return notFound();
  const coordinator = (await membershipOf(deps.db, group.id, actor.userId)) === 'coordinator';
  const verdict = verdictFor(actor, 'disclosures.build', coordinator ? ['group-coordinator'] : [], group.country);
  if (verdict !== 'allowed') return refusal(verdict);
  return ok({ groupId: group.id, groupName: group.name, secondApproval: await store.secondApproval(deps.db, group.id) });
}

/** A group's coordinator turns second approval on or off for the group's disclosures. */
export async function setSecondApproval(deps: Pick<SharingDeps, 'db'>, actor: UserActor, groupId: string, required: boolean): Promise<Outcome<{ secondApproval: boolean }>> {
  const group = await groupBasics(deps.db, groupId);
  if (!group) return notFound();
  const coordinator = (await membershipOf(deps.db, group.id, actor.userId)) === 'coordinator';
  if (!coordinator) return verdictFor(actor, 'disclosures.build', [], group.country) === 'allowed' ? forbidden() : notFound();
  const verdict = verdictFor(actor, 'disclosures.build', ['group-coordinator'], group.country);
  if (verdict !== 'allowed') return refusal(verdict);
  return deps.db.transaction().execute(async (trx) => {
    await store.setSecondApproval(trx, group.id, required, actor.userId);
    await appendAudit(trx, { actorId: actor.userId, action: 'sharing.second-approval-set', subject: `group:${group.id}`, detail: { required } });
    return ok({ secondApproval: required });
  });
}

/** The partnership the caller may send through, or a failure. */
async function sendable(deps: Pick<SharingDeps, 'db'>, actor: UserActor, partnershipId: string) {
  const partnership = await partnershipById(deps.db, partnershipId);
  if (!partnership) return { ok: false as const, failure: notFound() };
  const coordinator = (await membershipOf(deps.db, partnership.groupId, actor.userId)) === 'coordinator';
  const verdict = verdictFor(actor, 'disclosures.build', coordinator ? ['group-coordinator'] : [], partnership.country);
  if (verdict !== 'allowed') return { ok: false as const, failure: refusal(verdict) };
  return { ok: true as const, partnership };
}

export interface TermsInput {
  identifierKinds: readonly string[];
  preciseLocation: boolean;
}

/** Sets what disclosures through a partnership may carry beyond summaries and grades. */
export async function setDisclosureTerms(deps: Pick<SharingDeps, 'db'>, actor: UserActor, partnershipId: string, input: TermsInput): Promise<Outcome<Terms>> {
  const found = await sendable(deps, actor, partnershipId);
  if (!found.ok) return found.failure;
  const kinds = [...new Set(input.identifierKinds)];
  if (!kinds.every((kind) => (IDENTIFIER_KINDS as readonly string[]).includes(kind))) return invalid({ identifierKinds: 'sharing.errors.identifierKinds' });
  const terms = { identifierKinds: kinds as IdentifierKind[], preciseLocation: input.preciseLocation };
  return deps.db.transaction().execute(async (trx) => {
    await store.setTerms(trx, found.partnership.id, terms, actor.userId);
    await appendAudit(trx, { actorId: actor.userId, action: 'sharing.terms-set', subject: `partnership:${found.partnership.id}`, detail: { ...terms } });
    return ok(terms);
  });
}

export interface BuilderChoices {
  partnerships: (ActivePartnership & { groupName: string })[];
  chosen?: { partnership: ActivePartnership & { groupName: string }; terms: Terms; reports: QueueItem[]; networks: { id: string; name: string }[]; secondApproval: boolean } | undefined;
}

/** What the builder page offers: active partnerships of the groups the caller coordinates (or of their country), and the graded reports of the chosen one's group. */
export async function builderChoices(deps: SharingDeps, actor: UserActor, partnershipId?: string): Promise<Outcome<BuilderChoices>> {
  if (lacksScope(actor, 'disclosures.build')) return forbidden(WRONG_SCOPE);
  const partnerships = await activePartnershipsOf(deps.db, { groupIds: await groupsCoordinatedBy(deps.db, actor.userId), countries: nationalCountries(actor) });
  const named: BuilderChoices['partnerships'] = [];
  for (const partnership of partnerships) named.push({ ...partnership, groupName: (await groupBasics(deps.db, partnership.groupId))?.name ?? '' });
  const picked = partnershipId ? named.find((partnership) => partnership.id === partnershipId) : undefined;
  if (!picked) return ok({ partnerships: named });
  const found = await sendable(deps, actor, picked.id);
  if (!found.ok) return found.failure;
  const [terms, graded, shared, secondApproval] = await Promise.all([
    store.termsOf(deps.db, picked.id),
    listGroupReports(deps, actor, picked.groupId, { status: 'graded' }),
    listGroupReports(deps, actor, picked.groupId, { status: 'shared' }),
    store.secondApproval(deps.db, picked.groupId),
  ]);
  if (!graded.ok) return graded;
  const reports = [...graded.value.items, ...(shared.ok ? shared.value.items : [])];
  // Networks (correlation module) holding any of these reports, of the partnership's country.
  const networkIds = new Set<string>();
  for (const report of reports) for (const id of await networksOfReport(deps.db, report.id)) networkIds.add(id);
  const networks: { id: string; name: string }[] = [];
  for (const id of networkIds) {
    const network = await networkForSharing(deps.db, id);
    if (network && network.country === picked.country) networks.push({ id: network.id, name: network.name });
  }
  networks.sort((a, b) => a.name.localeCompare(b.name));
  return ok({ partnerships: named, chosen: { partnership: picked, terms, reports, networks, secondApproval } });
}
