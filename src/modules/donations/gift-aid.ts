/**
 * Gift Aid: the statements a UK donor confirms, kept word for word per version (a declaration
 * records the version it was made with, so a version's text is never edited: a new wording is a new
 * version), and the claim export as CSV.
 */

export interface Statement {
  version: string;
  text: { en: string; fr: string };
}

/** Newest last; new declarations use the newest. */
export const STATEMENTS: readonly Statement[] = [
  {
    version: 'gift-aid-2026-1',
    text: {
      en: 'I want to Gift Aid my donation and any donations I make in the future or have made in the past 4 years to STOP THE TRAFFIK. I am a UK taxpayer and understand that if I pay less Income Tax and/or Capital Gains Tax in the current tax year than the amount of Gift Aid claimed on all my donations it is my responsibility to pay any difference.',
      fr: 'Je souhaite appliquer le Gift Aid à mon don, ainsi qu’à tous les dons que je ferai à l’avenir ou que j’ai faits au cours des 4 dernières années, à STOP THE TRAFFIK. Je suis contribuable au Royaume-Uni et je comprends que si je paie, pour l’année fiscale en cours, moins d’impôt sur le revenu et/ou d’impôt sur les plus-values que le montant du Gift Aid demandé sur l’ensemble de mes dons, il m’appartient de payer la différence.',
    },
  },
];

export const CURRENT_STATEMENT: Statement = STATEMENTS[STATEMENTS.length - 1]!;

export function statementFor(version: string): Statement | undefined {
  return STATEMENTS.find((s) => s.version === version);
}

/** A CSV cell: quoted, and a leading =, +, - or @ defused so a spreadsheet never runs it as a formula. */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvLine(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

// ---------------------------------------------------------------- HMRC's schedule

/**
 * The columns of HMRC's Gift Aid donation schedule spreadsheet (Charities Online), in its order. A
 * claim file in this layout is pasted into HMRC's .ods schedule as it is.
 */
export const HMRC_COLUMNS = ['Title', 'First name', 'Last name', 'House name or number', 'Postcode', 'Aggregated donations', 'Sponsored event', 'Donation date', 'Amount'] as const;

/** HMRC's limits on the schedule's cells. */
export const HMRC_LIMITS = { title: 4, name: 35, house: 40 } as const;

const TITLE_ABBREVIATIONS: Record<string, string> = { professor: 'Prof', reverend: 'Rev', doctor: 'Dr', mister: 'Mr', mistress: 'Mrs', sister: 'Sr', father: 'Fr', captain: 'Capt', sir: 'Sir', lady: 'Lady', lord: 'Lord', dame: 'Dame' };

const cut = (text: string, max: number) => [...text.replace(/\s+/g, ' ').trim()].slice(0, max).join('').trim();

/** Title: at most 4 characters ("Prof", "Rev"); a longer one HMRC has no short form for is left out (the title is optional). */
export function hmrcTitle(title: string): string {
  const plain = title.replace(/\./g, '').trim();
  if (plain === '') return '';
  const known = TITLE_ABBREVIATIONS[plain.toLowerCase()];
  if (known) return known;
  return [...plain].length <= HMRC_LIMITS.title ? plain : '';
}

/** First name: at most 35 characters. */
export const hmrcFirstName = (name: string) => cut(name, HMRC_LIMITS.name);

/** Last name: at most 35 characters; a double-barrelled name with a space instead of the hyphen (House Martin). */
export const hmrcLastName = (name: string) => cut(name.replace(/\s*-\s*/g, ' '), HMRC_LIMITS.name);

/**
 * The house name or number from a home address (HMRC asks for that alone, not the whole address):
 * "12 St James's Square, London" → "12"; "Flat 3, 12 High Street" → "Flat 3, 12"; "Rose Cottage,
 * Mill Lane" → "Rose Cottage". At most 40 characters.
 */
export function houseNameOrNumber(address: string): string {
  const parts = address.split(/[\n,]/).map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p !== '');
  const number = (part: string | undefined) => /^(\d+[A-Za-z]?(?:\s*[-–]\s*\d+[A-Za-z]?)?)\b(?=\s+\S)/.exec(part ?? '')?.[1];
  const first = parts[0] ?? '';
  const leading = number(first);
  if (leading) return cut(leading, HMRC_LIMITS.house);
  // A flat or unit line followed by the building's number: both are needed to find the home.
  const next = number(parts[1]);
  if (/^(flat|apartment|apt|unit|room)\b/i.test(first) && next) return cut(`${first}, ${next}`, HMRC_LIMITS.house);
  return cut(first, HMRC_LIMITS.house);
}

/** A UK postcode in capitals with one space before the inward code (S19 2BD). */
export function hmrcPostcode(postcode: string): string {
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}

/** YYYY-MM-DD → DD/MM/YY. */
export function hmrcDate(day: string): string {
  const [year, month, date] = day.split('-');
  return `${date}/${month}/${year!.slice(2)}`;
}

/** Pence → pounds with two decimals and no sign or separators (200.00), without floating point. */
export function poundsText(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}
