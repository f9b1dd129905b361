/**
 * The indicator taxonomy ("what to look for"), read from content/indicators/ once and checked as a
 * whole: a report stores only ids, so an id that is missing, duplicated, malformed or untranslated
 * would silently break every report form and statistic built on it. A bad file fails loudly at
 * first use, naming the file and the id.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES } from '../../core/i18n.ts';

export const CONTENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../content/indicators');

const SIMPLE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const INDICATOR_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface IndicatorEntry {
  id: string;
  category: string;
  exploitationTypes: readonly string[];
}

export interface Taxonomy {
  version: string;
  cautions: readonly string[];
  exploitationTypes: readonly string[];
  placeTypes: readonly string[];
  ageBands: readonly string[];
  genders: readonly string[];
  categories: readonly { id: string; indicators: readonly string[] }[];
  indicators: ReadonlyMap<string, IndicatorEntry>;
}

export interface Label {
  id: string;
  label: string;
}

export interface LocalisedTaxonomy {
  version: string;
  language: string;
  cautions: string[];
  exploitationTypes: { id: string; label: string; description: string }[];
  placeTypes: Label[];
  ageBands: Label[];
  genders: Label[];
  categories: { id: string; label: string; indicators: { id: string; label: string; hint: string; exploitationTypes: string[] }[] }[];
}

/** The content as loaded: the structure, and the localised taxonomy and emergency sentence per language. */
export interface LoadedContent {
  taxonomy: Taxonomy;
  localised: ReadonlyMap<string, LocalisedTaxonomy>;
  emergencySentence: ReadonlyMap<string, string>;
}

export class IndicatorContentError extends Error {
  constructor(file: string, detail: string) {
    super(`Indicator content ${file}: ${detail}`);
    this.name = 'IndicatorContentError';
  }
}

type Json = Record<string, unknown>;

function readJson(dir: string, name: string): Json {
  const file = path.join(dir, name);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new IndicatorContentError(name, `cannot be read as JSON (${(error as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new IndicatorContentError(name, 'must hold a JSON object');
  return parsed as Json;
}

function idList(file: string, source: Json, field: string): string[] {
  const value = source[field];
  if (!Array.isArray(value) || value.length === 0) throw new IndicatorContentError(file, `"${field}" must be a non-empty list of ids`);
  const seen = new Set<string>();
  for (const id of value) {
    if (typeof id !== 'string' || !SIMPLE_ID.test(id)) throw new IndicatorContentError(file, `${field}: id ${JSON.stringify(id)} is not lower-case words joined by "-"`);
    if (seen.has(id)) throw new IndicatorContentError(file, `${field}: id "${id}" appears twice`);
    seen.add(id);
  }
  return value as string[];
}

function readStructure(dir: string): Taxonomy {
  const file = 'taxonomy.json';
  const source = readJson(dir, file);
  const version = source.version;
  if (typeof version !== 'string' || version.trim() === '') throw new IndicatorContentError(file, '"version" must be a non-empty string');
  const exploitationTypes = idList(file, source, 'exploitationTypes');
  const known = new Set(exploitationTypes);
  const categories: { id: string; indicators: string[] }[] = [];
  const indicators = new Map<string, IndicatorEntry>();
  if (!Array.isArray(source.categories) || source.categories.length === 0) throw new IndicatorContentError(file, '"categories" must be a non-empty list');
  for (const raw of source.categories as Json[]) {
    const id = raw?.id;
    if (typeof id !== 'string' || !SIMPLE_ID.test(id)) throw new IndicatorContentError(file, `category id ${JSON.stringify(id)} is not lower-case words joined by "-"`);
    if (categories.some((c) => c.id === id)) throw new IndicatorContentError(file, `category "${id}" appears twice`);
    if (!Array.isArray(raw.indicators) || raw.indicators.length === 0) throw new IndicatorContentError(file, `category "${id}" has no indicators`);
    const ids: string[] = [];
    for (const item of raw.indicators as Json[]) {
      const indicatorId = item?.id;
      if (typeof indicatorId !== 'string' || !INDICATOR_ID.test(indicatorId)) throw new IndicatorContentError(file, `indicator id ${JSON.stringify(indicatorId)} in category "${id}" is not of the form "area.words-joined-by-dashes"`);
      if (indicators.has(indicatorId)) throw new IndicatorContentError(file, `indicator "${indicatorId}" appears twice`);
      const types = item.exploitationTypes;
      if (!Array.isArray(types) || types.length === 0) throw new IndicatorContentError(file, `indicator "${indicatorId}" names no exploitation type`);
      for (const type of types) {
        if (typeof type !== 'string' || !known.has(type)) throw new IndicatorContentError(file, `indicator "${indicatorId}" names unknown exploitation type ${JSON.stringify(type)}`);
      }
      if (new Set(types).size !== types.length) throw new IndicatorContentError(file, `indicator "${indicatorId}" names an exploitation type twice`);
      indicators.set(indicatorId, Object.freeze({ id: indicatorId, category: id, exploitationTypes: Object.freeze([...(types as string[])]) }));
      ids.push(indicatorId);
    }
    categories.push({ id, indicators: ids });
  }
  return Object.freeze({
    version,
    cautions: Object.freeze(idList(file, source, 'cautions')),
    exploitationTypes: Object.freeze(exploitationTypes),
    placeTypes: Object.freeze(idList(file, source, 'placeTypes')),
    ageBands: Object.freeze(idList(file, source, 'ageBands')),
    genders: Object.freeze(idList(file, source, 'genders')),
    categories: Object.freeze(categories.map((c) => Object.freeze({ id: c.id, indicators: Object.freeze(c.indicators) }))),
    indicators,
  });
}

/** Reads the text of one language, refusing missing, empty and left-over (unknown id) entries. */
function readText(dir: string, language: string, structure: Taxonomy): { localised: LocalisedTaxonomy; emergency: string } {
  const file = `${language}.json`;
  const source = readJson(dir, file);
  const section = (name: string): Json => {
    const value = source[name];
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new IndicatorContentError(file, `"${name}" must be an object keyed by id`);
    return value as Json;
  };
  const text = (name: string, ids: readonly string[], what: string): Json => {
    const entries = section(name);
    for (const key of Object.keys(entries)) if (!ids.includes(key)) throw new IndicatorContentError(file, `${name}: text for unknown ${what} "${key}"`);
    return entries;
  };
  const words = (value: unknown, where: string): string => {
    if (typeof value !== 'string' || value.trim() === '') throw new IndicatorContentError(file, `no text for ${where}`);
    return value;
  };
  const labelled = (name: string, ids: readonly string[], what: string): Label[] => {
    const entries = text(name, ids, what);
    return ids.map((id) => ({ id, label: words(entries[id], `${what} "${id}"`) }));
  };
  const field = (value: unknown, key: string, where: string): string => words(value && typeof value === 'object' ? (value as Json)[key] : undefined, `${where} (${key})`);

  const cautions = text('cautions', structure.cautions, 'caution');
  const types = text('exploitationTypes', structure.exploitationTypes, 'exploitation type');
  const categoryLabels = text('categories', structure.categories.map((c) => c.id), 'category');
  const indicatorText = text('indicators', [...structure.indicators.keys()], 'indicator');
  const emergency = words(source.emergency, '"emergency"');
  if (!emergency.includes('{{number}}')) throw new IndicatorContentError(file, '"emergency" must contain {{number}}');

  const localised: LocalisedTaxonomy = {
    version: structure.version,
    language,
    cautions: structure.cautions.map((id) => words(cautions[id], `caution "${id}"`)),
    exploitationTypes: structure.exploitationTypes.map((id) => ({
      id,
      label: field(types[id], 'label', `exploitation type "${id}"`),
      description: field(types[id], 'description', `exploitation type "${id}"`),
    })),
    placeTypes: labelled('placeTypes', structure.placeTypes, 'place type'),
    ageBands: labelled('ageBands', structure.ageBands, 'age band'),
    genders: labelled('genders', structure.genders, 'gender'),
    categories: structure.categories.map((category) => ({
      id: category.id,
      label: words(categoryLabels[category.id], `category "${category.id}"`),
      indicators: category.indicators.map((id) => ({
        id,
        label: field(indicatorText[id], 'label', `indicator "${id}"`),
        hint: field(indicatorText[id], 'hint', `indicator "${id}"`),
        exploitationTypes: [...structure.indicators.get(id)!.exploitationTypes],
      })),
    })),
  };
  return { localised: deepFreeze(localised), emergency };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Loads and checks the taxonomy and its text in every language CAST speaks. */
export function loadContent(dir: string = CONTENT_DIR, languages: readonly string[] = LANGUAGES): LoadedContent {
  const taxonomy = readStructure(dir);
  const localised = new Map<string, LocalisedTaxonomy>();
  const emergencySentence = new Map<string, string>();
  for (const language of languages) {
    const read = readText(dir, language, taxonomy);
    localised.set(language, read.localised);
    emergencySentence.set(language, read.emergency);
  }
  return { taxonomy, localised, emergencySentence };
}

let cached: LoadedContent | undefined;

/** The checked content of content/indicators/, read on first use and kept: it changes only with a release. */
export function content(): LoadedContent {
  cached ??= loadContent();
  return cached;
}
