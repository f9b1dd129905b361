/**
 * `npx tsx bench/export.ts [--reports=N] [--format=geojson] [--warm-up]`: a full export of one group's reports
 * (1,000,000 by default) through the export job, as a coordinator would start it, against a real
 * CAST child process. Prints one JSON line: rows, seconds, rows/s, the server's resident memory
 * before, at its peak while the job ran (sampled every 100 ms), and the growth; then downloads the
 * file and checks its size and that it is a whole FeatureCollection.
 *
 * Goals (issue 5): at least 50,000 rows/s, and the server's RSS growing by under 150 MB.
 *
 * Seeding: one SQL statement over generate_series, so a million reports take seconds, not minutes;
 * every report sits in one of ~1,300 real H3 cells (resolution 7) around the group, with types,
 * indicators, a grade and a summary like real rows, so the export formats real data.
 */
import fs from 'node:fs';
import { gridDisk, latLngToCell } from 'h3-js';
import { sql } from 'kysely';
import { loadConfig } from '../src/core/config.ts';
import { databaseOptions, openDatabase } from '../src/core/db/database.ts';
import { migrate } from '../src/core/db/migrate.ts';
import { createAccountAsOperator, issueToken } from '../src/modules/accounts/index.ts';
import type { GroupsTables } from '../src/modules/groups/tables.ts';
import { freshBenchDatabase } from './database.ts';
import { benchEnvironment, makeTempDir, startServer, type BenchServer } from './server.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);

function option(name: string, fallback: string): string {
  const given = process.argv.slice(2).find((arg) => arg.startsWith(`--${name}=`));
  return given ? given.slice(name.length + 3) : fallback;
}

async function seed(env: Record<string, string>, count: number): Promise<{ groupId: string; token: string }> {
  const database = await openDatabase(databaseOptions(loadConfig(env)));
  try {
    await migrate(database);
    const db = database.db;
    const account = await createAccountAsOperator(db, { email: `bench.exporter.${Date.now()}@example.org`, password: 'correct horse battery staple', role: 'member', country: null });
    if (!account.ok) throw new Error(`could not create the bench coordinator: ${JSON.stringify(account)}`);
    const userId = account.value.userId;
    // Reviewing reports needs two-factor authentication; the bench coordinator is marked as enrolled.
    await db.updateTable('users').set({ totp_enabled_at: new Date() }).where('id', '=', userId).execute();
    const groups = db.withTables<GroupsTables>();
    const group = await groups
      .insertInto('groups')
      .values({ name: 'Bench export group', kind: 'community', country: 'GB', locality: 'Exportby', centre_lat: 52.0, centre_lon: -1.0, radius_km: 50, listed: false, created_by: userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await groups.insertInto('group_members').values({ group_id: group.id, user_id: userId, role: 'coordinator' }).execute();
    const cells = gridDisk(latLngToCell(52.0, -1.0, 7), 20);
    const started = Date.now();
    await sql`
      insert into reports (reference, receipt_hash, group_id, country, received_on, status, place_type, exploitation_types, indicators, people_count,
                           h3_cell, priority, grade_source, grade_assessment, grade_handling, summary)
      select 'R-' || lpad(upper(to_hex(i)), 8, '0'),
             decode(md5('bench-export-' || i), 'hex'),
             ${group.id}::uuid, 'GB',
             date '2024-01-01' + (i % 900),
             (array['received', 'triaged', 'graded', 'shared', 'closed'])[1 + i % 5],
             (array['car-wash', 'nail-bar', 'hotel', 'farm', 'house'])[1 + i % 5],
             case i % 4 when 0 then array['labour'] when 1 then array['sexual'] when 2 then array['criminal'] else array['labour', 'sexual'] end,
             (array['person.fearful', 'person.spoken-for', 'labour.group-transport'])[1:1 + i % 3],
             1 + i % 12,
             (${cells}::text[])[1 + i % ${cells.length}],
             case when i % 5 in (2, 3, 4) then (array['high', 'medium', 'low'])[1 + i % 3] end,
             case when i % 5 in (2, 3, 4) then 1 + i % 3 end,
             case when i % 5 in (2, 3, 4) then (array['A', 'B', 'C', 'D', 'E'])[1 + i % 5] end,
             case when i % 5 in (2, 3, 4) then 'P' end,
             case when i % 5 in (2, 3, 4) then 'Several workers collected by a van early each morning; signs of control.' end
      from generate_series(1, ${count}) as i`.execute(db);
    await sql`analyze reports`.execute(db);
    // The seed's rows are written out now, so the export does not share the disk with their
    // write-back (the export itself writes ~500 MB).
    await sql`checkpoint`.execute(db);
    log(`seeded ${count} reports in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const { token } = await issueToken(db, userId, 'bench', ['reports:read'], null);
    return { groupId: group.id, token };
  } finally {
    await database.close();
  }
}

type Api = (path: string, init?: RequestInit) => Promise<Response>;
interface ExportView {
  id: string;
  status: string;
  rowsDone: number;
  rowsTotal: number;
  bytes: number | null;
}

/** Starts an export job and polls it every 100 ms until it ends, sampling the server's RSS. */
async function runExport(api: Api, groupId: string, format: string, server: BenchServer, sample: (rssMb: number) => void): Promise<ExportView> {
  const response = await api('/api/v1/exports', { method: 'POST', body: JSON.stringify({ groupId, format }) });
  if (response.status !== 202) throw new Error(`startExport: ${response.status} ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  let view: ExportView = { id, status: 'queued', rowsDone: 0, rowsTotal: 0, bytes: null };
  let lastLog = Date.now();
  while (view.status !== 'done' && view.status !== 'failed') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    sample(server.rssMb());
    view = { ...((await (await api(`/api/v1/exports/${id}`)).json()) as ExportView), id };
    if (Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      log(`${view.rowsDone} / ${view.rowsTotal} rows, rss ${server.rssMb()} MB`);
    }
  }
  if (view.status !== 'done') throw new Error('the export failed');
  return view;
}

async function main(): Promise<void> {
  const count = Number(option('reports', '1000000'));
  const format = option('format', 'geojson');
  const dataDir = makeTempDir();
  const database = process.env.DATABASE_URL ? await freshBenchDatabase(process.env.DATABASE_URL) : undefined;
  let server: BenchServer | undefined;
  try {
    const env = { ...(await benchEnvironment(dataDir)), ...(database ? { DATABASE_URL: database.url } : {}) };
    const { groupId, token } = await seed(env, count);
    server = await startServer(env, [], log);
    const api = (path: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${server!.port}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
    // Let start-up settle (jobs, first requests) before the baseline memory figure.
    await api('/api/v1/exports');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // --warm-up: one whole export first, so the figures are those of a server that has exported
    // before (code compiled, heap sized); reported beside the cold figures, never instead of them.
    const warm = process.argv.includes('--warm-up');
    if (warm) await runExport(api, groupId, format, server, () => {});
    const rssBefore = server.rssMb();
    let rssPeak = rssBefore;
    const started = Date.now();
    const view = await runExport(api, groupId, format, server, (rss) => (rssPeak = Math.max(rssPeak, rss)));
    const seconds = (Date.now() - started) / 1000;
    const file = await api(`/api/v1/exports/${view.id}/file`);

    const text = await file.text();
    const whole = format !== 'geojson' || (text.startsWith('{"type":"FeatureCollection"') && text.trimEnd().endsWith(']}'));
    const line = {
      scenario: `export-${format}${warm ? '-warm' : ''}`,
      engine: server.engine,
      rows: view.rowsDone,
      seconds: Math.round(seconds * 10) / 10,
      rowsPerSecond: Math.round(view.rowsDone / seconds),
      rssBeforeMb: rssBefore,
      rssPeakMb: rssPeak,
      rssGrowthMb: rssPeak - rssBefore,
      fileMb: Math.round((view.bytes ?? 0) / 1024 / 102.4) / 10,
      downloadedMb: Math.round(Buffer.byteLength(text) / 1024 / 102.4) / 10,
      wholeFile: whole,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    await server?.stop();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
