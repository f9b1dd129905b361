import assert from 'node:assert/strict';
import path from 'node:path';
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

test('CAST_MAP_TILE_URL takes an https template on one host with {z}, {x} and {y} only', () => {
  assert.equal(loadConfig({}).mapTileUrl, undefined);
  const good = 'https://tiles.example.org/osm/{z}/{x}/{y}.png?key=abc';
  assert.equal(loadConfig({ CAST_MAP_TILE_URL: good, CAST_MAP_TILE_ATTRIBUTION: '© OpenStreetMap contributors' }).mapTileUrl, good);
  for (const bad of ['http://tiles.example.org/{z}/{x}/{y}.png', 'https://{s}.tiles.example.org/{z}/{x}/{y}.png', 'https://tiles.example.org/{z}/{x}.png', 'https://tiles.example.org/{z}/{x}/{y}{r}.png', 'https://user:pw@tiles.example.org/{z}/{x}/{y}.png', 'not a url {z}{x}{y}']) {
    assert.throws(() => loadConfig({ CAST_MAP_TILE_URL: bad }), /CAST_MAP_TILE_URL/, bad);
  }
});

const KEY = Buffer.alloc(32, 7).toString('base64');

test('the instance key comes from CAST_KEY or CAST_KEY_FILE; CAST_SECRET still works as its old name', () => {
  assert.equal(loadConfig({ CAST_KEY: KEY }).instanceKey, KEY);
  assert.equal(loadConfig({ CAST_SECRET: KEY }).instanceKey, KEY);
  const fromFile = loadConfig({ CAST_KEY_FILE: 'secrets/cast.key' });
  assert.equal(fromFile.instanceKeyFile, path.resolve('secrets/cast.key'));
  assert.equal(fromFile.instanceKey, undefined);
  const development = loadConfig({});
  assert.equal(development.environment, 'development');
  assert.equal(development.instanceKey, undefined);
  assert.equal(development.instanceKeyFile, undefined);
});

test('production requires an instance key and says what to set', () => {
  for (const env of [{ CAST_ENV: 'production' }, { NODE_ENV: 'production' }]) {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => error instanceof ConfigError && error.problems.length === 1 && /CAST_KEY_FILE/.test(error.message) && /CAST_KEY\b/.test(error.message),
    );
  }
  assert.equal(loadConfig({ CAST_ENV: 'production', CAST_KEY_FILE: '/run/secrets/cast.key' }).environment, 'production');
  assert.equal(loadConfig({ CAST_ENV: 'production', CAST_KEY: KEY }).instanceKey, KEY);
  assert.equal(loadConfig({ CAST_ENV: 'development', NODE_ENV: 'production' }).environment, 'development', 'CAST_ENV wins');
});

test('bad instance key settings are refused', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };
  assert.match(problems({ CAST_KEY: 'c2hvcnQ=' }).join(), /CAST_KEY must be base64 of at least 32 random bytes/);
  assert.match(problems({ CAST_KEY: `${KEY}!` }).join(), /CAST_KEY must be base64/);
  assert.match(problems({ CAST_KEY: KEY, CAST_KEY_FILE: 'k' }).join(), /CAST_KEY or CAST_KEY_FILE, not both/);
  assert.match(problems({ CAST_KEY: KEY, CAST_SECRET: KEY }).join(), /CAST_KEY or CAST_SECRET/);
  assert.match(problems({ CAST_ENV: 'staging' }).join(), /CAST_ENV must be development or production/);
});

test('RATE_LIMIT_SCALE takes a fraction to tighten every limit, and refuses nonsense', () => {
  assert.equal(loadConfig({ RATE_LIMIT_SCALE: '0.1' }).rateLimitScale, 0.1);
  assert.equal(loadConfig({ RATE_LIMIT_SCALE: '50' }).rateLimitScale, 50);
  for (const bad of ['0', '0.001', '-1', '1e3', 'lots']) {
    assert.throws(() => loadConfig({ RATE_LIMIT_SCALE: bad }), /RATE_LIMIT_SCALE must be a number from 0.01 to 100000/, bad);
  }
});
