/**
 * The partner's view of a disclosure (toPartnerView): what a graded report becomes when it leaves
 * the group. Pure functions, so what each view leaves out is tested without a server.
 *
 * Guarantees: only the sanitised summary travels, never the reporter's words, contact or place name;
 * the location is the coarse cell's centre unless the partnership's terms allow precise locations
 * AND the report's handling code is P (lawful sharing without conditions); an identifier's value is
 * given only when the terms cover its kind — otherwise only its kind, marked withheld.
 */
import { cellToLatLng } from 'h3-js';
import type { DisclosableReport } from '../reports/index.ts';
import type { IdentifierKind, Marking } from './tables.ts';

export interface Terms {
  identifierKinds: readonly IdentifierKind[];
  preciseLocation: boolean;
}

export type PackageLocation = { precision: 'coarse'; cell: string; lat: number; lon: number } | { precision: 'precise'; lat: number; lon: number };

export interface PackageReport {
  reference: string;
  receivedOn: string;
  country: string;
  /** Written "2/B/P". */
  grade: string;
  source: number;
  assessment: string;
  handling: 'P' | 'C';
  conditions: string | null;
  priority: string | null;
  summary: string;
  placeType: string | null;
  observedFrom: string | null;
  observedTo: string | null;
  exploitationTypes: string[];
  indicators: string[];
  peopleCount: number | null;
  location: PackageLocation | null;
  /** `value` is null when the agreement does not cover the kind: the partner learns only that there is one. */
  identifiers: { kind: IdentifierKind; value: string | null }[];
}

/** An identifier two or more of the package's reports hold: what links them. */
export interface LinkedIdentifier {
  kind: IdentifierKind;
  /** null when the agreement does not cover the kind. */
  value: string | null;
  /** References of the reports that hold it. */
  reports: string[];
}

export interface DisclosurePackage {
  group: { id: string; name: string };
  /** When the disclosure is of a network (correlation module): its id and name. */
  network: { id: string; name: string } | null;
  partner: { id: string; name: string };
  country: string;
  agreementReference: string;
  handlingCodes: ('P' | 'C')[];
  /** The agreement's conditions for handling code C. */
  conditions: string | null;
  marking: Marking | null;
  reports: PackageReport[];
  linkedIdentifiers: LinkedIdentifier[];
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

export function locationFor(report: Pick<DisclosableReport, 'point' | 'h3Cell' | 'grade'>, terms: Terms): PackageLocation | null {
  if (terms.preciseLocation && report.grade.handling === 'P' && report.point) return { precision: 'precise', lat: report.point.lat, lon: report.point.lon };
  if (!report.h3Cell) return null;
  const [lat, lon] = cellToLatLng(report.h3Cell);
  return { precision: 'coarse', cell: report.h3Cell, lat: round(lat, 3), lon: round(lon, 3) };
}

export function toPartnerView(report: DisclosableReport, terms: Terms): PackageReport {
  return {
    reference: report.reference,
    receivedOn: report.receivedOn,
    country: report.country,
    grade: `${report.grade.source}/${report.grade.assessment}/${report.grade.handling}`,
    source: report.grade.source,
    assessment: report.grade.assessment,
    handling: report.grade.handling,
    conditions: report.grade.conditions,
    priority: report.priority,
    summary: report.summary,
    placeType: report.placeType,
    observedFrom: report.observedFrom,
    observedTo: report.observedTo,
    exploitationTypes: report.exploitationTypes,
    indicators: report.indicators,
    peopleCount: report.peopleCount,
    location: locationFor(report, terms),
    identifiers: report.identifiers.map((identifier) => ({ kind: identifier.kind, value: terms.identifierKinds.includes(identifier.kind) ? identifier.value : null })),
  };
}

/** The handling codes of the reports that the agreement does not cover (empty when it covers them all). */
export function uncoveredCodes(reports: readonly Pick<DisclosableReport, 'grade'>[], covered: readonly string[]): ('P' | 'C')[] {
  return [...new Set(reports.map((report) => report.grade.handling))].filter((code) => !covered.includes(code));
}

/**
 * Identifiers held by two or more of the reports (same kind and normalised value, as exact links
 * match them), in clear only where the terms cover the kind.
 */
export function linkedIdentifiers(reports: readonly Pick<DisclosableReport, 'reference' | 'identifiers'>[], terms: Terms): LinkedIdentifier[] {
  const byKey = new Map<string, { kind: IdentifierKind; value: string; reports: Set<string> }>();
  for (const report of reports) {
    for (const identifier of report.identifiers) {
      const key = `${identifier.kind}\u0000${identifier.value}`;
      const seen = byKey.get(key) ?? { kind: identifier.kind, value: identifier.value, reports: new Set<string>() };
      seen.reports.add(report.reference);
      byKey.set(key, seen);
    }
  }
  return [...byKey.values()]
    .filter((linked) => linked.reports.size >= 2)
    .map((linked) => ({ kind: linked.kind, value: terms.identifierKinds.includes(linked.kind) ? linked.value : null, reports: [...linked.reports].sort() }));
}
