/**
 * The promise to an anonymous reporter, checked the way an attacker with the database and the logs
 * would check it: after anonymous reports through the page and through the API (sent from a
 * distinctive address behind a trusted proxy, with a distinctive user agent), every row of every
 * table in every schema — CAST's own, pg-boss's, the audit log, the rate-limit counters — and every
 * log line are searched for the address, the user agent, the identifiers, the words written and the
 * receipt code. None may be there in clear, and no time of day may be kept on a report's rows.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { Client, csrfFrom } from '../../../test/support/client.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

const ADDRESS = '203.0.113.77';
const USER_AGENT = 'PrivacyProbe/9.9 (distinctive-agent-7f3a)';
const HEADERS = { 'user-agent': USER_AGENT, 'x-forwarded-for': ADDRESS };

const PAGE_FORM = {
  country: 'GB',
  lat: '51.50123',
  lon: '-0.14123',
  place: 'Larkspur Crescent backyard unit',
  placeType: 'house',
  observedFrom: '2026-01-05',
  observedTime: 'night',
  indicators: ['place.covered-windows', 'sex.many-visitors'],
  vehicles: 'Teal minibus with a cracked windscreen',
  identifierKind: ['phone', 'plate', 'email'],
  identifierValue: ['07700 900461', 'ZX99 QRT', 'Quietheron@Example.org'],
  names: ['Bartholomew Quillfeather', 'Gossamer Nails Ltd'],
  account: 'Marigold-tangerine narrative: a man with a limp collects the women at dawn.',
  contact: 'reach-me-at-harbourfinch@example.net',
  contactConsent: 'yes',
};

const API_REPORT = {
  country: 'GB',
  location: { lat: 51.46, lon: -2.6 },
  identifiers: [
    { kind: 'website', value: 'https://ads.example.com/listing/cobaltheron?utm_source=x' },
    { kind: 'handle', value: '@VelvetKestrel99' },
  ],
  names: ['Zephyrine Oakenshaw'],
  account: 'Periwinkle-saffron account of a nail bar that never closes.',
};

const ADDITION = 'Ochre-lantern addition: the van returns on Tuesdays.';

/** What must not be found anywhere, in clear (and, for bytea columns, as hex). */
const SECRETS = [
  ADDRESS,
  USER_AGENT,
  'distinctive-agent-7f3a',
  'Larkspur Crescent',
  'Teal minibus',
  '07700 900461',
  '7700900461',
  'ZX99 QRT',
  'ZX99QRT',
  'quietheron@example.org',
  'Marigold-tangerine',
  'harbourfinch',
  'cobaltheron',
  'velvetkestrel99',
  'Periwinkle-saffron',
  'Quillfeather',
  'Gossamer Nails',
  'Zephyrine',
  'Oakenshaw',
  'Ochre-lantern',
  '51.50123',
  '-0.14123',
];

function findSecrets(text: string, extra: readonly string[] = []): string[] {
  const haystack = text.toLowerCase();
  return [...SECRETS, ...extra].filter((secret) => {
    const needle = secret.toLowerCase();
    return haystack.includes(needle) || haystack.includes(Buffer.from(needle).toString('hex')) || haystack.includes(Buffer.from(secret).toString('hex'));
  });
}

describe('reports: an anonymous report leaves no trace of its sender', () => {
  let server: TestServer;
  const logLines: string[] = [];
  const receiptCodes: string[] = [];
  const references: string[] = [];

  before(async () => {
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    // Trusting the proxy makes the forwarded address the one CAST sees, as behind a real proxy.
    server = await startTestServer({ env: { LOG_LEVEL: 'trace', TRUST_PROXY: 'true' }, logStream });

    const browser = new Client(server.url);
    const form = await browser.get('/report', HEADERS);
    const csrf = csrfFrom(form.text);
    const sent = await browser.postForm('/report', { _csrf: csrf, ...PAGE_FORM }, HEADERS);
    assert.equal(sent.status, 200);
    const code = /data-receipt-code>([0-9A-Z-]{24})</.exec(sent.text)?.[1];
    assert.ok(code);
    receiptCodes.push(code);
    references.push(/(R-[0-9A-Z]{8})/.exec(sent.text)![1]!);

    const status = await browser.postForm('/report/follow-up', { _csrf: csrf, receipt: code }, HEADERS);
    assert.equal(status.status, 200);
    const added = await browser.postForm('/report/follow-up/add', { _csrf: csrfFrom(status.text), receipt: code, account: ADDITION, identifierKind: ['phone'], identifierValue: ['07700 900461'] }, HEADERS);
    assert.equal(added.status, 200);

    const api = await new Client(server.url).request('POST', '/api/v1/reports', { body: JSON.stringify(API_REPORT), headers: { ...HEADERS, 'content-type': 'application/json' } });
    assert.equal(api.status, 201);
    const receipt = api.json<{ reference: string; receiptCode: string }>();
    receiptCodes.push(receipt.receiptCode);
    references.push(receipt.reference);
    const followed = await new Client(server.url).request('POST', '/api/v1/reports/by-receipt', { body: JSON.stringify({ receipt: receipt.receiptCode }), headers: { ...HEADERS, 'content-type': 'application/json' } });
    assert.equal(followed.status, 200);

    // A page that is logged as usual, to prove the log capture works.
    assert.equal((await new Client(server.url).get('/signin', HEADERS)).status, 200);
  });
  after(async () => {
    await server.close();
  });

  test('no table of the database holds the address, the user agent, an identifier, the words or the receipt code in clear', async () => {
    const db = server.cast.database.db;
    const { rows: tables } = await sql<{ schema: string; name: string }>`
      select table_schema as schema, table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1, 2`.execute(db);
    const names = tables.map((t) => `${t.schema}.${t.name}`);
    for (const expected of ['public.reports', 'public.report_identifiers', 'public.report_additions', 'public.audit_log']) assert.ok(names.includes(expected), `${expected} is among the tables read`);
    assert.ok(names.some((n) => n.startsWith('pgboss')), "pg-boss's tables are read too");

    const found: string[] = [];
    let rowsRead = 0;
    for (const table of tables) {
      const { rows } = await sql<{ row: string }>`select t::text as row from ${sql.id(table.schema, table.name)} as t`.execute(db);
      rowsRead += rows.length;
      for (const { row } of rows) for (const secret of findSecrets(row, receiptCodes)) found.push(`${table.schema}.${table.name}: ${secret}`);
    }
    assert.ok(rowsRead > 0);
    assert.deepEqual(found, []);
    // The canonical code, without its dashes, is not there either.
    const all = (await Promise.all(tables.map(async (t) => (await sql<{ row: string }>`select t::text as row from ${sql.id(t.schema, t.name)} as t`.execute(db)).rows.map((r) => r.row).join('\n')))).join('\n');
    for (const code of receiptCodes) assert.ok(!all.includes(code.replace(/-/g, '')), 'no receipt code in clear');
  });

  test("no time finer than the day is kept on a report's rows", async () => {
    const db = server.cast.database.db;
    const { rows: columns } = await sql<{ table: string; column: string }>`
      select table_name as table, column_name as column from information_schema.columns
      where table_schema = 'public' and table_name like 'report%' and (data_type like 'timestamp%' or data_type like 'time %' or data_type = 'time')`.execute(db);
    assert.ok(columns.length > 0, 'the report tables do have time columns (set later, by reviewers)');
    const offending: string[] = [];
    for (const { table, column } of columns) {
      // A link between two reports names both (report_a, report_b); every other table names one.
      const joinOn = table === 'report_links' ? sql`r.id in (x.report_a, x.report_b)` : sql`r.id = x.report_id`;
      const query =
        table === 'reports'
          ? sql<{ value: string }>`select ${sql.id('r', column)}::text as value from reports r where r.reference in (${sql.join(references)}) and ${sql.id('r', column)} is not null`
          : sql<{ value: string }>`select ${sql.id('x', column)}::text as value from ${sql.id(table)} x join reports r on ${joinOn} where r.reference in (${sql.join(references)}) and ${sql.id('x', column)} is not null`;
      const { rows } = await query.execute(db);
      for (const { value } of rows) if (!/^\d{4}-\d{2}-\d{2}( 00:00:00(\+00)?)?$/.test(value)) offending.push(`${table}.${column} = ${value}`);
    }
    assert.deepEqual(offending, []);
    const { rows } = await sql<{ received_on: string }>`select received_on::text from reports where reference in (${sql.join(references)})`.execute(db);
    assert.equal(rows.length, 2);
    for (const row of rows) assert.match(row.received_on, /^\d{4}-\d{2}-\d{2}$/);
  });

  test('the log holds none of it, and no request line for the routes a reporter uses', () => {
    assert.ok(logLines.some((line) => line.includes('"/signin"')), 'the log was captured (the sign-in page is logged as usual)');
    assert.deepEqual(findSecrets(logLines.join('\n'), receiptCodes), []);
    const reporterRoutes = /"route":"(\/report[^"]*|\/api\/v1\/reports[^"]*|\/my\/reports)"/;
    assert.deepEqual(
      logLines.filter((line) => reporterRoutes.test(line)),
      [],
    );
  });
});
