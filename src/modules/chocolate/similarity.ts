/**
 * Near-identical messages, found without comparing every pair. A message becomes a set of word
 * shingles (three words in a row); its MinHash signature (64 values) estimates the Jaccard similarity
 * of two such sets as the share of equal positions. Locality-sensitive hashing groups the signature
 * into 21 bands of 3 values: two messages with similarity 0.5 share at least one band 94% of the
 * time, so the bands — kept in an indexed table — find a message's likely twins, and only those are
 * compared.
 */

export const SIGNATURE_SIZE = 64;
export const BAND_ROWS = 3;
export const BANDS = Math.floor(SIGNATURE_SIZE / BAND_ROWS);
/** Messages at least this similar count as near-identical (the campaign lesson: ≥ 0.5). */
export const SIMILARITY_THRESHOLD = 0.5;

/** Lower case, letters and digits only, single spaces: so punctuation or line breaks do not make a message "personal". */
export function normalise(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export function shingles(text: string, size = 3): Set<string> {
  const words = normalise(text);
  const set = new Set<string>();
  if (words.length < size) {
    if (words.length > 0) set.add(words.join(' '));
    return set;
  }
  for (let i = 0; i + size <= words.length; i += 1) set.add(words.slice(i, i + size).join(' '));
  return set;
}

/** FNV-1a over UTF-16 code units: a fast, stable 32-bit hash of a shingle. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finaliser: mixes all bits, so `mix(x ^ seed)` is one member of a hash family per seed. */
function mix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const SEEDS = Array.from({ length: SIGNATURE_SIZE }, (_, i) => mix(0x9e3779b9 + i * 0x632be5ab));

/** The MinHash signature, as signed 32-bit integers (what an `integer[]` column holds). */
export function signature(text: string): number[] {
  const values = new Array<number>(SIGNATURE_SIZE).fill(0xffffffff);
  for (const shingle of shingles(text)) {
    const base = fnv1a(shingle);
    for (let i = 0; i < SIGNATURE_SIZE; i += 1) {
      const h = mix(base ^ SEEDS[i]!);
      if (h < values[i]!) values[i] = h;
    }
  }
  return values.map((v) => v | 0);
}

/** Estimated Jaccard similarity of the two messages behind two signatures. */
export function similarity(a: readonly number[], b: readonly number[]): number {
  let same = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i += 1) if (a[i] === b[i]) same += 1;
  return same / SIGNATURE_SIZE;
}

/** One bucket number per band: a 52-bit hash of the band's values (fits a bigint column and a JavaScript number). */
export function bands(sig: readonly number[]): { band: number; bucket: number }[] {
  const out: { band: number; bucket: number }[] = [];
  for (let band = 0; band < BANDS; band += 1) {
    let high = 0x12345678 ^ band;
    let low = 0x9abcdef0 ^ band;
    for (let r = 0; r < BAND_ROWS; r += 1) {
      const v = sig[band * BAND_ROWS + r]! >>> 0;
      high = mix(high ^ v);
      low = mix(low ^ Math.imul(v, 0x27d4eb2d));
    }
    out.push({ band, bucket: high * 2 ** 20 + (low >>> 12) });
  }
  return out;
}
