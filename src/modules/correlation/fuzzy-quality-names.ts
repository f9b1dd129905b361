/**
 * A labelled synthetic set of people's names, generated from a seed, for fuzzy-quality-generated.test.ts:
 * people drawn from the pools of fuzzy-quality-pools.ts — with siblings and namesakes made on purpose —
 * each written 2 to 5 ways by what reporters really do: one or two typos (a letter dropped, a
 * keyboard neighbour, two letters swapped, a letter doubled), surname first or last, accents left
 * out, hyphens and spaces changed, Cyrillic and Greek transliterated by another system than the
 * encoder's, another Latin spelling of an Arabic name, the middle name left out.
 *
 * Two people whose names the encoder reads as the same grams would be two people no name linker
 * can tell apart, so the second is not drawn; likewise a way of writing a person that reads like
 * another person's name. Everything else, however close, stays: that is what the test measures.
 * Pure: the same seed gives the same set.
 */
// Seeded draws (mulberry32), the generator the fault tests use too, rather than a second copy.
import { seededRandom } from '../../../test/support/seeded-random.ts';
import { grams } from './encoding.ts';
import { CULTURES, type Culture, type Gender, type Surname } from './fuzzy-quality-pools.ts';
import { systemsFor, transliterate } from './fuzzy-quality-transliteration.ts';

export interface NameRecord {
  person: number;
  culture: string;
  name: string;
  /** What was done to the person's name to write it so; empty for the name as its owner writes it. */
  ops: string[];
}

type Role = 'given' | 'middle' | 'surname';
interface Component {
  role: Role;
  /** Latin spellings of one name ("Mohammed/Muhammad"); the first is the usual one. */
  spellings: string[];
}
interface Person {
  culture: Culture;
  gender: Gender;
  given: string;
  middle?: string;
  surname: Surname;
}
/** A name being written: its components in order, each split into the parts of a compound. */
interface Word {
  role: Role;
  parts: string[];
  joiner: string;
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function weighted<T extends string>(random: Random, weights: Partial<Record<T, number>>): T {
  const entries = Object.entries(weights) as [T, number][];
  let r = random() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, w] of entries) if ((r -= w) < 0) return value;
  return entries[entries.length - 1]![0];
}

const surnameFor = (surname: Surname, gender: Gender) => (typeof surname === 'string' ? surname : surname[gender === 'm' ? 0 : 1]);

function components(person: Person): Component[] {
  const given: Component = { role: 'given', spellings: person.given.split('/') };
  const surname: Component = { role: 'surname', spellings: surnameFor(person.surname, person.gender).split('/') };
  const middle: Component[] = person.middle ? [{ role: 'middle', spellings: person.middle.split('/') }] : [];
  return person.culture.surnameFirst ? [surname, ...middle, given] : [given, ...middle, surname];
}

function parse(role: Role, spelling: string): Word {
  if (spelling.includes('|')) return { role, parts: spelling.split('|'), joiner: '' };
  const joiner = /[-' ]/.exec(spelling)?.[0];
  return joiner ? { role, parts: spelling.split(joiner), joiner } : { role, parts: [spelling], joiner: '' };
}

const capital = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);
const small = (s: string) => s.charAt(0).toLocaleLowerCase() + s.slice(1);

function render(words: Word[]): string {
  return words
    .map(({ parts, joiner }) => {
      if (joiner === '') return parts[0]! + parts.slice(1).map(small).join('');
      if (joiner === "'") return parts.join(joiner);
      return parts.map(capital).join(joiner);
    })
    .join(' ');
}

/** The name as its owner writes it, in their script and with their accents. */
export function canonicalName(person: Person): string {
  return render(components(person).map((c) => parse(c.role, c.spellings[0]!)));
}

/** What the encoder makes of a name, order aside: two names with the same key are the same to it. */
export const gramKey = (name: string) => grams('name', name).sort().join(' ');

// ---- ways of writing a name -------------------------------------------------------------------

const KEYBOARD: Record<string, string> = {
  q: 'wa', w: 'qeas', e: 'wrds', r: 'etdf', t: 'ryfg', y: 'tugh', u: 'yihj', i: 'uojk', o: 'ipkl', p: 'ol',
  a: 'qwsz', s: 'awedxz', d: 'serfcx', f: 'drtgvc', g: 'ftyhbv', h: 'gyujnb', j: 'huikmn', k: 'jiolm', l: 'kop',
  z: 'asx', x: 'zsdc', c: 'xdfv', v: 'cfgb', b: 'vghn', n: 'bhjm', m: 'njk',
};
const LETTER = /\p{L}/u;
const TYPOS = ['delete', 'substitute', 'transpose', 'double'] as const;

/** One typo, anywhere in the name's letters; returns the new name and which typo it was. */
function typo(random: Random, name: string): [string, string] {
  const chars = Array.from(name);
  const letters = chars.flatMap((ch, i) => (LETTER.test(ch) ? [i] : []));
  for (;;) {
    const kind = pick(random, TYPOS);
    const i = pick(random, letters);
    const ch = chars[i]!;
    const out = [...chars];
    if (kind === 'delete') out.splice(i, 1);
    else if (kind === 'double') out.splice(i, 0, ch);
    else if (kind === 'substitute') {
      const near = KEYBOARD[ch.toLowerCase()];
      if (!near) continue;
      const replacement = pick(random, Array.from(near));
      out[i] = ch === ch.toLowerCase() ? replacement : replacement.toUpperCase();
    } else {
      const next = chars[i + 1];
      if (!next || !LETTER.test(next) || next === ch) continue;
      out[i] = next;
      out[i + 1] = ch;
    }
    return [out.join(''), `typo:${kind}`];
  }
}

/** Accents as a phone keyboard without them leaves them out (ł and đ do not decompose, so by hand). */
function withoutAccents(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

type Change = 'swap' | 'accents' | 'hyphen' | 'spelling' | 'middle' | 'typo';

/** The changes that would alter this name (no accents to drop in "John Smith"). */
function applicable(words: Word[], spellings: Component[], latin: boolean): Partial<Record<Change, number>> {
  const text = render(words);
  const out: Partial<Record<Change, number>> = { typo: 3, swap: 1.5 };
  if (latin && withoutAccents(text) !== text) out.accents = 1.5;
  if (words.some((w) => w.parts.length > 1)) out.hyphen = 1.5;
  if (spellings.some((c) => c.spellings.length > 1)) out.spelling = 1.5;
  if (words.some((w) => w.role === 'middle')) out.middle = 1;
  return out;
}

/** One way of writing a person's name, with the list of what was done to it. */
function variant(random: Random, person: Person): { name: string; ops: string[] } {
  const comps = components(person);
  let words = comps.map((c) => parse(c.role, c.spellings[0]!));
  const ops: string[] = [];
  const systems = systemsFor(person.culture.script);
  // Most Cyrillic and Greek names reach a reporter already in Latin letters.
  const system = systems.length > 0 && random() < 0.7 ? pick(random, systems) : undefined;
  if (system) ops.push(`translit:${system.name}`);
  // Accents are left out of Latin names; a transliteration has none to leave out.
  const latin = person.culture.script === 'latin';
  let changes = (random() < 0.4 ? 2 : 1) - ops.length;
  const done = new Set<Change>();
  let typos = 0;
  for (; changes > 0; changes--) {
    const choices = applicable(words, comps, latin);
    for (const change of done) delete choices[change];
    const change = weighted(random, choices);
    done.add(change);
    if (change === 'typo') typos += random() < 0.3 ? 2 : 1;
    else if (change === 'swap') {
      const at = words.findIndex((w) => w.role === 'surname');
      const surname = words.splice(at, 1);
      words = at === 0 ? [...words, ...surname] : [...surname, ...words];
    } else if (change === 'middle') words = words.filter((w) => w.role !== 'middle');
    else if (change === 'spelling') {
      const some = comps.filter((c) => c.spellings.length > 1 && words.some((w) => w.role === c.role));
      const comp = pick(random, some);
      const at = words.findIndex((w) => w.role === comp.role);
      words[at] = parse(comp.role, pick(random, comp.spellings.slice(1)));
    } else if (change === 'hyphen') {
      const compound = pick(random, words.filter((w) => w.parts.length > 1));
      compound.joiner = pick(random, ['', '-', ' '].filter((j) => j !== compound.joiner));
    }
    if (change !== 'typo') ops.push(change);
  }
  if (system) words = words.map((w) => ({ ...w, parts: w.parts.map((p) => transliterate(p, system)) }));
  let name = render(words);
  if (done.has('accents')) name = withoutAccents(name);
  for (let i = 0; i < typos; i++) {
    const [typed, kind] = typo(random, name);
    name = typed;
    ops.push(kind);
  }
  return { name, ops };
}

// ---- people -----------------------------------------------------------------------------------

function freshPerson(random: Random, culture: Culture): Person {
  const gender: Gender = random() < 0.5 ? 'm' : 'f';
  const middle = culture.middle && random() < culture.middleRate ? pick(random, culture.middle[gender]) : undefined;
  return { culture, gender, given: pick(random, culture.given[gender]), middle, surname: pick(random, culture.surnames) };
}

/** Same family name, another given name: a brother or sister. */
function sibling(random: Random, of: Person): Person {
  const person = freshPerson(random, of.culture);
  return { ...person, surname: of.surname, given: pick(random, of.culture.given[person.gender].filter((g) => g !== of.given)) };
}

/** Same given name, another family. */
function namesake(random: Random, of: Person): Person {
  const person = freshPerson(random, of.culture);
  return { ...person, gender: of.gender, given: of.given, middle: of.middle, surname: pick(random, of.culture.surnames.filter((s) => s !== of.surname)) };
}

export interface NameSet {
  people: number;
  records: NameRecord[];
}

/** `people` people from every pool, each written 2 to 5 ways. */
export function generateNameSet(seed: number, people: number): NameSet {
  const random = seededRandom(seed);
  const drawn: Person[] = [];
  const owner = new Map<string, number>();
  while (drawn.length < people) {
    const r = random();
    const person = drawn.length > 0 && r < 0.2 ? sibling(random, pick(random, drawn)) : drawn.length > 0 && r < 0.3 ? namesake(random, pick(random, drawn)) : freshPerson(random, pick(random, CULTURES));
    const key = gramKey(canonicalName(person));
    if (owner.has(key)) continue;
    owner.set(key, drawn.length);
    drawn.push(person);
  }
  const records: NameRecord[] = [];
  drawn.forEach((person, id) => {
    const name = canonicalName(person);
    const mine = [{ person: id, culture: person.culture.name, name, ops: [] as string[] }];
    const wanted = 2 + Math.floor(random() * 4);
    for (let attempt = 0; mine.length < wanted && attempt < 20; attempt++) {
      const written = variant(random, person);
      const key = gramKey(written.name);
      if (mine.some((r) => r.name === written.name) || (owner.get(key) ?? id) !== id) continue;
      owner.set(key, id);
      mine.push({ person: id, culture: person.culture.name, ...written });
    }
    records.push(...mine);
  });
  return { people: drawn.length, records };
}
