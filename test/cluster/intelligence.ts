/**
 * The intelligence loop across processes: a report submitted through one process is read (its
 * restricted fields opened with the shared data key) by its coordinator through another, linked to a
 * report sent through a third request, graded through the balancer; a group export job runs once and
 * its file downloads from every process; and the pages of every module answer through the balancer.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { sql } from 'kysely';
import { Client, type Response } from '../support/client.ts';
import { A_REPORT, listedGroup, person, reportId, sendReport, type Person } from '../support/reports.ts';
import { assertEveryProcess, until, type Context } from './context.ts';

type ExportView = { id: string; status: string; rowsDone: number; download: string | null };
const GRADE = { source: 2, assessment: 'B', handling: 'P', priority: 'high', summary: 'Workers moved at night by one van.' };

export function intelligenceJourneys(context: Context): void {
  describe('intelligence loop', () => {
    let national: Person;
    let coordinator: Person;
    let groupId: string;
    const ids: string[] = [];
    const get = (who: Person, url: string, base?: string) => (base ? new Client(base) : who.api).json('GET', url, undefined, who.token);

    before(async () => {
      national = await person(context.cluster.server(), { role: 'national-coordinator', country: 'GB' });
      coordinator = await person(context.cluster.server());
      groupId = await listedGroup(coordinator, national, { lat: 51.45, lon: -2.59, radiusKm: 10 });
    });

    test('a report sent through one process is read by its coordinator through another; a follow-up by receipt through a third request', async () => {
      const { cluster } = context;
      const processes = cluster.processes;
      const first = processes[0]!;
      const last = processes[processes.length - 1]!;
      const sent = await sendReport(cluster.server(first.url), A_REPORT);
      const id = await reportId(cluster.server(), sent.reference);
      ids.push(id);

      const read = await get(coordinator, `/api/v1/reports/${id}`, last.url);
      assert.equal(read.status, 200, read.text);
      const view = read.json<{ reference: string; account: string | null; status: string }>();
      assert.equal(view.reference, sent.reference);
      assert.equal(view.account, A_REPORT.account, 'the restricted account, sealed by one process, opened by another');

      const addition = 'Later the van came back with four more people.';
      const added = await new Client(last.url).json('POST', '/api/v1/reports/by-receipt/additions', { receipt: sent.receiptCode, account: addition });
      assert.equal(added.status, 200, added.text);
      const again = await get(coordinator, `/api/v1/reports/${id}`, first.url);
      assert.deepEqual(again.json<{ additions: { account: string | null }[] }>().additions.map((a) => a.account), [addition], 'the addition, sealed by one process, opened by another');

      const triaged = await coordinator.api.json('POST', `/api/v1/reports/${id}/triage`, undefined, coordinator.token);
      assert.equal(triaged.status, 200, triaged.text);
      const graded = await coordinator.api.json('POST', `/api/v1/reports/${id}/grade`, GRADE, coordinator.token);
      assert.equal(graded.status, 200, graded.text);
      const reads = await Promise.all(processes.map((proc) => get(coordinator, `/api/v1/reports/${id}`, proc.url)));
      for (const r of reads) assert.equal(r.json<{ status: string }>().status, 'graded', 'every process sees the grade');
    });

    test('correlation: a report sharing a phone number, sent through another process, is linked to the first', async () => {
      const { cluster } = context;
      const other = cluster.processes[1 % cluster.processes.length]!;
      const sent = await sendReport(cluster.server(other.url), { ...A_REPORT, placeType: 'hotel', identifiers: [{ kind: 'phone', value: '+44 7700 900123' }] });
      const id = await reportId(cluster.server(), sent.reference);
      ids.push(id);
      const links = await get(coordinator, `/api/v1/reports/${ids[0]}/links`);
      assert.equal(links.status, 200, links.text);
      const linked = links.json<{ links: { other: { id: string }; exact: boolean }[] }>().links;
      assert.ok(linked.some((link) => link.other.id === id && link.exact), 'linked by the shared phone number');
    });

    test('a group export job started through the balancer runs once, and its file downloads from every process (shared data directory)', async () => {
      const { cluster } = context;
      const started = await coordinator.api.json('POST', '/api/v1/exports', { groupId, format: 'csv' }, coordinator.token);
      assert.equal(started.status, 202, started.text);
      const job = started.json<ExportView>();
      let view = job;
      await until(async () => {
        view = (await get(coordinator, `/api/v1/exports/${job.id}`)).json<ExportView>();
        return view.status === 'done' || view.status === 'failed';
      }, 'the export');
      assert.equal(view.status, 'done');
      assert.equal(view.rowsDone, ids.length);
      const files = await Promise.all(cluster.processes.map((proc) => get(coordinator, view.download!, proc.url)));
      for (const file of files) assert.equal(file.status, 200, 'every process serves the file');
      assert.equal(new Set(files.map((f) => f.text)).size, 1, 'the same file');
      const lines: string[][] = parseCsv(files[0]!.text, { bom: true });
      assert.equal(lines.length, 1 + ids.length, 'a header and one line per report');

      const runs = await sql<{ state: string; retry_count: number }>`select state, retry_count from pgboss.job where name = 'map.export' and data->>'exportId' = ${job.id}`.execute(cluster.database.db);
      assert.deepEqual(runs.rows, [{ state: 'completed', retry_count: 0 }], 'one job, run once');
      const map = await get(coordinator, `/api/v1/groups/${groupId}/map?zoom=12&bbox=-3,51,-2,52`);
      assert.equal(map.status, 200, map.text);
    });

    test('pages of every module answer through the balancer, to a visitor, a group coordinator and a national coordinator', async () => {
      const visitor = new Client(context.cluster.url);
      const pages: [Client, string[]][] = [
        [visitor, ['/', '/packs', '/what-to-look-for', '/self-check', '/map', '/statistics', '/declarations/stop-the-traffik', '/chocolate', '/chocolate/guide', '/chocolate/action', '/newsletter', '/donate', '/events', '/groups', '/signin']],
        [coordinator.browser, ['/account', `/groups/${groupId}`, `/groups/${groupId}/map`, `/groups/${groupId}/routes`, `/groups/${groupId}/outcomes`, `/reports/${ids[0]}/links`, '/disclosures', '/exports', '/events/new']],
        [national.browser, ['/groups/national/GB', '/countries/GB/map', '/countries/GB/routes', '/countries/GB/connection-requests', '/networks', '/partners', '/partnerships']],
      ];
      const answers: Response[] = [];
      for (const [client, paths] of pages) {
        for (const path of paths) {
          const page = await client.get(path);
          assert.equal(page.status, 200, `${path}: ${page.status} ${page.location ?? ''}`);
          answers.push(page);
        }
      }
      assertEveryProcess(context, answers, 'pages');
      context.figures['pages visited through the balancer'] = answers.length;
    });
  });
}
