/**
 * Event use cases: publishing an event (editors any event, a group's coordinators the group's), the
 * public calendar and iCalendar feeds, and signing up to attend.
 *
 * Guarantees: authorisation first (editors and administrators, or the coordinators of the event's
 * group); bad input changes nothing (an end before the start, a place-less event, a bad time zone);
 * sign-ups never exceed the capacity, even when many arrive at once; one sign-up per e-mail address
 * per event, matched by a keyed hash (the address and name are sealed); the confirmation e-mail is
 * enqueued in the sign-up's transaction.
 */
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { can, type Membership } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import type { Config } from '../../core/config.ts';
import { hmac } from '../../core/crypto.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { FieldSealer } from '../../core/field-sealer.ts';
import { translator, type Language } from '../../core/i18n.ts';
import type { Jobs } from '../../core/jobs.ts';
import type { Keys } from '../../core/keys.ts';
import { enqueueMail } from '../../core/mail-job.ts';
import { conflict, forbidden, invalid, notFound, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { isEmail, isUuid, normaliseEmail } from '../../core/validation.ts';
import { groupBasics, groupsCoordinatedBy, membershipOf } from '../groups/index.ts';
import { calendar, type CalendarEvent } from './ical.ts';
import { cancellationToken, cancellationUrl } from './registration-links.ts';
import * as store from './store.ts';
import { dayText, isTimeZone, nextDay, parseLocal, zonedToUtc } from './time.ts';

export interface EventsDeps {
  db: Kysely<Tables>;
  sealer: FieldSealer;
  keys: Pick<Keys, 'blindIndex' | 'csrf'>;
  jobs: Jobs;
  config: Pick<Config, 'publicUrl'>;
}

/** Campaigns an event can belong to (their names are in the locales: events.campaigns.*). */
export const CAMPAIGNS = ['freedom-week', 'chocolate'] as const;
export const DEFAULT_TIME_ZONE = 'Europe/London';
export const MAX_CAPACITY = 100_000;
const LIST_LIMIT = 200;

export interface EventInput {
  title?: string | undefined;
  description?: string | undefined;
  allDay?: boolean | undefined;
  /** YYYY-MM-DD for all-day events; YYYY-MM-DD HH:MM (or with a T) otherwise; in timeZone. */
  start?: string | undefined;
  end?: string | undefined;
  timeZone?: string | undefined;
  place?: string | undefined | null;
  onlineUrl?: string | undefined | null;
  groupId?: string | undefined | null;
  campaign?: string | undefined | null;
  capacity?: number | string | undefined | null;
}

const text = (value: string | null | undefined) => value?.trim() ?? '';
const optional = (value: string | null | undefined) => text(value) || null;

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '' && value.length <= 500;
  } catch {
    return false;
  }
}

/** Checks an event's fields; the row to insert, or field errors. */
export function checkEvent(input: EventInput): { errors: FieldErrors; event?: Omit<store.NewEvent, 'createdBy'> } {
  const errors: FieldErrors = {};
  const title = text(input.title).replace(/\s+/g, ' ');
  const description = text(input.description).replace(/\r\n?/g, '\n');
  if (title.length < 1 || title.length > 200) errors.title = 'events.errors.title';
  if (description.length > 5000) errors.description = 'events.errors.description';
  const timeZone = text(input.timeZone) || DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone)) errors.timeZone = 'events.errors.timeZone';
  const allDay = input.allDay === true;
  const start = parseLocal(text(input.start));
  const end = parseLocal(text(input.end));
  if (!start || start.hasTime === allDay) errors.start = allDay ? 'events.errors.day' : 'events.errors.dateTime';
  if (!end || end.hasTime === allDay) errors.end = allDay ? 'events.errors.day' : 'events.errors.dateTime';
  const place = optional(input.place);
  const onlineUrl = optional(input.onlineUrl);
  if (place !== null && place.length > 300) errors.place = 'events.errors.place';
  if (onlineUrl !== null && !isWebUrl(onlineUrl)) errors.onlineUrl = 'events.errors.onlineUrl';
  if (place === null && onlineUrl === null) errors.place = 'events.errors.where';
  const campaign = optional(input.campaign);
  if (campaign !== null && !(CAMPAIGNS as readonly string[]).includes(campaign)) errors.campaign = 'events.errors.campaign';
  const groupId = optional(input.groupId);
  if (groupId !== null && !isUuid(groupId)) errors.groupId = 'events.errors.group';
  let capacity: number | null = null;
  const rawCapacity = typeof input.capacity === 'number' ? String(input.capacity) : text(input.capacity);
  if (rawCapacity !== '') {
    capacity = /^\d{1,6}$/.test(rawCapacity) ? Number(rawCapacity) : NaN;
    if (!(capacity >= 1 && capacity <= MAX_CAPACITY)) errors.capacity = 'events.errors.capacity';
  }
  if (Object.keys(errors).length > 0 || !start || !end) return { errors };

  let startsAt: Date;
  let endsAt: Date;
  let firstDay: string | null = null;
  let lastDay: string | null = null;
  if (allDay) {
    firstDay = dayText(start);
    lastDay = dayText(end);
    if (lastDay < firstDay) return { errors: { end: 'events.errors.endBeforeStart' } };
    startsAt = zonedToUtc(start, timeZone);
    endsAt = zonedToUtc(parseLocal(nextDay(lastDay))!, timeZone);
  } else {
    startsAt = zonedToUtc(start, timeZone);
    endsAt = zonedToUtc(end, timeZone);
    if (endsAt <= startsAt) return { errors: { end: 'events.errors.endBeforeStart' } };
  }
  return { errors, event: { title, description, allDay, startsAt, endsAt, firstDay, lastDay, timeZone, place, onlineUrl, groupId, campaign, capacity } };
}

const membershipFor = (role: string | undefined): Membership | undefined => (role === 'coordinator' ? 'group-coordinator' : role === 'member' ? 'group-member' : undefined);

/**
 * Publishes an event. Without a group: editors and administrators. With a group: also that group's
 * coordinators. Audited (ids only).
 */
export async function createEvent(deps: EventsDeps, actor: UserActor, input: EventInput): Promise<Outcome<{ id: string }>> {
  const groupId = optional(input.groupId);
  let membership: Membership | undefined;
  if (groupId !== null && isUuid(groupId)) membership = membershipFor(await membershipOf(deps.db, groupId, actor.userId));
  if (!can(actor, 'events.publish', { membership })) return forbidden(groupId ? 'events.errors.notCoordinator' : 'events.errors.notEditor');
  const checked = checkEvent(input);
  if (!checked.event) return invalid(checked.errors);
  if (checked.event.groupId && !(await groupBasics(deps.db, checked.event.groupId))) return invalid({ groupId: 'events.errors.group' });
  const event = checked.event;
  const id = await deps.db.transaction().execute(async (trx) => {
    const eventId = await store.insertEvent(trx, { ...event, createdBy: actor.userId });
    await appendAudit(trx, { actorId: actor.userId, action: 'event.created', subject: `event:${eventId}`, detail: { groupId: event.groupId, campaign: event.campaign } });
    return eventId;
  });
  return ok({ id });
}

export interface PublicEvent {
  id: string;
  title: string;
  description: string;
  allDay: boolean;
  startsAt: string;
  endsAt: string;
  firstDay: string | null;
  lastDay: string | null;
  timeZone: string;
  place: string | null;
  onlineUrl: string | null;
  groupId: string | null;
  campaign: string | null;
  capacity: number | null;
  /** Places left; null when there is no limit. */
  placesLeft: number | null;
  /** How many people signed up (shown to organisers). */
  registered: number;
  /** Cancelled events stay listed, marked as cancelled; sign-ups are closed. */
  cancelled: boolean;
  cancellationReason: string | null;
  /** The iCalendar SEQUENCE: how many times the event was changed. */
  sequence: number;
  url: string;
  calendarUrl: string;
}

export function toPublicView(deps: EventsDeps, row: store.EventRow): PublicEvent {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    allDay: row.all_day,
    startsAt: new Date(row.starts_at).toISOString(),
    endsAt: new Date(row.ends_at).toISOString(),
    firstDay: row.first_day,
    lastDay: row.last_day,
    timeZone: row.time_zone,
    place: row.place,
    onlineUrl: row.online_url,
    groupId: row.group_id,
    campaign: row.campaign,
    capacity: row.capacity,
    placesLeft: row.capacity === null ? null : Math.max(0, row.capacity - row.registered),
    registered: row.registered,
    cancelled: row.cancelled_at !== null,
    cancellationReason: row.cancellation_reason,
    sequence: row.sequence,
    url: `${deps.config.publicUrl}/events/${row.id}`,
    calendarUrl: `${deps.config.publicUrl}/events/${row.id}/calendar.ics`,
  };
}

export interface ListFilter {
  groupId?: string | undefined;
  campaign?: string | undefined;
}

function checkFilter(filter: ListFilter): FieldErrors {
  const errors: FieldErrors = {};
  if (filter.groupId !== undefined && !isUuid(filter.groupId)) errors.group = 'events.errors.group';
  if (filter.campaign !== undefined && !(CAMPAIGNS as readonly string[]).includes(filter.campaign)) errors.campaign = 'events.errors.campaign';
  return errors;
}

/** The public calendar: events that have not ended, soonest first. Needs no sign-in. */
export async function listEvents(deps: EventsDeps, filter: ListFilter, now = new Date()): Promise<Outcome<PublicEvent[]>> {
  const errors = checkFilter(filter);
  if (Object.keys(errors).length > 0) return invalid(errors);
  const rows = await store.listEvents(deps.db, { ...filter, endingAfter: now, limit: LIST_LIMIT });
  return ok(rows.map((row) => toPublicView(deps, row)));
}

export async function getEvent(deps: EventsDeps, id: string): Promise<Outcome<PublicEvent>> {
  if (!isUuid(id)) return notFound();
  const row = await store.findEvent(deps.db, id);
  return row ? ok(toPublicView(deps, row)) : notFound();
}

function toCalendarEvent(deps: EventsDeps, row: store.EventRow): CalendarEvent {
  const event = toPublicView(deps, row);
  return { ...event, startsAt: new Date(event.startsAt), endsAt: new Date(event.endsAt), createdAt: new Date(row.created_at), updatedAt: row.updated_at ? new Date(row.updated_at) : null };
}

const uidHost = (deps: EventsDeps) => new URL(deps.config.publicUrl).hostname;

/** An iCalendar feed: every event, a group's, or a campaign's, including those of the past 90 days. */
export async function calendarFeed(deps: EventsDeps, filter: ListFilter, name: string): Promise<Outcome<string>> {
  const errors = checkFilter(filter);
  if (Object.keys(errors).length > 0) return invalid(errors);
  const rows = await store.listEvents(deps.db, { ...filter, endingAfter: new Date(Date.now() - 90 * 86_400_000), limit: 1000 });
  return ok(calendar(rows.map((row) => toCalendarEvent(deps, row)), { name, uidHost: uidHost(deps) }));
}

/** One event as an .ics file, to add to a calendar. */
export async function eventCalendar(deps: EventsDeps, id: string): Promise<Outcome<{ ics: string; title: string }>> {
  if (!isUuid(id)) return notFound();
  const row = await store.findEvent(deps.db, id);
  if (!row) return notFound();
  return ok({ ics: calendar([toCalendarEvent(deps, row)], { name: row.title, uidHost: uidHost(deps) }), title: row.title });
}

export async function groupName(deps: EventsDeps, groupId: string): Promise<string | undefined> {
  return isUuid(groupId) ? (await groupBasics(deps.db, groupId))?.name : undefined;
}

// ---------------------------------------------------------------- signing up

export interface RegistrationInput {
  name?: string | undefined;
  email?: string | undefined;
}

/** Thrown inside the sign-up's transaction to roll it back with the refusal's reason. */
class Refused extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

/**
 * Signs someone up to attend. Anyone may (no account needed). Full, cancelled and ended events
 * refuse; a second sign-up with the same address is answered like the first and changes nothing. The
 * confirmation carries a signed link to cancel the place.
 */
export async function registerForEvent(deps: EventsDeps, eventId: string, input: RegistrationInput, lang: Language): Promise<Outcome<{ status: 'registered' | 'already' }>> {
  if (!isUuid(eventId)) return notFound();
  const row = await store.findEvent(deps.db, eventId);
  if (!row) return notFound();
  const errors: FieldErrors = {};
  const name = text(input.name).replace(/\s+/g, ' ');
  const email = normaliseEmail(input.email ?? '');
  if (name.length < 1 || name.length > 100 || /[\u0000-\u001f\u007f]/.test(name)) errors.name = 'events.errors.name';
  if (!isEmail(email)) errors.email = 'errors.email';
  if (Object.keys(errors).length > 0) return invalid(errors);
  if (row.cancelled_at !== null) return conflict('events.errors.cancelled');
  if (new Date(row.ends_at) <= new Date()) return conflict('events.errors.ended');
  if (row.capacity !== null && row.registered >= row.capacity) return conflict('events.errors.full');
  try {
    const status = await deps.db.transaction().execute(async (trx) => {
      const result = await store.register(trx, {
        eventId,
        emailHash: hmac(deps.keys.blindIndex, `event-registration:${email}`).toString('hex'),
        nameSealed: deps.sealer.seal(name),
        emailSealed: deps.sealer.seal(email),
        language: lang,
      });
      // Throwing rolls the sign-up row back with the refused count.
      if (result.status === 'full') throw new Refused('events.errors.full');
      if (result.status === 'cancelled') throw new Refused('events.errors.cancelled');
      if (result.status === 'registered' && result.registrationId) {
        // Read again under the sign-up's lock: an edit that committed meanwhile is what the person gets.
        const current = await store.findEvent(trx, eventId);
        await enqueueMail(deps.jobs, trx, confirmation(deps, toPublicView(deps, current ?? row), { name, email, registrationId: result.registrationId }, lang));
      }
      return result.status;
    });
    return ok({ status });
  } catch (error) {
    if (error instanceof Refused) return conflict(error.key);
    throw error;
  }
}

function confirmation(deps: EventsDeps, event: PublicEvent, person: { name: string; email: string; registrationId: string }, lang: Language) {
  const t = translator(lang);
  return {
    to: person.email,
    subject: t('events.mail.subject', { title: event.title }),
    text: [
      t('events.mail.greeting', { name: person.name }),
      '',
      t('events.mail.body', { title: event.title }),
      '',
      ...eventFacts(event, lang),
      '',
      t('events.mail.page', { url: event.url }),
      t('events.mail.calendar', { url: event.calendarUrl }),
      '',
      t('events.mail.cancelPlace', { url: cancellationUrl(deps.config.publicUrl, event.id, cancellationToken(deps.keys, event.id, person.registrationId)) }),
    ].join('\n'),
  };
}

/** "When: …" and "Where: …" lines of an e-mail. */
export function eventFacts(event: PublicEvent, lang: Language): string[] {
  const t = translator(lang);
  const where = [event.place, event.onlineUrl].filter(Boolean).join(' — ');
  return [`${t('events.fields.when')}: ${describeWhen(event, lang)}`, `${t('events.fields.where')}: ${where}`];
}

/** "Tuesday 24 November 2026, 19:00–21:00 (Europe/London)" in the reader's language and the event's zone. */
export function describeWhen(event: Pick<PublicEvent, 'allDay' | 'startsAt' | 'endsAt' | 'firstDay' | 'lastDay' | 'timeZone'>, lang: Language): string {
  if (event.allDay && event.firstDay && event.lastDay) {
    const format = new Intl.DateTimeFormat(lang, { timeZone: 'UTC', dateStyle: 'full' });
    const first = format.format(new Date(`${event.firstDay}T00:00:00Z`));
    return event.firstDay === event.lastDay ? first : `${first} – ${format.format(new Date(`${event.lastDay}T00:00:00Z`))}`;
  }
  const date = new Intl.DateTimeFormat(lang, { timeZone: event.timeZone, dateStyle: 'full', timeStyle: 'short' });
  const time = new Intl.DateTimeFormat(lang, { timeZone: event.timeZone, timeStyle: 'short' });
  const start = new Date(event.startsAt);
  const end = new Date(event.endsAt);
  const sameDay = new Intl.DateTimeFormat('en-CA', { timeZone: event.timeZone }).format(start) === new Intl.DateTimeFormat('en-CA', { timeZone: event.timeZone }).format(end);
  return `${date.format(start)} – ${sameDay ? time.format(end) : date.format(end)} (${event.timeZone})`;
}

/** What the new-event form offers this person: events without a group (editors), and the groups they coordinate. */
export async function publishingChoices(deps: EventsDeps, actor: UserActor): Promise<Outcome<{ withoutGroup: boolean; groups: { id: string; name: string }[] }>> {
  const ids = await groupsCoordinatedBy(deps.db, actor.userId);
  const withoutGroup = can(actor, 'events.publish', {});
  const groups = (await Promise.all(ids.map((id) => groupBasics(deps.db, id)))).filter((g): g is NonNullable<typeof g> => g !== undefined).map((g) => ({ id: g.id, name: g.name }));
  if (!withoutGroup && (groups.length === 0 || !can(actor, 'events.publish', { membership: 'group-coordinator' }))) return forbidden('events.errors.notEditor');
  return ok({ withoutGroup, groups });
}

/** Whether this person organises the event: an editor or administrator, or a coordinator of its group. */
export async function organises(deps: EventsDeps, actor: UserActor, event: { group_id: string | null }): Promise<boolean> {
  const membership = event.group_id ? membershipFor(await membershipOf(deps.db, event.group_id, actor.userId)) : undefined;
  return can(actor, 'events.publish', { membership });
}

export async function mayOrganise(deps: EventsDeps, actor: UserActor | undefined, eventId: string): Promise<boolean> {
  if (!actor || !isUuid(eventId)) return false;
  const row = await store.findEvent(deps.db, eventId);
  return row !== undefined && (await organises(deps, actor, row));
}

export interface Attendee {
  name: string;
  email: string;
  signedUpAt: string;
}

/** Who signed up, for the event's organisers only. Names and addresses are unsealed, so every reading is audited. */
export async function listRegistrations(deps: EventsDeps, actor: UserActor, eventId: string): Promise<Outcome<{ event: PublicEvent; attendees: Attendee[] }>> {
  if (!isUuid(eventId)) return notFound();
  const row = await store.findEvent(deps.db, eventId);
  if (!row) return notFound();
  if (!(await organises(deps, actor, row))) return forbidden('events.errors.notOrganiser');
  const rows = await store.registrationsOf(deps.db, eventId);
  const attendees = await Promise.all(rows.map(async (r) => ({ name: await deps.sealer.unseal(r.name_sealed), email: await deps.sealer.unseal(r.email_sealed), signedUpAt: new Date(r.created_at).toISOString() })));
  await appendAudit(deps.db, { actorId: actor.userId, action: 'event.registrations-read', subject: `event:${eventId}`, detail: { count: attendees.length } });
  return ok({ event: toPublicView(deps, row), attendees });
}
