/** The chocolate module's HTTP routes: public pages, editors' pages and the JSON API. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { chocolateApiRoutes } from './api-routes.ts';
import type { ChocolateDeps } from './deps.ts';
import { chocolateEditRoutes } from './edit-routes.tsx';
import { chocolateManageRoutes } from './manage-routes.tsx';
import { chocolatePageRoutes } from './page-routes.tsx';

export const chocolateDeps = (deps: AppDeps): ChocolateDeps => ({ db: deps.database.db, jobs: deps.jobs, config: deps.config, sealer: deps.sealer, keys: deps.keys });

export async function chocolateRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const chocolate = chocolateDeps(deps);
  await chocolatePageRoutes(app, chocolate);
  await chocolateManageRoutes(app, chocolate);
  await chocolateEditRoutes(app, chocolate);
  await chocolateApiRoutes(app, chocolate);
}
