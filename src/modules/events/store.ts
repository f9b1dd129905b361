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

export async function insertEvent(db: Db, event: NewEvent): Promise<string> {
  const row = await e(db)
    .insertInto('events')
    .values({
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
      group_id: event.groupId,
      campaign: event.campaign,
      capacity: event.capacity,
      created_by: event.createdBy,
    })
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
    ]);

export type EventRow = Awaited<ReturnType<ReturnType<typeof columns>['executeTakeFirstOrThrow']>>;

export async function findEvent(db: Db, id: string): Promise<EventRow | undefined> {
  return columns(db).where('id', '=', id).executeTakeFirst();
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

export type Registration = 'registered' | 'already' | 'full' | 'missing';

/**
 * Signs someone up, within the capacity even when many sign up at once: the count is raised by one
 * only while it is below the capacity (one conditional UPDATE, which locks the event's row), and the
 * sign-up row goes in the same transaction. A second sign-up with the same address changes nothing.
 */
export async function register(trx: Db, registration: { eventId: string; emailHash: string; nameSealed: string; emailSealed: string }): Promise<Registration> {
  const inserted = await e(trx)
    .insertInto('event_registrations')
    .values({ event_id: registration.eventId, email_hash: registration.emailHash, name_sealed: registration.nameSealed, email_sealed: registration.emailSealed })
    .onConflict((oc) => oc.columns(['event_id', 'email_hash']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return 'already';
  const counted = await e(trx)
    .updateTable('events')
    .set({ registered: sql`registered + 1` })
    .where('id', '=', registration.eventId)
    .where((eb) => eb.or([eb('capacity', 'is', null), eb('registered', '<', eb.ref('capacity'))]))
    .returning('registered')
    .executeTakeFirst();
  return counted ? 'registered' : 'full';
}

export async function registrationsOf(db: Db, eventId: string) {
  return e(db).selectFrom('event_registrations').select(['id', 'name_sealed', 'email_sealed', 'created_at']).where('event_id', '=', eventId).orderBy('created_at').orderBy('id').execute();
}
