/**
 * The warning list: identifiers known to be benign (emergency numbers, helplines, the charity's own
 * addresses, switchboards an instance names) never link reports. Entries are normalised like
 * reporters' identifiers and kept only as blind indexes, so a match costs a set lookup.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { countryList } from '../../core/countries.ts';
import { emergencyNumber } from '../indicators/index.ts';
import { blindIndex, IDENTIFIER_KINDS, normaliseIdentifier, type IdentifierKind } from '../reports/index.ts';
import { keyOf } from './store.ts';

const FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../content/correlation/warning-list.json');

export interface WarningEntry {
  kind: IdentifierKind;
  value: string;
}

/** The built-in list (content/correlation/warning-list.json) and every country's police emergency number. */
export function builtInWarningList(): WarningEntry[] {
  const parsed = JSON.parse(fs.readFileSync(FILE, 'utf8')) as { entries: WarningEntry[] };
  const emergency = new Set(countryList('en').map((c) => emergencyNumber(c.code)));
  return [...parsed.entries, ...[...emergency].map((value) => ({ kind: 'phone' as const, value }))];
}

/** Parses `kind:value,kind:value` (CAST_LINK_WARNING_LIST); entries with an unknown kind are errors. */
export function parseWarningList(text: string | undefined): { entries: WarningEntry[]; errors: string[] } {
  const entries: WarningEntry[] = [];
  const errors: string[] = [];
  for (const part of (text ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const at = part.indexOf(':');
    const kind = part.slice(0, at);
    if (at < 1 || !(IDENTIFIER_KINDS as readonly string[]).includes(kind) || part.slice(at + 1).trim() === '') errors.push(part);
    else entries.push({ kind: kind as IdentifierKind, value: part.slice(at + 1).trim() });
  }
  return { entries, errors };
}

/** The set of `kind:hex(blind index)` keys that never link. */
export function warningKeys(key: Buffer, entries: readonly WarningEntry[]): Set<string> {
  return new Set(entries.map((entry) => keyOf(entry.kind, blindIndex(key, normaliseIdentifier(entry.kind, entry.value)))));
}
