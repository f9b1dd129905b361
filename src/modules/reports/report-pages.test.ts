import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { Client, csrfFrom } from '../../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { person } from '../../../test/support/reports.ts';

/** Form fields as a browser without JavaScript sends them: repeated names, text for numbers. */
const A_FORM = {
  country: 'GB',
  lat: '51.4545',
  lon: '-2.5879',
  place: 'Car wash on Mill Road',
  placeType: 'car-wash',
  observedFrom: '2026-01-10',
  observedTo: '',
  observedTime: 'evening',
  exploitationTypes: ['labour'],
  indicators: ['labour.group-transport', 'person.spoken-for'],
  peopleCount: '6',
  ageBands: [] as string[],
  genders: [] as string[],
  vehicles: 'A white van',
  identifierKind: ['phone', 'plate', ''],
  identifierValue: ['07700 900123', 'AB12 CDE', ''],
  names: ['Jon Smyth', ''],
  routeOrigin: ['RO', ''],
  routeTransit: [''],
  routeDestination: ['GB'],
  account: 'Workers dropped off at 6am, collected after 10pm.',
  contact: '',
};

/** Like assert.match, without printing a whole page when it fails. */
function has(text: string, pattern: RegExp, message?: string): void {
  assert.ok(pattern.test(text), message ?? `expected ${pattern}`);
}
function hasNot(text: string, pattern: RegExp, message?: string): void {
  assert.ok(!pattern.test(text), message ?? `did not expect ${pattern}`);
}

const receiptCodeIn = (html: string) => /data-receipt-code>([0-9A-Z-]{24})<\/code>/.exec(html)?.[1];
const referenceIn = (html: string) => /(R-[0-9A-Z]{8})/.exec(html)?.[1];

describe('reports: the reporting pages', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  const reportCount = async () => (await sql<{ n: number }>`select count(*)::int as n from reports`.execute(server.cast.database.db)).rows[0]!.n;

  async function openForm(client: Client, headers: Record<string, string> = {}) {
    const page = await client.get('/report', headers);
    assert.equal(page.status, 200);
    return { page, csrf: csrfFrom(page.text) };
  }

  test('the form is built from the taxonomy, in English and in French, with safety guidance and a quick exit', async () => {
    const en = await new Client(server.url).get('/report', { 'accept-language': 'en-GB' });
    assert.equal(en.status, 200);
    has(en.text, /<form id="report-form" data-report-form method="post"/);
    has(en.text, /Taken to work in groups/);
    has(en.text, /Workers are picked up and dropped off together/);
    has(en.text, /aria-describedby="indicator-labour-group-transport-hint"/);
    has(en.text, /Forced labour/);
    has(en.text, /Car wash/);
    has(en.text, /never a sign of trafficking/, 'the taxonomy cautions are shown');
    has(en.text, /call the police on 999/, 'the number for the country of the browser (GB)');
    has(en.text, /That is the number for United Kingdom/);
    has(en.text, /<a class="button" href="https:\/\/www\.bbc\.com\/weather" data-quick-exit rel="noreferrer">Leave this site quickly<\/a>/);
    has(en.text, /data-map-picker[ >]/);
    has(en.text, /name="lat"[^>]*data-map-lat[ >/]/);
    for (const name of ['country', 'lat', 'lon', 'place', 'placeType', 'observedFrom', 'observedTo', 'observedTime', 'exploitationTypes', 'indicators', 'peopleCount', 'ageBands', 'genders', 'vehicles', 'identifierKind', 'identifierValue', 'routeOrigin', 'routeTransit', 'routeDestination', 'account', 'contact', 'contactConsent', '_csrf']) {
      has(en.text, new RegExp(`name="${name}"`), `field ${name}`);
    }
    assert.equal((en.text.match(/name="identifierValue"/g) ?? []).length, 3, 'three empty identifier rows without JavaScript');
    has(en.text, /value="yes"/);
    has(en.text, />Send report</);
    assert.equal(en.headers.get('cache-control'), 'no-store');

    const fr = await new Client(server.url).get('/report', { 'accept-language': 'fr-CI,fr;q=0.9' });
    has(fr.text, /<html lang="fr"/);
    has(fr.text, /Travail forcé/);
    has(fr.text, /Envoyer le signalement/);
    has(fr.text, /Quitter ce site rapidement/);
    has(fr.text, /appelez la police au 170/, "Côte d'Ivoire's number from fr-CI");

    const unknown = await new Client(server.url).get('/report', { 'accept-language': 'en' });
    has(unknown.text, /call the police on 112/);
    has(unknown.text, /We could not tell which country you are in/);
  });

  test('a form post without JavaScript creates the report and shows the receipt once; the code works on the follow-up pages', async () => {
    const client = new Client(server.url);
    const { csrf } = await openForm(client);
    const sent = await client.postForm('/report', { _csrf: csrf, ...A_FORM });
    assert.equal(sent.status, 200);
    assert.equal(sent.headers.get('cache-control'), 'no-store');
    assert.equal(sent.location, null, 'the receipt is in the answer, not behind a redirect');
    const code = receiptCodeIn(sent.text);
    const reference = referenceIn(sent.text);
    assert.ok(code && reference, 'receipt code and reference shown');
    has(sent.text, /shown only this once/);
    has(sent.text, /add information to your report and see its status/);
    has(sent.text, /Leave this site quickly/);

    const db = server.cast.database.db;
    const { rows } = await sql<Record<string, unknown>>`select country, place_type, indicators, route_origin, route_destination, people_count, reporter_id from reports where reference = ${reference}`.execute(db);
    assert.deepEqual(rows, [{ country: 'GB', place_type: 'car-wash', indicators: ['labour.group-transport', 'person.spoken-for'], route_origin: ['RO'], route_destination: ['GB'], people_count: 6, reporter_id: null }]);
    const { rows: identifiers } = await sql`select i.kind from report_identifiers i join reports r on r.id = i.report_id where r.reference = ${reference}`.execute(db);
    assert.equal(identifiers.length, 2);
    const { rows: named } = await sql<{ names_sealed: string | null }>`select names_sealed from reports where reference = ${reference}`.execute(db);
    assert.ok(named[0]?.names_sealed, 'the name is kept');
    assert.ok(!named[0].names_sealed.includes('Smyth'), 'sealed, never in clear');
    hasNot(sent.text, /Jon Smyth/, 'the receipt does not show the name back');

    // Following up: the code is posted, never put in an address.
    const lookup = await client.get('/report/follow-up');
    assert.equal(lookup.status, 200);
    has(lookup.text, /<form method="post" action="\/report\/follow-up"/);
    const status = await client.postForm('/report/follow-up', { _csrf: csrfFrom(lookup.text), receipt: code.toLowerCase().replace(/-/g, ' ') });
    assert.equal(status.status, 200);
    assert.equal(status.headers.get('cache-control'), 'no-store');
    has(status.text, new RegExp(reference));
    has(status.text, /data-report-status="received">Received</);
    hasNot(status.text, /Workers dropped off/, 'what was written is not shown back');

    const added = await client.postForm('/report/follow-up/add', {
      _csrf: csrfFrom(status.text),
      receipt: /name="receipt" value="([^"]+)"/.exec(status.text)![1]!,
      account: 'The van is back every Tuesday.',
      identifierKind: ['website', ''],
      identifierValue: ['https://example.org/ad', ''],
    });
    assert.equal(added.status, 200);
    has(added.text, /What you added has been saved/);
    has(added.text, /<dd>1<\/dd>/, 'one addition counted');

    const empty = await client.postForm('/report/follow-up/add', { _csrf: csrfFrom(added.text), receipt: code, account: ' ' });
    assert.equal(empty.status, 422);
    has(empty.text, /Write what you want to add/);
  });

  test('"add more rows" redraws the form with everything kept and more rows, and sends nothing', async () => {
    const client = new Client(server.url);
    const { csrf } = await openForm(client);
    const before = await reportCount();
    const more = await client.postForm('/report', { _csrf: csrf, ...A_FORM, more: 'rows' });
    assert.equal(more.status, 200);
    assert.ok((more.text.match(/name="identifierValue"/g) ?? []).length >= 5);
    assert.ok((more.text.match(/name="names"/g) ?? []).length >= 3);
    has(more.text, /value="Jon Smyth"/);
    has(more.text, /value="07700 900123"/);
    has(more.text, /Workers dropped off at 6am/);
    has(more.text, /<option value="RO" selected/);
    const afterCount = await reportCount();
    assert.deepEqual(afterCount, before);
  });

  test('bad input comes back with what was typed and a message at each field; nothing is stored', async () => {
    const client = new Client(server.url);
    const { csrf } = await openForm(client);
    const future = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const cases: { fields: Record<string, string | string[]>; field: string; message: RegExp }[] = [
      { fields: { ...A_FORM, observedFrom: future }, field: 'observedFrom', message: /This date is in the future/ },
      { fields: { ...A_FORM, indicators: ['labour.group-transport', 'made.up'] }, field: 'indicators', message: /One of the signs is not in the list/ },
      { fields: { ...A_FORM, account: 'x'.repeat(20_001) }, field: 'account', message: /longer than 20,000 characters/ },
      { fields: { country: 'GB', account: '  ', identifierKind: ['', '', ''], identifierValue: ['', '', ''] }, field: 'form', message: /The report is empty/ },
      { fields: { ...A_FORM, contact: 'call me on 07700 900999' }, field: 'contactConsent', message: /Tick the box to agree to be contacted/ },
      { fields: { ...A_FORM, lat: '95' }, field: 'location', message: /The point must be on Earth/ },
      { fields: { ...A_FORM, routeOrigin: ['XX'] }, field: 'routeOrigin', message: /Choose countries from the list/ },
      { fields: { ...A_FORM, names: ['Jon Smyth', 'n'.repeat(201)] }, field: 'names', message: /A name is too long/ },
    ];
    const before = await reportCount();
    for (const { fields, field, message } of cases) {
      const page = await client.postForm('/report', { _csrf: csrf, ...fields });
      assert.equal(page.status, 422, field);
      has(page.text, /class="error-summary"/, field);
      has(page.text, new RegExp(`href="#field-${field}"`), `the summary links to ${field}`);
      has(page.text, new RegExp(`id="field-${field}-error"|id="field-${field}"[^>]*class="error"|class="error" id="field-${field}"`), `a message at ${field}`);
      has(page.text, message, field);
      assert.equal(receiptCodeIn(page.text), undefined);
    }
    const kept = await client.postForm('/report', { _csrf: csrf, ...A_FORM, observedFrom: future, contact: 'me@example.org', contactConsent: 'yes', genders: ['female'] });
    assert.equal(kept.status, 422);
    has(kept.text, /<option value="GB" selected/);
    has(kept.text, /value="51.4545"/);
    has(kept.text, /value="Car wash on Mill Road"/);
    has(kept.text, /<option value="car-wash" selected/);
    has(kept.text, new RegExp(`value="${future}"`));
    has(kept.text, /<option value="evening" selected/);
    has(kept.text, /value="labour" checked/);
    has(kept.text, /value="labour.group-transport" checked/);
    has(kept.text, /value="female" checked/);
    has(kept.text, /value="6"/);
    has(kept.text, />A white van</);
    has(kept.text, /<option value="plate" selected[^>]*>/);
    has(kept.text, /value="AB12 CDE"/);
    has(kept.text, /name="names" value="Jon Smyth"/);
    has(kept.text, /<option value="RO" selected/);
    has(kept.text, />Workers dropped off at 6am, collected after 10pm.</);
    has(kept.text, /value="me@example.org"/);
    has(kept.text, /value="yes" checked/);
    const afterCount = await reportCount();
    assert.deepEqual(afterCount, before);
  });

  test('a form without its CSRF token is refused', async () => {
    const client = new Client(server.url);
    await openForm(client);
    const refused = await client.postForm('/report', A_FORM);
    assert.equal(refused.status, 403);
  });

  test('follow-up with a malformed code or an unknown code: the clear messages of the API, nothing opened', async () => {
    const client = new Client(server.url);
    const lookup = await client.get('/report/follow-up');
    const malformed = await client.postForm('/report/follow-up', { _csrf: csrfFrom(lookup.text), receipt: 'not a code' });
    assert.equal(malformed.status, 422);
    has(malformed.text, /That does not look like a receipt code/);
    has(malformed.text, /value="not a code"/, 'a mistyped code is kept to be corrected');
    const unknown = await client.postForm('/report/follow-up', { _csrf: csrfFrom(lookup.text), receipt: '2222-3333-4444-5555-6666' });
    assert.equal(unknown.status, 404);
    has(unknown.text, /No report matches this receipt code/);
    hasNot(unknown.text, /2222-3333/);
    const adding = await client.postForm('/report/follow-up/add', { _csrf: csrfFrom(lookup.text), receipt: '2222-3333-4444-5555-6666', account: 'more' });
    assert.equal(adding.status, 404);
    has(adding.text, /No report matches this receipt code/);
    const addingMalformed = await client.postForm('/report/follow-up/add', { _csrf: csrfFrom(lookup.text), receipt: '1234', account: 'more' });
    assert.equal(addingMalformed.status, 422);
    has(addingMalformed.text, /That does not look like a receipt code/);
  });

  test('a signed-in person reports under their account and sees it on "Your reports"; others are sent to sign in', async () => {
    const reporter = await person(server);
    const form = await reporter.browser.get('/report');
    const sent = await reporter.browser.postForm('/report', { _csrf: csrfFrom(form.text), ...A_FORM });
    assert.equal(sent.status, 200);
    const reference = referenceIn(sent.text)!;
    const mine = await reporter.browser.get('/my/reports');
    assert.equal(mine.status, 200);
    has(mine.text, new RegExp(`<td>${reference}</td>`));
    has(mine.text, /<td>Received<\/td>/);
    hasNot(mine.text, /Workers dropped off/);

    const other = await person(server);
    const theirs = await other.browser.get('/my/reports');
    hasNot(theirs.text, new RegExp(reference));
    has(theirs.text, /You have not sent a report while signed in/);

    const anonymous = await new Client(server.url).get('/my/reports');
    assert.equal(anonymous.status, 303);
    has(anonymous.location ?? '', /^\/signin\?next=/);
  });

  test('the site navigation and the home page lead to the form', async () => {
    const home = await new Client(server.url).get('/');
    assert.equal((home.text.match(/href="\/report"/g) ?? []).length >= 2, true);
    has(home.text, /Report what you saw/);
  });
});
