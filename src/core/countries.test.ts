import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countryList, countryName, isCountryCode } from './countries.ts';

test('country codes are checked against ISO 3166-1 and named in both languages', () => {
  assert.equal(isCountryCode('GB'), true);
  assert.equal(isCountryCode('CI'), true);
  assert.equal(isCountryCode('XX'), false);
  assert.equal(isCountryCode('gb'), false);
  assert.equal(countryName('CI', 'fr'), "Côte-d'Ivoire");
  assert.equal(countryName('GB', 'en'), 'United Kingdom');
  assert.ok(countryList('fr').length > 240);
});
