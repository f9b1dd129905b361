/**
 * What the soak sends: the mixed journey of CAST's visitors, one request after another in a cycle —
 * an anonymous report (the form, then the submission with restricted fields), a declaration
 * signature, a newsletter sign-up, public pages, the public map, and a signed-in coordinator's work
 * queue and group map. Every report lands in the coordinator's listed group, so the queue and the map
 * grow through the run as a real group's would. Every write is its own (fresh identifiers, addresses).
 */
import crypto from 'node:crypto';
import { loadConfig } from '../../src/core/config.ts';
import { openKeyring } from '../../src/core/data-keys.ts';
import { databaseOptions, openDatabase } from '../../src/core/db/database.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { loadInstanceKey } from '../../src/core/keys.ts';
import { createAccountAsOperator, issueToken } from '../../src/modules/accounts/index.ts';
import type { GroupsTables } from '../../src/modules/groups/tables.ts';
import type { RequestSpec } from '../../bench/load.ts';

/** The coordinator's group: listed, around Birmingham, 60 km across, holding every soak report. */
const CENTRE = { lat: 52.48, lon: -1.9 };
const PLACE_TYPES = ['car-wash', 'nail-bar', 'hotel', 'farm', 'factory', 'restaurant'];
const MAP_BBOX = `${CENTRE.lon - 0.6},${CENTRE.lat - 0.4},${CENTRE.lon + 0.6},${CENTRE.lat + 0.4}`;

export interface SoakSeed {
  groupId: string;
  /** A coordinator's API token (groups:read, reports:read); the account has two-factor, as reviewers must. */
  token: string;
}

/** Runs before the server starts (a PGlite data directory has one owner): migrations, the group and its coordinator. */
export async function seedSoak(env: Record<string, string>): Promise<SoakSeed> {
  const config = loadConfig(env);
  const database = await openDatabase(databaseOptions(config));
  try {
    await migrate(database);
    const db = database.db;
    const account = await createAccountAsOperator(db, { email: `soak.coordinator.${Date.now()}@example.org`, password: 'correct horse battery staple', role: 'member', country: null });
    if (!account.ok) throw new Error(`could not create the soak coordinator: ${JSON.stringify(account)}`);
    const userId = account.value.userId;
    const keyring = await openKeyring(db, loadInstanceKey(config));
    try {
      await db.updateTable('users').set({ totp_secret_sealed: keyring.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'), totp_enabled_at: new Date() }).where('id', '=', userId).execute();
    } finally {
      await keyring.close();
    }
    const groups = db.withTables<GroupsTables>();
    const group = await groups
      .insertInto('groups')
      .values({ name: 'Soak group', kind: 'community', country: 'GB', locality: 'Birmingham', centre_lat: CENTRE.lat, centre_lon: CENTRE.lon, radius_km: 30, listed: true, listed_at: new Date(), created_by: userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await groups.insertInto('group_members').values({ group_id: group.id, user_id: userId, role: 'coordinator' }).execute();
    const { token } = await issueToken(db, userId, 'soak', ['groups:read', 'reports:read'], null);
    return { groupId: group.id, token };
  } finally {
    await database.close();
  }
}

export interface Step {
  /** Which part of the journey, for the error breakdown. */
  name: string;
  next(n: number): RequestSpec;
}

const get = (name: string, path: string, headers?: Record<string, string>): Step => ({ name, next: () => ({ method: 'GET', path, ...(headers ? { headers } : {}) }) });
const postJson = (name: string, path: string, body: (n: number) => unknown): Step => ({
  name,
  next: (n) => ({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body(n)) }),
});

function report(run: string, n: number) {
  const word = () => crypto.randomBytes(4).toString('hex');
  const daysAgo = n % 60;
  return {
    country: 'GB',
    // Inside the group's 30 km radius, spread so place-time links stay local.
    location: { lat: CENTRE.lat + ((n % 41) - 20) * 0.01, lon: CENTRE.lon + ((Math.floor(n / 41) % 41) - 20) * 0.015 },
    place: `Unit ${n % 500}, ${word()} road`,
    placeType: PLACE_TYPES[n % PLACE_TYPES.length],
    observedFrom: new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10),
    observedTime: 'evening',
    exploitationTypes: [n % 2 ? 'labour' : 'sexual'],
    indicators: ['person.fearful', 'person.spoken-for'],
    peopleCount: 1 + (n % 7),
    identifiers: [
      { kind: 'phone', value: `07700 9${String(n % 100_000).padStart(5, '0')}` },
      { kind: 'email', value: `boss.${run}.${n}@example.net` },
    ],
    names: [`${word()} ${word()}`],
    account: `Soak ${run}-${n}: people are dropped off early and collected late, and never speak to anyone (${word()}).`,
    contact: `reporter.${run}.${n}@example.org`,
    contactConsent: true,
  };
}

/** The cycle of steps; `run` makes this run's addresses and identifiers its own. */
export function journey(seed: SoakSeed, run: string): Step[] {
  const coordinator = { authorization: `Bearer ${seed.token}` };
  return [
    get('report-form', '/report'),
    postJson('submitReport', '/api/v1/reports', (n) => report(run, n)),
    get('declaration-page', '/declarations/stop-the-traffik'),
    postJson('signDeclaration', '/api/v1/declarations/stop-the-traffik/signatures', (n) => ({ name: `Soak signer ${n}`, email: `signer.${run}.${n}@example.org`, country: n % 3 ? 'GB' : 'FR' })),
    get('newsletter-page', '/newsletter'),
    postJson('subscribe', '/api/v1/newsletter/subscriptions', (n) => ({ email: `reader.${run}.${n}@example.org`, lists: ['general'] })),
    get('home', '/'),
    get('what-to-look-for', '/what-to-look-for'),
    get('action-pack', '/packs/schools-sex-trafficking?lang=en&version=1'),
    get('public-map', '/map'),
    get('public-map-cells', `/api/v1/map/cells?bbox=-8.5,49.8,2.1,59&zoom=6`),
    get('work-queue', `/api/v1/groups/${seed.groupId}/reports`, coordinator),
    get('group-map', `/api/v1/groups/${seed.groupId}/map?bbox=${MAP_BBOX}&zoom=9`, coordinator),
  ];
}

/** Walks the cycle from `offset`, numbering writes across every walker so each is unique. */
export function walker(steps: Step[], offset: number, counter: { n: number }): () => { step: Step; spec: RequestSpec } {
  let index = offset % steps.length;
  return () => {
    const step = steps[index]!;
    index = (index + 1) % steps.length;
    counter.n += 1;
    return { step, spec: step.next(counter.n) };
  };
}
