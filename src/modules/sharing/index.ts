/** What other parts of CAST may use from the sharing module. */
import type { SealedColumn } from '../../core/field-sealer.ts';

export { sharingRoutes } from './routes.tsx';
export { reportsHeldBySharing } from './retention.ts';

/** Every column holding sealed values, so `cast keys rotate` can re-encrypt them all. */
export const sealedColumns: readonly SealedColumn[] = [
  { table: 'disclosures', key: 'id', columns: ['content_sealed'] },
  { table: 'disclosure_outcomes', key: 'id', columns: ['note_sealed'] },
];
