/**
 * An export as a stream of text: the matching reports are read in batches by keyset and each batch
 * is formatted and handed on only when the reader asks for more (Readable.from pulls the generator),
 * so a slow client or disk holds the database reads back and a million rows never sit in memory.
 */
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import type { Engine } from '../../core/config.ts';
import type { FieldSealer } from '../../core/field-sealer.ts';
import { exportBatch, type ExportFilterSet, type ExportReportRow, type ExportScope } from '../reports/index.ts';
import { exportWriter, type ExportFormat, type ExportRow, type RestrictedFields } from './export-formats.ts';

/**
 * Reports per batch. Each batch is one statement (planned, its identifier counts grouped, on PGlite
 * its relation sizes looked up through the file system), so fewer, larger batches cost less per row:
 * 300,000 rows through the job, alternating runs on a quiet machine, 1,000 → 5,000 took PostgreSQL
 * from 72,000–74,000 to 78,000–84,000 rows/s and PGlite from 44,000–47,000 to 52,000–60,000, with
 * the same RSS growth (at most two batches are held: on PGlite each arrives as ~1.5 MB of JSON text).
 */
export const BATCH_SIZE = 5000;
// A restricted batch carries every report's sealed account, place and contact (on PGlite in one JSON
// text from the database): smaller batches keep it small (several MB at 1,000 reports).
const RESTRICTED_BATCH_SIZE = 100;
const CHUNK_CHARS = 32 * 1024;
/**
 * How much formatted text may wait for the file or the client. With the default (16 KB, less than
 * one piece) formatting stopped at every piece until the write came back from the disk, so the two
 * took turns; with 1 MB they overlap (in-process, 300,000 rows to a file on PostgreSQL: ~47,000 →
 * ~58,000 rows/s). The memory is bounded: 1 MB here and 1 MB in the file stream.
 */
export const STREAM_BUFFER_BYTES = 1024 * 1024;

export interface ExportStreamDeps {
  db: Kysely<Tables>;
  sealer: FieldSealer;
  /** How batches travel from the database depends on it (exportBatch). */
  engine: Engine;
}

export interface ExportSpec {
  scope: ExportScope;
  filters: ExportFilterSet;
  format: ExportFormat;
  restricted: boolean;
  title: string;
  /** Overrides the batch size (tests that follow the keyset across batches). */
  batchSize?: number;
}

async function opened(sealer: FieldSealer, row: ExportReportRow): Promise<RestrictedFields | undefined> {
  const sealed = row.sealed;
  if (!sealed) return undefined;
  const open = async (value: string | null) => (value === null ? null : sealer.unseal(value));
  const location = sealed.location ? (JSON.parse(await sealer.unseal(sealed.location)) as { lat?: number; lon?: number; place?: string }) : null;
  const identifiers = await Promise.all(sealed.identifiers.map(async (i) => ({ kind: i.kind, value: (JSON.parse(await sealer.unseal(i.valueSealed)) as { value: string }).value })));
  return {
    lat: typeof location?.lat === 'number' ? location.lat : null,
    lon: typeof location?.lon === 'number' ? location.lon : null,
    place: location?.place ?? null,
    account: await open(sealed.narrative),
    identifiers,
    names: sealed.names ? (JSON.parse(await sealer.unseal(sealed.names)) as string[]) : [],
    vehicles: await open(sealed.vehicles),
    contact: await open(sealed.contact),
  };
}

function plainRow(row: ExportReportRow, restricted?: RestrictedFields): ExportRow {
  return {
    reference: row.reference,
    receivedOn: row.received_on,
    status: row.status,
    gradeSource: row.grade_source,
    gradeAssessment: row.grade_assessment,
    gradeHandling: row.grade_handling,
    priority: row.priority,
    placeType: row.place_type,
    exploitationTypes: row.exploitation_types,
    indicators: row.indicators,
    peopleCount: row.people_count,
    identifierCount: row.identifier_count,
    h3Cell: row.h3_cell,
    summary: row.summary,
    ...(restricted ? { restricted } : {}),
  };
}

/** The export's text, batch by batch. `onBatch` hears the running row count (for a job's progress). */
export async function* exportChunks(deps: ExportStreamDeps, spec: ExportSpec, onBatch?: (rowsDone: number) => Promise<void>): AsyncGenerator<string> {
  const writer = exportWriter(spec.format, { restricted: spec.restricted, title: spec.title });
  yield writer.head();
  const batchSize = spec.batchSize ?? (spec.restricted ? RESTRICTED_BATCH_SIZE : BATCH_SIZE);
  const batchAfter = (cursor?: { day: string; id: string }) => {
    const batch = exportBatch(deps.db, spec.scope, spec.filters, cursor, batchSize, { restricted: spec.restricted, engine: deps.engine });
    // Handled at once: while the generator waits at a yield (a slow reader) the read ahead may fail
    // (a lost connection), and an unhandled rejection would end the process. `await next` still
    // sees the failure.
    batch.catch(() => undefined);
    return batch;
  };
  let next: Promise<ExportReportRow[]> | undefined = batchAfter();
  let done = 0;
  while (next) {
    const rows: ExportReportRow[] = await next;
    // The next batch is asked for before this one is formatted: on PostgreSQL the database reads it
    // while this thread formats, so neither waits for the other. At most two batches are held.
    const last = rows.at(-1);
    next = rows.length === batchSize && last ? batchAfter({ day: last.received_on, id: last.id }) : undefined;
    // One turn of the event loop, so the query is actually sent before formatting starts: the steps
    // to the socket are promise callbacks and timers, which a synchronous loop over 1,000 rows would
    // hold back until the batch is formatted — and the database would wait for the thread. Quiet,
    // in-process on PostgreSQL: ~45,000 rows/s without this turn, 55,000–64,000 with it.
    await new Promise((resolve) => setImmediate(resolve));
    // Handed on in pieces under V8's large-object size: a 500 KB string per batch would live in the
    // large-object space until a full collection, and the heap would grow with the export.
    let text = '';
    for (const row of rows) {
      text += writer.row(spec.restricted ? plainRow(row, await opened(deps.sealer, row)) : plainRow(row));
      if (text.length >= CHUNK_CHARS) {
        yield text;
        text = '';
      }
    }
    done += rows.length;
    if (onBatch) await onBatch(done);
    if (text) yield text;
  }
  yield writer.tail();
}

export const exportStream = (deps: ExportStreamDeps, spec: ExportSpec, onBatch?: (rowsDone: number) => Promise<void>): Readable =>
  Readable.from(exportChunks(deps, spec, onBatch), { objectMode: false, highWaterMark: STREAM_BUFFER_BYTES });
