/** The messages the accounts module sends, in the recipient's language. Plain text: it reads everywhere. */
import type { Translate } from '../../core/i18n.ts';
import type { MailMessage } from '../../core/mail.ts';

function message(t: Translate, to: string, kind: string, params: Record<string, unknown>): MailMessage {
  return {
    to,
    subject: t(`mail.${kind}.subject`, params),
    text: `${t(`mail.${kind}.body`, params)}\n\n${t('mail.signature')}\n`,
  };
}

export const confirmEmailMessage = (t: Translate, to: string, name: string, link: string) => message(t, to, 'confirmEmail', { name, link });
export const alreadyRegisteredMessage = (t: Translate, to: string, signInLink: string, resetLink: string) =>
  message(t, to, 'alreadyRegistered', { signInLink, resetLink });
export const resetPasswordMessage = (t: Translate, to: string, name: string, link: string) => message(t, to, 'resetPassword', { name, link });
export const passwordChangedMessage = (t: Translate, to: string, name: string, resetLink: string) => message(t, to, 'passwordChanged', { name, resetLink });
export const twoFactorChangedMessage = (t: Translate, to: string, name: string, enabled: boolean) =>
  message(t, to, enabled ? 'twoFactorEnabled' : 'twoFactorDisabled', { name });
