/**
 * The report form as posted (urlencoded, repeated names for lists) turned into what the form shows
 * again and into the ReportInput that checkReport and submitReport take. Nothing is validated here:
 * the one set of checks lives in report-input.ts, so the page and the API give the same messages.
 * Text a person typed is kept as typed, so a form sent back with errors loses none of it.
 */
import type { FieldErrors } from '../../core/outcome.ts';
import type { Addition } from './submission.ts';
import type { ReportInput } from './report-input.ts';
import type { ObservedTime } from './tables.ts';

export type PostedForm = Record<string, string | string[] | undefined>;

export interface IdentifierRow {
  kind: string;
  value: string;
}

/** Everything the report form holds, as text, in the shape the form is drawn from. */
export interface ReportFormValues {
  country: string;
  lat: string;
  lon: string;
  place: string;
  placeType: string;
  observedFrom: string;
  observedTo: string;
  observedTime: string;
  exploitationTypes: string[];
  indicators: string[];
  peopleCount: string;
  ageBands: string[];
  genders: string[];
  vehicles: string;
  identifiers: IdentifierRow[];
  /** Names heard or seen, as typed (empty rows dropped). */
  names: string[];
  routeOrigin: string[];
  routeTransit: string[];
  routeDestination: string[];
  account: string;
  contact: string;
  contactConsent: boolean;
}

export const EMPTY_REPORT_FORM: ReportFormValues = {
  country: '',
  lat: '',
  lon: '',
  place: '',
  placeType: '',
  observedFrom: '',
  observedTo: '',
  observedTime: '',
  exploitationTypes: [],
  indicators: [],
  peopleCount: '',
  ageBands: [],
  genders: [],
  vehicles: '',
  identifiers: [],
  names: [],
  routeOrigin: [],
  routeTransit: [],
  routeDestination: [],
  account: '',
  contact: '',
  contactConsent: false,
};

/** A single-valued field; if a tampered form repeats it, the first value counts. */
function one(form: PostedForm, name: string): string {
  const value = form[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function many(form: PostedForm, name: string): string[] {
  const value = form[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The identifier rows as posted: kinds and values pair up by position; wholly empty rows are dropped. */
export function identifierRows(form: PostedForm): IdentifierRow[] {
  const kinds = many(form, 'identifierKind');
  const values = many(form, 'identifierValue');
  const rows: IdentifierRow[] = [];
  for (let i = 0; i < Math.max(kinds.length, values.length); i++) {
    const row = { kind: kinds[i] ?? '', value: values[i] ?? '' };
    if (row.value.trim() !== '') rows.push(row);
  }
  return rows;
}

const filled = (values: string[]) => values.map((v) => v.trim()).filter((v) => v !== '');

export function reportFormValues(form: PostedForm): ReportFormValues {
  return {
    country: one(form, 'country'),
    lat: one(form, 'lat'),
    lon: one(form, 'lon'),
    place: one(form, 'place'),
    placeType: one(form, 'placeType'),
    observedFrom: one(form, 'observedFrom'),
    observedTo: one(form, 'observedTo'),
    observedTime: one(form, 'observedTime'),
    exploitationTypes: many(form, 'exploitationTypes'),
    indicators: many(form, 'indicators'),
    peopleCount: one(form, 'peopleCount'),
    ageBands: many(form, 'ageBands'),
    genders: many(form, 'genders'),
    vehicles: one(form, 'vehicles'),
    identifiers: identifierRows(form),
    names: many(form, 'names').filter((name) => name.trim() !== ''),
    routeOrigin: filled(many(form, 'routeOrigin')),
    routeTransit: filled(many(form, 'routeTransit')),
    routeDestination: filled(many(form, 'routeDestination')),
    account: one(form, 'account'),
    contact: one(form, 'contact'),
    contactConsent: one(form, 'contactConsent') === 'yes',
  };
}

/** "51,45" as well as "51.45": a comma is the decimal separator in much of the world. */
const decimal = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text.trim().replace(',', '.')));

const given = (text: string): string | undefined => (text.trim() === '' ? undefined : text);

export function toReportInput(values: ReportFormValues): ReportInput {
  // Half a point is not a point: checkReport refuses NaN with the location message.
  const location = values.lat.trim() === '' && values.lon.trim() === '' ? undefined : { lat: decimal(values.lat), lon: decimal(values.lon) };
  const peopleCount = values.peopleCount.trim() === '' ? undefined : Number(values.peopleCount.trim());
  return {
    country: values.country,
    location,
    place: given(values.place),
    placeType: given(values.placeType),
    observedFrom: given(values.observedFrom),
    observedTo: given(values.observedTo),
    observedTime: given(values.observedTime) as ObservedTime | undefined,
    exploitationTypes: values.exploitationTypes,
    indicators: values.indicators,
    peopleCount,
    ageBands: values.ageBands,
    genders: values.genders,
    vehicles: given(values.vehicles),
    identifiers: values.identifiers,
    names: values.names,
    route: { origin: values.routeOrigin, transit: values.routeTransit, destination: values.routeDestination },
    account: given(values.account),
    contact: given(values.contact),
    contactConsent: values.contactConsent,
  };
}

/** The addition form of the follow-up page: more words and more identifiers. */
export function toAddition(form: PostedForm): Addition {
  return { account: given(one(form, 'account')), identifiers: identifierRows(form) };
}

/** checkReport names route errors by leg ("route.origin"); the form's fields are named routeOrigin. */
const FIELD_OF_ERROR: Record<string, string> = { 'route.origin': 'routeOrigin', 'route.transit': 'routeTransit', 'route.destination': 'routeDestination' };

export function formErrors(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([field, key]) => [FIELD_OF_ERROR[field] ?? field, key]));
}

/** The receipt code as typed on the follow-up form. */
export const receiptOf = (form: PostedForm | undefined): string => one(form ?? {}, 'receipt');
