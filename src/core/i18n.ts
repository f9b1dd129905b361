/**
 * Translations. Every string a person reads comes from content/locales/<lang>.json through here.
 * Output escaping is left to the renderer (Preact escapes by default), so i18next must not escape
 * too, or text would be escaped twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n } from 'i18next';

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Translate = (key: string, params?: Record<string, unknown>) => string;

export const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../content/locales');

/**
 * English and French text: `content/locales/<lang>.json` for the shared words, plus one
 * `content/locales/<module>.<lang>.json` per module, merged into one tree per language.
 */
export function loadLocale(lang: Language): Record<string, unknown> {
  const files = fs.readdirSync(LOCALES_DIR).filter((file) => file === `${lang}.json` || file.endsWith(`.${lang}.json`)).sort();
  const tree: Record<string, unknown> = {};
  for (const file of files) mergeInto(tree, JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, file), 'utf8')) as Record<string, unknown>, file);
  return tree;
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>, file: string): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (value && typeof value === 'object' && existing && typeof existing === 'object') mergeInto(existing as Record<string, unknown>, value as Record<string, unknown>, file);
    else if (existing !== undefined) throw new Error(`Translation key "${key}" in ${file} is defined twice`);
    else target[key] = value;
  }
}

function loadResources() {
  return Object.fromEntries(LANGUAGES.map((lang) => [lang, { translation: loadLocale(lang) }]));
}

let instance: i18n | undefined;

function i18nInstance(): i18n {
  if (!instance) {
    instance = i18next.createInstance();
    void instance.init({
      resources: loadResources(),
      lng: 'en',
      fallbackLng: false,
      supportedLngs: [...LANGUAGES],
      initAsync: false,
      interpolation: { escapeValue: false },
      returnNull: false,
      nsSeparator: false,
      showSupportNotice: false,
      keySeparator: '.',
    });
  }
  return instance;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function translator(lang: Language): Translate {
  const t = i18nInstance().getFixedT(lang);
  return (key, params) => t(key, params ?? {});
}

/** Picks the best supported language from an Accept-Language header (RFC 9110 q-values). */
export function languageFromHeader(header: string | undefined): Language | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { base: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((entry) => entry.base && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked.map((entry) => entry.base).find(isLanguage);
}

/** Every key of a nested translation object, as dotted paths; used by the translation check. */
export function flattenKeys(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    value && typeof value === 'object' ? flattenKeys(value as Record<string, unknown>, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}
