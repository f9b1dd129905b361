/**
 * One schema per command. Forms are checked with the *Form schemas; the API ones also make the
 * OpenAPI document. Ranges and choices (grade scale, years, slugs, message length) are checked by
 * the services, so forms and the API give the same specific messages.
 */
import { Type, type TSchema } from '@sinclair/typebox';

export { ErrorResponse } from '../../core/http/error-response.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Text = (maxLength: number, errorKey: string) => Type.String({ maxLength, errorKey });

// ---------------------------------------------------------------- forms (text fields)

export const ActionForm = Type.Object({
  companies: Type.Optional(Type.Union([Text(80, 'chocolate.errors.companiesUnknown'), Type.Array(Text(80, 'chocolate.errors.companiesUnknown'), { maxItems: 50 })], { errorKey: 'chocolate.errors.companiesUnknown' })),
  // Optional here so that one round shows every problem: the service says what is missing.
  subject: Type.Optional(Text(200, 'chocolate.errors.subject')),
  message: Type.Optional(Text(5000, 'chocolate.errors.message')),
  name: Type.Optional(Text(100, 'chocolate.errors.supporterName')),
  email: Type.Optional(Text(254, 'errors.email')),
});

export const AssessmentForm = Type.Object({
  company: Text(80, 'chocolate.errors.company'),
  criterion: Text(80, 'chocolate.errors.criterion'),
  year: Text(4, 'chocolate.errors.year'),
  grade: Text(1, 'chocolate.errors.grade'),
  sourceUrl: Text(500, 'chocolate.errors.sourceUrl'),
  note: Type.Optional(Text(2000, 'chocolate.errors.note')),
});

export const ImportForm = Type.Object({
  dataset: Text(20, 'chocolate.errors.dataset'),
  csv: Type.String({ maxLength: 1_000_000, errorKey: 'chocolate.errors.csv.tooLarge' }),
});

export const DecisionForm = Type.Object({ decision: Text(10, 'chocolate.errors.decision') });
export const ReplyForm = Type.Object({ reply: Text(3, 'chocolate.errors.reply') });

export const CommitmentForm = Type.Object({
  slug: Text(80, 'chocolate.errors.slug'),
  title: Text(200, 'chocolate.errors.title'),
  text: Text(4000, 'chocolate.errors.text'),
  madeBy: Text(300, 'chocolate.errors.madeBy'),
  company: Type.Optional(Text(80, 'chocolate.errors.company')),
  madeOn: Text(10, 'chocolate.errors.date'),
  deadline: Type.Optional(Text(10, 'chocolate.errors.date')),
  status: Text(10, 'chocolate.errors.status'),
  sourceUrl: Text(500, 'chocolate.errors.sourceUrl'),
});

/** Changing a commitment: everything but its short name. */
export const CommitmentUpdateForm = Type.Omit(CommitmentForm, ['slug']);

export const CommitmentEventForm = Type.Object({
  kind: Text(10, 'chocolate.errors.eventKind'),
  on: Text(10, 'chocolate.errors.date'),
  newDeadline: Type.Optional(Text(10, 'chocolate.errors.newDeadline')),
  summary: Text(4000, 'chocolate.errors.summary'),
  sourceUrl: Text(500, 'chocolate.errors.sourceUrl'),
  status: Type.Optional(Text(10, 'chocolate.errors.status')),
});

// ---------------------------------------------------------------- API

export const CompaniesQuery = Type.Object(
  {
    country: Type.Optional(Type.String({ maxLength: 2, description: 'ISO 3166-1 alpha-2 code of the company’s home country' })),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of a company or brand name' })),
    year: Type.Optional(Type.String({ maxLength: 4, description: 'The year of the grades; the latest year with grades if absent' })),
    sort: Type.Optional(Type.String({ maxLength: 80, description: '`name`, `country`, `average` or a criterion’s slug' })),
    dir: Type.Optional(Type.String({ maxLength: 4, description: '`asc` or `desc`' })),
    criterion: Type.Optional(Type.String({ maxLength: 80, description: 'A criterion’s slug: with `grade`, companies with that grade on it; alone, companies graded on it that year' })),
    grade: Type.Optional(Type.String({ maxLength: 1, description: 'A to E: companies with that grade (on `criterion`, or on any criterion)' })),
    page: Type.Optional(Type.String({ maxLength: 6, description: 'The page, from 1' })),
    perPage: Type.Optional(Type.String({ maxLength: 3, description: 'Companies per page, 1 to 200 (50 if absent)' })),
  },
  { additionalProperties: false },
);

const Grade = Type.String({ description: 'A (leading practice), B, C, D or E (no action or no information)' });
const PublicCompanyFields = {
  slug: Type.String(),
  name: Type.String(),
  country: Type.String(),
  brands: Type.Array(Type.String()),
  parentCompany: Nullable(Type.String()),
  website: Nullable(Type.String()),
};

export const Scorecard = Type.Object({
  years: Type.Array(Type.Integer(), { description: 'Years with grades, newest first' }),
  year: Nullable(Type.Integer()),
  criteria: Type.Array(Type.Object({ slug: Type.String(), name: Type.String(), description: Type.String() })),
  companies: Type.Array(
    Type.Object({ ...PublicCompanyFields, grades: Type.Record(Type.String(), Nullable(Grade)), average: Nullable(Type.Number({ description: 'Mean grade on A=4 … E=0' })) }),
  ),
  total: Type.Integer({ description: 'Companies matching the filters, on every page' }),
  page: Type.Integer(),
  perPage: Type.Integer(),
  pages: Type.Integer(),
  sort: Type.String(),
  dir: Type.String(),
});

const Commitment = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  title: Type.String(),
  text: Type.String(),
  madeBy: Type.String(),
  company: Nullable(Type.String({ description: 'The slug of the company that made it, if one did' })),
  madeOn: Type.String({ format: 'date' }),
  deadline: Nullable(Type.String({ format: 'date' })),
  status: Type.String({ enum: ['pending', 'met', 'missed', 'extended'] }),
  sourceUrl: Type.String(),
  events: Type.Array(
    Type.Object({
      kind: Type.String({ enum: ['extension', 'finding'] }),
      on: Type.String({ format: 'date' }),
      newDeadline: Nullable(Type.String({ format: 'date' })),
      summary: Type.String(),
      sourceUrl: Type.String(),
    }),
  ),
});
export const Commitments = Type.Array(Commitment);

export const CompanyParams = Type.Object({ slug: Type.String({ maxLength: 80 }) });
export const Company = Type.Object({
  company: Type.Object(PublicCompanyFields),
  criteria: Type.Array(Type.Object({ slug: Type.String(), name: Type.String() })),
  history: Type.Array(
    Type.Object({
      year: Type.Integer(),
      grades: Type.Record(Type.String(), Nullable(Type.Object({ grade: Grade, sourceUrl: Type.String(), note: Type.String() }))),
    }),
  ),
  commitments: Commitments,
});

export const AssessmentBody = Type.Object(
  {
    company: Type.String({ maxLength: 80, description: 'The company’s slug' }),
    criterion: Type.String({ maxLength: 80, description: 'The criterion’s slug' }),
    year: Type.Integer({ description: `2000 to next year` }),
    grade: Type.String({ maxLength: 10, description: 'A, B, C, D or E' }),
    sourceUrl: Type.String({ maxLength: 500, description: 'An http(s) link to the evidence' }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false, examples: [{ company: 'example-chocolate-co', criterion: 'traceability', year: 2025, grade: 'C', sourceUrl: 'https://example.org/report-2025.pdf', note: 'Traces 40% of its cocoa to the farm.' }] },
);
export const Assessment = Type.Object({ company: Type.String(), criterion: Type.String(), year: Type.Integer(), grade: Grade });

export const StartBody = Type.Object(
  {
    campaign: Type.Optional(Type.String({ maxLength: 80, description: 'The campaign’s slug; the current campaign if absent' })),
    companies: Type.Array(Type.String({ maxLength: 80 }), { maxItems: 50, description: 'Slugs of the companies to write to (at most 20)' }),
    name: Type.String({ maxLength: 100 }),
    email: Type.String({ maxLength: 254 }),
    subject: Type.String({ maxLength: 200 }),
    message: Type.String({ maxLength: 5000, description: '20 to 5,000 characters; a personal message is encouraged' }),
    language: Type.Optional(Type.String({ enum: ['en', 'fr'], description: 'The language of the e-mails to the supporter' })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        companies: ['example-chocolate-co'],
        name: 'Sam Supporter',
        email: 'sam@example.org',
        subject: 'Please make your Easter eggs traffik-free',
        message: 'I buy your chocolate every Easter. Please tell me how you make sure no child was trafficked to grow its cocoa.',
        language: 'en',
      },
    ],
  },
);
export const Started = Type.Object({ status: Type.Literal('confirmation-sent', { description: 'Nothing is sent to any company until the link in the e-mail is used' }) });

export const ConfirmBody = Type.Object({ token: Type.String({ maxLength: 100, description: 'The token from the confirmation link' }) }, { additionalProperties: false, examples: [{ token: 'x3V9…' }] });
export const Confirmed = Type.Object({
  queued: Type.Array(Type.String(), { description: 'Companies the message is on its way to' }),
  held: Type.Array(Type.String(), { description: 'Companies whose message waits for an editor’s review' }),
  alreadySent: Type.Array(Type.String(), { description: 'Companies this supporter had already written to in this campaign' }),
});

export const TotalsQuery = Type.Object({ campaign: Type.Optional(Type.String({ maxLength: 80 })) }, { additionalProperties: false });
export const Totals = Type.Object({
  campaign: Type.Object({ slug: Type.String(), title: Type.String(), deadline: Type.String({ format: 'date' }) }),
  sent: Type.Integer(),
  companies: Type.Array(
    Type.Object({ slug: Type.String(), name: Type.String(), sent: Type.Integer(), queued: Type.Integer(), replies: Type.Object({ yes: Type.Integer(), no: Type.Integer() }) }),
  ),
});
