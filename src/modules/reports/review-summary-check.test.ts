import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summaryWarnings } from './review-summary-check.ts';

test('a restricted name in a sanitised summary is flagged whole or by one of its words', () => {
  const names = ['Jon Smyth', 'Sparkle Hand Car Wash'];
  const kinds = (summary: string) => summaryWarnings(summary, [], null, names).map((w) => `${w.kind}:${w.match}`);
  assert.deepEqual(kinds('Workers said Jon Smyth collects them.'), ['name:Jon Smyth']);
  assert.deepEqual(kinds('Smyth runs the place on the ring road.'), ['name:Smyth']);
  // Ordinary words of a business name warn too: a warning to read again costs less than a leak.
  assert.deepEqual(kinds('Smyth runs the wash.'), ['name:Smyth', 'name:Wash']);
  assert.deepEqual(kinds('A hand car wash called Sparkle on the ring road.'), ['name:Sparkle']);
  assert.deepEqual(kinds('Several workers collected by a van early each morning.'), [], 'short words like "Jon" or "Car" alone are not flagged');
});
