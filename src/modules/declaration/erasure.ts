/**
 * Erasure: some time after a declaration closes (the operator's `eraseAfterDays`), its signatures'
 * names, addresses, postcodes, address hashes and domains are erased, in chunks. Country, language,
 * dates and flags stay, and so do the counts. Runs daily as the `declaration.erase` job.
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../../core/audit.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { Jobs } from '../../core/jobs.ts';
import * as store from './store.ts';

export const ERASE_JOB = 'declaration.erase';
const CHUNK = 5000;

export async function eraseClosedDeclarations(db: Kysely<Tables>, now: Date = new Date()): Promise<{ declarations: number; signatures: number }> {
  const { eraseAfterDays } = await store.readSettings(db);
  const due = await store.dueForErasure(db, eraseAfterDays, now);
  let signatures = 0;
  for (const id of due) {
    for (;;) {
      const erased = await store.eraseSignatures(db, id, now, CHUNK);
      signatures += erased;
      if (erased < CHUNK) break;
    }
    await db.transaction().execute(async (trx) => {
      await store.markErased(trx, id, now);
      await appendAudit(trx, { actorId: null, action: 'declaration.signatures-erased', subject: `declaration:${id}` });
    });
  }
  return { declarations: due.length, signatures };
}

/** Defines the erasure job; call before the queue starts. */
export function defineDeclarationJobs(jobs: Jobs, db: Kysely<Tables>): void {
  jobs.define(ERASE_JOB, async () => {
    await eraseClosedDeclarations(db);
  }, { retryLimit: 3, retryDelaySeconds: 300, deleteAfterSeconds: 24 * 3600 });
}

/** Every day at 02:30 UTC. */
export async function scheduleDeclarationJobs(jobs: Jobs): Promise<void> {
  await jobs.schedule(ERASE_JOB, '30 2 * * *');
}
