/**
 * The content check: every Action Pack and self-check in content/packs/ loads in every language,
 * and broken copies are refused — a missing translation, a translation of another version, an
 * unknown indicator id, a broken internal link. Also: "what to look for" follows the taxonomy.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { LANGUAGES } from '../../core/i18n.ts';
import { localisedTaxonomy, taxonomy } from '../indicators/index.ts';
import { AUDIENCES, loadPackContent, PACKS_DIR, TOPICS } from './content.ts';
import { lookFor } from './look-for.ts';
import { parseMarkdown, renderHtml } from './markdown.ts';

const copies: string[] = [];
after(() => {
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of content/packs/ to break on purpose. */
function copy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cast-packs-'));
  copies.push(dir);
  fs.cpSync(PACKS_DIR, dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}fonts`) });
  return dir;
}

function edit(file: string, change: (text: string) => string): void {
  const before = fs.readFileSync(file, 'utf8');
  const after = change(before);
  assert.notEqual(after, before, `the edit of ${file} changed nothing`);
  fs.writeFileSync(file, after);
}

describe('Action Pack content check', () => {
  test('every pack and self-check loads in every language, and each audience and topic has a pack', () => {
    const content = loadPackContent();
    assert.ok(content.packs.size >= 5);
    for (const pack of content.packs.values()) assert.deepEqual([...pack.text.keys()], [...LANGUAGES], pack.slug);
    for (const audience of AUDIENCES) assert.ok([...content.packs.values()].some((p) => p.audiences.includes(audience)), `no pack for ${audience}`);
    for (const topic of TOPICS) assert.ok([...content.packs.values()].some((p) => p.topic === topic), `no pack on ${topic}`);
    assert.ok(content.scenarios.size >= 2);
  });

  test('every pack links to group creation and to reporting, and says what to do in an emergency', () => {
    for (const pack of loadPackContent().packs.values()) {
      for (const text of pack.text.values()) {
        assert.ok(text.parsed.links.includes('/groups/new'), `${pack.slug}/${text.language} does not link to /groups/new`);
        assert.ok(text.parsed.links.includes('/report'), `${pack.slug}/${text.language} does not link to /report`);
      }
    }
  });

  const refusals: [string, (dir: string) => void, RegExp][] = [
    ['a missing translation', (dir) => fs.rmSync(path.join(dir, 'schools-sex-trafficking/fr.md')), /schools-sex-trafficking\/fr\.md: missing translation/],
    ['a self-check without a translation', (dir) => fs.rmSync(path.join(dir, 'self-check/the-car-wash/fr.md')), /self-check\/the-car-wash\/fr\.md: missing translation/],
    ['a translation of another version', (dir) => edit(path.join(dir, 'schools-sex-trafficking/fr.md'), (t) => t.replace('version: 1', 'version: 2')), /"version" 2 differs/],
    ['an unknown indicator id in a pack', (dir) => edit(path.join(dir, 'schools-sex-trafficking/en.md'), (t) => t.replace('person.cut-off', 'person.made-up')), /unknown indicator id "person\.made-up"/],
    ['an unknown indicator id in a self-check', (dir) => edit(path.join(dir, 'self-check/the-car-wash/en.md'), (t) => t.replace('labour.no-protection', 'labour.nope')), /unknown indicator id "labour\.nope"/],
    ['an unknown exploitation type', (dir) => edit(path.join(dir, 'schools-sex-trafficking/en.md'), (t) => t.replace('types: [sexual, child]', 'types: [sexual, piracy]')), /unknown exploitation type "piracy"/],
    ['a link to a pack that does not exist', (dir) => edit(path.join(dir, 'schools-sex-trafficking/en.md'), (t) => t.replace('(/groups/new)', '(/packs/no-such-pack)')), /broken link "\/packs\/no-such-pack"/],
    ['a link to a self-check that does not exist', (dir) => edit(path.join(dir, 'schools-sex-trafficking/en.md'), (t) => t.replace('/self-check/the-flat-upstairs', '/self-check/the-flat-downstairs')), /broken link "\/self-check\/the-flat-downstairs"/],
    ['a link to a "what to look for" page that does not exist', (dir) => edit(path.join(dir, 'self-check/the-car-wash/fr.md'), (t) => t.replace('/what-to-look-for/labour', '/what-to-look-for/slavery')), /broken link "\/what-to-look-for\/slavery"/],
    ['a link to a heading that does not exist', (dir) => edit(path.join(dir, 'schools-sex-trafficking/en.md'), (t) => t.replace('(/report)', '(#no-such-heading)')), /broken link "#no-such-heading"/],
    ['a link to another site over plain http', (dir) => edit(path.join(dir, 'schools-sex-trafficking/en.md'), (t) => t.replace('(/report)', '(http://example.org)')), /must be a path on this site/],
    ['a misspelt front matter field', (dir) => edit(path.join(dir, 'schools-sex-trafficking/en.md'), (t) => t.replace('summary:', 'sumary:')), /unknown field "sumary"/],
    ['a school activity without an age range', (dir) => edit(path.join(dir, 'schools-sex-trafficking/en.md'), (t) => t.replace('    ages: 11–18\n', '')), /gives an age range/],
    ['self-check options that differ between languages', (dir) => edit(path.join(dir, 'self-check/the-car-wash/fr.md'), (t) => t.replace('id: radio', 'id: music')), /options \(ids, order, indicators\) differ/],
    ['broken YAML', (dir) => edit(path.join(dir, 'schools-sex-trafficking/en.md'), (t) => t.replace('topic: sex-trafficking', 'topic: [sex-trafficking')), /front matter is not valid YAML/],
  ];
  for (const [what, breakIt, error] of refusals) {
    test(`refuses ${what}, naming the file`, () => {
      const dir = copy();
      breakIt(dir);
      assert.throws(() => loadPackContent(dir), error);
    });
  }

  test('"what to look for" is built from the taxonomy: an indicator added to it shows in a pack', () => {
    const pack = loadPackContent().packs.get('schools-sex-trafficking')!.text.get('en')!;
    const current = localisedTaxonomy('en');
    const before = lookFor('en', pack.lookFor, current);
    const changed = structuredClone(current);
    changed.categories.find((c) => c.id === 'online')!.indicators.push({ id: 'online.new-sign', label: 'A sign added later', hint: 'Added to the taxonomy after the pack was written.', exploitationTypes: ['sexual'] });
    changed.categories.find((c) => c.id === 'sex')!.indicators[0]!.label = 'Reworded label';
    const afterChange = lookFor('en', pack.lookFor, changed);
    const ids = (l: typeof before) => l.groups.flatMap((g) => g.indicators.map((i) => i.id));
    assert.ok(!ids(before).includes('online.new-sign'));
    assert.ok(ids(afterChange).includes('online.new-sign'));
    assert.equal(afterChange.groups.find((g) => g.category === 'sex')!.indicators[0]!.label, 'Reworded label');
    // Every indicator of the pack's types is there, and an indicator of another type only when named.
    for (const indicator of taxonomy().indicators.values()) {
      const expected = indicator.exploitationTypes.some((t) => pack.lookFor.types.includes(t)) || pack.lookFor.indicators.includes(indicator.id);
      assert.equal(ids(before).includes(indicator.id), expected, indicator.id);
    }
    assert.equal(before.cautions.length, 2, 'both cautions are shown');
  });

  test('Markdown is rendered without raw HTML, with heading ids', () => {
    const parsed = parseMarkdown('## Où signaler\n\n<script>alert(1)</script> [x](https://example.org)');
    const html = renderHtml(parsed);
    assert.match(html, /<h2 id="ou-signaler">Où signaler<\/h2>/);
    assert.doesNotMatch(html, /<script>/);
    assert.match(html, /&lt;script&gt;/);
    assert.match(html, /rel="noopener noreferrer"/);
  });
});
