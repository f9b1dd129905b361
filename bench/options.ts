/**
 * Command-line flags of `npm run bench`. Defaults are the figures docs/benchmarks.md records, so a
 * bare run is comparable with the documented one; anything unknown is refused rather than ignored.
 */
export interface BenchOptions {
  durationSeconds: number;
  connections: number;
  /** Scenario names to run; the baseline always runs first because every ratio needs it. */
  only: string[] | undefined;
  /** Extra flags for the server's node (e.g. V8's --no-liftoff), to investigate warm-up. */
  serverNodeArgs: string[];
}

const USAGE = 'usage: npm run bench -- [--duration=S] [--connections=N] [--only=home,sign-in] [--node-arg=FLAG ...]';

export function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = { durationSeconds: 10, connections: 32, only: undefined, serverNodeArgs: [] };
  for (const arg of argv) {
    const [name, value = ''] = arg.split('=', 2) as [string, string?];
    if (name === '--duration') options.durationSeconds = bounded(name, value, 1, 600);
    else if (name === '--connections') options.connections = bounded(name, value, 1, 1024);
    else if (name === '--only') options.only = value.split(',').filter(Boolean);
    else if (name === '--node-arg' && value.startsWith('--')) options.serverNodeArgs.push(value);
    else throw new Error(`unknown argument "${arg}"\n${USAGE}`);
  }
  return options;
}

function bounded(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}\n${USAGE}`);
  return value;
}
