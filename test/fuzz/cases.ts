/**
 * One fuzz case per draw: how to call an operation of the OpenAPI document (path values, query,
 * body, headers), drawn by fast-check from the operation's schemas. Valid-but-extreme cases and
 * invalid ones (bad types, malformed JSON, huge bodies, odd content types and headers, bad ids in
 * paths, bad query strings) are mixed, so every operation sees each kind.
 */
import fc from 'fast-check';
import { extremeString, invalid, NASTY_CHARACTERS, NASTY_TEXTS, valid, type JsonSchema, type Resolve } from './schema-arbitrary.ts';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

export interface Operation {
  id: string;
  method: string;
  /** The OpenAPI path, with `{name}` placeholders. */
  path: string;
  parameters: Parameter[];
  body?: { schema: JsonSchema; required: boolean; examples: unknown[] };
}

export const VARIANTS = ['example', 'example-extreme', 'valid', 'invalid-body', 'malformed-json', 'huge-body', 'content-type', 'headers', 'bad-path', 'bad-query'] as const;
export type Variant = (typeof VARIANTS)[number];

/** A path value: a known value (from fixtures and earlier answers, picked at send time) or a drawn one. */
export type PathValue = { known: number } | { value: string; raw?: boolean };

export type Body = { json: unknown } | { raw: string } | { hugeBytes: number };

export interface Case {
  variant: Variant;
  path: Record<string, PathValue>;
  query: [string, string][];
  body?: Body;
  /** Replaces the usual content type (`null`: none at all). */
  contentType?: string | null;
  headers: Record<string, string>;
  /** Leave out the CSRF header, or send a wrong one. */
  csrf: 'right' | 'missing' | 'wrong';
}

const BAD_PATH_VALUES = [
  'not-a-uuid', '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '123', '-1', '0', '1e999', 'NaN', 'null', 'undefined',
  "1' or '1'='1", '%00', '\u0000', '日本語', '𝄞', 'a'.repeat(300), 'x'.repeat(5000), ' ', '..', '.', '%2e%2e', 'a/b', '\\', 'Gb', 'gb', 'ZZ', 'GBR',
  '{id}', ':id', '6ba7b810-9dad-11d1-80b4-00c04fd430c8x', '6ba7b8109dad11d180b400c04fd430c8',
];
/** Sent as is, unencoded: broken percent-encoding and path tricks. */
const RAW_PATH_VALUES = ['%', '%zz', '%E0%A4%A', '%00', '%FF%FE', '..%2F..%2Fetc', '%2F', '%C0%AE%C0%AE', '%u0000'];

const MALFORMED_JSON = ['{', '{"a":', '[1,2', 'nul', '{"a":1}}', "{'a':1}", '{"a":NaN}', '{"a":Infinity}', '{"a":1,}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{}}}', '"\\ud800"', '"\\u0000"', '\u0000', '\ufeff{}', '[]', '0', '""', 'true', 'null', '{"a":"\\x41"}', `${'['.repeat(5000)}${']'.repeat(5000)}`, `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`, '{"a":1e999999}', '{"a":-0}', '{"a":123456789012345678901234567890}'];

const ODD_CONTENT_TYPES = ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=----fuzz', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'APPLICATION/JSON', 'application/json;;;', 'application/vnd.api+json', 'application/octet-stream', '*/*', 'application/json, text/plain', 'image/png', ''];

const ODD_HEADERS: Record<string, fc.Arbitrary<string>> = {
  accept: fc.constantFrom('*/*', 'text/html', 'application/xml', 'image/*;q=0', 'x'.repeat(1000), ''),
  'accept-language': fc.constantFrom('fr', 'en-GB,fr;q=0.5', 'zz', '*', 'fr-CI;q=abc', 'x'.repeat(1000), ';;;,,,', 'de'),
  'x-request-id': fc.constantFrom('short', 'a'.repeat(65), 'ok-request-id-123', '../../etc', '<script>', '\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9'),
  authorization: fc.constantFrom('Bearer ', 'Bearer cast_notarealtoken', 'Basic YWRtaW46YWRtaW4=', 'Bearer a b', 'bearer\tcast_x', 'x'.repeat(1000), 'Bearer cast_' + 'A'.repeat(500)),
  cookie: fc.constantFrom('cast_session=nope', 'cast_session=; cast_csrf=', 'cast_lang=zz', 'cast_session=' + 'a'.repeat(1000), '=;=;=', 'cast_csrf=%00'),
  'content-encoding': fc.constantFrom('gzip', 'br', 'deflate', 'identity', 'x-fuzz'),
  'x-forwarded-for': fc.constantFrom('1.2.3.4', 'not-an-ip', '::1, 8.8.8.8', 'x'.repeat(500)),
  'if-none-match': fc.constantFrom('*', '"abc"', 'W/"x"', ''),
  range: fc.constantFrom('bytes=5-2', 'bytes=0-', 'lines=1-2', 'bytes=-99999999999999999999'),
};

const knownOrDrawn = (parameter: Parameter, resolve: Resolve): fc.Arbitrary<PathValue> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.nat().map((known): PathValue => ({ known })) },
    { weight: 1, arbitrary: (parameter.schema ? valid(parameter.schema, resolve) : extremeString(1, 40)).map((value): PathValue => ({ value: String(value) })) },
  );

function pathValues(op: Operation, resolve: Resolve, bad: boolean): fc.Arbitrary<Record<string, PathValue>> {
  const params = op.parameters.filter((p) => p.in === 'path');
  const model: Record<string, fc.Arbitrary<PathValue>> = {};
  for (const [index, parameter] of params.entries()) {
    // One parameter at a time goes wrong, the others stay right, so the bad one is what is tested.
    model[parameter.name] =
      bad && index === params.length - 1
        ? fc.oneof(
            fc.constantFrom(...BAD_PATH_VALUES).map((value): PathValue => ({ value })),
            fc.constantFrom(...RAW_PATH_VALUES).map((value): PathValue => ({ value, raw: true })),
            extremeString(1, 200).map((value): PathValue => ({ value })),
          )
        : knownOrDrawn(parameter, resolve);
  }
  return fc.record(model);
}

function validQuery(op: Operation, resolve: Resolve): fc.Arbitrary<[string, string][]> {
  const params = op.parameters.filter((p) => p.in === 'query');
  if (params.length === 0) return fc.constant([]);
  return fc
    .tuple(...params.map((p) => (p.required ? valid(p.schema ?? {}, resolve).map((v) => [p.name, v] as const) : fc.option(valid(p.schema ?? {}, resolve).map((v) => [p.name, v] as const), { nil: undefined }))))
    .map((pairs) => pairs.filter((pair): pair is readonly [string, unknown] => pair !== undefined).flatMap(([name, value]) => queryPairs(name, value)));
}

/** A drawn value as query text: scalars as they are, anything else as JSON. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

function queryPairs(name: string, value: unknown): [string, string][] {
  if (Array.isArray(value)) return value.map((v) => [name, asText(v)]);
  return [[name, asText(value)]];
}

function badQuery(op: Operation, resolve: Resolve): fc.Arbitrary<[string, string][]> {
  const names = op.parameters.filter((p) => p.in === 'query');
  const oddValue = fc.oneof(fc.constantFrom(...NASTY_TEXTS, ...NASTY_CHARACTERS, '', '[]', '{}', '-1', '1e999', '99999999999999999999', 'true'), extremeString(0, 3000));
  const wrong = names.length
    ? fc.constantFrom(...names).chain((p) => fc.tuple(fc.constant(p.name), fc.oneof(oddValue, invalid(p.schema ?? {}, resolve).map(asText))))
    : fc.tuple(extremeString(1, 20), oddValue);
  return fc.tuple(validQuery(op, resolve), fc.array(wrong, { minLength: 1, maxLength: 3 }), fc.option(fc.tuple(extremeString(1, 30), oddValue), { nil: undefined })).map(([ok, bad, extra]) => [
    ...ok,
    ...bad,
    // The same key again (an array where a string is expected), and an unknown key.
    ...(ok[0] ? [ok[0]] : []),
    ...(extra ? [extra] : []),
  ]);
}

type Leaf = { path: (string | number)[]; value: string | number | boolean | null };

function leavesOf(value: unknown, path: (string | number)[] = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leavesOf(item, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => leavesOf(item, [...path, key]));
  return [{ path, value: value as Leaf['value'] }];
}

function withLeaf(value: unknown, path: (string | number)[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) }) as Record<string | number, unknown>;
  copy[head!] = withLeaf(copy[head!], rest, leaf);
  return copy;
}

/**
 * A documented example with one value pushed to an extreme of its kind (a string made of NULs or
 * bidi overrides, a number at a column's limit): the example passes the cross-field rules a random
 * body rarely meets, so the extreme value travels as deep as it can.
 */
function extremeLeaf(example: unknown): fc.Arbitrary<unknown> {
  const leaves = leavesOf(example);
  if (leaves.length === 0) return fc.constant(example);
  return fc.constantFrom(...leaves).chain((leaf) => {
    const replacement: fc.Arbitrary<unknown> =
      typeof leaf.value === 'number'
        ? fc.constantFrom(0, -1, 2_147_483_648, -2_147_483_649, Number.MAX_SAFE_INTEGER, 1e308, 5e-324, 0.1)
        : fc.oneof(extremeString(0, 300), fc.constantFrom(...NASTY_CHARACTERS).map((c) => `${String(leaf.value)}${c}`));
    return replacement.map((value) => withLeaf(example, leaf.path, value));
  });
}

export function caseArbitrary(op: Operation, resolve: Resolve): fc.Arbitrary<Case> {
  const hasPath = op.parameters.some((p) => p.in === 'path');
  const sendsBody = op.method !== 'GET' && op.method !== 'HEAD';
  const variants = VARIANTS.filter((v) => {
    if (v === 'bad-path') return hasPath;
    if (v === 'example' || v === 'example-extreme') return sendsBody && (op.body?.examples.length ?? 0) > 0;
    if (['invalid-body', 'malformed-json', 'huge-body', 'content-type'].includes(v)) return sendsBody;
    return true;
  });
  const bodySchema = op.body?.schema ?? {};
  const validBody: fc.Arbitrary<Body | undefined> = op.body ? valid(bodySchema, resolve).map((json) => ({ json })) : fc.constant(undefined);
  const anyJson = fc.jsonValue({ maxDepth: 3 }).map((json): Body => ({ json }));
  const base = (variant: Variant, body: fc.Arbitrary<Body | undefined>, rest: Partial<Record<'path' | 'query' | 'contentType' | 'headers' | 'csrf', fc.Arbitrary<unknown>>> = {}) =>
    fc.record({
      variant: fc.constant(variant),
      path: rest.path ?? pathValues(op, resolve, false),
      query: rest.query ?? validQuery(op, resolve),
      body,
      contentType: rest.contentType ?? fc.constant(undefined),
      headers: rest.headers ?? fc.constant({}),
      csrf: rest.csrf ?? fc.constant('right'),
    }) as fc.Arbitrary<Case>;
  return fc.constantFrom(...variants).chain((variant): fc.Arbitrary<Case> => {
    switch (variant) {
      case 'example':
        return base(variant, fc.constantFrom(...op.body!.examples).map((json): Body => ({ json })));
      case 'example-extreme':
        return base(variant, fc.constantFrom(...op.body!.examples).chain((example) => extremeLeaf(example).map((json): Body => ({ json }))));
      case 'valid':
        return base(variant, validBody);
      case 'invalid-body':
        return base(variant, op.body ? fc.oneof(invalid(bodySchema, resolve).map((json): Body => ({ json })), anyJson) : anyJson);
      case 'malformed-json':
        return base(variant, fc.constantFrom(...MALFORMED_JSON).map((raw): Body => ({ raw })));
      case 'huge-body':
        // Just over the default 1 MiB limit, or far over it.
        return base(variant, fc.constantFrom(1_048_577, 3_000_000).map((hugeBytes): Body => ({ hugeBytes })));
      case 'content-type':
        return base(variant, fc.oneof(validBody, fc.constantFrom('a=1&b=2', '<x/>', '--fuzz--').map((raw): Body => ({ raw }))), {
          contentType: fc.oneof(fc.constantFrom(...ODD_CONTENT_TYPES), fc.constant(null)),
        });
      case 'headers':
        return base(variant, validBody, {
          headers: fc.record(ODD_HEADERS, { requiredKeys: [] }),
          csrf: fc.constantFrom('right', 'missing', 'wrong'),
        });
      case 'bad-path':
        return base(variant, validBody, { path: pathValues(op, resolve, true) });
      case 'bad-query':
        return base(variant, validBody, { query: badQuery(op, resolve) });
    }
  });
}
