import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { csvDocument, parseCsv } from './csv.ts';

const rows = [
  ['plain', 'with, comma', 'with "quotes"'],
  ['multi\nline', '=SUM(A1)', '-5'],
  ['Côte d’Ivoire', '', '@handle'],
];

test('what csvDocument writes, an independent parser reads back (with the formula guard)', () => {
  const text = csvDocument(['a', 'b', 'c'], rows);
  assert.ok(text.endsWith('\r\n'));
  const read: string[][] = parse(text);
  assert.deepEqual(read[0], ['a', 'b', 'c']);
  assert.deepEqual(read[2], ['multi\nline', "'=SUM(A1)", "'-5"]);
});

test('parseCsv round-trips csvDocument, taking the formula guard off again', () => {
  const parsed = parseCsv(csvDocument(['a', 'b', 'c'], rows));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.rows, [['a', 'b', 'c'], ...rows]);
});

test('parseCsv agrees with csv-parse on ordinary files, with LF or CRLF and a byte-order mark', () => {
  for (const newline of ['\n', '\r\n']) {
    const text = ['\uFEFFslug,name', 'bean-bros,"Bean ""Brothers"", SA"', 'quiet,"two\nlines"', '', ''].join(newline);
    const mine = parseCsv(text);
    assert.ok(mine.ok);
    assert.deepEqual(mine.rows, parse(text, { bom: true, skip_empty_lines: true }));
  }
});

test('a quote that never closes or stands in the middle of a value is an error with its line', () => {
  assert.deepEqual(parseCsv('a,b\n"open,x\ny,z'), { ok: false, line: 2, problem: 'unclosed-quote' });
  assert.deepEqual(parseCsv('a,b\nx"y,z'), { ok: false, line: 2, problem: 'stray-quote' });
  assert.deepEqual(parseCsv('a,b\n"x"y,z'), { ok: false, line: 2, problem: 'stray-quote' });
});
