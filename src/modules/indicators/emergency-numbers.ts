/**
 * The police emergency number per country, from content/indicators/emergency-numbers.json. Every
 * report form shows one; a wrong or missing entry falls back to 112, which GSM phones route to the
 * local emergency service in most of the world.
 */
import path from 'node:path';
import fs from 'node:fs';
import { isCountryCode } from '../../core/countries.ts';
import { CONTENT_DIR, IndicatorContentError } from './taxonomy.ts';

const FILE = 'emergency-numbers.json';
const NUMBER = /^\d{2,6}$/;

export interface EmergencyNumbers {
  default: string;
  numbers: ReadonlyMap<string, string>;
  uncertain: ReadonlyMap<string, string>;
}

const notACountry = (table: string, code: string) => new IndicatorContentError(FILE, `${table}: "${code}" is not an ISO 3166-1 alpha-2 country code`);

export function loadEmergencyNumbers(dir: string = CONTENT_DIR): EmergencyNumbers {
  let source: Record<string, unknown>;
  try {
    source = JSON.parse(fs.readFileSync(path.join(dir, FILE), 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new IndicatorContentError(FILE, `cannot be read as JSON (${(error as Error).message})`);
  }
  if (typeof source.source !== 'string' || source.source.trim() === '') throw new IndicatorContentError(FILE, '"source" must say where the numbers come from');
  const fallback = source.default;
  if (typeof fallback !== 'string' || !NUMBER.test(fallback)) throw new IndicatorContentError(FILE, '"default" must be a number of 2 to 6 digits');
  const table = (name: string, check: (code: string, value: unknown) => void): Map<string, string> => {
    const value = source[name] ?? {};
    if (typeof value !== 'object' || Array.isArray(value)) throw new IndicatorContentError(FILE, `"${name}" must be an object keyed by country code`);
    const entries = new Map<string, string>();
    for (const [code, entry] of Object.entries(value as Record<string, unknown>)) {
      if (!isCountryCode(code)) throw notACountry(name, code);
      check(code, entry);
      entries.set(code, entry as string);
    }
    return entries;
  };
  const numbers = table('numbers', (code, value) => {
    if (typeof value !== 'string' || !NUMBER.test(value)) throw new IndicatorContentError(FILE, `numbers: "${code}" must be a number of 2 to 6 digits`);
  });
  const uncertain = table('uncertain', (code, value) => {
    if (typeof value !== 'string' || value.trim() === '') throw new IndicatorContentError(FILE, `uncertain: "${code}" must say what is uncertain`);
    if (!numbers.has(code)) throw new IndicatorContentError(FILE, `uncertain: "${code}" has no number`);
  });
  return Object.freeze({ default: fallback, numbers, uncertain });
}

let cached: EmergencyNumbers | undefined;

function numbers(): EmergencyNumbers {
  cached ??= loadEmergencyNumbers();
  return cached;
}

/** The number to call the police in an emergency in a country (ISO alpha-2, any case); 112 when unknown. */
export function emergencyNumber(countryCode: string | undefined): string {
  const table = numbers();
  if (!countryCode) return table.default;
  return table.numbers.get(countryCode.toUpperCase()) ?? table.default;
}
