/**
 * Data keys: the keys that seal restricted fields, kept in the database wrapped under a key derived
 * from the instance key (envelope encryption, docs/decisions/0005-data-keys.md). A process loads
 * them at start and keeps them in memory; it checks every few seconds whether `cast keys rotate`
 * made another key current, so a running server switches without a restart. Values sealed before
 * data keys existed (`v1.`, under a key derived from the instance key) stay readable until rotation
 * converts them.
 */
import crypto from 'node:crypto';
import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import { sealedLabel, sealLabelled, unseal as unsealLegacy, unsealLabelled } from './crypto.ts';
import type { Tables } from './db/tables.ts';
import type { FieldSealer } from './field-sealer.ts';
import { deriveKeys, derivedBlindIndexKey, legacySealingKey, wrappingKey, type Keys } from './keys.ts';

export type DataKeyState = 'current' | 'previous' | 'retired';

export interface DataKeysTable {
  id: Generated<number>;
  wrapped: string;
  state: DataKeyState;
  created_at: Generated<Date>;
  retired_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type PinnedPurpose = 'blind-index' | 'legacy-sealing';

export interface PinnedKeysTable {
  purpose: PinnedPurpose;
  wrapped: string;
  created_at: Generated<Date>;
}

/** A type, not an interface: Kysely's withTables needs an index-compatible record. */
export type KeyTables = { data_keys: DataKeysTable; pinned_keys: PinnedKeysTable };

/** How often a process looks for a new current key. `cast keys rotate` waits a little over twice this. */
export const KEY_REFRESH_MS = 5_000;
/** Serialises changes to which key is current. */
const KEYS_LOCK = 7_291_005;
const WRAP_LABEL = 'w1';
const LEGACY_LABEL = 'v1';

export class DataKeyError extends Error {
  override name = 'DataKeyError';
}

export interface Keyring extends FieldSealer {
  /** The id of the key new values are sealed with (as of the last check). */
  readonly currentKeyId: number;
  /** CSRF, throttle and blind-index keys: derived from the instance key, or pinned in the database. */
  readonly keys: Keys;
  /** Reads the data keys again (concurrent callers share one read). */
  reload(): Promise<void>;
  /** Stops the periodic check; waits for one in flight. */
  close(): Promise<void>;
}

const tables = (db: Kysely<Tables>) => db.withTables<KeyTables>();

export function wrapKey(instanceKey: Buffer, key: Buffer): string {
  return sealLabelled(wrappingKey(instanceKey), WRAP_LABEL, key.toString('base64'));
}

export function unwrapKey(instanceKey: Buffer, wrapped: string, what: string): Buffer {
  try {
    return Buffer.from(unsealLabelled(wrappingKey(instanceKey), wrapped), 'base64');
  } catch {
    throw new DataKeyError(`the instance key does not open ${what}: is CAST_KEY or CAST_KEY_FILE the key this database was set up with?`);
  }
}

/** Creates the first data key unless one is current. Processes racing here end with one current key. */
export async function ensureCurrentKey(db: Kysely<Tables>, instanceKey: Buffer): Promise<void> {
  const current = await tables(db).selectFrom('data_keys').select('id').where('state', '=', 'current').executeTakeFirst();
  if (current) return;
  // The partial unique index admits one current key; the losers of the race insert nothing.
  await sql`insert into data_keys (wrapped, state) values (${wrapKey(instanceKey, crypto.randomBytes(32))}, 'current')
            on conflict (state) where state = 'current' do nothing`.execute(db);
}

/** Serialises changes to the data keys (rotation, rewrapping) within a transaction. */
export async function lockKeys(trx: Kysely<Tables>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${KEYS_LOCK})`.execute(trx);
}

/** Makes a fresh key current; the old current key becomes previous (it still opens what it sealed). */
export async function createCurrentKey(db: Kysely<Tables>, instanceKey: Buffer): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await lockKeys(trx);
    await tables(trx).updateTable('data_keys').set({ state: 'previous' }).where('state', '=', 'current').execute();
    const row = await tables(trx)
      .insertInto('data_keys')
      .values({ wrapped: wrapKey(instanceKey, crypto.randomBytes(32)), state: 'current' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

export async function openKeyring(db: Kysely<Tables>, instanceKey: Buffer, options: { refreshMs?: number } = {}): Promise<Keyring> {
  await ensureCurrentKey(db, instanceKey);
  const keyring = new DataKeyring(db, instanceKey);
  await keyring.reload();
  keyring.startChecking(options.refreshMs ?? KEY_REFRESH_MS);
  return keyring;
}

class DataKeyring implements Keyring {
  readonly #db: Kysely<Tables>;
  readonly #instanceKey: Buffer;
  #dataKeys = new Map<number, Buffer>();
  #currentId = 0;
  #legacy: Buffer;
  #keys: Keys;
  #reloading: Promise<void> | undefined;
  #checking: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(db: Kysely<Tables>, instanceKey: Buffer) {
    this.#db = db;
    this.#instanceKey = instanceKey;
    this.#legacy = legacySealingKey(instanceKey);
    this.#keys = deriveKeys(instanceKey);
  }

  get currentKeyId(): number {
    return this.#currentId;
  }

  get keys(): Keys {
    return this.#keys;
  }

  seal(plaintext: string): string {
    const key = this.#dataKeys.get(this.#currentId);
    if (!key) throw new DataKeyError('no current data key is loaded');
    return sealLabelled(key, `k${this.#currentId}`, plaintext);
  }

  async unseal(sealed: string): Promise<string> {
    const label = sealedLabel(sealed);
    if (label === LEGACY_LABEL) return unsealLegacy(this.#legacy, sealed);
    const match = /^k(\d+)$/.exec(label);
    if (!match) throw new DataKeyError('not a sealed value');
    const id = Number(match[1]);
    // A key made after this process loaded its keys (by rotation elsewhere): read them again, once.
    if (!this.#dataKeys.has(id)) await this.reload();
    const key = this.#dataKeys.get(id);
    if (!key) throw new DataKeyError(`data key ${id} does not exist in this database`);
    return unsealLabelled(key, sealed);
  }

  reload(): Promise<void> {
    this.#reloading ??= this.#read().finally(() => {
      this.#reloading = undefined;
    });
    return this.#reloading;
  }

  async #read(): Promise<void> {
    const rows = await tables(this.#db).selectFrom('data_keys').select(['id', 'wrapped', 'state']).orderBy('id').execute();
    const dataKeys = new Map(rows.map((row) => [row.id, unwrapKey(this.#instanceKey, row.wrapped, `data key ${row.id}`)]));
    const current = rows.find((row) => row.state === 'current');
    if (!current) throw new DataKeyError('the database has no current data key');
    const pinned = await tables(this.#db).selectFrom('pinned_keys').select(['purpose', 'wrapped']).execute();
    const pin = (purpose: PinnedPurpose) => {
      const row = pinned.find((p) => p.purpose === purpose);
      return row ? unwrapKey(this.#instanceKey, row.wrapped, `the pinned ${purpose} key`) : undefined;
    };
    this.#dataKeys = dataKeys;
    this.#currentId = current.id;
    this.#legacy = pin('legacy-sealing') ?? legacySealingKey(this.#instanceKey);
    const blindIndex = pin('blind-index');
    // Keep the same object while nothing changed: callers may hold on to it.
    if (blindIndex && !blindIndex.equals(this.#keys.blindIndex)) this.#keys = deriveKeys(this.#instanceKey, { blindIndex });
  }

  startChecking(intervalMs: number): void {
    this.#timer = setInterval(() => {
      this.#checking ??= this.#check().finally(() => {
        this.#checking = undefined;
      });
    }, intervalMs);
    // A check must never keep a finished process (a CLI command, a test) alive.
    this.#timer.unref();
  }

  async #check(): Promise<void> {
    try {
      const current = await tables(this.#db).selectFrom('data_keys').select('id').where('state', '=', 'current').executeTakeFirst();
      if (current && current.id !== this.#currentId) await this.reload();
    } catch {
      // The database is briefly unreachable: keep sealing with the key we have and look again next tick.
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#checking;
    await this.#reloading?.catch(() => {});
  }
}

/** The blind-index key as this instance computes it now (pinned or derived), for `cast keys rewrap`. */
export async function currentPinnedOrDerived(db: Kysely<Tables>, instanceKey: Buffer, purpose: PinnedPurpose): Promise<Buffer> {
  const row = await tables(db).selectFrom('pinned_keys').select('wrapped').where('purpose', '=', purpose).executeTakeFirst();
  if (row) return unwrapKey(instanceKey, row.wrapped, `the pinned ${purpose} key`);
  return purpose === 'blind-index' ? derivedBlindIndexKey(instanceKey) : legacySealingKey(instanceKey);
}
