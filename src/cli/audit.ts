/**
 * `cast audit verify`: walks the audit chain and says whether anyone edited or removed an entry. The
 * exit code lets monitoring run it on a schedule and alert on 1.
 */
import { verifyAudit } from '../core/audit.ts';
import { parse } from './args.ts';
import { withDatabase } from './context.ts';

export async function run(args: string[]): Promise<number> {
  parse('audit verify', args, {});
  const result = await withDatabase((database) => verifyAudit(database.db));
  if (result.ok) {
    console.log(`audit log verified: ${result.entries} entries`);
    return 0;
  }
  console.error(`audit log chain broken at entry id ${result.brokenAtId} (entry ${result.entries} in order): ${result.problem}`);
  return 1;
}
