/** API schemas of the packs module; they also make its part of the OpenAPI document. */
import { Type } from '@sinclair/typebox';
import { AUDIENCES, TOPICS } from './content.ts';

const Lang = Type.String({ maxLength: 16, description: 'Language: `en` or `fr`. Without it, the language of the cookie or Accept-Language header, else English. Any other value: 404 `not-found`.', examples: ['fr'] });
const Version = Type.String({ maxLength: 16, description: 'Version of the pack. Without it, the current version; any other version: 404.', examples: ['1'] });

export const PackQuery = Type.Object({ lang: Type.Optional(Lang), version: Type.Optional(Version) }, { additionalProperties: false });
export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 100, examples: ['schools-sex-trafficking'] }) });

export const ListQuery = Type.Object(
  {
    audience: Type.Optional(Type.String({ maxLength: 40, description: `One of ${AUDIENCES.join(', ')}` })),
    topic: Type.Optional(Type.String({ maxLength: 40, description: `One of ${TOPICS.join(', ')}` })),
    lang: Type.Optional(Lang),
  },
  { additionalProperties: false },
);

const Summary = {
  slug: Type.String(),
  version: Type.Integer(),
  updated: Type.String({ description: 'Date of this version, YYYY-MM-DD' }),
  audiences: Type.Array(Type.String()),
  topic: Type.String(),
  language: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  languages: Type.Array(Type.String(), { description: 'Languages this pack is written in' }),
  links: Type.Object({ page: Type.String(), pdf: Type.String() }),
};

const SUMMARY_EXAMPLE = {
  slug: 'schools-sex-trafficking',
  version: 1,
  updated: '2026-11-28',
  audiences: ['schools'],
  topic: 'sex-trafficking',
  language: 'en',
  title: 'Action Pack for schools — sex trafficking',
  summary: 'Lessons, assemblies and projects for students aged 11 to 18.',
  languages: ['en', 'fr'],
  links: { page: '/packs/schools-sex-trafficking?lang=en&version=1', pdf: '/api/v1/packs/schools-sex-trafficking/pdf?lang=en&version=1' },
};

export const PackList = Type.Array(Type.Object(Summary), { examples: [[SUMMARY_EXAMPLE]] });

const LookForGroups = Type.Array(
  Type.Object({ category: Type.String(), label: Type.String(), indicators: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), hint: Type.String() })) }),
);

export const PackBody = Type.Object(
  {
    ...Summary,
    activities: Type.Array(Type.Object({ title: Type.String(), time: Type.String(), materials: Type.String(), ages: Type.Union([Type.String(), Type.Null()]), description: Type.String() })),
    lookFor: Type.Object({ taxonomyVersion: Type.String(), cautions: Type.Array(Type.String()), groups: LookForGroups }, { description: 'Built from the indicator taxonomy when asked' }),
    markdown: Type.String({ description: 'The rest of the pack (on your street, starting a group, partners, reporting safely, Freedom Week) as Markdown' }),
    html: Type.String({ description: 'The same, as HTML (no raw HTML from the source)' }),
  },
  {
    examples: [
      {
        ...SUMMARY_EXAMPLE,
        activities: [{ title: 'Lesson: signs, not suspicion', time: '50 minutes', materials: 'Printed sign cards', ages: '14–18', description: 'Students sort sign cards…' }],
        lookFor: { taxonomyVersion: '2026-11-28.1', cautions: ['These are signs to notice and write down, not proof…'], groups: [{ category: 'sex', label: 'Signs of sexual exploitation', indicators: [{ id: 'sex.many-visitors', label: 'Many short visits to a home', hint: '…' }] }] },
        markdown: '## What you can do on your street\n\n…',
        html: '<h2 id="what-you-can-do-on-your-street">What you can do on your street</h2>\n<p>…</p>',
      },
    ],
  },
);

export const TypeParams = Type.Object({ type: Type.String({ maxLength: 40, examples: ['sexual'] }) });
export const IndicatorPageQuery = Type.Object(
  { lang: Type.Optional(Lang), country: Type.Optional(Type.String({ maxLength: 2, description: 'ISO 3166-1 alpha-2 code: the emergency advice gives that country\'s police number (112 otherwise)', examples: ['GB'] })) },
  { additionalProperties: false },
);

export const IndicatorPageBody = Type.Object(
  {
    type: Type.String(),
    language: Type.String(),
    label: Type.String(),
    description: Type.String(),
    taxonomyVersion: Type.String(),
    cautions: Type.Array(Type.String()),
    groups: LookForGroups,
    emergency: Type.Object({ country: Type.Union([Type.String(), Type.Null()]), advice: Type.String() }),
    actions: Type.Object({ report: Type.String({ description: 'Where to report what you saw' }), emergency: Type.String({ description: 'The page section on what to do in an emergency' }) }),
  },
  {
    examples: [
      {
        type: 'sexual',
        language: 'en',
        label: 'Sexual exploitation',
        description: "Someone is made to sell sex or take part in sexual acts for another person's gain.",
        taxonomyVersion: '2026-11-28.1',
        cautions: ['These are signs to notice and write down, not proof…'],
        groups: [{ category: 'sex', label: 'Signs of sexual exploitation', indicators: [{ id: 'sex.many-visitors', label: 'Many short visits to a home', hint: '…' }] }],
        emergency: { country: 'GB', advice: 'If someone is in danger right now, call the police on 999.' },
        actions: { report: '/report', emergency: '/what-to-look-for/sexual#emergency' },
      },
    ],
  },
);

export const ScenarioParams = Type.Object({ scenario: Type.String({ maxLength: 100, examples: ['the-flat-upstairs'] }) });
export const SelfCheckBody = Type.Object(
  { picked: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 12, description: "Ids of the scenario's options the person ticked (possibly none)" }) },
  { additionalProperties: false, examples: [{ picked: ['visitors', 'windows', 'language'] }] },
);
export const SelfCheckQuery = Type.Object({ lang: Type.Optional(Lang) }, { additionalProperties: false });

export const SelfCheckResultBody = Type.Object(
  {
    scenario: Type.String(),
    language: Type.String(),
    title: Type.String(),
    signs: Type.Integer({ description: 'How many options are signs' }),
    noticed: Type.Integer({ description: 'How many signs were ticked' }),
    notSignsPicked: Type.Integer({ description: 'How many options that are not signs were ticked' }),
    options: Type.Array(
      Type.Object({
        id: Type.String(),
        text: Type.String(),
        picked: Type.Boolean(),
        sign: Type.Boolean(),
        indicator: Type.Union([Type.Object({ id: Type.String(), label: Type.String(), hint: Type.String() }), Type.Null()]),
        why: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
    whatToDoHtml: Type.String(),
    lookForType: Type.String(),
  },
  {
    examples: [
      {
        scenario: 'the-flat-upstairs',
        language: 'en',
        title: 'The flat upstairs',
        signs: 4,
        noticed: 2,
        notSignsPicked: 1,
        options: [
          { id: 'visitors', text: 'Different men come and go at all hours…', picked: true, sign: true, indicator: { id: 'sex.many-visitors', label: 'Many short visits to a home', hint: '…' }, why: null },
          { id: 'language', text: 'The women speak a language you do not recognise.', picked: true, sign: false, indicator: null, why: 'The language someone speaks … are never signs of trafficking.' },
        ],
        whatToDoHtml: '<p>Several of these signs together are worth recording…</p>',
        lookForType: 'sexual',
      },
    ],
  },
);
