/**
 * Disclosures: a coordinator builds a package of graded reports for a partner, a second coordinator
 * approves it (unless the group has chosen otherwise), it is sent through an active partnership, and
 * the partner's users read and acknowledge it.
 *
 * Guarantees: authorisation first (access.ts), deny by default, not-found for what the caller may not
 * know exists; a disclosure goes only through an active partnership whose agreement covers the
 * handling code of every report in it, and the check is made again when it is sent; the package is
 * frozen and sealed when built, so what is approved is what is sent; sending marks the reports
 * shared, enqueues the notifications (a link, no content) and writes the audit entries in one
 * transaction; every opening of a package is audited.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { appendAudit } from '../../core/audit.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { FieldSealer } from '../../core/field-sealer.ts';
import { translator } from '../../core/i18n.ts';
import type { Jobs } from '../../core/jobs.ts';
import { enqueueMail } from '../../core/mail-job.ts';
import { conflict, forbidden, invalid, notFound, ok, type Failure, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { isUuid } from '../../core/validation.ts';
import { networkForSharing } from '../correlation/index.ts';
import { groupBasics } from '../groups/index.ts';
import { partnershipById, partnerUserContacts, type ActivePartnership } from '../partners/index.ts';
import { disclosableReport, markReportShared, type DisclosableReport } from '../reports/index.ts';
import { lacksScope, nationalCountries, refusal, standingOf, verdictFor, WRONG_SCOPE } from './access.ts';
import { linkedIdentifiers, toPartnerView, uncoveredCodes, type DisclosurePackage } from './package.ts';
import * as store from './store.ts';
import { MARKINGS, OUTCOME_KINDS, type DisclosureStatus, type Marking, type OutcomeKind } from './tables.ts';

export interface SharingDeps {
  db: Kysely<Tables>;
  sealer: FieldSealer;
  jobs: Jobs;
  /** The site's address, for the link in notifications. */
  publicUrl: string;
}

export const MAX_REPORTS = 200;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const newReference = () => `D-${[...crypto.randomBytes(8)].map((byte) => ALPHABET[byte % 32]).join('')}`;

/** Either selected reports or a network (its graded reports), never both. */
export interface DisclosureInput {
  partnershipId: string;
  reportIds?: readonly string[] | undefined;
  networkId?: string | undefined;
  marking?: string | undefined;
}

export interface DisclosureSummary {
  id: string;
  reference: string;
  status: DisclosureStatus;
  groupId: string;
  partnerId: string;
  country: string;
  marking: Marking | null;
  handlingCodes: ('P' | 'C')[];
  reportCount: number;
  createdAt: string;
  sentAt: string | null;
  acknowledgedAt: string | null;
}

export interface OutcomeView {
  id: string;
  kind: OutcomeKind;
  count: number | null;
  /** For the sending coordinators and the partner; null for anyone else. */
  note: string | null;
  recordedOn: string;
}

export interface DisclosureView extends DisclosureSummary {
  package: DisclosurePackage;
  outcomes: OutcomeView[];
  createdBy: string | null;
  approvedBy: string | null;
  /** What the caller may do with it now. */
  canApprove: boolean;
  canAcknowledge: boolean;
  canRecordOutcome: boolean;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

const summaryOf = (row: Omit<store.DisclosureRow, 'content_sealed'>): DisclosureSummary => ({
  id: row.id,
  reference: row.reference,
  status: row.status,
  groupId: row.group_id,
  partnerId: row.partner_id,
  country: row.country,
  marking: row.marking,
  handlingCodes: row.handling_codes,
  reportCount: row.report_count,
  createdAt: new Date(row.created_at).toISOString(),
  sentAt: iso(row.sent_at),
  acknowledgedAt: iso(row.acknowledged_at),
});

/** Runs `run` in a transaction, rolling it back when it returns a failure. */
async function atomically<T>(db: Kysely<Tables>, run: (trx: Kysely<Tables>) => Promise<Outcome<T>>): Promise<Outcome<T>> {
  const rollback = Symbol('rollback');
  let failure: Failure | undefined;
  try {
    return await db.transaction().execute(async (trx) => {
      const outcome = await run(trx);
      if (!outcome.ok) {
        failure = outcome;
        throw rollback;
      }
      return outcome;
    });
  } catch (error) {
    if (error === rollback && failure) return failure;
    throw error;
  }
}

// ---------------------------------------------------------------- building

/** Checks the partnership and the caller's standing to send through it. */
async function channelFor(deps: SharingDeps, actor: UserActor, partnershipId: string): Promise<{ ok: true; partnership: ActivePartnership & { status: string } } | Failure> {
  if (lacksScope(actor, 'disclosures.build')) return forbidden(WRONG_SCOPE);
  const partnership = isUuid(partnershipId) ? await partnershipById(deps.db, partnershipId) : undefined;
  if (!partnership) return invalid({ partnershipId: 'sharing.errors.partnershipUnknown' });
  const standing = await standingOf(deps.db, actor, { groupId: partnership.groupId, partnerId: partnership.partnerId });
  const verdict = verdictFor(actor, 'disclosures.build', standing.coordinator ? ['group-coordinator'] : [], partnership.country);
  if (verdict !== 'allowed') return verdict === 'denied' ? invalid({ partnershipId: 'sharing.errors.partnershipUnknown' }) : refusal(verdict);
  if (partnership.status !== 'active') return invalid({ partnershipId: 'sharing.errors.partnershipNotActive' });
  return { ok: true, partnership };
}

const held = (report: DisclosableReport, partnership: ActivePartnership) =>
  report.groupId === partnership.groupId || (report.groupId === null && report.country === partnership.country);

/** The reports, each one the actor reviews, graded, held by the partnership's group (or, for a national coordinator, in its country's national inbox). */
async function reportsFor(deps: SharingDeps, actor: UserActor, partnership: ActivePartnership, reportIds: readonly string[]): Promise<{ ok: true; reports: DisclosableReport[] } | Failure> {
  const ids = [...new Set(reportIds.map((id) => id.toLowerCase()))];
  if (ids.length === 0) return invalid({ reportIds: 'sharing.errors.reportsRequired' });
  if (ids.length > MAX_REPORTS) return invalid({ reportIds: 'sharing.errors.tooManyReports' });
  if (!ids.every(isUuid)) return invalid({ reportIds: 'sharing.errors.reportUnknown' });
  const reports: DisclosableReport[] = [];
  for (const id of ids) {
    const found = await disclosableReport(deps, actor, id);
    if (!found.ok) return invalid({ reportIds: found.reason === 'conflict' ? 'sharing.errors.reportNotGraded' : found.reason === 'forbidden' ? 'sharing.errors.twoFactor' : 'sharing.errors.reportUnknown' });
    if (!held(found.value, partnership)) return invalid({ reportIds: 'sharing.errors.reportOtherGroup' });
    reports.push(found.value);
  }
  if (uncoveredCodes(reports, partnership.handlingCodes).length > 0) return invalid({ reportIds: 'sharing.errors.handlingNotCovered' });
  return { ok: true, reports };
}

/**
 * A network's graded reports (its ungraded ones cannot leave: they have no sanitised summary). The
 * actor must review every report of the network, and every one must be held by the partnership's
 * group or the national inbox of its country, whoever builds it: the group's coordinators read what
 * goes out in their group's name, and must not read another group's reports that way.
 */
async function networkReportsFor(deps: SharingDeps, actor: UserActor, partnership: ActivePartnership, networkId: string): Promise<{ ok: true; reports: DisclosableReport[]; network: { id: string; name: string } } | Failure> {
  const network = await networkForSharing(deps.db, networkId);
  if (!network || network.country !== partnership.country) return invalid({ networkId: 'sharing.errors.networkUnknown' });
  const reports: DisclosableReport[] = [];
  for (const id of network.reportIds) {
    const found = await disclosableReport(deps, actor, id);
    if (!found.ok && found.reason === 'conflict') continue;
    if (!found.ok) return invalid({ networkId: found.reason === 'forbidden' ? 'sharing.errors.twoFactor' : 'sharing.errors.networkNotYours' });
    if (!held(found.value, partnership)) return invalid({ networkId: 'sharing.errors.networkNotYours' });
    reports.push(found.value);
  }
  if (reports.length === 0) return invalid({ networkId: 'sharing.errors.networkNotGraded' });
  if (reports.length > MAX_REPORTS) return invalid({ networkId: 'sharing.errors.tooManyReports' });
  if (uncoveredCodes(reports, partnership.handlingCodes).length > 0) return invalid({ networkId: 'sharing.errors.handlingNotCovered' });
  return { ok: true, reports, network: { id: network.id, name: network.name } };
}

/**
 * Builds a disclosure of graded reports for the partner of an active partnership. It waits for a
 * second coordinator's approval unless the group has turned that off, in which case it is sent now.
 */
export async function createDisclosure(deps: SharingDeps, actor: UserActor, input: DisclosureInput): Promise<Outcome<DisclosureSummary>> {
  const channel = await channelFor(deps, actor, input.partnershipId);
  if (!channel.ok) return channel;
  const { partnership } = channel;
  const errors: FieldErrors = {};
  const marking = input.marking?.trim() || null;
  if (marking !== null && !(MARKINGS as readonly string[]).includes(marking)) errors.marking = 'sharing.errors.marking';
  const byNetwork = input.networkId !== undefined && input.networkId !== '';
  if (byNetwork === (input.reportIds !== undefined && input.reportIds.length > 0)) return invalid({ reportIds: 'sharing.errors.reportsOrNetwork', ...errors });
  const checked: { ok: true; reports: DisclosableReport[]; network?: { id: string; name: string } } | Failure = byNetwork
    ? await networkReportsFor(deps, actor, partnership, input.networkId!)
    : await reportsFor(deps, actor, partnership, input.reportIds!);
  if (!checked.ok) return 'errors' in checked ? invalid({ ...checked.errors, ...errors }) : checked;
  if (Object.keys(errors).length > 0) return invalid(errors);
  const group = await groupBasics(deps.db, partnership.groupId);
  const terms = await store.termsOf(deps.db, partnership.id);
  const pack: DisclosurePackage = {
    group: { id: partnership.groupId, name: group?.name ?? '' },
    network: checked.network ?? null,
    partner: { id: partnership.partnerId, name: partnership.partnerName },
    country: partnership.country,
    agreementReference: partnership.agreementReference,
    handlingCodes: [...new Set(checked.reports.map((report) => report.grade.handling))].sort().reverse(),
    conditions: partnership.conditions,
    marking: marking as Marking | null,
    reports: checked.reports.map((report) => toPartnerView(report, terms)),
    linkedIdentifiers: linkedIdentifiers(checked.reports, terms),
  };
  const needsApproval = await store.secondApproval(deps.db, partnership.groupId);
  return atomically(deps.db, async (trx) => {
    const id = await store.insertDisclosure(trx, {
      reference: newReference(),
      partnershipId: partnership.id,
      groupId: partnership.groupId,
      partnerId: partnership.partnerId,
      country: partnership.country,
      marking: pack.marking,
      handlingCodes: pack.handlingCodes,
      reportIds: checked.reports.map((report) => report.id),
      contentSealed: deps.sealer.seal(JSON.stringify(pack)),
      createdBy: actor.userId,
    });
    await appendAudit(trx, { actorId: actor.userId, action: 'disclosure.created', subject: `disclosure:${id}`, detail: { partnershipId: partnership.id, reports: checked.reports.length, secondApproval: needsApproval, ...(pack.network ? { networkId: pack.network.id } : {}) } });
    if (!needsApproval) {
      const sent = await send({ ...deps, db: trx }, actor, id, null);
      if (!sent.ok) return sent;
    }
    return ok(summaryOf((await store.findDisclosure(trx, id))!));
  });
}

/** Sends a disclosure awaiting approval, inside the caller's transaction: reports shared, partner users notified, audited. */
async function send(deps: SharingDeps, actor: UserActor, id: string, approvedBy: string | null): Promise<Outcome<undefined>> {
  const row = (await store.findDisclosure(deps.db, id, { forUpdate: true }))!;
  // The partnership may have ended, or its agreement changed, since the disclosure was built.
  const partnership = await partnershipById(deps.db, row.partnership_id);
  if (!partnership || partnership.status !== 'active') return conflict('sharing.errors.partnershipNotActive');
  if (row.handling_codes.some((code) => !partnership.handlingCodes.includes(code))) return conflict('sharing.errors.handlingNotCovered');
  if (!(await store.markSent(deps.db, id, approvedBy))) return conflict('sharing.errors.notAwaitingApproval');
  for (const reportId of await store.reportIdsOf(deps.db, id)) {
    const shared = await markReportShared(deps, actor, reportId, id);
    if (!shared.ok) return shared.reason === 'conflict' ? conflict('sharing.errors.reportNotGraded') : shared.reason === 'forbidden' ? shared : forbidden('sharing.errors.approverMustReview');
  }
  for (const contact of await partnerUserContacts(deps.db, row.partner_id)) {
    const t = translator(contact.language === 'fr' ? 'fr' : 'en');
    const params = { reference: row.reference, link: `${deps.publicUrl}/disclosures/${id}` };
    await enqueueMail(deps.jobs, deps.db, { to: contact.email, subject: t('sharing.mail.subject', params), text: `${t('sharing.mail.body', params)}\n\n${t('mail.signature')}\n` });
  }
  await appendAudit(deps.db, { actorId: actor.userId, action: 'disclosure.sent', subject: `disclosure:${id}`, detail: { partnerId: row.partner_id, reports: row.report_count, ...(approvedBy ? { approvedBy } : {}) } });
  return ok(undefined);
}

/** Loads a disclosure with the caller's standing; not-found for anyone who may not know it exists. */
async function visible(deps: SharingDeps, actor: UserActor, id: string, options: { forUpdate?: boolean } = {}) {
  if (!isUuid(id)) return undefined;
  const row = await store.findDisclosure(deps.db, id, options);
  if (!row) return undefined;
  const standing = await standingOf(deps.db, actor, { groupId: row.group_id, partnerId: row.partner_id });
  const sender = verdictFor(actor, 'disclosures.read', standing.coordinator ? ['group-coordinator'] : [], row.country);
  // The partner learns of a disclosure only once it is sent.
  const receiver = standing.partnerUser && row.status !== 'awaiting-approval' ? verdictFor(actor, 'disclosures.read', ['partner-user'], row.country) : 'denied';
  return { row, standing, sender, receiver };
}

/** A second coordinator (not the one who built it) approves a disclosure: it is sent. */
export async function approveDisclosure(deps: SharingDeps, actor: UserActor, id: string): Promise<Outcome<DisclosureSummary>> {
  return atomically(deps.db, async (trx) => {
    const found = await visible({ ...deps, db: trx }, actor, id, { forUpdate: true });
    if (!found) return notFound();
    const verdict = verdictFor(actor, 'disclosures.build', found.standing.coordinator ? ['group-coordinator'] : [], found.row.country);
    if (verdict !== 'allowed') return refusal(verdict, found.sender === 'allowed' || found.receiver === 'allowed');
    if (found.row.status !== 'awaiting-approval') return conflict('sharing.errors.notAwaitingApproval');
    if (found.row.created_by === actor.userId) return forbidden('sharing.errors.secondCoordinator');
    const sent = await send({ ...deps, db: trx }, actor, found.row.id, actor.userId);
    if (!sent.ok) return sent;
    return ok(summaryOf((await store.findDisclosure(trx, found.row.id))!));
  });
}

// ---------------------------------------------------------------- reading

/** Disclosures the caller may see: sent to their partner organisations, or held by groups they coordinate / countries they answer for. */
export async function listDisclosures(deps: SharingDeps, actor: UserActor, groupIds: readonly string[], partnerIds: readonly string[]): Promise<Outcome<DisclosureSummary[]>> {
  if (lacksScope(actor, 'disclosures.read')) return forbidden(WRONG_SCOPE);
  const rows = await store.listDisclosures(deps.db, { partnerIds, groupIds, countries: nationalCountries(actor) }, 500);
  const out: DisclosureSummary[] = [];
  for (const row of rows) {
    const standing = { coordinator: groupIds.includes(row.group_id), partnerUser: partnerIds.includes(row.partner_id) };
    const sender = verdictFor(actor, 'disclosures.read', standing.coordinator ? ['group-coordinator'] : [], row.country);
    const receiver = standing.partnerUser && row.status !== 'awaiting-approval' ? verdictFor(actor, 'disclosures.read', ['partner-user'], row.country) : 'denied';
    if (sender === 'allowed' || receiver === 'allowed') out.push(summaryOf(row));
  }
  return ok(out);
}

/** Only the disclosures sent to the caller's partner organisations (the partner's inbox; what partner systems pull). */
export async function listPartnerDisclosures(deps: SharingDeps, actor: UserActor, partnerIds: readonly string[]): Promise<Outcome<DisclosureSummary[]>> {
  if (lacksScope(actor, 'disclosures.read')) return forbidden(WRONG_SCOPE);
  if (partnerIds.length > 0 && verdictFor(actor, 'disclosures.read', ['partner-user'], '') === 'needs-two-factor') return forbidden('sharing.errors.twoFactor');
  const listed = await listDisclosures(deps, { ...actor, roles: [] }, [], partnerIds);
  return listed;
}

/**
 * One disclosure, its package opened, with its outcomes. For its partner's users (once sent) and its
 * sending coordinators; the read is audited with the format asked for.
 */
export async function getDisclosure(deps: SharingDeps, actor: UserActor, id: string, format: 'page' | 'api' | 'json' | 'pdf' = 'api'): Promise<Outcome<DisclosureView>> {
  const found = await visible(deps, actor, id);
  if (!found) return notFound();
  const { row, standing, sender, receiver } = found;
  if (sender !== 'allowed' && receiver !== 'allowed') {
    const verdict = [sender, receiver].find((v) => v === 'needs-two-factor') ?? [sender, receiver].find((v) => v === 'wrong-scope') ?? 'denied';
    return refusal(verdict);
  }
  const pack = JSON.parse(await deps.sealer.unseal(row.content_sealed)) as DisclosurePackage;
  const outcomes = await Promise.all(
    (await store.outcomesOf(deps.db, row.id)).map(async (outcome) => ({
      id: outcome.id,
      kind: outcome.kind,
      count: outcome.count,
      note: outcome.note_sealed ? await deps.sealer.unseal(outcome.note_sealed) : null,
      recordedOn: outcome.recorded_on,
    })),
  );
  await appendAudit(deps.db, { actorId: actor.userId, action: 'disclosure.read', subject: `disclosure:${row.id}`, detail: { format, as: receiver === 'allowed' ? 'partner' : 'sender' } });
  const partnerMay = (permission: 'disclosures.acknowledge' | 'outcomes.record') => standing.partnerUser && verdictFor(actor, permission, ['partner-user'], row.country) === 'allowed';
  return ok({
    ...summaryOf(row),
    package: pack,
    outcomes,
    createdBy: row.created_by,
    approvedBy: row.approved_by,
    canApprove: row.status === 'awaiting-approval' && row.created_by !== actor.userId && verdictFor(actor, 'disclosures.build', standing.coordinator ? ['group-coordinator'] : [], row.country) === 'allowed',
    canAcknowledge: row.status === 'sent' && partnerMay('disclosures.acknowledge'),
    canRecordOutcome: row.status !== 'awaiting-approval' && partnerMay('outcomes.record'),
  });
}

/** A partner user confirms their organisation has received the disclosure. */
export async function acknowledgeDisclosure(deps: SharingDeps, actor: UserActor, id: string): Promise<Outcome<DisclosureSummary>> {
  return atomically(deps.db, async (trx) => {
    const found = await visible({ ...deps, db: trx }, actor, id, { forUpdate: true });
    if (!found) return notFound();
    const verdict = found.standing.partnerUser ? verdictFor(actor, 'disclosures.acknowledge', ['partner-user'], found.row.country) : 'denied';
    if (verdict !== 'allowed') return refusal(verdict, found.sender === 'allowed' || found.receiver === 'allowed');
    if (found.row.status === 'awaiting-approval') return notFound();
    if (!(await store.markAcknowledged(trx, found.row.id, actor.userId))) return conflict('sharing.errors.alreadyAcknowledged');
    await appendAudit(trx, { actorId: actor.userId, action: 'disclosure.acknowledged', subject: `disclosure:${found.row.id}` });
    return ok(summaryOf((await store.findDisclosure(trx, found.row.id))!));
  });
}

// ---------------------------------------------------------------- outcomes

export interface OutcomeInput {
  kind: string | undefined;
  count?: number | string | undefined;
  note?: string | undefined;
}

export const MAX_OUTCOME_NOTE = 2000;

export function checkOutcome(input: OutcomeInput): { ok: true; value: { kind: OutcomeKind; count: number | null; note: string | null } } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const kind = input.kind?.trim() ?? '';
  if (!(OUTCOME_KINDS as readonly string[]).includes(kind)) errors.kind = 'sharing.errors.outcomeKind';
  const counted = kind === 'victims-identified' || kind === 'arrests';
  const given = input.count === undefined || input.count === '' ? undefined : Number(input.count);
  if (counted && (given === undefined || !Number.isInteger(given) || given < 1 || given > 100_000)) errors.count = 'sharing.errors.outcomeCount';
  else if (!counted && given !== undefined && !errors.kind) errors.count = 'sharing.errors.outcomeCountNotApplicable';
  const note = input.note?.trim() || null;
  if (note && note.length > MAX_OUTCOME_NOTE) errors.note = 'sharing.errors.noteTooLong';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { kind: kind as OutcomeKind, count: counted ? given! : null, note } };
}

/** A partner user records what came of a sent disclosure. The note is sealed; the audit entry names the kind only. */
export async function recordOutcome(deps: SharingDeps, actor: UserActor, id: string, input: OutcomeInput): Promise<Outcome<OutcomeView>> {
  const found = await visible(deps, actor, id);
  if (!found) return notFound();
  const verdict = found.standing.partnerUser ? verdictFor(actor, 'outcomes.record', ['partner-user'], found.row.country) : 'denied';
  if (verdict !== 'allowed') return refusal(verdict, found.sender === 'allowed' || found.receiver === 'allowed');
  if (found.row.status === 'awaiting-approval') return notFound();
  const checked = checkOutcome(input);
  if (!checked.ok) return invalid(checked.errors);
  const { kind, count, note } = checked.value;
  const recordedOn = new Date().toISOString().slice(0, 10);
  return deps.db.transaction().execute(async (trx) => {
    const outcomeId = await store.insertOutcome(trx, { disclosureId: found.row.id, kind, count, noteSealed: note ? deps.sealer.seal(note) : null, recordedBy: actor.userId, recordedOn });
    await appendAudit(trx, { actorId: actor.userId, action: 'disclosure.outcome-recorded', subject: `disclosure:${found.row.id}`, detail: { outcomeId, kind } });
    return ok({ id: outcomeId, kind, count, note, recordedOn });
  });
}
