/**
 * Exports of the reports a coordinator may review, in CSV, HXL-tagged CSV, GeoJSON or KML, with the
 * report filters applied.
 *
 * Guarantees:
 * - Only the reviewers of the scope's reports may export them (not-found for anyone else); the
 *   check runs first, again when a finished file is downloaded, and the file is served only to the
 *   person who started the export.
 * - Every export writes one audit entry (who, the scope, the filters, the format, how many reports);
 *   a restricted export adds the reason given, which is required.
 * - Restricted fields (precise place, the account, identifiers in clear, names, vehicles, contact) are only
 *   ever streamed straight to the person who asked: they are never written to disk, so there is no
 *   file of opened restricted data to protect, expire or leak.
 * - Small exports (up to DIRECT_LIMIT reports) stream directly; larger ones run as a job that writes
 *   the file into the data directory, with progress, kept EXPIRY_HOURS and then swept.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { appendAudit } from '../../core/audit.ts';
import type { Engine } from '../../core/config.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { FieldSealer } from '../../core/field-sealer.ts';
import type { Jobs } from '../../core/jobs.ts';
import { conflict, forbidden, invalid, notFound, ok, type Outcome } from '../../core/outcome.ts';
import { countForExport, exportAccess, type ExportScope, type ScopeLabel } from '../reports/index.ts';
import { CONTENT_TYPES, EXTENSIONS, isFormat, type ExportFormat } from './export-formats.ts';
import * as store from './export-store.ts';
import { exportStream, type ExportSpec } from './export-stream.ts';
import { parseReportFilters, type ReportFilters } from './filters.ts';

/** Above this many reports an export runs as a job (about two seconds of streaming). */
export const DIRECT_LIMIT = 20_000;
export const EXPIRY_HOURS = 24;
/** Exports one person may have queued or running at once. */
export const MAX_RUNNING = 3;
export const MIN_REASON = 10;
export const MAX_REASON = 500;
export const EXPORT_JOB = 'map.export';
export const SWEEP_JOB = 'map.export-sweep';
export const TWO_FACTOR = 'reports.errors.twoFactor';

export interface ExportDeps {
  db: Kysely<Tables>;
  sealer: FieldSealer;
  engine: Engine;
  jobs: Jobs;
  dataDir: string;
  /** Overrides DIRECT_LIMIT (tests). */
  directLimit?: number;
}

/** What an export request says besides the filters. */
const OWN_FIELDS = ['format', 'restricted', 'reason', 'groupId', 'country', '_csrf'] as const;

export interface ExportRequest {
  format: ExportFormat;
  filters: ReportFilters;
  restricted: boolean;
  reason: string | null;
}

export const exportsDir = (dataDir: string) => path.join(dataDir, 'exports');

const truthy = (value: unknown) => value === true || value === 'true' || value === 'on' || value === '1';

/** Reads format, filters and the restricted request from a query string, a form or a JSON body. */
export function parseExportRequest(input: Record<string, unknown>, format?: string): Outcome<ExportRequest> {
  const filters = parseReportFilters(input, OWN_FIELDS);
  const errors: Record<string, string> = filters.ok || filters.reason !== 'invalid' ? {} : { ...filters.errors };
  const chosen = format ?? input.format;
  if (!isFormat(chosen)) errors.format = 'mapExports.errors.format';
  const restricted = truthy(input.restricted);
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (restricted && (reason.length < MIN_REASON || reason.length > MAX_REASON)) errors.reason = 'mapExports.errors.reason';
  if (input.restricted !== undefined && typeof input.restricted !== 'boolean' && typeof input.restricted !== 'string') errors.restricted = 'mapExports.errors.restricted';
  if (Object.keys(errors).length || !filters.ok || !isFormat(chosen)) return invalid(errors);
  return ok({ format: chosen, filters: filters.value, restricted, reason: restricted ? reason : null });
}

async function access(deps: ExportDeps, actor: UserActor, scope: ExportScope): Promise<Outcome<ScopeLabel>> {
  const decided = await exportAccess(deps.db, actor, scope);
  if (decided.verdict === 'allowed') return ok(decided.label);
  return decided.verdict === 'needs-two-factor' ? forbidden(TWO_FACTOR) : notFound();
}

const scopeOf = (label: ScopeLabel): ExportScope => (label.groupId ? { groupId: label.groupId } : { country: label.country });
const subjectOf = (label: ScopeLabel) => (label.groupId ? `group:${label.groupId}` : `country:${label.country}`);
const stamp = () => new Date().toISOString().slice(0, 10);

export function downloadName(label: ScopeLabel, format: ExportFormat): string {
  const base = label.groupId ? `group-${label.groupId.slice(0, 8)}` : `country-${label.country}`;
  return `cast-reports-${base}-${stamp()}.${EXTENSIONS[format]}`;
}

/** The scope named in a request: `groupId` or `country`, exactly one. */
export function scopeFrom(input: Record<string, unknown>): ExportScope | undefined {
  const groupId = typeof input.groupId === 'string' && input.groupId !== '' ? input.groupId : undefined;
  const country = typeof input.country === 'string' && input.country !== '' ? input.country : undefined;
  if (groupId && !country) return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(groupId) ? { groupId } : undefined;
  return country && !groupId ? { country } : undefined;
}

/** What the export form needs: the scope (checked first) and the filters it came with. */
export async function exportForm(deps: ExportDeps, actor: UserActor, input: Record<string, unknown>): Promise<Outcome<{ scope: ScopeLabel; filters: ReportFilters }>> {
  const scope = scopeFrom(input);
  if (!scope) return notFound();
  const allowed = await access(deps, actor, scope);
  if (!allowed.ok) return allowed;
  const filters = parseReportFilters(input, OWN_FIELDS);
  return filters.ok ? ok({ scope: allowed.value, filters: filters.value }) : filters;
}

export interface DirectExport {
  stream: Readable;
  fileName: string;
  contentType: string;
  rows: number;
}

/**
 * A direct download, streamed. Refused with a conflict when more than DIRECT_LIMIT reports match and
 * no restricted field is asked for: that export is a job (startExport).
 */
export async function exportDirect(deps: ExportDeps, actor: UserActor, scope: ExportScope, input: Record<string, unknown>, format?: string): Promise<Outcome<DirectExport>> {
  const allowed = await access(deps, actor, scope);
  if (!allowed.ok) return allowed;
  const label = allowed.value;
  const parsed = parseExportRequest(input, format);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  const exact = request.restricted;
  const limit = deps.directLimit ?? DIRECT_LIMIT;
  const rows = await countForExport(deps.db, scopeOf(label), request.filters, exact ? undefined : limit + 1);
  if (!exact && rows > limit) return conflict('mapExports.errors.useJob');
  await appendAudit(deps.db, {
    actorId: actor.userId,
    action: request.restricted ? 'reports.export-restricted' : 'reports.export',
    subject: subjectOf(label),
    detail: { format: request.format, filters: request.filters, count: rows, restricted: request.restricted, ...(request.reason ? { reason: request.reason } : {}) },
  });
  const spec: ExportSpec = { scope: scopeOf(label), filters: request.filters, format: request.format, restricted: request.restricted, title: label.name };
  return ok({ stream: exportStream(deps, spec), fileName: downloadName(label, request.format), contentType: CONTENT_TYPES[request.format], rows });
}

export interface ExportView {
  id: string;
  scope: { groupId: string | null; country: string | null };
  format: ExportFormat;
  filters: ReportFilters;
  status: store.ExportStatus;
  rowsDone: number;
  rowsTotal: number | null;
  bytes: number | null;
  createdAt: string;
  finishedAt: string | null;
  expiresAt: string;
  /** Where to download it once done. */
  download: string | null;
}

function viewOf(row: NonNullable<Awaited<ReturnType<typeof store.findExport>>>): ExportView {
  const filters = (typeof row.filters === 'string' ? JSON.parse(row.filters) : row.filters) as ReportFilters;
  return {
    id: row.id,
    scope: { groupId: row.group_id, country: row.country },
    format: row.format,
    filters,
    status: row.status,
    rowsDone: row.rows_done,
    rowsTotal: row.rows_total,
    bytes: row.bytes === null ? null : Number(row.bytes),
    createdAt: new Date(row.created_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    expiresAt: new Date(row.expires_at).toISOString(),
    download: row.status === 'done' ? `/api/v1/exports/${row.id}/file` : null,
  };
}

/**
 * Starts an export job. Restricted fields are refused here (they are streamed directly, never
 * stored). The audit entry and the job are written in one transaction with the export's row.
 */
export async function startExport(deps: ExportDeps, actor: UserActor, input: Record<string, unknown>): Promise<Outcome<ExportView>> {
  const scope = scopeFrom(input);
  if (!scope) return typeof input.groupId === 'string' && input.country === undefined ? notFound() : invalid({ scope: 'mapExports.errors.scope' });
  const allowed = await access(deps, actor, scope);
  if (!allowed.ok) return allowed;
  const label = allowed.value;
  const parsed = parseExportRequest(input);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  if (request.restricted) return invalid({ restricted: 'mapExports.errors.restrictedDirectOnly' });
  const running = (await store.exportsOf(deps.db, actor.userId, 50)).filter((e) => e.status === 'queued' || e.status === 'running').length;
  if (running >= MAX_RUNNING) return conflict('mapExports.errors.tooMany');
  const total = await countForExport(deps.db, scopeOf(label), request.filters);
  const expiresAt = new Date(Date.now() + EXPIRY_HOURS * 3600_000);
  const id = await deps.db.transaction().execute(async (trx) => {
    const created = await store.insertExport(trx, { userId: actor.userId, groupId: label.groupId, country: label.groupId ? null : label.country, format: request.format, filters: request.filters, rowsTotal: total, expiresAt });
    await appendAudit(trx, { actorId: actor.userId, action: 'reports.export', subject: subjectOf(label), detail: { export: created, format: request.format, filters: request.filters, count: total, restricted: false } });
    await deps.jobs.enqueue(trx, EXPORT_JOB, { exportId: created });
    return created;
  });
  const row = await store.findExport(deps.db, id);
  return ok(viewOf(row!));
}

async function ownExport(deps: ExportDeps, actor: UserActor, id: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  const row = await store.findExport(deps.db, id);
  // Someone else's export, or one past its expiry: the same answer as one that never existed.
  if (!row || row.user_id !== actor.userId || new Date(row.expires_at).getTime() <= Date.now()) return undefined;
  return row;
}

/** An export's progress, for the person who started it. */
export async function getExport(deps: ExportDeps, actor: UserActor, id: string): Promise<Outcome<ExportView>> {
  const row = await ownExport(deps, actor, id);
  return row ? ok(viewOf(row)) : notFound();
}

/** The caller's exports that have not expired, newest first. */
export async function listExports(deps: ExportDeps, actor: UserActor): Promise<Outcome<ExportView[]>> {
  return ok((await store.exportsOf(deps.db, actor.userId, 50)).map(viewOf));
}

/**
 * A finished export's file. The caller must still be a reviewer of the scope: someone who stopped
 * coordinating the group no longer gets its reports, even from a file made before.
 */
export async function exportFile(deps: ExportDeps, actor: UserActor, id: string): Promise<Outcome<DirectExport>> {
  const row = await ownExport(deps, actor, id);
  if (!row) return notFound();
  const allowed = await access(deps, actor, row.group_id ? { groupId: row.group_id } : { country: row.country! });
  if (!allowed.ok) return notFound();
  if (row.status !== 'done' || !row.file_name) return conflict('mapExports.errors.notReady');
  const file = path.join(exportsDir(deps.dataDir), row.file_name);
  if (!fs.existsSync(file)) return notFound();
  return ok({ stream: fs.createReadStream(file), fileName: downloadName(allowed.value, row.format), contentType: CONTENT_TYPES[row.format], rows: row.rows_done });
}
