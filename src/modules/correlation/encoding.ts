/**
 * Privacy-preserving encodings for fuzzy matching (after Schnell et al. and anonlink): a value is
 * cut into bigrams, each bigram is hashed with a keyed HMAC into 10 positions of a 1,024-bit Bloom
 * filter, and two filters are compared with the Dice coefficient of their bits. Nobody holding the
 * database but not the key can test a guess against a filter.
 *
 * Candidate generation is MinHash locality-sensitive hashing on the filters' bits: 16 bands of 3
 * minimum hashes each. Two encodings that share a band are candidates; with these numbers two
 * filters with a Dice coefficient of 0.75 (bit Jaccard 0.6) share a band with probability 0.97, two
 * unrelated ones (Jaccard 0.1) with about 0.016. Bands are looked up in a B-tree, so a new report
 * costs a few index probes whatever the number of reports.
 *
 * Values are prepared so that what people write differently still matches: accents dropped,
 * Cyrillic and Greek transliterated, a few spelling variants folded (ph/f, kh/h, y/i, ou/u, w/v,
 * doubled letters), street words abbreviated, and each word padded on its own so that word order
 * does not matter ("Ivan Petrov" = "Petrov Ivan"). In addresses, house numbers weigh more, so
 * "12 High Street" and "14 High Street" stay apart (Dice about 0.7, under the 0.8 threshold).
 */
import crypto from 'node:crypto';
import { deriveKey } from '../../core/crypto.ts';
import type { FuzzyField } from './tables.ts';

export const BLOOM_BITS = 1024;
const BLOOM_BYTES = BLOOM_BITS / 8;
const POSITIONS_PER_GRAM = 10;
export const BANDS = 16;
export const ROWS_PER_BAND = 3;
const HASHES = BANDS * ROWS_PER_BAND;
/** A whole house number counts as this many extra grams. */
const NUMBER_WEIGHT = 10;

/** Dice thresholds above which a pair is proposed, per field (see fuzzy-quality.test.ts for how they were chosen). */
export const DICE_THRESHOLD: Record<FuzzyField, number> = { name: 0.8, address: 0.8, place: 0.8 };

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia', і: 'i', ї: 'i', є: 'ie', ґ: 'g',
};
const GREEK: Record<string, string> = {
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n', ξ: 'x', ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
};
const STREET_WORDS: Record<string, string> = {
  street: 'st', road: 'rd', avenue: 'av', ave: 'av', lane: 'ln', drive: 'dr', place: 'pl', square: 'sq', court: 'ct', crescent: 'cres', close: 'cl', terrace: 'ter', boulevard: 'bd', bvd: 'bd', blvd: 'bd', rue: 'r', chemin: 'ch', impasse: 'imp', allee: 'all', flat: 'fl', apartment: 'fl', apt: 'fl', unit: 'fl', appartement: 'fl', north: 'n', south: 's', east: 'e', west: 'w',
};
// Spelling variants that transliteration and hearing produce; folded both sides before bigrams.
const FOLDS: [RegExp, string][] = [
  [/ph/g, 'f'],
  [/kh/g, 'h'],
  [/ck/g, 'k'],
  [/q/g, 'k'],
  [/ou/g, 'u'],
  [/y/g, 'i'],
  [/w/g, 'v'],
  [/j/g, 'i'],
  [/(.)\1+/g, '$1'],
];

/** Lower case, no accents, Latin letters and digits, words split; what every field starts from. */
export function words(value: string): string[] {
  // Accents go first, so that accented Greek and Cyrillic letters find their transliteration.
  const plain = value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  let latin = '';
  for (const ch of plain) latin += CYRILLIC[ch] ?? GREEK[ch] ?? ch;
  return latin
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
}

const fold = (word: string) => FOLDS.reduce((w, [pattern, replacement]) => w.replace(pattern, replacement), word);

/** The grams of a value: bigrams of each padded word, plus weighted whole numbers in addresses. */
export function grams(field: FuzzyField, value: string): string[] {
  const out: string[] = [];
  for (const raw of words(value)) {
    const word = field === 'name' ? fold(raw) : (STREET_WORDS[raw] ?? fold(raw));
    const padded = `_${word}_`;
    for (let i = 0; i < padded.length - 1; i++) out.push(padded.slice(i, i + 2));
    if (field !== 'name' && /^\d+[a-z]?$/.test(word)) for (let i = 0; i < NUMBER_WEIGHT; i++) out.push(`#${word}#${i}`);
  }
  return out;
}

export interface Encoding {
  field: FuzzyField;
  bloom: Buffer;
  bits: number;
}

export interface Encoder {
  encode(field: FuzzyField, value: string): Encoding | undefined;
  bands(encoding: Encoding): string[];
}

function popcount(buffer: Buffer): number {
  let n = 0;
  for (const byte of buffer) {
    let b = byte;
    while (b) {
      b &= b - 1;
      n++;
    }
  }
  return n;
}

/** 2·|A∩B| / (|A|+|B|) over the set bits of two filters. */
export function dice(a: Pick<Encoding, 'bloom' | 'bits'>, b: Pick<Encoding, 'bloom' | 'bits'>): number {
  if (a.bits + b.bits === 0) return 0;
  let common = 0;
  for (let i = 0; i < a.bloom.length; i++) {
    let x = a.bloom[i]! & b.bloom[i]!;
    while (x) {
      x &= x - 1;
      common++;
    }
  }
  return (2 * common) / (a.bits + b.bits);
}

const FIELD_CODE: Record<FuzzyField, number> = { name: 1, address: 2, place: 3 };

/**
 * An encoder under keys derived from `key` (the instance's pinned blind-index key, so encodings
 * survive a change of instance key just as blind indexes do).
 */
export function createEncoder(key: Buffer): Encoder {
  const bloomKey = deriveKey(key, 'correlation-bloom');
  const minhashKey = deriveKey(key, 'correlation-minhash');
  // One keyed random 32-bit value per (hash function, bit position): the minimum over a filter's set
  // bits is that hash function's MinHash.
  const weights = new Uint32Array(HASHES * BLOOM_BITS);
  const stream = crypto.createCipheriv('aes-256-ctr', minhashKey, Buffer.alloc(16));
  const bytes = stream.update(Buffer.alloc(weights.byteLength));
  for (let i = 0; i < weights.length; i++) weights[i] = bytes.readUInt32LE(i * 4);
  const positionsCache = new Map<string, Uint16Array>();

  const positions = (field: FuzzyField, gram: string): Uint16Array => {
    const cacheKey = `${field}\u0000${gram}`;
    let found = positionsCache.get(cacheKey);
    if (!found) {
      const digest = crypto.createHmac('sha256', bloomKey).update(cacheKey).digest();
      found = new Uint16Array(POSITIONS_PER_GRAM);
      for (let i = 0; i < POSITIONS_PER_GRAM; i++) found[i] = digest.readUInt16LE(i * 2) % BLOOM_BITS;
      if (positionsCache.size > 50_000) positionsCache.clear();
      positionsCache.set(cacheKey, found);
    }
    return found;
  };

  return {
    encode(field, value) {
      const all = grams(field, value);
      if (all.length < 2) return undefined;
      const bloom = Buffer.alloc(BLOOM_BYTES);
      for (const gram of all) for (const p of positions(field, gram)) bloom[p >> 3]! |= 1 << (p & 7);
      return { field, bloom, bits: popcount(bloom) };
    },
    bands({ field, bloom }) {
      const minima = new Uint32Array(HASHES).fill(0xffffffff);
      for (let byte = 0; byte < BLOOM_BYTES; byte++) {
        let b = bloom[byte]!;
        while (b) {
          const bit = 31 - Math.clz32(b & -b);
          b &= b - 1;
          const position = byte * 8 + bit;
          for (let h = 0; h < HASHES; h++) {
            const w = weights[h * BLOOM_BITS + position]!;
            if (w < minima[h]!) minima[h] = w;
          }
        }
      }
      const out: string[] = [];
      for (let band = 0; band < BANDS; band++) {
        const input = Buffer.alloc(2 + ROWS_PER_BAND * 4);
        input[0] = FIELD_CODE[field];
        input[1] = band;
        for (let r = 0; r < ROWS_PER_BAND; r++) input.writeUInt32LE(minima[band * ROWS_PER_BAND + r]!, 2 + r * 4);
        out.push(crypto.createHash('sha256').update(input).digest().readBigInt64LE(0).toString());
      }
      return out;
    },
  };
}
