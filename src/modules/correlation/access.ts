/**
 * Who sees what of linked reports. A coordinator sees a linked report's facts only when they may
 * review it themselves (its group's coordinators, national coordinators of its country), or when a
 * national coordinator approved their connection request for it; every view through a connection
 * is written to the audit log. Everyone else learns a count.
 */
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import type { Tables } from '../../core/db/tables.ts';
import { decide } from '../../core/auth/authorise.ts';
import { reportDecision, type ReportBasics } from '../reports/index.ts';
import * as store from './store.ts';

export type Sight = { via: 'reviewer' } | { via: 'connection'; requestId: string } | { via: 'none' };

/** How the actor may see each of these reports. */
export async function sightOf(db: Kysely<Tables>, actor: UserActor, reports: readonly ReportBasics[]): Promise<Map<string, Sight>> {
  const sights = new Map<string, Sight>();
  for (const report of reports) {
    const verdict = await reportDecision(db, actor, { groupId: report.groupId, country: report.country }, 'reports.review');
    sights.set(report.id, verdict === 'allowed' ? { via: 'reviewer' } : { via: 'none' });
  }
  const hidden = reports.filter((r) => sights.get(r.id)!.via === 'none').map((r) => ({ id: r.id, country: r.country }));
  for (const [reportId, requestId] of await store.connectedReports(db, actor.userId, hidden)) sights.set(reportId, { via: 'connection', requestId });
  return sights;
}

/**
 * National coordinators of `country` decide connection requests and curate networks. `reports.grade`
 * without a group membership is held only by them (with two-factor and, for tokens, reports:write).
 */
export const nationalDecision = (actor: UserActor, country: string) => decide(actor, 'reports.grade', { country });

/** The countries the actor is a national coordinator of. */
export const nationalCountries = (actor: UserActor): string[] => actor.roles.filter((g) => g.role === 'national-coordinator' && g.country).map((g) => g.country!);
