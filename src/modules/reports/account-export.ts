/**
 * A reporter's own reports as their account export gives them: reference, day received, what a
 * reporter is told of the status, how many additions. Never the content: an export is a file that
 * may sit on a phone someone else picks up, and what they wrote is restricted (decision 0018). A
 * report reduced to statistics is no longer tied to any account, so it is not listed.
 */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { own } from './store.ts';
import { reporterStatus, type ReporterStatus } from './submission.ts';

export interface ReportForExport {
  reference: string;
  receivedOn: string;
  status: ReporterStatus;
  additions: number;
}

export async function reportsOfReporterForExport(db: Kysely<Tables>, reporterId: string): Promise<ReportForExport[]> {
  const rows = await own(db)
    .selectFrom('reports as r')
    .select((eb) => [
      'r.reference',
      sql<string>`to_char(r.received_on, 'YYYY-MM-DD')`.as('received_on'),
      'r.status',
      eb.selectFrom('report_additions as a').whereRef('a.report_id', '=', 'r.id').select(eb.fn.countAll<string>().as('n')).as('additions'),
    ])
    .where('r.reporter_id', '=', reporterId)
    .orderBy('r.received_on', 'desc')
    .orderBy('r.reference')
    .execute();
  return rows.map((r) => ({ reference: r.reference, receivedOn: r.received_on, status: reporterStatus(r.status), additions: Number(r.additions) }));
}
