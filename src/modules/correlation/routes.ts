/** HTTP of the correlation module: its API and its pages, and the linker the reports intake runs. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { correlationApiRoutes } from './api-routes.ts';
import { correlationPages } from './page-routes.tsx';

export async function correlationRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const service = { db: deps.database.db, jobs: deps.jobs, publicUrl: deps.config.publicUrl };
  correlationApiRoutes(app, service);
  correlationPages(app, service);
}
