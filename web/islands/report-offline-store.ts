/**
 * What the report islands keep on the device, in one place: the draft, the reports waiting for a
 * connection, and receipt codes not yet shown. Everything lives in this origin's localStorage under
 * `cast:` keys, and only after the person chose it; "leave no trace" (leave-no-trace-clear.ts) wipes
 * the whole origin, so no key here can outlive it.
 *
 * No side effects on import: report-draft.ts and report-offline.ts bundle it, and esbuild also
 * builds it as a stand-alone (unused) asset because every file in web/islands is an entry.
 */

export const KEYS = {
  draft: 'cast:draft',
  /** Set while a report form is being sent by the browser, so the next page knows what happened. */
  sending: 'cast:draft-sending',
  outbox: 'cast:outbox',
  receipts: 'cast:receipts',
  quickExitClears: 'cast:quick-exit-clears',
} as const;

/** A form's fields as name/value pairs in document order (repeated names stay repeated). */
export type Pairs = [string, string][];

export interface QueuedReport {
  id: string;
  body: Record<string, unknown>;
  /** The form's fields too, so a report the server refuses can go back into the form. */
  pairs: Pairs;
}

export function readJson<T>(key: string): T | undefined {
  try {
    const text = localStorage.getItem(key);
    return text === null ? undefined : (JSON.parse(text) as T);
  } catch {
    return undefined;
  }
}

export function writeJson(key: string, value: unknown): void {
  localStorage.setItem(key, JSON.stringify(value));
}

export function remove(key: string): void {
  localStorage.removeItem(key);
}

/** The report form of the page (markup contract: `form#report-form[data-report-form]`). */
export function reportForm(): HTMLFormElement | null {
  return document.querySelector<HTMLFormElement>('form[data-report-form]');
}

/** The fields a person typed, without the CSRF token (it belongs to one session, not to the report). */
export function formPairs(form: HTMLFormElement): Pairs {
  const pairs: Pairs = [];
  for (const [name, value] of new FormData(form)) if (name !== '_csrf' && typeof value === 'string') pairs.push([name, value]);
  return pairs;
}

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** Puts saved pairs back into the form's fields; repeated names fill repeated fields in order. */
export function fillForm(form: HTMLFormElement, pairs: Pairs): void {
  const values = new Map<string, string[]>();
  for (const [name, value] of pairs) values.set(name, [...(values.get(name) ?? []), value]);
  const used = new Map<string, number>();
  for (const element of Array.from(form.elements)) {
    const field = element as Field;
    if (!field.name || field.name === '_csrf' || field.type === 'hidden' || field.type === 'submit' || field.type === 'button') continue;
    const saved = values.get(field.name) ?? [];
    if (field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio')) {
      field.checked = saved.includes(field.value);
    } else if (field instanceof HTMLSelectElement && field.multiple) {
      for (const option of Array.from(field.options)) option.selected = saved.includes(option.value);
    } else {
      const index = used.get(field.name) ?? 0;
      used.set(field.name, index + 1);
      field.value = saved[index] ?? '';
    }
    field.dispatchEvent(new Event('input', { bubbles: true }));
    field.dispatchEvent(new Event('change', { bubbles: true }));
  }
}

/**
 * The JSON API body (POST /api/v1/reports, schema.ts SubmitReportBody) for the form's fields:
 * empty fields are left out, identifiers are kind/value pairs, the point comes from lat/lon.
 */
export function apiBody(pairs: Pairs): Record<string, unknown> {
  const all = (name: string) => pairs.filter(([key, value]) => key === name && value.trim() !== '').map(([, value]) => value.trim());
  const one = (name: string) => all(name)[0];
  const body: Record<string, unknown> = {};
  for (const name of ['country', 'place', 'placeType', 'observedFrom', 'observedTo', 'observedTime', 'vehicles', 'account', 'contact']) {
    const value = name === 'account' || name === 'vehicles' ? pairs.find(([key]) => key === name)?.[1] : one(name);
    if (value !== undefined && value.trim() !== '') body[name] = value;
  }
  const lat = Number(one('lat')?.replace(',', '.'));
  const lon = Number(one('lon')?.replace(',', '.'));
  if (one('lat') !== undefined && one('lon') !== undefined && Number.isFinite(lat) && Number.isFinite(lon)) body.location = { lat, lon };
  for (const name of ['exploitationTypes', 'indicators', 'ageBands', 'genders', 'names']) {
    const values = all(name);
    if (values.length > 0) body[name] = values;
  }
  const people = one('peopleCount');
  // Anything else is sent as typed, so the server refuses it and the report goes back to the form.
  if (people !== undefined) body.peopleCount = /^\d+$/.test(people) ? Number(people) : people;
  const kinds = pairs.filter(([key]) => key === 'identifierKind').map(([, value]) => value);
  const values = pairs.filter(([key]) => key === 'identifierValue').map(([, value]) => value);
  const identifiers = values.map((value, index) => ({ kind: kinds[index] ?? '', value: value.trim() })).filter((identifier) => identifier.value !== '');
  if (identifiers.length > 0) body.identifiers = identifiers;
  const route = { origin: all('routeOrigin'), transit: all('routeTransit'), destination: all('routeDestination') };
  if (route.origin.length + route.transit.length + route.destination.length > 0) body.route = route;
  if (one('contactConsent') === 'yes') body.contactConsent = true;
  return body;
}
