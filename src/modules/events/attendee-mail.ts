/**
 * The e-mails to the people signed up to an event (a change notice, a cancellation): one message each,
 * in the language they signed up in, with their own signed link to cancel their place while the event
 * is on. The caller reads the sign-ups and enqueues the messages in its transaction.
 */
import { translator, type Language } from '../../core/i18n.ts';
import type { MailMessage } from '../../core/mail.ts';
import { cancellationToken, cancellationUrl } from './registration-links.ts';
import type { EventsDeps, PublicEvent } from './service.ts';
import type { RegistrationRow } from './store.ts';

export type Compose = (t: ReturnType<typeof translator>, lang: Language) => { subject: string; lines: string[] };

/** One message to each of these sign-ups of the event. */
export async function messagesToAttendees(deps: EventsDeps, event: PublicEvent, rows: readonly RegistrationRow[], compose: Compose): Promise<MailMessage[]> {
  return Promise.all(
    rows.map(async (row) => {
      const lang: Language = row.language;
      const t = translator(lang);
      const [name, email] = await Promise.all([deps.sealer.unseal(row.name_sealed), deps.sealer.unseal(row.email_sealed)]);
      const { subject, lines } = compose(t, lang);
      const cancelLine = event.cancelled ? [] : ['', t('events.mail.cancelPlace', { url: cancellationUrl(deps.config.publicUrl, event.id, cancellationToken(deps.keys, event.id, row.id)) })];
      return { to: email, subject, text: [t('events.mail.greeting', { name }), '', ...lines, ...cancelLine].join('\n') };
    }),
  );
}
