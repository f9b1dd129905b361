/**
 * Database restart under load (issue 10): a CAST process on a PostgreSQL server of the test's own,
 * which is restarted (`pg_ctl restart -m fast`, and `-m immediate`: a crash and recovery) while
 * reports, signatures and confirmations pour in and an edition is being sent. Every request that
 * fails is a 503 with Retry-After (never a 500, a stack trace or SQL text); CAST reconnects by itself
 * (the same process serves throughout); its job workers resume (confirmation e-mails for signatures
 * made after the last restart arrive, the edition's pending deliveries all go out); and everything
 * answered 2xx is stored. The shared PostgreSQL server is never touched.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import pg from 'pg';
import { openKeyring } from '../../src/core/data-keys.ts';
import { openDatabase } from '../../src/core/db/database.ts';
import { startCastProcess, stopProcess } from '../cluster/cluster.ts';
import { testEngine } from '../support/database.ts';
import { startMailbox } from '../support/mailbox.ts';
import { auditVerify, readFindings } from './durability.ts';
import { startLoad } from './load.ts';
import { startPrivatePostgres } from './private-postgres.ts';
import { assertNothingLost, figures, log, seedInstance, settleMail, startEdition } from './scenario.ts';
import { faultSettings, seededRandom, sleep, until } from './settings.ts';

const settings = faultSettings();

describe('database restart under load', { skip: testEngine() !== 'postgres' && 'PostgreSQL only: PGlite is inside the process (its restart is the crash test)' }, () => {
  test('requests fail with 503 and Retry-After while the server restarts, CAST reconnects by itself and nothing accepted is lost', { timeout: settings.long ? 1_800_000 : 600_000 }, async () => {
    const random = seededRandom(settings.seed);
    const run = crypto.randomBytes(3).toString('hex');
    const modes: ('fast' | 'immediate')[] = Array.from({ length: settings.restarts }, (_, i) => (i % 2 === 1 ? 'immediate' : 'fast'));
    log(`database restarts: seed ${settings.seed} (CAST_FAULTS_SEED), restarts ${modes.join(', ')}`);
    const server = await startPrivatePostgres();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cast-db-restart-'));
    const mailbox = await startMailbox();
    const key = crypto.randomBytes(32).toString('base64');
    const env = { DATABASE_URL: server.url('cast_faults'), CAST_DATA_DIR: dataDir, CAST_KEY: key, SMTP_URL: mailbox.url, RATE_LIMIT_SCALE: '1000', CAST_NEWSLETTER_RATE: '25' };
    let proc: Awaited<ReturnType<typeof startCastProcess>> | undefined;
    try {
      const admin = new pg.Client({ connectionString: server.url('postgres') });
      await admin.connect();
      await admin.query('create database cast_faults').finally(() => admin.end());
      const database = await openDatabase({ engine: 'postgres', url: env.DATABASE_URL, poolSize: 2 });
      // The fresh database is migrated by the process, as at a first start.
      proc = await startCastProcess(env);
      const seeded = await seedInstance(database, key, run, settings.subscribers);
      const edition = await startEdition(proc.url, seeded.editorEmail, run);
      const pid = proc.child.pid;

      const load = startLoad({ targets: () => [proc!.url], mailbox, concurrency: settings.concurrency, run });
      for (const mode of modes) {
        await sleep(1000 + random() * 2500);
        await server.restart(mode);
        await until(async () => {
          if (proc!.child.exitCode !== null || proc!.child.signalCode !== null) throw new Error(`CAST exited during a ${mode} restart of the database:\n${proc!.output().slice(-3000)}`);
          return (await fetch(`${proc!.url}/healthz`)).status === 200;
        }, `CAST to reconnect after a ${mode} restart`, 60_000);
      }
      // Jobs after the last restart: signatures made now must get their confirmation e-mails.
      await sleep(1500);
      const record = await load.stop();
      assert.equal(proc.child.exitCode, null, 'the process never stopped');
      assert.equal(proc.child.pid, pid);
      const confirmationsTo = () => new Set(mailbox.messages.filter((m) => /Confirm your signature/.test(m.subject)).flatMap((m) => m.to));
      await until(() => record.signatures.every((email) => confirmationsTo().has(email)), 'a confirmation e-mail for every accepted signature (the job workers resumed)', 150_000);
      await settleMail(record, mailbox, proc.url, run);
      await until(async () => (await edition.progress(proc!.url)).progress.pending === 0, 'every unclaimed delivery to be sent', 150_000);
      await stopProcess(proc);

      const keyring = await openKeyring(database.db, Buffer.from(key, 'base64'));
      const findings = await readFindings(database, keyring, { load: record, mailbox, editionId: edition.id, subject: edition.subject }).finally(async () => {
        await keyring.close();
        await database.close();
      });
      const audit = await auditVerify(env);
      log(figures('database restarts', record, findings, `${modes.length} restarts survived (${modes.join(', ')}), ${record.statuses[503] ?? 0} answers 503`, audit));
      assertNothingLost(record, findings, seeded.subscribers.length);
      assert.ok((record.statuses[503] ?? 0) + record.unanswered > 0, 'the restarts were felt');
      assert.ok(findings.openClaimPids.every((claimer) => claimer === pid), 'claims left open are the running process’s, cut short by the restart (never sent again)');
    } finally {
      if (proc) await stopProcess(proc);
      await mailbox.close();
      server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
