/**
 * What a newsletter message is made of: the edition's Markdown rendered to HTML (markdown-it with raw
 * HTML disabled, so whatever an editor types is escaped, and only http(s) and mailto links), a plain
 * text part, a footer with the preference and unsubscribe links, and the headers RFC 8058 asks for.
 */
import MarkdownIt from 'markdown-it';
import type { Translate } from '../../core/i18n.ts';
import type { MailMessage } from '../../core/mail.ts';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
const SAFE_LINK = /^(https?:|mailto:|#|\/)/i;
markdown.validateLink = (url: string) => SAFE_LINK.test(url.trim());

/** The edition's body as HTML: safe to place in a page or a message as it is. */
export function renderMarkdown(source: string): string {
  return markdown.render(source);
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface EditionContent {
  editionId: string;
  subject: string;
  bodyMarkdown: string;
  /** Rendered once per edition, not once per recipient. */
  bodyHtml: string;
}

export interface RecipientLinks {
  preferences: string;
  unsubscribe: string;
  /** mailto: address and subject for List-Unsubscribe. */
  mailto: string;
}

/** One message of an edition to one recipient. */
export function editionMessage(t: Translate, to: string, content: EditionContent, links: RecipientLinks, options: { test?: boolean; listId: string }): MailMessage {
  const subject = options.test ? `${t('newsletter.mail.testPrefix')} ${content.subject}` : content.subject;
  const footerText = `${t('newsletter.mail.footer')}\n${t('newsletter.mail.preferences')}: ${links.preferences}\n${t('newsletter.mail.unsubscribe')}: ${links.unsubscribe}`;
  const footerHtml = `<hr><p style="font-size:small">${escapeHtml(t('newsletter.mail.footer'))}<br><a href="${escapeHtml(links.preferences)}">${escapeHtml(t('newsletter.mail.preferences'))}</a> · <a href="${escapeHtml(links.unsubscribe)}">${escapeHtml(t('newsletter.mail.unsubscribe'))}</a></p>`;
  return {
    to,
    subject,
    text: `${content.bodyMarkdown}\n\n-- \n${footerText}\n`,
    html: `<!doctype html><html><body>${content.bodyHtml}${footerHtml}</body></html>`,
    headers: {
      'List-Unsubscribe': `<${links.unsubscribe}>, <${links.mailto}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': options.listId,
      'X-Cast-Edition': content.editionId,
    },
  };
}

export function confirmationMessage(t: Translate, to: string, link: string, lists: string[]): MailMessage {
  const names = lists.map((list) => t(`newsletter.lists.${list}.name`)).join(', ');
  return {
    to,
    subject: t('newsletter.mail.confirm.subject'),
    text: `${t('newsletter.mail.confirm.body', { link, lists: names })}\n\n${t('mail.signature')}\n`,
  };
}

export function manageLinkMessage(t: Translate, to: string, link: string): MailMessage {
  return { to, subject: t('newsletter.mail.manage.subject'), text: `${t('newsletter.mail.manage.body', { link })}\n\n${t('mail.signature')}\n` };
}
