/** SQL of the events module: events and sign-ups to attend. */
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { EventsTables } from './tables.ts';

type Db = Kysely<Tables>;
const e = (db: Db) => db.withTables<EventsTables>();

export interface NewEvent {
  title: string;
  description: string;
  allDay: boolean;
  startsAt: Date;
  endsAt: Date;
  firstDay: string | null;
  lastDay: string | null;
  timeZone: string;
  place: string | null;
  onlineUrl: string | null;
  groupId: string | null;
  campaign: string | null;
  capacity: number | null;
  createdBy: string;
}

/** The columns an organiser sets, when the event is created and when it is changed. */
const eventColumns = (event: EventChanges) => ({
  title: event.title,
  description: event.description,
  all_day: event.allDay,
  starts_at: event.startsAt,
  ends_at: event.endsAt,
  first_day: event.firstDay,
  last_day: event.lastDay,
  time_zone: event.timeZone,
  place: event.place,
  online_url: event.onlineUrl,
  campaign: event.campaign,
  capacity: event.capacity,
});

export async function insertEvent(db: Db, event: NewEvent): Promise<string> {
  const row = await e(db)
    .insertInto('events')
    .values({ ...eventColumns(event), group_id: event.groupId, created_by: event.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const columns = (db: Db) =>
  e(db)
    .selectFrom('events')
    .select([
      'id',
      'title',
      'description',
      'all_day',
      'starts_at',
      'ends_at',
      sql<string | null>`to_char(first_day, 'YYYY-MM-DD')`.as('first_day'),
      sql<string | null>`to_char(last_day, 'YYYY-MM-DD')`.as('last_day'),
      'time_zone',
      'place',
      'online_url',
      'group_id',
      'campaign',
      'capacity',
      'registered',
      'created_at',
      'sequence',
      'updated_at',
      'cancelled_at',
      'cancellation_reason',
    ]);

export type EventRow = Awaited<ReturnType<ReturnType<typeof columns>['executeTakeFirstOrThrow']>>;

/** forUpdate: lock the row for the rest of the transaction (edits, cancellation, sign-ups wait). */
export async function findEvent(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<EventRow | undefined> {
  const query = columns(db).where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

/** An event's fields an organiser may change (its group stays the one it was published for). */
export type EventChanges = Omit<NewEvent, 'createdBy' | 'groupId'>;

/** Saves an edit and raises the iCalendar SEQUENCE; the caller holds the row's lock and checked the capacity. */
export async function updateEvent(db: Db, id: string, event: EventChanges): Promise<void> {
  await e(db)
    .updateTable('events')
    .set({
      ...eventColumns(event),
      sequence: sql`sequence + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** No change notice pending (migration 0029). */
const noNotice = { notice_due: null, notice_changes: null, notice_changed_at: null };

/** Cancels the event; a pending change notice ends with it (the cancellation's e-mail states the event as it is). */
export async function cancelEvent(db: Db, id: string, reason: string | null): Promise<void> {
  await e(db)
    .updateTable('events')
    .set({ cancelled_at: sql`now()`, cancellation_reason: reason, sequence: sql`sequence + 1`, updated_at: sql`now()`, ...noNotice })
    .where('id', '=', id)
    .where('cancelled_at', 'is', null)
    .execute();
}

export interface EventFilter {
  groupId?: string | undefined;
  campaign?: string | undefined;
  /** Events that end after this instant. */
  endingAfter: Date;
  limit: number;
}

/** Events in start order (keyset-ready: starts_at, id), filtered by group or campaign. */
export async function listEvents(db: Db, filter: EventFilter): Promise<EventRow[]> {
  let query = columns(db).where('ends_at', '>', filter.endingAfter);
  if (filter.groupId) query = query.where('group_id', '=', filter.groupId);
  if (filter.campaign) query = query.where('campaign', '=', filter.campaign);
  return query.orderBy('starts_at').orderBy('id').limit(filter.limit).execute();
}

export type Registration = 'registered' | 'already' | 'full' | 'cancelled';

/**
 * Signs someone up, within the capacity even when many sign up at once: the count is raised by one
 * only while it is below the capacity (one conditional UPDATE, which locks the event's row), and the
 * sign-up row goes in the same transaction. A second sign-up with the same address changes nothing.
 */
export async function register(trx: Db, registration: { eventId: string; emailHash: string; nameSealed: string; emailSealed: string; language: 'en' | 'fr' }): Promise<{ status: Registration; registrationId?: string }> {
  const inserted = await e(trx)
    .insertInto('event_registrations')
    .values({ event_id: registration.eventId, email_hash: registration.emailHash, name_sealed: registration.nameSealed, email_sealed: registration.emailSealed, language: registration.language })
    .onConflict((oc) => oc.columns(['event_id', 'email_hash']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return { status: 'already' };
  const counted = await e(trx)
    .updateTable('events')
    .set({ registered: sql`registered + 1` })
    .where('id', '=', registration.eventId)
    .where('cancelled_at', 'is', null)
    .where((eb) => eb.or([eb('capacity', 'is', null), eb('registered', '<', eb.ref('capacity'))]))
    .returning('registered')
    .executeTakeFirst();
  if (counted) return { status: 'registered', registrationId: inserted.id };
  // Refused: say why (the row is ours to read now: the insert above waited for any edit to commit).
  const event = await e(trx).selectFrom('events').select('cancelled_at').where('id', '=', registration.eventId).executeTakeFirst();
  return { status: event?.cancelled_at ? 'cancelled' : 'full' };
}

/**
 * Cancels one sign-up (its person followed the signed link in their e-mail): the row goes (with the
 * sealed name and address) and the place is freed, in one transaction. False when it was already gone.
 */
export async function unregister(trx: Db, eventId: string, registrationId: string): Promise<boolean> {
  const deleted = await e(trx).deleteFrom('event_registrations').where('id', '=', registrationId).where('event_id', '=', eventId).returning('id').executeTakeFirst();
  if (!deleted) return false;
  await e(trx).updateTable('events').set({ registered: sql`registered - 1` }).where('id', '=', eventId).execute();
  return true;
}

export async function findRegistration(db: Db, eventId: string, registrationId: string) {
  return e(db).selectFrom('event_registrations').select(['id', 'event_id']).where('id', '=', registrationId).where('event_id', '=', eventId).executeTakeFirst();
}

const registrationColumns = ['id', 'name_sealed', 'email_sealed', 'created_at', 'language'] as const;

export async function registrationsOf(db: Db, eventId: string) {
  return e(db).selectFrom('event_registrations').select(registrationColumns).where('event_id', '=', eventId).orderBy('created_at').orderBy('id').execute();
}

export type RegistrationRow = Awaited<ReturnType<typeof registrationsOf>>[number];

/**
 * The sign-ups made at or before the last change folded into the event's pending notice: the people
 * who may hold details that changed. Compared in the database, at its full precision.
 */
export async function registrationsToNotify(db: Db, eventId: string): Promise<RegistrationRow[]> {
  return e(db)
    .selectFrom('event_registrations as r')
    .innerJoin('events as ev', 'ev.id', 'r.event_id')
    .select(['r.id', 'r.name_sealed', 'r.email_sealed', 'r.created_at', 'r.language'])
    .where('r.event_id', '=', eventId)
    .whereRef('r.created_at', '<=', 'ev.notice_changed_at')
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
}

// ---------------------------------------------------------------- change notices

export interface HeldNotice {
  due: Date;
  /** Seconds from now (the database's clock) until the notice falls due; 0: due now. */
  dueInSeconds: number;
  /**
   * A job must be queued for it: it was not pending, falls due sooner than before, or was already
   * overdue (the job queued for it may have given up).
   */
  queue: boolean;
}

/**
 * Opens the event's change notice or folds a change into the pending one; the caller holds the row's
 * lock. What changed is added to what people will be told; the time of this change is kept (whoever
 * signs up after it is sent the final details); the notice falls due `windowSeconds` from now, or
 * `windowSeconds` before the earliest of `starts` (the old and the new start) when that is sooner, and
 * never later than it already did. Times come from the database's clock, as the job queue's do.
 */
export async function holdChangeNotice(db: Db, id: string, notice: { changes: readonly string[]; windowSeconds: number; starts: readonly Date[] }): Promise<HeldNotice> {
  const window = sql`make_interval(secs => ${notice.windowSeconds}::double precision)`;
  const earliestStart = notice.starts.reduce((a, b) => (a < b ? a : b));
  const { rows } = await sql<{ due: Date; due_in: number; queue: boolean }>`
    update events e set
      notice_due = least(prior.notice_due, wanted.due),
      notice_changes = array(select distinct kind from unnest(coalesce(prior.notice_changes, '{}'::text[]) || ${sql.val([...notice.changes])}::text[]) as changed (kind) order by kind),
      notice_changed_at = clock_timestamp()
    from (select notice_due, notice_changes from events where id = ${id}) prior,
         (select greatest(now(), least(now() + ${window}, ${earliestStart}::timestamptz - ${window})) as due) wanted
    where e.id = ${id}
    returning e.notice_due as due, greatest(0, ceil(extract(epoch from (e.notice_due - now()))))::int as due_in,
              (prior.notice_due is null or wanted.due < prior.notice_due or prior.notice_due <= now()) as queue`.execute(db);
  const row = rows[0];
  if (!row) throw new Error(`No event ${id} to hold a notice for`);
  return { due: new Date(row.due), dueInSeconds: row.due_in, queue: row.queue };
}

export interface DueNotice {
  event: EventRow;
  changes: string[];
}

/**
 * The next change notice that is due, its event's row locked for the caller's transaction; rows another
 * process is sending are skipped, so two senders never send one notice twice.
 */
export async function nextDueNotice(trx: Db, passOver: readonly string[] = []): Promise<DueNotice | undefined> {
  const row = await columns(trx)
    .select('notice_changes')
    .where('notice_due', '<=', sql<Date>`now()`)
    .$if(passOver.length > 0, (query) => query.where('id', 'not in', passOver))
    .orderBy('notice_due')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!row) return undefined;
  const { notice_changes, ...event } = row;
  return { event, changes: notice_changes ?? [] };
}

/** Whether a notice is due, its row locked or not: a run that skipped locked rows must not leave one behind. */
export async function dueNoticeRemains(db: Db): Promise<boolean> {
  const row = await e(db).selectFrom('events').select('id').where('notice_due', '<=', sql<Date>`now()`).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The notice was sent (or is no longer owed); the caller holds the row's lock. */
export async function clearChangeNotice(db: Db, id: string): Promise<void> {
  await e(db).updateTable('events').set(noNotice).where('id', '=', id).execute();
}
