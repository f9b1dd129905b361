/**
 * Checks a sanitised summary for what must not leave the group: the report's identifiers (as the
 * reporter wrote them and normalised), the names heard or seen and the reporter's contact. A match is a warning, not a
 * refusal — "AB12" may be a street number — so the coordinator confirms to save anyway.
 */
import type { IdentifierKind } from './tables.ts';

export interface SummaryWarning {
  kind: IdentifierKind | 'contact' | 'name';
  /** The text found in the summary, so the coordinator knows what to remove. */
  match: string;
}

/** Shorter fragments match too much ordinary text to mean anything. */
const MIN_LENGTH = 4;

/** Case, spaces and the punctuation people put inside numbers and plates do not hide a match. */
const compact = (text: string) => text.toLowerCase().replace(/[\s\-.()/]+/g, '');

/** A phone number in E.164 is also written nationally: +44 7700 900123 as 07700 900123. */
function phoneForms(normalised: string): string[] {
  const national = /^\+(?:1|7|[2-9]\d)(\d{6,})$/.exec(normalised);
  return national ? [normalised, `0${national[1]}`, national[1]!] : [normalised];
}

/** The parts of a contact line that could identify someone: e-mail addresses, numbers, handles, and the whole line. */
function contactParts(contact: string): string[] {
  const parts = contact.split(/[\s,;]+/).filter((part) => /[@\d]/.test(part) && compact(part).length >= MIN_LENGTH);
  const phones = contact.match(/\+?\d[\d\s\-().]{5,}\d/g) ?? [];
  return [contact, ...parts, ...phones];
}

export function summaryWarnings(summary: string, identifiers: readonly { kind: IdentifierKind; value: string; normalised: string }[], contact: string | null, names: readonly string[] = []): SummaryWarning[] {
  const haystack = compact(summary);
  const warnings: SummaryWarning[] = [];
  const seen = new Set<string>();
  const check = (kind: SummaryWarning['kind'], candidates: readonly string[]) => {
    for (const candidate of candidates) {
      const needle = compact(candidate);
      if (needle.length < MIN_LENGTH || !haystack.includes(needle)) continue;
      const key = `${kind}:${needle}`;
      if (!seen.has(key)) {
        seen.add(key);
        warnings.push({ kind, match: candidate.trim() });
      }
      return;
    }
  };
  for (const identifier of identifiers) {
    const forms = identifier.kind === 'phone' ? [identifier.value, ...phoneForms(identifier.normalised)] : [identifier.value, identifier.normalised];
    check(identifier.kind, forms);
  }
  // The whole name, and each of its words long enough to mean something ("Smyth runs the wash").
  for (const name of names) check('name', [name, ...name.split(/\s+/).filter((word) => compact(word).length >= MIN_LENGTH)]);
  if (contact) check('contact', contactParts(contact));
  return warnings;
}
