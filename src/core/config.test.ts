import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults give a working embedded configuration', () => {
  const config = loadConfig({});
  assert.equal(config.engine, 'pglite');
  assert.equal(config.port, 3000);
  assert.equal(config.publicUrl, 'http://localhost:3000');
  assert.equal(config.cookieSecure, true);
  assert.ok(Object.isFrozen(config));
});

test('DATABASE_URL switches to the PostgreSQL engine', () => {
  const config = loadConfig({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/cast' });
  assert.equal(config.engine, 'postgres');
});

test('every bad variable is reported at once', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SMTP_URL: 'not a url', CAST_SECRET: 'c2hvcnQ=', COOKIE_SECURE: 'maybe', LOG_LEVEL: 'loud' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 6, error.message);
      for (const name of ['PORT', 'DATABASE_URL', 'SMTP_URL', 'CAST_SECRET', 'COOKIE_SECURE', 'LOG_LEVEL']) assert.match(error.message, new RegExp(name));
      return true;
    },
  );
});
