/** What other parts of CAST may use from the map module. Signatures here stay stable. */
export { mapRoutes } from './routes.tsx';
export { parseReportFilters, type ReportFilters } from './filters.ts';
export { defineExportJobs, scheduleExportJobs } from './export-jobs.ts';
export { publicMapJobs } from './public-routes.tsx';
export { refreshPublicMap } from './public-refresh.ts';
