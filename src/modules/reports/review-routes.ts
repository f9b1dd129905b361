/** Everything HTTP of the review loop: the reviewers' API and their pages. */
import type { FastifyInstance } from 'fastify';
import { reviewApiRoutes } from './review-api-routes.ts';
import { reviewPageRoutes } from './review-page-routes.tsx';
import type { ReportsDeps } from './submission.ts';

export function reviewRoutes(app: FastifyInstance, service: ReportsDeps): void {
  reviewApiRoutes(app, service);
  reviewPageRoutes(app, service);
}
