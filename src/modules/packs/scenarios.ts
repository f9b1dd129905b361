/**
 * "Would you know?" scenarios: `content/packs/self-check/<id>/<language>.md`. The body tells a short
 * story; the front matter lists what a person might notice. An option that is a sign names its
 * indicator id (its explanation comes from the taxonomy, so it never drifts from the report form);
 * an option that is not a sign says why in `why`. Every language lists the same options in the same
 * order with the same indicators.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Language } from '../../core/i18n.ts';
import type { Taxonomy } from '../indicators/index.ts';
import { frontMatter, onlyKeys, PackContentError, words } from './front-matter.ts';
import { parseMarkdown, renderHtml } from './markdown.ts';

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A scenario offers at most this many options: the bound a submission is checked against too. */
export const MAX_OPTIONS = 12;

export interface ScenarioOption {
  id: string;
  /** The indicator this option is an example of; undefined when it is not a sign. */
  indicator: string | undefined;
  text: string;
  /** Why it is not a sign (options without an indicator). */
  why: string | undefined;
}

export interface ScenarioText {
  language: Language;
  title: string;
  storyHtml: string;
  whatToDoHtml: string;
  options: readonly ScenarioOption[];
  links: readonly string[];
}

export interface Scenario {
  id: string;
  /** The exploitation type whose "what to look for" page the result links to. */
  type: string;
  optionIds: readonly string[];
  text: ReadonlyMap<Language, ScenarioText>;
}

function readText(dir: string, id: string, language: Language, known: Taxonomy): ScenarioText & { type: string } {
  const file = `self-check/${id}/${language}.md`;
  const full = path.join(dir, id, `${language}.md`);
  if (!fs.existsSync(full)) throw new PackContentError(file, `missing translation: self-check "${id}" has no ${language} text`);
  const { data, body } = frontMatter(file, fs.readFileSync(full, 'utf8'));
  onlyKeys(file, data, ['title', 'type', 'options', 'whatToDo'], 'front matter');
  if (typeof data.type !== 'string' || !known.exploitationTypes.includes(data.type)) throw new PackContentError(file, `unknown exploitation type ${JSON.stringify(data.type)} in "type"`);
  if (!Array.isArray(data.options) || data.options.length < 2 || data.options.length > MAX_OPTIONS) throw new PackContentError(file, `"options" must list 2 to ${MAX_OPTIONS} options`);
  const options = data.options.map((raw: unknown, index: number): ScenarioOption => {
    const where = `option ${index + 1}`;
    if (!raw || typeof raw !== 'object') throw new PackContentError(file, `${where} must have an id and a text`);
    const option = raw as Record<string, unknown>;
    onlyKeys(file, option, ['id', 'indicator', 'text', 'why'], where);
    if (typeof option.id !== 'string' || !ID.test(option.id)) throw new PackContentError(file, `${where}: id must be lower-case words joined by "-"`);
    const indicator = option.indicator;
    if (indicator !== undefined && (typeof indicator !== 'string' || !known.indicators.has(indicator))) throw new PackContentError(file, `${where}: unknown indicator id ${JSON.stringify(indicator)}`);
    if (indicator === undefined && option.why === undefined) throw new PackContentError(file, `${where}: an option that is not a sign says "why"`);
    return { id: option.id, indicator: indicator, text: words(file, option.text, `${where} "text"`), why: option.why === undefined ? undefined : words(file, option.why, `${where} "why"`) };
  });
  if (new Set(options.map((o) => o.id)).size !== options.length) throw new PackContentError(file, 'two options have the same id');
  if (!options.some((o) => o.indicator) || options.every((o) => o.indicator)) throw new PackContentError(file, 'a scenario mixes signs and things that are not signs');
  const story = parseMarkdown(body);
  const whatToDo = parseMarkdown(words(file, data.whatToDo, '"whatToDo"'));
  return {
    language,
    type: data.type,
    title: words(file, data.title, '"title"'),
    storyHtml: renderHtml(story),
    whatToDoHtml: renderHtml(whatToDo),
    options,
    links: [...story.links, ...whatToDo.links],
  };
}

export function readScenarios(dir: string, known: Taxonomy, languages: readonly Language[]): Map<string, Scenario> {
  const scenarios = new Map<string, Scenario>();
  if (!fs.existsSync(dir)) return scenarios;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const id = entry.name;
    if (!ID.test(id)) throw new PackContentError(`self-check/${id}`, 'a scenario folder is named in lower-case words joined by "-"');
    const text = new Map<Language, ScenarioText>();
    let type = '';
    let shape = '';
    for (const language of languages) {
      const read = readText(dir, id, language, known);
      const thisShape = JSON.stringify([read.type, read.options.map((o) => [o.id, o.indicator ?? null])]);
      if (shape && thisShape !== shape) throw new PackContentError(`self-check/${id}/${language}.md`, `"type" or options (ids, order, indicators) differ from self-check/${id}/${languages[0]}.md`);
      shape = thisShape;
      type = read.type;
      text.set(language, read);
    }
    scenarios.set(id, { id, type, optionIds: text.get(languages[0]!)!.options.map((o) => o.id), text });
  }
  return scenarios;
}
