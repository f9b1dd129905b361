/** What other parts of CAST may use from the donations module. Signatures here stay stable. */
import type { SealedColumn } from '../../core/field-sealer.ts';

export { donationsRoutes } from './routes.tsx';
export { deleteExpiredGiftAidDeclarations, type GiftAidRetention } from './retention.ts';

/** Every column holding sealed values, so `cast keys rotate` can re-encrypt them all. */
export const sealedColumns: readonly SealedColumn[] = [
  { table: 'gift_aid_declarations', key: 'id', columns: ['title_sealed', 'first_name_sealed', 'last_name_sealed', 'address_sealed', 'postcode_sealed'] },
];
