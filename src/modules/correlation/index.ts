/** What other parts of CAST may use from the correlation module. Signatures here stay stable. */
export { confirmedNetworkOf, networkForSharing, networksOfReport, sharedIdentifiers, type NetworkForSharing } from './for-sharing.ts';
export { createLinker, DEFAULT_COMMON_CAP, relinkAll, type Linker, type LinkerOptions } from './linker.ts';
export { rebuildEncodings, REBUILD_BATCH, type RebuildTotals } from './rebuild.ts';
export { forgetReports, reportsHeldByCorrelation } from './retention.ts';
export { correlationRoutes } from './routes.ts';
export { linkerFor, linkerOptions } from './setup.ts';
export { builtInWarningList, parseWarningList, warningKeys } from './warning-list.ts';
