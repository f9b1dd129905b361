/**
 * The group map, the national map and the members' map (issue 5).
 *
 * Guarantees:
 * - Who: a group's coordinators and national coordinators of its country get the coordinators' view
 *   (two-factor required, as for reviewing); the group's members get the members' view; anyone else
 *   gets not-found. A country's map is for its national coordinators only.
 * - Below POINT_ZOOM nothing sealed is opened: clusters come from the per-cell counts kept in clear.
 *   From POINT_ZOOM, at most MAX_POINTS precise points inside the box are opened, and one audit
 *   entry per request lists the reports opened (ids only).
 * - The members' view shows the member's own reports precisely (not audited: an entry would tie the
 *   member to their report in the log, and coordinators must never learn who reported) and the
 *   group's other reports only as counts per cell, each cell holding at least MEMBER_K reports. The
 *   threshold is applied to resolution-7 cells first and coarser cells only add up cells that passed,
 *   so no difference between two zoom levels reveals a suppressed count. Members get no filters, so
 *   two filtered views cannot be subtracted either.
 */
import { isUuid } from '../../core/validation.ts';
import { cellToBoundary, cellToLatLng, cellToParent, getHexagonEdgeLengthAvg, polygonToCells, UNITS } from 'h3-js';
import Supercluster, { type PointFeature } from 'supercluster';
import type { Kysely } from 'kysely';
import type { UserActor } from '../../core/auth/actor.ts';
import { decide } from '../../core/auth/authorise.ts';
import { appendAudit } from '../../core/audit.ts';
import type { Tables } from '../../core/db/tables.ts';
import type { FieldSealer } from '../../core/field-sealer.ts';
import type { TtlCache } from '../../core/ttl-cache.ts';
import { forbidden, invalid, notFound, ok, type Outcome } from '../../core/outcome.ts';
import { groupBasics, membershipOf } from '../groups/index.ts';
import { countReportsByCell, ownReportsInGroup, reportsInCells, type CellTypeCount, type MapScope, type SealedMapPoint } from '../reports/index.ts';
import { isUnfiltered, type ReportFilters } from './filters.ts';
import { grow, inBbox, type Bbox, type MapViewport } from './group-query.ts';

export interface GroupMapDeps {
  db: Kysely<Tables>;
  sealer: FieldSealer;
  /** Counts per stored cell of a scope and filter set, shared by every pan and zoom for a few seconds. */
  cellCounts: TtlCache<ScopeCounts>;
}

/** A scope's counts per stored cell, and their tallies into coarser cells as zooms ask for them. */
export interface ScopeCounts {
  counts: readonly CellTypeCount[];
  tallies: Map<number, Map<string, Tally>>;
}

/** At most this many scope × filter answers per process (a country's is about 1 MB at 1,000,000 reports). */
export const CELL_COUNTS_ENTRIES = 32;

/**
 * The counts of `scope` under `filters`, from this process's cache when they are at most the cache's
 * age (CAST_MAP_CACHE_SECONDS): a map asks again at every pan and zoom, and only the box and zoom change.
 * The caller has already decided that the actor may see this scope.
 */
function scopeCounts(deps: GroupMapDeps, scope: MapScope, filters: ReportFilters): Promise<ScopeCounts> {
  const present = Object.entries(filters).filter(([, value]) => value !== undefined).sort(([a], [b]) => a.localeCompare(b));
  const key = JSON.stringify([scope, present]);
  return deps.cellCounts.get(key, async () => ({ counts: await countReportsByCell(deps.db, scope, filters), tallies: new Map() }));
}

function tallyAt(scoped: ScopeCounts, resolution: number): Map<string, Tally> {
  let tally = scoped.tallies.get(resolution);
  if (!tally) scoped.tallies.set(resolution, (tally = tallyByCell(scoped.counts, resolution)));
  return tally;
}

/**
 * cellToLatLng and cellToParent are pure and called for thousands of cells per request: memoised,
 * bounded (a cleared cache only costs recomputation). A cache of a pure function is not state that
 * two processes could disagree on.
 */
const MEMO_LIMIT = 200_000;
function memo<T>(compute: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      if (cache.size >= MEMO_LIMIT) cache.clear();
      value = compute(key);
      cache.set(key, value);
    }
    return value;
  };
}
const centreOfCell = memo((cell) => cellToLatLng(cell));
const parents = [0, 1, 2, 3, 4, 5, 6].map((resolution) => memo((cell) => cellToParent(cell, resolution)));

/** From this zoom (a town's streets) the coordinators' map shows precise points instead of clusters. */
export const POINT_ZOOM = 12;
/** The most precise points one request opens; past it the answer says `truncated`. */
export const MAX_POINTS = 500;
/** The most resolution-7 cells a point request may cover (a box far larger than a screen at POINT_ZOOM is refused). */
const MAX_POINT_CELLS = 3000;
/** The fewest reports a cell must hold to be shown to members. */
export const MEMBER_K = 3;
/** What coordinators see unless they filter on status: rejected reports and merged duplicates are left out. */
export const DEFAULT_STATUSES = ['received', 'triaged', 'graded', 'shared', 'closed'] as const;
const CLUSTER_RADIUS_PX = 60;
const UNSPECIFIED = 'unspecified';

export const TWO_FACTOR_FOR_MAP = 'reports.errors.twoFactor';

export type MapTarget = { groupId: string } | { country: string };

/** `label`: the group's name or the country code, for page titles. */
export type MapAccess = { view: 'coordinator'; scope: MapScope; subject: string; label: string } | { view: 'member'; groupId: string; subject: string; label: string };


/** Who may see which map of `target`. Not-found for anyone with no standing, so a group's reports stay unseen. */
export async function mapAccess(deps: Pick<GroupMapDeps, 'db'>, actor: UserActor, target: MapTarget): Promise<Outcome<MapAccess>> {
  if ('country' in target) {
    if (!/^[A-Z]{2}$/.test(target.country)) return notFound();
    const verdict = decide(actor, 'reports.review', { country: target.country });
    if (verdict === 'allowed') return ok({ view: 'coordinator', scope: { country: target.country }, subject: `country:${target.country}`, label: target.country });
    return verdict === 'needs-two-factor' ? forbidden(TWO_FACTOR_FOR_MAP) : notFound();
  }
  if (!isUuid(target.groupId)) return notFound();
  const group = await groupBasics(deps.db, target.groupId);
  if (!group) return notFound();
  const role = await membershipOf(deps.db, group.id, actor.userId);
  const verdict = decide(actor, 'reports.review', { membership: role === 'coordinator' ? 'group-coordinator' : undefined, country: group.country });
  const subject = `group:${group.id}`;
  if (verdict === 'allowed') return ok({ view: 'coordinator', scope: { groupId: group.id }, subject, label: group.name });
  if (verdict === 'needs-two-factor') return forbidden(TWO_FACTOR_FOR_MAP);
  if (role && decide(actor, 'groups.read', { membership: 'group-member' }) === 'allowed') return ok({ view: 'member', groupId: group.id, subject, label: group.name });
  return notFound();
}

export interface Cluster {
  lat: number;
  lon: number;
  count: number;
  /** Reports per exploitation type (a report of two types counts under both). */
  byType: Record<string, number>;
}

export interface MapPoint {
  reportId: string;
  reference: string;
  lat: number;
  lon: number;
  /** The first exploitation type reported, or 'unspecified'. */
  type: string;
}

export interface MemberCell {
  cell: string;
  lat: number;
  lon: number;
  count: number;
  /** The hexagon's corners, [lat, lon]. */
  boundary: [number, number][];
}

export type GroupMap =
  | { view: 'coordinator'; zoom: number; resolution: number | null; clusters: Cluster[]; points: MapPoint[]; truncated: boolean }
  | { view: 'member'; zoom: number; resolution: number; clusters: []; cells: MemberCell[]; points: MapPoint[]; truncated: boolean };

/** The H3 resolution clusters are counted at for a zoom: coarse cells for the world, stored cells for a town. */
export function resolutionForZoom(zoom: number): number {
  if (zoom <= 3) return 3;
  if (zoom <= 5) return 4;
  if (zoom <= 7) return 5;
  if (zoom <= 9) return 6;
  return 7;
}

const withDefaultStatuses = (filters: ReportFilters): ReportFilters => (filters.statuses?.length ? filters : { ...filters, statuses: [...DEFAULT_STATUSES] });

export interface Tally {
  count: number;
  byType: Record<string, number>;
  /** Sums of the stored cells' centres weighted by their counts: the cluster sits where its reports are, not at a coarse cell's centre. */
  latSum: number;
  lonSum: number;
}

/** Sums per-cell counts ('*' and per type) into cells of `resolution`. */
export function tallyByCell(counts: readonly { cell: string; type: string; count: number }[], resolution: number): Map<string, Tally> {
  const cells = new Map<string, Tally>();
  for (const { cell, type, count } of counts) {
    const key = resolution >= 7 ? cell : parents[resolution]!(cell);
    let tally = cells.get(key);
    if (!tally) cells.set(key, (tally = { count: 0, byType: {}, latSum: 0, lonSum: 0 }));
    if (type === '*') {
      tally.count += count;
      const [lat, lon] = centreOfCell(cell);
      tally.latSum += lat * count;
      tally.lonSum += lon * count;
    } else tally.byType[type] = (tally.byType[type] ?? 0) + count;
  }
  return cells;
}

/** Where a tally's reports are on average (their stored cells' centres). */
const centreOf = (tally: Tally): [number, number] => [tally.latSum / tally.count, tally.lonSum / tally.count];

/** A box grown by about one cell of `resolution`, so cells whose centre lies just outside still count. */
const cellMargin = (resolution: number) => (getHexagonEdgeLengthAvg(resolution, UNITS.km) * 2) / 111;

/** Clusters the cells' counts for the viewport with supercluster (cells weighted by their counts). */
export function clusterCells(cells: Map<string, Tally>, bbox: Bbox, zoom: number, resolution: number): Cluster[] {
  const area = grow(bbox, cellMargin(resolution));
  const features: PointFeature<Tally>[] = [];
  for (const tally of cells.values()) {
    if (tally.count <= 0) continue;
    const [lat, lon] = centreOf(tally);
    if (inBbox(area, lat, lon)) features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: tally });
  }
  const index = new Supercluster<Tally, Tally>({
    radius: CLUSTER_RADIUS_PX,
    minZoom: zoom,
    maxZoom: zoom,
    map: (p) => ({ count: p.count, byType: { ...p.byType }, latSum: p.latSum, lonSum: p.lonSum }),
    reduce: (acc, p) => {
      acc.count += p.count;
      acc.latSum += p.latSum;
      acc.lonSum += p.lonSum;
      for (const [type, n] of Object.entries(p.byType)) acc.byType[type] = (acc.byType[type] ?? 0) + n;
    },
  });
  index.load(features);
  // Each cluster at its reports' weighted centre (supercluster's own centre weighs cells, not reports).
  return index.getClusters([area[0], area[1], area[2], area[3]], zoom).map((f) => {
    const [lat, lon] = centreOf(f.properties);
    return { lat: round(lat), lon: round(lon), count: f.properties.count, byType: f.properties.byType };
  });
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

async function openPoints(sealer: FieldSealer, rows: readonly SealedMapPoint[], bbox: Bbox): Promise<MapPoint[]> {
  const points: MapPoint[] = [];
  for (const row of rows) {
    const place = JSON.parse(await sealer.unseal(row.locationSealed)) as { lat?: number; lon?: number };
    if (typeof place.lat !== 'number' || typeof place.lon !== 'number' || !inBbox(bbox, place.lat, place.lon)) continue;
    points.push({ reportId: row.id, reference: row.reference, lat: place.lat, lon: place.lon, type: row.exploitationTypes[0] ?? UNSPECIFIED });
  }
  return points;
}

/** The resolution-7 cells whose hexagon may overlap the box, or undefined when there are too many. */
function cellsCovering(bbox: Bbox): string[] | undefined {
  const [w, s, e, n] = grow(bbox, cellMargin(7));
  // A rough count first: polygonToCells over a continent would take long and allocate much.
  const approx = (((e - w) * 111 * Math.cos(((s + n) / 2) * (Math.PI / 180))) * ((n - s) * 111)) / 5.16;
  if (approx > MAX_POINT_CELLS) return undefined;
  const cells = polygonToCells([[[s, w], [s, e], [n, e], [n, w], [s, w]]], 7);
  return cells.length > MAX_POINT_CELLS ? undefined : cells;
}

/**
 * getGroupMapClusters: the map of `target` for the viewport. Coordinators get clusters (below
 * POINT_ZOOM) or points; members get their own points and the group's cells.
 */
export async function groupMap(deps: GroupMapDeps, actor: UserActor, target: MapTarget, viewport: MapViewport): Promise<Outcome<GroupMap>> {
  const access = await mapAccess(deps, actor, target);
  if (!access.ok) return access;
  const { bbox, zoom } = viewport;
  if (access.value.view === 'member') {
    if (!isUnfiltered(viewport.filters)) return invalid({ filters: 'mapGroup.errors.membersNoFilters' });
    return ok(await memberMap(deps, actor, access.value.groupId, bbox, zoom));
  }
  const { scope, subject } = access.value;
  const filters = withDefaultStatuses(viewport.filters);
  if (zoom >= POINT_ZOOM) {
    const cells = cellsCovering(bbox);
    if (!cells) return invalid({ bbox: 'mapGroup.errors.bboxTooLarge' });
    const rows = await reportsInCells(deps.db, scope, filters, cells, MAX_POINTS + 1);
    const opened = rows.slice(0, MAX_POINTS);
    const points = await openPoints(deps.sealer, opened, bbox);
    if (opened.length) await appendAudit(deps.db, { actorId: actor.userId, action: 'report.map-read', subject, detail: { reports: opened.map((r) => r.id) } });
    return ok({ view: 'coordinator', zoom, resolution: null, clusters: [], points, truncated: rows.length > MAX_POINTS });
  }
  const resolution = resolutionForZoom(zoom);
  const tally = tallyAt(await scopeCounts(deps, scope, filters), resolution);
  return ok({ view: 'coordinator', zoom, resolution, clusters: clusterCells(tally, bbox, zoom, resolution), points: [], truncated: false });
}

/** Statuses members' cells count: what the group has not judged not credible or merged away. */
const MEMBER_STATUSES = ['received', 'triaged', 'graded', 'shared', 'closed'] as const;

/** The group's cells for members: resolution-7 cells below MEMBER_K dropped first, then summed upward. */
export function memberCells(counts: readonly { cell: string; type: string; count: number }[], bbox: Bbox, resolution: number): MemberCell[] {
  const leaves = counts.filter((c) => c.type === '*' && c.count >= MEMBER_K);
  const area = grow(bbox, cellMargin(resolution));
  const cells: MemberCell[] = [];
  for (const [cell, tally] of tallyByCell(leaves, resolution)) {
    const [lat, lon] = cellToLatLng(cell);
    if (!inBbox(area, lat, lon)) continue;
    cells.push({ cell, lat: round(lat), lon: round(lon), count: tally.count, boundary: cellToBoundary(cell).map(([a, b]) => [round(a), round(b)] as [number, number]) });
  }
  return cells.sort((a, b) => b.count - a.count);
}

async function memberMap(deps: GroupMapDeps, actor: UserActor, groupId: string, bbox: Bbox, zoom: number): Promise<GroupMap> {
  const resolution = Math.min(resolutionForZoom(zoom), 7);
  const [scoped, own] = await Promise.all([scopeCounts(deps, { groupId }, { statuses: [...MEMBER_STATUSES] }), ownReportsInGroup(deps.db, actor.userId, groupId, MAX_POINTS + 1)]);
  const points = await openPoints(deps.sealer, own.slice(0, MAX_POINTS), bbox);
  return { view: 'member', zoom, resolution, clusters: [], cells: memberCells(scoped.counts, bbox, resolution), points, truncated: own.length > MAX_POINTS };
}

export interface AreaRow extends Cluster {
  cell: string;
}

export type MapOverview =
  | { view: 'coordinator'; label: string; areas: AreaRow[]; total: number; truncated: boolean }
  | { view: 'member'; label: string; cells: MemberCell[]; points: MapPoint[]; truncated: boolean };

/** Areas listed on the page for people without the map (H3 resolution 5, about 250 km²). */
export const OVERVIEW_RESOLUTION = 5;
const OVERVIEW_ROWS = 100;

/**
 * What the map page lists for people without JavaScript: coordinators get report counts per area
 * (largest first); members get the group's cells (largest first) and their own reports.
 */
export async function mapOverview(deps: GroupMapDeps, actor: UserActor, target: MapTarget, filters: ReportFilters): Promise<Outcome<MapOverview>> {
  const access = await mapAccess(deps, actor, target);
  if (!access.ok) return access;
  if (access.value.view === 'member') {
    const map = await memberMap(deps, actor, access.value.groupId, [-180, -90, 180, 90], 10);
    if (map.view !== 'member') return notFound();
    return ok({ view: 'member', label: access.value.label, cells: map.cells.slice(0, OVERVIEW_ROWS), points: map.points, truncated: map.truncated || map.cells.length > OVERVIEW_ROWS });
  }
  const scoped = await scopeCounts(deps, access.value.scope, withDefaultStatuses(filters));
  const areas: AreaRow[] = [];
  let total = 0;
  for (const [cell, tally] of tallyAt(scoped, OVERVIEW_RESOLUTION)) {
    if (tally.count <= 0) continue;
    total += tally.count;
    const [lat, lon] = centreOf(tally);
    areas.push({ cell, lat: Math.round(lat * 100) / 100, lon: Math.round(lon * 100) / 100, count: tally.count, byType: tally.byType });
  }
  areas.sort((a, b) => b.count - a.count);
  return ok({ view: 'coordinator', label: access.value.label, areas: areas.slice(0, OVERVIEW_ROWS), total, truncated: areas.length > OVERVIEW_ROWS });
}
