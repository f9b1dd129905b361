/**
 * The packs module's use cases. Packs, "what to look for" pages and self-check scenarios are public
 * content: no actor and no authorisation. The one write, a self-check, stores only anonymous
 * totals, and only after the whole submission has been checked.
 */
import type { Kysely } from 'kysely';
import { naturalBatches } from '../../core/batching.ts';
import type { Tables } from '../../core/db/tables.ts';
import { isLanguage, type Language } from '../../core/i18n.ts';
import { invalid, notFound, ok, type Outcome } from '../../core/outcome.ts';
import { taxonomy } from '../indicators/index.ts';
import { AUDIENCES, packContent, TOPICS, type Pack, type PackAudience, type PackText, type PackTopic } from './content.ts';
import { indicatorPage, lookFor, type IndicatorPage, type LookFor } from './look-for.ts';
import { packPdf, type PackPdf } from './pdf.ts';
import { checkPicked, evaluate, type SelfCheckResult } from './self-check.ts';
import * as store from './store.ts';

export interface PackSummary {
  slug: string;
  version: number;
  updated: string;
  audiences: readonly PackAudience[];
  topic: PackTopic;
  language: Language;
  title: string;
  summary: string;
  languages: readonly Language[];
}

export interface PackView extends PackSummary {
  text: PackText;
  lookFor: LookFor;
}

function summaryOf(pack: Pack, language: Language): PackSummary {
  const text = pack.text.get(language)!;
  return { slug: pack.slug, version: pack.version, updated: pack.updated, audiences: pack.audiences, topic: pack.topic, language, title: text.title, summary: text.summary, languages: [...pack.text.keys()] };
}

/** Packs for an audience and/or on a topic (both optional), in the reader's language. */
export function listPacks(filter: { audience?: string | undefined; topic?: string | undefined; language: Language }): Outcome<PackSummary[]> {
  const errors: Record<string, string> = {};
  if (filter.audience && !(AUDIENCES as readonly string[]).includes(filter.audience)) errors.audience = 'packs.errors.unknownAudience';
  if (filter.topic && !(TOPICS as readonly string[]).includes(filter.topic)) errors.topic = 'packs.errors.unknownTopic';
  if (Object.keys(errors).length > 0) return invalid(errors);
  const packs = [...packContent().packs.values()].filter(
    (pack) => (!filter.audience || pack.audiences.includes(filter.audience as PackAudience)) && (!filter.topic || pack.topic === filter.topic),
  );
  return ok(packs.map((pack) => summaryOf(pack, filter.language)));
}

/** Which pack, language and version an address asks for; a 404 says which of the three is unknown. */
function resolve(slug: string, asked: { language: string | undefined; version: string | undefined }, fallback: Language): Outcome<{ pack: Pack; text: PackText }> {
  const pack = packContent().packs.get(slug);
  if (!pack) return notFound('packs.errors.unknownPack');
  const language = asked.language ?? fallback;
  if (!isLanguage(language) || !pack.text.has(language)) return notFound('packs.errors.unknownLanguage');
  if (asked.version !== undefined && asked.version !== String(pack.version)) return notFound('packs.errors.unknownVersion');
  return ok({ pack, text: pack.text.get(language)! });
}

export function getPack(slug: string, asked: { language: string | undefined; version: string | undefined }, fallback: Language): Outcome<PackView> {
  const found = resolve(slug, asked, fallback);
  if (!found.ok) return found;
  const { pack, text } = found.value;
  return ok({ ...summaryOf(pack, text.language), text, lookFor: lookFor(text.language, text.lookFor) });
}

export async function getPackPdf(slug: string, asked: { language: string | undefined; version: string | undefined }, fallback: Language, publicUrl: string): Promise<Outcome<PackPdf>> {
  const found = resolve(slug, asked, fallback);
  if (!found.ok) return found;
  return ok(await packPdf(found.value.text, taxonomy().version, publicUrl));
}

export function getIndicatorPage(type: string, language: Language, country: string | undefined): Outcome<IndicatorPage> {
  const page = indicatorPage(type, language, country);
  return page ? ok(page) : notFound('packs.errors.unknownType');
}

/** The packs whose "what to look for" covers an exploitation type, for its public page. */
export function packsAbout(type: string, language: Language): PackSummary[] {
  return [...packContent().packs.values()].filter((pack) => pack.text.get(language)!.lookFor.types.includes(type)).map((pack) => summaryOf(pack, language));
}

// ---------------------------------------------------------------- self-check

export function scenarioList(language: Language): { id: string; title: string; type: string }[] {
  return [...packContent().scenarios.values()].map((s) => ({ id: s.id, title: s.text.get(language)!.title, type: s.type }));
}

export function getScenario(id: string, language: Language) {
  const scenario = packContent().scenarios.get(id);
  if (!scenario) return notFound('packs.errors.unknownScenario');
  return ok({ id, type: scenario.type, ...scenario.text.get(language)! });
}

/** The explained answer to a set of ticks, without storing anything (the result page a redirect leads to). */
export function selfCheckResult(id: string, picked: unknown, language: Language): Outcome<SelfCheckResult> {
  const scenario = packContent().scenarios.get(id);
  if (!scenario) return notFound('packs.errors.unknownScenario');
  const checked = checkPicked(scenario, picked);
  if (!checked.ok) return checked;
  return ok(evaluate(scenario, language, checked.value));
}

export type SelfCheckRecorder = (check: { scenarioId: string; picked: readonly string[] }) => Promise<void>;

/** Adds checks to the totals, many per statement when they arrive together; each caller waits for its own to be stored. */
export function createSelfCheckRecorder(db: Kysely<Tables>): SelfCheckRecorder {
  const enqueue = naturalBatches<{ check: { scenarioId: string; picked: readonly string[] }; settle: (error?: Error) => void }>(async (batch) => {
    try {
      await store.addToTotals(
        db,
        batch.map((item) => item.check),
      );
      for (const item of batch) item.settle();
    } catch (error) {
      const failure = error instanceof Error ? error : new Error('the self-check totals could not be stored');
      for (const item of batch) item.settle(failure);
    }
  }, 500);
  return (check) => new Promise<void>((resolve, reject) => enqueue({ check, settle: (error) => (error ? reject(error) : resolve()) }));
}

/** Checks a submission and, only when all of it is valid, adds it to the anonymous totals. */
export async function submitSelfCheck(record: SelfCheckRecorder, id: string, picked: unknown, language: Language): Promise<Outcome<SelfCheckResult>> {
  const result = selfCheckResult(id, picked, language);
  if (!result.ok) return result;
  await record({ scenarioId: id, picked: result.value.options.filter((o) => o.picked).map((o) => o.id) });
  return result;
}

export async function selfCheckTotals(db: Kysely<Tables>, id: string): Promise<Outcome<{ checks: number; picked: Record<string, number> }>> {
  const scenario = packContent().scenarios.get(id);
  if (!scenario) return notFound('packs.errors.unknownScenario');
  const totals = await store.totalsOf(db, id);
  return ok({ checks: totals.checks, picked: Object.fromEntries(scenario.optionIds.map((option) => [option, totals.picked.get(option) ?? 0])) });
}

// ---------------------------------------------------------------- for other modules

/** Every pack as a choice for a form (the groups' activity log), titled in the reader's language. */
export function packChoices(language: Language): { value: string; label: string }[] {
  return [...packContent().packs.values()].map((pack) => ({ value: pack.slug, label: pack.text.get(language)!.title }));
}

export function isPackSlug(value: string): boolean {
  return packContent().packs.has(value);
}

/** A pack's title in a language, or undefined for a slug that is not a pack (e.g. free text logged before packs existed). */
export function packTitle(slug: string, language: Language): string | undefined {
  return packContent().packs.get(slug)?.text.get(language)?.title;
}
