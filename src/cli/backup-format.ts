/**
 * The backup file: gzip'd JSON lines, readable with `zcat` and restorable into either engine.
 *
 *   {"format":"cast-backup","version":1,"createdAt":…,"schemaVersion":N,"engine":…}   header
 *   {"table":"users","columns":[…],"rows":N}                                         then N rows,
 *   {…row_to_json of one row…}                                                        one per line
 *   …                                                                                 (every table)
 *   {"sequences":[{"name":…,"lastValue":…,"startValue":…}]}
 *   {"end":true,"tables":T,"rows":R}                                                  proves the file is whole
 *
 * Rows are PostgreSQL's own JSON (row_to_json): bytea as "\x…" hex, timestamps as ISO 8601 in UTC,
 * numbers exactly as stored. They are copied as text and never parsed into JavaScript numbers on
 * either side, so nothing is rounded on the way.
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CommandFailure } from './errors.ts';
import type { SequenceState } from './catalog.ts';

export const FORMAT = 'cast-backup';
export const VERSION = 1;
/** Rows per page when reading and per insert when restoring: bounded memory whatever the table size. */
export const PAGE_ROWS = 5000;

export interface Header {
  format: typeof FORMAT;
  version: number;
  createdAt: string;
  schemaVersion: number;
  engine: string;
}

export interface TableLine {
  table: string;
  columns: string[];
  rows: number;
}

export interface SequencesLine {
  sequences: SequenceState[];
}

export interface EndLine {
  end: true;
  tables: number;
  rows: number;
}

/** Reads a backup line by line; `next` returns undefined at the end of the file. */
export class BackupReader {
  readonly #lines: AsyncIterator<string>;
  readonly #file: string;
  #lineNumber = 0;

  constructor(file: string) {
    this.#file = file;
    // pipeline, unlike pipe, passes a read error on, so it surfaces in the loop below.
    const input = pipeline(fs.createReadStream(file), createGunzip(), () => {});
    input.setEncoding('utf8');
    this.#lines = splitLines(input)[Symbol.asyncIterator]();
  }

  /** The next line as raw JSON text. */
  async nextText(): Promise<string | undefined> {
    try {
      const step = await this.#lines.next();
      if (step.done) return undefined;
      this.#lineNumber += 1;
      return step.value;
    } catch (error) {
      throw new CommandFailure(`${this.#file} is not a readable backup: ${(error as Error).message}`);
    }
  }

  async next<T>(what: string, check: (value: Record<string, unknown>) => boolean): Promise<T> {
    const text = await this.nextText();
    if (text === undefined) throw new CommandFailure(`${this.#file} ends early (expected ${what} after line ${this.#lineNumber}): the backup is incomplete`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new CommandFailure(`${this.#file} line ${this.#lineNumber} is not JSON: the backup is damaged`);
    }
    if (!value || typeof value !== 'object' || !check(value as Record<string, unknown>)) {
      throw new CommandFailure(`${this.#file} line ${this.#lineNumber} is not ${what}: the backup is damaged`);
    }
    return value as T;
  }

  get lineNumber(): number {
    return this.#lineNumber;
  }
}

async function* splitLines(input: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of input) {
    if (!chunk.includes('\n')) {
      rest += chunk; // a long row spans many chunks; split it once, when it ends
      continue;
    }
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    yield* parts;
  }
  if (rest !== '') yield rest;
}

export async function readHeader(reader: BackupReader, file: string): Promise<Header> {
  const header = await reader
    .next<Header>('the header', (v) => v.format === FORMAT)
    .catch(() => {
      throw new CommandFailure(`${file} is not a cast backup`);
    });
  if (header.version !== VERSION) throw new CommandFailure(`${file} is a version ${header.version} backup; this cast reads version ${VERSION}`);
  if (!Number.isInteger(header.schemaVersion)) throw new CommandFailure(`${file} has no schema version in its header`);
  return header;
}
