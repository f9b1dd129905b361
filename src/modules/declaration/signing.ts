/**
 * Signing and confirming. A signature is stored pending; the signer gets a link by e-mail, and only
 * following it makes the signature count. One signature per normalised address per declaration:
 * signing again is answered by e-mail (a fresh link, or "you have already signed"), never on the
 * page, so nobody can find out from the site whether someone signed.
 *
 * Signatures are committed by group commit (core/batching.ts): those arriving while a commit is under
 * way go into the next one, which writes them and their confirmation e-mails (queued as jobs) in one
 * transaction. Every caller is answered only after its own signature has committed.
 */
import { randomUUID } from 'node:crypto';
import { naturalBatches } from '../../core/batching.ts';
import { hmac, randomToken, sha256 } from '../../core/crypto.ts';
import { translator, isLanguage, type Language } from '../../core/i18n.ts';
import { enqueueMails, enqueueMail } from '../../core/mail-job.ts';
import type { MailMessage } from '../../core/mail.ts';
import { conflict, invalid, notFound, ok, type Outcome } from '../../core/outcome.ts';
import { createHitCounter, valueKey } from '../../core/throttle.ts';
import type { AbuseControls } from './abuse.ts';
import type { DeclarationsDeps } from './deps.ts';
import { checkSignature, type SignatureInput } from './signature-input.ts';
import * as store from './store.ts';
import type { SignatureFlag } from './tables.ts';

/** How long a confirmation link works. */
export const TOKEN_DAYS = 7;
const MAX_BATCH = 500;
/** At most one "you signed already" or fresh-link e-mail per address and declaration in this window. */
const REPEAT_MAIL_WINDOW_MS = 3600_000;

interface Prepared {
  row: store.NewSignature;
  /** Where the e-mail goes and what it says. */
  to: string;
  name: string;
  lang: Language;
  token: string;
  declarationTitle: string;
  slug: string;
}

interface Waiting {
  prepared: Prepared;
  resolve: (repeat: boolean) => void;
  reject: (error: unknown) => void;
}

export interface Signing {
  sign(declaration: { id: string; slug: string; title: string; open: boolean }, input: SignatureInput, context: { ip: string; lang: Language }): Promise<Outcome<{ status: 'check-your-email' }>>;
  confirm(token: string): Promise<Outcome<{ slug: string; status: 'confirmed' | 'already-confirmed'; counted: boolean }>>;
}

function confirmationMail(deps: DeclarationsDeps, p: Prepared): MailMessage {
  const t = translator(p.lang);
  const link = `${deps.config.publicUrl}/declarations/confirm/${p.token}`;
  return {
    to: p.to,
    subject: t('declaration.mail.confirm.subject', { title: p.declarationTitle }),
    text: `${t('declaration.mail.confirm.body', { name: p.name, title: p.declarationTitle, link, days: TOKEN_DAYS })}\n\n${t('mail.signature')}\n`,
  };
}

function alreadySignedMail(deps: DeclarationsDeps, p: Prepared): MailMessage {
  const t = translator(p.lang);
  const link = `${deps.config.publicUrl}/declarations/${p.slug}`;
  return {
    to: p.to,
    subject: t('declaration.mail.already.subject', { title: p.declarationTitle }),
    text: `${t('declaration.mail.already.body', { name: p.name, title: p.declarationTitle, link })}\n\n${t('mail.signature')}\n`,
  };
}

export function createSigning(deps: DeclarationsDeps, abuse: AbuseControls, emailKey: Buffer): Signing {
  const { db } = deps;
  const countHit = createHitCounter(db);

  async function commit(batch: readonly Prepared[]): Promise<Set<string>> {
    return db.transaction().execute(async (trx) => {
      const written = await store.insertSignatures(trx, batch.map((p) => p.row));
      await enqueueMails(deps.jobs, trx, batch.filter((p) => written.has(p.row.id) && p.row.flag === null).map((p) => confirmationMail(deps, p)));
      return written;
    });
  }

  const enqueue = naturalBatches<Waiting>(async (batch) => {
    try {
      const written = await commit(batch.map((w) => w.prepared));
      for (const w of batch) w.resolve(!written.has(w.prepared.row.id));
    } catch {
      // One bad row must not sink the others: each is tried alone.
      for (const w of batch) await commit([w.prepared]).then((written) => w.resolve(!written.has(w.prepared.row.id)), w.reject);
    }
  }, MAX_BATCH);

  /** Someone signed with an address already used: tell the address's owner by e-mail (not too often). */
  async function answerRepeat(p: Prepared): Promise<void> {
    const { hits } = await countHit(valueKey(deps.keys.throttle, 'declaration-repeat', `${p.row.declarationId}|${p.row.emailHash.toString('base64url')}`), REPEAT_MAIL_WINDOW_MS);
    if (hits > 1) return;
    await db.transaction().execute(async (trx) => {
      const [existing] = await store.signaturesByEmail(trx, [{ declarationId: p.row.declarationId, emailHash: p.row.emailHash }]);
      // A marked signature gets no mail: the answer must not tell a bot it was caught.
      if (!existing || existing.flag !== null) return;
      if (existing.confirmed_at) return enqueueMail(deps.jobs, trx, alreadySignedMail(deps, p));
      if (await store.renewToken(trx, existing.id, p.row.tokenHash, p.row.tokenExpiresAt)) await enqueueMail(deps.jobs, trx, confirmationMail(deps, p));
    });
  }

  /**
   * "Keep me informed": asks the newsletter to start its double opt-in, after the confirmation has
   * committed (the newsletter reads its own tables outside our transaction). A failure there must not
   * undo a confirmed signature: the choice stays recorded on the signature (`opt_in`).
   */
  async function subscribe(emailSealed: string, language: string): Promise<void> {
    if (!deps.optIn) return;
    try {
      await deps.optIn(db, { email: await deps.sealer.unseal(emailSealed), language: isLanguage(language) ? language : 'en' });
    } catch {
      // Kept on the signature; nothing personal goes to the log.
    }
  }

  return {
    async sign(declaration, raw, context) {
      if (!declaration.open) return conflict('declaration.errors.closed');
      const checked = checkSignature(raw);
      if (!checked.ok) return invalid(checked.errors);
      const input = checked.value;
      const { flag, ipHash } = await abuse.check({ declarationId: declaration.id, ip: context.ip, domain: input.email.domain, honeypot: input.honeypot });
      const token = randomToken();
      const prepared: Prepared = {
        row: {
          id: randomUUID(),
          declarationId: declaration.id,
          emailHash: hmac(emailKey, input.email.normalised),
          nameSealed: deps.sealer.seal(input.name),
          emailSealed: deps.sealer.seal(input.email.deliverable),
          postcodeSealed: input.postcode ? deps.sealer.seal(input.postcode) : null,
          emailDomain: input.email.domain,
          ipHash,
          country: input.country,
          language: context.lang,
          optIn: input.optIn,
          tokenHash: sha256(token),
          tokenExpiresAt: new Date(Date.now() + TOKEN_DAYS * 86_400_000),
          flag: flag satisfies SignatureFlag | null,
        },
        to: input.email.deliverable,
        name: input.name,
        lang: context.lang,
        token,
        declarationTitle: declaration.title,
        slug: declaration.slug,
      };
      const repeat = await new Promise<boolean>((resolve, reject) => enqueue({ prepared, resolve, reject }));
      if (repeat && flag === null) await answerRepeat(prepared);
      return ok({ status: 'check-your-email' as const });
    },

    async confirm(token) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return notFound('declaration.errors.link.invalid');
      const tokenHash = sha256(token);
      const now = new Date();
      const done = await db.transaction().execute(async (trx) => {
        const confirmed = await store.confirmByToken(trx, tokenHash, now);
        if (confirmed && confirmed.flag === null) await store.addDeltas(trx, [{ declarationId: confirmed.declaration_id, country: confirmed.country, delta: 1 }]);
        return confirmed;
      });
      if (done && done.flag === null && done.opt_in && done.email_sealed) await subscribe(done.email_sealed, done.language);
      const seen = done ? undefined : await store.signatureByToken(db, tokenHash);
      const declarationId = (done ?? seen)?.declaration_id;
      const declaration = declarationId ? await store.findDeclaration(db, { id: declarationId }) : undefined;
      if (!declaration) return notFound('declaration.errors.link.invalid');
      if (done) return ok({ slug: declaration.slug, status: 'confirmed' as const, counted: done.flag === null });
      if (!seen || seen.erased_at) return notFound('declaration.errors.link.invalid');
      if (seen.confirmed_at) return ok({ slug: declaration.slug, status: 'already-confirmed' as const, counted: seen.flag === null });
      return conflict('declaration.errors.link.expired');
    },
  };
}

export type { SignatureFlag };
