/**
 * Warm-up before any measurement. A fresh server is slow at first (see docs/benchmarks.md), so it is
 * loaded with the cheap scenarios in one-second rounds until the last three rounds are steady:
 * each within 30% of the best throughput and 2× of the best p99 seen so far (judged again after
 * every round, so an early slow round cannot count as steady). At least 5 rounds, at most 30 s.
 * The bands are wide because figures on a shared 2-core machine swing by ±30% from second to second.
 */
import { performance } from 'node:perf_hooks';
import { percentile, runLoad, type NextRequest, type Target } from './load.ts';
import type { Scenario } from './scenarios.ts';

export interface WarmUp {
  durationMs: number;
  rounds: { rps: number; p99Ms: number; errors: number }[];
  steady: boolean;
}

const ROUND_MS = 1000;
const STEADY_ROUNDS = 3;
const MIN_ROUNDS = 5;
const MAX_MS = 30_000;

export async function warmUp(target: Target, mix: Scenario[], connections: number, log: (line: string) => void): Promise<WarmUp> {
  const sources: NextRequest[] = [];
  for (let i = 0; i < connections; i += 1) sources.push(await mix[i % mix.length]!.prepare(target, i));
  const started = performance.now();
  const rounds: WarmUp['rounds'] = [];
  let bestRps = 0;
  let bestP99 = Infinity;
  while (performance.now() - started < MAX_MS) {
    const result = await runLoad(target, sources, ROUND_MS);
    const rps = result.succeeded / (result.elapsedMs / 1000);
    const p99Ms = percentile(result.latenciesMs.sort((a, b) => a - b), 99);
    rounds.push({ rps: Math.round(rps), p99Ms: round1(p99Ms), errors: result.errors + result.non2xx3xx });
    bestRps = Math.max(bestRps, rps);
    bestP99 = Math.min(bestP99, p99Ms);
    log(`  warm-up round ${rounds.length}: ${Math.round(rps)} req/s, p99 ${round1(p99Ms)} ms, ${result.errors + result.non2xx3xx} failed`);
    const recent = rounds.slice(-STEADY_ROUNDS);
    const steady = rounds.length >= MIN_ROUNDS && recent.every((r) => r.rps >= 0.7 * bestRps && r.p99Ms <= 2 * bestP99);
    if (steady) return { durationMs: performance.now() - started, rounds, steady: true };
  }
  return { durationMs: performance.now() - started, rounds, steady: false };
}

export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
