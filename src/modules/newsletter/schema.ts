/**
 * The newsletter API's schemas (they make the OpenAPI document). They check shapes only: lengths,
 * addresses and lists are checked by the use cases, so the API and the forms give the same specific
 * messages (an internationalised address accepted, a control character named as such).
 */
import { Type } from '@sinclair/typebox';

export { ErrorResponse } from '../../core/http/error-response.ts';

const ListKey = Type.String({ maxLength: 40, description: 'A list: general, chocolate or groups' });
const Iso = Type.String({ format: 'date-time' });

export const SubscribeBody = Type.Object(
  {
    email: Type.String({ maxLength: 2000, description: 'Internationalised domains and plus-addresses are accepted' }),
    name: Type.Optional(Type.Union([Type.String({ maxLength: 20_000 }), Type.Null()])),
    lists: Type.Optional(Type.Array(ListKey, { maxItems: 20, description: 'Defaults to the general list' })),
    language: Type.Optional(Type.String({ maxLength: 5, description: 'en or fr: the language of the messages' })),
  },
  { additionalProperties: false, examples: [{ email: 'amina+news@exemple.ci', name: 'Amina', lists: ['general', 'chocolate'], language: 'fr' }] },
);

export const Accepted = Type.Object({ status: Type.Literal('confirmation-sent'), email: Type.String() }, { examples: [{ status: 'confirmation-sent', email: 'amina+news@exemple.ci' }] });

export const TokenParams = Type.Object({ token: Type.String({ maxLength: 4000, description: 'The token from the link in the e-mail' }) });

export const ConfirmBody = Type.Object({ token: Type.String({ maxLength: 4000 }) }, { additionalProperties: false, examples: [{ token: 'nc.Qm9…' }] });
export const Confirmed = Type.Object(
  { status: Type.Union([Type.Literal('confirmed'), Type.Literal('already-confirmed')]), lists: Type.Array(Type.String()), preferencesLink: Type.String() },
  { examples: [{ status: 'confirmed', lists: ['general'], preferencesLink: 'https://cast.example.org/newsletter/preferences/p1.…' }] },
);

export const Unsubscribed = Type.Object({ unsubscribed: Type.Boolean(), listsLeft: Type.Integer() }, { examples: [{ unsubscribed: true, listsLeft: 2 }] });

export const PreferencesResponse = Type.Object(
  { email: Type.String(), name: Type.Union([Type.String(), Type.Null()]), language: Type.String(), lists: Type.Array(Type.String()), availableLists: Type.Array(Type.String()) },
  { examples: [{ email: 'amina+news@exemple.ci', name: 'Amina', language: 'fr', lists: ['general'], availableLists: ['general', 'chocolate', 'groups'] }] },
);

export const PreferencesBody = Type.Object(
  {
    lists: Type.Array(ListKey, { maxItems: 20, description: 'The lists to be on; an empty list unsubscribes from all' }),
    language: Type.Optional(Type.String({ maxLength: 5 })),
    name: Type.Optional(Type.Union([Type.String({ maxLength: 20_000 }), Type.Null()])),
  },
  { additionalProperties: false, examples: [{ lists: ['general', 'groups'], language: 'en' }] },
);

export const DataExport = Type.Object(
  {
    email: Type.String(),
    name: Type.Union([Type.String(), Type.Null()]),
    language: Type.String(),
    confirmedAt: Iso,
    lists: Type.Array(Type.Object({ list: Type.String(), subscribedAt: Iso })),
    editionsReceived: Type.Array(Type.Object({ subject: Type.String(), status: Type.String(), sentAt: Type.Union([Iso, Type.Null()]) })),
  },
  { examples: [{ email: 'amina+news@exemple.ci', name: 'Amina', language: 'fr', confirmedAt: '2026-11-20T10:00:00.000Z', lists: [{ list: 'general', subscribedAt: '2026-11-20T10:00:00.000Z' }], editionsReceived: [] }] },
);

export const EditionBody = Type.Object(
  {
    subject: Type.String({ maxLength: 1000 }),
    body: Type.String({ maxLength: 200_000, description: 'Markdown; raw HTML is shown as text' }),
    lists: Type.Array(ListKey, { maxItems: 20 }),
  },
  { additionalProperties: false, examples: [{ subject: 'Freedom Week, 24–30 November', body: '# Freedom Week\n\nFind an event near you: https://cast.example.org/events', lists: ['general', 'groups'] }] },
);

export const EditionParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const Created = Type.Object({ id: Type.String({ format: 'uuid' }) }, { examples: [{ id: '0b6f9c1e-4d2a-4c8e-9a51-3f7d2e1b0c4a' }] });

export const Edition = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  body: Type.String(),
  bodyHtml: Type.String(),
  lists: Type.Array(Type.String()),
  status: Type.String(),
  scheduledFor: Type.Union([Iso, Type.Null()]),
  sentAt: Type.Union([Iso, Type.Null()]),
});

export const SendBody = Type.Object(
  { at: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 time to send at; omit to send now' })) },
  { additionalProperties: false, examples: [{}, { at: '2026-11-24T08:00:00Z' }] },
);
export const SendResponse = Type.Object(
  { status: Type.Union([Type.Literal('sending'), Type.Literal('scheduled')]), recipients: Type.Optional(Type.Integer()), scheduledFor: Type.Optional(Iso) },
  { examples: [{ status: 'sending', recipients: 48211 }] },
);
export const TestSent = Type.Object({ to: Type.String() });

const Counts = Type.Object({ pending: Type.Integer(), sending: Type.Integer(), sent: Type.Integer(), skipped: Type.Integer(), failed: Type.Integer(), uncertain: Type.Integer() });
export const ProgressResponse = Type.Object(
  { status: Type.String(), total: Type.Integer(), progress: Counts },
  { examples: [{ status: 'sending', total: 48211, progress: { pending: 30000, sending: 200, sent: 18000, skipped: 11, failed: 0, uncertain: 0 } }] },
);

export const BounceBody = Type.Object(
  {
    events: Type.Array(
      Type.Object({ type: Type.Union([Type.Literal('hard-bounce'), Type.Literal('soft-bounce'), Type.Literal('complaint')]), email: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
      { maxItems: 1000 },
    ),
  },
  { additionalProperties: false, examples: [{ events: [{ type: 'hard-bounce', email: 'gone@example.org' }, { type: 'complaint', email: 'annoyed@example.org' }] }] },
);
export const BounceResponse = Type.Object({ suppressed: Type.Integer(), ignored: Type.Integer() });
export const InboundResponse = Type.Object({ kind: Type.String(), suppressed: Type.Integer() });
export const ListsResponse = Type.Array(Type.Object({ key: Type.String(), name: Type.String(), description: Type.String() }));
