/**
 * importCtdc: brings a CTDC data set in as the labelled context layer (`cast import ctdc FILE.csv`).
 *
 * Guarantees:
 * - Nothing half-imported: the file is read to the end and checked before anything is written, and
 *   the layer is written in one transaction with its audit entry.
 * - Every problem is reported with its line. A bad header (unknown or missing columns) refuses the
 *   file. Bad rows refuse the file unless the operator asks to keep the valid rows (`keepValid`);
 *   then the rows left out are counted in the layer.
 * - Only counts are kept (year × citizenship × country of exploitation × exploitation types), never
 *   the records.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Kysely } from 'kysely';
import { appendAudit } from '../../core/audit.ts';
import type { Tables } from '../../core/db/tables.ts';
import { CtdcReader, type CodeKind, type CtdcProblem } from './ctdc-parse.ts';
import { insertCtdcImport } from './store.ts';

export interface CtdcImportOptions {
  /** Shown beside the layer (default: "CTDC <file name>"). */
  label?: string | undefined;
  keepValid?: boolean;
  /** For tests: the year no registration may be after (default: this year). */
  currentYear?: number;
}

export type CtdcImportResult =
  | { ok: true; importId: string; label: string; rows: number; records: number; rejected: number; codes: CodeKind; problems: CtdcProblem[] }
  | { ok: false; rows: number; valid: number; problems: CtdcProblem[]; reason: 'bad-header' | 'bad-rows' | 'empty' | 'unreadable' };

async function readCsv(input: Readable, reader: CtdcReader): Promise<string | undefined> {
  const parser = input.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: false, info: true, trim: false }));
  let first = true;
  try {
    for await (const entry of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (first) {
        reader.header(entry.record);
        first = false;
        if (reader.fatal) break;
      } else reader.row(entry.record, entry.info.lines);
    }
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return `${line ? `line ${line}: ` : ''}${(error as Error).message.replace(/^Invalid [^:]*: /, '')}`;
  } finally {
    input.destroy();
  }
  return first ? 'the file is empty' : undefined;
}

/** Reads and checks `input` (a CSV stream), then writes the layer, or nothing. */
export async function importCtdc(db: Kysely<Tables>, input: Readable, fileName: string, options: CtdcImportOptions = {}): Promise<CtdcImportResult> {
  const reader = new CtdcReader(options.currentYear);
  const unreadable = await readCsv(input, reader);
  const result = reader.result();
  if (unreadable) return { ok: false, reason: result.rows === 0 && unreadable === 'the file is empty' ? 'empty' : 'unreadable', rows: result.rows, valid: result.valid, problems: [...result.problems, { line: 0, message: unreadable }] };
  if (reader.fatal) return { ok: false, reason: 'bad-header', rows: 0, valid: 0, problems: result.problems };
  if (result.valid === 0) return { ok: false, reason: result.rows === 0 ? 'empty' : 'bad-rows', rows: result.rows, valid: 0, problems: result.problems };
  if (result.problems.length > 0 && !options.keepValid) return { ok: false, reason: 'bad-rows', rows: result.rows, valid: result.valid, problems: result.problems };
  const label = options.label?.trim() || `CTDC ${fileName}`;
  const importId = await db.transaction().execute(async (trx) => {
    const id = await insertCtdcImport(trx, { label, fileName, codes: result.codes, records: result.valid, rejected: result.rejected }, result.counts);
    await appendAudit(trx, { actorId: null, action: 'routes.ctdc-imported', subject: `ctdc:${id}`, detail: { records: result.valid, rejected: result.rejected, codes: result.codes } });
    return id;
  });
  return { ok: true, importId, label, rows: result.rows, records: result.valid, rejected: result.rejected, codes: result.codes, problems: result.problems };
}

/** importCtdc from a file on disk. */
export function importCtdcFile(db: Kysely<Tables>, file: string, options: CtdcImportOptions = {}): Promise<CtdcImportResult> {
  return importCtdc(db, fs.createReadStream(file), path.basename(file), options);
}
