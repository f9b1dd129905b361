/** What other parts of CAST may use from the home module. */
export { homeRoutes } from './routes.tsx';
