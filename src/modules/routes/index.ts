/** What other parts of CAST may use from the routes module. Signatures here stay stable. */
export { routesRoutes } from './routes.tsx';
export { importCtdc, importCtdcFile, type CtdcImportOptions, type CtdcImportResult } from './ctdc-import.ts';
