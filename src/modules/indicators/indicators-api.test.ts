/** getIndicatorTaxonomy through the real server: languages, caching, refusals, the OpenAPI document. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '../../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { localisedTaxonomy, taxonomy, type LocalisedTaxonomy } from './index.ts';

describe('GET /api/v1/indicators (getIndicatorTaxonomy)', () => {
  let server: TestServer;
  let client: Client;

  before(async () => {
    server = await startTestServer();
    client = new Client(server.url);
  });
  after(async () => {
    await server.close();
  });

  test('answers in the language asked for, with every indicator, cacheable by anyone', async () => {
    const response = await client.get('/api/v1/indicators?lang=fr');
    assert.equal(response.status, 200);
    const body = response.json<LocalisedTaxonomy>();
    assert.deepEqual(body, JSON.parse(JSON.stringify(localisedTaxonomy('fr'))));
    assert.equal(body.language, 'fr');
    assert.equal(body.version, taxonomy().version);
    const sex = body.categories.find((c) => c.id === 'sex')!;
    assert.equal(sex.label, "Signes d'exploitation sexuelle");
    assert.deepEqual(sex.indicators.find((i) => i.id === 'sex.many-visitors')!.exploitationTypes, ['sexual']);
    assert.equal(response.headers.get('etag'), `"${taxonomy().version}-fr"`);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=3600');
    assert.equal(response.headers.get('content-language'), 'fr');
    assert.match(response.headers.get('vary') ?? '', /Accept-Language/);
    assert.equal(response.headers.get('set-cookie'), null, 'a cacheable answer sets no cookie');
  });

  test('a current ETag gets 304 with no body; another language has another ETag', async () => {
    const first = await client.get('/api/v1/indicators?lang=en');
    const etag = first.headers.get('etag')!;
    const again = await client.get('/api/v1/indicators?lang=en', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    const french = await client.get('/api/v1/indicators?lang=fr', { 'if-none-match': etag });
    assert.equal(french.status, 200);
    assert.notEqual(french.headers.get('etag'), etag);
    const stale = await client.get('/api/v1/indicators?lang=en', { 'if-none-match': '"0-en"' });
    assert.equal(stale.status, 200);
  });

  test('without ?lang the language comes from Accept-Language, else English', async () => {
    const french = await client.get('/api/v1/indicators', { 'accept-language': 'fr-CI, fr;q=0.9, en;q=0.5' });
    assert.equal(french.json<LocalisedTaxonomy>().language, 'fr');
    const plain = await new Client(server.url).get('/api/v1/indicators');
    assert.equal(plain.json<LocalisedTaxonomy>().language, 'en');
  });

  test('an unknown language is refused with 400 and a clear message; nothing else is accepted in the query', async () => {
    const response = await client.get('/api/v1/indicators?lang=de');
    assert.equal(response.status, 400);
    assert.deepEqual(response.json(), { error: { code: 'unknown-language', message: 'Unknown language. Ask for lang=en or lang=fr.' } });
    const french = await client.get('/api/v1/indicators?lang=xx', { 'accept-language': 'fr' });
    assert.equal(french.json<{ error: { message: string } }>().error.message, 'Langue inconnue. Demandez lang=en ou lang=fr.');
    assert.equal((await client.get('/api/v1/indicators?lang=en&extra=1')).status, 422);
    assert.equal((await client.get(`/api/v1/indicators?lang=${'e'.repeat(40)}`)).status, 422);
  });

  test('a stray or revoked API token does not stop the public answer', async () => {
    const response = await client.get('/api/v1/indicators?lang=en', { authorization: 'Bearer cast_not-a-real-token' });
    assert.equal(response.status, 200);
  });

  test('is in the OpenAPI document with its response schema and an example', async () => {
    interface Media { schema: { properties: Record<string, unknown> }; example?: unknown; examples?: Record<string, unknown> }
    interface Operation { operationId: string; security: unknown[]; responses: Record<string, { content: Record<string, Media> }> }
    const doc = (await client.get('/api/openapi.json')).json<{ paths: Record<string, Record<string, Operation>> }>();
    const operation = doc.paths['/api/v1/indicators']!.get!;
    assert.equal(operation.operationId, 'getIndicatorTaxonomy');
    assert.deepEqual(operation.security, []);
    const content = operation.responses['200']!.content['application/json']!;
    assert.ok(content.schema.properties.categories);
    const example = content.example ?? Object.values(content.examples ?? {})[0];
    assert.ok(example, 'has an example');
    assert.ok(operation.responses['400']);
  });
});
