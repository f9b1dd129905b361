import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BANDS, bands, shingles, signature, similarity, SIMILARITY_THRESHOLD } from './similarity.ts';

const base = 'Dear company, please end child labour in your cocoa supply chain and pay farmers a living income. Thank you for reading my message.';

/** The exact Jaccard similarity of two messages' shingle sets, to check the estimate against. */
function jaccard(a: string, b: string): number {
  const x = shingles(a);
  const y = shingles(b);
  const both = [...x].filter((s) => y.has(s)).length;
  return both / (x.size + y.size - both);
}

test('punctuation, case and accents do not make a message different', () => {
  assert.equal(similarity(signature(base), signature(base.toUpperCase().replaceAll(',', ' ;'))), 1);
  assert.equal(similarity(signature('Côte d’Ivoire cocoa farms today'), signature('cote d ivoire COCOA farms, today!')), 1);
});

test('the MinHash estimate follows the exact Jaccard similarity', () => {
  const variants = [
    base,
    base.replace('Thank you for reading my message.', 'Thanks.'),
    `${base} I also buy your eggs every Easter and want to know more.`,
    'My grandmother picked cocoa in Ghana as a girl. I would like to know who picks the beans in your bars today.',
  ];
  for (const v of variants) {
    const exact = jaccard(base, v);
    const estimate = similarity(signature(base), signature(v));
    // 64 values: the standard error is at most 1/(2·√64) ≈ 0.06.
    assert.ok(Math.abs(exact - estimate) < 0.2, `${exact} vs ${estimate}`);
  }
  assert.ok(similarity(signature(base), signature(variants[3]!)) < SIMILARITY_THRESHOLD);
});

test('near-identical messages share a band (found through the index); unrelated ones do not', () => {
  const near = base.replace('Thank you for reading my message.', 'Thank you for reading.');
  const mine = new Set(bands(signature(base)).map((b) => `${b.band}:${b.bucket}`));
  assert.equal(mine.size, BANDS);
  assert.ok(bands(signature(near)).some((b) => mine.has(`${b.band}:${b.bucket}`)));
  const other = 'Chocolate is lovely but I would like to understand how the beans are grown and who grows them.';
  assert.ok(!bands(signature(other)).some((b) => mine.has(`${b.band}:${b.bucket}`)));
  for (const b of bands(signature(base))) assert.ok(Number.isSafeInteger(b.bucket) && b.bucket >= 0);
});

test('a short message is one shingle; signatures are 32-bit integers', () => {
  assert.deepEqual([...shingles('Hello there')], ['hello there']);
  assert.ok(signature(base).every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31));
});
