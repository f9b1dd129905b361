/** What other parts of CAST may use from the declaration module. Signatures here stay stable. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { startTally } from './counts.ts';
import type { DeclarationsDeps } from './deps.ts';
import { createModule } from './module.ts';
import { operatorRoutes } from './operator-routes.tsx';
import { publicRoutes } from './routes.tsx';

export { defineDeclarationJobs, scheduleDeclarationJobs, eraseClosedDeclarations } from './erasure.ts';
export { tally as tallyDeclarationCounts } from './store.ts';

/** The pages and API of the declaration. With jobs running, this process also takes part in the tally. */
export async function declarationRoutes(app: FastifyInstance, deps: AppDeps & { optIn?: DeclarationsDeps['optIn'] }): Promise<void> {
  const module = createModule({ db: deps.database.db, jobs: deps.jobs, config: deps.config, keys: deps.keys, sealer: deps.sealer, optIn: deps.optIn });
  publicRoutes(app, deps, module);
  operatorRoutes(app, module);
  if (deps.config.runJobs) {
    const stop = startTally(deps.database.db, (error) => app.log.error({ err: (error as Error).message }, 'declaration tally failed'));
    app.addHook('onClose', stop);
  }
}
