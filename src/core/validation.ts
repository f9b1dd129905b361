/**
 * Validation at the edge. One TypeBox schema per command: it checks the input and, for API routes,
 * also documents the operation in OpenAPI. Failures come back as field → i18n key, so forms and the
 * API say the same thing in the reader's language.
 */
import { FormatRegistry, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { FieldErrors } from './outcome.ts';

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
if (!FormatRegistry.Has('email')) FormatRegistry.Set('email', (value) => value.length <= 254 && EMAIL.test(value));

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** Lower-cases and trims an e-mail address, so one person has one account. */
export function normaliseEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** Maps a JSON-schema keyword to the message a person reads. */
export function messageKeyFor(keyword: string): string {
  switch (keyword) {
    case 'required':
      return 'errors.required';
    case 'format':
      return 'errors.format';
    case 'maxLength':
    case 'maxItems':
      return 'errors.tooLong';
    case 'minLength':
    case 'minItems':
      return 'errors.tooShort';
    case 'pattern':
      return 'errors.pattern';
    case 'enum':
    case 'const':
    case 'anyOf':
      return 'errors.choice';
    case 'additionalProperties':
      return 'errors.unexpectedField';
    default:
      return 'errors.invalid';
  }
}

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checker<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check as TypeCheck<T>;
}

// TypeBox's error type numbers, mapped to the JSON-schema keyword they stand for.
function keywordOf(error: { schema: TSchema; message: string; value: unknown }): string {
  if (error.value === undefined) return 'required';
  const schema = error.schema as Record<string, unknown>;
  if (typeof error.value === 'string') {
    if (typeof schema.minLength === 'number' && error.value.length < schema.minLength) return 'minLength';
    if (typeof schema.maxLength === 'number' && error.value.length > schema.maxLength) return 'maxLength';
    if (schema.format) return 'format';
    if (schema.pattern) return 'pattern';
  }
  if (Array.isArray(error.value)) {
    if (typeof schema.minItems === 'number' && error.value.length < schema.minItems) return 'minItems';
    if (typeof schema.maxItems === 'number' && error.value.length > schema.maxItems) return 'maxItems';
  }
  if (schema.anyOf || schema.enum || schema.const !== undefined) return 'enum';
  return 'invalid';
}

/**
 * Checks a submitted form. Text fields are trimmed (passwords are left exactly as typed); empty
 * optional fields count as absent. A schema may name its own message with `errorKey`.
 */
export function checkForm<T extends TSchema>(
  schema: T,
  body: unknown,
  /** Checks beyond the schema (e.g. password rules), run even when the schema fails, so one round shows every problem. */
  refine?: (input: Record<string, unknown>) => FieldErrors,
): { ok: true; value: Static<T> } | { ok: false; errors: FieldErrors } {
  const input: Record<string, unknown> = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (key === '_csrf') continue;
      const text = typeof value === 'string' && !/password/i.test(key) ? value.trim() : value;
      if (text !== '') input[key] = text;
    }
  }
  const check = checker(schema);
  const found: FieldErrors = {};
  if (!check.Check(input)) {
    for (const error of check.Errors(input)) {
      const field = error.path.replace(/^\//, '').split('/')[0] || 'form';
      if (found[field]) continue;
      const own = (error.schema as { errorKey?: string }).errorKey;
      found[field] = own ?? messageKeyFor(keywordOf(error));
    }
  }
  for (const [field, key] of Object.entries(refine?.(input) ?? {})) found[field] ??= key;
  if (Object.keys(found).length === 0) return { ok: true, value: input };
  // In the order of the form's fields, so the summary reads top to bottom like the form.
  const order = Object.keys((schema as { properties?: Record<string, unknown> }).properties ?? {});
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  const errors: FieldErrors = {};
  for (const field of Object.keys(found).sort((a, b) => rank(a) - rank(b))) errors[field] = found[field]!;
  return { ok: false, errors };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value is a uuid, checked before it reaches a uuid column (which would reject it with an error). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
