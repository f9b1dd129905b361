/** Starts the real CAST server (the same startCast as `npm start`) on a fresh test database. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/core/config.ts';
import { startCast, type RunningCast } from '../../src/server.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { freePort } from './free-port.ts';

export interface TestServer {
  url: string;
  cast: RunningCast;
  config: Config;
  testDatabase: TestDatabase;
  dataDir: string;
  close(): Promise<void>;
}

/** `logStream` receives the server's log lines (set LOG_LEVEL in `env` too: tests log nothing by default). */
export async function startTestServer(options: { env?: Record<string, string>; smtpUrl?: string; testDatabase?: TestDatabase; logStream?: NodeJS.WritableStream } = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cast-test-'));
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    HOST: '127.0.0.1',
    CAST_DATA_DIR: dataDir,
    COOKIE_SECURE: 'false',
    LOG_LEVEL: process.env.CAST_TEST_LOG_LEVEL ?? 'silent',
    CAST_KEY: crypto.randomBytes(32).toString('base64'),
    // Every test client comes from 127.0.0.1; the limits themselves are tested with a scale of 1.
    RATE_LIMIT_SCALE: '50',
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  });
  const testDatabase = options.testDatabase ?? (await createTestDatabase());
  const cast = await startCast(config, { database: testDatabase.database, ...(options.logStream ? { logStream: options.logStream } : {}) });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    cast,
    config,
    testDatabase,
    dataDir,
    async close() {
      await cast.stop();
      await testDatabase.drop().catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

