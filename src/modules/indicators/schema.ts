/** The API schemas of the taxonomy; they also make its part of the OpenAPI document. */
import { Type } from '@sinclair/typebox';

const Labelled = Type.Object({ id: Type.String(), label: Type.String() });

export const TaxonomyQuery = Type.Object(
  {
    lang: Type.Optional(
      Type.String({ maxLength: 16, description: 'Language of the text: `en` or `fr`. Without it, the language of the cookie or Accept-Language header, else English. Any other value is refused with 400.' }),
    ),
  },
  { additionalProperties: false },
);

const EXAMPLE = {
  version: '2026-11-28.1',
  language: 'en',
  cautions: [
    'These are signs to notice and write down, not proof. One sign on its own means little; several together matter. Never confront anyone, never investigate and never put yourself at risk. If someone is in danger right now, call the police emergency number.',
    "Someone's race, ethnicity, nationality, religion or gender is never a sign of trafficking. Report what you saw people do or go through, not who they are.",
  ],
  exploitationTypes: [{ id: 'sexual', label: 'Sexual exploitation', description: "Someone is made to sell sex or take part in sexual acts for another person's gain." }],
  placeTypes: [{ id: 'house', label: 'House or flat' }],
  ageBands: [{ id: '13-17', label: '13 to 17' }],
  genders: [{ id: 'female', label: 'Female' }],
  categories: [
    {
      id: 'sex',
      label: 'Signs of sexual exploitation',
      indicators: [
        {
          id: 'sex.many-visitors',
          label: 'Many short visits to a home',
          hint: 'A house or flat gets a steady stream of different visitors, mostly men, at all hours, each staying a short time.',
          exploitationTypes: ['sexual'],
        },
      ],
    },
  ],
};

export const LocalisedTaxonomy = Type.Object(
  {
    version: Type.String({ description: 'Changes whenever an id or a text changes; part of the ETag' }),
    language: Type.String({ description: 'The language of every label, hint and caution' }),
    cautions: Type.Array(Type.String(), { description: 'Shown on every form that asks what someone saw' }),
    exploitationTypes: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), description: Type.String() })),
    placeTypes: Type.Array(Labelled),
    ageBands: Type.Array(Labelled, { description: 'Apparent age bands' }),
    genders: Type.Array(Labelled, { description: 'Apparent genders' }),
    categories: Type.Array(
      Type.Object({
        id: Type.String(),
        label: Type.String(),
        indicators: Type.Array(
          Type.Object({
            id: Type.String({ description: 'Stable id, e.g. sex.many-visitors; reports store it' }),
            label: Type.String(),
            hint: Type.String({ description: 'What the sign looks like, in plain words' }),
            exploitationTypes: Type.Array(Type.String(), { description: 'Ids of the exploitation types this sign points to' }),
          }),
        ),
      }),
    ),
  },
  { examples: [EXAMPLE] },
);

export { ErrorResponse } from '../../core/http/error-response.ts';
