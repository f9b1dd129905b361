/** What the newsletter's use cases are built from. */
import type { Kysely } from 'kysely';
import type { Config } from '../../core/config.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { FieldSealer } from '../../core/field-sealer.ts';
import type { Jobs } from '../../core/jobs.ts';
import type { Keys } from '../../core/keys.ts';
import { hmac } from '../../core/crypto.ts';
import { linkKeys, type LinkKeys } from './links.ts';

export interface NewsletterDeps {
  db: Kysely<Tables>;
  jobs: Jobs;
  keys: Keys;
  sealer: FieldSealer;
  config: Pick<Config, 'publicUrl' | 'mailFrom'>;
}

export interface Prepared extends NewsletterDeps {
  links: LinkKeys;
  emailHash(address: string): Buffer;
}

const prepared = new WeakMap<NewsletterDeps, Prepared>();

/** Derives the link keys once per set of deps. */
export function prepare(deps: NewsletterDeps): Prepared {
  let value = prepared.get(deps);
  if (!value) {
    value = { ...deps, links: linkKeys(deps.keys), emailHash: (address) => hmac(deps.keys.blindIndex, `newsletter-email|${address}`) };
    prepared.set(deps, value);
  }
  return value;
}

/** The domain of the sender address, for the mailto: unsubscribe address and List-Id. */
export function mailDomain(config: Pick<Config, 'mailFrom'>): string {
  return /@([^\s>]+)>?\s*$/.exec(config.mailFrom)?.[1] ?? 'localhost';
}
