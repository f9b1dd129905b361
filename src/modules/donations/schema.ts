/**
 * One schema per command. Forms are checked by the service (amounts depend on the currency, so the
 * form and the API get the same specific messages); the API schemas make the OpenAPI document.
 */
import { Type } from '@sinclair/typebox';
import { CURRENCY_CODES } from './currencies.ts';
import { CURRENT_STATEMENT } from './gift-aid.ts';

export const GiftAidBody = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 20, description: 'Mr, Ms, Dr…' })),
    firstName: Type.String({ maxLength: 100 }),
    lastName: Type.String({ maxLength: 100 }),
    address: Type.String({ maxLength: 500, description: 'Home address (house name or number, street, town)' }),
    postcode: Type.String({ maxLength: 10, description: 'UK postcode' }),
    scope: Type.String({ enum: ['this-donation', 'all'], description: '"this-donation", or "all": this donation, those of the past four years and future ones' }),
    endsOn: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD: the last day an "all" declaration covers; absent for open-ended' })),
    statementVersion: Type.String({ maxLength: 40, description: `The version of the statement the donor confirmed; must be the current one (${CURRENT_STATEMENT.version}, see getDonationOptions)` }),
  },
  { additionalProperties: false },
);

const giftAidExample = { firstName: 'Ada', lastName: 'Lovelace', address: '12 St James’s Square\nLondon', postcode: 'SW1Y 4JH', scope: 'all', statementVersion: CURRENT_STATEMENT.version };

export const CreateDonationBody = Type.Object(
  {
    amount: Type.Union([Type.String({ maxLength: 20 }), Type.Number()], { description: 'In major units ("25.50" pounds); no more decimals than the currency has (none for JPY and XOF)' }),
    currency: Type.String({ maxLength: 3, description: `One of ${CURRENCY_CODES.join(', ')}` }),
    frequency: Type.String({ maxLength: 20, description: '"one-off" or "monthly"' }),
    giftAid: Type.Optional(GiftAidBody),
  },
  { additionalProperties: false, examples: [{ amount: '25.00', currency: 'GBP', frequency: 'monthly', giftAid: giftAidExample }, { amount: '5000', currency: 'XOF', frequency: 'one-off' }] },
);

export const DonationCreated = Type.Object(
  {
    id: Type.String(),
    checkoutUrl: Type.String({ description: 'Send the donor here to pay (the provider’s page)' }),
    testMode: Type.Boolean({ description: 'true with the provider’s test keys: no real money moves' }),
  },
  { examples: [{ id: '3b9f0f0e-6a55-4c1e-9d7e-1f2a3b4c5d6e', checkoutUrl: 'https://checkout.stripe.com/c/pay/cs_test_a1b2c3', testMode: true }] },
);

export const DonationParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const GiftAidDeclarationBody = Type.Object(GiftAidBody.properties, { additionalProperties: false, examples: [giftAidExample] });
export const DeclarationCreated = Type.Object({ id: Type.String() });

export const WebhookReceived = Type.Object(
  {
    received: Type.Boolean(),
    duplicate: Type.Boolean({ description: 'true when this event was already received: nothing was done again' }),
    applied: Type.Boolean({ description: 'whether it changed a donation' }),
  },
  { examples: [{ received: true, duplicate: false, applied: true }] },
);

export const DonationOptions = Type.Object(
  {
    online: Type.Boolean({ description: 'false when this instance takes no donations online' }),
    testMode: Type.Boolean(),
    currencies: Type.Array(Type.Object({ code: Type.String(), decimals: Type.Integer(), minimum: Type.String() })),
    frequencies: Type.Array(Type.String()),
    giftAidStatement: Type.Object({ version: Type.String(), text: Type.String() }),
  },
  { examples: [{ online: true, testMode: true, currencies: [{ code: 'GBP', decimals: 2, minimum: '0.30' }], frequencies: ['one-off', 'monthly'], giftAidStatement: { version: CURRENT_STATEMENT.version, text: CURRENT_STATEMENT.text.en } }] },
);

export const ClaimQuery = Type.Object({
  from: Type.String({ maxLength: 10, description: 'First day, YYYY-MM-DD (UK time)' }),
  to: Type.String({ maxLength: 10, description: 'Last day, YYYY-MM-DD (UK time)' }),
  format: Type.Optional(Type.String({ enum: ['hmrc', 'records'], description: 'hmrc (the default): the columns of HMRC’s Charities Online schedule (Title, First name, Last name, House name or number, Postcode, Aggregated donations, Sponsored event, Donation date as DD/MM/YY, Amount); records: every detail of each claimed payment and its declaration, for the charity’s own files' })),
});

export { ErrorResponse } from '../../core/http/error-response.ts';
