/** Pages and API of the groups module: parse, call the service, map the outcome to a response. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';

export async function groupsRoutes(_app: FastifyInstance, _deps: AppDeps): Promise<void> {}
