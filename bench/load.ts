/**
 * A small closed-loop load generator on node:http keep-alive sockets. Each virtual connection sends
 * one request, waits for the whole answer, and sends the next until the deadline: the rate is what
 * the server can sustain at that concurrency, not an offered rate. It avoids fetch, whose per-request
 * overhead would make the generator, not the server, the bottleneck on a 2-core machine.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Produces the next request of one virtual connection; set up before the clock starts. */
export type NextRequest = () => RequestSpec;

export interface LoadResult {
  /** Answers received, whatever their status. */
  requests: number;
  /** Answers with a 2xx or 3xx status. */
  succeeded: number;
  non2xx3xx: number;
  /** Socket errors and timeouts: requests that got no answer at all. */
  errors: number;
  elapsedMs: number;
  latenciesMs: number[];
  statuses: Record<number, number>;
}

export class Target {
  readonly agent: http.Agent;

  constructor(
    readonly port: number,
    connections: number,
    readonly timeoutMs = 30_000,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  /** One request on the shared agent; the body is read only when asked for, otherwise drained. */
  send(spec: RequestSpec, keepBody = false): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...spec.headers };
      if (spec.body !== undefined) headers['content-length'] = Buffer.byteLength(spec.body);
      const req = http.request({ host: '127.0.0.1', port: this.port, method: spec.method, path: spec.path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        if (keepBody) res.on('data', (chunk: Buffer) => chunks.push(chunk));
        else res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(spec.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs every connection's loop until durationMs has passed; requests in flight then finish. */
export async function runLoad(target: Target, connections: NextRequest[], durationMs: number): Promise<LoadResult> {
  const result: LoadResult = { requests: 0, succeeded: 0, non2xx3xx: 0, errors: 0, elapsedMs: 0, latenciesMs: [], statuses: {} };
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async (next: NextRequest) => {
    while (performance.now() < deadline) {
      const sentAt = performance.now();
      try {
        const answer = await target.send(next());
        result.latenciesMs.push(performance.now() - sentAt);
        result.requests += 1;
        result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
        if (answer.status >= 200 && answer.status < 400) result.succeeded += 1;
        else result.non2xx3xx += 1;
      } catch {
        result.errors += 1;
        // A refused or reset socket fails at once; pausing keeps a dead server from spinning the loop.
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  };
  await Promise.all(connections.map(loop));
  result.elapsedMs = performance.now() - started;
  return result;
}

/** Nearest-rank percentile of an ascending-sorted list, in the list's unit; 0 for an empty list. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
