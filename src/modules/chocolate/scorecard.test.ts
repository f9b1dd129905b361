import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { Client, csrfFrom } from '../../../test/support/client.ts';
import { person } from '../../../test/support/people.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { COMPANIES_CSV, editor, importCsv, type Person } from './test-helpers.ts';

type ApiError = { error: { code: string; message: string; fields?: Record<string, string> } };
type Card = { year: number | null; years: number[]; criteria: { slug: string }[]; companies: { slug: string; grades: Record<string, string | null>; average: number | null }[] };

describe('chocolate: scorecard, commitments, guide and editors', () => {
  let server: TestServer;
  let ed: Person;
  before(async () => {
    server = await startTestServer();
    ed = await editor(server);
    await importCsv(ed, 'companies', COMPANIES_CSV);
  });
  after(async () => {
    await server.close();
  });
  const db = () => server.cast.database.db;
  const count = async (table: string) => Number((await db().selectFrom(table as never).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  test('the commitments tracker is seeded with the Harkin-Engel timeline and the 2020 findings, with sources', async () => {
    const response = await new Client(server.url).get('/api/v1/chocolate/commitments');
    assert.equal(response.status, 200);
    const list = response.json<{ slug: string; status: string; madeOn: string; deadline: string; sourceUrl: string; events: { kind: string; on: string; newDeadline: string | null; summary: string; sourceUrl: string }[] }[]>();
    const protocol = list.find((m) => m.slug === 'harkin-engel-protocol')!;
    assert.equal(protocol.madeOn, '2001-09-19');
    assert.equal(protocol.deadline, '2008-07-01');
    assert.equal(protocol.status, 'missed');
    const extension = protocol.events.find((e) => e.kind === 'extension')!;
    assert.deepEqual([extension.on, extension.newDeadline], ['2005-07-01', '2008-07-01']);
    const framework = list.find((m) => m.slug === 'framework-of-action-2010')!;
    assert.match(framework.events.map((e) => e.summary).join(' '), /1\.56 million.*45%.*31%/);
    assert.ok([protocol, framework].flatMap((m) => [m.sourceUrl, ...m.events.map((e) => e.sourceUrl)]).every((url) => url.startsWith('https://')));
    const page = await new Client(server.url).get('/chocolate/commitments');
    assert.equal(page.status, 200);
    assert.match(page.text, /Harkin-Engel Protocol/);
    assert.match(page.text, /Deadline extended/);
  });

  test('editors import companies from CSV and export them back identically', async () => {
    const exported = await ed.browser.get('/chocolate/manage/export/companies');
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get('content-type')!, /text\/csv/);
    const rows = parseCsv<Record<string, string>>(exported.text, { columns: true, bom: true });
    const bean = rows.find((r) => r.slug === 'bean-bros')!;
    assert.equal(bean.brands, 'Bonbon; Fève, la vraie');
    assert.equal(bean.parent_company, 'Bean Holdings');
    assert.equal(rows.find((r) => r.slug === 'cocoa-giant')!.suggested, 'yes');
    // Importing what was exported changes nothing.
    const before = await count('chocolate_companies');
    await importCsv(ed, 'companies', exported.text);
    assert.equal(await count('chocolate_companies'), before);
    assert.equal((await ed.browser.get('/chocolate/manage/export/companies')).text, exported.text);
  });

  test('a CSV with bad rows imports nothing and names each bad line and column', async () => {
    const before = await count('chocolate_assessments');
    const csv = [
      'company,criterion,year,grade,source_url,note',
      'cocoa-giant,traceability,2024,B,https://example.org/a,fine',
      'cocoa-giant,traceability,2025,F,https://example.org/b,',
      'nobody,living-income,2025,C,not a link,',
      '"unclosed,traceability,2025,C,https://example.org,',
    ].join('\n');
    const page = await ed.browser.get('/chocolate/manage');
    const response = await ed.browser.postForm('/chocolate/manage/import', { _csrf: csrfFrom(page.text), dataset: 'assessments', csv });
    assert.equal(response.status, 422);
    assert.match(response.text, /A quoted value starting on this line never ends/);
    const fixed = csv.split('\n').slice(0, 4).join('\n');
    const second = await ed.browser.postForm('/chocolate/manage/import', { _csrf: csrfFrom(page.text), dataset: 'assessments', csv: fixed });
    assert.equal(second.status, 422);
    assert.match(second.text, /line 3, grade/);
    assert.match(second.text, /The grade must be A, B, C, D or E\./);
    assert.match(second.text, /line 4, company/);
    assert.match(second.text, /line 4, source_url/);
    assert.ok(second.text.includes('cocoa-giant,traceability,2025,F'), 'the text is kept for correction');
    assert.equal(await count('chocolate_assessments'), before, 'nothing half-imported');
    const header = await ed.browser.postForm('/chocolate/manage/import', { _csrf: csrfFrom(page.text), dataset: 'assessments', csv: 'company,grade\ncocoa-giant,A' });
    assert.equal(header.status, 422);
    assert.match(header.text, /The first line must name exactly/);
  });

  test('upsertAssessment: editors set a grade with its source; a grade outside the scale is refused and changes nothing', async () => {
    const good = { company: 'cocoa-giant', criterion: 'traceability', year: 2025, grade: 'C', sourceUrl: 'https://example.org/giant-2025', note: 'Traces 40% to the farm.' };
    const set = await ed.api.json('PUT', '/api/v1/chocolate/assessments', good, ed.token);
    assert.equal(set.status, 200);
    assert.deepEqual(set.json(), { company: 'cocoa-giant', criterion: 'traceability', year: 2025, grade: 'C' });
    const again = await ed.api.json('PUT', '/api/v1/chocolate/assessments', { ...good, grade: 'b' }, ed.token);
    assert.equal(again.json<{ grade: string }>().grade, 'B');

    const bad = await ed.api.json('PUT', '/api/v1/chocolate/assessments', { ...good, grade: 'F', year: 1999 }, ed.token);
    assert.equal(bad.status, 422);
    const fields = bad.json<ApiError>().error.fields!;
    assert.equal(fields.grade, 'The grade must be A, B, C, D or E.');
    assert.match(fields.year!, /between 2000 and next year/);
    const unknown = await ed.api.json('PUT', '/api/v1/chocolate/assessments', { ...good, company: 'nobody-at-all' }, ed.token);
    assert.equal(unknown.status, 422);
    assert.ok(unknown.json<ApiError>().error.fields!.company);

    const card = (await new Client(server.url).get('/api/v1/chocolate/companies?year=2025')).json<Card>();
    assert.equal(card.companies.find((c) => c.slug === 'cocoa-giant')!.grades.traceability, 'B');

    const member = await person(server, { scopes: ['chocolate:write'] });
    assert.equal((await member.api.json('PUT', '/api/v1/chocolate/assessments', good, member.token)).status, 403);
    const anonymous = new Client(server.url);
    const csrf = csrfFrom((await anonymous.get('/chocolate/action')).text);
    const unsigned = await anonymous.request('PUT', '/api/v1/chocolate/assessments', { body: JSON.stringify(good), headers: { 'content-type': 'application/json', 'x-csrf-token': csrf } });
    assert.equal(unsigned.status, 401);
    const audit = await db().selectFrom('audit_log').select(['subject', 'detail']).where('action', '=', 'chocolate.assessment-set').execute();
    assert.equal(audit.length, 2);
  });

  test('the scorecard sorts and filters, in the API and on a page that works without JavaScript', async () => {
    await importCsv(
      ed,
      'assessments',
      [
        'company,criterion,year,grade,source_url,note',
        'bean-bros,traceability,2025,A,https://example.org/bean,',
        'bean-bros,living-income,2025,D,https://example.org/bean,',
        'quiet-choc,traceability,2025,E,https://example.org/quiet,',
        'quiet-choc,traceability,2020,D,https://example.org/quiet-2020,',
      ].join('\n'),
    );
    const card = (await new Client(server.url).get('/api/v1/chocolate/companies?sort=traceability&dir=desc')).json<Card>();
    assert.equal(card.year, 2025);
    // 2024 came only in the rejected file above, so it is not there.
    assert.deepEqual(card.years, [2025, 2020]);
    assert.deepEqual(card.companies.map((c) => c.slug), ['bean-bros', 'cocoa-giant', 'quiet-choc']);
    assert.equal(card.companies[0]!.average, 2.5);
    const asc = (await new Client(server.url).get('/api/v1/chocolate/companies?sort=traceability&dir=asc')).json<Card>();
    assert.deepEqual(asc.companies.map((c) => c.slug), ['quiet-choc', 'cocoa-giant', 'bean-bros']);
    const fr = (await new Client(server.url).get('/api/v1/chocolate/companies?country=FR')).json<Card>();
    assert.deepEqual(fr.companies.map((c) => c.slug), ['bean-bros']);
    const byBrand = (await new Client(server.url).get('/api/v1/chocolate/companies?q=giant%20eggs')).json<Card>();
    assert.deepEqual(byBrand.companies.map((c) => c.slug), ['cocoa-giant']);
    const badYear = await new Client(server.url).get('/api/v1/chocolate/companies?year=1850&sort=colour');
    assert.equal(badYear.status, 422);
    assert.deepEqual(Object.keys(badYear.json<ApiError>().error.fields!).sort(), ['sort', 'year']);

    const page = await new Client(server.url).get('/chocolate?sort=traceability&dir=desc');
    assert.equal(page.status, 200);
    assert.match(page.text, /<th scope="col" aria-sort="descending"><a href="\/chocolate\?year=2025&amp;sort=traceability&amp;dir=asc#scorecard">Traceability/);
    assert.ok(page.text.indexOf('Bean Brothers SA') < page.text.indexOf('Quiet Chocolate GmbH'));
    assert.ok(!page.text.includes('csr@cocoa-giant.example'), 'contact addresses are not public');
    const bad = await new Client(server.url).get('/chocolate?country=XX');
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Choose a country from the list/);
  });

  test('the scorecard comes in pages of 50, filtered by criterion and grade in SQL, with links that keep the filters', async () => {
    // 120 more companies (Paging 000 … Paging 119), graded on traceability in 2025: A for every tenth.
    const companies = ['slug,name,country,brands,parent_company,contact_email,website,suggested', ...Array.from({ length: 120 }, (_, i) => `paging-${i},Paging ${String(i).padStart(3, '0')},${i % 2 ? 'GB' : 'CI'},,,,,no`)];
    await importCsv(ed, 'companies', companies.join('\n'));
    const grades = ['company,criterion,year,grade,source_url,note', ...Array.from({ length: 120 }, (_, i) => `paging-${i},traceability,2025,${i % 10 === 0 ? 'A' : 'D'},https://example.org/p${i},`)];
    await importCsv(ed, 'assessments', grades.join('\n'));
    type Paged = Card & { total: number; page: number; perPage: number; pages: number };
    const api = (query: string) => new Client(server.url).get(`/api/v1/chocolate/companies?${query}`).then((r) => r.json<Paged>());

    const first = await api('');
    assert.deepEqual([first.total, first.page, first.perPage, first.pages, first.companies.length], [123, 1, 50, 3, 50]);
    const third = await api('page=3');
    assert.equal(third.companies.length, 23);
    assert.equal(third.companies.at(-1)!.slug, 'quiet-choc');
    const all = [...first.companies, ...(await api('page=2')).companies, ...third.companies].map((c) => c.slug);
    assert.equal(new Set(all).size, 123, 'every company on exactly one page');
    const topA = await api('criterion=traceability&grade=A&sort=name');
    assert.deepEqual(topA.companies.map((c) => c.slug), ['bean-bros', ...Array.from({ length: 12 }, (_, i) => `paging-${i * 10}`)]);
    const anyA = await api('grade=a&country=CI&perPage=5&page=2');
    assert.deepEqual([anyA.total, anyA.companies.length], [12, 5]);
    // Sorted by a grade, companies without one come last whichever way.
    for (const dir of ['asc', 'desc']) {
      const byIncome = await api(`sort=living-income&dir=${dir}&perPage=200`);
      assert.equal(byIncome.companies[0]!.slug, 'bean-bros');
      assert.deepEqual(byIncome.companies.slice(-2).map((c) => c.grades['living-income']), [null, null]);
    }
    const worst = await api('sort=traceability&dir=asc&perPage=1');
    assert.deepEqual(worst.companies.map((c) => c.slug), ['quiet-choc']);
    const past = await api('page=9');
    assert.deepEqual([past.total, past.companies.length], [123, 0]);
    const bad = await new Client(server.url).get('/api/v1/chocolate/companies?page=0&perPage=500&grade=F&criterion=colour');
    assert.equal(bad.status, 422);
    assert.deepEqual(Object.keys(bad.json<ApiError>().error.fields!).sort(), ['criterion', 'grade', 'page', 'perPage']);

    const page = await new Client(server.url).get('/chocolate?country=CI&sort=average&dir=desc&page=2');
    assert.equal(page.status, 200);
    assert.equal((page.text.match(/<th scope="row">/g) ?? []).length, 10, 'CI: 60 companies, 50 on the first page');
    assert.match(page.text, /51 to 60 of 60 companies/);
    assert.match(page.text, /<caption id="scorecard-caption">Grades for 2025\. Select a column heading to sort by it\. Page 2 of 2\.<\/caption>/);
    assert.match(page.text, /<a href="\/chocolate\?country=CI&amp;year=2025&amp;sort=average&amp;dir=desc#scorecard" rel="prev">Previous page<\/a>/);
    assert.match(page.text, /<a href="\/chocolate\?country=CI&amp;year=2025&amp;sort=average&amp;dir=desc&amp;page=2#scorecard" aria-current="page"/);
    assert.match(page.text, /<th scope="col" aria-sort="descending"><a href="\/chocolate\?country=CI&amp;year=2025&amp;sort=average&amp;dir=asc#scorecard">Average/, 'a new sort starts on page 1');
    assert.match(page.text, /<option value="traceability">Traceability<\/option>/, 'criterion filter');
    const filtered = await new Client(server.url).get('/chocolate?criterion=traceability&grade=A');
    assert.match(filtered.text, /13 companies/);
    assert.ok(!filtered.text.includes('Paging 001'));
    const french = await new Client(server.url).get('/chocolate?page=2', { 'accept-language': 'fr' });
    assert.match(french.text, /51 à 100 sur 123 entreprises/);
    assert.match(french.text, /Page suivante/);
  });

  test('a company page shows its grades year by year with sources; an unknown company is 404', async () => {
    const api = await new Client(server.url).get('/api/v1/chocolate/companies/quiet-choc');
    assert.equal(api.status, 200);
    const data = api.json<{ history: { year: number; grades: Record<string, { grade: string; sourceUrl: string } | null> }[] }>();
    assert.deepEqual(data.history.map((h) => h.year), [2025, 2020]);
    assert.equal(data.history[1]!.grades.traceability!.sourceUrl, 'https://example.org/quiet-2020');
    const page = await new Client(server.url).get('/chocolate/companies/quiet-choc');
    assert.equal(page.status, 200);
    assert.match(page.text, /href="https:\/\/example.org\/quiet-2020"/);
    assert.equal((await new Client(server.url).get('/chocolate/companies/no-such-company')).status, 404);
    assert.equal((await new Client(server.url).get('/api/v1/chocolate/companies/NOT%20A%20SLUG')).status, 404);
  });

  test('the traffik-free guide lists certified brands by country with a countdown to the campaign deadline', async () => {
    await importCsv(ed, 'guide', ['brand,country,certification,company,note,website', 'Fair Bar,GB,fairtrade,cocoa-giant,,https://fairbar.example', 'Bonbon Bio,FR,organic,,,'].join('\n'));
    const page = await new Client(server.url).get('/chocolate/guide');
    assert.equal(page.status, 200);
    assert.match(page.text, /\d+ days?<\/strong> left until Traffik-free Easter 2027 \(28 March 2027\)/);
    assert.match(page.text, /Fair Bar/);
    const gb = await new Client(server.url).get('/chocolate/guide?country=GB');
    assert.ok(!gb.text.includes('Bonbon Bio'));
    const french = await new Client(server.url).get('/chocolate/guide', { 'accept-language': 'fr' });
    assert.match(french.text, /Guide du chocolat sans traite/);
  });

  test('editors record commitments and extensions; others may not manage anything', async () => {
    const page = await ed.browser.get('/chocolate/manage');
    const made = await ed.browser.postForm('/chocolate/manage/commitments', {
      _csrf: csrfFrom(page.text),
      title: 'All cocoa certified',
      slug: 'giant-certified-2025',
      text: 'All cocoa independently certified by 2025.',
      madeBy: 'Cocoa Giant plc',
      company: 'cocoa-giant',
      madeOn: '2019-03-01',
      deadline: '2025-12-31',
      status: 'pending',
      sourceUrl: 'https://example.org/pledge',
    });
    assert.equal(made.status, 303);
    const badDeadline = await ed.browser.postForm('/chocolate/manage/commitments', { _csrf: csrfFrom(page.text), title: 'x', slug: 'x-y', text: 'x', madeBy: 'x', madeOn: '2019-03-01', deadline: '2018-01-01', status: 'pending', sourceUrl: 'https://example.org' });
    assert.equal(badDeadline.status, 422);
    assert.match(badDeadline.text, /The deadline cannot be before the day the promise was made/);
    const list = (await new Client(server.url).get('/api/v1/chocolate/commitments')).json<{ id: string; slug: string; status: string; deadline: string }[]>();
    const mine = list.find((m) => m.slug === 'giant-certified-2025')!;
    const extended = await ed.browser.postForm(`/chocolate/manage/commitments/${mine.id}/events`, { _csrf: csrfFrom(page.text), kind: 'extension', on: '2025-11-01', newDeadline: '2030-12-31', summary: 'Moved to 2030.', sourceUrl: 'https://example.org/moved' });
    assert.equal(extended.status, 303);
    const noDeadline = await ed.browser.postForm(`/chocolate/manage/commitments/${mine.id}/events`, { _csrf: csrfFrom(page.text), kind: 'extension', on: '2025-11-01', summary: 'Moved.', sourceUrl: 'https://example.org/moved' });
    assert.equal(noDeadline.status, 422);
    const company = (await new Client(server.url).get('/api/v1/chocolate/companies/cocoa-giant')).json<{ commitments: { slug: string; status: string; deadline: string }[] }>();
    assert.deepEqual(company.commitments.map((m) => [m.slug, m.status, m.deadline]), [['giant-certified-2025', 'extended', '2030-12-31']]);

    const member = await person(server, { scopes: ['groups:read'] });
    assert.equal((await member.browser.get('/chocolate/manage')).status, 403);
    assert.equal((await member.browser.get('/chocolate/manage/export/companies')).status, 403);
    assert.equal((await new Client(server.url).get('/chocolate/manage')).status, 303);
  });
});
