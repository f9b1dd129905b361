/**
 * The cluster harness's tests (`npm run test:cluster`, which prepares PostgreSQL, a fresh database and
 * nginx, then runs this file): journeys of every module through a round-robin balancer in front of
 * several CAST processes must behave exactly as with one process. The file is not named *.test.ts so
 * that `npm test` leaves it out: it needs nginx and takes minutes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { verifyAudit } from '../../src/core/audit.ts';
import { startMailbox } from '../support/mailbox.ts';
import { campaignJourneys } from './campaigns.ts';
import { settingsFromEnv, startCluster } from './cluster.ts';
import { until, type Context } from './context.ts';
import { intelligenceJourneys } from './intelligence.ts';
import { rateLimitJourney, sessionJourneys } from './sessions.ts';

const configured = Boolean(process.env.CAST_CLUSTER_DATABASE_URL && process.env.CAST_CLUSTER_NGINX);

describe('cluster: CAST processes behind nginx, one PostgreSQL', { skip: !configured && 'run through `npm run test:cluster`' }, () => {
  const context = { short: process.env.CAST_CLUSTER_SHORT === 'true', figures: {} } as Context;
  const startedAt = Date.now();

  before(async () => {
    context.mailbox = await startMailbox();
    context.cluster = await startCluster(settingsFromEnv(context.mailbox.url)!);
    context.figures.processes = context.cluster.processes.length;
    context.figures['cluster start (s)'] = Math.round((Date.now() - startedAt) / 100) / 10;
  });
  after(async () => {
    await context.cluster?.stop();
    await context.mailbox?.close();
    context.figures['mails received'] = context.mailbox?.messages.length ?? 0;
    if (process.env.CAST_CLUSTER_FIGURES) fs.writeFileSync(process.env.CAST_CLUSTER_FIGURES, JSON.stringify(context.figures, null, 2));
  });

  sessionJourneys(context);
  campaignJourneys(context);
  intelligenceJourneys(context);

  test('scheduled jobs run once per tick, not once per process', async () => {
    // Every process schedules the minute sweep; pg-boss must create one job a minute between them.
    const db = context.cluster.database.db;
    const sweeps = async () => (await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'maintenance.sweep'`.execute(db)).rows[0]!.n;
    // The full round waits for two ticks so that the check has something to count (the short one may not).
    if (!context.short) await until(async () => (await sweeps()) >= 2, 'two minute ticks', 150_000);
    const count = await sweeps();
    const twice = await sql<{ minute: Date; n: number }>`select date_trunc('minute', created_on) as minute, count(*)::int as n from pgboss.job where name = 'maintenance.sweep' group by 1 having count(*) > 1`.execute(db);
    assert.deepEqual(twice.rows, [], 'no minute with two sweeps');
    const minutes = Math.ceil((Date.now() - startedAt) / 60_000);
    assert.ok(count <= minutes, `${count} sweeps in ${minutes} minutes`);
    context.figures['minute sweeps run'] = `${count} in ${minutes} minutes`;
  });

  test('the audit chain written by every process at once verifies', async () => {
    const verified = await verifyAudit(context.cluster.database.db);
    assert.ok(verified.ok, JSON.stringify(verified));
    assert.ok(verified.entries > 0);
    context.figures['audit entries verified'] = verified.entries;
  });

  test('no process logged an error', () => {
    for (const proc of context.cluster.processes) {
      const errors = proc.output().split('\n').filter((line) => /"level":(50|60)/.test(line));
      assert.deepEqual(errors, [], `${proc.address} logged errors`);
    }
  });

  rateLimitJourney(context);
});
