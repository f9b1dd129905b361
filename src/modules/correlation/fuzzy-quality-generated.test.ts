/**
 * Precision and recall of the fuzzy name linker on a generated labelled set (fuzzy-quality-names.ts),
 * a check on fuzzy-quality.test.ts, whose hand-written set was written beside the encoder: about
 * 400 people from the languages CAST meets, siblings and namesakes among them on purpose, each
 * written 2 to 5 ways by typos, swapped order, dropped accents, hyphens and spaces, other
 * transliterations and spellings, a dropped middle name. Every pair of records is judged the way the
 * linker judges it (a shared LSH band, then the Dice threshold), so the figure covers candidate
 * generation as well as scoring.
 *
 * The set comes from a fixed seed so that the floors below hold run after run;
 * FUZZY_NAMES_SEED=n draws another set (the floors have margin for that, see below), and
 * CAST_SHOW_FUZZY_ERRORS=1 lists every wrong judgement.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { createEncoder, dice, DICE_THRESHOLD, type Encoding, words } from './encoding.ts';
import { generateNameSet, type NameRecord } from './fuzzy-quality-names.ts';

const SEED = Number(process.env.FUZZY_NAMES_SEED ?? 20_260_606);
const PEOPLE = 400;

interface Tally {
  found: number;
  total: number;
}
const rate = ({ found, total }: Tally) => `${found}/${total}`;
function count(tallies: Map<string, Tally>, key: string, found: boolean): void {
  const tally = tallies.get(key) ?? { found: 0, total: 0 };
  tally.total++;
  if (found) tally.found++;
  tallies.set(key, tally);
}

test(`the fuzzy linker on a generated set of names: precision, recall, F1 (seed ${SEED})`, (t) => {
  const { people, records } = generateNameSet(SEED, PEOPLE);
  // The key follows the seed, so that a seed replays the same Bloom filters and bands.
  const encoder = createEncoder(crypto.createHash('sha256').update(`fuzzy-quality-generated ${SEED}`).digest());
  const encodings: Encoding[] = records.map((r) => {
    const encoding = encoder.encode('name', r.name);
    assert.ok(encoding, `no encoding for ${r.name}`);
    return encoding;
  });

  // Candidates as the linker finds them: records that share a band. Pair (i, j), i < j, is i * n + j.
  const n = records.length;
  const byBand = new Map<string, number[]>();
  encodings.forEach((encoding, i) => {
    for (const band of encoder.bands(encoding)) {
      const members = byBand.get(band);
      if (members) members.push(i);
      else byBand.set(band, [i]);
    }
  });
  const candidates = new Set<number>();
  for (const members of byBand.values()) for (let a = 0; a < members.length; a++) for (let b = a + 1; b < members.length; b++) candidates.add(members[a]! * n + members[b]!);

  const linked = (i: number, j: number) => candidates.has(i * n + j) && dice(encodings[i]!, encodings[j]!) >= DICE_THRESHOLD.name;
  const show = (i: number, j: number) => `${dice(encodings[i]!, encodings[j]!).toFixed(2)}: ${records[i]!.name} [${records[i]!.ops.join(', ')}] ~ ${records[j]!.name} [${records[j]!.ops.join(', ')}]`;
  const errors: string[] = [];

  // Every pair that is not a candidate is judged "different", rightly or not; so false matches are
  // among the candidates, and misses among the true pairs.
  let fp = 0;
  const falseByCulture = new Map<string, number>();
  for (const pair of candidates) {
    const i = Math.floor(pair / n);
    const j = pair % n;
    if (records[i]!.person !== records[j]!.person && linked(i, j)) {
      fp++;
      const culture = records[i]!.culture === records[j]!.culture ? records[i]!.culture : 'across languages';
      falseByCulture.set(culture, (falseByCulture.get(culture) ?? 0) + 1);
      errors.push(`false match ${show(i, j)}`);
    }
  }
  let tp = 0;
  let fn = 0;
  let missedByBands = 0;
  let exact = 0;
  const byCulture = new Map<string, Tally>();
  const byChange = new Map<string, Tally>();
  const plain = (r: NameRecord) => words(r.name).sort().join(' ');
  // A person's records come together, the name as its owner writes it first.
  const first = new Map<number, number>();
  records.forEach((r, i) => first.set(r.person, first.get(r.person) ?? i));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n && records[j]!.person === records[i]!.person; j++) {
      const found = linked(i, j);
      if (found) tp++;
      else {
        fn++;
        if (!candidates.has(i * n + j) && dice(encodings[i]!, encodings[j]!) >= DICE_THRESHOLD.name) missedByBands++;
        errors.push(`missed ${show(i, j)}${candidates.has(i * n + j) ? '' : ' (no shared band)'}`);
      }
      if (plain(records[i]!) === plain(records[j]!)) exact++;
      count(byCulture, records[i]!.culture, found);
      // One change from the name as its owner writes it: what that change alone costs.
      if (first.get(records[i]!.person) === i && records[j]!.ops.length === 1) count(byChange, records[j]!.ops[0]!, found);
    }
  }

  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  const f1 = (2 * precision * recall) / (precision + recall);
  // No two people share a name in the set, so matching names exactly (accents, case and order aside)
  // makes no false match: its F1 is what fuzziness has to beat.
  const exactRecall = exact / (tp + fn);
  const exactF1 = (2 * exactRecall) / (1 + exactRecall);
  const list = (tallies: Map<string, Tally>) => [...tallies].sort(([a], [b]) => a.localeCompare(b)).map(([key, tally]) => `${key} ${rate(tally)}`).join(', ');
  t.diagnostic(
    `generated fuzzy names (FUZZY_NAMES_SEED=${SEED}): ${people} people, ${n} records, ${tp + fn} true pairs; ` +
      `precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}, F1 ${f1.toFixed(3)} (exact matching: F1 ${exactF1.toFixed(3)}); ` +
      `${fp} false matches, ${fn} missed, ${missedByBands} of them above the threshold but missed by candidate generation`,
  );
  t.diagnostic(`true pairs found, by language: ${list(byCulture)}`);
  t.diagnostic(`true pairs found when one change was made: ${list(byChange)}`);
  t.diagnostic(`false matches, by language: ${[...falseByCulture].map(([key, total]) => `${key} ${total}`).join(', ') || 'none'}`);
  if (process.env.CAST_SHOW_FUZZY_ERRORS) t.diagnostic(errors.join('\n'));

  // The floors, from measurement: over seeds 1 to 60 this set gave F1 0.75 to 0.82, precision 0.82
  // to 0.94, recall 0.68 to 0.75, names written by another transliteration system alone found 0.76
  // to 0.94 of the time, and candidate generation missed at most 0.6 % of the pairs above the
  // threshold. Each floor sits a few hundredths under the worst seed, so any seed passes, and each
  // still catches a real regression (measured on altered copies of encoding.ts):
  // - the threshold moved to 0.7 (precision 0.65) or to 0.85 (recall 0.58);
  // - word order mattering again, one padded string per name (recall 0.47);
  // - the spelling folds lost (transliterations alone found 0.64 of the time instead of 0.87);
  // - candidate generation losing more than 1 % of the pairs above the threshold, as 4 bands instead
  //   of 16 do (4 %) or 5 rows per band instead of 3 (1.1 %); 8 bands (0.7 %) would pass.
  const transliterated = [...byChange].filter(([change]) => change.startsWith('translit:')).reduce((sum, [, tally]) => ({ found: sum.found + tally.found, total: sum.total + tally.total }), { found: 0, total: 0 });
  const replay = `(replay with FUZZY_NAMES_SEED=${SEED})`;
  assert.ok(f1 >= 0.73, `F1 ${f1.toFixed(3)} is under 0.73 ${replay}`);
  assert.ok(precision >= 0.78, `precision ${precision.toFixed(3)} is under 0.78 ${replay}`);
  assert.ok(recall >= 0.65, `recall ${recall.toFixed(3)} is under 0.65 ${replay}`);
  assert.ok(transliterated.found >= 0.72 * transliterated.total, `transliterations found ${rate(transliterated)}, under 0.72 ${replay}`);
  assert.ok(missedByBands <= 0.01 * (tp + missedByBands), `candidate generation missed ${missedByBands} pairs above the threshold ${replay}`);
});
