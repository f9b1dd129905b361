/**
 * Seeds the listGroupReports scenario: one (unlisted, so submitReport's routing never meets it)
 * group holding 100,000 reports spread over 900 days and every status, two identifiers each, and
 * a coordinator of it with a reports:read token. Batched multi-row inserts; sealed columns hold one
 * value sealed by the real sealer, since the queue never opens them.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../src/core/db/tables.ts';
import type { FieldSealer } from '../src/core/field-sealer.ts';
import { createAccountAsOperator, issueToken } from '../src/modules/accounts/index.ts';
import type { GroupsTables } from '../src/modules/groups/tables.ts';
import { STATUSES, type ReportsTables } from '../src/modules/reports/tables.ts';

export const SEEDED_REPORTS = 100_000;
const BATCH = 1000;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TYPES = [['labour'], ['sexual'], ['criminal'], ['labour', 'sexual']];
const PLACES = ['car-wash', 'nail-bar', 'hotel', 'farm', 'private-house'];
const INDICATORS = ['person.fearful', 'person.spoken-for', 'labour.group-transport', 'labour.long-hours', 'place.living-at-work'];

const reference = (i: number) => `R-${Array.from({ length: 8 }, (_, d) => ALPHABET[Math.floor(i / 32 ** d) % 32]).join('')}`;

export async function seedReports(base: Kysely<Tables>, sealer: FieldSealer): Promise<{ groupId: string; coordinatorToken: string }> {
  const account = await createAccountAsOperator(base, { email: `bench.coordinator.${Date.now()}@example.org`, password: 'correct horse battery staple', role: 'member', country: null });
  if (!account.ok) throw new Error(`could not create the bench coordinator: ${JSON.stringify(account)}`);
  const userId = account.value.userId;
  // Reviewing reports needs two-factor authentication: the coordinator has it (a secret nobody uses here).
  await base.updateTable('users').set({ totp_secret_sealed: sealer.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'), totp_enabled_at: new Date() }).where('id', '=', userId).execute();
  const groups = base.withTables<GroupsTables>();
  const group = await groups
    .insertInto('groups')
    .values({ name: 'Bench report group', kind: 'community', country: 'GB', locality: 'Benchton', centre_lat: 58.5, centre_lon: -5.0, radius_km: 5, listed: false, created_by: userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await groups.insertInto('group_members').values({ group_id: group.id, user_id: userId, role: 'coordinator' }).execute();
  const sealed = sealer.seal(JSON.stringify({ value: 'bench', normalised: 'bench' }));
  const reports = base.withTables<ReportsTables>();
  const day = 86_400_000;
  const since = Date.UTC(2024, 0, 1);
  for (let start = 0; start < SEEDED_REPORTS; start += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, SEEDED_REPORTS - start) }, (_, offset) => {
      const i = start + offset;
      return {
        reference: reference(i),
        receipt_hash: randomBytes(32),
        group_id: group.id,
        country: 'GB',
        received_on: new Date(since + (i % 900) * day).toISOString().slice(0, 10),
        status: STATUSES[i % 5]!,
        place_type: PLACES[i % PLACES.length]!,
        exploitation_types: TYPES[i % TYPES.length]!,
        indicators: INDICATORS.slice(0, 1 + (i % INDICATORS.length)),
        narrative_sealed: sealed,
      };
    });
    const inserted = await reports.insertInto('reports').values(rows).returning('id').execute();
    await reports
      .insertInto('report_identifiers')
      .values(inserted.flatMap((row, n) => (['phone', 'plate'] as const).map((kind) => ({ report_id: row.id, kind, blind_index: randomBytes(32), value_sealed: sealed, unparsed: n % 50 === 0 }))))
      .execute();
  }
  await sql`analyze reports`.execute(base);
  await sql`analyze report_identifiers`.execute(base);
  const { token } = await issueToken(base, userId, 'bench', ['reports:read'], null);
  return { groupId: group.id, coordinatorToken: token };
}
