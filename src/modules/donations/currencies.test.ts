/** Amounts typed by people, for each kind of currency: minor units exactly, never a float. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CURRENCIES, displayAmount, formatMinor, parseAmount } from './currencies.ts';

const gbp = CURRENCIES.get('GBP')!;
const jpy = CURRENCIES.get('JPY')!;
const xof = CURRENCIES.get('XOF')!;

test('amounts in currencies with two decimals', () => {
  assert.deepEqual(parseAmount('25', gbp), { ok: true, minor: 2500 });
  assert.deepEqual(parseAmount('25.5', gbp), { ok: true, minor: 2550 });
  assert.deepEqual(parseAmount(' 25,50 ', gbp), { ok: true, minor: 2550 });
  // 0.1 + 0.2 style float errors cannot happen: 19.99 is 1999 exactly.
  assert.deepEqual(parseAmount('19.99', gbp), { ok: true, minor: 1999 });
  assert.deepEqual(parseAmount('10.555', gbp), { ok: false, problem: 'too-many-decimals' });
  assert.deepEqual(parseAmount('10.500', gbp), { ok: false, problem: 'too-many-decimals' });
});

test('currencies without decimals', () => {
  assert.deepEqual(parseAmount('1000', jpy), { ok: true, minor: 1000 });
  assert.deepEqual(parseAmount('100.5', jpy), { ok: false, problem: 'too-many-decimals' });
  assert.deepEqual(parseAmount('100.0', xof), { ok: false, problem: 'too-many-decimals' });
  assert.deepEqual(parseAmount('5000', xof), { ok: true, minor: 5000 });
});

test('zero, negative, malformed, too small and too large', () => {
  assert.deepEqual(parseAmount('0', gbp), { ok: false, problem: 'not-positive' });
  assert.deepEqual(parseAmount('0.00', gbp), { ok: false, problem: 'not-positive' });
  assert.deepEqual(parseAmount('-5', gbp), { ok: false, problem: 'not-positive' });
  for (const text of ['', 'ten', '1e3', '1,000.00', '+5', '5.', '.5', 'Infinity', 'NaN', '0x10']) assert.deepEqual(parseAmount(text, gbp), { ok: false, problem: 'format' }, text);
  assert.deepEqual(parseAmount('0.29', gbp), { ok: false, problem: 'too-small' });
  assert.deepEqual(parseAmount('1000000', gbp), { ok: false, problem: 'too-large' });
  assert.deepEqual(parseAmount('999999.99', gbp), { ok: true, minor: 99_999_999 });
});

test('minor units back to text', () => {
  assert.equal(formatMinor(2550, 'GBP'), '25.50');
  assert.equal(formatMinor(5, 'EUR'), '0.05');
  assert.equal(formatMinor(5000, 'XOF'), '5000');
  assert.equal(displayAmount(2550, 'GBP', 'en'), '£25.50');
});
