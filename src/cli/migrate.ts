/** `cast migrate`: applies pending migrations, so a deployment can migrate before it starts servers. */
import { migrate } from '../core/db/migrate.ts';
import { parse } from './args.ts';
import { withDatabase } from './context.ts';

export async function run(args: string[]): Promise<number> {
  parse('migrate', args, {});
  const applied = await withDatabase((database) => migrate(database));
  if (applied.length === 0) console.log('database is up to date: no migration to apply');
  for (const name of applied) console.log(`applied ${name}`);
  return 0;
}
