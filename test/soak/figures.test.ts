/** The soak's verdict (scripts/soak/figures.ts) on made-up curves: flat passes, a leak or a slowing loop fails. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeFigures, judge, slopePerMinute, type ServerSample } from '../../scripts/soak/figures.ts';
import type { ClientWindow } from '../../scripts/soak/paced-load.ts';

const START = Date.UTC(2026, 10, 29, 8, 15);
const EVERY = 5000;

function run(minutes: number, rss: (minute: number) => number, loopP99: (minute: number) => number, window: Partial<ClientWindow> = {}) {
  const samples: ServerSample[] = [];
  const windows: ClientWindow[] = [];
  for (let at = START + EVERY; at <= START + minutes * 60_000; at += EVERY) {
    const minute = (at - START) / 60_000;
    // A GC sawtooth of ±15 MB around the trend, as real RSS curves have.
    samples.push({ at, rssMb: rss(minute) + ((at / EVERY) % 4) * 10 - 15, heapUsedMb: 100, loopP50Ms: 1, loopP99Ms: loopP99(minute), loopMaxMs: 50 });
    windows.push({ at, requests: 500, ok: 500, serverErrors: 0, refused: 0, noAnswer: 0, skipped: 0, p50Ms: 5, p99Ms: 40, ...window });
  }
  return judge(computeFigures(samples, windows, START, START + minutes * 60_000));
}

test('the slope is per minute, by least squares', () => {
  assert.equal(slopePerMinute([0, 1, 2, 3].map((m) => ({ at: START + m * 60_000, value: 300 + 4 * m }))), 4);
});

test('flat memory and loop delay pass; growing memory or a slowing loop fail; short runs are not judged', () => {
  assert.deepEqual(run(10, () => 400, () => 20), { flat: true, failed: false, reasons: [] });
  const leak = run(10, (m) => 400 + 5 * m, () => 20);
  assert.equal(leak.flat, false);
  assert.match(leak.reasons.join(), /RSS grows [45][.0-9]* MB\/min over the last 8 min/);
  const slowing = run(10, () => 400, (m) => (m > 9 ? 80 : 20));
  assert.equal(slowing.flat, false);
  assert.match(slowing.reasons.join(), /event-loop p99 80 ms in the last minute against 20 ms/);
  const short = run(1, (m) => 400 + 50 * m, () => 20);
  assert.deepEqual([short.flat, short.failed], [undefined, false]);
});

test('any 5xx or unanswered request fails, whatever the length', () => {
  const failed = run(1, () => 400, () => 20, { serverErrors: 1 });
  assert.equal(failed.failed, true);
  assert.match(failed.reasons.join(), /answers were 5xx/);
  assert.equal(run(10, () => 400, () => 20, { noAnswer: 1 }).failed, true);
});
