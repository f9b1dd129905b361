/**
 * The queue that sends e-mail. Use cases enqueue a composed message inside their transaction; a
 * worker sends it after commit, with retries. Finished jobs are deleted after an hour because their
 * data holds addresses and links.
 */
import type { Kysely } from 'kysely';
import type { Tables } from './db/tables.ts';
import type { Jobs } from './jobs.ts';
import type { Mailer, MailMessage } from './mail.ts';

export const MAIL_JOB = 'mail.send';

export function defineMailJob(jobs: Jobs, mailer: Mailer): void {
  jobs.define<MailMessage>(MAIL_JOB, (message) => mailer.send(message), { retryLimit: 8, retryDelaySeconds: 30, deleteAfterSeconds: 3600, concurrency: 4 });
}

export function enqueueMail(jobs: Jobs, db: Kysely<Tables>, message: MailMessage): Promise<void> {
  return jobs.enqueue(db, MAIL_JOB, message);
}

/** Several messages in one statement, inside the caller's transaction. */
export function enqueueMails(jobs: Jobs, db: Kysely<Tables>, messages: readonly MailMessage[]): Promise<void> {
  return jobs.enqueueMany(db, MAIL_JOB, messages);
}
