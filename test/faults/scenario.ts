/** The steps both fault tests share: the data written before any process runs, the edition, settling, and the figures line. */
import assert from 'node:assert/strict';
import { ensureCurrentKey, openKeyring } from '../../src/core/data-keys.ts';
import type { Database } from '../../src/core/db/database.ts';
import { seedSubscribers } from '../../src/modules/newsletter/test-helpers.ts';
import { createAccount, signIn } from '../support/accounts.ts';
import { Client } from '../support/client.ts';
import type { Mailbox } from '../support/mailbox.ts';
import { sessionCall } from '../support/session-call.ts';
import type { Findings } from './durability.ts';
import { confirmRemaining, type LoadRecord } from './load.ts';
import { until } from './settings.ts';

export const log = (line: string) => console.log(`[faults] ${line}`);

/** An editor account and the edition's subscribers, written straight into the instance's database. */
export async function seedInstance(database: Database, instanceKey: string, run: string, subscribers: number): Promise<{ editorEmail: string; subscribers: string[] }> {
  const key = Buffer.from(instanceKey, 'base64');
  await ensureCurrentKey(database.db, key);
  const keyring = await openKeyring(database.db, key);
  try {
    const emails = Array.from({ length: subscribers }, (_, i) => `reader.${run}.${i}@example.org`);
    await seedSubscribers(database.db, keyring, 'general', emails);
    return { editorEmail: (await createAccount(database, { role: 'editor' })).email, subscribers: emails };
  } finally {
    await keyring.close();
  }
}

export interface Edition {
  id: string;
  subject: string;
  /** Progress read through whichever process is up. */
  progress(url: string): Promise<{ status: string; progress: Record<string, number> }>;
}

/** Signs the editor in and starts sending an edition to the 'general' list. */
export async function startEdition(url: string, editorEmail: string, run: string): Promise<Edition> {
  const editor = new Client(url);
  await signIn(editor, editorEmail);
  const subject = `Edition under fire ${run}`;
  const id = (await sessionCall(editor, 'POST', '/api/v1/newsletter/editions', { subject, body: 'Sent while things break.', lists: ['general'] })).id!;
  await sessionCall(editor, 'POST', `/api/v1/newsletter/editions/${id}/send`, {});
  return {
    id,
    subject,
    async progress(at) {
      // The session lives in the database: any process knows it.
      const client = new Client(at);
      for (const [name, value] of editor.cookies) client.cookies.set(name, value);
      const response = await client.get(`/api/v1/newsletter/editions/${id}/progress`);
      assert.equal(response.status, 200, response.text);
      return response.json();
    },
  };
}

/**
 * Waits until no mail has arrived for 3 s, then follows the confirmation links the load did not get to.
 * (Confirmation e-mails whose job a killed process held wait for pg-boss's expiry, 15 minutes.)
 */
export async function settleMail(record: LoadRecord, mailbox: Mailbox, url: string, run: string): Promise<void> {
  let seen = -1;
  let quietSince = Date.now();
  await until(() => {
    if (mailbox.messages.length !== seen) [seen, quietSince] = [mailbox.messages.length, Date.now()];
    return Date.now() - quietSince > 3000;
  }, 'mail to settle', 90_000);
  await confirmRemaining(record, mailbox, url, run);
}

export const lostWrites = (findings: Findings) => findings.lostReports.length + findings.lostSignatures.length + findings.lostConfirmations.length;

export function figures(what: string, record: LoadRecord, findings: Findings, faults: string, audit: string): string {
  return (
    `${what}: ${record.sent} requests sent, ${record.ok} answered 2xx, ${record.unanswered} unanswered, other statuses ${JSON.stringify(record.statuses)}; ${faults}; ` +
    `${record.reports.length} reports, ${record.signatures.length} signatures, ${record.confirmed.length} confirmations accepted; lost writes ${lostWrites(findings)}; ` +
    `declaration count ${findings.counted} = rows ${findings.countableRows}; edition deliveries ${JSON.stringify(findings.deliveries)}, duplicates ${findings.duplicates}; ${audit}`
  );
}

/** The promises every fault must keep. */
export function assertNothingLost(record: LoadRecord, findings: Findings, subscribers: number): void {
  assert.deepEqual(record.violations, [], 'no 500, no stack trace or SQL text, no unexpected refusal');
  assert.ok(record.reports.length > 0 && record.signatures.length > 0 && record.confirmed.length > 0, 'the load did each kind of request');
  assert.deepEqual(findings.lostReports, [], 'every accepted report is stored with its receipt code');
  assert.deepEqual(findings.lostSignatures, [], 'every accepted signature is stored');
  assert.deepEqual(findings.lostConfirmations, [], 'every confirmed signature is confirmed');
  assert.equal(findings.counted, findings.countableRows, 'the count equals the counted rows');
  assert.equal(findings.duplicates, 0, 'nobody got the edition twice');
  assert.equal(findings.sentNotReceived, 0, 'every delivery marked sent arrived');
  assert.equal(findings.deliveries.pending ?? 0, 0, 'no delivery left behind');
  assert.equal(Object.values(findings.deliveries).reduce((a, b) => a + b, 0), subscribers, 'one delivery per subscriber');
}
