/** SQL of the review loop: the work queues, status changes and the review history. */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { own } from './store.ts';
import type { EventKind, Priority, ReportStatus } from './tables.ts';

type Db = Kysely<Tables>;

/** Where a queue page starts: after this report in the queue's order (newest day first, then id). */
export interface QueueCursor {
  day: string;
  id: string;
}

export interface QueueFilters {
  status?: ReportStatus | undefined;
  exploitationType?: string | undefined;
  indicator?: string | undefined;
  receivedFrom?: string | undefined;
  receivedTo?: string | undefined;
  placeType?: string | undefined;
  /** Only reports assigned to this user. */
  assignedTo?: string | undefined;
  unreadOnly?: boolean | undefined;
}

/** A queue line: nothing restricted, so listing a queue is not a read of restricted fields. */
export interface QueueRow {
  id: string;
  reference: string;
  received_on: string;
  status: ReportStatus;
  place_type: string | null;
  exploitation_types: string[];
  indicator_count: number;
  identifier_count: number;
  priority: Priority | null;
  grade_source: number | null;
  grade_assessment: string | null;
  grade_handling: string | null;
  assigned_to: string | null;
  unread_additions: boolean;
}

/**
 * One page of a queue, by keyset: the rows after `cursor` in (received_on desc, id) order, never an
 * OFFSET and never a count of the whole queue.
 */
export async function queuePage(db: Db, holder: { groupId: string } | { country: string }, filters: QueueFilters, cursor: QueueCursor | undefined, limit: number): Promise<QueueRow[]> {
  let query = own(db)
    .selectFrom('reports as r')
    .select((eb) => [
      'r.id',
      'r.reference',
      sql<string>`to_char(r.received_on, 'YYYY-MM-DD')`.as('received_on'),
      'r.status',
      'r.place_type',
      'r.exploitation_types',
      sql<number>`cardinality(r.indicators)`.as('indicator_count'),
      eb.selectFrom('report_identifiers as i').whereRef('i.report_id', '=', 'r.id').select(eb.fn.countAll<number>().as('n')).as('identifier_count'),
      'r.priority',
      'r.grade_source',
      'r.grade_assessment',
      'r.grade_handling',
      'r.assigned_to',
      'r.unread_additions',
    ]);
  query = 'groupId' in holder ? query.where('r.group_id', '=', holder.groupId) : query.where('r.country', '=', holder.country).where('r.group_id', 'is', null);
  if (filters.status) query = query.where('r.status', '=', filters.status);
  if (filters.exploitationType) query = query.where(sql<boolean>`r.exploitation_types @> array[${filters.exploitationType}]::text[]`);
  if (filters.indicator) query = query.where(sql<boolean>`r.indicators @> array[${filters.indicator}]::text[]`);
  if (filters.receivedFrom) query = query.where('r.received_on', '>=', filters.receivedFrom);
  if (filters.receivedTo) query = query.where('r.received_on', '<=', filters.receivedTo);
  if (filters.placeType) query = query.where('r.place_type', '=', filters.placeType);
  if (filters.assignedTo) query = query.where('r.assigned_to', '=', filters.assignedTo);
  if (filters.unreadOnly) query = query.where('r.unread_additions', '=', true);
  if (cursor) {
    // received_on <= day first, so the index range starts at the cursor; the or() then drops the rows already shown.
    query = query
      .where('r.received_on', '<=', cursor.day)
      .where((eb) => eb.or([eb('r.received_on', '<', cursor.day), eb('r.id', '>', cursor.id)]));
  }
  const rows = await query.orderBy('r.received_on', 'desc').orderBy('r.id').limit(limit).execute();
  return rows.map((row) => ({ ...row, indicator_count: Number(row.indicator_count), identifier_count: Number(row.identifier_count) }));
}

export interface ReportChange {
  status?: ReportStatus;
  duplicate_of?: string | null;
  assigned_to?: string | null;
  priority?: Priority | null;
  grade_source?: number | null;
  grade_assessment?: string | null;
  grade_handling?: string | null;
  handling_conditions?: string | null;
  summary?: string | null;
  graded_by?: string | null;
  graded_at?: Date | null;
  unread_additions?: boolean;
}

export async function updateReport(db: Db, reportId: string, change: ReportChange): Promise<void> {
  await own(db)
    .updateTable('reports')
    .set({ ...change, updated_at: sql<Date>`now()` })
    .where('id', '=', reportId)
    .execute();
}

/** Opening a report is not a change by a coordinator: it clears the flag without touching updated_at. */
export async function markAdditionsRead(db: Db, reportId: string): Promise<void> {
  await own(db).updateTable('reports').set({ unread_additions: false }).where('id', '=', reportId).where('unread_additions', '=', true).execute();
}

export interface NewEvent {
  reportId: string;
  actorId: string;
  kind: EventKind;
  fromStatus: ReportStatus | null;
  toStatus: ReportStatus | null;
  detail: Record<string, unknown> | null;
  noteSealed: string | null;
}

export async function insertEvent(db: Db, event: NewEvent): Promise<string> {
  const row = await own(db)
    .insertInto('report_events')
    .values({
      report_id: event.reportId,
      actor_id: event.actorId,
      kind: event.kind,
      from_status: event.fromStatus,
      to_status: event.toStatus,
      detail: event.detail === null ? null : JSON.stringify(event.detail),
      note_sealed: event.noteSealed,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findByReference(db: Db, reference: string): Promise<string | undefined> {
  const row = await own(db).selectFrom('reports').select('id').where('reference', '=', reference).executeTakeFirst();
  return row?.id;
}
