/**
 * CSV for editors' import and export (RFC 4180: commas, double quotes, CRLF). Exported text that a
 * spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading apostrophe;
 * import takes that apostrophe off again, so a file round-trips.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  const safe = typeof value === 'string' && FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvDocument(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...rows].map((cells) => `${cells.map(csvCell).join(',')}\r\n`).join('');
}

export type ParsedCsv = { ok: true; rows: string[][] } | { ok: false; line: number; problem: 'unclosed-quote' | 'stray-quote' };

/** Parses the whole text; a quote that never closes or text after a closing quote is an error with its line. */
export function parseCsv(input: string): ParsedCsv {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let wasQuoted = false;
  let line = 1;
  let quoteLine = 1;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else quoted = false;
      } else {
        if (c === '\n') line += 1;
        cell += c;
      }
      continue;
    }
    if (c === '"') {
      if (cell !== '' || wasQuoted) return { ok: false, line, problem: 'stray-quote' };
      quoted = true;
      wasQuoted = true;
      quoteLine = line;
    } else if (c === ',') {
      row.push(unprotect(cell));
      cell = '';
      wasQuoted = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(unprotect(cell));
      rows.push(row);
      row = [];
      cell = '';
      wasQuoted = false;
      line += 1;
    } else {
      if (wasQuoted) return { ok: false, line, problem: 'stray-quote' };
      cell += c;
    }
  }
  if (quoted) return { ok: false, line: quoteLine, problem: 'unclosed-quote' };
  if (cell !== '' || wasQuoted || row.length > 0) {
    row.push(unprotect(cell));
    rows.push(row);
  }
  // Blank lines (a trailing newline, an empty line between rows) carry no data.
  return { ok: true, rows: rows.filter((r) => !(r.length === 1 && r[0] === '')) };
}

function unprotect(cell: string): string {
  return cell.length > 1 && cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
