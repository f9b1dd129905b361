/**
 * Changing an event after it is published: editing, cancelling, and a person cancelling their own
 * place from the signed link in their e-mail.
 *
 * Guarantees: only the event's organisers (editors and administrators, or the coordinators of its
 * group) edit or cancel it; the work happens under the event row's lock, so sign-ups arriving at the
 * same time are counted against the new capacity, and the capacity is never lowered below the number
 * signed up; a change of time or place opens or joins the event's change notice in the same
 * transaction (change-notices.ts: changes close together reach each person as one e-mail with the final
 * details); a cancellation enqueues one e-mail per person signed up in its transaction, at once, and
 * ends any pending notice; every saved change raises the iCalendar SEQUENCE; a cancelled event is kept
 * and shown as cancelled, and takes no more sign-ups or edits. Audited (`event.updated`,
 * `event.cancelled`; ids and counts only).
 */
import type { UserActor } from '../../core/auth/actor.ts';
import { appendAudit } from '../../core/audit.ts';
import { enqueueMails } from '../../core/mail-job.ts';
import { conflict, forbidden, invalid, notFound, ok, type Outcome } from '../../core/outcome.ts';
import { isUuid } from '../../core/validation.ts';
import { messagesToAttendees } from './attendee-mail.ts';
import { holdChangeNotice, type Change } from './change-notices.ts';
import { readCancellationToken } from './registration-links.ts';
import { checkEvent, eventFacts, organises, toPublicView, type EventInput, type EventsDeps, type PublicEvent } from './service.ts';
import * as store from './store.ts';
import { localText } from './time.ts';

export const MAX_REASON = 500;

type FormField = 'title' | 'description' | 'allDay' | 'start' | 'end' | 'timeZone' | 'place' | 'onlineUrl' | 'campaign' | 'capacity';

/** The form's values for an event as it is now: local times in its zone, as the organiser typed them. */
export function editingValues(event: PublicEvent): Record<FormField, string> {
  const day = (iso: string) => iso.slice(0, 10);
  return {
    title: event.title,
    description: event.description,
    allDay: event.allDay ? 'yes' : '',
    start: event.allDay ? (event.firstDay ?? day(event.startsAt)) : localText(new Date(event.startsAt), event.timeZone),
    end: event.allDay ? (event.lastDay ?? day(event.endsAt)) : localText(new Date(event.endsAt), event.timeZone),
    timeZone: event.timeZone,
    place: event.place ?? '',
    onlineUrl: event.onlineUrl ?? '',
    campaign: event.campaign ?? '',
    capacity: event.capacity === null ? '' : String(event.capacity),
  };
}

/** The event for an organiser's edit or cancel form; refused to anyone else. */
export async function eventToManage(deps: EventsDeps, actor: UserActor, eventId: string): Promise<Outcome<PublicEvent>> {
  if (!isUuid(eventId)) return notFound();
  const row = await store.findEvent(deps.db, eventId);
  if (!row) return notFound();
  if (!(await organises(deps, actor, row))) return forbidden('events.errors.notOrganiserChange');
  if (row.cancelled_at !== null) return conflict('events.errors.cancelledNoChange');
  return ok(toPublicView(deps, row));
}

/** What changed that the people signed up must hear about. */
function noticeable(before: store.EventRow, after: NonNullable<ReturnType<typeof checkEvent>['event']>): Change[] {
  const changes: Change[] = [];
  const timeChanged = before.all_day !== after.allDay || (after.allDay ? before.first_day !== after.firstDay || before.last_day !== after.lastDay : new Date(before.starts_at).getTime() !== after.startsAt.getTime() || new Date(before.ends_at).getTime() !== after.endsAt.getTime());
  if (timeChanged) changes.push('time');
  if (before.place !== after.place || before.online_url !== after.onlineUrl) changes.push('place');
  return changes;
}

const same = (before: store.EventRow, after: NonNullable<ReturnType<typeof checkEvent>['event']>) =>
  noticeable(before, after).length === 0 && before.title === after.title && before.description === after.description && before.time_zone === after.timeZone && before.campaign === after.campaign && before.capacity === after.capacity && new Date(before.starts_at).getTime() === after.startsAt.getTime() && new Date(before.ends_at).getTime() === after.endsAt.getTime();

export interface EventUpdate {
  changed: boolean;
  /** How many people signed up will be told of this change (0: no change of time or place). */
  notified: number;
  sequence: number;
  /** When they will be told (the event's change notice falls due); null when there is nothing to tell. */
  notifyAt: string | null;
}

/**
 * Edits an event. Fields left out (API) keep their value; the group stays the one it was published
 * for. Returns what changed, and how many people will be told and when.
 */
export async function updateEvent(deps: EventsDeps, actor: UserActor, eventId: string, input: EventInput): Promise<Outcome<EventUpdate>> {
  const current = await eventToManage(deps, actor, eventId);
  if (!current.ok) return current;
  const given = Object.fromEntries(Object.entries(input).filter(([key, value]) => value !== undefined && key !== 'groupId'));
  const base: EventInput = { ...editingValues(current.value), allDay: current.value.allDay, capacity: current.value.capacity };
  const checked = checkEvent({ ...base, ...given, groupId: current.value.groupId });
  if (!checked.event) return invalid(checked.errors);
  const next = checked.event;
  return deps.db.transaction().execute(async (trx) => {
    const row = await store.findEvent(trx, eventId, { forUpdate: true });
    if (!row) return notFound();
    if (row.cancelled_at !== null) return conflict('events.errors.cancelledNoChange');
    if (next.capacity !== null && row.registered > next.capacity) return invalid({ capacity: 'events.errors.capacityBelowSignUps' });
    if (same(row, next)) return ok({ changed: false, notified: 0, sequence: row.sequence, notifyAt: null });
    const changes = noticeable(row, next);
    await store.updateEvent(trx, eventId, next);
    const saved = toPublicView(deps, (await store.findEvent(trx, eventId))!);
    let notified = 0;
    let notifyAt: string | null = null;
    if (changes.length > 0) {
      // Told later, in one e-mail with whatever else changes meanwhile (change-notices.ts).
      const notice = await holdChangeNotice(deps, trx, eventId, changes, [new Date(row.starts_at), next.startsAt]);
      notified = saved.registered;
      notifyAt = notice.due.toISOString();
    }
    await appendAudit(trx, { actorId: actor.userId, action: 'event.updated', subject: `event:${eventId}`, detail: { changes, notified, sequence: saved.sequence } });
    return ok({ changed: true, notified, sequence: saved.sequence, notifyAt });
  });
}

/**
 * Cancels an event: it stays on the calendar marked as cancelled, its feeds say STATUS:CANCELLED, it
 * takes no more sign-ups, and everyone signed up is told at once (with the organisers' reason, if
 * given). A change notice still pending is dropped with it: this e-mail states the event as it is.
 */
export async function cancelEvent(deps: EventsDeps, actor: UserActor, eventId: string, input: { reason?: string | undefined | null }): Promise<Outcome<{ notified: number; sequence: number }>> {
  const current = await eventToManage(deps, actor, eventId);
  if (!current.ok) return current;
  const reason = (input.reason ?? '').trim().replace(/\r\n?/g, '\n') || null;
  if (reason !== null && reason.length > MAX_REASON) return invalid({ reason: 'events.errors.reason' });
  if (new Date(current.value.endsAt) <= new Date()) return conflict('events.errors.endedNoChange');
  return deps.db.transaction().execute(async (trx) => {
    const row = await store.findEvent(trx, eventId, { forUpdate: true });
    if (!row) return notFound();
    if (row.cancelled_at !== null) return conflict('events.errors.cancelledNoChange');
    await store.cancelEvent(trx, eventId, reason);
    const saved = toPublicView(deps, (await store.findEvent(trx, eventId))!);
    const messages = await messagesToAttendees(deps, saved, await store.registrationsOf(trx, eventId), (t, lang) => ({
      subject: t('events.mail.cancelledSubject', { title: saved.title }),
      lines: [
        t('events.mail.cancelledBody', { title: saved.title }),
        ...(reason ? ['', t('events.mail.reason', { reason })] : []),
        '',
        ...eventFacts(saved, lang),
        '',
        t('events.mail.calendarRemove', { url: saved.calendarUrl }),
      ],
    }));
    await enqueueMails(deps.jobs, trx, messages);
    await appendAudit(trx, { actorId: actor.userId, action: 'event.cancelled', subject: `event:${eventId}`, detail: { notified: messages.length, sequence: saved.sequence } });
    return ok({ notified: messages.length, sequence: saved.sequence });
  });
}

/** The event a cancel link is for, to show before the person confirms (a GET never cancels: mail scanners follow links). */
export async function registrationForLink(deps: EventsDeps, eventId: string, token: string): Promise<Outcome<PublicEvent>> {
  const registrationId = readCancellationToken(deps.keys, eventId, token);
  if (!registrationId) return notFound('events.errors.badLink');
  const row = await store.findEvent(deps.db, eventId);
  if (!row) return notFound('events.errors.badLink');
  if (!(await store.findRegistration(deps.db, eventId, registrationId))) return conflict('events.errors.placeGone');
  return ok(toPublicView(deps, row));
}

/** Cancels a place from its signed link: the sign-up is deleted and the place freed. */
export async function cancelRegistration(deps: EventsDeps, eventId: string, token: string): Promise<Outcome<{ status: 'cancelled' }>> {
  const registrationId = readCancellationToken(deps.keys, eventId, token);
  if (!registrationId) return notFound('events.errors.badLink');
  const row = await store.findEvent(deps.db, eventId);
  if (!row) return notFound('events.errors.badLink');
  if (new Date(row.ends_at) <= new Date()) return conflict('events.errors.endedPlace');
  const done = await deps.db.transaction().execute(async (trx) => {
    if (!(await store.unregister(trx, eventId, registrationId))) return false;
    await appendAudit(trx, { actorId: null, action: 'event.registration-cancelled', subject: `event:${eventId}`, detail: {} });
    return true;
  });
  return done ? ok({ status: 'cancelled' as const }) : conflict('events.errors.placeGone');
}
