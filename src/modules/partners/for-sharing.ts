/**
 * What the sharing module needs to know about partners: which organisations a person acts for,
 * who to notify at an organisation, and the active partnerships of groups. Answers only; the
 * sharing module authorises its own use cases.
 */
import type { Kysely } from 'kysely';
import type { Tables } from '../../core/db/tables.ts';
import { isUuid } from '../../core/validation.ts';
import * as store from './store.ts';
import type { HandlingCode, PartnerKind } from './tables.ts';

export interface ActivePartnership {
  id: string;
  groupId: string;
  partnerId: string;
  partnerName: string;
  partnerKind: PartnerKind;
  country: string;
  handlingCodes: HandlingCode[];
  conditions: string | null;
  agreementReference: string;
}

/** The partner organisations the user acts for. */
export function partnersOfUser(db: Kysely<Tables>, userId: string): Promise<string[]> {
  return store.partnerIdsOfUser(db, userId);
}

/** The partner users of an organisation with their address and language (for a notification), and whether they use two-factor. */
export async function partnerUserContacts(db: Kysely<Tables>, partnerId: string): Promise<{ userId: string; email: string; language: string; twoFactor: boolean }[]> {
  if (!isUuid(partnerId)) return [];
  return (await store.partnerUserContacts(db, partnerId)).map((row) => ({ userId: row.user_id, email: row.email, language: row.language, twoFactor: row.two_factor }));
}

/** Active partnerships of the given groups or of partners in the given countries, with their agreements' handling codes. */
export async function activePartnershipsOf(db: Kysely<Tables>, filter: { groupIds: readonly string[]; countries: readonly string[] }): Promise<ActivePartnership[]> {
  const rows = await store.activePartnershipsOf(db, { groupIds: filter.groupIds.filter(isUuid), countries: filter.countries.filter((c) => /^[A-Z]{2}$/.test(c)) });
  return rows.map((row) => ({
    id: row.id,
    groupId: row.group_id,
    partnerId: row.partner_id,
    partnerName: row.partner_name,
    partnerKind: row.partner_kind,
    country: row.country,
    handlingCodes: row.handling_codes,
    conditions: row.conditions,
    agreementReference: row.agreement_reference,
  }));
}

/** One partnership by id, whatever its status (a disclosure names the partnership it travelled through). */
export async function partnershipById(db: Kysely<Tables>, id: string): Promise<(ActivePartnership & { status: string }) | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await store.findPartnership(db, id);
  return (
    row && {
      id: row.id,
      groupId: row.group_id,
      partnerId: row.partner_id,
      partnerName: row.partner_name,
      partnerKind: row.partner_kind,
      country: row.country,
      handlingCodes: row.handling_codes,
      conditions: row.conditions,
      agreementReference: row.agreement_reference,
      status: row.status,
    }
  );
}
