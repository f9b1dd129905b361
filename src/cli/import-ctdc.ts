/**
 * `cast import ctdc FILE.csv`: brings a CTDC data set in as the labelled context layer of routes
 * and public statistics (src/modules/routes/ctdc-import.ts). Problems go to standard error, one line
 * each with the line of the file; nothing is written unless the file is clean or --keep-valid is given.
 */
import fs from 'node:fs';
import { optional, parse } from './args.ts';
import { withDatabase } from './context.ts';
import { CommandFailure, UsageError } from './errors.ts';

const NAME = 'import ctdc';
/** Enough to fix a file by; the count says how many more there are. */
const SHOWN_PROBLEMS = 200;

export async function run(args: string[]): Promise<number> {
  const parsed = parse(NAME, args, { label: { type: 'string' }, 'keep-valid': { type: 'boolean' } }, { min: 1, max: 1 });
  const file = parsed.positionals[0]!;
  const label = optional(parsed, 'label');
  if (label !== undefined && (label.length === 0 || label.length > 200)) throw new UsageError('--label must be 1 to 200 characters', NAME);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new CommandFailure(`no file at ${file}`);
  const keepValid = parsed.values['keep-valid'] === true;

  const { importCtdcFile } = await import('../modules/routes/index.ts');
  const result = await withDatabase((database) => importCtdcFile(database.db, file, { label, keepValid }));
  for (const problem of result.problems.slice(0, SHOWN_PROBLEMS)) console.error(`${problem.line > 0 ? `line ${problem.line}: ` : ''}${problem.message}`);
  if (result.problems.length > SHOWN_PROBLEMS) console.error(`… and ${result.problems.length - SHOWN_PROBLEMS} more problems`);
  if (!result.ok) {
    const why = {
      'bad-header': 'the header is not that of a CTDC data set',
      'bad-rows':
        result.valid === 0
          ? `none of the ${result.rows} rows is valid`
          : `${result.rows - result.valid} of ${result.rows} rows have problems (add --keep-valid to import the ${result.valid} valid rows)`,
      empty: 'the file holds no records',
      unreadable: 'the file is not valid CSV',
    }[result.reason];
    throw new CommandFailure(`nothing imported: ${why}`);
  }
  console.log(`imported "${result.label}": ${result.records} records (${result.codes} country codes)${result.rejected > 0 ? `, ${result.rejected} invalid rows left out` : ''}`);
  return 0;
}
