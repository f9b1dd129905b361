import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { flattenKeys, languageFromHeader, LANGUAGES, LOCALES_DIR, loadLocale, translator } from './i18n.ts';

const load = (lang: 'en' | 'fr') => loadLocale(lang);

test('every language has exactly the keys English has, none empty', () => {
  const english = new Set(flattenKeys(load('en')));
  for (const lang of LANGUAGES) {
    const keys = flattenKeys(load(lang));
    assert.deepEqual(new Set(keys), english, `${lang} differs from en`);
    const tree = load(lang);
    for (const key of keys) {
      const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree);
      assert.ok(typeof value === 'string' && value.trim().length > 0, `${lang}:${key} is empty`);
    }
  }
});

test('every translation key used in the source exists', () => {
  const english = new Set(flattenKeys(load('en')));
  const sources: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts')) sources.push(fs.readFileSync(full, 'utf8'));
    }
  };
  walk(path.resolve(LOCALES_DIR, '../../src'));
  const used = new Set<string>();
  for (const source of sources) {
    for (const match of source.matchAll(/\bt\('([a-zA-Z][\w.-]*)'/g)) used.add(match[1]!);
    for (const match of source.matchAll(/'((?:errors|account\.notices)\.[a-zA-Z]+)'/g)) used.add(match[1]!);
  }
  // A counted message lives under i18next's plural forms (key_one, key_other) rather than the key itself.
  const missing = [...used].filter((key) => !english.has(key) && !english.has(`${key}_other`));
  assert.deepEqual(missing, []);
});

test('Accept-Language picks the best supported language by q-value', () => {
  assert.equal(languageFromHeader('fr-CA,fr;q=0.9,en;q=0.8'), 'fr');
  assert.equal(languageFromHeader('de-DE,de;q=0.9,en;q=0.5,fr;q=0.7'), 'fr');
  assert.equal(languageFromHeader('de,es'), undefined);
  assert.equal(languageFromHeader('en;q=0, fr;q=0.1'), 'fr');
  assert.equal(languageFromHeader(undefined), undefined);
});

test('interpolated values are left for the renderer to escape', () => {
  assert.equal(translator('en')('account.tokens.revokeNamed', { name: '<b>' }), 'Revoke the token <b>');
  assert.equal(translator('fr')('nav.signIn'), 'Se connecter');
});
