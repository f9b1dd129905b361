/** The content check: ids, translations, consistency and emergency numbers, and clear errors for bad files. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { isCountryCode } from '../../core/countries.ts';
import { LANGUAGES } from '../../core/i18n.ts';
import { loadEmergencyNumbers } from './emergency-numbers.ts';
import { emergencyAdvice, emergencyNumber, localisedTaxonomy, taxonomy } from './index.ts';
import { CONTENT_DIR, loadContent } from './taxonomy.ts';

const EU_EEA = ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO'];
const ALSO_REQUIRED = ['GB', 'US', 'CA', 'AU', 'NZ', 'IN', 'NG', 'GH', 'CI', 'ZA', 'KE', 'BR', 'MX', 'PH', 'TH', 'VN', 'CN', 'JP'];

describe('indicator taxonomy content', () => {
  test('every id is well-formed and unique, and indicators point only to known exploitation types', () => {
    const t = taxonomy();
    assert.match(t.version, /\S/);
    for (const list of [t.exploitationTypes, t.placeTypes, t.ageBands, t.genders, t.categories.map((c) => c.id)]) {
      assert.equal(new Set(list).size, list.length);
      for (const id of list) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
    const listed = t.categories.flatMap((c) => c.indicators);
    assert.equal(new Set(listed).size, listed.length);
    assert.deepEqual([...t.indicators.keys()].sort(), [...listed].sort());
    for (const [id, indicator] of t.indicators) {
      assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(t.categories.find((c) => c.id === indicator.category)?.indicators.includes(id), `${id} is in its category`);
      assert.ok(indicator.exploitationTypes.length > 0);
      for (const type of indicator.exploitationTypes) assert.ok(t.exploitationTypes.includes(type), `${id} → ${type}`);
    }
  });

  test('what the report form and the brief rely on is there', () => {
    const t = taxonomy();
    for (const type of ['sexual', 'labour', 'domestic-servitude', 'criminal', 'child']) assert.ok(t.exploitationTypes.includes(type), type);
    for (const place of ['house', 'massage-parlour', 'nail-bar', 'car-wash', 'hotel', 'farm', 'factory', 'construction-site', 'restaurant', 'street', 'vehicle', 'online', 'other']) assert.ok(t.placeTypes.includes(place), place);
    assert.deepEqual(t.ageBands, ['under-13', '13-17', '18-24', '25-39', '40-plus', 'unknown']);
    assert.deepEqual(t.genders, ['female', 'male', 'other']);
    assert.ok(t.indicators.has('sex.many-visitors'));
    assert.equal(t.cautions.length, 2);
    // Each kind of exploitation with signs of its own has at least one indicator pointing to it.
    for (const type of ['sexual', 'labour', 'domestic-servitude', 'criminal', 'child']) assert.ok([...t.indicators.values()].some((i) => i.exploitationTypes.includes(type)), type);
  });

  test('every id has text in English and in French, and the French is not a copy of the English', () => {
    const en = localisedTaxonomy('en');
    for (const language of LANGUAGES) {
      const l = localisedTaxonomy(language);
      assert.equal(l.language, language);
      const texts = [
        ...l.cautions,
        ...l.exploitationTypes.flatMap((e) => [e.label, e.description]),
        ...[...l.placeTypes, ...l.ageBands, ...l.genders].map((x) => x.label),
        ...l.categories.flatMap((c) => [c.label, ...c.indicators.flatMap((i) => [i.label, i.hint])]),
      ];
      for (const text of texts) assert.match(text, /\S/);
      assert.equal(l.categories.flatMap((c) => c.indicators).length, taxonomy().indicators.size);
    }
    const fr = localisedTaxonomy('fr');
    const frHints = new Map(fr.categories.flatMap((c) => c.indicators.map((i) => [i.id, i.hint])));
    for (const indicator of en.categories.flatMap((c) => c.indicators)) assert.notEqual(frHints.get(indicator.id), indicator.hint, indicator.id);
    assert.match(fr.cautions[1]!, /religion/);
  });

  test('an unknown language gets English', () => {
    assert.equal(localisedTaxonomy('de'), localisedTaxonomy('en'));
    assert.equal(localisedTaxonomy('').language, 'en');
  });

  test('what callers get cannot be changed by them', () => {
    const l = localisedTaxonomy('en');
    assert.throws(() => l.cautions.push('x'));
    assert.throws(() => ((taxonomy().exploitationTypes as string[])[0] = 'x'));
  });
});

describe('emergency numbers', () => {
  test('every entry is a valid country code with a number of digits, and the required countries are covered', () => {
    const table = loadEmergencyNumbers();
    assert.equal(table.default, '112');
    for (const [code, number] of table.numbers) {
      assert.ok(isCountryCode(code), code);
      assert.match(number, /^\d{2,6}$/, code);
    }
    for (const code of [...EU_EEA, ...ALSO_REQUIRED]) assert.ok(table.numbers.has(code), `${code} is covered`);
    const file = JSON.parse(fs.readFileSync(path.join(CONTENT_DIR, 'emergency-numbers.json'), 'utf8')) as { source: string };
    assert.match(file.source, /Wikipedia|European Commission/);
  });

  test('emergencyNumber: by code in any case, 112 when unknown or absent', () => {
    assert.equal(emergencyNumber('GB'), '999');
    assert.equal(emergencyNumber('gb'), '999');
    assert.equal(emergencyNumber('US'), '911');
    assert.equal(emergencyNumber('FR'), '17');
    assert.equal(emergencyNumber('AU'), '000');
    assert.equal(emergencyNumber('NL'), '112');
    assert.equal(emergencyNumber('ZZ'), '112');
    assert.equal(emergencyNumber(''), '112');
    assert.equal(emergencyNumber(undefined), '112');
  });

  test('emergencyAdvice puts the country’s number into the reader’s language', () => {
    assert.equal(emergencyAdvice('en', 'GB'), 'If someone is in danger right now, call the police on 999.');
    assert.match(emergencyAdvice('fr', 'CI'), /appelez la police au 170/);
    assert.match(emergencyAdvice('xx', undefined), /call the police on 112/);
  });
});

describe('a bad content file', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  interface TaxonomyFile {
    version?: string;
    placeTypes: string[];
    categories: { indicators: { id: string; exploitationTypes: string[] }[] }[];
  }
  interface TextFile {
    emergency: string;
    placeTypes: Record<string, string>;
    indicators: Record<string, { label?: string; hint?: string }>;
  }
  interface NumbersFile {
    source?: string;
    numbers: Record<string, string>;
  }

  /** A copy of the real content with one file changed. */
  function contentWith<T>(file: string, change: (json: T) => void): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cast-indicators-'));
    dirs.push(dir);
    for (const name of fs.readdirSync(CONTENT_DIR)) fs.copyFileSync(path.join(CONTENT_DIR, name), path.join(dir, name));
    const json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as T;
    change(json);
    fs.writeFileSync(path.join(dir, file), JSON.stringify(json));
    return dir;
  }
  const structure = (change: (json: TaxonomyFile) => void) => () => contentWith('taxonomy.json', change);
  const text = (language: string, change: (json: TextFile) => void) => () => contentWith(`${language}.json`, change);
  const numbers = (change: (json: NumbersFile) => void) => contentWith('emergency-numbers.json', change);

  const cases: { name: string; dir: () => string; error: RegExp }[] = [
    { name: 'a duplicated indicator', dir: structure((j) => j.categories[1]!.indicators.push({ id: 'person.fearful', exploitationTypes: ['sexual'] })), error: /taxonomy\.json: indicator "person\.fearful" appears twice/ },
    { name: 'a malformed indicator id', dir: structure((j) => (j.categories[0]!.indicators[0]!.id = 'Person Fearful')), error: /taxonomy\.json: indicator id "Person Fearful"/ },
    { name: 'an unknown exploitation type', dir: structure((j) => (j.categories[1]!.indicators[0]!.exploitationTypes = ['sexual', 'smuggling'])), error: /taxonomy\.json: indicator "sex\.many-visitors" names unknown exploitation type "smuggling"/ },
    { name: 'a duplicated place type', dir: structure((j) => j.placeTypes.push('hotel')), error: /taxonomy\.json: placeTypes: id "hotel" appears twice/ },
    { name: 'no version', dir: structure((j) => delete j.version), error: /taxonomy\.json: "version"/ },
    { name: 'a missing French hint', dir: text('fr', (j) => delete j.indicators['sex.many-visitors']!.hint), error: /fr\.json: no text for indicator "sex\.many-visitors" \(hint\)/ },
    { name: 'an empty English label', dir: text('en', (j) => (j.placeTypes['car-wash'] = ' ')), error: /en\.json: no text for place type "car-wash"/ },
    { name: 'text left over for an id that does not exist', dir: text('en', (j) => (j.indicators['sex.old-id'] = { label: 'x', hint: 'y' })), error: /en\.json: indicators: text for unknown indicator "sex\.old-id"/ },
    { name: 'an emergency sentence without the number', dir: text('fr', (j) => (j.emergency = 'Appelez la police.')), error: /fr\.json: "emergency" must contain \{\{number\}\}/ },
  ];
  for (const { name, dir, error } of cases) {
    test(`${name} is refused, naming the file and the id`, () => {
      assert.throws(() => loadContent(dir()), error);
    });
  }

  test('an invalid country code or number in the emergency numbers is refused', () => {
    assert.throws(() => loadEmergencyNumbers(numbers((j) => (j.numbers.XX = '112'))), /emergency-numbers\.json: numbers: "XX" is not an ISO 3166-1 alpha-2 country code/);
    assert.throws(() => loadEmergencyNumbers(numbers((j) => (j.numbers.GB = '999 or 112'))), /emergency-numbers\.json: numbers: "GB" must be a number/);
    assert.throws(() => loadEmergencyNumbers(numbers((j) => delete j.source)), /"source"/);
  });

  test('a file that is not JSON is refused, naming it', () => {
    const dir = contentWith('en.json', () => undefined);
    fs.writeFileSync(path.join(dir, 'en.json'), '{ not json');
    assert.throws(() => loadContent(dir), /Indicator content en\.json: cannot be read as JSON/);
  });
});
