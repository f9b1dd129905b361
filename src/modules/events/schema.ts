/** API schemas of the events module (they make the OpenAPI document). Forms are checked by the service. */
import { Type, type TSchema } from '@sinclair/typebox';
import { CHANGE_NOTICE_MINUTES } from './change-notices.ts';
import { CAMPAIGNS } from './service.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const CreateEventBody = Type.Object(
  {
    title: Type.String({ maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    allDay: Type.Optional(Type.Boolean({ description: 'true: start and end are days (YYYY-MM-DD), the end day included' })),
    start: Type.String({ maxLength: 20, description: 'YYYY-MM-DD HH:MM (or YYYY-MM-DD for an all-day event), local time in timeZone' }),
    end: Type.String({ maxLength: 20, description: 'Same form as start; not before it' }),
    timeZone: Type.Optional(Type.String({ maxLength: 64, description: 'IANA time zone, e.g. Europe/London (the default) or Africa/Abidjan' })),
    place: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    onlineUrl: Type.Optional(Nullable(Type.String({ maxLength: 500, description: 'An https:// link for an online event' }))),
    groupId: Type.Optional(Nullable(Type.String({ maxLength: 64, description: 'The group publishing it (its coordinators may publish)' }))),
    campaign: Type.Optional(Nullable(Type.String({ maxLength: 40, description: `One of ${CAMPAIGNS.join(', ')}` }))),
    capacity: Type.Optional(Nullable(Type.Integer({ description: 'Places for sign-ups, 1 to 100,000; absent or null for no limit' }))),
  },
  {
    additionalProperties: false,
    examples: [
      { title: 'Freedom Week', description: 'A week of events against modern slavery.', allDay: true, start: '2026-11-24', end: '2026-11-30', timeZone: 'Europe/London', place: 'Across the UK', campaign: 'freedom-week' },
      { title: 'Film screening and talk', start: '2026-11-26 19:00', end: '2026-11-26 21:00', timeZone: 'Europe/London', place: 'St Mary’s Hall, Bristol', capacity: 80, campaign: 'freedom-week' },
    ],
  },
);

export const UpdateEventBody = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    allDay: Type.Optional(Type.Boolean()),
    start: Type.Optional(Type.String({ maxLength: 20, description: 'As for createEvent; left out, the start stays the same local time' })),
    end: Type.Optional(Type.String({ maxLength: 20 })),
    timeZone: Type.Optional(Type.String({ maxLength: 64 })),
    place: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    onlineUrl: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    campaign: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
    capacity: Type.Optional(Nullable(Type.Integer({ description: 'Not below the number already signed up (refused with 422); null for no limit' }))),
  },
  {
    additionalProperties: false,
    description: 'Only the fields to change; the group cannot change. A new time or place is e-mailed to everyone signed up.',
    examples: [{ start: '2026-11-26 18:30', end: '2026-11-26 20:30', place: 'Central Library, Room 4, Bristol' }, { capacity: 120 }],
  },
);

export const EventUpdated = Type.Object(
  {
    changed: Type.Boolean({ description: 'false: the event already had these values; nothing was saved or sent' }),
    notified: Type.Integer({ description: 'How many people signed up will be e-mailed about this change (a change of time or place; 0 otherwise)' }),
    sequence: Type.Integer({ description: 'The event’s iCalendar SEQUENCE now' }),
    notifyAt: Nullable(
      Type.String({
        format: 'date-time',
        description:
          `When they are e-mailed: ${CHANGE_NOTICE_MINUTES} minutes after the first change of time or place not yet told (sooner when the event starts soon); further changes before then go in the same e-mail, which states the event as it is when sent. null when this change is not e-mailed.`,
      }),
    ),
  },
  { examples: [{ changed: true, notified: 23, sequence: 1, notifyAt: '2026-11-20T14:15:00.000Z' }] },
);

export const CancelEventBody = Type.Object(
  { reason: Type.Optional(Nullable(Type.String({ maxLength: 500, description: 'Shown on the event’s page and in the e-mail to everyone signed up' }))) },
  { additionalProperties: false, examples: [{ reason: 'The hall is closed for repairs. We will publish a new date soon.' }, {}] },
);

export const EventCancelled = Type.Object(
  { notified: Type.Integer({ description: 'How many people signed up were e-mailed' }), sequence: Type.Integer() },
  { examples: [{ notified: 23, sequence: 2 }] },
);

export const CancelRegistrationBody = Type.Object(
  { token: Type.String({ maxLength: 100, description: 'The token of the cancel link in the sign-up’s confirmation e-mail' }) },
  { additionalProperties: false, examples: [{ token: '0b6f7c1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e.Zq3X9v7mKp2LwR8tYb4N1cDe' }] },
);

export const RegistrationCancelled = Type.Object({ status: Type.Literal('cancelled') }, { examples: [{ status: 'cancelled' }] });

export const Event = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  allDay: Type.Boolean(),
  startsAt: Type.String({ description: 'The start as an instant (UTC); for all-day events, midnight of the first day in the time zone' }),
  endsAt: Type.String(),
  firstDay: Nullable(Type.String({ description: 'All-day events: the first day' })),
  lastDay: Nullable(Type.String({ description: 'All-day events: the last day (included)' })),
  timeZone: Type.String(),
  place: Nullable(Type.String()),
  onlineUrl: Nullable(Type.String()),
  groupId: Nullable(Type.String()),
  campaign: Nullable(Type.String()),
  capacity: Nullable(Type.Integer()),
  placesLeft: Nullable(Type.Integer({ description: 'null: no limit' })),
  cancelled: Type.Boolean({ description: 'A cancelled event stays listed, marked as cancelled; it takes no sign-ups' }),
  cancellationReason: Nullable(Type.String()),
  sequence: Type.Integer({ description: 'iCalendar SEQUENCE: how many times the event was changed' }),
  url: Type.String(),
  calendarUrl: Type.String({ description: 'The event as an .ics file' }),
});

export const EventList = Type.Array(Event, {
  examples: [
    [
      {
        id: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
        title: 'Freedom Week',
        description: 'A week of events against modern slavery.',
        allDay: true,
        startsAt: '2026-11-24T00:00:00.000Z',
        endsAt: '2026-12-01T00:00:00.000Z',
        firstDay: '2026-11-24',
        lastDay: '2026-11-30',
        timeZone: 'Europe/London',
        place: 'Across the UK',
        onlineUrl: null,
        groupId: null,
        campaign: 'freedom-week',
        capacity: null,
        placesLeft: null,
        cancelled: false,
        cancellationReason: null,
        sequence: 0,
        url: 'https://cast.example.org/events/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
        calendarUrl: 'https://cast.example.org/events/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f/calendar.ics',
      },
    ],
  ],
});

export const ListQuery = Type.Object({
  group: Type.Optional(Type.String({ maxLength: 64, description: 'Only this group’s events' })),
  campaign: Type.Optional(Type.String({ maxLength: 40, description: `Only this campaign’s events: ${CAMPAIGNS.join(', ')}` })),
});

export const EventParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const RegistrationBody = Type.Object(
  { name: Type.String({ maxLength: 100 }), email: Type.String({ maxLength: 254 }) },
  { additionalProperties: false, examples: [{ name: 'Sam Taylor', email: 'sam@example.org' }] },
);
export const Registered = Type.Object(
  { status: Type.String({ enum: ['registered', 'already'], description: '"already": this address had signed up; nothing changed' }) },
  { examples: [{ status: 'registered' }] },
);
export const Created = Type.Object({ id: Type.String() });
export { ErrorResponse } from '../../core/http/error-response.ts';
