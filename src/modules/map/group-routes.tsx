/** The group map, the national map and the members' map: pages and API. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';

export async function groupMapRoutes(_app: FastifyInstance, _deps: AppDeps): Promise<void> {
  await Promise.resolve();
}
