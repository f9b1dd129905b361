/** What other parts of CAST may use from the reports module. Signatures here stay stable. */
import type { SealedColumn } from '../../core/field-sealer.ts';

export { reportsRoutes } from './routes.tsx';
export { countForExport, exportAccess, exportBatch, type ExportCursor, type ExportFilterSet, type ExportReportRow, type ExportScope, type ScopeLabel } from './export-queries.ts';

/** Every column holding sealed values, so `cast keys rotate` can re-encrypt them all. */
export const sealedColumns: readonly SealedColumn[] = [
  { table: 'reports', key: 'id', columns: ['location_sealed', 'narrative_sealed', 'vehicles_sealed', 'contact_sealed', 'names_sealed'] },
  { table: 'report_identifiers', key: 'id', columns: ['value_sealed'] },
  { table: 'report_additions', key: 'id', columns: ['narrative_sealed'] },
  { table: 'report_events', key: 'id', columns: ['note_sealed'] },
];
export { countReportsForPublicMap, PUBLIC_MAP_STATUSES, type PublicMapCount } from './map-queries.ts';
export { countReportsByCell, countReportsByCellAndPeriod, ownReportsInGroup, reportsInCells, type CellTypeCount, type MapReportFilters, type MapScope, type SealedMapPoint } from './group-map-queries.ts';
export { disclosableReport, markReportShared, type DisclosableReport } from './sharing-access.ts';
export { lockReportsDueForPurge, purgeReports, type PurgeCursor } from './purge-queries.ts';
export { reportsOfReporterForExport, type ReportForExport } from './account-export.ts';
export { listGroupReports, type QueueItem } from './review.ts';
export { fuzzySourcesAfter, identifierKeysOf, reportBasics, reportDecision, reportsSharingIdentifiers, sharedIdentifierGroups, type FuzzySource, type IdentifierGroup, type IdentifierKey, type ReportBasics } from './correlation-queries.ts';
export { blindIndex, normaliseIdentifier } from './identifiers.ts';
export type { CommittedReport, ReportCommitHook } from './intake.ts';
export { IDENTIFIER_KINDS, type IdentifierKind } from './tables.ts';
export { countRouteLegs, publicRouteLeaves, type RouteFilters, type RouteLeaf, type RouteLegCount, type RouteScope } from './route-queries.ts';
