/**
 * Outgoing mail. With SMTP_URL set, messages go to that server over a pooled connection; otherwise
 * each one is written as an .eml file under data/outbox/ (written to a temporary name, then renamed,
 * so a reader never sees half a message). Messages are sent from the job queue, never from a request.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createMailer(options: { smtpUrl: string | undefined; from: string; outboxDir: string }): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport({ url: options.smtpUrl, pool: true, maxConnections: 10 } as never);
    return {
      async send(message) {
        await transport.sendMail({ from: options.from, ...message });
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await transport.sendMail({ from: options.from, ...message });
      fs.mkdirSync(options.outboxDir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomBytes(4).toString('hex')}.eml`;
      const temporary = path.join(options.outboxDir, `.${name}.tmp`);
      fs.writeFileSync(temporary, info.message as Buffer, { mode: 0o600 });
      fs.renameSync(temporary, path.join(options.outboxDir, name));
    },
    close: () => transport.close(),
  };
}
