/**
 * Every column that holds sealed values, gathered from the modules that have them, so key rotation
 * and checks reach them all. A module with sealed columns exports `sealedColumns` from its index.ts
 * and gets one line here.
 */
import type { SealedColumn } from '../core/field-sealer.ts';
import { sealedColumns as accounts } from '../modules/accounts/index.ts';
import { sealedColumns as chocolate } from '../modules/chocolate/index.ts';
import { sealedColumns as declaration } from '../modules/declaration/index.ts';
import { sealedColumns as donations } from '../modules/donations/index.ts';
import { sealedColumns as events } from '../modules/events/index.ts';
import { sealedColumns as newsletter } from '../modules/newsletter/index.ts';
import { sealedColumns as reports } from '../modules/reports/index.ts';
import { sealedColumns as sharing } from '../modules/sharing/index.ts';

export const SEALED_COLUMNS: readonly SealedColumn[] = [...accounts, ...chocolate, ...declaration, ...donations, ...events, ...newsletter, ...reports, ...sharing];
