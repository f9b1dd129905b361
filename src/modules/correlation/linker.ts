/**
 * Links reports as they are written, inside the transaction that writes them (the reports module
 * calls this hook), so a report is never committed unlinked and nothing about its arrival is
 * recorded elsewhere (no job, no timestamp).
 *
 * - Exact: another report holds an identifier with the same blind index, across groups and
 *   countries. Warning-list identifiers never link; an identifier in more than the cap of reports is
 *   marked common and stops linking (its proposed links are taken back).
 * - Fuzzy: a Bloom-filter encoding of an address, place description or name shares an LSH band with
 *   another report's encoding of the same field and their Dice coefficient reaches the threshold.
 * - Place and time: same place type, same or neighbouring coarse cell, within a week.
 *
 * Every link starts as proposed; coordinators confirm or dismiss it (links.ts).
 */
import { gridDisk } from 'h3-js';
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { reportsSharingIdentifiers, sharedIdentifierGroups, type CommittedReport, type IdentifierKey, type ReportCommitHook } from '../reports/index.ts';
import { createEncoder, dice, DICE_THRESHOLD, type Encoder } from './encoding.ts';
import * as store from './store.ts';

export const DEFAULT_COMMON_CAP = 50;
/** Reports of the same place type this many days apart or less are proposed. */
export const PLACE_WINDOW_DAYS = 7;
const PLACE_LINKS_PER_REPORT = 10;
const FUZZY_CANDIDATES = 50;

export interface LinkerOptions {
  /** The instance's blind-index key (pinned): Bloom filter and MinHash keys are derived from it. */
  key: Buffer;
  commonCap: number;
  /** `kind:hex` keys of the warning list (warning-list.ts). */
  warning: ReadonlySet<string>;
}

export interface Linker {
  encoder: Encoder;
  hook: ReportCommitHook;
  /** Exact links for identifiers shared by these reports (the exact half of the hook). */
  linkExact(db: Kysely<Tables>, reports: readonly Pick<CommittedReport, 'id' | 'identifiers'>[]): Promise<void>;
  /** Encodes these reports' fuzzy values, stores the encodings and proposes links; returns the encodings and links written. */
  linkFuzzy(db: Kysely<Tables>, reports: readonly Pick<CommittedReport, 'id' | 'fuzzy'>[]): Promise<{ encodings: number; links: number }>;
}

export function createLinker(options: LinkerOptions): Linker {
  const encoder = createEncoder(options.key);

  async function linkExact(db: Kysely<Tables>, reports: readonly Pick<CommittedReport, 'id' | 'identifiers'>[]) {
    const keys = new Map<string, IdentifierKey>();
    for (const report of reports) {
      for (const identifier of report.identifiers) {
        const key = store.keyOf(identifier.kind, identifier.blindIndex);
        if (!options.warning.has(key)) keys.set(key, identifier);
      }
    }
    if (keys.size === 0) return;
    // One statement on the hot path: cap + 1 rows per identifier are enough to know it is over the
    // cap (common), so a common identifier costs one bounded index probe, not a lookup of its own.
    const matches = await reportsSharingIdentifiers(db, [...keys.values()], [], options.commonCap + 1);
    const holders = new Map<string, Set<string>>();
    for (const match of matches) {
      const key = store.keyOf(match.kind, match.blindIndex);
      holders.set(key, (holders.get(key) ?? new Set()).add(match.reportId));
    }
    const links: store.NewLink[] = [];
    const nowCommon: IdentifierKey[] = [];
    for (const [key, reportIds] of holders) {
      const identifier = keys.get(key)!;
      if (reportIds.size > options.commonCap) {
        nowCommon.push(identifier);
        continue;
      }
      const reason = { method: 'exact' as const, kind: identifier.kind, index: identifier.blindIndex.toString('hex') };
      for (const report of reports) {
        if (!reportIds.has(report.id) || !report.identifiers.some((i) => store.keyOf(i.kind, i.blindIndex) === key)) continue;
        for (const other of reportIds) if (other !== report.id) links.push({ a: report.id, b: other, score: 1, reasons: [reason], exact: true });
      }
    }
    await store.upsertLinks(db, links);
    if (nowCommon.length > 0) {
      // Marked (idempotently) so re-links and readers know; proposed links through it are taken back
      // once, when it becomes common: every later report with it would otherwise scan the links again.
      const newlyCommon = await store.markCommon(db, nowCommon);
      for (const identifier of newlyCommon) await store.dropProposedLinksFor(db, identifier.kind, identifier.blindIndex.toString('hex'));
    }
  }

  async function linkFuzzy(db: Kysely<Tables>, reports: readonly Pick<CommittedReport, 'id' | 'fuzzy'>[]) {
    const encodings: (store.NewEncoding & { encoding: ReturnType<Encoder['encode']> & object })[] = [];
    for (const report of reports) {
      for (const value of report.fuzzy) {
        const encoding = encoder.encode(value.field, value.value);
        if (encoding) encodings.push({ reportId: report.id, field: value.field, bloom: encoding.bloom, bits: encoding.bits, bands: encoder.bands(encoding), encoding });
      }
    }
    if (encodings.length === 0) return { encodings: 0, links: 0 };
    await store.insertEncodings(db, encodings);
    const links: store.NewLink[] = [];
    for (const candidate of await store.fuzzyCandidates(db, encodings, FUZZY_CANDIDATES)) {
      const e = encodings[candidate.probe]!;
      const score = dice(e.encoding, candidate);
      if (score >= DICE_THRESHOLD[e.field]) links.push({ a: e.reportId, b: candidate.report_id, score, reasons: [{ method: 'fuzzy', field: e.field, dice: Math.round(score * 100) / 100 }], exact: false });
    }
    await store.upsertLinks(db, links);
    return { encodings: encodings.length, links: links.length };
  }

  async function linkPlaces(db: Kysely<Tables>, reports: readonly CommittedReport[]) {
    const placed = reports.filter((r) => r.placeType && r.h3Cell).map((r) => ({ reportId: r.id, placeType: r.placeType!, h3Cell: r.h3Cell!, day: r.observedFrom ?? r.receivedOn }));
    if (placed.length === 0) return;
    await store.insertPlaces(db, placed);
    const links: store.NewLink[] = [];
    const probes = placed.map((place) => ({ reportId: place.reportId, placeType: place.placeType, cells: gridDisk(place.h3Cell, 1), day: place.day }));
    for (const other of await store.nearbyPlaces(db, probes, PLACE_WINDOW_DAYS, PLACE_LINKS_PER_REPORT)) {
      const place = placed[other.probe]!;
      const sameArea = other.h3_cell === place.h3Cell;
      // Weaker than an identifier: 0.6 for the same area on the same day, down to 0.3.
      const score = Math.round((0.3 + (sameArea ? 0.15 : 0) + 0.15 * (1 - other.days / PLACE_WINDOW_DAYS)) * 100) / 100;
      links.push({ a: place.reportId, b: other.report_id, score, reasons: [{ method: 'place-time', placeType: place.placeType, days: other.days, near: sameArea ? 'same-area' : 'next-area' }], exact: false });
    }
    await store.upsertLinks(db, links);
  }

  return {
    encoder,
    linkExact,
    linkFuzzy,
    hook: async (db, reports) => {
      await linkExact(db, reports);
      await linkFuzzy(db, reports);
      await linkPlaces(db, reports);
    },
  };
}

/**
 * Exact links for every report again, from the identifiers' blind indexes (`cast correlation
 * relink`): after the warning list or the cap changed, or after an import. Walks identifiers shared
 * by two or more reports in keyset batches; existing links keep their status.
 */
export async function relinkAll(db: Kysely<Tables>, options: LinkerOptions, progress?: (done: { identifiers: number; links: number; common: number }) => void): Promise<{ identifiers: number; links: number; common: number }> {
  const totals = { identifiers: 0, links: 0, common: 0 };
  let after: IdentifierKey | undefined;
  for (;;) {
    const groups = await sharedIdentifierGroups(db, after, 5000, options.commonCap);
    if (groups.length === 0) break;
    after = groups.at(-1)!;
    const links: store.NewLink[] = [];
    const common: IdentifierKey[] = [];
    for (const group of groups) {
      if (options.warning.has(store.keyOf(group.kind, group.blindIndex))) continue;
      if (group.reportIds.length > options.commonCap) {
        common.push(group);
        continue;
      }
      const reason = { method: 'exact' as const, kind: group.kind, index: group.blindIndex.toString('hex') };
      const ids = group.reportIds;
      for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) links.push({ a: ids[i]!, b: ids[j]!, score: 1, reasons: [reason], exact: true });
    }
    await db.transaction().execute(async (trx) => {
      await store.upsertLinks(trx, links);
      await store.markCommon(trx, common);
      // Every identifier over the cap, newly marked or not: links proposed through it by reports
      // submitted while another process was marking it (or before a lower cap) are taken back here.
      for (const identifier of common) await store.dropProposedLinksFor(trx, identifier.kind, identifier.blindIndex.toString('hex'));
    });
    totals.identifiers += groups.length;
    totals.links += links.length;
    totals.common += common.length;
    progress?.(totals);
  }
  return totals;
}
