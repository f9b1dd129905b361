/**
 * Loaded into the server process by `npm run soak` (node --import), never by CAST itself: every
 * SOAK_SAMPLE_MS it appends one JSON line to SOAK_SAMPLES_FILE with the process's resident memory,
 * V8 heap and the event-loop delay since the previous sample (p50, p99, max, in ms). Plain
 * JavaScript because it loads before tsx; the timer is unref'd so it never keeps the process alive.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.SOAK_SAMPLES_FILE;
const every = Number(process.env.SOAK_SAMPLE_MS ?? 5000);

if (file) {
  const RESOLUTION_MS = 10;
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  // The histogram holds whole timer intervals; the delay is what exceeds the timer's own period.
  const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
  const timer = setInterval(() => {
    const memory = process.memoryUsage();
    const sample = {
      at: Date.now(),
      rssMb: Math.round((memory.rss / 1048576) * 10) / 10,
      heapUsedMb: Math.round((memory.heapUsed / 1048576) * 10) / 10,
      loopP50Ms: ms(delay.percentile(50)),
      loopP99Ms: ms(delay.percentile(99)),
      loopMaxMs: ms(delay.max),
    };
    delay.reset();
    fs.appendFileSync(file, `${JSON.stringify(sample)}\n`);
  }, every);
  timer.unref();
}
