/**
 * "Would you know?": checks a person's ticks against a scenario and explains each option. Pure
 * functions; the only thing ever stored is a count per option (store.ts). A submission that names
 * an option the scenario does not have, names one twice or is not a list of ids is refused whole,
 * so a tampered form cannot add rows or skew the totals with made-up options.
 */
import type { Language } from '../../core/i18n.ts';
import { invalid, ok, type Outcome } from '../../core/outcome.ts';
import { localisedTaxonomy } from '../indicators/index.ts';
import { MAX_OPTIONS, type Scenario } from './scenarios.ts';

export interface SelfCheckOptionResult {
  id: string;
  text: string;
  picked: boolean;
  /** Whether this option is a sign worth recording. */
  sign: boolean;
  /** For a sign: the indicator it is an example of, in the taxonomy's words. */
  indicator: { id: string; label: string; hint: string } | undefined;
  /** For something that is not a sign: why not. */
  why: string | undefined;
}

export interface SelfCheckResult {
  scenario: string;
  language: Language;
  title: string;
  signs: number;
  noticed: number;
  /** Options ticked that are not signs. */
  notSignsPicked: number;
  options: SelfCheckOptionResult[];
  whatToDoHtml: string;
  lookForType: string;
}

/** The ticks as a list of the scenario's option ids, or `invalid` naming what was wrong. */
export function checkPicked(scenario: Scenario, picked: unknown): Outcome<string[]> {
  const list = picked === undefined ? [] : Array.isArray(picked) ? picked : [picked];
  if (list.length > MAX_OPTIONS || !list.every((id): id is string => typeof id === 'string')) return invalid({ picked: 'packs.errors.tampered' });
  if (new Set(list).size !== list.length || list.some((id) => !scenario.optionIds.includes(id))) return invalid({ picked: 'packs.errors.tampered' });
  return ok(list);
}

export function evaluate(scenario: Scenario, language: Language, picked: readonly string[]): SelfCheckResult {
  const text = scenario.text.get(language)!;
  const indicators = new Map(localisedTaxonomy(language).categories.flatMap((c) => c.indicators.map((i) => [i.id, i] as const)));
  const options = text.options.map((option): SelfCheckOptionResult => {
    const indicator = option.indicator ? indicators.get(option.indicator) : undefined;
    return {
      id: option.id,
      text: option.text,
      picked: picked.includes(option.id),
      sign: option.indicator !== undefined,
      indicator: indicator ? { id: indicator.id, label: indicator.label, hint: indicator.hint } : undefined,
      why: option.why,
    };
  });
  return {
    scenario: scenario.id,
    language,
    title: text.title,
    signs: options.filter((o) => o.sign).length,
    noticed: options.filter((o) => o.sign && o.picked).length,
    notSignsPicked: options.filter((o) => !o.sign && o.picked).length,
    options,
    whatToDoHtml: text.whatToDoHtml,
    lookForType: scenario.type,
  };
}
