/** API schemas of the review loop; they also make the OpenAPI document. Rules live in review.ts. */
import { Type, type TSchema } from '@sinclair/typebox';
import { PRIORITIES, STATUSES } from './tables.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Str = Type.String();
const Optional = (description: string, options: Record<string, unknown> = {}) => Type.Optional(Type.String({ maxLength: 120, description, ...options }));
const EXAMPLE_ID = '3f1c7a52-9d4e-4b8e-a1c2-6f0e9b7d2a11';

export const GroupParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const CountryParams = Type.Object({ country: Type.String({ maxLength: 2, description: 'ISO 3166-1 alpha-2 code' }) });

export const QueueQuery = Type.Object(
  {
    status: Optional('Only reports in this status', { enum: [...STATUSES, ''] }),
    exploitationType: Optional('Only reports naming this exploitation type id'),
    indicator: Optional('Only reports naming this indicator id'),
    receivedFrom: Optional('Received on or after this day (YYYY-MM-DD)'),
    receivedTo: Optional('Received on or before this day (YYYY-MM-DD)'),
    placeType: Optional('Only reports at this place type id'),
    assigned: Optional('"me": only reports assigned to you', { enum: ['me', ''] }),
    unread: Type.Optional(Type.Boolean({ description: 'Only reports with additions nobody has opened yet' })),
    after: Optional('The `next` value of the previous page'),
  },
  { additionalProperties: false },
);

export const QueueItem = Type.Object({
  id: Str,
  reference: Str,
  receivedOn: Type.String({ description: 'The day only' }),
  status: Type.String({ enum: [...STATUSES] }),
  placeType: Nullable(Str),
  exploitationTypes: Type.Array(Str),
  indicatorCount: Type.Integer(),
  identifierCount: Type.Integer(),
  priority: Nullable(Type.String({ enum: [...PRIORITIES] })),
  grade: Nullable(Type.String({ description: 'Written as 2/B/P' })),
  assignedTo: Nullable(Str),
  unreadAdditions: Type.Boolean(),
});

export const QueuePage = Type.Object(
  { items: Type.Array(QueueItem), next: Nullable(Type.String({ description: 'Pass as `after` for the next page; null on the last page' })) },
  {
    examples: [
      {
        items: [
          {
            id: EXAMPLE_ID,
            reference: 'R-7KQX3M9P',
            receivedOn: '2026-11-21',
            status: 'graded',
            placeType: 'car-wash',
            exploitationTypes: ['labour'],
            indicatorCount: 2,
            identifierCount: 2,
            priority: 'high',
            grade: '2/B/P',
            assignedTo: null,
            unreadAdditions: false,
          },
        ],
        next: null,
      },
    ],
  },
);

export const ReportState = Type.Object(
  { id: Str, reference: Str, status: Type.String({ enum: [...STATUSES] }), assignedTo: Nullable(Str), duplicateOf: Nullable(Str) },
  { examples: [{ id: EXAMPLE_ID, reference: 'R-7KQX3M9P', status: 'triaged', assignedTo: null, duplicateOf: null }] },
);

export const GradeBody = Type.Object(
  {
    source: Type.Integer({ minimum: 1, maximum: 3, description: 'Source evaluation: 1 reliable, 2 untested, 3 not reliable' }),
    assessment: Type.String({ enum: ['A', 'B', 'C', 'D', 'E'], description: 'Intelligence assessment' }),
    handling: Type.String({ enum: ['P', 'C'], description: 'P: lawful sharing permitted; C: sharing with the written conditions' }),
    conditions: Type.Optional(Nullable(Type.String({ maxLength: 4000, description: 'Required for handling C' }))),
    priority: Type.String({ enum: [...PRIORITIES] }),
    summary: Type.String({ maxLength: 10_000, description: 'The sanitised summary: the only text that may ever leave the group. Required.' }),
    acknowledgeWarnings: Type.Optional(Type.Boolean({ description: 'Save even though the summary seems to hold an identifier or the reporter’s contact' })),
  },
  {
    additionalProperties: false,
    examples: [{ source: 2, assessment: 'B', handling: 'P', priority: 'high', summary: 'Several workers at a car wash appear to be transported together early and late; signs of control.' }],
  },
);

export const GradeWarnings = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), fields: Type.Optional(Type.Record(Type.String(), Type.String())) }),
  warnings: Type.Optional(Type.Array(Type.Object({ kind: Str, match: Str }), { description: 'What the summary seems to hold: remove it, or send again with acknowledgeWarnings' })),
});

export const AssignBody = Type.Object(
  { assignee: Nullable(Type.String({ maxLength: 64, description: 'A user id: a coordinator of the group, or a national coordinator of the country for the national inbox; null for nobody' })) },
  { additionalProperties: false, examples: [{ assignee: EXAMPLE_ID }, { assignee: null }] },
);

export const NoteBody = Type.Object(
  { note: Type.String({ maxLength: 10_000, description: 'Internal: kept encrypted, never shown to the reporter' }) },
  { additionalProperties: false, examples: [{ note: 'Same van as in R-2M4K8P0Q; asked the council about the site licence.' }] },
);

export const MergeBody = Type.Object(
  { target: Type.String({ maxLength: 64, description: 'The id or reference of the report this one duplicates' }) },
  { additionalProperties: false, examples: [{ target: 'R-2M4K8P0Q' }] },
);

export const DecisionBody = Type.Object(
  { note: Type.Optional(Nullable(Type.String({ maxLength: 10_000, description: 'Why: an internal note, kept encrypted' }))) },
  { additionalProperties: false, examples: [{ note: 'No signs of exploitation: a family business.' }] },
);

export const HistoryEntry = Type.Object({
  id: Str,
  kind: Str,
  fromStatus: Nullable(Str),
  toStatus: Nullable(Str),
  actorId: Nullable(Str),
  actorName: Nullable(Str),
  detail: Nullable(Type.Record(Type.String(), Type.Unknown())),
  note: Nullable(Str),
  at: Type.String({ format: 'date-time' }),
});

export const History = Type.Array(HistoryEntry, {
  examples: [[{ id: EXAMPLE_ID, kind: 'triaged', fromStatus: 'received', toStatus: 'triaged', actorId: EXAMPLE_ID, actorName: 'Sam', detail: null, note: null, at: '2026-11-21T10:02:00.000Z' }]],
});
