import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { csvField, exportWriter, xmlText, type ExportFormat, type ExportRow } from './export-formats.ts';

const ROW: ExportRow = {
  reference: 'R-00000001',
  receivedOn: '2026-11-20',
  status: 'graded',
  gradeSource: 2,
  gradeAssessment: 'B',
  gradeHandling: 'P',
  priority: 'high',
  placeType: 'car-wash',
  exploitationTypes: ['labour', 'sexual'],
  indicators: ['person.fearful'],
  peopleCount: 4,
  identifierCount: 1,
  h3Cell: '87195da49ffffff',
  summary: 'Plain summary',
};

const write = (format: ExportFormat, rows: ExportRow[], restricted = false) => {
  const writer = exportWriter(format, { restricted, title: 'Group <A> & "B"' });
  return writer.head() + rows.map((row) => writer.row(row)).join('') + writer.tail();
};

describe('export formats', () => {
  test('CSV cells: quoted when needed, formulas defused, numbers left alone', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('=SUM(A1)'), "'=SUM(A1)");
    assert.equal(csvField('+44 7700'), "'+44 7700");
    assert.equal(csvField('-1'), "'-1");
    assert.equal(csvField('@cmd'), "'@cmd");
    assert.equal(csvField('\tx'), "'\tx");
    assert.equal(csvField(-2.5), '-2.5');
    assert.equal(csvField(null), '');
  });

  test('any text survives a CSV round trip (defused only by the leading quote)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ maxLength: 30 }), (summary, placeType) => {
        const text = write('csv', [{ ...ROW, summary, placeType }]);
        const [header, row]: string[][] = parseCsv(text, { bom: true });
        const value = (name: string) => row![header!.indexOf(name)];
        const defused = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
        assert.equal(value('summary'), defused(summary));
        assert.equal(value('place_type'), defused(placeType));
      }),
      { numRuns: 300 },
    );
  });

  test('KML is well-formed XML for any text, and says it back', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (summary) => {
        const text = write('kml', [{ ...ROW, summary }]);
        assert.equal(XMLValidator.validate(text), true);
        const parsed = new XMLParser({ parseTagValue: false, trimValues: false }).parse(text) as { kml: { Document: { Placemark: { ExtendedData: { Data: { value: string }[] } } } } };
        const data = parsed.kml.Document.Placemark.ExtendedData.Data;
        const stripped = summary.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
        if (stripped !== '') assert.ok(data.some((d) => String(d.value) === stripped.replace(/\r\n?/g, '\n')));
      }),
      { numRuns: 300 },
    );
    assert.equal(xmlText('<a & "b">'), '&lt;a &amp; &quot;b&quot;&gt;');
  });

  test('GeoJSON: valid JSON for any text; the cell centre unless restricted gives the point', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (summary) => {
        const parsed = JSON.parse(write('geojson', [ROW, { ...ROW, summary, h3Cell: null }])) as { type: string; features: { geometry: { coordinates: number[] } | null; properties: Record<string, unknown> }[] };
        assert.equal(parsed.type, 'FeatureCollection');
        assert.equal(parsed.features.length, 2);
        assert.equal(parsed.features[1]!.geometry, null, 'no cell and no point: null geometry');
        assert.equal(parsed.features[1]!.properties.summary, summary);
      }),
    );
    const empty = JSON.parse(write('geojson', [])) as { features: unknown[] };
    assert.deepEqual(empty.features, []);
    const restricted = JSON.parse(write('geojson', [{ ...ROW, restricted: { lat: 51.5, lon: -0.12, place: null, account: null, identifiers: [], names: [], vehicles: null, contact: null } }], true)) as {
      features: { geometry: { coordinates: number[] } }[];
    };
    assert.deepEqual(restricted.features[0]!.geometry.coordinates, [-0.12, 51.5]);
  });

  test('HXL: the hashtag row matches the header and every tag is a hashtag', () => {
    for (const restricted of [false, true]) {
      const [header, tags]: string[][] = parseCsv(write('hxl', [], restricted), { bom: true });
      assert.equal(header!.length, tags!.length);
      assert.ok(tags!.every((tag) => /^#[a-z_]+( \+[a-z_0-9]+)*$/.test(tag)), tags!.join(','));
    }
  });
});
