/**
 * The currencies CAST takes donations in, and amounts in them. An amount is typed in major units
 * ("25", "25.50") and kept as an integer of minor units (2550): never a float. Each currency has its
 * own number of decimals (none for the yen and the CFA franc) and the provider's smallest charge.
 */

export interface Currency {
  code: string;
  /** Digits after the decimal point. */
  decimals: number;
  /** The smallest amount the provider accepts, in minor units. */
  minimumMinor: number;
}

const list: Currency[] = [
  { code: 'GBP', decimals: 2, minimumMinor: 30 },
  { code: 'EUR', decimals: 2, minimumMinor: 50 },
  { code: 'USD', decimals: 2, minimumMinor: 50 },
  { code: 'CAD', decimals: 2, minimumMinor: 50 },
  { code: 'AUD', decimals: 2, minimumMinor: 50 },
  { code: 'NZD', decimals: 2, minimumMinor: 50 },
  { code: 'CHF', decimals: 2, minimumMinor: 50 },
  { code: 'SEK', decimals: 2, minimumMinor: 300 },
  { code: 'NOK', decimals: 2, minimumMinor: 300 },
  { code: 'DKK', decimals: 2, minimumMinor: 250 },
  { code: 'JPY', decimals: 0, minimumMinor: 50 },
  { code: 'XOF', decimals: 0, minimumMinor: 500 },
];

export const CURRENCIES: ReadonlyMap<string, Currency> = new Map(list.map((c) => [c.code, c]));
export const CURRENCY_CODES: readonly string[] = list.map((c) => c.code);

/** The largest single donation taken online, in minor units (the provider's eight-digit limit). */
export const MAXIMUM_MINOR = 99_999_999;

export type AmountProblem = 'format' | 'not-positive' | 'too-many-decimals' | 'too-small' | 'too-large';

/**
 * Parses an amount in major units for a currency. Accepts digits with an optional decimal point or
 * comma ("25", "25.5", "25,50"); refuses signs, exponents, thousands separators and more decimals
 * than the currency has.
 */
export function parseAmount(text: string, currency: Currency): { ok: true; minor: number } | { ok: false; problem: AmountProblem } {
  const trimmed = text.trim().replace(',', '.');
  if (/^-/.test(trimmed)) return { ok: false, problem: 'not-positive' };
  const match = /^(\d{1,12})(?:\.(\d+))?$/.exec(trimmed);
  if (!match) return { ok: false, problem: 'format' };
  const whole = match[1]!;
  const fraction = match[2] ?? '';
  // "25.50" in GBP is fine; "25.505" is not, and neither is "100.5" nor "100.0" in JPY (no decimals):
  // a number that cannot be charged exactly is refused rather than rounded.
  if (fraction.length > currency.decimals || (match[0].includes('.') && currency.decimals === 0)) return { ok: false, problem: 'too-many-decimals' };
  const kept = fraction.padEnd(currency.decimals, '0');
  const minor = Number(whole) * 10 ** currency.decimals + (kept === '' ? 0 : Number(kept));
  if (minor <= 0) return { ok: false, problem: 'not-positive' };
  if (minor < currency.minimumMinor) return { ok: false, problem: 'too-small' };
  if (minor > MAXIMUM_MINOR) return { ok: false, problem: 'too-large' };
  return { ok: true, minor };
}

/** Minor units back to major units as text, with the currency's decimals ("25.50", "1000"). */
export function formatMinor(minor: number, currency: string): string {
  const decimals = CURRENCIES.get(currency)?.decimals ?? 2;
  if (decimals === 0) return String(minor);
  const text = String(minor).padStart(decimals + 1, '0');
  return `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
}

/** An amount for people to read, in their language ("£25.50", "25,50 £"). */
export function displayAmount(minor: number, currency: string, lang: string): string {
  const decimals = CURRENCIES.get(currency)?.decimals ?? 2;
  return new Intl.NumberFormat(lang, { style: 'currency', currency, minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(minor / 10 ** decimals);
}
