/** The sharing module's route list: pages and the JSON API. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { sharingApiRoutes } from './api-routes.ts';
import { sharingPageRoutes } from './page-routes.tsx';
import type { SharingDeps } from './service.ts';

export async function sharingRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const service: SharingDeps = { db: deps.database.db, sealer: deps.sealer, jobs: deps.jobs, publicUrl: deps.config.publicUrl };
  sharingPageRoutes(app, service);
  sharingApiRoutes(app, service);
}
