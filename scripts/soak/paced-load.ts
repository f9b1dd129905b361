/**
 * Open-loop load at a fixed rate: requests start on a schedule whether or not earlier ones have
 * answered (as visitors arrive), so a server that slows down shows as growing latency instead of a
 * quietly lower rate. Results are kept per window of time, for the curves. When more than
 * MAX_IN_FLIGHT requests are waiting, further starts are counted as skipped: the server has fallen
 * behind the rate, which the figures must show.
 */
import { performance } from 'node:perf_hooks';
import { percentile, type RequestSpec, type Target } from '../../bench/load.ts';
import { round1 } from '../../bench/warmup.ts';
import type { Step } from './journeys.ts';

export const MAX_IN_FLIGHT = 64;

export interface ClientWindow {
  /** Date.now() at the end of the window. */
  at: number;
  requests: number;
  /** Answers with a 2xx or 3xx status. */
  ok: number;
  /** 5xx answers. */
  serverErrors: number;
  /** Other answers outside 2xx/3xx (4xx). */
  refused: number;
  /** No answer: socket error or timeout. */
  noAnswer: number;
  skipped: number;
  p50Ms: number;
  p99Ms: number;
}

export interface PacedResult {
  windows: ClientWindow[];
  statuses: Record<string, number>;
  /** "step status" → count, for every answer outside 2xx/3xx (and "step no-answer (error code)"). */
  failures: Record<string, number>;
}

export async function runPaced(target: Target, next: () => { step: Step; spec: RequestSpec }, ratePerSecond: number, durationMs: number, windowMs: number, onWindow: (window: ClientWindow) => void): Promise<PacedResult> {
  const result: PacedResult = { windows: [], statuses: {}, failures: {} };
  let current = emptyWindow();
  let latencies: number[] = [];
  let inFlight = 0;
  const pending = new Set<Promise<void>>();

  const closeWindow = () => {
    latencies.sort((a, b) => a - b);
    const window = { ...current, at: Date.now(), p50Ms: round1(percentile(latencies, 50)), p99Ms: round1(percentile(latencies, 99)) };
    result.windows.push(window);
    onWindow(window);
    current = emptyWindow();
    latencies = [];
  };

  const send = (step: Step, spec: RequestSpec) => {
    inFlight += 1;
    const sentAt = performance.now();
    const done = target
      .send(spec)
      .then(
        (answer) => {
          latencies.push(performance.now() - sentAt);
          current.requests += 1;
          result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
          if (answer.status < 400) current.ok += 1;
          else {
            if (answer.status >= 500) current.serverErrors += 1;
            else current.refused += 1;
            const key = `${step.name} ${answer.status}`;
            result.failures[key] = (result.failures[key] ?? 0) + 1;
          }
        },
        (error: NodeJS.ErrnoException) => {
          current.noAnswer += 1;
          const key = `${step.name} no-answer (${error.code ?? error.message})`;
          result.failures[key] = (result.failures[key] ?? 0) + 1;
        },
      )
      .finally(() => {
        inFlight -= 1;
        pending.delete(done);
      });
    pending.add(done);
  };

  const started = performance.now();
  let windowEnds = started + windowMs;
  let scheduled = 0;
  for (;;) {
    const now = performance.now();
    if (now >= windowEnds) {
      closeWindow();
      windowEnds += windowMs;
    }
    if (now - started >= durationMs) break;
    const due = Math.floor(((now - started) / 1000) * ratePerSecond);
    for (; scheduled < due; scheduled += 1) {
      if (inFlight >= MAX_IN_FLIGHT) current.skipped += 1;
      else {
        const { step, spec } = next();
        send(step, spec);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(pending);
  return result;
}

function emptyWindow(): ClientWindow {
  return { at: 0, requests: 0, ok: 0, serverErrors: 0, refused: 0, noAnswer: 0, skipped: 0, p50Ms: 0, p99Ms: 0 };
}
