/** Countries by ISO 3166-1 alpha-2 code, with their names in the languages CAST speaks. */
import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';
import type { Language } from './i18n.ts';

const require = createRequire(import.meta.url);
countries.registerLocale(require('i18n-iso-countries/langs/en.json') as countries.LocaleData);
countries.registerLocale(require('i18n-iso-countries/langs/fr.json') as countries.LocaleData);

export function isCountryCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{2}$/.test(value) && countries.isValid(value);
}

export function countryName(code: string, lang: Language): string {
  return countries.getName(code, lang) ?? code;
}

/** Every country, sorted by its name in the reader's language, for select lists. */
export function countryList(lang: Language): { code: string; name: string }[] {
  return Object.entries(countries.getNames(lang, { select: 'official' }))
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.name.localeCompare(b.name, lang));
}
