/** What other parts of CAST may use from the events module. Signatures here stay stable. */
import type { SealedColumn } from '../../core/field-sealer.ts';

export { CHANGE_NOTICE_JOB, defineEventJobs } from './change-notices.ts';
export { eventsRoutes } from './routes.tsx';
export { forgetPastRegistrations } from './retention.ts';

/** Every column holding sealed values, so `cast keys rotate` can re-encrypt them all. */
export const sealedColumns: readonly SealedColumn[] = [{ table: 'event_registrations', key: 'id', columns: ['name_sealed', 'email_sealed'] }];
