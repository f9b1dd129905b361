/**
 * Change notices: the e-mail telling the people signed up to an event that its time or place changed,
 * throttled per event so that an organiser's burst of edits reaches them as one message with the final
 * details rather than a series. The first such change opens the event's notice, due
 * CHANGE_NOTICE_MINUTES later (sooner when the event is about to start: never later than that long
 * before its start, and at once when the start is nearer); later changes fold into it; a job sends it
 * when it falls due, stating the event as it is then, to everyone who signed up before its last change
 * (who signed up after it was sent the final details). A cancellation is e-mailed at once (changes.ts)
 * and ends the pending notice.
 *
 * Guarantees: the notice is kept in the event's row and its job queued in the change's transaction, so
 * a process stopped in between loses nothing; the sender locks the row (skipping rows another process
 * holds) and clears the notice in the transaction that enqueues the e-mails, so a notice goes once; any
 * run sends every notice that is due, so one whose own job gave up goes with the next; a run that
 * skipped a locked one queues a follow-up run for it; one that fails holds back no other (the run
 * passes over it, then fails so the job retries it).
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../../core/audit.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { Jobs } from '../../core/jobs.ts';
import { enqueueMails } from '../../core/mail-job.ts';
import { messagesToAttendees, type Compose } from './attendee-mail.ts';
import { eventFacts, toPublicView, type EventsDeps, type PublicEvent } from './service.ts';
import * as store from './store.ts';

export const CHANGE_NOTICE_JOB = 'events.change-notices';
/** How long a change of time or place waits for further changes before the people signed up are told. */
export const CHANGE_NOTICE_MINUTES = 15;

/** How soon a run comes back for a due notice whose row was locked. */
const LOCKED_RETRY_SECONDS = 20;

export type Change = 'time' | 'place';

/**
 * Inside the change's transaction, the event's row locked: opens the notice or folds this change into
 * it, and queues the job when the notice now falls due sooner than any job already queued for it (or
 * was overdue).
 * Returns when it goes.
 */
export async function holdChangeNotice(deps: Pick<EventsDeps, 'jobs'>, trx: Kysely<Tables>, eventId: string, changes: readonly Change[], starts: readonly Date[]): Promise<{ due: Date }> {
  const held = await store.holdChangeNotice(trx, eventId, { changes, windowSeconds: CHANGE_NOTICE_MINUTES * 60, starts });
  if (held.queue) await deps.jobs.enqueue(trx, CHANGE_NOTICE_JOB, { eventId }, held.dueInSeconds > 0 ? { startAfterSeconds: held.dueInSeconds } : {});
  return { due: held.due };
}

const composeChange =
  (event: PublicEvent, changes: readonly string[]): Compose =>
  (t, lang) => {
    const both = changes.includes('time') && changes.includes('place');
    const intro = both ? 'events.mail.changedBoth' : changes.includes('time') ? 'events.mail.changedTime' : 'events.mail.changedPlace';
    return {
      subject: t('events.mail.changedSubject', { title: event.title }),
      lines: [t(intro, { title: event.title }), '', ...eventFacts(event, lang), '', t('events.mail.page', { url: event.url }), t('events.mail.calendarUpdate', { url: event.calendarUrl })],
    };
  };

/**
 * Sends every change notice that is due, one event per transaction. Returns how many notices it
 * settled. One event whose notice fails (its transaction rolls back, the notice stays due) does not
 * hold back the others: it is passed over for the rest of the run, and the run then fails so the job
 * retries it.
 */
export async function sendDueChangeNotices(deps: EventsDeps): Promise<number> {
  let settled = 0;
  const failed = new Map<string, unknown>();
  for (;;) {
    let eventId: string | undefined;
    let found: boolean;
    try {
      found = await deps.db.transaction().execute(async (trx) => {
        const due = await store.nextDueNotice(trx, [...failed.keys()]);
        if (!due) return false;
        eventId = due.event.id;
        const event = toPublicView(deps, due.event);
        // No longer owed when the event was cancelled (that e-mail stated it as it is) or is over.
        const owed = !event.cancelled && new Date(event.endsAt) > new Date();
        const messages = owed ? await messagesToAttendees(deps, event, await store.registrationsToNotify(trx, event.id), composeChange(event, due.changes)) : [];
        await store.clearChangeNotice(trx, event.id);
        if (!owed) return true;
        await enqueueMails(deps.jobs, trx, messages);
        await appendAudit(trx, { actorId: null, action: 'event.change-notified', subject: `event:${event.id}`, detail: { changes: due.changes, notified: messages.length, sequence: event.sequence } });
        return true;
      });
    } catch (error) {
      // Failing before any event was picked (the database is away) ends the run at once.
      if (eventId === undefined) throw error;
      failed.set(eventId, error);
      continue;
    }
    if (!found) break;
    settled += 1;
  }
  if (failed.size > 0) throw new AggregateError([...failed.values()], `change notices of ${failed.size} event(s) failed and stay due: ${[...failed.keys()].join(', ')}`);
  // A notice whose row other work held (a sign-up, an edit of the title) was skipped: it is sent
  // by a follow-up run, never left for the event's next change, which may not come.
  if (await store.dueNoticeRemains(deps.db)) await deps.jobs.enqueue(deps.db, CHANGE_NOTICE_JOB, {}, { startAfterSeconds: LOCKED_RETRY_SECONDS });
  return settled;
}

/** The events module's job: sending change notices when they fall due. */
export function defineEventJobs(jobs: Jobs, deps: Omit<EventsDeps, 'jobs'>): void {
  const full: EventsDeps = { ...deps, jobs };
  jobs.define<{ eventId?: string }>(
    CHANGE_NOTICE_JOB,
    async () => {
      await sendDueChangeNotices(full);
    },
    { retryLimit: 8, retryDelaySeconds: 30, deleteAfterSeconds: 3600 },
  );
}
