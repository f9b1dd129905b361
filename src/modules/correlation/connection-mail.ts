/**
 * The e-mails about connection requests: the national coordinators of the request's country learn
 * that one is waiting, the requester that theirs was decided. Each holds a link and nothing else —
 * no report, reference, reason, note or identifier — since e-mail leaves CAST's protection. They are
 * enqueued inside the transaction that made the request or the decision, so they go only if it
 * commits.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { translator } from '../../core/i18n.ts';
import { enqueueMails } from '../../core/mail-job.ts';
import type { MailMessage } from '../../core/mail.ts';
import type { CorrelationDeps } from './links.ts';
import * as store from './store.ts';

const t = (language: string) => translator(language === 'fr' ? 'fr' : 'en');

function message(language: string, to: string, key: 'waiting' | 'decided', params: Record<string, string>): MailMessage {
  const tr = t(language);
  return { to, subject: tr(`correlation.mail.${key}.subject`, params), text: `${tr(`correlation.mail.${key}.body`, params)}\n\n${tr('mail.signature')}\n` };
}

/** Tells the national coordinators of `country` (not the requester, if one of them) that a request waits. */
export async function mailRequestWaiting(deps: CorrelationDeps, trx: Kysely<Tables>, request: { country: string; requesterId: string }): Promise<number> {
  const link = `${deps.publicUrl}/countries/${request.country}/connection-requests`;
  const contacts = (await store.nationalCoordinatorContacts(trx, request.country)).filter((c) => c.user_id !== request.requesterId);
  await enqueueMails(
    deps.jobs,
    trx,
    contacts.map((c) => message(c.language, c.email, 'waiting', { link })),
  );
  return contacts.length;
}

/** Tells the requester their request was decided; the page behind the link says how. */
export async function mailRequestDecided(deps: CorrelationDeps, trx: Kysely<Tables>, request: { requesterId: string; reportId: string; status: 'approved' | 'refused' }): Promise<void> {
  const contact = await store.userContact(trx, request.requesterId);
  if (!contact) return;
  const tr = t(contact.language);
  const params = { link: `${deps.publicUrl}/reports/${request.reportId}/links`, decision: tr(`correlation.mail.decisions.${request.status}`) };
  await enqueueMails(deps.jobs, trx, [message(contact.language, contact.email, 'decided', params)]);
}
