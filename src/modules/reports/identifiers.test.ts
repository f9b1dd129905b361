import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { blindIndex, normaliseIdentifier } from './identifiers.ts';
import { newReceiptCode, parseReceiptCode, receiptHash } from './receipt.ts';

const canonical = (kind: Parameters<typeof normaliseIdentifier>[0], value: string, country?: string) => normaliseIdentifier(kind, value, country).normalised;

describe('identifiers are normalised so one thing written two ways matches', () => {
  test('phones become E.164, read with the report country', () => {
    assert.equal(canonical('phone', '07700 900123', 'GB'), '+447700900123');
    assert.equal(canonical('phone', '+44 (0)7700-900123', 'FR'), '+447700900123');
    assert.equal(canonical('phone', '06 12 34 56 78', 'FR'), '+33612345678');
    assert.equal(normaliseIdentifier('phone', '07700 900123', 'GB').unparsed, false);
  });

  test('an unparseable phone number is kept, flagged, and indexed on its digits', () => {
    const odd = normaliseIdentifier('phone', 'call 12-34', 'GB');
    assert.equal(odd.unparsed, true);
    assert.equal(odd.value, 'call 12-34');
    assert.equal(odd.normalised, '1234');
  });

  test('plates are upper-case without spaces or dashes', () => {
    assert.equal(canonical('plate', ' ab12-cde '), 'AB12CDE');
    assert.equal(canonical('plate', 'AB 12 CDE'), 'AB12CDE');
  });

  test('web sites lose scheme, www, trailing slash and tracking parameters; the host is lower-cased', () => {
    assert.equal(canonical('website', 'https://WWW.Example.com/ads/123/?utm_source=x&id=7&fbclid=abc'), 'example.com/ads/123?id=7');
    assert.equal(canonical('website', 'example.com/ads/123?id=7'), 'example.com/ads/123?id=7');
    assert.equal(canonical('website', 'http://example.com/'), 'example.com');
    assert.equal(normaliseIdentifier('website', 'not a site').unparsed, true);
  });

  test('handles lose the @ and case; e-mail addresses are lower-cased; addresses lose accents and punctuation', () => {
    assert.equal(canonical('handle', '@Rose_Massage'), 'rose_massage');
    assert.equal(canonical('email', ' Bookings@Example.COM '), 'bookings@example.com');
    assert.equal(normaliseIdentifier('email', 'no-at-sign').unparsed, true);
    assert.equal(canonical('address', '12, Rue de l’Église,  Paris'), '12 rue de l eglise paris');
  });

  test('the blind index depends on the key and the kind, never only on the value', () => {
    const key = Buffer.alloc(32, 1);
    const phone = normaliseIdentifier('phone', '07700 900123', 'GB');
    assert.deepEqual(blindIndex(key, phone), blindIndex(key, normaliseIdentifier('phone', '+447700900123')));
    assert.notDeepEqual(blindIndex(key, phone), blindIndex(Buffer.alloc(32, 2), phone));
    assert.notDeepEqual(blindIndex(key, { kind: 'plate', normalised: 'X1' }), blindIndex(key, { kind: 'handle', normalised: 'X1' }));
  });
});

describe('receipt codes', () => {
  test('are 20 characters in groups of four, read back however a person types them', () => {
    const code = newReceiptCode();
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    assert.equal(parseReceiptCode(code.toLowerCase().replace(/-/g, ' ')), code.replace(/-/g, ''));
    assert.equal(parseReceiptCode('OOOO-IIII-LLLL-0000-1111'), '00001111111100001111');
    assert.deepEqual(receiptHash(code), receiptHash(code.toLowerCase()));
  });

  test('anything else is refused', () => {
    for (const bad of ['', 'ABCD', 'ABCD-ABCD-ABCD-ABCD-ABCU', 'x'.repeat(100), 42, null]) assert.equal(parseReceiptCode(bad), undefined);
  });

  test('do not repeat', () => {
    const codes = new Set(Array.from({ length: 1000 }, newReceiptCode));
    assert.equal(codes.size, 1000);
  });
});
