/**
 * What other modules ask of the taxonomy. Everything here is public content: no actor, no database,
 * no authorisation. Unknown languages fall back to English so a form is never left without text.
 */
import { isLanguage } from '../../core/i18n.ts';
import { emergencyNumber } from './emergency-numbers.ts';
import { content, type LocalisedTaxonomy, type Taxonomy } from './taxonomy.ts';

export function taxonomy(): Taxonomy {
  return content().taxonomy;
}

/** The taxonomy with its text in one language (English when the language is not one CAST speaks). */
export function localisedTaxonomy(language: string): LocalisedTaxonomy {
  const loaded = content();
  return loaded.localised.get(isLanguage(language) ? language : 'en')!;
}

/** "If someone is in danger right now, call the police on 999." in the reader's language, for their country. */
export function emergencyAdvice(language: string, countryCode: string | undefined): string {
  const sentence = content().emergencySentence.get(isLanguage(language) ? language : 'en')!;
  return sentence.replace('{{number}}', emergencyNumber(countryCode));
}

export { emergencyNumber };
