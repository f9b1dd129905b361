/**
 * Crash durability (issue 10): real CAST processes, started as operators run them, under load on
 * submitReport, signDeclaration (and its confirmations) while a newsletter edition is being sent, are
 * killed with SIGKILL at random moments and restarted. Afterwards nothing answered 2xx is missing, the
 * declaration's count equals its rows, nobody got the edition twice, the edition's only leftovers are
 * the claims of killed senders (the full round then lets their lease pass and sees the edition end),
 * and `cast audit verify` passes.
 * - PostgreSQL: two processes; one is killed while the other serves.
 * - PGlite: one process on its data directory, killed and restarted on the same directory.
 * The seed of the kill moments is printed; CAST_FAULTS_SEED replays it, CAST_FAULTS_KILLS sets the count.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { openKeyring } from '../../src/core/data-keys.ts';
import { openDatabase, type Database } from '../../src/core/db/database.ts';
import { startCastProcess, stopProcess, type CastProcess } from '../cluster/cluster.ts';
import { createTestDatabase, pgliteTemplate, testEngine, type TestDatabase } from '../support/database.ts';
import { startMailbox, type Mailbox } from '../support/mailbox.ts';
import { auditVerify, readFindings } from './durability.ts';
import { startLoad } from './load.ts';
import { assertNothingLost, figures, log, seedInstance, settleMail, startEdition } from './scenario.ts';
import { faultSettings, seededRandom, sleep, until } from './settings.ts';

const settings = faultSettings();
const engine = testEngine();

/** The instance under test: its processes (killed and restarted), its database, how to reach both. */
interface Instance {
  env: Record<string, string>;
  live: CastProcess[];
  killedPids: number[];
  mailbox: Mailbox;
  /** The database, open while no process holds it (PGlite) or always (PostgreSQL). */
  open(): Promise<Database>;
  release(database: Database): Promise<void>;
  cleanup(): Promise<void>;
}

async function createInstance(): Promise<Instance> {
  const key = crypto.randomBytes(32).toString('base64');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cast-faults-'));
  const mailbox = await startMailbox();
  const env: Record<string, string> = {
    CAST_DATA_DIR: dataDir,
    CAST_KEY: key,
    SMTP_URL: mailbox.url,
    // Every request comes from 127.0.0.1: the limits are not what is tested here.
    RATE_LIMIT_SCALE: '1000',
    // Slow enough that the edition is still going out while processes are killed.
    CAST_NEWSLETTER_RATE: '25',
  };
  let testDatabase: TestDatabase | undefined;
  let open: () => Promise<Database>;
  if (engine === 'postgres') {
    testDatabase = await createTestDatabase('postgres');
    env.DATABASE_URL = testDatabase.url!;
    open = async () => testDatabase!.database;
  } else {
    // The migrated template unpacked into the directory the server process will open (CAST_DATA_DIR/pglite).
    const pgliteDir = path.join(dataDir, 'pglite');
    const database = await openDatabase({ engine: 'pglite', dataDir: pgliteDir, template: await pgliteTemplate() });
    await database.close();
    open = () => openDatabase({ engine: 'pglite', dataDir: pgliteDir });
    // Not a server's, whatever this test process was given.
    env.DATABASE_URL = '';
  }
  const instance: Instance = {
    env,
    live: [],
    killedPids: [],
    mailbox,
    open,
    release: async (database) => {
      if (engine === 'pglite') await database.close();
    },
    async cleanup() {
      await Promise.all(instance.live.map(stopProcess));
      await testDatabase?.drop();
      await mailbox.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return instance;
}

describe(`crash durability on ${engine}: SIGKILL under load`, () => {
  test(engine === 'postgres' ? 'two processes on one PostgreSQL, one killed at random moments while the other serves' : 'one process on a PGlite data directory, killed at random moments and restarted on it', { timeout: settings.long ? 1_800_000 : 600_000 }, async () => {
    const random = seededRandom(settings.seed);
    const run = crypto.randomBytes(3).toString('hex');
    log(`${engine}: seed ${settings.seed} (CAST_FAULTS_SEED), ${settings.kills} kills, ${settings.subscribers} subscribers`);
    const started = Date.now();
    const phase = (what: string) => log(`${engine}: ${what} at ${Math.round((Date.now() - started) / 1000)} s`);
    const instance = await createInstance();
    try {
      // Written before any process runs: PGlite has one owner at a time.
      const database = await instance.open();
      const seeded = await seedInstance(database, instance.env.CAST_KEY!, run, settings.subscribers);
      await instance.release(database);
      const processes = engine === 'postgres' ? 2 : 1;
      instance.live.push(...(await Promise.all(Array.from({ length: processes }, () => startCastProcess(instance.env)))));
      const live = () => instance.live.map((p) => p.url);
      const edition = await startEdition(live()[0]!, seeded.editorEmail, run);
      phase('processes up, edition sending');

      const load = startLoad({ targets: live, mailbox: instance.mailbox, concurrency: settings.concurrency, run });
      for (let kill = 0; kill < settings.kills; kill += 1) {
        // A random moment in the load's progress rather than in time: on a busy machine a restart can
        // take longer than any fixed delay, and the load must reach every process between kills.
        const answers = load.record.ok + 10 + Math.floor(random() * 40);
        await until(() => load.record.ok >= answers, `${answers} answers before kill ${kill + 1}`, 300_000);
        await sleep(random() * 500);
        const victim = instance.live.splice(Math.floor(random() * instance.live.length), 1)[0]!;
        victim.child.kill('SIGKILL');
        await victim.exited;
        instance.killedPids.push(victim.child.pid!);
        instance.live.push(await startCastProcess(instance.env));
        phase(`kill ${kill + 1}: restarted`);
      }
      const after = load.record.ok + 10;
      await until(() => load.record.ok >= after, 'answers after the last restart', 300_000);
      const record = await load.stop();
      phase('load stopped');
      await settleMail(record, instance.mailbox, live()[0]!, run);
      phase('mail settled');
      await until(async () => (await edition.progress(live()[0]!)).progress.pending === 0, 'every unclaimed delivery to be sent', 150_000);
      phase('edition: nothing pending');
      if (settings.long) {
        // The lease of a killed sender's claims (10 min) passes: they become uncertain and the edition ends.
        await ageClaims(instance);
        await until(async () => (await edition.progress(live()[0]!)).status === 'sent', 'the edition to end', 150_000);
      }
      await sleep(1500);
      for (const proc of instance.live.splice(0)) await stopProcess(proc);
      phase('processes stopped');

      const findings = await instance.open().then(async (database) => {
        const keyring = await openKeyring(database.db, Buffer.from(instance.env.CAST_KEY!, 'base64'));
        try {
          return await readFindings(database, keyring, { load: record, mailbox: instance.mailbox, editionId: edition.id, subject: edition.subject });
        } finally {
          await keyring.close();
          await instance.release(database);
        }
      });
      const audit = await auditVerify(instance.env);
      log(figures(engine, record, findings, `${instance.killedPids.length} kills survived`, audit));
      assertNothingLost(record, findings, seeded.subscribers.length);
      assert.equal(instance.killedPids.length, settings.kills);
      assert.deepEqual(findings.openClaimPids.filter((pid) => !instance.killedPids.includes(pid)), [], 'only killed senders left claims (never sent again)');
      if (settings.long) assert.equal(findings.deliveries.sending ?? 0, 0, 'the lease passed: no claim left open');
    } finally {
      await instance.cleanup();
    }
  });
});

/** Moves the claims of killed senders back past their lease, as ten minutes would. PGlite: the process steps aside meanwhile. */
async function ageClaims(instance: Instance): Promise<void> {
  const running = engine === 'pglite' ? instance.live.splice(0) : [];
  for (const proc of running) await stopProcess(proc);
  const database = await instance.open();
  await sql`update newsletter_deliveries set claimed_at = claimed_at - interval '11 minutes' where status = 'sending'`.execute(database.db);
  await instance.release(database);
  if (running.length > 0) instance.live.push(await startCastProcess(instance.env));
}
