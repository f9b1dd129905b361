/**
 * docs/threat-model.md names, for each control, the test file and test that prove it. This checks
 * that every named file exists and holds a test of that name, so the threat model cannot point at
 * proof that was renamed or removed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, testEngine } from '../support/database.ts';

const DOC = path.join(ROOT, 'docs/threat-model.md');

/** `[file](../file) › "name"; › "another name"` → every (file, name) pair of a table cell. */
export function proofsOf(markdown: string): { file: string; name: string }[] {
  const proofs: { file: string; name: string }[] = [];
  for (const line of markdown.split('\n').filter((l) => l.startsWith('|'))) {
    let file: string | undefined;
    for (const match of line.matchAll(/\[([\w./-]+\.test\.ts)\]\(\.\.\/([\w./-]+)\)|› "([^"]+)"/g)) {
      if (match[1]) {
        assert.equal(match[1], match[2], `the link text and target agree: ${match[0]}`);
        file = match[1];
      } else if (file) proofs.push({ file, name: match[3]! });
    }
  }
  return proofs;
}

/** The proofs whose file is gone or holds no test of that name (as written in a test or describe call, in any quotes). */
function missingProofs(proofs: { file: string; name: string }[]): { file: string; name: string }[] {
  return proofs.filter(({ file, name }) => {
    const source = path.join(ROOT, file);
    if (!fs.existsSync(source)) return true;
    const text = fs.readFileSync(source, 'utf8');
    return !['\'', '"', '`'].some((quote) => text.includes(`${quote}${quote === '\'' ? name.replaceAll('\'', "\\'") : name}${quote}`));
  });
}

describe('threat model', { skip: testEngine() === 'postgres' && 'engine-independent: runs on PGlite' }, () => {
  test('every control links to a test file and test name that exist', () => {
    const proofs = proofsOf(fs.readFileSync(DOC, 'utf8'));
    console.log(`threat model: ${proofs.length} links to tests in ${new Set(proofs.map((p) => p.file)).size} files`);
    assert.ok(proofs.length >= 40, 'the table was read');
    assert.deepEqual(missingProofs(proofs), []);
  });

  test('the check can tell: a renamed test or a moved file is missing', () => {
    const proofs = proofsOf('| 1 | t | c | [src/core/audit.test.ts](../src/core/audit.test.ts) › "no such test"; › "the log refuses updates and deletes"; [src/core/gone.test.ts](../src/core/gone.test.ts) › "x" |');
    assert.equal(proofs.length, 3);
    assert.deepEqual(missingProofs(proofs), [
      { file: 'src/core/audit.test.ts', name: 'no such test' },
      { file: 'src/core/gone.test.ts', name: 'x' },
    ]);
  });
});
