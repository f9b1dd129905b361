/** The messages of the chocolate action e-mail. Plain text; supporters read theirs in their language, companies in English. */
import { translator, type Language } from '../../core/i18n.ts';
import type { MailMessage } from '../../core/mail.ts';

const signed = (t: ReturnType<typeof translator>, body: string) => `${body}\n\n${t('mail.signature')}\n`;

export function confirmMessage(lang: Language, to: string, params: { name: string; companies: string[]; link: string; hours: number }): MailMessage {
  const t = translator(lang);
  return {
    to,
    subject: t('chocolate.mail.confirm.subject'),
    text: signed(t, t('chocolate.mail.confirm.body', { name: params.name, companies: params.companies.map((c) => `- ${c}`).join('\n'), link: params.link, hours: params.hours })),
  };
}

/** The supporter's own words to the company; replies go straight to the supporter. */
export function companyMessage(to: string, params: { subject: string; message: string; name: string; replyTo: string }): MailMessage {
  const t = translator('en');
  return {
    to,
    subject: params.subject,
    text: `${params.message}\n\n${params.name}\n\n-- \n${t('chocolate.mail.toCompany.footer')}\n`,
    headers: { 'Reply-To': params.replyTo },
  };
}

export function copyMessage(lang: Language, to: string, params: { company: string; subject: string; message: string; name: string }): MailMessage {
  const t = translator(lang);
  const quoted = `${params.subject}\n\n${params.message}\n\n${params.name}`
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  return { to, subject: t('chocolate.mail.copy.subject', { company: params.company }), text: signed(t, t('chocolate.mail.copy.body', { company: params.company, quoted })) };
}

export function replyQuestionMessage(lang: Language, to: string, params: { name: string; company: string; link: string }): MailMessage {
  const t = translator(lang);
  return { to, subject: t('chocolate.mail.replyQuestion.subject', { company: params.company }), text: signed(t, t('chocolate.mail.replyQuestion.body', params)) };
}
