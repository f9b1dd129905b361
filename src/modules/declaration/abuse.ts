/**
 * Abuse controls for signing: the honeypot field, the domain lists and per-address limits. A
 * signature caught by any of them is still stored, but marked, and never counts; the signer sees
 * the same answer as everyone else, so a bot learns nothing from it.
 *
 * The settings and the lists live in the database and are re-read every few seconds, so an operator
 * tunes them without a restart and every process follows within CACHE_MS. Limits count a keyed
 * hash of the client address whose key changes every day (core/throttle.ts), never the address.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { addressKey, createHitCounter } from '../../core/throttle.ts';
import * as store from './store.ts';
import type { DomainRuleKind, SignatureFlag } from './tables.ts';

const CACHE_MS = 5000;

export interface AbuseControls {
  settings(): Promise<store.Settings>;
  /** The rule for a domain or any domain it belongs to (a rule for example.org covers mail.example.org). */
  ruleFor(domain: string): Promise<DomainRuleKind | undefined>;
  /** Counts the signature against its address and says whether (and why) it must be marked. */
  check(input: { declarationId: string; ip: string; domain: string; honeypot: boolean }): Promise<{ flag: SignatureFlag | null; ipHash: string }>;
  /** Forgets the cached settings and lists (after an operator changed them in this process). */
  forget(): void;
}

export function createAbuseControls(db: Kysely<Tables>, throttleKey: Buffer, scale: number): AbuseControls {
  const countHit = createHitCounter(db);
  let cached: { at: number; settings: store.Settings; rules: Map<string, DomainRuleKind> } | undefined;
  let loading: Promise<NonNullable<typeof cached>> | undefined;

  async function load() {
    if (cached && Date.now() - cached.at < CACHE_MS) return cached;
    loading ??= (async () => {
      const [settings, rules] = await Promise.all([store.readSettings(db), store.domainRules(db)]);
      cached = { at: Date.now(), settings, rules: new Map(rules.map((r) => [r.domain, r.kind])) };
      return cached;
    })().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  async function ruleFor(domain: string): Promise<DomainRuleKind | undefined> {
    const { rules } = await load();
    const labels = domain.split('.');
    for (let i = 0; i < labels.length - 1; i += 1) {
      const rule = rules.get(labels.slice(i).join('.'));
      if (rule) return rule;
    }
    return undefined;
  }

  return {
    settings: async () => (await load()).settings,
    ruleFor,
    async check({ declarationId, ip, domain, honeypot }) {
      const { settings } = await load();
      const ipHash = addressKey(throttleKey, 'declaration', ip);
      const [burst, sustained] = await Promise.all([
        countHit(`${ipHash}:${declarationId}:b${settings.burstSeconds}`, settings.burstSeconds * 1000),
        countHit(`${ipHash}:${declarationId}:s${settings.sustainedSeconds}`, settings.sustainedSeconds * 1000),
      ]);
      const rule = await ruleFor(domain);
      const flag: SignatureFlag | null = honeypot
        ? 'honeypot'
        : rule === 'blocked'
          ? 'blocked-domain'
          : rule === 'disposable'
            ? 'disposable-domain'
            : burst.hits > settings.burstMax * scale || sustained.hits > settings.sustainedMax * scale
              ? 'rate-limited'
              : null;
      return { flag, ipHash };
    },
    forget() {
      cached = undefined;
    },
  };
}
