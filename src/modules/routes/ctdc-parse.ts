/**
 * Reading a CTDC data set (any edition) into counts, with every problem named by line. Pure: it
 * takes the header and rows as arrays of strings (ctdc-import.ts feeds it from the CSV parser) and
 * never touches the database, so it is tested on its own.
 *
 * Editions: the v2024 synthetic set (27 columns, ISO alpha-3) and the older k-anonymised sets (63
 * columns, alpha-2, `Datasource`); missing values are empty or -99. Column names are matched without
 * regard to case. A column no edition has is refused: a file we do not understand is more likely
 * the wrong file than a new edition, and guessing would import nonsense.
 */
import countries from 'i18n-iso-countries';

/** Every column of every edition we know, lower-cased. */
const KNOWN_COLUMNS = new Set(
  [
    // v2024 synthetic data set (27 variables).
    'yearOfRegistration', 'gender', 'ageBroad', 'citizenship', 'CountryOfExploitation', 'traffickMonths',
    'meansDebtBondageEarnings', 'meansThreats', 'meansAbusePsyPhySex', 'meansFalsePromises', 'meansDrugsAlcohol',
    'meansDenyBasicNeeds', 'meansExcessiveWorkHours', 'meansWithholdDocs',
    'isForcedLabour', 'isSexualExploit', 'isOtherExploit',
    'typeOfLabourAgriculture', 'typeOfLabourConstruction', 'typeOfLabourDomesticWork', 'typeOfLabourHospitality',
    'typeOfSexProstitution', 'typeOfSexPornography',
    'recruiterRelationIntimatePartner', 'recruiterRelationFriend', 'recruiterRelationFamily', 'recruiterRelationOther',
    // 2017–2021 k-anonymised editions (63 columns).
    'Datasource', 'majorityStatus', 'majorityStatusAtExploit', 'majorityEntry',
    'meansOfControlDebtBondage', 'meansOfControlTakesEarnings', 'meansOfControlRestrictsFinancialAccess', 'meansOfControlThreats',
    'meansOfControlPhysicalAbuse', 'meansOfControlSexualAbuse', 'meansOfControlFalsePromises', 'meansOfControlPsychoactiveSubstances',
    'meansOfControlRestrictsMovement', 'meansOfControlRestrictsMedicalCare', 'meansOfControlExcessiveWorkingHours', 'meansOfControlUsesChildren',
    'meansOfControlThreatOfLawEnforcement', 'meansOfControlWithholdsNecessities', 'meansOfControlWithholdsDocuments', 'meansOfControlOther',
    'meansOfControlNotSpecified', 'meansOfControlConcatenated',
    'isSexAndLabour', 'isForcedMarriage', 'isForcedMilitary', 'isOrganRemoval', 'isSlaveryAndPractices', 'typeOfExploitConcatenated',
    'typeOfLabourAquafarming', 'typeOfLabourBegging', 'typeOfLabourIllicitActivities', 'typeOfLabourManufacturing',
    'typeOfLabourMiningOrDrilling', 'typeOfLabourPeddling', 'typeOfLabourTransportation', 'typeOfLabourOther', 'typeOfLabourNotSpecified',
    'typeOfLabourConcatenated', 'typeOfSexRemoteInteractiveServices', 'typeOfSexPrivateSexualServices', 'typeOfSexConcatenated',
    'isAbduction', 'RecruiterRelationship', 'recruiterRelationUnknown',
  ].map((name) => name.toLowerCase()),
);

const CITIZENSHIP = 'citizenship';
const EXPLOITATION_COUNTRY = 'countryofexploitation';
const YEAR = 'yearofregistration';
const REQUIRED = [CITIZENSHIP, EXPLOITATION_COUNTRY];

/** CTDC exploitation flags → CAST taxonomy exploitation types. */
const TYPE_FLAGS: Record<string, string[]> = {
  isforcedlabour: ['labour'],
  issexualexploit: ['sexual'],
  isotherexploit: ['other'],
  issexandlabour: ['labour', 'sexual'],
  isforcedmarriage: ['forced-marriage'],
  isorganremoval: ['organ-removal'],
  isforcedmilitary: ['other'],
  isslaveryandpractices: ['other'],
};

const isFlagColumn = (name: string) => /^(is|means|typeof|recruiterrelation)/.test(name) && !name.endsWith('concatenated') && name !== 'recruiterrelationship';
const isMissing = (value: string) => value === '' || value === '-99';

export interface CtdcProblem {
  /** The line of the file (1 is the header). */
  line: number;
  message: string;
}

export interface CtdcCount {
  year: number;
  citizenship: string;
  exploitationCountry: string;
  types: string[];
  records: number;
}

export type CodeKind = 'alpha-2' | 'alpha-3' | 'mixed' | 'none';

/** A country code of either edition as alpha-2, '' when missing, or undefined when it is not a country. */
export function countryCode(raw: string): { code: string; kind?: 'alpha-2' | 'alpha-3' } | undefined {
  const value = raw.trim();
  if (isMissing(value)) return { code: '' };
  if (/^[A-Z]{2}$/.test(value)) return countries.isValid(value) ? { code: value, kind: 'alpha-2' } : undefined;
  if (/^[A-Z]{3}$/.test(value)) {
    // Kosovo has no ISO code; CTDC and others use the user-assigned XK / XKX.
    const code = value === 'XKX' ? 'XK' : countries.alpha3ToAlpha2(value);
    return code ? { code, kind: 'alpha-3' } : undefined;
  }
  return undefined;
}

/**
 * Accumulates a CTDC file: `header` once, then `row` for each data row. Rows with a problem are not
 * counted; `result` gives the counts of the valid rows and every problem.
 */
export class CtdcReader {
  private columns: string[] = [];
  private readonly counts = new Map<string, CtdcCount>();
  private readonly kinds = new Set<'alpha-2' | 'alpha-3'>();
  readonly problems: CtdcProblem[] = [];
  /** The file cannot be read at all (bad header): no row is worth checking. */
  fatal = false;
  rows = 0;
  valid = 0;

  constructor(private readonly currentYear: number = new Date().getUTCFullYear()) {}

  header(names: readonly string[]): void {
    this.columns = names.map((name) => name.trim().toLowerCase());
    const unknown = names.filter((name, index) => !KNOWN_COLUMNS.has(this.columns[index]!));
    for (const name of unknown) this.problems.push({ line: 1, message: `unknown column "${name.trim()}"` });
    const seen = new Set<string>();
    for (const [index, name] of this.columns.entries()) {
      if (seen.has(name)) this.problems.push({ line: 1, message: `column "${names[index]!.trim()}" appears twice` });
      seen.add(name);
    }
    for (const name of REQUIRED) if (!seen.has(name)) this.problems.push({ line: 1, message: `missing column "${name === CITIZENSHIP ? 'citizenship' : 'CountryOfExploitation'}"` });
    this.fatal = this.problems.length > 0;
  }

  row(values: readonly string[], line: number): void {
    if (this.fatal) return;
    this.rows += 1;
    const problems: string[] = [];
    if (values.length !== this.columns.length) {
      this.problems.push({ line, message: `has ${values.length} values; the header names ${this.columns.length} columns` });
      return;
    }
    const field = (name: string) => (values[this.columns.indexOf(name)] ?? '').trim();
    const codes: Record<string, string> = {};
    for (const [name, label] of [[CITIZENSHIP, 'citizenship'], [EXPLOITATION_COUNTRY, 'CountryOfExploitation']] as const) {
      const parsed = countryCode(field(name));
      if (!parsed) problems.push(`${label} "${field(name)}" is not an ISO 3166 country code (alpha-2 or alpha-3), -99 or empty`);
      else {
        codes[name] = parsed.code;
        if (parsed.kind) this.kinds.add(parsed.kind);
      }
    }
    let year = 0;
    if (this.columns.includes(YEAR) && !isMissing(field(YEAR))) {
      year = /^\d{4}$/.test(field(YEAR)) ? Number(field(YEAR)) : NaN;
      if (!(year >= 1990 && year <= this.currentYear)) problems.push(`yearOfRegistration "${field(YEAR)}" is not a year from 1990 to ${this.currentYear}, -99 or empty`);
    }
    const types = new Set<string>();
    for (const [index, name] of this.columns.entries()) {
      if (!isFlagColumn(name)) continue;
      const value = (values[index] ?? '').trim();
      if (!isMissing(value) && value !== '0' && value !== '1') problems.push(`${name} "${value}" is not 0, 1, -99 or empty`);
      else if (value === '1') for (const type of TYPE_FLAGS[name] ?? []) types.add(type);
    }
    if (problems.length > 0) {
      for (const message of problems) this.problems.push({ line, message });
      return;
    }
    this.valid += 1;
    const count: CtdcCount = { year, citizenship: codes[CITIZENSHIP]!, exploitationCountry: codes[EXPLOITATION_COUNTRY]!, types: [...types].sort(), records: 0 };
    const key = `${count.year}|${count.citizenship}|${count.exploitationCountry}|${count.types.join(',')}`;
    const existing = this.counts.get(key) ?? count;
    existing.records += 1;
    this.counts.set(key, existing);
  }

  codeKind(): CodeKind {
    if (this.kinds.size === 2) return 'mixed';
    return [...this.kinds][0] ?? 'none';
  }

  result(): { counts: CtdcCount[]; rows: number; valid: number; rejected: number; problems: CtdcProblem[]; codes: CodeKind } {
    return { counts: [...this.counts.values()], rows: this.rows, valid: this.valid, rejected: this.rows - this.valid, problems: this.problems, codes: this.codeKind() };
  }
}
