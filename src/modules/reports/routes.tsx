/** HTTP of the reports module: the reporter's API, the reviewers' API and the pages of both. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { reportsApiRoutes } from './api-routes.ts';
import { reportPages } from './pages.tsx';
import { reviewRoutes } from './review-routes.ts';
import { createIntake, type ReportCommitHook } from './intake.ts';
import type { ReportsDeps } from './submission.ts';

/** `onReportsCommitted`: runs in the transaction that writes reports (the correlation module links them there). */
export async function reportsRoutes(app: FastifyInstance, deps: AppDeps & { onReportsCommitted?: ReportCommitHook }): Promise<void> {
  const hook = deps.onReportsCommitted;
  const service: ReportsDeps = { db: deps.database.db, sealer: deps.sealer, blindIndexKey: deps.keys.blindIndex, intake: createIntake(deps.database.db, hook), onCommit: hook };
  reportsApiRoutes(app, service);
  reviewRoutes(app, service);
  reportPages(app, service, deps.config);
}
