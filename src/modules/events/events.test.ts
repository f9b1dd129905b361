/**
 * Events through the real HTTP server and database: publishing (who may, and bad input), the public
 * calendar, iCalendar output parsed back by an independent parser (ical.js) and checked line by line
 * for CRLF, folding and escaping, and sign-ups that never exceed the capacity under concurrency, with
 * the confirmation delivered to a real SMTP receiver; changes and cancellations e-mailed to the people
 * signed up (changes close together folded into one e-mail with the final details, a cancellation at once).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import { sql } from 'kysely';
import { Client, csrfFrom } from '../../../test/support/client.ts';
import { startMailbox, type Mailbox } from '../../../test/support/mailbox.ts';
import { person, type Person } from '../../../test/support/people.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { sessionCall } from '../../../test/support/session-call.ts';
import { escapeText, foldLine } from './ical.ts';
import { CHANGE_NOTICE_JOB } from './change-notices.ts';
import { changeNoticeDueNow, changeNoticeJobs } from './test-helpers.ts';
import { parseLocal, zonedToUtc } from './time.ts';

const YEAR = new Date().getUTCFullYear() + 1;
const freedomWeek = { title: 'Freedom Week', description: 'A week of events; talks, stalls and screenings.', allDay: true, start: `${YEAR}-11-24`, end: `${YEAR}-11-30`, timeZone: 'Europe/London', place: 'Across the UK', campaign: 'freedom-week' };

/** Checks RFC 5545 line rules on the raw text: CRLF only, at most 75 octets a line. */
function assertWellFormed(ics: string): void {
  assert.ok(ics.endsWith('\r\n'), 'ends with CRLF');
  assert.doesNotMatch(ics.replace(/\r\n/g, ''), /[\r\n]/, 'no bare CR or LF');
  for (const line of ics.split('\r\n').slice(0, -1)) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `line over 75 octets: ${line}`);
}

function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  return calendar.getAllSubcomponents('vevent').map((vevent) => ({ vevent, event: new ICAL.Event(vevent) }));
}

describe('iCalendar and time zones (units)', () => {
  test('folding never splits a character and keeps lines within 75 octets', () => {
    const line = `SUMMARY:${'é'.repeat(100)}`;
    const folded = foldLine(line);
    for (const part of folded.split('\r\n')) assert.ok(Buffer.byteLength(part) <= 75);
    assert.equal(folded.split('\r\n').map((p, i) => (i === 0 ? p : p.slice(1))).join(''), line);
  });
  test('escaping of backslash, semicolon, comma and new lines', () => {
    assert.equal(escapeText('a\\b;c,d\ne'), 'a\\\\b\\;c\\,d\\ne');
  });
  test('local times become instants across summer time', () => {
    assert.equal(zonedToUtc(parseLocal('2026-11-26 19:00')!, 'Europe/London').toISOString(), '2026-11-26T19:00:00.000Z');
    assert.equal(zonedToUtc(parseLocal('2026-06-26 19:00')!, 'Europe/London').toISOString(), '2026-06-26T18:00:00.000Z');
    assert.equal(zonedToUtc(parseLocal('2026-11-26 19:00')!, 'Africa/Abidjan').toISOString(), '2026-11-26T19:00:00.000Z');
    assert.equal(zonedToUtc(parseLocal('2026-11-26 19:00')!, 'Europe/Paris').toISOString(), '2026-11-26T18:00:00.000Z');
    assert.equal(parseLocal('2026-02-30'), undefined);
  });
});

describe('events', () => {
  let server: TestServer;
  let mailbox: Mailbox;
  let editor: Person;
  let coordinator: Person;
  let member: Person;
  let groupId: string;
  let weekId: string;

  before(async () => {
    mailbox = await startMailbox();
    server = await startTestServer({ smtpUrl: mailbox.url });
    [editor, coordinator, member] = await Promise.all([
      person(server, { role: 'editor', scopes: ['events:write'] }),
      person(server, { scopes: ['events:write'] }),
      person(server, { scopes: ['events:write'] }),
    ]);
    groupId = (await sessionCall(coordinator.browser, 'POST', '/api/v1/groups', { name: 'Bristol CAST', kind: 'community', country: 'GB', locality: 'Bristol', lat: 51.45, lon: -2.59, radiusKm: 5 })).id!;
  });
  after(async () => {
    await server.close();
    await mailbox.close();
  });

  const api = (who: Person, body: unknown) => who.api.json('POST', '/api/v1/events', body, who.token);
  const eventCount = async () => Number((await sql<{ n: number }>`select count(*)::int as n from events`.execute(server.cast.database.db)).rows[0]!.n);

  test('an editor publishes Freedom Week; members without a group cannot; anonymous callers must sign in', async () => {
    const created = await api(editor, freedomWeek);
    assert.equal(created.status, 201, created.text);
    weekId = created.json<{ id: string }>().id;
    assert.equal((await api(member, freedomWeek)).status, 403);
    const anonymous = new Client(server.url);
    const csrf = csrfFrom((await anonymous.get('/signup')).text);
    const refused = await anonymous.request('POST', '/api/v1/events', { body: JSON.stringify(freedomWeek), headers: { 'content-type': 'application/json', 'x-csrf-token': csrf } });
    assert.equal(refused.status, 401);
    const listed = await new Client(server.url).get('/api/v1/events?campaign=freedom-week');
    const found = listed.json<{ id: string; firstDay: string; lastDay: string; startsAt: string }[]>().find((e) => e.id === weekId)!;
    assert.deepEqual([found.firstDay, found.lastDay], [`${YEAR}-11-24`, `${YEAR}-11-30`]);
    assert.equal(found.startsAt, `${YEAR}-11-24T00:00:00.000Z`);
  });

  test('a group coordinator publishes for the group through the form; another member may not', async () => {
    const page = await coordinator.browser.get('/events/new');
    assert.equal(page.status, 200);
    assert.match(page.text, /Bristol CAST/);
    const fields = { title: 'Screening: Chocolate, slavery and us', description: 'Film, then questions.', start: `${YEAR}-11-26 19:00`, end: `${YEAR}-11-26 21:00`, timeZone: 'Europe/London', place: 'St Mary’s Hall, Bristol', groupId, campaign: 'freedom-week', capacity: '3' };
    const done = await coordinator.browser.postForm('/events', { _csrf: csrfFrom(page.text), ...fields });
    assert.equal(done.status, 303, done.text.slice(0, 500));
    const eventPage = await coordinator.browser.get(done.location!);
    assert.match(eventPage.text, /The event is published/);
    assert.match(eventPage.text, /3 places left of 3/);
    const otherPage = await member.browser.get('/events/new');
    assert.equal(otherPage.status, 403);
    assert.equal((await api(member, { ...freedomWeek, groupId })).status, 403);
  });

  test('bad input: clear messages, nothing published', async () => {
    const before = await eventCount();
    const cases: [object, string, RegExp][] = [
      [{ ...freedomWeek, allDay: false, start: `${YEAR}-11-26 19:00`, end: `${YEAR}-11-26 18:00` }, 'end', /end after it starts/],
      [{ ...freedomWeek, start: `${YEAR}-11-30`, end: `${YEAR}-11-24` }, 'end', /end after it starts/],
      [{ ...freedomWeek, timeZone: 'Mars/Olympus' }, 'timeZone', /time zone/],
      [{ ...freedomWeek, place: null }, 'place', /place or an online link/],
      [{ ...freedomWeek, capacity: 0 }, 'capacity', /whole number/],
      [{ ...freedomWeek, start: `${YEAR}-02-30`, end: `${YEAR}-03-01` }, 'start', /YYYY-MM-DD/],
      [{ ...freedomWeek, allDay: false }, 'start', /HH:MM/],
      [{ ...freedomWeek, onlineUrl: 'javascript:alert(1)' }, 'onlineUrl', /https:\/\//],
      [{ ...freedomWeek, campaign: 'easter' }, 'campaign', /campaign/],
    ];
    for (const [body, field, message] of cases) {
      const response = await api(editor, body);
      assert.equal(response.status, 422, `${JSON.stringify(body)} → ${response.text}`);
      assert.match(response.json<{ error: { fields: Record<string, string> } }>().error.fields[field] ?? '', message, JSON.stringify(body));
    }
    const page = await editor.browser.get('/events/new');
    const form = await editor.browser.postForm('/events', { _csrf: csrfFrom(page.text), title: 'Kept title', start: `${YEAR}-11-26 19:00`, end: `${YEAR}-11-26 18:00`, place: 'Hall' });
    assert.equal(form.status, 422);
    assert.match(form.text, /The event must end after it starts/);
    assert.match(form.text, /value="Kept title"/);
    assert.equal(await eventCount(), before);
  });

  test('the .ics of an all-day event: RFC 5545 lines, DATE values with an exclusive end, UID and DTSTAMP', async () => {
    const response = await new Client(server.url).get(`/events/${weekId}/calendar.ics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/calendar/);
    assertWellFormed(response.text);
    assert.match(response.text, new RegExp(`DTSTART;VALUE=DATE:${YEAR}1124\\r\\n`));
    assert.match(response.text, new RegExp(`DTEND;VALUE=DATE:${YEAR}1201\\r\\n`));
    const [parsed] = parse(response.text);
    assert.ok(parsed);
    assert.equal(parsed.event.summary, 'Freedom Week');
    assert.equal(parsed.event.description.split('\n\n')[0], 'A week of events; talks, stalls and screenings.');
    assert.ok(parsed.event.startDate.isDate);
    assert.equal(parsed.event.startDate.toString(), `${YEAR}-11-24`);
    assert.equal(parsed.event.endDate.toString(), `${YEAR}-12-01`);
    assert.match(parsed.event.uid, new RegExp(`^${weekId}@`));
    assert.ok(parsed.vevent.getFirstPropertyValue('dtstamp'));
  });

  test('feeds (all, per campaign, per group): long and awkward text folds, escapes and parses back exactly', async () => {
    const title = `Talk, Q&A; “Traffik-free” chocolate — ${'très long '.repeat(12)}`.trim();
    const description = 'Line one, with commas; and semicolons.\nLine two \\ a backslash.';
    const created = await api(coordinator, { title, description, start: `${YEAR}-06-10 19:00`, end: `${YEAR}-06-10 20:30`, timeZone: 'Europe/London', place: 'Library, Room 2; ground floor', groupId, campaign: 'chocolate' });
    assert.equal(created.status, 201, created.text);
    const id = created.json<{ id: string }>().id;
    for (const path of ['/events/calendar.ics', '/events/campaigns/chocolate/calendar.ics', `/events/groups/${groupId}/calendar.ics`, `/api/v1/events/calendar.ics?group=${groupId}`]) {
      const feed = await new Client(server.url).get(path);
      assert.equal(feed.status, 200, path);
      assertWellFormed(feed.text);
      const event = parse(feed.text).find((e) => e.event.uid.startsWith(id));
      assert.ok(event, `${path} holds the event`);
      assert.equal(event.event.summary, title);
      assert.equal(event.event.description.split('\n\n')[0], description);
      assert.equal(event.event.location, 'Library, Room 2; ground floor');
      // 19:00 in London in June is 18:00 UTC (summer time).
      assert.equal(event.event.startDate.toJSDate().toISOString(), `${YEAR}-06-10T18:00:00.000Z`);
    }
    const campaignFeed = await new Client(server.url).get('/events/campaigns/chocolate/calendar.ics');
    assert.ok(!parse(campaignFeed.text).some((e) => e.event.uid.startsWith(weekId)), 'the chocolate feed leaves Freedom Week out');
    assert.equal((await new Client(server.url).get('/events/campaigns/easter/calendar.ics')).status, 404);
    assert.equal((await new Client(server.url).get('/api/v1/events/calendar.ics?campaign=easter')).status, 422);
  });

  test('sign-ups never exceed the capacity, even all at once; one per address; a confirmation by e-mail', async () => {
    const created = await api(editor, { title: 'Small workshop', start: `${YEAR}-11-25 10:00`, end: `${YEAR}-11-25 12:00`, place: 'Room 1', capacity: 3 });
    const id = created.json<{ id: string }>().id;
    const attempts = await Promise.all(Array.from({ length: 12 }, (_, i) => new Client(server.url).json('POST', `/api/v1/events/${id}/registrations`, { name: `Person ${i}`, email: `attendee${i}.${id.slice(0, 6)}@example.org` })));
    const statuses = attempts.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 201, 201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const full = attempts.find((r) => r.status === 409)!;
    assert.match(full.json<{ error: { message: string } }>().error.message, /full/);
    const rows = await sql<{ registered: number; n: number }>`select registered, (select count(*)::int from event_registrations where event_id = ${id}) as n from events where id = ${id}`.execute(server.cast.database.db);
    assert.deepEqual([rows.rows[0]!.registered, rows.rows[0]!.n], [3, 3]);
    const event = await new Client(server.url).get(`/api/v1/events/${id}`);
    assert.equal(event.json<{ placesLeft: number }>().placesLeft, 0);
    const winner = attempts.findIndex((r) => r.status === 201);
    const mail = await mailbox.waitFor(`attendee${winner}.${id.slice(0, 6)}@example.org`, /signed up/);
    assert.match(mail.text, /Small workshop/);
    assert.match(mail.text, new RegExp(`/events/${id}/calendar.ics`));
    const stored = (await sql<{ name_sealed: string; email_sealed: string; email_hash: string }>`select * from event_registrations where event_id = ${id} limit 1`.execute(server.cast.database.db)).rows[0]!;
    assert.match(stored.email_sealed, /^k\d+\./);
    assert.doesNotMatch(stored.email_hash, /@/);

    // The organisers' list: names and addresses for the editor, audited; refused to others.
    const list = await editor.browser.get(`/events/${id}/registrations`);
    assert.equal(list.status, 200);
    assert.match(list.text, /3 people signed up/);
    assert.match(list.text, new RegExp(`attendee${winner}\\.${id.slice(0, 6)}@example\\.org`));
    assert.equal((await member.browser.get(`/events/${id}/registrations`)).status, 403);
    assert.equal((await coordinator.browser.get(`/events/${id}/registrations`)).status, 403, 'a coordinator of another group is no organiser here');
    const audit = await sql<{ actor_id: string }>`select actor_id from audit_log where action = 'event.registrations-read' and subject = ${`event:${id}`}`.execute(server.cast.database.db);
    assert.deepEqual(audit.rows.map((r) => r.actor_id), [editor.userId]);
  });

  test('signing up twice with one address changes nothing; bad input refused', async () => {
    const created = await api(editor, { title: 'Open evening', start: `${YEAR}-11-27 18:00`, end: `${YEAR}-11-27 20:00`, place: 'Town hall' });
    const id = created.json<{ id: string }>().id;
    const client = new Client(server.url);
    const first = await client.json('POST', `/api/v1/events/${id}/registrations`, { name: 'Sam', email: 'Sam.Twice@example.org' });
    assert.equal(first.status, 201);
    const second = await client.json('POST', `/api/v1/events/${id}/registrations`, { name: 'Sam', email: 'sam.twice@example.org' });
    assert.equal(second.status, 200);
    assert.deepEqual(second.json(), { status: 'already' });
    const bad = await client.json('POST', `/api/v1/events/${id}/registrations`, { name: '', email: 'not-an-address' });
    assert.equal(bad.status, 422);
    const page = await client.get(`/events/${id}`);
    const form = await client.postForm(`/events/${id}/registrations`, { _csrf: csrfFrom(page.text), name: 'Kim', email: 'nope' });
    assert.equal(form.status, 422);
    assert.match(form.text, /value="Kim"/);
    const ok = await client.postForm(`/events/${id}/registrations`, { _csrf: csrfFrom(page.text), name: 'Kim', email: 'kim@example.org' });
    assert.equal(ok.status, 303);
    const count = await sql<{ registered: number }>`select registered from events where id = ${id}`.execute(server.cast.database.db);
    assert.equal(count.rows[0]!.registered, 2);
    assert.equal((await client.json('POST', '/api/v1/events/00000000-0000-4000-8000-000000000000/registrations', { name: 'A', email: 'a@example.org' })).status, 404);
  });

  // ------------------------------------------------------------ changing and cancelling

  const patch = (who: Person, id: string, body: unknown) => who.api.json('PATCH', `/api/v1/events/${id}`, body, who.token);
  const signUp = (id: string, name: string, email: string) => new Client(server.url).json('POST', `/api/v1/events/${id}/registrations`, { name, email });
  const row = async (id: string) => (await sql<{ sequence: number; capacity: number | null; registered: number; place: string; cancelled_at: Date | null }>`select sequence, capacity, registered, place, cancelled_at from events where id = ${id}`.execute(server.cast.database.db)).rows[0]!;
  /** Mail jobs enqueued for an address whose subject starts so: "once per person per change" is counted here. */
  const mailJobs = async (to: string, subject: string) => (await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'mail.send' and data->>'to' = ${to} and data->>'subject' like ${`${subject}%`}`.execute(server.cast.database.db)).rows[0]!.n;
  const db = () => server.cast.database.db;
  /** Checks `done` until it holds (what a queue does next is waited for, never timed). */
  const until = async (what: string, done: () => Promise<boolean> | boolean) => {
    const deadline = Date.now() + 15_000;
    while (!(await done())) {
      if (Date.now() > deadline) assert.fail(`still waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  /** The messages to `to` whose subject matches, once at least `count` of them have arrived. */
  const arrived = async (to: string, subject: RegExp, count: number) => {
    const matching = () => mailbox.messages.filter((m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject));
    await until(`${count} messages to ${to} matching ${subject}`, () => matching().length >= count);
    return matching();
  };
  const notice = async (id: string) => (await sql<{ notice_due: Date | null; notice_changes: string[] | null }>`select notice_due, notice_changes from events where id = ${id}`.execute(db())).rows[0]!;
  const icsEvent = async (id: string) => {
    const response = await new Client(server.url).get(`/events/${id}/calendar.ics`);
    assertWellFormed(response.text);
    return parse(response.text)[0]!;
  };

  test('organisers change an event: a new time or place e-mails each person signed up once, and SEQUENCE goes up', async () => {
    const created = await api(coordinator, { title: 'Stall at the market', start: `${YEAR}-11-28 10:00`, end: `${YEAR}-11-28 14:00`, place: 'Market square', groupId, capacity: 5 });
    const id = created.json<{ id: string }>().id;
    const people = [`ana.${id.slice(0, 6)}@example.org`, `ben.${id.slice(0, 6)}@example.org`];
    for (const email of people) assert.equal((await signUp(id, 'Someone', email)).status, 201);

    // Who may: the group's coordinators and editors; not another member, not an anonymous caller.
    assert.equal((await patch(member, id, { title: 'Taken over' })).status, 403);
    const anonymous = new Client(server.url);
    const csrf = csrfFrom((await anonymous.get('/signup')).text);
    assert.equal((await anonymous.request('PATCH', `/api/v1/events/${id}`, { body: JSON.stringify({ title: 'Taken over' }), headers: { 'content-type': 'application/json', 'x-csrf-token': csrf } })).status, 401);
    assert.equal((await member.browser.get(`/events/${id}/edit`)).status, 403);

    // A new title: saved, SEQUENCE 1, nobody e-mailed.
    const retitled = await patch(editor, id, { title: 'Freedom Week stall at the market' });
    assert.equal(retitled.status, 200, retitled.text);
    assert.deepEqual(retitled.json(), { changed: true, notified: 0, sequence: 1, notifyAt: null });

    // A new time: each person signed up is e-mailed once (when the change notice falls due), SEQUENCE 2;
    // the same values again change nothing.
    const moved = await patch(coordinator, id, { start: `${YEAR}-11-28 11:00`, end: `${YEAR}-11-28 15:00` });
    const { notifyAt, ...counts } = moved.json<{ notifyAt: string }>();
    assert.deepEqual(counts, { changed: true, notified: 2, sequence: 2 });
    assert.ok(new Date(notifyAt) > new Date(), 'the notice waits for further changes');
    assert.deepEqual((await patch(coordinator, id, { start: `${YEAR}-11-28 11:00`, end: `${YEAR}-11-28 15:00` })).json(), { changed: false, notified: 0, sequence: 2, notifyAt: null });
    await changeNoticeDueNow(db(), id);
    for (const email of people) {
      const mail = await mailbox.waitFor(email, /^Changed: Freedom Week stall at the market$/);
      assert.match(mail.text, /The time of "Freedom Week stall at the market" has changed/);
      assert.match(mail.text, /11:00/);
      assert.match(mail.text, new RegExp(`/events/${id}/registrations/cancel\\?token=`));
      assert.equal(await mailJobs(email, 'Changed:'), 1, `${email} is told once`);
    }
    const ics = await icsEvent(id);
    assert.equal(ics.vevent.getFirstPropertyValue('sequence'), 2);
    assert.equal(ics.vevent.getFirstPropertyValue('status'), 'CONFIRMED');
    assert.equal(ics.event.startDate.toJSDate().toISOString(), `${YEAR}-11-28T11:00:00.000Z`);
    assert.ok(ics.vevent.getFirstPropertyValue('last-modified'));

    // Places below the number signed up: refused, nothing changed.
    const tooFew = await patch(coordinator, id, { capacity: 1, place: 'Elsewhere' });
    assert.equal(tooFew.status, 422);
    assert.match(tooFew.json<{ error: { fields: Record<string, string> } }>().error.fields.capacity ?? '', /already signed up/);
    assert.deepEqual([(await row(id)).capacity, (await row(id)).place, (await row(id)).sequence], [5, 'Market square', 2]);

    // Bad input: an end before the start, a group (it cannot change), an unknown event.
    const backwards = await patch(coordinator, id, { end: `${YEAR}-11-28 09:00` });
    assert.equal(backwards.status, 422);
    assert.match(backwards.json<{ error: { fields: Record<string, string> } }>().error.fields.end ?? '', /end after it starts/);
    assert.equal((await patch(coordinator, id, { groupId: null })).status, 422);
    assert.equal((await patch(editor, '00000000-0000-4000-8000-000000000000', { title: 'Nothing' })).status, 404);
    assert.equal((await row(id)).sequence, 2);

    // The form: the current values, the input kept on a refusal, a new place saved and e-mailed.
    const form = await coordinator.browser.get(`/events/${id}/edit`);
    assert.equal(form.status, 200);
    assert.match(form.text, new RegExp(`value="${YEAR}-11-28 11:00"`));
    assert.match(form.text, /2 people have signed up/);
    const fields = { title: 'Freedom Week stall at the market', start: `${YEAR}-11-28 11:00`, end: `${YEAR}-11-28 15:00`, timeZone: 'Europe/London', place: 'Corn Exchange, Bristol', capacity: '1' };
    const refused = await coordinator.browser.postForm(`/events/${id}/edit`, { _csrf: csrfFrom(form.text), ...fields });
    assert.equal(refused.status, 422);
    assert.match(refused.text, /More people have already signed up than that/);
    assert.match(refused.text, /value="Corn Exchange, Bristol"/);
    const saved = await coordinator.browser.postForm(`/events/${id}/edit`, { _csrf: csrfFrom(form.text), ...fields, capacity: '4' });
    assert.equal(saved.status, 303);
    assert.match((await coordinator.browser.get(saved.location!)).text, /The event is updated\. Everyone signed up gets one e-mail/);
    await changeNoticeDueNow(db(), id);
    for (const email of people) {
      const [, second] = await arrived(email, /^Changed: /, 2);
      assert.match(second!.text, /The place of "Freedom Week stall at the market" has changed/);
      assert.match(second!.text, /Corn Exchange, Bristol/);
      assert.equal(await mailJobs(email, 'Changed:'), 2, 'one message for each of the two changes, told apart');
    }
    const audit = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'event.updated' and subject = ${`event:${id}`}`.execute(server.cast.database.db);
    assert.equal(audit.rows[0]!.n, 3);
  });

  test('a cancelled event stays visible as cancelled, says STATUS:CANCELLED, refuses sign-ups, and everyone is told once', async () => {
    const created = await api(coordinator, { title: 'Quiz night', start: `${YEAR}-11-29 19:00`, end: `${YEAR}-11-29 22:00`, place: 'The Old Bell', groupId, campaign: 'freedom-week' });
    const id = created.json<{ id: string }>().id;
    const people = [`cy.${id.slice(0, 6)}@example.org`, `dee.${id.slice(0, 6)}@example.org`];
    for (const email of people) assert.equal((await signUp(id, 'Someone', email)).status, 201);
    const cancel = (who: Person, body: unknown) => who.api.json('POST', `/api/v1/events/${id}/cancel`, body, who.token);

    assert.equal((await cancel(member, {})).status, 403);
    assert.equal((await cancel(coordinator, { reason: 'x'.repeat(501) })).status, 422);
    assert.equal((await row(id)).cancelled_at, null);
    const done = await cancel(coordinator, { reason: 'The pub is closed for repairs.' });
    assert.equal(done.status, 200, done.text);
    assert.deepEqual(done.json(), { notified: 2, sequence: 1 });
    // Twice: refused, nobody told again.
    const again = await cancel(editor, {});
    assert.equal(again.status, 409);
    assert.match(again.json<{ error: { message: string } }>().error.message, /cancelled/);
    for (const email of people) {
      const mail = await mailbox.waitFor(email, /^Cancelled: Quiz night$/);
      assert.match(mail.text, /The pub is closed for repairs/);
      assert.match(mail.text, new RegExp(`/events/${id}/calendar.ics`));
      assert.equal(await mailJobs(email, 'Cancelled:'), 1);
    }

    const page = await new Client(server.url).get(`/events/${id}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /This event is cancelled/);
    assert.match(page.text, /The pub is closed for repairs/);
    assert.doesNotMatch(page.text, /name="email"/);
    assert.match((await new Client(server.url).get('/events?campaign=freedom-week')).text, /Cancelled:/);
    const listed = (await new Client(server.url).get('/api/v1/events')).json<{ id: string; cancelled: boolean; sequence: number }[]>().find((e) => e.id === id)!;
    assert.deepEqual([listed.cancelled, listed.sequence], [true, 1]);

    const ics = await icsEvent(id);
    assert.equal(ics.vevent.getFirstPropertyValue('status'), 'CANCELLED');
    assert.equal(ics.vevent.getFirstPropertyValue('sequence'), 1);
    const feed = await new Client(server.url).get(`/events/groups/${groupId}/calendar.ics`);
    assertWellFormed(feed.text);
    assert.equal(parse(feed.text).find((e) => e.event.uid.startsWith(id))!.vevent.getFirstPropertyValue('status'), 'CANCELLED');

    const refused = await signUp(id, 'Late', `late.${id.slice(0, 6)}@example.org`);
    assert.equal(refused.status, 409);
    assert.match(refused.json<{ error: { message: string } }>().error.message, /cancelled, so sign-ups are closed/);
    assert.equal((await patch(coordinator, id, { title: 'Back on' })).status, 409);
    assert.equal((await coordinator.browser.get(`/events/${id}/edit`)).status, 409);
    assert.equal((await row(id)).registered, 2);
  });

  test('changes close together reach each person as one e-mail with the final details, when the notice falls due; whoever signed up after the last change is not told', async () => {
    const created = await api(coordinator, { title: 'Talk at the library', start: `${YEAR}-10-14 09:00`, end: `${YEAR}-10-14 10:30`, timeZone: 'Europe/London', place: 'Central Library', groupId, capacity: 10 });
    const id = created.json<{ id: string }>().id;
    const tag = id.slice(0, 6);
    const early = [`gus.${tag}@example.org`, `hal.${tag}@example.org`];
    for (const email of early) assert.equal((await signUp(id, 'Someone', email)).status, 201);

    const first = await patch(coordinator, id, { start: `${YEAR}-10-14 09:30`, end: `${YEAR}-10-14 11:00` });
    assert.equal(first.status, 200, first.text);
    const due = first.json<{ notifyAt: string }>().notifyAt;
    assert.equal(first.json<{ notified: number }>().notified, 2);
    // Signed up between two changes: the confirmation's details change again, so this person is told too.
    const between = `ida.${tag}@example.org`;
    assert.equal((await signUp(id, 'Ida', between)).status, 201);
    const second = await patch(editor, id, { place: 'Town Hall, Room 3' });
    const third = await patch(coordinator, id, { title: 'Talk at the town hall', start: `${YEAR}-10-14 10:00`, end: `${YEAR}-10-14 11:30` });
    for (const later of [second, third]) {
      assert.equal(later.status, 200, later.text);
      assert.equal(later.json<{ notifyAt: string }>().notifyAt, due, 'a later change joins the notice; it does not put it off');
    }
    assert.equal(third.json<{ notified: number }>().notified, 3);
    // Signed up after the last change: the confirmation already has the final details.
    const late = `jo.${tag}@example.org`;
    assert.equal((await signUp(id, 'Jo', late)).status, 201);

    // Nothing sent yet; the notice and the one job that sends it are stored with the first change.
    for (const email of [...early, between]) assert.equal(await mailJobs(email, 'Changed:'), 0, `${email} is not told yet`);
    assert.deepEqual((await notice(id)).notice_changes, ['place', 'time']);
    assert.deepEqual(await changeNoticeJobs(db(), id), ['created']);

    await changeNoticeDueNow(db(), id);
    for (const email of [...early, between]) {
      const mail = await mailbox.waitFor(email, /^Changed: Talk at the town hall$/);
      assert.match(mail.text, /The time and the place of "Talk at the town hall" have changed/);
      assert.match(mail.text, /10:00/);
      assert.match(mail.text, /Town Hall, Room 3/);
      assert.doesNotMatch(mail.text, /9:30|Central Library/, 'only the final details');
      assert.match(mail.text, new RegExp(`/events/${id}/registrations/cancel\\?token=`));
      assert.equal(await mailJobs(email, 'Changed:'), 1, `${email} gets one e-mail for the three changes`);
    }
    assert.equal(await mailJobs(late, 'Changed:'), 0, 'signed up after the last change: not told');
    assert.match((await mailbox.waitFor(late, /signed up/)).text, /Town Hall, Room 3/);
    assert.equal((await notice(id)).notice_due, null, 'the notice is settled');
    const audit = await sql<{ detail: { notified: number; changes: string[] } }>`select detail from audit_log where action = 'event.change-notified' and subject = ${`event:${id}`}`.execute(db());
    assert.deepEqual(audit.rows.map((r) => [r.detail.notified, r.detail.changes]), [[3, ['place', 'time']]]);
  });

  test('a cancellation right after a change is e-mailed at once, and the change notice is dropped', async () => {
    const created = await api(coordinator, { title: 'Coffee morning', start: `${YEAR}-10-20 10:00`, end: `${YEAR}-10-20 11:30`, timeZone: 'Europe/London', place: 'Community centre', groupId });
    const id = created.json<{ id: string }>().id;
    const people = [`kit.${id.slice(0, 6)}@example.org`, `lou.${id.slice(0, 6)}@example.org`];
    for (const email of people) assert.equal((await signUp(id, 'Someone', email)).status, 201);
    const moved = await patch(coordinator, id, { place: 'The church hall' });
    assert.equal(moved.json<{ notified: number }>().notified, 2);
    const cancelled = await coordinator.api.json('POST', `/api/v1/events/${id}/cancel`, { reason: 'Not enough volunteers.' }, coordinator.token);
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.deepEqual(cancelled.json(), { notified: 2, sequence: 2 });
    // No time moved: the cancellation does not wait.
    for (const email of people) {
      const mail = await mailbox.waitFor(email, /^Cancelled: Coffee morning$/);
      assert.match(mail.text, /The church hall/, 'it states the event as it is');
      assert.match(mail.text, /Not enough volunteers/);
    }
    assert.equal((await notice(id)).notice_due, null, 'no change notice is owed any more');
    // The job queued for the change runs when it would have, and sends nothing.
    await changeNoticeDueNow(db(), id);
    await until('the change notice job to finish', async () => (await changeNoticeJobs(db(), id)).every((state) => state === 'completed'));
    for (const email of people) assert.equal(await mailJobs(email, 'Changed:'), 0, `${email} is told only of the cancellation`);
  });

  test('one event whose change notice fails does not hold back another: that one is sent, the failed one stays due and goes on retry', async () => {
    const events: { id: string; email: string }[] = [];
    for (const [title, day] of [['Quiz night', 12], ['Book sale', 13]] as const) {
      const id = (await api(coordinator, { title, start: `${YEAR}-09-${day} 19:00`, end: `${YEAR}-09-${day} 21:00`, place: 'The library', groupId })).json<{ id: string }>().id;
      const email = `pat.${id.slice(0, 6)}@example.org`;
      assert.equal((await signUp(id, 'Pat', email)).status, 201);
      assert.equal((await patch(coordinator, id, { place: 'The village hall' })).status, 200);
      events.push({ id, email });
    }
    const [failing, other] = events as [{ id: string; email: string }, { id: string; email: string }];
    // The failing event's notice falls due first, so a run meets it first; its settling fails in the
    // database (a trigger, as a broken row or constraint would), which rolls its transaction back.
    await sql.raw(`create function fail_notice_${failing.id.slice(0, 8)}() returns trigger language plpgsql as $$
      begin if new.id = '${failing.id}' and new.notice_due is null then raise exception 'notice cannot be settled'; end if; return new; end $$`).execute(db());
    await sql.raw(`create trigger fail_notice before update on events for each row execute function fail_notice_${failing.id.slice(0, 8)}()`).execute(db());
    try {
      await sql`update events set notice_due = now() - interval '1 minute' where id = ${failing.id}`.execute(db());
      await sql`update events set notice_due = now() where id = ${other.id}`.execute(db());
      await sql`update pgboss.job set start_after = now() where name = ${CHANGE_NOTICE_JOB} and state = 'created' and data->>'eventId' in (${failing.id}, ${other.id})`.execute(db());
      await mailbox.waitFor(other.email, /^Changed: Book sale$/);
      await until('a failed run to be put on retry', async () => (await changeNoticeJobs(db(), failing.id)).includes('retry'));
      assert.notEqual((await notice(failing.id)).notice_due, null, 'the failed notice stays due');
      assert.equal(await mailJobs(failing.email, 'Changed:'), 0);
    } finally {
      await sql`drop trigger fail_notice on events`.execute(db());
    }
    // Its retry, brought forward, sends it once.
    await sql`update pgboss.job set start_after = now() where name = ${CHANGE_NOTICE_JOB} and state = 'retry'`.execute(db());
    await mailbox.waitFor(failing.email, /^Changed: Quiz night$/);
    await until('the failed notice to be settled', async () => (await notice(failing.id)).notice_due === null);
    for (const { email } of events) assert.equal(await mailJobs(email, 'Changed:'), 1, `${email} is told once`);
  });

  test('a change shortly before the event starts is e-mailed at once', async () => {
    const local = (date: Date) => date.toISOString().slice(0, 16).replace('T', ' ');
    const start = new Date(Date.now() + 10 * 60_000);
    const created = await api(editor, { title: 'Vigil', start: local(start), end: local(new Date(start.getTime() + 3_600_000)), timeZone: 'UTC', place: 'The square' });
    assert.equal(created.status, 201, created.text);
    const id = created.json<{ id: string }>().id;
    const email = `max.${id.slice(0, 6)}@example.org`;
    assert.equal((await signUp(id, 'Max', email)).status, 201);
    assert.equal((await patch(editor, id, { place: 'The cathedral steps' })).status, 200);
    // No time moved: due at once, since waiting would tell people after they set off.
    const mail = await mailbox.waitFor(email, /^Changed: Vigil$/);
    assert.match(mail.text, /The cathedral steps/);
  });

  test('the cancel form: organisers only, a reason kept on a refusal', async () => {
    const created = await api(editor, { title: 'Walk for freedom', start: `${YEAR}-11-24 10:00`, end: `${YEAR}-11-24 12:00`, place: 'The park gates' });
    const id = created.json<{ id: string }>().id;
    assert.equal((await coordinator.browser.get(`/events/${id}/cancel`)).status, 403, 'a coordinator of a group is no organiser of a campaign event');
    const form = await editor.browser.get(`/events/${id}/cancel`);
    assert.equal(form.status, 200);
    const long = await editor.browser.postForm(`/events/${id}/cancel`, { _csrf: csrfFrom(form.text), reason: `Rain. ${'r'.repeat(500)}` });
    assert.equal(long.status, 422);
    assert.match(long.text, /Keep the reason to 500 characters/);
    assert.match(long.text, /Rain\. r/);
    const done = await editor.browser.postForm(`/events/${id}/cancel`, { _csrf: csrfFrom(form.text), reason: 'Storm warning.' });
    assert.equal(done.status, 303);
    assert.match((await editor.browser.get(done.location!)).text, /The event is cancelled/);
  });

  test('a person cancels their own place from the link in their confirmation e-mail, which frees it', async () => {
    const created = await api(editor, { title: 'One-seat tour', start: `${YEAR}-11-25 15:00`, end: `${YEAR}-11-25 16:00`, place: 'Museum', capacity: 1 });
    const id = created.json<{ id: string }>().id;
    const email = `eve.${id.slice(0, 6)}@example.org`;
    assert.equal((await signUp(id, 'Eve', email)).status, 201);
    assert.equal((await signUp(id, 'Fay', `fay.${id.slice(0, 6)}@example.org`)).status, 409);
    const mail = await mailbox.waitFor(email, /signed up/);
    const link = /(https?:\/\/\S+\/registrations\/cancel\?token=\S+)/.exec(mail.text)?.[1];
    assert.ok(link, mail.text);
    const url = new URL(link);
    const token = url.searchParams.get('token')!;

    const visitor = new Client(server.url);
    // Following the link shows a page and changes nothing (mail scanners follow links too).
    const page = await visitor.get(`${url.pathname}${url.search}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /One-seat tour/);
    assert.equal((await row(id)).registered, 1);
    // A tampered link, or one for another event, is refused.
    const tampered = await visitor.get(`${url.pathname}?token=${token.slice(0, -2)}xx`);
    assert.equal(tampered.status, 404);
    assert.match(tampered.text, /This link is not valid/);
    assert.equal((await visitor.get(`/events/${weekId}/registrations/cancel?token=${encodeURIComponent(token)}`)).status, 404);
    assert.equal((await new Client(server.url).json('POST', `/api/v1/events/${id}/registrations/cancel`, { token: 'nonsense' })).status, 404);

    const done = await visitor.postForm(url.pathname, { _csrf: csrfFrom(page.text), token });
    assert.equal(done.status, 303);
    assert.match((await visitor.get(done.location!)).text, /Your place is cancelled/);
    assert.deepEqual([(await row(id)).registered, (await new Client(server.url).get(`/api/v1/events/${id}`)).json<{ placesLeft: number }>().placesLeft], [0, 1]);
    // Again (page or API): already cancelled, nothing changes.
    assert.equal((await visitor.postForm(url.pathname, { _csrf: csrfFrom(page.text), token })).status, 409);
    const apiAgain = await new Client(server.url).json('POST', `/api/v1/events/${id}/registrations/cancel`, { token });
    assert.equal(apiAgain.status, 409);
    assert.match(apiAgain.json<{ error: { message: string } }>().error.message, /already cancelled/);
    assert.equal((await row(id)).registered, 0);

    // The place is free again; the API cancels with the token too.
    const fay = `fay.${id.slice(0, 6)}@example.org`;
    assert.equal((await signUp(id, 'Fay', fay)).status, 201);
    const fayToken = new URL(/(https?:\/\/\S+\/registrations\/cancel\?token=\S+)/.exec((await mailbox.waitFor(fay, /signed up/)).text)![1]!).searchParams.get('token')!;
    const cancelled = await new Client(server.url).json('POST', `/api/v1/events/${id}/registrations/cancel`, { token: fayToken });
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.deepEqual(cancelled.json(), { status: 'cancelled' });
    assert.equal((await row(id)).registered, 0);
  });

  test('updateEvent, cancelEvent and cancelRegistration are in the OpenAPI document, with examples', async () => {
    type Operation = { operationId: string; requestBody?: { content: Record<string, { example?: unknown; examples?: unknown }> }; responses: Record<string, { content?: Record<string, { example?: unknown; examples?: unknown }> }> };
    const doc = (await new Client(server.url).get('/api/openapi.json')).json<{ paths: Record<string, Record<string, Operation>> }>();
    const operations: [string, string, string, string[]][] = [
      ['/api/v1/events/{id}', 'patch', 'updateEvent', ['200', '403', '404', '409', '422']],
      ['/api/v1/events/{id}/cancel', 'post', 'cancelEvent', ['200', '403', '404', '409', '422']],
      ['/api/v1/events/{id}/registrations/cancel', 'post', 'cancelRegistration', ['200', '404', '409']],
    ];
    for (const [path, method, operationId, statuses] of operations) {
      const operation = doc.paths[path]![method]!;
      assert.equal(operation.operationId, operationId, path);
      const body = operation.requestBody!.content['application/json']!;
      assert.ok(body.example ?? body.examples, `${operationId} has a request example`);
      const ok = operation.responses['200']!.content!['application/json']!;
      assert.ok(ok.example ?? ok.examples, `${operationId} has a response example`);
      for (const status of statuses) assert.ok(operation.responses[status], `${operationId} documents ${status}`);
    }
  });

  test('the public calendar page lists events by month, with feed links', async () => {
    const page = await new Client(server.url).get('/events?campaign=freedom-week');
    assert.equal(page.status, 200);
    assert.match(page.text, /Freedom Week/);
    assert.match(page.text, /href="\/events\/campaigns\/freedom-week\/calendar.ics"/);
    assert.equal((await new Client(server.url).get('/events?campaign=nope')).status, 422);
    assert.equal((await new Client(server.url).get('/events/not-an-id')).status, 404);
  });
});
