/**
 * Warm-up before any measurement. A fresh server is slow at first (see docs/benchmarks.md), so it is
 * loaded with the cheap scenarios in one-second rounds until three rounds in a row are steady:
 * throughput within 15% of the best round so far and p99 within 1.5× of the best. Capped at 60 s.
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
const MAX_MS = 60_000;

export async function warmUp(target: Target, mix: Scenario[], connections: number, log: (line: string) => void): Promise<WarmUp> {
  const sources: NextRequest[] = [];
  for (let i = 0; i < connections; i += 1) sources.push(await mix[i % mix.length]!.prepare(target, i));
  const started = performance.now();
  const rounds: WarmUp['rounds'] = [];
  let bestRps = 0;
  let bestP99 = Infinity;
  let steadyRun = 0;
  while (performance.now() - started < MAX_MS) {
    const result = await runLoad(target, sources, ROUND_MS);
    const rps = result.succeeded / (result.elapsedMs / 1000);
    const p99Ms = percentile(result.latenciesMs.sort((a, b) => a - b), 99);
    rounds.push({ rps: Math.round(rps), p99Ms: round1(p99Ms), errors: result.errors + result.non2xx3xx });
    bestRps = Math.max(bestRps, rps);
    bestP99 = Math.min(bestP99, p99Ms);
    const steady = rps >= 0.85 * bestRps && p99Ms <= 1.5 * bestP99;
    steadyRun = steady ? steadyRun + 1 : 0;
    log(`  warm-up round ${rounds.length}: ${Math.round(rps)} req/s, p99 ${round1(p99Ms)} ms${steady ? '' : ' (not steady yet)'}`);
    if (steadyRun >= STEADY_ROUNDS) return { durationMs: performance.now() - started, rounds, steady: true };
  }
  return { durationMs: performance.now() - started, rounds, steady: false };
}

export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
