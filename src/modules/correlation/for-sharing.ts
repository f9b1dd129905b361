/**
 * What the sharing module reads from correlation to build a disclosure of a network: its reports and
 * the identifiers that link them (kind and blind index; the sharing module asks the reports module
 * for values in clear, under the partnership's agreement). No authorisation here: the sharing
 * service decides who may disclose what, first.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { isUuid } from '../../core/validation.ts';
import { identifierKeysOf } from '../reports/index.ts';
import * as store from './store.ts';

export interface NetworkForSharing {
  id: string;
  country: string;
  name: string;
  summary: string;
  reportIds: string[];
  /** Identifiers held by two or more of the network's reports: what links them. */
  linkedIdentifiers: { kind: string; blindIndex: Buffer; reportIds: string[] }[];
}

export async function networkForSharing(db: Kysely<Tables>, networkId: string): Promise<NetworkForSharing | undefined> {
  if (!isUuid(networkId)) return undefined;
  const network = await store.findNetwork(db, networkId);
  if (!network) return undefined;
  const reportIds = await store.networkReportIds(db, networkId);
  return { id: network.id, country: network.country, name: network.name, summary: network.summary, reportIds, linkedIdentifiers: await sharedIdentifiers(db, reportIds) };
}

/** Identifiers (kind, blind index) that two or more of these reports hold. */
export async function sharedIdentifiers(db: Kysely<Tables>, reportIds: readonly string[]): Promise<{ kind: string; blindIndex: Buffer; reportIds: string[] }[]> {
  const byKey = new Map<string, { kind: string; blindIndex: Buffer; reportIds: string[] }>();
  for (const row of await identifierKeysOf(db, reportIds)) {
    const key = store.keyOf(row.kind, row.blindIndex);
    const seen = byKey.get(key) ?? { kind: row.kind, blindIndex: row.blindIndex, reportIds: [] };
    if (!seen.reportIds.includes(row.reportId)) seen.reportIds.push(row.reportId);
    byKey.set(key, seen);
  }
  return [...byKey.values()].filter((i) => i.reportIds.length >= 2);
}

/** Networks a report belongs to (ids). */
export async function networksOfReport(db: Kysely<Tables>, reportId: string): Promise<string[]> {
  return isUuid(reportId) ? store.networksOfReports(db, [reportId]) : [];
}

/** Reports joined to this one by confirmed links, directly or through others (itself included). */
export async function confirmedNetworkOf(db: Kysely<Tables>, reportId: string, limit = 500): Promise<string[]> {
  return isUuid(reportId) ? store.confirmedComponent(db, reportId, limit) : [];
}
