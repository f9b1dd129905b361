import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { latLngToCell } from 'h3-js';
import type { UserActor } from '../../core/auth/actor.ts';
import type { DisclosableReport } from '../reports/index.ts';
import { refusal, verdictFor } from './access.ts';
import { linkedIdentifiers, toPartnerView, uncoveredCodes } from './package.ts';
import { checkOutcome } from './service.ts';

const REPORT: DisclosableReport = {
  id: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b',
  reference: 'R-ABCDEFGH',
  groupId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
  country: 'GB',
  receivedOn: '2026-11-20',
  status: 'graded',
  grade: { source: 2, assessment: 'B', handling: 'P', conditions: null },
  priority: 'high',
  summary: 'Workers moved together early and late.',
  placeType: 'car-wash',
  observedFrom: '2026-11-19',
  observedTo: null,
  exploitationTypes: ['labour'],
  indicators: ['labour.group-transport'],
  peopleCount: 6,
  h3Cell: latLngToCell(51.4545, -2.5879, 7),
  point: { lat: 51.4545, lon: -2.5879 },
  identifiers: [
    { kind: 'phone', value: '+447700900123' },
    { kind: 'plate', value: 'AB12CDE' },
  ],
};

describe("the partner's view of a report", () => {
  test('without terms: coarse cell centre only, every identifier withheld, the summary and grade travel', () => {
    const view = toPartnerView(REPORT, { identifierKinds: [], preciseLocation: false });
    assert.equal(view.grade, '2/B/P');
    assert.equal(view.summary, REPORT.summary);
    assert.equal(view.location?.precision, 'coarse');
    assert.ok(view.location && Math.abs(view.location.lat - 51.45) < 0.05 && Math.abs(view.location.lon + 2.59) < 0.05);
    assert.notEqual(view.location?.lat, REPORT.point!.lat);
    assert.deepEqual(view.identifiers, [
      { kind: 'phone', value: null },
      { kind: 'plate', value: null },
    ]);
    for (const left of ['id', 'groupId', 'point', 'status']) assert.ok(!(left in view), `${left} is left out`);
  });

  test('terms give the covered identifier kinds in clear, and the precise point only for handling code P', () => {
    const terms = { identifierKinds: ['plate'] as const, preciseLocation: true };
    const p = toPartnerView(REPORT, terms);
    assert.deepEqual(p.location, { precision: 'precise', lat: 51.4545, lon: -2.5879 });
    assert.deepEqual(p.identifiers, [
      { kind: 'phone', value: null },
      { kind: 'plate', value: 'AB12CDE' },
    ]);
    const c = toPartnerView({ ...REPORT, grade: { ...REPORT.grade, handling: 'C', conditions: 'Safeguarding only.' } }, terms);
    assert.equal(c.location?.precision, 'coarse', 'handling code C keeps the place coarse');
    assert.equal(c.conditions, 'Safeguarding only.');
  });

  test('linked identifiers: those two or more reports hold, in clear only where the terms cover the kind', () => {
    const other = { ...REPORT, reference: 'R-ZYXWVUTS', identifiers: [{ kind: 'phone' as const, value: '+447700900123' }, { kind: 'email' as const, value: 'a@b.example' }] };
    assert.deepEqual(linkedIdentifiers([REPORT, other], { identifierKinds: [], preciseLocation: false }), [{ kind: 'phone', value: null, reports: ['R-ABCDEFGH', 'R-ZYXWVUTS'] }]);
    assert.deepEqual(linkedIdentifiers([REPORT, other], { identifierKinds: ['phone'], preciseLocation: false }), [{ kind: 'phone', value: '+447700900123', reports: ['R-ABCDEFGH', 'R-ZYXWVUTS'] }]);
    assert.deepEqual(linkedIdentifiers([REPORT], { identifierKinds: ['phone'], preciseLocation: false }), []);
  });

  test('uncovered handling codes are found', () => {
    assert.deepEqual(uncoveredCodes([REPORT, { grade: { ...REPORT.grade, handling: 'C' } }], ['P']), ['C']);
    assert.deepEqual(uncoveredCodes([REPORT], ['P', 'C']), []);
  });
});

describe('who may handle a disclosure', () => {
  const partnerUser: UserActor = { kind: 'user', userId: 'u', email: 'e', displayName: 'd', language: 'en', roles: [{ role: 'partner', country: null }], twoFactorEnabled: true, stage: 'full', via: 'session', scopes: undefined, credentialId: 'c' };

  test('a partner user without two-factor is told to set it up; a token without the scope is told which scope', () => {
    assert.equal(verdictFor(partnerUser, 'disclosures.read', ['partner-user'], 'GB'), 'allowed');
    const noTwoFactor = verdictFor({ ...partnerUser, twoFactorEnabled: false }, 'disclosures.read', ['partner-user'], 'GB');
    assert.equal(noTwoFactor, 'needs-two-factor');
    assert.deepEqual(refusal(noTwoFactor), { ok: false, reason: 'forbidden', message: 'sharing.errors.twoFactor' });
    const token = verdictFor({ ...partnerUser, via: 'token', scopes: ['partners:read'] }, 'disclosures.read', ['partner-user'], 'GB');
    assert.deepEqual(refusal(token as 'wrong-scope'), { ok: false, reason: 'forbidden', message: 'sharing.errors.scope' });
    assert.equal(verdictFor({ ...partnerUser, via: 'token', scopes: ['sharing:read'] }, 'disclosures.read', ['partner-user'], 'GB'), 'allowed');
    assert.equal(verdictFor(partnerUser, 'disclosures.read', [], 'GB'), 'denied', 'a partner user of another organisation');
  });
});

describe('outcome input', () => {
  test('counts go with victims identified and arrests only', () => {
    assert.deepEqual(checkOutcome({ kind: 'arrests', count: '2' }), { ok: true, value: { kind: 'arrests', count: 2, note: null } });
    assert.deepEqual(checkOutcome({ kind: 'arrests' }), { ok: false, errors: { count: 'sharing.errors.outcomeCount' } });
    assert.deepEqual(checkOutcome({ kind: 'other', count: 1 }), { ok: false, errors: { count: 'sharing.errors.outcomeCountNotApplicable' } });
    assert.deepEqual(checkOutcome({ kind: 'bribe' }), { ok: false, errors: { kind: 'sharing.errors.outcomeKind' } });
    assert.equal(checkOutcome({ kind: 'other', note: 'x'.repeat(2001) }).ok, false);
  });
});
