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
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { gridDisk, latLngToCell } from 'h3-js';
import { sql } from 'kysely';
import { loadConfig } from '../src/core/config.ts';
import { databaseOptions, openDatabase, type Database } from '../src/core/db/database.ts';
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

/**
 * The baseline, measured in the same run: the database's own COPY of the same reports, in the
 * export's order, to nowhere — how fast this machine can hand the rows over at all, with no export
 * work. The export's rows/s is reported as a ratio to it, because this shared machine's speed drifts
 * by a third within minutes and absolute figures alone mislead.
 */
async function copyBaseline(database: Database, groupId: string, count: number): Promise<number> {
  // COPY takes no parameters: the id is written into the statement, so it must be the uuid we made.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(groupId)) throw new Error(`not a group id: ${groupId}`);
  const query = `select id, reference, received_on, status, grade_source, grade_assessment, grade_handling, priority, place_type, exploitation_types,
    indicators, people_count, h3_cell, summary from reports where group_id = '${groupId}' order by received_on desc, id`;
  const started = performance.now();
  if (database.pglite) await database.pglite.query(`copy (${query}) to '/dev/blob'`);
  else {
    const copied = spawnSync('psql', [database.connectionString!, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy (${query.replace(/\s+/g, ' ')}) to '/dev/null'`], { encoding: 'utf8' });
    if (copied.status !== 0) throw new Error(`the COPY baseline failed: ${copied.stderr}`);
  }
  return Math.round(count / ((performance.now() - started) / 1000));
}

async function seed(env: Record<string, string>, count: number): Promise<{ groupId: string; token: string; baseline: number }> {
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
    // Twice: the first read also warms the cache, as the warm-up export does for the server.
    await copyBaseline(database, group.id, count);
    const baseline = await copyBaseline(database, group.id, count);
    log(`baseline: COPY of the same reports, ${baseline} rows/s`);
    return { groupId: group.id, token, baseline };
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
async function runExport(api: Api, groupId: string, format: string, server: BenchServer, sample: (rssMb: number) => void): Promise<ExportView & { runningAt: number }> {
  const response = await api('/api/v1/exports', { method: 'POST', body: JSON.stringify({ groupId, format }) });
  if (response.status !== 202) throw new Error(`startExport: ${response.status} ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  let view: ExportView = { id, status: 'queued', rowsDone: 0, rowsTotal: 0, bytes: null };
  let lastLog = Date.now();
  let runningAt = 0;
  while (view.status !== 'done' && view.status !== 'failed') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    sample(server.rssMb());
    view = { ...((await (await api(`/api/v1/exports/${id}`)).json()) as ExportView), id };
    if (!runningAt && view.status !== 'queued') runningAt = Date.now();
    if (Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      log(`${view.rowsDone} / ${view.rowsTotal} rows, rss ${server.rssMb()} MB`);
    }
  }
  if (view.status !== 'done') throw new Error('the export failed');
  return { ...view, runningAt };
}

async function main(): Promise<void> {
  const count = Number(option('reports', '1000000'));
  const format = option('format', 'geojson');
  const dataDir = makeTempDir();
  const database = process.env.DATABASE_URL ? await freshBenchDatabase(process.env.DATABASE_URL) : undefined;
  let server: BenchServer | undefined;
  try {
    const env = { ...(await benchEnvironment(dataDir)), ...(database ? { DATABASE_URL: database.url } : {}) };
    const { groupId, token, baseline } = await seed(env, count);
    // BENCH_SERVER_NODE_ARGS: extra Node options for the server, e.g. '--cpu-prof --cpu-prof-dir=/tmp/profile'.
    server = await startServer(env, process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [], log);
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
    const finished = Date.now();
    const seconds = (finished - started) / 1000;
    const secondsRunning = (finished - view.runningAt) / 1000;
    const file = await api(`/api/v1/exports/${view.id}/file`);

    const text = await file.text();
    const whole = format !== 'geojson' || (text.startsWith('{"type":"FeatureCollection"') && text.trimEnd().endsWith(']}'));
    const line = {
      scenario: `export-${format}${warm ? '-warm' : ''}`,
      engine: server.engine,
      rows: view.rowsDone,
      seconds: Math.round(seconds * 10) / 10,
      rowsPerSecond: Math.round(view.rowsDone / seconds),
      // From the first poll that saw the job running: the export's own pace, without the wait for a
      // worker to pick the job up (pg-boss polls every 0.5 s) or the count before it is queued.
      secondsRunning: Math.round(secondsRunning * 10) / 10,
      rowsPerSecondRunning: Math.round(view.rowsDone / secondsRunning),
      baselineCopyRowsPerSecond: baseline,
      ratioToCopy: Math.round((view.rowsDone / seconds / baseline) * 1000) / 1000,
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
