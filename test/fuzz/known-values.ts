/**
 * Values worth putting in a path: the ids, slugs and tokens the fixtures made and the API answered
 * with, so that fuzz cases reach real rows instead of stopping at "not found".
 */
import type { JsonSchema } from './schema-arbitrary.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEPT_KEYS = new Set(['slug', 'token', 'reference', 'receiptCode', 'type', 'scenario', 'country', 'format']);
const LIMIT = 300;
const COUNTRIES = ['GB', 'FR', 'CI', 'US', 'NG'];

export class KnownValues {
  readonly #values = new Map<string, Set<string>>();

  add(key: string, value: string): void {
    const set = this.#values.get(key) ?? new Set<string>();
    if (set.size < LIMIT) set.add(value);
    this.#values.set(key, set);
    if (UUID.test(value) && key !== 'uuid') this.add('uuid', value);
  }

  /** Takes every id-like value out of an answer. */
  harvest(value: unknown, key = ''): void {
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 50)) this.harvest(item, key);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) this.harvest(v, k);
    } else if (typeof value === 'string' && value.length <= 200) {
      if (UUID.test(value)) this.add(key || 'uuid', value);
      else if (KEPT_KEYS.has(key)) this.add(key, value);
    }
  }

  /** A value for the path parameter `name`; `index` (drawn by fast-check) chooses among the candidates. */
  pick(name: string, schema: JsonSchema | undefined, index: number): string {
    const candidates = [...(schema?.enum ?? []).map(String), ...(this.#values.get(name) ?? [])];
    if (/id$/i.test(name)) candidates.push(...(this.#values.get('uuid') ?? []));
    if (name === 'cc' || name === 'country') candidates.push(...COUNTRIES);
    if (name === 'token') candidates.push(...(this.#values.get('receiptCode') ?? []));
    if (candidates.length === 0) return 'unknown';
    return candidates[index % candidates.length]!;
  }
}
