/**
 * HTTP of the map module: the module's route list. Each part lives in its own file (the public map,
 * the group and members' maps, exports) and registers its own routes here.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../core/app-deps.ts';
import { groupMapRoutes } from './group-routes.tsx';
import { publicMapRoutes } from './public-routes.tsx';
import { exportRoutes } from './export-routes.tsx';

export async function mapRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await publicMapRoutes(app, deps);
  await groupMapRoutes(app, deps);
  await exportRoutes(app, deps);
}
