/**
 * Authorisation matrix rows of the events module. Fixture: one event published by the administrator.
 * Publishing needs the editor or admin role, or coordinating a group: in the matrix `group-coordinator`
 * coordinates group A, `outsider` group B (groups.ts) and `national-coordinator` group G (it founded
 * it in correlation.ts), so they may open the form, but none may publish an event without a group.
 * Changing or cancelling an event without a group is for editors and administrators only; every
 * refused or invalid change leaves the fixtures as they were (a second, past event takes the
 * administrator's cancel, which is refused because it has ended).
 */
import { randomUUID } from 'node:crypto';
import { sessionCall as call } from '../../support/session-call.ts';
import type { MatrixPart, Row } from './types.ts';

const year = new Date().getUTCFullYear() + 1;
const event = { title: 'Matrix Freedom Week', allDay: true, start: `${year}-11-24`, end: `${year}-11-30`, place: 'Matrixton', campaign: 'freedom-week' };

export const matrix: MatrixPart = {
  async rows({ callers }) {
    const id = (await call(callers.get('admin')!.client, 'POST', '/api/v1/events', event)).id!;
    const past = (await call(callers.get('admin')!.client, 'POST', '/api/v1/events', { ...event, start: `${year - 3}-11-24`, end: `${year - 3}-11-30` })).id!;
    const organisers = { anonymous: 303, token: 303, admin: 200, default: 403 };
    const someone = randomUUID();
    const publishers = { anonymous: 303, token: 303, admin: 200, 'group-coordinator': 200, outsider: 200, 'national-coordinator': 200, 'other-coordinator': 200, 'coordinator-without-2fa': 200, 'signed-in': 403 };
    const rows: Row[] = [
      { method: 'GET', route: '/events', path: '/events', expect: 200 },
      { method: 'GET', route: '/events/new', path: '/events/new', expect: publishers },
      { method: 'POST', route: '/events', path: '/events', form: { title: '', start: 'never', end: 'never', place: 'x' }, expect: { anonymous: 303, token: 403, admin: 422, 'signed-in': 403 } },
      { method: 'GET', route: '/events/calendar.ics', path: '/events/calendar.ics', expect: 200 },
      { method: 'GET', route: '/events/campaigns/:campaign/calendar.ics', path: '/events/campaigns/freedom-week/calendar.ics', expect: 200 },
      { method: 'GET', route: '/events/groups/:groupId/calendar.ics', path: `/events/groups/${someone}/calendar.ics`, expect: 404 },
      { method: 'GET', route: '/events/:id', path: `/events/${id}`, expect: 200 },
      { method: 'GET', route: '/events/:id/calendar.ics', path: `/events/${id}/calendar.ics`, expect: 200 },
      { method: 'GET', route: '/events/:id/registrations', path: `/events/${id}/registrations`, expect: { anonymous: 303, token: 303, admin: 200, 'signed-in': 403 } },
      { method: 'POST', route: '/events/:id/registrations', path: `/events/${id}/registrations`, form: { name: 'Matrix', email: 'not-an-address' }, expect: { token: 403, default: 422 } },
      { method: 'GET', route: '/events/:id/edit', path: `/events/${id}/edit`, expect: organisers },
      { method: 'POST', route: '/events/:id/edit', path: `/events/${id}/edit`, form: { title: '', start: 'never', end: 'never', place: 'x' }, expect: { anonymous: 303, token: 403, admin: 422, default: 403 } },
      { method: 'GET', route: '/events/:id/cancel', path: `/events/${id}/cancel`, expect: organisers },
      { method: 'POST', route: '/events/:id/cancel', path: `/events/${id}/cancel`, form: { reason: 'x'.repeat(501) }, expect: { anonymous: 303, token: 403, admin: 422, default: 403 } },
      { method: 'GET', route: '/events/:id/registrations/cancel', path: `/events/${id}/registrations/cancel?token=${someone}.AAAAAAAAAAAAAAAAAAAAAAAA`, expect: 404 },
      { method: 'POST', route: '/events/:id/registrations/cancel', path: `/events/${id}/registrations/cancel`, form: { token: 'not-a-token' }, expect: { token: 403, default: 404 } },
      { method: 'GET', route: '/api/v1/events', path: '/api/v1/events', expect: 200 },
      { method: 'PATCH', route: '/api/v1/events/:id', path: `/api/v1/events/${id}`, json: { end: `${year}-11-01` }, expect: { anonymous: 401, admin: 422, default: 403 } },
      { method: 'POST', route: '/api/v1/events/:id/cancel', path: `/api/v1/events/${past}/cancel`, json: {}, expect: { anonymous: 401, admin: 409, default: 403 } },
      { method: 'POST', route: '/api/v1/events/:id/registrations/cancel', path: `/api/v1/events/${id}/registrations/cancel`, json: { token: 'not-a-token' }, expect: 404 },
      { method: 'POST', route: '/api/v1/events', path: '/api/v1/events', json: { ...event, end: `${year}-11-01` }, expect: { anonymous: 401, admin: 422, default: 403 } },
      { method: 'GET', route: '/api/v1/events/calendar.ics', path: '/api/v1/events/calendar.ics?campaign=freedom-week', expect: 200 },
      { method: 'GET', route: '/api/v1/events/:id', path: `/api/v1/events/${id}`, expect: 200 },
      { method: 'POST', route: '/api/v1/events/:id/registrations', path: `/api/v1/events/${id}/registrations`, json: { name: 'Matrix', email: 'not-an-address' }, expect: 422 },
    ];
    return rows;
  },
};
