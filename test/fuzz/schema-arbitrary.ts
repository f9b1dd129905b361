/**
 * Turns the JSON schemas of the OpenAPI document into fast-check arbitraries: `valid` gives values the
 * schema accepts but at its edges (longest and shortest strings, unicode and control characters,
 * boundary numbers, empty and largest arrays); `invalid` gives values it refuses (wrong types,
 * missing required fields, extra fields, out-of-range numbers, over-long strings, bad formats).
 * Only the keywords the CAST schemas use are understood; anything else falls back to any JSON value.
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  nullable?: boolean;
  $ref?: string;
}

/** Resolves `#/components/schemas/...` references against the document. */
export type Resolve = (schema: JsonSchema) => JsonSchema;

// Strings with no stated maximum are still bounded: the body limit, not the schema, stops them.
const UNBOUNDED_STRING = 4000;
// Arrays with a huge stated maximum are generated up to this many items (the body limit bounds them anyway).
const ARRAY_CAP = 300;

/** Characters that have broken text handling somewhere: NUL, controls, bidi overrides, BOM, lone surrogates, astral and combining characters. */
export const NASTY_CHARACTERS = ['\u0000', '\u0001', '\u0008', '\u001b', '\u007f', '\u0085', '\u00a0', '\u200b', '\u202e', '\u2028', '\ufeff', '\uffff', '\ud800', '\udfff', '𝄞', '😀', 'e\u0301', 'ß', 'İ', '日本', '\r\n', '\t'];
/** Texts that probe escaping and injection: SQL, HTML, template, path and format strings. */
export const NASTY_TEXTS = ["'; drop table users; --", "' or '1'='1", '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '${7*7}{{7*7}}', '../../../../etc/passwd', '%s%n%x', '\\', '%', '%00', 'null', 'undefined', '-0', '1e309', ' ', '    '];

const nasty = fc.oneof(fc.constantFrom(...NASTY_CHARACTERS), fc.constantFrom(...NASTY_TEXTS));

/** Fits a string into [min, max] characters (code points), so edge lengths are hit exactly. */
function fit(text: string, min: number, max: number, filler: string): string {
  let chars = [...text];
  if (chars.length > max) chars = chars.slice(0, max);
  while (chars.length < min) chars.push(filler);
  return chars.join('');
}

export function extremeString(min = 0, max?: number): fc.Arbitrary<string> {
  const upper = Math.min(max ?? UNBOUNDED_STRING, UNBOUNDED_STRING);
  const lower = Math.min(min, upper);
  const filler = fc.constantFrom('a', 'é', '𝄞', '\u0000', ' ', '日', '\u202e');
  return fc.oneof(
    // Exactly the longest and exactly the shortest allowed, in one- to four-byte characters.
    filler.map((c) => c.repeat(upper)).map((s) => fit(s, lower, upper, 'a')),
    filler.map((c) => fit('', lower, lower, c)),
    fc.string({ unit: 'grapheme', minLength: lower, maxLength: upper }).map((s) => fit(s, lower, upper, 'a')),
    fc.string({ unit: 'binary', minLength: lower, maxLength: Math.max(lower, Math.min(upper, 200)) }).map((s) => fit(s, lower, upper, 'a')),
    fc.array(nasty, { minLength: 1, maxLength: 8 }).map((parts) => fit(parts.join(''), lower, upper, 'a')),
  );
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const extremeDate = fc.oneof(
  fc.constantFrom(new Date('0001-01-01T00:00:00Z'), new Date('9999-12-31T23:59:59.999Z'), new Date('1970-01-01T00:00:00Z'), new Date('2000-02-29T12:00:00Z'), new Date()),
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
);

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength;
  const within = (s: string) => [...s].length >= min && (max === undefined || [...s].length <= max);
  switch (schema.format) {
    case 'uuid':
      return fc.oneof(fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'));
    case 'email':
      return fc.oneof(fc.emailAddress(), fc.constantFrom(`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.org`, 'a@b.co', 'Ünïcødé@exämple.org')).filter(within);
    case 'date':
      return extremeDate.map(isoDate);
    case 'date-time':
      return fc.oneof(extremeDate.map((d) => d.toISOString()), fc.constantFrom('2026-03-29T01:30:00+14:00', '2026-10-25T01:30:00-12:00', '2026-11-29T00:00:00Z'));
  }
  if (schema.pattern) {
    // fast-check can build strings matching a regular expression; its size bounds keep them short.
    return fc.stringMatching(new RegExp(schema.pattern), { size: 'medium' }).filter(within);
  }
  return extremeString(min, max);
}

function bound(value: number | boolean | undefined, fallback: number | undefined, step: number): number | undefined {
  return typeof value === 'number' ? value + step : fallback;
}

function numberFor(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const step = integer ? 1 : Number.EPSILON;
  const min = bound(schema.exclusiveMinimum, schema.minimum, step);
  const max = bound(schema.exclusiveMaximum, schema.maximum, -step);
  // Without stated bounds the edges are the edges of the database's columns and of JavaScript.
  const edges = [min, max, 0, -1, 1, 2_147_483_647, 2_147_483_648, -2_147_483_649, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER].filter(
    (n): n is number => n !== undefined && (min === undefined || n >= min) && (max === undefined || n <= max),
  );
  if (integer) {
    const range = fc.integer({ min: Math.ceil(Math.max(min ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER)), max: Math.floor(Math.min(max ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)) });
    return fc.oneof(fc.constantFrom(...(edges.length ? edges : [0])), range);
  }
  const doubles = [...edges, 1e308, -1e308, 5e-324, -0, 0.1, 89.999999999, -179.9999999].filter((n) => (min === undefined || n >= min) && (max === undefined || n <= max));
  return fc.oneof(fc.constantFrom(...(doubles.length ? doubles : [0])), fc.double({ noNaN: true, noDefaultInfinity: true, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) }));
}

function types(schema: JsonSchema): string[] {
  const list = schema.type === undefined ? [] : ([] as string[]).concat(schema.type);
  return schema.nullable && !list.includes('null') ? [...list, 'null'] : list;
}

/** Values the schema accepts, at its edges. */
export function valid(schema: JsonSchema, resolve: Resolve, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.anyOf) return fc.oneof(...s.anyOf.map((option) => valid(option, resolve, depth + 1)));
  if (s.oneOf) return fc.oneof(...s.oneOf.map((option) => valid(option, resolve, depth + 1)));
  if (s.allOf) return valid(mergeAll(s.allOf.map(resolve)), resolve, depth + 1);
  const list = types(s);
  if (list.length > 1) return fc.oneof(...list.map((type) => valid({ ...s, type, nullable: false }, resolve, depth + 1)));
  switch (list[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'string':
      return stringFor(s);
    case 'integer':
      return numberFor(s, true);
    case 'number':
      return numberFor(s, false);
    case 'array': {
      const item = s.items ? valid(s.items, resolve, depth + 1) : fc.jsonValue({ maxDepth: 2 });
      const minLength = s.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 20, depth > 0 ? 20 : ARRAY_CAP));
      const arrays = (size: { minLength: number; maxLength: number }) =>
        s.uniqueItems ? fc.uniqueArray(item, { ...size, selector: (v) => JSON.stringify(v) }) : fc.array(item, size);
      // Empty (or the fewest allowed), the most allowed, and anything between.
      return fc.oneof(arrays({ minLength, maxLength: minLength }), arrays({ minLength: maxLength, maxLength }), arrays({ minLength, maxLength: Math.min(maxLength, minLength + 5) }));
    }
    case 'object':
    default:
      if (!s.properties && s.type !== 'object') return fc.jsonValue({ maxDepth: 2 });
      return objectFor(s, resolve, depth);
  }
}

function mergeAll(parts: JsonSchema[]): JsonSchema {
  return {
    type: 'object',
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) as Record<string, JsonSchema>,
    required: parts.flatMap((p) => p.required ?? []),
  };
}

function objectFor(s: JsonSchema, resolve: Resolve, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = s.properties ?? {};
  const model = Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, valid(property, resolve, depth + 1)]));
  const record = fc.record(model, { requiredKeys: (s.required ?? []).filter((key) => key in properties) });
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    const extra = fc.dictionary(extremeString(1, 40), valid(s.additionalProperties, resolve, depth + 1), { maxKeys: 5 });
    return fc.tuple(record, extra).map(([known, more]) => ({ ...more, ...known }));
  }
  return record;
}

const WRONG_TYPES: Record<string, fc.Arbitrary<unknown>> = {
  string: fc.constantFrom(0, -1, 1.5, true, false, null, [], {}, ['a'], { a: 'b' }),
  integer: fc.constantFrom(1.5, '1', '', 'NaN', true, null, [], {}, 1e21, -1e21, 1e308, Number.MAX_SAFE_INTEGER + 2),
  number: fc.constantFrom('1', '', true, null, [], {}, '1e309'),
  boolean: fc.constantFrom('true', 'false', 0, 1, null, [], {}, 'on'),
  array: fc.constantFrom('a', 0, true, null, {}, { 0: 'a' }, 'a,b'),
  object: fc.constantFrom('a', 0, true, null, [], [{}], '{}'),
  null: fc.constantFrom('null', 0, false, [], {}),
};

/** Values the schema refuses: one thing wrong at the top, or deep inside an object or array. */
export function invalid(schema: JsonSchema, resolve: Resolve, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.const !== undefined || s.enum) return fc.oneof(extremeString(0, 40), fc.constantFrom(123, null, true, [], {}, 'Ünknown', ''));
  if (s.anyOf ?? s.oneOf) return fc.oneof(fc.constantFrom(null, 123, 'nothing-like-it', [], {}), invalid((s.anyOf ?? s.oneOf)![0]!, resolve, depth + 1));
  if (s.allOf) return invalid(mergeAll(s.allOf.map(resolve)), resolve, depth + 1);
  const list = types(s).filter((type) => type !== 'null');
  const type = list[0] ?? (s.properties ? 'object' : undefined);
  if (!type) return fc.constant(undefined);
  const wrongType = WRONG_TYPES[type] ?? fc.constant(null);
  const specific: fc.Arbitrary<unknown>[] = [];
  switch (type) {
    case 'string':
      if (s.maxLength !== undefined) specific.push(fc.constantFrom('a', '𝄞', ' ').map((c) => c.repeat(s.maxLength! + 1)));
      if (s.minLength) specific.push(fc.constant('a'.repeat(s.minLength - 1)));
      if (s.format || s.pattern) specific.push(fc.constantFrom('', ' ', 'not-valid', '0000-00-00', '2026-02-30', '2026-13-01T25:61:00Z', 'ffffffff-ffff-ffff-ffff-fffffffffffg', '@', 'a@', '\u0000', '1'.repeat(1000)));
      break;
    case 'integer':
    case 'number':
      if (s.maximum !== undefined) specific.push(fc.constant(s.maximum + 1));
      if (s.minimum !== undefined) specific.push(fc.constant(s.minimum - 1));
      specific.push(fc.constantFrom(1e300, -1e300, 2 ** 63, -(2 ** 63)));
      break;
    case 'array':
      if (s.maxItems !== undefined && s.maxItems < 5000) specific.push(fc.constant(new Array(s.maxItems + 1).fill(s.items?.type === 'string' ? 'a' : 1)));
      if (s.minItems) specific.push(fc.constant([]));
      if (s.items) specific.push(fc.tuple(valid(s, resolve, depth + 1), invalid(s.items, resolve, depth + 1)).map(([items, bad]) => [...(Array.isArray(items) ? items : []), bad]));
      break;
    case 'object':
      specific.push(...objectMutations(s, resolve, depth));
      break;
  }
  return fc.oneof(wrongType, ...specific);
}

function objectMutations(s: JsonSchema, resolve: Resolve, depth: number): fc.Arbitrary<unknown>[] {
  const properties = Object.keys(s.properties ?? {});
  const base = objectFor(s, resolve, depth);
  const mutations: fc.Arbitrary<unknown>[] = [
    // An unexpected field (the schemas refuse additional properties).
    fc.tuple(base, extremeString(1, 30), fc.jsonValue({ maxDepth: 1 })).map(([object, key, value]) => ({ ...object, [`x${key}`]: value })),
    // A field set to null.
    ...(properties.length ? [fc.tuple(base, fc.constantFrom(...properties)).map(([object, key]) => ({ ...object, [key]: null }))] : []),
  ];
  const required = (s.required ?? []).filter((key) => properties.includes(key));
  if (required.length) mutations.push(fc.tuple(base, fc.constantFrom(...required)).map(([object, key]) => Object.fromEntries(Object.entries(object).filter(([k]) => k !== key))));
  if (properties.length && depth < 3) {
    // One field wrong, the rest right.
    mutations.push(
      fc.constantFrom(...properties).chain((key) => fc.tuple(base, invalid(s.properties![key]!, resolve, depth + 1)).map(([object, bad]) => ({ ...object, [key]: bad }))),
    );
  }
  return mutations;
}
