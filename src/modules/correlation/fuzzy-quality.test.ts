/**
 * Precision and recall of the fuzzy linker on a labelled synthetic set written for this test: people's
 * names as reporters write them — typos, transliterations from Cyrillic and Greek, other Latin
 * spellings, swapped order, missing accents — among other people with close but different names.
 * Every pair of records is judged the way the linker judges it (a shared LSH band, then the Dice
 * threshold), so the figure covers candidate generation as well as scoring.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { createEncoder, dice, DICE_THRESHOLD } from './encoding.ts';

// Each line: one person, written several ways. Different lines are different people.
const PEOPLE: string[][] = [
  ['Ivan Petrov', 'Petrov Ivan', 'Иван Петров', 'Ivan Petrof', 'Ivan Pettrov'],
  ['Ivan Popov', 'Иван Попов', 'Popov Ivan'],
  ['Oleksandr Kovalenko', 'Олександр Коваленко', 'Kovalenko Oleksandr', 'Oleksander Kovalenko'],
  ['Aleksandr Kovalev', 'Alexandr Kovalev', 'Александр Ковалев'],
  ['Dmitri Sokolov', 'Dmitry Sokolov', 'Дмитрий Соколов', 'Sokolov Dmitri', 'Dmitri Sokolv'],
  ['Mariana Ionescu', 'Ionescu Mariana', 'Mariana Ionesku', 'Marianna Ionescu'],
  ['Maria Ionita', 'Ionita Maria', 'Maria Ioniță'],
  ['Andreea Popescu', 'Popescu Andreea', 'Andrea Popescu', 'Andreea Popesku'],
  ['Georgios Papadopoulos', 'Γεώργιος Παπαδόπουλος', 'Papadopoulos Georgios', 'Giorgos Papadopoulos', 'Georgios Papadopulos'],
  ['Nikos Papadakis', 'Νίκος Παπαδάκης', 'Papadakis Nikos'],
  ['Chukwuemeka Okafor', 'Okafor Chukwuemeka', 'Chukwuemeka Okafur', 'Chukuemeka Okafor'],
  ['Chinedu Okeke', 'Okeke Chinedu', 'Chinedu Okekke'],
  ['Nguyen Van Minh', 'Minh Van Nguyen', 'Nguyễn Văn Minh', 'Nguyen Van Mihn'],
  ['Nguyen Thi Lan', 'Lan Thi Nguyen', 'Nguyễn Thị Lan'],
  ['Tran Van Hung', 'Trần Văn Hùng', 'Hung Van Tran'],
  ['Mohammed Al Rashid', 'Mohammad Al Rashid', 'Al Rashid Mohammed', 'Mohamed Al-Rashid'],
  ['Ahmed Hassan', 'Hassan Ahmed', 'Ahmad Hassan', 'Ahmed Hasan'],
  ['Agnieszka Wiśniewska', 'Agnieszka Wisniewska', 'Wisniewska Agnieszka', 'Agnieska Wisniewska'],
  ['Katarzyna Kowalska', 'Kowalska Katarzyna', 'Katarzyna Kowalsky'],
  ['Jean-Baptiste Kouassi', 'Kouassi Jean Baptiste', 'Jean Baptiste Kuassi', 'Jean-Baptiste Kouasi'],
  ['Aya Koné', 'Kone Aya', 'Aya Kone'],
  ['Fatou Diallo', 'Diallo Fatou', 'Fatu Diallo', 'Fatou Dialo'],
  ['Fatoumata Diarra', 'Diarra Fatoumata', 'Fatoumata Diara'],
  ['Xhevdet Berisha', 'Berisha Xhevdet', 'Xhevdet Berishа', 'Xhevded Berisha'],
  ['Arben Krasniqi', 'Krasniqi Arben', 'Arben Krasniki'],
  ['Lucy Walker', 'Walker Lucy', 'Lucy Walkr'],
  ['Lucas Walters', 'Walters Lucas'],
  ['Sergei Volkov', 'Sergey Volkov', 'Сергей Волков', 'Volkov Sergei'],
  ['Yulia Morozova', 'Iulia Morozova', 'Юлия Морозова', 'Julia Morozova', 'Morozova Yulia'],
  ['Olga Morozova', 'Ольга Морозова'],
  ['Li Wei', 'Wei Li'],
  ['Zhang Wei Ming', 'Wei Ming Zhang', 'Zhang Weiming'],
  ['Thomas Müller', 'Thomas Mueller', 'Thomas Muller', 'Müller Thomas'],
  ['Tomasz Nowak', 'Nowak Tomasz', 'Tomasz Novak'],
  ['Samuel Mensah', 'Mensah Samuel', 'Samual Mensah'],
  ['Kwame Asante', 'Asante Kwame', 'Kwame Assante'],
  ['Daniela Rodríguez', 'Daniela Rodriguez', 'Rodriguez Daniela', 'Daniella Rodriguez'],
  ['Gabriela Rodrigues', 'Rodrigues Gabriela'],
  ['Sofia Hernández', 'Sofia Hernandez', 'Sophia Hernandez', 'Hernandez Sofia'],
  ['Elena Vasilescu', 'Vasilescu Elena', 'Elena Vasilesku'],
];

test('the fuzzy linker finds the same person written differently, and not different people (F1)', (t) => {
  const encoder = createEncoder(crypto.randomBytes(32));
  const records = PEOPLE.flatMap((variants, person) => variants.map((name) => ({ person, name, encoding: encoder.encode('name', name)! })));
  const bands = records.map((r) => new Set(encoder.bands(r.encoding)));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let missedByBands = 0;
  const errors: string[] = [];
  for (let i = 0; i < records.length; i++) {
    for (let j = i + 1; j < records.length; j++) {
      const a = records[i]!;
      const b = records[j]!;
      const candidate = [...bands[i]!].some((band) => bands[j]!.has(band));
      const score = dice(a.encoding, b.encoding);
      const predicted = candidate && score >= DICE_THRESHOLD.name;
      const actual = a.person === b.person;
      if (predicted && actual) tp++;
      else if (predicted) {
        fp++;
        errors.push(`false match ${score.toFixed(2)}: ${a.name} ~ ${b.name}`);
      } else if (actual) {
        fn++;
        if (!candidate && score >= DICE_THRESHOLD.name) missedByBands++;
        errors.push(`missed ${score.toFixed(2)}${candidate ? '' : ' (no shared band)'}: ${a.name} ~ ${b.name}`);
      }
    }
  }
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  const f1 = (2 * precision * recall) / (precision + recall);
  // A diagnostic, so the runner prints the figures beside the result.
  t.diagnostic(`fuzzy names: ${records.length} records, ${tp + fn} true pairs; precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}, F1 ${f1.toFixed(3)}; ${missedByBands} true pairs above the threshold missed by candidate generation`);
  if (process.env.CAST_SHOW_FUZZY_ERRORS) t.diagnostic(errors.join('\n'));
  // A floor that means something: well above what exact matching alone scores on this set (about 0.2).
  assert.ok(f1 >= 0.85, `F1 ${f1.toFixed(3)} is under 0.85`);
  assert.ok(precision >= 0.9, `precision ${precision.toFixed(3)} is under 0.9`);
});
