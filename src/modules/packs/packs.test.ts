/**
 * The packs module through the real server and database: browsing and filtering, a pack in both
 * languages, the helpful 404s, every internal link of the content, the PDFs parsed back with
 * poppler (pages, text, embedded fonts, both languages, cached), the "what to look for" pages and
 * the self-check (anonymous totals only; tampered submissions change nothing), and the OpenAPI
 * document.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { Client, csrfFrom } from '../../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { taxonomy } from '../indicators/index.ts';
import { packContent } from './content.ts';

/** Runs a poppler tool on a PDF and returns its output. */
function poppler(tool: 'pdfinfo' | 'pdftotext' | 'pdffonts', pdf: Buffer, args: string[] = []): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cast-pdf-')), 'pack.pdf');
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

async function pdfOf(client: Client, url: string): Promise<{ status: number; body: Buffer; headers: Headers }> {
  const response = await fetch(new URL(url, client.baseUrl));
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

describe('Action Packs, "what to look for" and the self-check', () => {
  let server: TestServer;
  let client: Client;

  before(async () => {
    server = await startTestServer();
    client = new Client(server.url);
  });
  after(async () => {
    await server.close();
  });

  const totals = async (scenario: string) =>
    (await sql<{ option_id: string; picked: string }>`select option_id, picked from self_check_totals where scenario_id = ${scenario} order by option_id`.execute(server.cast.database.db)).rows.map((r): [string, number] => [r.option_id, Number(r.picked)]);

  test('the list shows every pack and filters by audience and topic, without JavaScript', async () => {
    const all = await client.get('/packs');
    assert.equal(all.status, 200);
    for (const pack of packContent().packs.values()) assert.match(all.text, new RegExp(`href="/packs/${pack.slug}\\?lang=en&amp;version=${pack.version}"`));
    const schools = await client.get('/packs?audience=schools&topic=chocolate');
    assert.match(schools.text, /chocolate-schools-and-groups/);
    assert.doesNotMatch(schools.text, /href="\/packs\/schools-sex-trafficking/);
    const bad = await client.get('/packs?audience=pirates');
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Choose one of the audiences in the list/);
  });

  test('a pack reads in English and French, with activities, what to look for from the taxonomy, and its PDF link', async () => {
    const en = await client.get('/packs/schools-sex-trafficking');
    assert.equal(en.status, 200);
    assert.match(en.text, /<article lang="en"/);
    assert.match(en.text, /Ideas for activities/);
    assert.match(en.text, /Age range/);
    assert.match(en.text, /data-indicator="sex.many-visitors"/);
    assert.match(en.text, /href="\/groups\/new"/);
    assert.match(en.text, /href="\/api\/v1\/packs\/schools-sex-trafficking\/pdf\?lang=en&amp;version=1"/);
    assert.match(en.text, /Lire en français/);
    const fr = await client.get('/packs/schools-sex-trafficking?lang=fr&version=1');
    assert.equal(fr.status, 200);
    assert.match(fr.text, /<article lang="fr"/);
    // Inside the French pack, the generated parts are French too, though the reader's pages are in English.
    const article = fr.text.slice(fr.text.indexOf('<article'), fr.text.indexOf('</article>'));
    for (const phrase of ["Kit d'action pour les écoles", "Idées d'activités", "Ce qu'il faut remarquer", "Tranche d'âge", 'Version 1, mise à jour le 2026-11-28']) assert.ok(article.includes(phrase), phrase);
    assert.ok(!article.includes('Ideas for activities'));
  });

  test('an unknown pack, language or version is a 404 page that says which and offers the way on', async () => {
    const cases: [string, RegExp][] = [
      ['/packs/no-such-pack', /There is no Action Pack at this address/],
      ['/packs/schools-sex-trafficking?lang=de', /not available in that language/],
      ['/packs/schools-sex-trafficking?version=7', /That version of this Action Pack is not available/],
      ['/packs/schools-sex-trafficking?version=abc', /That version of this Action Pack is not available/],
    ];
    for (const [url, message] of cases) {
      const response = await client.get(url);
      assert.equal(response.status, 404, url);
      assert.match(response.text, message, url);
      assert.match(response.text, /href="\/packs"/, url);
    }
    assert.match((await client.get('/packs/schools-sex-trafficking?version=7')).text, /href="\/packs\/schools-sex-trafficking\?lang=en&amp;version=1"/);
    for (const url of ['/api/v1/packs/nope', '/api/v1/packs/schools-sex-trafficking?lang=de', '/api/v1/packs/schools-sex-trafficking/pdf?version=2']) {
      const response = await client.get(url);
      assert.equal(response.status, 404, url);
      assert.equal(response.json<{ error: { code: string } }>().error.code, 'not-found');
    }
  });

  test('every internal link in every pack and self-check leads to a page that exists', async () => {
    const links = new Set<string>();
    const content = packContent();
    for (const pack of content.packs.values()) for (const text of pack.text.values()) for (const link of text.parsed.links) if (link.startsWith('/')) links.add(link);
    for (const scenario of content.scenarios.values()) for (const text of scenario.text.values()) for (const link of text.links) if (link.startsWith('/')) links.add(link);
    assert.ok(links.has('/groups/new') && links.has('/report'));
    for (const link of links) {
      const response = await client.get(link);
      // Group creation asks a visitor to sign in first (303): the page exists.
      assert.ok(response.status === 200 || response.status === 303, `${link} answered ${response.status}`);
    }
  });

  test('the API lists packs and returns one with what to look for built from the taxonomy', async () => {
    const list = await client.get('/api/v1/packs?audience=businesses&lang=fr');
    assert.equal(list.status, 200);
    const packs = list.json<{ slug: string; language: string; links: { pdf: string } }[]>();
    assert.deepEqual(packs.map((p) => p.slug).sort(), ['businesses-chocolate', 'businesses-sex-trafficking']);
    assert.ok(packs.every((p) => p.language === 'fr' && p.links.pdf.includes('lang=fr')));
    assert.equal((await client.get('/api/v1/packs?topic=knitting')).status, 422);
    const pack = (await client.get('/api/v1/packs/schools-sex-trafficking?lang=en')).json<{ version: number; lookFor: { taxonomyVersion: string; groups: { indicators: { id: string }[] }[] }; markdown: string; html: string; activities: { ages: string }[] }>();
    assert.equal(pack.version, 1);
    assert.equal(pack.lookFor.taxonomyVersion, taxonomy().version);
    const ids = pack.lookFor.groups.flatMap((g) => g.indicators.map((i) => i.id));
    const expected = [...taxonomy().indicators.values()].filter((i) => i.exploitationTypes.includes('sexual') || i.exploitationTypes.includes('child')).map((i) => i.id);
    for (const id of expected) assert.ok(ids.includes(id), id);
    assert.ok(pack.activities.every((a) => a.ages));
    assert.match(pack.markdown, /## Report safely/);
    assert.match(pack.html, /<h2 id="report-safely">/);
  });

  test('each PDF parses back: A4 pages, the text of the pack, embedded fonts, in both languages; cached with an ETag', async () => {
    for (const [language, phrases] of [
      ['en', ['Action Pack for schools', 'Ideas for activities', 'What to look for', 'Many short visits to a home', 'Freedom Week', 'page 1 of']],
      ['fr', ["Kit d'action pour les écoles", "Idées d'activités", "Ce qu'il faut remarquer", 'Semaine de la liberté', 'page 1 sur']],
    ] as const) {
      const pdf = await pdfOf(client, `/api/v1/packs/schools-sex-trafficking/pdf?lang=${language}&version=1`);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      assert.match(pdf.headers.get('content-disposition') ?? '', new RegExp(`filename="cast-schools-sex-trafficking-${language}-v1.pdf"`));
      const info = poppler('pdfinfo', pdf.body);
      const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
      assert.ok(pages >= 2 && pages <= 12, `${pages} pages`);
      assert.match(info, /Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
      const text = poppler('pdftotext', pdf.body).replace(/\s+/g, ' ');
      for (const phrase of phrases) assert.ok(text.includes(phrase), `${language}: "${phrase}" not in the PDF`);
      const fonts = poppler('pdffonts', pdf.body).split('\n').slice(2).filter(Boolean);
      assert.ok(fonts.length >= 2);
      for (const line of fonts) assert.match(line, /DejaVuSans.*\s+yes\s+yes\s+yes\s/, `font not embedded: ${line}`);
      // Cached: the same bytes again, and a 304 for the current ETag.
      const again = await pdfOf(client, `/api/v1/packs/schools-sex-trafficking/pdf?lang=${language}&version=1`);
      assert.ok(again.body.equals(pdf.body));
      const etag = pdf.headers.get('etag')!;
      const notModified = await client.get(`/api/v1/packs/schools-sex-trafficking/pdf?lang=${language}&version=1`, { 'if-none-match': etag });
      assert.equal(notModified.status, 304);
    }
    const en = await client.get('/api/v1/packs/schools-sex-trafficking/pdf?lang=en');
    const fr = await client.get('/api/v1/packs/schools-sex-trafficking/pdf?lang=fr');
    assert.notEqual(en.headers.get('etag'), fr.headers.get('etag'), 'one cached PDF per language');
  });

  test('every pack makes a PDF in every language', async () => {
    for (const pack of packContent().packs.values()) {
      for (const language of pack.text.keys()) {
        const pdf = await pdfOf(client, `/api/v1/packs/${pack.slug}/pdf?lang=${language}`);
        assert.equal(pdf.status, 200, `${pack.slug} ${language}`);
        assert.ok(poppler('pdftotext', pdf.body).replace(/\s+/g, ' ').includes(pack.text.get(language)!.title.replace(/\s+/g, ' ')), `${pack.slug} ${language}: title`);
      }
    }
  });

  test('"what to look for" pages come from the taxonomy, with report and emergency actions', async () => {
    const index = await client.get('/what-to-look-for');
    assert.equal(index.status, 200);
    assert.match(index.text, /href="\/what-to-look-for\/labour"/);
    const page = await client.get('/what-to-look-for/labour?country=GB');
    assert.equal(page.status, 200);
    assert.match(page.text, /href="\/report"/);
    assert.match(page.text, /id="emergency"/);
    assert.match(page.text, /call the police on 999/);
    for (const indicator of taxonomy().indicators.values()) {
      assert.equal(page.text.includes(`data-indicator="${indicator.id}"`), indicator.exploitationTypes.includes('labour'), indicator.id);
    }
    assert.match((await client.get('/what-to-look-for/labour')).text, /call the police on 112/);
    assert.equal((await client.get('/what-to-look-for/piracy')).status, 404);
    const api = await client.get('/api/v1/what-to-look-for/sexual?lang=fr&country=FR');
    assert.equal(api.status, 200);
    const body = api.json<{ label: string; emergency: { advice: string }; actions: { report: string } }>();
    assert.equal(body.label, 'Exploitation sexuelle');
    assert.match(body.emergency.advice, /17/);
    assert.equal(body.actions.report, '/report');
    assert.equal((await client.get('/api/v1/what-to-look-for/sexual?country=ZZ')).status, 422);
    assert.equal((await client.get('/api/v1/what-to-look-for/nope')).status, 404);
  });

  test('the self-check works as a plain form and stores only anonymous totals', async () => {
    const before = await totals('the-car-wash');
    const page = await client.get('/self-check/the-car-wash');
    assert.equal(page.status, 200);
    const sent = await client.postForm('/self-check/the-car-wash', { _csrf: csrfFrom(page.text), picked: ['price', 'van', 'radio'] });
    assert.equal(sent.status, 303);
    assert.equal(sent.location, '/self-check/the-car-wash/result?picked=price&picked=van&picked=radio');
    const result = await client.get(sent.location);
    assert.equal(result.status, 200);
    assert.match(result.text, /You noticed 2 of the 4 signs/);
    assert.match(result.text, /You also ticked 1 thing that is not a sign/);
    assert.match(result.text, /Music at work tells you nothing/);
    assert.match(result.text, /href="\/report"/);
    const after = new Map(await totals('the-car-wash'));
    const was = new Map(before);
    for (const option of ['', 'price', 'van', 'radio']) assert.equal(after.get(option), (was.get(option) ?? 0) + 1, option || 'checks');
    assert.equal(after.get('young') ?? 0, was.get('young') ?? 0);
    // What the table can hold: counts per scenario and option, nothing else.
    const columns = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'self_check_totals' order by ordinal_position`.execute(server.cast.database.db);
    assert.deepEqual(columns.rows.map((r) => r.column_name), ['scenario_id', 'option_id', 'picked']);
  });

  test('a tampered self-check is refused whole and changes nothing', async () => {
    const before = await totals('the-flat-upstairs');
    const page = await client.get('/self-check/the-flat-upstairs');
    const csrf = csrfFrom(page.text);
    const tampered: Record<string, string | string[]>[] = [
      { picked: ['visitors', 'made-up-option'] },
      { picked: ['visitors', 'visitors'] },
      { picked: ['visitors'], score: '100' },
      { picked: Array.from({ length: 13 }, (_, i) => `o${i}`) },
    ];
    for (const fields of tampered) {
      const response = await client.postForm('/self-check/the-flat-upstairs', { _csrf: csrf, ...fields });
      assert.equal(response.status, 422, JSON.stringify(fields));
      assert.match(response.text, /We could not read your answers/);
    }
    assert.equal((await client.postForm('/self-check/the-flat-upstairs', { picked: 'visitors' })).status, 403, 'no CSRF token');
    assert.equal((await client.postForm('/self-check/no-such-scene', { _csrf: csrf, picked: 'visitors' })).status, 404);
    for (const body of [{ picked: ['bogus'] }, { picked: ['visitors'], extra: true }, { picked: 'visitors' }]) {
      const response = await client.json('POST', '/api/v1/self-check/the-flat-upstairs', body);
      assert.equal(response.status, 422, JSON.stringify(body));
    }
    assert.equal((await client.json('POST', '/api/v1/self-check/no-such-scene', { picked: [] })).status, 404);
    assert.deepEqual(await totals('the-flat-upstairs'), before);
  });

  test('the self-check API explains each option and counts the check', async () => {
    const before = (await client.get('/api/v1/self-check/the-flat-upstairs/totals')).json<{ checks: number; picked: Record<string, number> }>();
    const response = await client.json('POST', '/api/v1/self-check/the-flat-upstairs?lang=fr', { picked: ['visitors', 'language'] });
    assert.equal(response.status, 200);
    const result = response.json<{ noticed: number; signs: number; options: { id: string; sign: boolean; indicator: { id: string } | null; why: string | null }[] }>();
    assert.equal(result.noticed, 1);
    assert.equal(result.signs, 4);
    assert.equal(result.options.find((o) => o.id === 'visitors')!.indicator!.id, 'sex.many-visitors');
    assert.match(result.options.find((o) => o.id === 'language')!.why!, /jamais des signes/);
    const after = (await client.get('/api/v1/self-check/the-flat-upstairs/totals')).json<{ checks: number; picked: Record<string, number> }>();
    assert.equal(after.checks, before.checks + 1);
    assert.equal(after.picked.language, before.picked.language! + 1);
    assert.equal(after.picked.windows, before.picked.windows);
  });

  test('the OpenAPI document has every operation of the issue, with examples', async () => {
    const doc = (await client.get('/api/openapi.json')).json<{ paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> }>();
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((m) => m.operationId));
    for (const id of ['listActionPacks', 'getActionPack', 'getActionPackPdf', 'getIndicatorPage', 'submitSelfCheck', 'getSelfCheckTotals']) assert.ok(operations.includes(id), id);
    assert.match(JSON.stringify(doc.paths['/api/v1/self-check/{scenario}']), /"example":\{"picked"/);
    assert.match(JSON.stringify(doc.paths['/api/v1/packs/{slug}']), /"example":\{"slug":"schools-sex-trafficking"/);
  });
});
