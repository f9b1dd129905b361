/** What other parts of CAST may use from the chocolate module. Signatures here stay stable. */
import type { SealedColumn } from '../../core/field-sealer.ts';

export { chocolateRoutes } from './routes.tsx';
export { defineChocolateJobs, scheduleChocolateJobs } from './jobs.ts';
export { askForReplies } from './review.ts';
export { eraseSettledActionRequests } from './retention.ts';

/** Every column holding sealed values, so `cast keys rotate` can re-encrypt them all. */
export const sealedColumns: readonly SealedColumn[] = [{ table: 'chocolate_action_requests', key: 'id', columns: ['name_sealed', 'email_sealed', 'subject_sealed', 'message_sealed'] }];
