/**
 * How reporters write Cyrillic and Greek names in Latin letters, for the generated fuzzy-name
 * quality set. These are the systems people meet on real papers — deliberately not the encoder's
 * own table (encoding.ts), which would make every transliteration a free match:
 * - Russian: ICAO (passports since 2014), BGN/PCGN (English-language press), German (Duden);
 * - Ukrainian: the national system of 2010 (passports: Oleh, Serhii, Yuliia), BGN/PCGN, German;
 * - Greek: ELOT 743 (passports), and the phonetic spelling people write by ear (Yeorgios, Vasilios).
 * Small tables, not full standards: enough to produce the spellings that differ.
 */
import type { Script } from './fuzzy-quality-pools.ts';

export interface System {
  name: string;
  letters: Record<string, string>;
  /** Two-letter groups read as one sound (Greek ου, μπ). */
  pairs?: Record<string, string>;
  /** Different values at the start of a word (Ukrainian я is ya there, ia elsewhere). */
  initial?: Record<string, string>;
}

const CYRILLIC_BASE: Record<string, string> = {
  а: 'a', б: 'b', д: 'd', е: 'e', ё: 'e', з: 'z', і: 'i', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', ґ: 'g', ь: '', ъ: '', ы: 'y', э: 'e', '\u2019': '',
};
const GREEK_BASE: Record<string, string> = {
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n', ξ: 'x', ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
};

const RUSSIAN: System[] = [
  { name: 'icao', letters: { ...CYRILLIC_BASE, в: 'v', г: 'g', ж: 'zh', и: 'i', й: 'i', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: 'ie', ю: 'iu', я: 'ia' } },
  { name: 'bgn', letters: { ...CYRILLIC_BASE, в: 'v', г: 'g', ж: 'zh', и: 'i', й: 'y', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ю: 'yu', я: 'ya' } },
  { name: 'german', letters: { ...CYRILLIC_BASE, в: 'w', г: 'g', ё: 'jo', ж: 'sch', з: 's', и: 'i', й: 'i', х: 'ch', ц: 'z', ч: 'tsch', ш: 'sch', щ: 'schtsch', ю: 'ju', я: 'ja' }, initial: { е: 'je' } },
];
const UKRAINIAN: System[] = [
  {
    name: 'national',
    letters: { ...CYRILLIC_BASE, в: 'v', г: 'h', ж: 'zh', и: 'y', й: 'i', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', є: 'ie', ї: 'i', ю: 'iu', я: 'ia' },
    initial: { й: 'y', є: 'ye', ї: 'yi', ю: 'yu', я: 'ya' },
  },
  { name: 'bgn', letters: { ...CYRILLIC_BASE, в: 'v', г: 'h', ж: 'zh', и: 'y', й: 'y', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', є: 'ye', ї: 'yi', ю: 'yu', я: 'ya' } },
  { name: 'german', letters: { ...CYRILLIC_BASE, в: 'w', г: 'h', ж: 'sch', з: 's', и: 'y', й: 'i', х: 'ch', ц: 'z', ч: 'tsch', ш: 'sch', щ: 'schtsch', є: 'je', ї: 'ji', ю: 'ju', я: 'ja' } },
];
const GREEK: System[] = [
  { name: 'elot', letters: GREEK_BASE, pairs: { ου: 'ou', αυ: 'av', ευ: 'ev', γγ: 'ng', γκ: 'gk', μπ: 'mp', ντ: 'nt' } },
  {
    name: 'phonetic',
    letters: { ...GREEK_BASE, υ: 'i', χ: 'h' },
    pairs: { ου: 'ou', αι: 'e', ει: 'i', οι: 'i', αυ: 'av', ευ: 'ev', γγ: 'ng', μπ: 'mb', ντ: 'nd', γε: 'ye', γι: 'yi', γη: 'yi' },
    initial: { μπ: 'b', ντ: 'd' },
  },
];

/** The systems that apply to a script; none for Latin. */
export function systemsFor(script: Script): readonly System[] {
  if (script === 'cyrillic-ru') return RUSSIAN;
  if (script === 'cyrillic-uk') return UKRAINIAN;
  if (script === 'greek') return GREEK;
  return [];
}

/** One word (or part of a compound) in Latin letters, capitalised like a name. */
export function transliterate(word: string, system: System): string {
  // Greek accents and diaereses go first, so that the pairs are found; Cyrillic й keeps its breve.
  const plain = system.pairs ? word.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase() : word.toLowerCase();
  const chars = Array.from(plain);
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const pair = chars[i]! + (chars[i + 1] ?? '');
    const pairValue = (i === 0 ? system.initial?.[pair] : undefined) ?? system.pairs?.[pair];
    if (pairValue !== undefined) {
      out += pairValue;
      i++;
      continue;
    }
    const ch = chars[i]!;
    out += (i === 0 ? system.initial?.[ch] : undefined) ?? system.letters[ch] ?? ch;
  }
  return out.charAt(0).toUpperCase() + out.slice(1);
}

