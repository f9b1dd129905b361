/** Helpers for the newsletter's tests: read what arrived at the SMTP receiver, subscribe someone all the way. */
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Keyring } from '../../core/data-keys.ts';
import { hmac } from '../../core/crypto.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { NewsletterTables } from './tables.ts';
import type { Client } from '../../../test/support/client.ts';
import { csrfFrom } from '../../../test/support/client.ts';
import type { Mailbox, ReceivedMail } from '../../../test/support/mailbox.ts';

/** A header of a received message, unfolded. */
export function header(mail: ReceivedMail, name: string): string | undefined {
  const raw = mail.raw.replace(/\r\n/g, '\n');
  const head = raw.slice(0, raw.indexOf('\n\n')).replace(/\n[ \t]+/g, ' ');
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1];
}

/** The https unsubscribe path and the mailto: address from List-Unsubscribe. */
export function unsubscribeTargets(mail: ReceivedMail): { path: string; mailto: string } {
  const value = header(mail, 'List-Unsubscribe') ?? '';
  const https = /<https?:\/\/[^/>]+(\/newsletter\/unsubscribe\/[^>\s]+)>/.exec(value.replace(/\s+/g, ''));
  const mailto = /<(mailto:[^>]+)>/.exec(value.replace(/\s+/g, ''));
  assert.ok(https && mailto, `List-Unsubscribe has both targets: ${value}`);
  return { path: https[1]!, mailto: mailto[1]! };
}

/** The path and query of the confirmation link in a message. */
export function confirmLinkFrom(text: string): string {
  const match = /https?:\/\/\S+?(\/newsletter\/confirm\?t=\S+)/.exec(text);
  assert.ok(match, `a confirmation link in: ${text}`);
  return match[1]!;
}

/** The token of a confirmation link. */
export const tokenOf = (path: string) => new URL(path, 'http://x').searchParams.get('t')!;

/** Signs up through the form, confirms from the e-mail; returns the preference page's path. */
export async function subscribe(client: Client, mailbox: Mailbox, email: string, lists: string[] = ['general']): Promise<string> {
  const form = await client.get('/newsletter');
  const posted = await client.postForm('/newsletter', { _csrf: csrfFrom(form.text), email, lists, language: 'en' });
  assert.equal(posted.status, 200, posted.text);
  const mail = await mailbox.waitFor(email, /Confirm your subscription/);
  const path = confirmLinkFrom(mail.text);
  const page = await client.get(path);
  const confirmed = await client.postForm('/newsletter/confirm', { _csrf: csrfFrom(page.text), token: tokenOf(path) });
  assert.equal(confirmed.status, 303);
  return confirmed.location!.split('?')[0]!;
}

/**
 * Confirmed subscribers of one list written straight into the database, sealed and hashed as the
 * service does (for tests that need many of them fast). The keyring must be the instance's own.
 */
export async function seedSubscribers(db: Kysely<Tables>, keyring: Keyring, list: string, emails: string[]): Promise<void> {
  const rows = emails.map((email) => ({ email_hash: hmac(keyring.keys.blindIndex, `newsletter-email|${email}`), email_sealed: keyring.seal(email), language: 'en', confirmed_at: new Date() }));
  const own = db.withTables<NewsletterTables>();
  const ids = await own.insertInto('newsletter_subscribers').values(rows).returning('id').execute();
  await own.insertInto('newsletter_subscriptions').values(ids.map((row) => ({ subscriber_id: row.id, list_key: list }))).execute();
}
