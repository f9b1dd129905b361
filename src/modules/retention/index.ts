/** What other parts of CAST may use from the retention module. Signatures here stay stable. */
export { defineRetentionJobs, RETENTION_JOB, scheduleRetentionJobs } from './jobs.ts';
export { retentionRoutes } from './routes.tsx';
export { runRetention, type RetentionTotals } from './run.ts';
