/**
 * The report filters shared by the maps and the exports: one parser for query strings (repeated
 * keys or comma-separated values) and JSON bodies (arrays or strings). Every unknown field or value
 * is an error naming the field — a filter that is silently ignored would show more than the person
 * asked for, or make them believe there is nothing.
 */
import { invalid, ok, type FieldErrors, type Outcome } from '../../core/outcome.ts';
import { taxonomy } from '../indicators/index.ts';

export const REPORT_STATUSES = ['received', 'triaged', 'graded', 'shared', 'closed', 'rejected', 'duplicate'] as const;
export type FilterStatus = (typeof REPORT_STATUSES)[number];

/** One grade pattern: each part of "2/B/P" may be left open ("*" or missing). */
export interface GradePattern {
  source?: 1 | 2 | 3;
  assessment?: 'A' | 'B' | 'C' | 'D' | 'E';
  handling?: 'P' | 'C';
}

export interface ReportFilters {
  /** Inclusive days (YYYY-MM-DD) on `received_on`. */
  from?: string;
  to?: string;
  statuses?: FilterStatus[];
  /** Any of these patterns. */
  grades?: GradePattern[];
  /** Reports with any of these exploitation types. */
  types?: string[];
  /** Reports with any of these indicators. */
  indicators?: string[];
  placeTypes?: string[];
}

/** The filter fields, as they are named in query strings and JSON. */
export const FILTER_FIELDS = ['from', 'to', 'status', 'grade', 'type', 'indicator', 'placeType'] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_VALUES = 50;

function values(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const list = Array.isArray(raw) ? raw : [raw];
  if (!list.every((v) => typeof v === 'string')) return ['\u0000'];
  const parts = list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return parts.length ? [...new Set(parts)] : undefined;
}

function isRealDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function parseGrade(text: string): GradePattern | undefined {
  const parts = text.toUpperCase().split('/');
  if (parts.length > 3) return undefined;
  const [source, assessment, handling] = parts.map((p) => (p === '*' || p === '' ? undefined : p));
  const pattern: GradePattern = {};
  if (source !== undefined) {
    if (!['1', '2', '3'].includes(source)) return undefined;
    pattern.source = Number(source) as GradePattern['source'];
  }
  if (assessment !== undefined) {
    if (!['A', 'B', 'C', 'D', 'E'].includes(assessment)) return undefined;
    pattern.assessment = assessment as GradePattern['assessment'];
  }
  if (handling !== undefined) {
    if (!['P', 'C'].includes(handling)) return undefined;
    pattern.handling = handling as GradePattern['handling'];
  }
  return pattern;
}

/**
 * Parses filters from `input` (a query string object or a JSON body). `otherFields` are the caller's
 * own parameters (bbox, zoom, format…), which are left alone; any other field is an error.
 * Error messages are i18n keys under `mapFilters.errors`.
 */
export function parseReportFilters(input: Record<string, unknown> | undefined, otherFields: readonly string[] = []): Outcome<ReportFilters> {
  const errors: FieldErrors = {};
  const filters: ReportFilters = {};
  const known = taxonomy();
  const source = input ?? {};
  for (const key of Object.keys(source)) {
    if (!(FILTER_FIELDS as readonly string[]).includes(key) && !otherFields.includes(key)) errors[key] = 'mapFilters.errors.unknownField';
  }
  const field = (name: (typeof FILTER_FIELDS)[number]) => {
    const list = values(source[name]);
    if (list && list.length > MAX_VALUES) {
      errors[name] = 'mapFilters.errors.tooMany';
      return undefined;
    }
    return list;
  };

  for (const name of ['from', 'to'] as const) {
    const list = field(name);
    if (!list) continue;
    if (list.length !== 1 || !isRealDay(list[0]!)) errors[name] = 'mapFilters.errors.day';
    else filters[name] = list[0]!;
  }
  if (filters.from && filters.to && filters.from > filters.to) errors.to = 'mapFilters.errors.range';

  const statuses = field('status');
  if (statuses) {
    if (statuses.every((s) => (REPORT_STATUSES as readonly string[]).includes(s))) filters.statuses = statuses as FilterStatus[];
    else errors.status = 'mapFilters.errors.status';
  }
  const grades = field('grade');
  if (grades) {
    const parsed = grades.map(parseGrade);
    if (parsed.every((g): g is GradePattern => g !== undefined)) filters.grades = parsed;
    else errors.grade = 'mapFilters.errors.grade';
  }
  const choice = (name: 'type' | 'indicator' | 'placeType', allowed: readonly string[], key: 'types' | 'indicators' | 'placeTypes') => {
    const list = field(name);
    if (!list) return;
    if (list.every((v) => allowed.includes(v))) filters[key] = list;
    else errors[name] = `mapFilters.errors.${name}`;
  };
  choice('type', known.exploitationTypes, 'types');
  choice('indicator', [...known.indicators.keys()], 'indicators');
  choice('placeType', known.placeTypes, 'placeTypes');

  return Object.keys(errors).length ? invalid(errors) : ok(filters);
}

/** The filters back as query-string pairs (for links and the GET form), in a stable order. */
export function filtersToQuery(filters: ReportFilters): [string, string][] {
  const pairs: [string, string][] = [];
  if (filters.from) pairs.push(['from', filters.from]);
  if (filters.to) pairs.push(['to', filters.to]);
  for (const s of filters.statuses ?? []) pairs.push(['status', s]);
  for (const g of filters.grades ?? []) pairs.push(['grade', `${g.source ?? '*'}/${g.assessment ?? '*'}/${g.handling ?? '*'}`]);
  for (const t of filters.types ?? []) pairs.push(['type', t]);
  for (const i of filters.indicators ?? []) pairs.push(['indicator', i]);
  for (const p of filters.placeTypes ?? []) pairs.push(['placeType', p]);
  return pairs;
}

/** True when no filter narrows anything. */
export const isUnfiltered = (filters: ReportFilters): boolean => filtersToQuery(filters).length === 0;
