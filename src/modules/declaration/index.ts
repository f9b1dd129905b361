/** What other parts of CAST may use from the declaration module. Signatures here stay stable. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import type { SealedColumn } from '../../core/field-sealer.ts';
import { startGeneralSubscription } from '../newsletter/index.ts';
import { startTally } from './counts.ts';
import { createModule } from './module.ts';
import { operatorRoutes } from './operator-routes.tsx';
import { publicRoutes } from './routes.tsx';

export { defineDeclarationJobs, scheduleDeclarationJobs, eraseClosedDeclarations } from './erasure.ts';
export { tally as tallyDeclarationCounts } from './store.ts';
export { eraseUnconfirmedSignatures, signatureErasureDays } from './retention.ts';

/** The pages and API of the declaration. With jobs running, this process also takes part in the tally. */
export async function declarationRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const base = { db: deps.database.db, jobs: deps.jobs, config: deps.config, keys: deps.keys, sealer: deps.sealer };
  const module = createModule({ ...base, optIn: async (db, person) => void (await startGeneralSubscription(base, db, person)) });
  publicRoutes(app, deps, module);
  operatorRoutes(app, module);
  if (deps.config.runJobs) {
    const stop = startTally(deps.database.db, (error) => app.log.error({ err: (error as Error).message }, 'declaration tally failed'));
    app.addHook('onClose', stop);
  }
}

/** Every column holding sealed values, so `cast keys rotate` can re-encrypt them all. */
export const sealedColumns: readonly SealedColumn[] = [{ table: 'declaration_signatures', key: 'id', columns: ['name_sealed', 'email_sealed', 'postcode_sealed'] }];
