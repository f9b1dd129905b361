/**
 * How the CAST server is started, wherever it is started: `npm start` (package.json), systemd
 * (docs/deploy.md), the benchmarks, the cluster harness and the process tests. One list, so that
 * what is measured and tested is what operators run (test/integration/server-command.test.ts keeps
 * package.json and docs/deploy.md in step with it).
 *
 * The heap limit is there for memory, not as a ceiling CAST is expected to reach: V8 sizes its
 * old generation from the limit, and with its default on a large machine (4 GB on 24 GB of RAM) a
 * million-row export grew the process by ~190–250 MB of garbage not yet collected; with 1 GB the
 * same export grows it by ~30 MB, no slower (decision 0023).
 */
export const SERVER_NODE_ARGS = ['--max-old-space-size=1024', '--import', 'tsx', 'src/server.ts'] as const;
