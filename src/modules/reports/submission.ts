/**
 * Receiving reports, and what a reporter can do later with their receipt code.
 *
 * Guarantees: a report is committed (intake.ts: group commit) before anything is returned; restricted
 * fields (the account, the precise place, vehicles, contact, identifiers in clear) are sealed before
 * they reach the database; nothing about the sender is kept — no address, no user agent, only the
 * day; no audit entry or job is written at submission, since either would record its moment. The
 * receipt code is returned once and only its hash is stored.
 */
import { randomUUID } from 'node:crypto';
import { latLngToCell } from 'h3-js';
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { FieldSealer } from '../../core/field-sealer.ts';
import { can } from '../../core/auth/authorise.ts';
import { forbidden, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { safeEqual } from '../../core/crypto.ts';
import { blindIndex, normaliseIdentifier } from './identifiers.ts';
import { newReceiptCode, newReference, parseReceiptCode, receiptHash } from './receipt.ts';
import { checkReport, MAX_ACCOUNT_LENGTH, MAX_IDENTIFIERS, type ReportInput } from './report-input.ts';
import { type FuzzyValue, type ReportCommitHook, type ReportIntake } from './intake.ts';
import * as store from './store.ts';
import { IDENTIFIER_KINDS, type IdentifierKind, type ReportStatus } from './tables.ts';

export interface ReportsDeps {
  db: Kysely<Tables>;
  sealer: FieldSealer;
  /** The instance's HMAC key for identifier blind indexes. */
  blindIndexKey: Buffer;
  /** Commits submitted reports (intake.ts): one per process, so concurrent reports share commits. */
  intake: ReportIntake;
  /** Also runs when a reporter adds identifiers (the intake runs it for new reports). */
  onCommit?: ReportCommitHook | undefined;
}

/** Coarse cells (~5 km²) are what maps may use; the precise point stays sealed. */
export const H3_RESOLUTION = 7;

export const today = (now = new Date()) => now.toISOString().slice(0, 10);

export interface Receipt {
  reference: string;
  /** Shown to the reporter once; CAST keeps only its hash. */
  receiptCode: string;
  status: ReporterStatus;
}

/**
 * The clear values fuzzy matching encodes (never stored in clear): addresses, the place description
 * and names heard or seen. correlation-queries.ts rebuilds the same list from the sealed fields.
 */
export function fuzzyValues(identifiers: readonly { kind: string; value: string }[], place: string | undefined, names: readonly string[] = []): FuzzyValue[] {
  const values: FuzzyValue[] = identifiers.filter((i) => i.kind === 'address').map((i) => ({ field: 'address', value: i.value }));
  if (place) values.push({ field: 'place', value: place });
  for (const name of names) values.push({ field: 'name', value: name });
  return values;
}

function sealIdentifiers(deps: ReportsDeps, identifiers: readonly { kind: IdentifierKind; value: string }[], country: string): store.NewIdentifier[] {
  return identifiers.map((identifier) => {
    const normalised = normaliseIdentifier(identifier.kind, identifier.value, country);
    return {
      kind: identifier.kind,
      blindIndex: blindIndex(deps.blindIndexKey, normalised),
      valueSealed: deps.sealer.seal(JSON.stringify({ value: normalised.value, normalised: normalised.normalised })),
      unparsed: normalised.unparsed,
    };
  });
}

export async function submitReport(deps: ReportsDeps, reporter: UserActor | undefined, input: ReportInput, now = new Date()): Promise<Outcome<Receipt>> {
  if (reporter && !can(reporter, 'reports.submit')) return forbidden();
  const checked = checkReport(input, now);
  if (!checked.ok) return invalid(checked.errors);
  const report = checked.value;
  const { sealer } = deps;
  const seal = (value: string | undefined) => (value === undefined ? null : sealer.seal(value));
  const receiptCode = newReceiptCode();
  const reference = newReference();
  const hasLocation = report.location !== undefined || report.place !== undefined;
  await deps.intake.submit({
    // Random (v4), like every id here: nothing in it orders reports by time.
    id: randomUUID(),
    point: report.location,
    reference,
    receiptHash: receiptHash(receiptCode),
    reporterId: reporter?.userId ?? null,
    country: report.country,
    receivedOn: today(now),
    placeType: report.placeType ?? null,
    observedFrom: report.observedFrom ?? null,
    observedTo: report.observedTo ?? null,
    observedTime: report.observedTime ?? null,
    exploitationTypes: report.exploitationTypes,
    indicators: report.indicators,
    peopleCount: report.peopleCount ?? null,
    ageBands: report.ageBands,
    genders: report.genders,
    route: report.route,
    h3Cell: report.location ? latLngToCell(report.location.lat, report.location.lon, H3_RESOLUTION) : null,
    locationSealed: hasLocation ? sealer.seal(JSON.stringify({ ...report.location, place: report.place })) : null,
    narrativeSealed: seal(report.account),
    vehiclesSealed: seal(report.vehicles),
    contactSealed: seal(report.contact),
    namesSealed: report.names.length > 0 ? sealer.seal(JSON.stringify(report.names)) : null,
    contactConsent: report.contactConsent,
    identifiers: sealIdentifiers(deps, report.identifiers, report.country),
    fuzzy: fuzzyValues(report.identifiers, report.place, report.names),
  });
  return ok({ reference, receiptCode, status: 'received' });
}

// ---------------------------------------------------------------- what reporters see

/** The four states a reporter is told about; grades, notes and who holds the report stay inside. */
export type ReporterStatus = 'received' | 'being-reviewed' | 'passed-to-partners' | 'closed';

export function reporterStatus(status: ReportStatus): ReporterStatus {
  switch (status) {
    case 'received':
      return 'received';
    case 'triaged':
    case 'graded':
      return 'being-reviewed';
    case 'shared':
      return 'passed-to-partners';
    case 'closed':
    case 'rejected':
    case 'duplicate':
      return 'closed';
  }
}

export interface ReporterView {
  reference: string;
  receivedOn: string;
  status: ReporterStatus;
  additions: number;
  /** Reduced to statistics under the retention policy: its details are gone and nothing can be added to it. */
  reducedToStatistics: boolean;
}

const toReporterView = (row: store.ReporterRow): ReporterView => ({
  reference: row.reference,
  receivedOn: row.received_on,
  status: reporterStatus(row.status),
  additions: row.additions,
  reducedToStatistics: row.purged,
});

/** One answer for every code that opens nothing, so a guess learns only that it failed. */
const UNKNOWN_RECEIPT = 'reports.errors.receiptUnknown';

async function byReceipt(deps: ReportsDeps, code: unknown): Promise<Outcome<store.ReporterRow>> {
  const canonical = parseReceiptCode(code);
  if (!canonical) return invalid({ receipt: 'reports.errors.receiptMalformed' });
  const hash = receiptHash(canonical);
  const row = await store.findByReceipt(deps.db, hash);
  // The lookup is by a hash of 100 random bits; the comparison is constant-time all the same.
  if (!row || !safeEqual(row.receipt_hash, hash)) return notFound(UNKNOWN_RECEIPT);
  return ok(row);
}

export async function getReportByReceipt(deps: ReportsDeps, code: unknown): Promise<Outcome<ReporterView>> {
  const found = await byReceipt(deps, code);
  return found.ok ? ok(toReporterView(found.value)) : found;
}

export interface Addition {
  account?: string | undefined;
  identifiers?: readonly { kind: string; value: string }[] | undefined;
}

export async function addToReportByReceipt(deps: ReportsDeps, code: unknown, addition: Addition, now = new Date()): Promise<Outcome<ReporterView>> {
  const errors: FieldErrors = {};
  const account = addition.account?.trim() || undefined;
  if (account && account.length > MAX_ACCOUNT_LENGTH) errors.account = 'reports.errors.accountTooLong';
  const identifiers = (addition.identifiers ?? []).map((i) => ({ kind: i.kind, value: i.value.trim() })).filter((i) => i.value !== '');
  if (identifiers.some((i) => !(IDENTIFIER_KINDS as readonly string[]).includes(i.kind))) errors.identifiers = 'reports.errors.identifierKind';
  else if (identifiers.length > MAX_IDENTIFIERS) errors.identifiers = 'reports.errors.tooManyIdentifiers';
  if (!account && identifiers.length === 0 && !errors.identifiers) errors.account = 'reports.errors.emptyAddition';
  const found = await byReceipt(deps, code);
  if (!found.ok) return found;
  if (Object.keys(errors).length > 0) return invalid(errors);
  const report = found.value;
  const full = await store.findReport(deps.db, report.id);
  // Reduced to statistics (retention): nothing restricted may be added back to it.
  const purged = invalid({ account: 'reports.errors.reportPurged' });
  if (full?.purged_day) return purged;
  const country = full?.country;
  const added = identifiers as { kind: IdentifierKind; value: string }[];
  const sealed = sealIdentifiers(deps, added, country ?? '');
  const stored = await deps.db.transaction().execute(async (trx) => {
    // Checked again under the row lock: a retention run purging it now has either committed or waits.
    if ((await store.findReport(trx, report.id, { forUpdate: true }))?.purged_day) return false;
    const additionId = await store.insertAddition(trx, report.id, today(now), account ? deps.sealer.seal(account) : null);
    await store.insertIdentifiers(trx, report.id, sealed, additionId);
    if (full && deps.onCommit && sealed.length > 0) {
      await deps.onCommit(trx, [
        {
          id: full.id,
          groupId: full.group_id,
          country: full.country,
          receivedOn: full.received_day,
          observedFrom: full.observed_from_day,
          placeType: full.place_type,
          h3Cell: full.h3_cell,
          identifiers: sealed.map((i) => ({ kind: i.kind, blindIndex: i.blindIndex })),
          fuzzy: fuzzyValues(added, undefined),
        },
      ]);
    }
    return true;
  });
  if (!stored) return purged;
  return ok(toReporterView({ ...report, additions: report.additions + 1 }));
}

export async function listMyReports(deps: ReportsDeps, actor: UserActor): Promise<Outcome<ReporterView[]>> {
  if (!can(actor, 'reports.read-own', { ownerId: actor.userId })) return forbidden();
  const rows = await store.reportsOfReporter(deps.db, actor.userId, 200);
  return ok(rows.map(toReporterView));
}
