/**
 * The Action Packs as editors write them: `content/packs/<slug>/<language>.md`, Markdown with YAML
 * front matter. Read once and checked as a whole, so a pack missing a translation, a translation
 * left at an older version, an indicator id the taxonomy does not know, or a link to a pack, a
 * "what to look for" page, a self-check or a heading that does not exist fails loudly (at start-up
 * and in the content check of the test suite), naming the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, type Language } from '../../core/i18n.ts';
import { taxonomy, type Taxonomy } from '../indicators/index.ts';
import { parseMarkdown, renderHtml, type Heading, type ParsedMarkdown } from './markdown.ts';
import { frontMatter, onlyKeys, PackContentError, words } from './front-matter.ts';
import { readScenarios, type Scenario } from './scenarios.ts';

export { PackContentError };

export const PACKS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../content/packs');
/** Folders of content/packs that are not packs. */
const NOT_PACKS = new Set(['fonts', 'self-check']);

export const AUDIENCES = ['schools', 'community-groups', 'businesses', 'individuals'] as const;
export const TOPICS = ['sex-trafficking', 'chocolate'] as const;
export type PackAudience = (typeof AUDIENCES)[number];
export type PackTopic = (typeof TOPICS)[number];

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface PackActivity {
  title: string;
  /** Time needed, as written ("45 minutes"). */
  time: string;
  materials: string;
  /** Age range, for activities meant for schools. */
  ages: string | undefined;
  description: string;
}

/** One pack in one language, at its current version. */
export interface PackText {
  slug: string;
  language: Language;
  version: number;
  updated: string;
  title: string;
  summary: string;
  audiences: readonly PackAudience[];
  topic: PackTopic;
  /** Exploitation types whose indicators the pack shows, and indicator ids shown as well. */
  lookFor: { types: readonly string[]; indicators: readonly string[] };
  activities: readonly PackActivity[];
  body: string;
  html: string;
  parsed: ParsedMarkdown;
  headings: readonly Heading[];
}

export interface Pack {
  slug: string;
  version: number;
  updated: string;
  audiences: readonly PackAudience[];
  topic: PackTopic;
  text: ReadonlyMap<Language, PackText>;
}

export interface PackContent {
  packs: ReadonlyMap<string, Pack>;
  scenarios: ReadonlyMap<string, Scenario>;
}

type Json = Record<string, unknown>;

function list(file: string, value: unknown, where: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new PackContentError(file, `${where} must be a list`);
  return value;
}

function readPackText(dir: string, slug: string, language: Language, known: Taxonomy): PackText {
  const file = `${slug}/${language}.md`;
  const full = path.join(dir, slug, `${language}.md`);
  if (!fs.existsSync(full)) throw new PackContentError(file, `missing translation: pack "${slug}" has no ${language} text`);
  const { data, body } = frontMatter(file, fs.readFileSync(full, 'utf8'));
  onlyKeys(file, data, ['version', 'updated', 'title', 'summary', 'audiences', 'topic', 'lookFor', 'activities'], 'front matter');
  const version = data.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new PackContentError(file, '"version" must be a whole number from 1');
  // YAML reads an unquoted date as a Date.
  const updated = data.updated instanceof Date ? data.updated.toISOString().slice(0, 10) : data.updated;
  if (typeof updated !== 'string' || !DATE.test(updated)) throw new PackContentError(file, '"updated" must be a date written YYYY-MM-DD');
  const audiences = list(file, data.audiences, '"audiences"');
  if (audiences.length === 0) throw new PackContentError(file, '"audiences" must name at least one audience');
  for (const audience of audiences) if (!(AUDIENCES as readonly unknown[]).includes(audience)) throw new PackContentError(file, `unknown audience ${JSON.stringify(audience)} (known: ${AUDIENCES.join(', ')})`);
  if (!(TOPICS as readonly unknown[]).includes(data.topic)) throw new PackContentError(file, `unknown topic ${JSON.stringify(data.topic)} (known: ${TOPICS.join(', ')})`);
  const lookForRaw = (data.lookFor ?? {}) as Json;
  if (typeof lookForRaw !== 'object' || Array.isArray(lookForRaw)) throw new PackContentError(file, '"lookFor" must hold "types" and/or "indicators"');
  onlyKeys(file, lookForRaw, ['types', 'indicators'], '"lookFor"');
  const types = list(file, lookForRaw.types, '"lookFor.types"') as string[];
  for (const type of types) if (!known.exploitationTypes.includes(type)) throw new PackContentError(file, `unknown exploitation type ${JSON.stringify(type)} in "lookFor.types"`);
  const indicators = list(file, lookForRaw.indicators, '"lookFor.indicators"') as string[];
  for (const id of indicators) if (typeof id !== 'string' || !known.indicators.has(id)) throw new PackContentError(file, `unknown indicator id ${JSON.stringify(id)} in "lookFor.indicators"`);
  if (types.length + indicators.length === 0) throw new PackContentError(file, '"lookFor" must name at least one exploitation type or indicator');
  const activities = list(file, data.activities, '"activities"').map((raw, index) => {
    const where = `activity ${index + 1}`;
    if (!raw || typeof raw !== 'object') throw new PackContentError(file, `${where} must have a title, time, materials and description`);
    const activity = raw as Json;
    onlyKeys(file, activity, ['title', 'time', 'materials', 'ages', 'description'], where);
    return {
      title: words(file, activity.title, `${where} "title"`),
      time: words(file, activity.time, `${where} "time"`),
      materials: words(file, activity.materials, `${where} "materials"`),
      ages: activity.ages === undefined ? undefined : words(file, activity.ages, `${where} "ages"`),
      description: words(file, activity.description, `${where} "description"`),
    };
  });
  if (activities.length === 0) throw new PackContentError(file, 'a pack needs at least one activity');
  if (audiences.includes('schools') && activities.some((a) => a.ages === undefined)) throw new PackContentError(file, 'a pack for schools gives an age range ("ages") for every activity');
  const parsed = parseMarkdown(body);
  if (parsed.headings.length === 0) throw new PackContentError(file, 'the Markdown body has no headings');
  return {
    slug,
    language,
    version,
    updated,
    title: words(file, data.title, '"title"'),
    summary: words(file, data.summary, '"summary"'),
    audiences: audiences as PackAudience[],
    topic: data.topic as PackTopic,
    lookFor: { types, indicators },
    activities,
    body,
    html: renderHtml(parsed),
    parsed,
    headings: parsed.headings,
  };
}

/** What every language of a pack must agree on: a translation is of the same version and shape. */
function sameShape(slug: string, first: PackText, other: PackText): void {
  const file = `${slug}/${other.language}.md`;
  const differs = (what: string) => new PackContentError(file, `${what} differs from ${slug}/${first.language}.md (a translation must be of the same version)`);
  if (other.version !== first.version) throw differs(`"version" ${other.version}`);
  if (other.updated !== first.updated) throw differs('"updated"');
  if (other.topic !== first.topic) throw differs('"topic"');
  if (JSON.stringify(other.audiences) !== JSON.stringify(first.audiences)) throw differs('"audiences"');
  if (JSON.stringify(other.lookFor) !== JSON.stringify(first.lookFor)) throw differs('"lookFor"');
  if (other.activities.length !== first.activities.length) throw differs('the number of activities');
  if (other.headings.length !== first.headings.length) throw differs('the number of headings');
}

/** Links inside CAST that the content itself can vouch for: packs, "what to look for" pages, self-checks, headings. */
function checkLinks(content: PackContent, known: Taxonomy): void {
  const check = (file: string, links: readonly string[], headings: readonly Heading[]) => {
    for (const link of links) {
      const [pathPart = '', anchor] = link.split('#', 2);
      if (pathPart === '' && anchor !== undefined) {
        if (!headings.some((h) => h.id === anchor)) throw new PackContentError(file, `broken link "${link}": no heading with that id`);
        continue;
      }
      if (!pathPart.startsWith('/')) {
        if (!/^(https:|mailto:|tel:)/.test(pathPart)) throw new PackContentError(file, `link "${link}" must be a path on this site (/…), https:, mailto: or tel:`);
        continue;
      }
      const [, section, id, extra] = pathPart.split('?')[0]!.split('/');
      const broken = () => new PackContentError(file, `broken link "${link}"`);
      if (section === 'packs' && id !== undefined && (!content.packs.has(id) || extra !== undefined)) throw broken();
      if (section === 'what-to-look-for' && id !== undefined && (!known.exploitationTypes.includes(id) || extra !== undefined)) throw broken();
      if (section === 'self-check' && id !== undefined && (!content.scenarios.has(id) || extra !== undefined)) throw broken();
    }
  };
  for (const pack of content.packs.values()) for (const text of pack.text.values()) check(`${pack.slug}/${text.language}.md`, text.parsed.links, text.headings);
  for (const scenario of content.scenarios.values()) for (const text of scenario.text.values()) check(`self-check/${scenario.id}/${text.language}.md`, text.links, []);
}

/** Loads and checks every pack and self-check scenario under `dir`. */
export function loadPackContent(dir: string = PACKS_DIR, known: Taxonomy = taxonomy(), languages: readonly Language[] = LANGUAGES): PackContent {
  const packs = new Map<string, Pack>();
  const folders = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !NOT_PACKS.has(entry.name))
    .map((entry) => entry.name)
    .sort();
  for (const slug of folders) {
    if (!SLUG.test(slug)) throw new PackContentError(slug, 'a pack folder is named in lower-case words joined by "-"');
    for (const name of fs.readdirSync(path.join(dir, slug))) {
      const language = name.replace(/\.md$/, '');
      if (!name.endsWith('.md') || !(languages as readonly string[]).includes(language)) throw new PackContentError(`${slug}/${name}`, `unexpected file (a pack holds ${languages.map((l) => `${l}.md`).join(', ')})`);
    }
    const text = new Map<Language, PackText>();
    for (const language of languages) text.set(language, readPackText(dir, slug, language, known));
    const first = text.get(languages[0]!)!;
    for (const other of text.values()) sameShape(slug, first, other);
    packs.set(slug, { slug, version: first.version, updated: first.updated, audiences: first.audiences, topic: first.topic, text });
  }
  if (packs.size === 0) throw new PackContentError(dir, 'holds no packs');
  const content: PackContent = { packs, scenarios: readScenarios(path.join(dir, 'self-check'), known, languages) };
  checkLinks(content, known);
  return content;
}

let cached: PackContent | undefined;

/** The checked content, read on first use and kept: it changes only with a release. */
export function packContent(): PackContent {
  cached ??= loadPackContent();
  return cached;
}
