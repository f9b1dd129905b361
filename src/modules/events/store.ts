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

export async function cancelEvent(db: Db, id: string, reason: string | null): Promise<void> {
  await e(db)
    .updateTable('events')
    .set({ cancelled_at: sql`now()`, cancellation_reason: reason, sequence: sql`sequence + 1`, updated_at: sql`now()` })
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

export async function registrationsOf(db: Db, eventId: string) {
  return e(db).selectFrom('event_registrations').select(['id', 'name_sealed', 'email_sealed', 'created_at', 'language']).where('event_id', '=', eventId).orderBy('created_at').orderBy('id').execute();
}
