/** HTTP of the reports module: the reporter's API, the reviewers' API and the pages of both. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { reportsApiRoutes } from './api-routes.ts';
import { reportPages } from './pages.tsx';
import { reviewRoutes } from './review-routes.ts';
import { createIntake } from './intake.ts';
import type { ReportsDeps } from './submission.ts';

export async function reportsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const service: ReportsDeps = { db: deps.database.db, sealer: deps.sealer, blindIndexKey: deps.keys.blindIndex, intake: createIntake(deps.database.db) };
  reportsApiRoutes(app, service);
  reviewRoutes(app, service);
  reportPages(app, service, deps.config);
}
