/** The accounts columns that hold sealed values, so `cast keys rotate` re-encrypts them. */
import type { SealedColumn } from '../../core/field-sealer.ts';

export const sealedColumns: readonly SealedColumn[] = [{ table: 'users', key: 'id', columns: ['totp_secret_sealed'] }];
