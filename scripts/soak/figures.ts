/**
 * The soak's figures and its verdict. The curves are flat when, over a run of at least
 * JUDGED_MINUTES:
 *  - resident memory grows by at most MAX_RSS_SLOPE_MB_PER_MIN over the last SLOPE_MINUTES (the
 *    least-squares slope of the samples; the first minutes, when caches fill and code warms, are left
 *    out for a 10-minute run), and
 *  - the event loop's p99 delay in the last minute is at most twice that of the first minute plus
 *    LOOP_SLACK_MS (each minute's figure is the median of its 5-second p99s, so one GC pause does
 *    not decide it).
 * Any 5xx, unanswered or refused request, or more than 1% of scheduled requests skipped because the
 * server fell behind, fails the soak whatever its length.
 */
import type { ClientWindow } from './paced-load.ts';
import { round1 } from '../../bench/warmup.ts';

export interface ServerSample {
  at: number;
  rssMb: number;
  heapUsedMb: number;
  loopP50Ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
}

export const SLOPE_MINUTES = 8;
export const JUDGED_MINUTES = 5;
export const MAX_RSS_SLOPE_MB_PER_MIN = 2;
export const LOOP_SLACK_MS = 5;
const MINUTE = 60_000;

export interface Figures {
  minutes: number;
  requests: number;
  ratePerSecond: number;
  serverErrors: number;
  refused: number;
  noAnswer: number;
  skipped: number;
  rss: { startMb: number; endMb: number; maxMb: number; slopeMbPerMin: number; slopeWindowMin: number };
  loopP99: { firstMinuteMs: number; lastMinuteMs: number; maxMs: number };
  latencyP99: { firstMinuteMs: number; lastMinuteMs: number };
}

export interface Verdict {
  /** undefined: too short to judge the curves (errors still fail). */
  flat: boolean | undefined;
  failed: boolean;
  reasons: string[];
}

/** Least-squares slope of value over time, per minute. */
export function slopePerMinute(points: { at: number; value: number }[]): number {
  if (points.length < 2) return 0;
  const xs = points.map((p) => p.at / MINUTE);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = points.reduce((a, p) => a + p.value, 0) / points.length;
  let num = 0;
  let den = 0;
  points.forEach((p, i) => {
    num += (xs[i]! - meanX) * (p.value - meanY);
    den += (xs[i]! - meanX) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function computeFigures(samples: ServerSample[], windows: ClientWindow[], startedAt: number, endedAt: number): Figures {
  const firstMinute = <T extends { at: number }>(list: T[]) => list.filter((item) => item.at <= startedAt + MINUTE);
  const lastMinute = <T extends { at: number }>(list: T[]) => list.filter((item) => item.at >= endedAt - MINUTE);
  const slopeFrom = Math.max(startedAt, endedAt - SLOPE_MINUTES * MINUTE);
  const slopeSamples = samples.filter((s) => s.at >= slopeFrom);
  const sum = (pick: (w: ClientWindow) => number) => windows.reduce((total, w) => total + pick(w), 0);
  const requests = sum((w) => w.requests);
  return {
    minutes: round1((endedAt - startedAt) / MINUTE),
    requests,
    ratePerSecond: round1(requests / ((endedAt - startedAt) / 1000)),
    serverErrors: sum((w) => w.serverErrors),
    refused: sum((w) => w.refused),
    noAnswer: sum((w) => w.noAnswer),
    skipped: sum((w) => w.skipped),
    rss: {
      startMb: samples[0]?.rssMb ?? 0,
      endMb: samples.at(-1)?.rssMb ?? 0,
      maxMb: Math.max(0, ...samples.map((s) => s.rssMb)),
      slopeMbPerMin: round1(slopePerMinute(slopeSamples.map((s) => ({ at: s.at, value: s.rssMb })))),
      slopeWindowMin: round1((endedAt - slopeFrom) / MINUTE),
    },
    loopP99: {
      firstMinuteMs: round1(median(firstMinute(samples).map((s) => s.loopP99Ms))),
      lastMinuteMs: round1(median(lastMinute(samples).map((s) => s.loopP99Ms))),
      maxMs: round1(Math.max(0, ...samples.map((s) => s.loopP99Ms))),
    },
    latencyP99: {
      firstMinuteMs: round1(median(firstMinute(windows).map((w) => w.p99Ms))),
      lastMinuteMs: round1(median(lastMinute(windows).map((w) => w.p99Ms))),
    },
  };
}

export function judge(figures: Figures): Verdict {
  const reasons: string[] = [];
  if (figures.serverErrors > 0) reasons.push(`${figures.serverErrors} answers were 5xx`);
  if (figures.noAnswer > 0) reasons.push(`${figures.noAnswer} requests got no answer`);
  if (figures.refused > 0) reasons.push(`${figures.refused} requests were refused (4xx): the journey is broken`);
  if (figures.skipped > 0.01 * (figures.requests + figures.skipped)) reasons.push(`${figures.skipped} requests skipped: the server fell behind half its capacity`);
  const errorsFailed = reasons.length > 0;
  if (figures.minutes < JUDGED_MINUTES) return { flat: undefined, failed: errorsFailed, reasons: [...reasons, `run shorter than ${JUDGED_MINUTES} minutes: curves not judged`] };
  let flat = true;
  if (figures.rss.slopeMbPerMin > MAX_RSS_SLOPE_MB_PER_MIN) {
    flat = false;
    reasons.push(`RSS grows ${figures.rss.slopeMbPerMin} MB/min over the last ${figures.rss.slopeWindowMin} min (limit ${MAX_RSS_SLOPE_MB_PER_MIN})`);
  }
  const loopLimit = 2 * figures.loopP99.firstMinuteMs + LOOP_SLACK_MS;
  if (figures.loopP99.lastMinuteMs > loopLimit) {
    flat = false;
    reasons.push(`event-loop p99 ${figures.loopP99.lastMinuteMs} ms in the last minute against ${figures.loopP99.firstMinuteMs} ms in the first (limit ${round1(loopLimit)} ms)`);
  }
  return { flat, failed: errorsFailed || !flat, reasons };
}
