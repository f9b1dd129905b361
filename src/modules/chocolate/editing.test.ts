import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, csrfFrom } from '../../../test/support/client.ts';
import { person } from '../../../test/support/people.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { COMPANIES_CSV, editor, importCsv, type Person } from './test-helpers.ts';

type Card = { companies: { slug: string; name: string; country: string; grades: Record<string, string | null> }[]; criteria: { slug: string; name: string }[] };

describe('chocolate: editors maintain companies, criteria, guide, campaigns and commitments in forms', () => {
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
  const audited = async (action: string) => (await db().selectFrom('audit_log').select(['subject', 'detail']).where('action', '=', action).execute()).map((a) => a.subject);
  /** Posts a form from the page that shows it (for its CSRF token). */
  const submit = (who: Person, pagePath: string, action: string, fields: Record<string, string>) => who.browser.submit(pagePath, action, fields);

  test('a company is added and changed; a taken short name and bad fields are refused with the input kept', async () => {
    const fields = { slug: 'new-choc', name: 'New Choc Ltd', country: 'GB', brands: 'Newbar; New Eggs', parent_company: 'New Holdings', contact_email: 'press@new-choc.example', website: 'https://new-choc.example', suggested: 'yes' };
    const made = await submit(ed, '/chocolate/manage/companies/new', '/chocolate/manage/companies', fields);
    assert.equal(made.status, 303);
    assert.equal(made.location, '/chocolate/manage?notice=saved#companies');
    const card = (await new Client(server.url).get('/api/v1/chocolate/companies?q=newbar')).json<Card>();
    assert.deepEqual(card.companies.map((c) => [c.slug, c.name, c.country]), [['new-choc', 'New Choc Ltd', 'GB']]);

    const taken = await submit(ed, '/chocolate/manage/companies/new', '/chocolate/manage/companies', { ...fields, slug: 'cocoa-giant', name: 'Imposter' });
    assert.equal(taken.status, 422);
    assert.match(taken.text, /That short name is already used/);
    const giant = (await new Client(server.url).get('/api/v1/chocolate/companies/cocoa-giant')).json<{ company: { name: string } }>();
    assert.equal(giant.company.name, 'Cocoa Giant plc', 'a new company never overwrites another');

    const form = await ed.browser.get('/chocolate/manage/companies/new-choc');
    assert.equal(form.status, 200);
    assert.match(form.text, /value="press@new-choc.example"/, 'editors see the contact address');
    assert.match(form.text, /value="Newbar; New Eggs"/);
    const bad = await ed.browser.postForm('/chocolate/manage/companies/new-choc', { _csrf: csrfFrom(form.text), name: 'New Choc Group', country: 'XX', brands: '', contact_email: 'not an address', website: 'ftp://x' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Choose a country from the list/);
    assert.match(bad.text, /The contact address is not a valid e-mail address/);
    assert.match(bad.text, /Give the web site as an address/);
    assert.match(bad.text, /value="New Choc Group"/, 'what was typed is kept');
    const changed = await ed.browser.postForm('/chocolate/manage/companies/new-choc', { _csrf: csrfFrom(form.text), name: 'New Choc Group', country: 'FR', brands: 'Newbar', contact_email: '', website: '' });
    assert.equal(changed.status, 303);
    const after = (await new Client(server.url).get('/api/v1/chocolate/companies/new-choc')).json<{ company: { name: string; country: string; brands: string[]; website: string | null } }>();
    assert.deepEqual(after.company, { slug: 'new-choc', name: 'New Choc Group', country: 'FR', brands: ['Newbar'], parentCompany: null, website: null });
    const action = await new Client(server.url).get('/chocolate/action');
    assert.ok(!action.text.includes('value="new-choc"'), 'without a contact address it cannot be written to');
    assert.deepEqual(await audited('chocolate.company-saved'), ['chocolate-company:new-choc', 'chocolate-company:new-choc']);
    assert.equal((await ed.browser.get('/chocolate/manage/companies/no-such-company')).status, 404);
  });

  test('a criterion is added, appears as a scorecard column and takes grades; a grade outside the scale gets a field message', async () => {
    const made = await submit(ed, '/chocolate/manage/criteria/new', '/chocolate/manage/criteria', { slug: 'deforestation', name: 'Deforestation', description: 'Whether cocoa comes from cleared forest.', position: '5' });
    assert.equal(made.status, 303);
    const renamed = await submit(ed, '/chocolate/manage/criteria/deforestation', '/chocolate/manage/criteria/deforestation', { name: 'Deforestation-free cocoa', description: '', position: 'five' });
    assert.equal(renamed.status, 422);
    assert.match(renamed.text, /The position must be a whole number/);
    assert.equal((await submit(ed, '/chocolate/manage/criteria/deforestation', '/chocolate/manage/criteria/deforestation', { name: 'Deforestation-free cocoa', description: '', position: '5' })).status, 303);

    const page = await ed.browser.get('/chocolate/manage');
    const wrong = await ed.browser.postForm('/chocolate/manage/assessments', { _csrf: csrfFrom(page.text), company: 'bean-bros', criterion: 'deforestation', year: '2025', grade: 'F', sourceUrl: 'https://example.org/forest', note: 'Kept note' });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /<p class="error" id="field-grade-error">The grade must be A, B, C, D or E\.<\/p>/);
    assert.match(wrong.text, /Kept note/);
    const right = await ed.browser.postForm('/chocolate/manage/assessments', { _csrf: csrfFrom(page.text), company: 'bean-bros', criterion: 'deforestation', year: '2025', grade: 'B', sourceUrl: 'https://example.org/forest' });
    assert.equal(right.status, 303);
    const card = (await new Client(server.url).get('/api/v1/chocolate/companies?criterion=deforestation&grade=B')).json<Card>();
    assert.equal(card.criteria.at(-1)!.name, 'Deforestation-free cocoa');
    assert.deepEqual(card.companies.map((c) => c.slug), ['bean-bros']);
    assert.deepEqual(await audited('chocolate.criterion-saved'), ['chocolate-criterion:deforestation', 'chocolate-criterion:deforestation']);
  });

  test('guide entries are added, changed and removed; a brand listed twice in one country is refused', async () => {
    const made = await submit(ed, '/chocolate/manage/guide/new', '/chocolate/manage/guide', { brand: 'Fair Bar', country: 'gb', certification: 'fairtrade', company: 'cocoa-giant', note: '', website: '' });
    assert.equal(made.status, 303);
    const twice = await submit(ed, '/chocolate/manage/guide/new', '/chocolate/manage/guide', { brand: 'fair bar', country: 'GB', certification: 'organic', company: '', note: '', website: '' });
    assert.equal(twice.status, 422);
    assert.match(twice.text, /already in the guide for this country/);
    const badCertification = await submit(ed, '/chocolate/manage/guide/new', '/chocolate/manage/guide', { brand: 'Other Bar', country: 'GB', certification: 'self-declared', company: '', note: '', website: '' });
    assert.equal(badCertification.status, 422);
    assert.match(badCertification.text, /Choose fairtrade, rainforest-alliance, organic or other/);

    const manage = await ed.browser.get('/chocolate/manage');
    const id = /href="\/chocolate\/manage\/guide\/([0-9a-f-]{36})">Fair Bar \(GB\)/.exec(manage.text)![1]!;
    const moved = await submit(ed, `/chocolate/manage/guide/${id}`, `/chocolate/manage/guide/${id}`, { brand: 'Fair Bar', country: 'FR', certification: 'rainforest-alliance', company: '', note: 'Sold in France now.', website: '' });
    assert.equal(moved.status, 303);
    const guide = await new Client(server.url).get('/chocolate/guide?country=FR');
    assert.match(guide.text, /Fair Bar/);
    assert.match(guide.text, /Sold in France now/);
    const removed = await submit(ed, `/chocolate/manage/guide/${id}`, `/chocolate/manage/guide/${id}/delete`, {});
    assert.equal(removed.status, 303);
    assert.ok(!(await new Client(server.url).get('/chocolate/guide')).text.includes('Fair Bar'));
    assert.equal((await ed.browser.get(`/chocolate/manage/guide/${id}`)).status, 404);
    assert.equal((await audited('chocolate.guide-deleted')).length, 1);
  });

  test('a campaign is added and made the running one: the action e-mail and the countdown use it', async () => {
    const fields = { slug: 'traffik-free-christmas', title: 'Traffik-free Christmas', deadline: '2027-12-25', suggested_subject: 'Traffik-free Christmas chocolate', suggested_message: 'Please make your Christmas chocolate traffik-free.', active: 'yes' };
    const short = await submit(ed, '/chocolate/manage/campaigns/new', '/chocolate/manage/campaigns', { ...fields, deadline: '25/12/2027', suggested_message: 'Too short.' });
    assert.equal(short.status, 422);
    assert.match(short.text, /Enter a date as YYYY-MM-DD/);
    assert.match(short.text, /Write a message of 20 to 5,000 characters/);
    assert.equal((await submit(ed, '/chocolate/manage/campaigns/new', '/chocolate/manage/campaigns', fields)).status, 303);
    const action = await new Client(server.url).get('/chocolate/action');
    assert.match(action.text, /Please make your Christmas chocolate traffik-free/);
    assert.match((await new Client(server.url).get('/chocolate/guide')).text, /left until Traffik-free Christmas/);
    const easter = await ed.browser.get('/chocolate/manage/campaigns/traffik-free-easter-2027');
    assert.equal(easter.status, 200);
    assert.ok(!/name="active" value="yes" checked/.test(easter.text), 'only one campaign runs at a time');
    assert.deepEqual(await audited('chocolate.campaign-saved'), ['chocolate-campaign:traffik-free-christmas']);
  });

  test('a commitment’s own fields are corrected; a deadline before the promise is refused', async () => {
    const list = (await new Client(server.url).get('/api/v1/chocolate/commitments')).json<{ id: string; slug: string; title: string }[]>();
    const protocol = list.find((m) => m.slug === 'harkin-engel-protocol')!;
    const path = `/chocolate/manage/commitments/${protocol.id}`;
    const form = await ed.browser.get(path);
    assert.equal(form.status, 200);
    assert.match(form.text, /value="2001-09-19"/);
    const fields = { title: 'Harkin-Engel Protocol (2001)', text: 'The industry agreed to end the worst forms of child labour.', madeBy: 'The chocolate and cocoa industry', company: '', madeOn: '2001-09-19', deadline: '2008-07-01', status: 'missed', sourceUrl: 'https://example.org/protocol' };
    const early = await ed.browser.postForm(path, { _csrf: csrfFrom(form.text), ...fields, deadline: '2000-01-01' });
    assert.equal(early.status, 422);
    assert.match(early.text, /The deadline cannot be before the day the promise was made/);
    assert.match(early.text, /value="Harkin-Engel Protocol \(2001\)"/);
    assert.equal((await ed.browser.postForm(path, { _csrf: csrfFrom(form.text), ...fields })).status, 303);
    const after = (await new Client(server.url).get('/api/v1/chocolate/commitments')).json<{ slug: string; title: string; events: unknown[] }[]>().find((m) => m.slug === 'harkin-engel-protocol')!;
    assert.equal(after.title, 'Harkin-Engel Protocol (2001)');
    assert.ok(after.events.length >= 3, 'its extensions and findings stay');
    assert.deepEqual(await audited('chocolate.commitment-updated'), [`chocolate-commitment:${protocol.id}`]);
  });

  test('only editors reach the forms; nobody else changes anything', async () => {
    const member = await person(server, { scopes: ['groups:read'] });
    assert.equal((await member.browser.get('/chocolate/manage/companies/new')).status, 403);
    assert.equal((await member.browser.get('/chocolate/manage/companies/cocoa-giant')).status, 403);
    const page = await member.browser.get('/chocolate/action');
    const refused = await member.browser.postForm('/chocolate/manage/companies/cocoa-giant', { _csrf: csrfFrom(page.text), name: 'Taken Over' });
    assert.equal(refused.status, 403);
    assert.equal((await new Client(server.url).get('/chocolate/manage/campaigns/new')).status, 303);
    const giant = (await new Client(server.url).get('/api/v1/chocolate/companies/cocoa-giant')).json<{ company: { name: string } }>();
    assert.equal(giant.company.name, 'Cocoa Giant plc');
  });
});
