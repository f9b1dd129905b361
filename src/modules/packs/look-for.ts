/**
 * "What to look for", always built from the indicator taxonomy at the moment it is shown: a pack
 * names exploitation types and indicator ids, never copies their text, so an indicator added to
 * or reworded in the taxonomy appears in every pack, page and PDF that covers it.
 */
import type { Language } from '../../core/i18n.ts';
import { emergencyAdvice, localisedTaxonomy, type LocalisedTaxonomy } from '../indicators/index.ts';

export interface LookForIndicator {
  id: string;
  label: string;
  hint: string;
}

export interface LookForGroup {
  category: string;
  label: string;
  indicators: LookForIndicator[];
}

export interface LookFor {
  taxonomyVersion: string;
  groups: LookForGroup[];
  cautions: string[];
}

/** The indicators that point to any of `types`, plus those named in `extra`, grouped by category in the taxonomy's order. */
export function lookFor(language: Language, selection: { types: readonly string[]; indicators: readonly string[] }, taxonomy: LocalisedTaxonomy = localisedTaxonomy(language)): LookFor {
  const groups = taxonomy.categories
    .map((category) => ({
      category: category.id,
      label: category.label,
      indicators: category.indicators
        .filter((indicator) => indicator.exploitationTypes.some((type) => selection.types.includes(type)) || selection.indicators.includes(indicator.id))
        .map(({ id, label, hint }) => ({ id, label, hint })),
    }))
    .filter((group) => group.indicators.length > 0);
  return { taxonomyVersion: taxonomy.version, groups, cautions: [...taxonomy.cautions] };
}

/** The exploitation types that have a public "what to look for" page: those with indicators of their own. */
export function lookForTypes(language: Language): { id: string; label: string; description: string }[] {
  const taxonomy = localisedTaxonomy(language);
  const covered = new Set(taxonomy.categories.flatMap((c) => c.indicators.flatMap((i) => i.exploitationTypes)));
  return taxonomy.exploitationTypes.filter((type) => covered.has(type.id)).map(({ id, label, description }) => ({ id, label, description }));
}

export interface IndicatorPage extends LookFor {
  type: string;
  language: Language;
  label: string;
  description: string;
  emergency: { country: string | undefined; advice: string };
  actions: { report: string; emergency: string };
}

/** The public page of one exploitation type; undefined when the type is unknown or has no indicators. */
export function indicatorPage(type: string, language: Language, country: string | undefined): IndicatorPage | undefined {
  const known = lookForTypes(language).find((t) => t.id === type);
  if (!known) return undefined;
  return {
    type,
    language,
    label: known.label,
    description: known.description,
    ...lookFor(language, { types: [type], indicators: [] }),
    emergency: { country, advice: emergencyAdvice(language, country) },
    actions: { report: '/report', emergency: `/what-to-look-for/${type}#emergency` },
  };
}
