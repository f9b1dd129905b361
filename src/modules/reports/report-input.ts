/**
 * What a person may report, and the checks on it. Pure functions: the web form and the API both end
 * here, so both give the same field-level messages. Taxonomy ids (exploitation types, indicators,
 * place types, age bands, genders) come from content/indicators through the indicators module.
 */
import { isCountryCode } from '../../core/countries.ts';
import type { FieldErrors } from '../../core/outcome.ts';
import { taxonomy } from '../indicators/index.ts';
import { MAX_IDENTIFIER_LENGTH } from './identifiers.ts';
import { IDENTIFIER_KINDS, OBSERVED_TIMES, type IdentifierKind, type ObservedTime } from './tables.ts';

export const MAX_ACCOUNT_LENGTH = 20_000;
export const MAX_IDENTIFIERS = 50;
export const MAX_PEOPLE = 10_000;
export const MAX_NAMES = 20;
export const MAX_NAME_LENGTH = 200;
const MAX_PLACE_LENGTH = 500;
const MAX_VEHICLES_LENGTH = 2_000;
const MAX_CONTACT_LENGTH = 500;
const MAX_ROUTE_COUNTRIES = 20;
const EARLIEST_OBSERVATION = '1990-01-01';

export interface ReportInput {
  /** Where it happened (ISO 3166-1 alpha-2): routes the report and reads national phone numbers. */
  country: string;
  location?: { lat: number; lon: number } | undefined;
  /** An address or place name, when there is no point or as well as one. */
  place?: string | undefined;
  placeType?: string | undefined;
  observedFrom?: string | undefined;
  observedTo?: string | undefined;
  observedTime?: ObservedTime | undefined;
  exploitationTypes?: readonly string[] | undefined;
  indicators?: readonly string[] | undefined;
  peopleCount?: number | undefined;
  ageBands?: readonly string[] | undefined;
  genders?: readonly string[] | undefined;
  vehicles?: string | undefined;
  identifiers?: readonly { kind: string; value: string }[] | undefined;
  /** Names heard or seen: a person's name or nickname, a business name. Restricted (sealed). */
  names?: readonly string[] | undefined;
  route?: { origin?: readonly string[] | undefined; transit?: readonly string[] | undefined; destination?: readonly string[] | undefined } | undefined;
  /** The reporter's own account, in their words. */
  account?: string | undefined;
  contact?: string | undefined;
  contactConsent?: boolean | undefined;
}

/** The input after checking: trimmed, de-duplicated, empty parts dropped. */
export interface CheckedReport {
  country: string;
  location: { lat: number; lon: number } | undefined;
  place: string | undefined;
  placeType: string | undefined;
  observedFrom: string | undefined;
  observedTo: string | undefined;
  observedTime: ObservedTime | undefined;
  exploitationTypes: string[];
  indicators: string[];
  peopleCount: number | undefined;
  ageBands: string[];
  genders: string[];
  vehicles: string | undefined;
  identifiers: { kind: IdentifierKind; value: string }[];
  names: string[];
  route: { origin: string[]; transit: string[]; destination: string[] };
  account: string | undefined;
  contact: string | undefined;
  contactConsent: boolean;
}

const clean = (value: string | undefined | null): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};
const unique = (values: readonly string[] | undefined) => [...new Set((values ?? []).map((v) => v.trim()).filter(Boolean))];
const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/** The latest date anyone on Earth can be living in now (UTC+14), so no reporter's "today" is refused. */
function latestToday(now: Date): string {
  return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

function checkDate(value: string | undefined, field: string, errors: FieldErrors, now: Date): string | undefined {
  const date = clean(value);
  if (date === undefined) return undefined;
  if (!isDate(date) || date < EARLIEST_OBSERVATION) errors[field] = 'reports.errors.date';
  else if (date > latestToday(now)) errors[field] = 'reports.errors.futureDate';
  return date;
}

function checkChoices(values: string[], known: Iterable<string>, field: string, errorKey: string, errors: FieldErrors): void {
  const allowed = new Set(known);
  if (values.some((value) => !allowed.has(value))) errors[field] = errorKey;
}

export function checkReport(input: ReportInput, now = new Date()): { ok: true; value: CheckedReport } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const known = taxonomy();
  const country = (input.country ?? '').trim().toUpperCase();
  if (!isCountryCode(country)) errors.country = 'reports.errors.country';

  let location: CheckedReport['location'];
  if (input.location) {
    const { lat, lon } = input.location;
    const onEarth = Number.isFinite(lat) && Number.isFinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
    if (onEarth) location = { lat, lon };
    else errors.location = 'reports.errors.location';
  }
  const place = clean(input.place);
  if (place && place.length > MAX_PLACE_LENGTH) errors.place = 'reports.errors.placeTooLong';
  const placeType = clean(input.placeType);
  if (placeType && !known.placeTypes.includes(placeType)) errors.placeType = 'reports.errors.placeType';

  const observedFrom = checkDate(input.observedFrom, 'observedFrom', errors, now);
  const observedTo = checkDate(input.observedTo, 'observedTo', errors, now);
  if (observedFrom && observedTo && !errors.observedFrom && !errors.observedTo && observedTo < observedFrom) errors.observedTo = 'reports.errors.dateOrder';
  const observedTime = input.observedTime;
  if (observedTime !== undefined && !OBSERVED_TIMES.includes(observedTime)) errors.observedTime = 'reports.errors.observedTime';

  const exploitationTypes = unique(input.exploitationTypes);
  checkChoices(exploitationTypes, known.exploitationTypes, 'exploitationTypes', 'reports.errors.exploitationType', errors);
  const indicators = unique(input.indicators);
  checkChoices(indicators, known.indicators.keys(), 'indicators', 'reports.errors.indicator', errors);
  const ageBands = unique(input.ageBands);
  checkChoices(ageBands, known.ageBands, 'ageBands', 'reports.errors.ageBand', errors);
  const genders = unique(input.genders);
  checkChoices(genders, known.genders, 'genders', 'reports.errors.gender', errors);
  const peopleCount = input.peopleCount;
  if (peopleCount !== undefined && (!Number.isInteger(peopleCount) || peopleCount < 1 || peopleCount > MAX_PEOPLE)) errors.peopleCount = 'reports.errors.peopleCount';

  const vehicles = clean(input.vehicles);
  if (vehicles && vehicles.length > MAX_VEHICLES_LENGTH) errors.vehicles = 'reports.errors.vehiclesTooLong';

  const identifiers: CheckedReport['identifiers'] = [];
  const seen = new Set<string>();
  for (const identifier of input.identifiers ?? []) {
    const value = clean(identifier.value);
    if (value === undefined) continue;
    if (!(IDENTIFIER_KINDS as readonly string[]).includes(identifier.kind)) errors.identifiers = 'reports.errors.identifierKind';
    else if (value.length > MAX_IDENTIFIER_LENGTH) errors.identifiers = 'reports.errors.identifierTooLong';
    else if (!seen.has(`${identifier.kind}\u0000${value}`)) {
      seen.add(`${identifier.kind}\u0000${value}`);
      identifiers.push({ kind: identifier.kind as IdentifierKind, value });
    }
  }
  if (identifiers.length > MAX_IDENTIFIERS) errors.identifiers = 'reports.errors.tooManyIdentifiers';

  // Repeats written with other spacing or case are one name; the first spelling is kept.
  const names: string[] = [];
  const seenNames = new Set<string>();
  for (const raw of input.names ?? []) {
    const name = clean(raw)?.replace(/\s+/g, ' ');
    if (name === undefined) continue;
    if (name.length > MAX_NAME_LENGTH) errors.names = 'reports.errors.nameTooLong';
    else if (!seenNames.has(name.toLowerCase())) {
      seenNames.add(name.toLowerCase());
      names.push(name);
    }
  }
  if (names.length > MAX_NAMES) errors.names = 'reports.errors.tooManyNames';

  const route = { origin: unique(input.route?.origin).map((c) => c.toUpperCase()), transit: unique(input.route?.transit).map((c) => c.toUpperCase()), destination: unique(input.route?.destination).map((c) => c.toUpperCase()) };
  for (const [leg, countries] of Object.entries(route)) {
    if (countries.length > MAX_ROUTE_COUNTRIES || countries.some((code) => !isCountryCode(code))) errors[`route.${leg}`] = 'reports.errors.routeCountry';
  }

  const account = clean(input.account);
  if (account && account.length > MAX_ACCOUNT_LENGTH) errors.account = 'reports.errors.accountTooLong';
  const contact = clean(input.contact);
  const contactConsent = input.contactConsent === true;
  if (contact && contact.length > MAX_CONTACT_LENGTH) errors.contact = 'reports.errors.contactTooLong';
  else if (contact && !contactConsent) errors.contactConsent = 'reports.errors.contactConsent';

  const saysSomething =
    location || place || placeType || exploitationTypes.length || indicators.length || identifiers.length || names.length || vehicles || account || peopleCount !== undefined || ageBands.length || genders.length;
  if (!saysSomething && Object.keys(errors).length === 0) errors.form = 'reports.errors.empty';

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { country, location, place, placeType, observedFrom, observedTo, observedTime, exploitationTypes, indicators, peopleCount, ageBands, genders, vehicles, identifiers, names, route, account, contact: contactConsent ? contact : undefined, contactConsent: contactConsent && contact !== undefined },
  };
}
